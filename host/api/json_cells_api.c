/* host.json_apart(json) and host.json_cells(json, format): the member of a
 * JSON object that host.json_decode(text, key) left out of the value, as a
 * Lua value or straight into a cell bundle.  A report in nianbao's
 * canonical JSON came into Lua whole, a table for each row and a string for
 * each cell, and the json importer then walked its tables twice (its
 * checks, then host/lua/lua_report.c's conversion): half of importing such
 * a report (bench (h)).  Its "tables" now go from cJSON's tree into a cell
 * bundle (lua/cell_bundle.h), table → row → column → value, their ids
 * looked up in the format the model already has.  Anything the importer
 * would have a word about (an id the format lacks, a value neither a
 * string nor null, a key twice, a table or row that is no object ...) is
 * not judged here: json_cells then gives nothing, and the importer reads
 * the member with json_apart and checks it as before, so every message
 * and its wording stay in plugins/importers/json.lua. */
#include "api/json_cells_api.h"
#include "api/host_api.h"
#include "lua/cell_bundle.h"
#include <lauxlib.h>
#include <string.h>

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

/* json_apart(json) -> the member left out, as json_decode would have given it, or nil */
static int api_json_apart(lua_State *L)
{
    const cJSON *apart = nb_json_apart(L, 1);
    if (!apart)
        return lua_pushnil(L), 1;
    nb_json_push(L, apart, 1);
    return 1;
}

/* the row of tb named id, looked for from row `from` on (the rows of a
 * JSON table mostly stand in an order the format's search can resume) */
static int find_row(const nb_table *tb, const char *id, size_t from)
{
    for (size_t k = 0; k < tb->nrows; k++) {
        size_t r = (from + k) % tb->nrows;
        if (strcmp(tb->rows[r].id, id) == 0)
            return (int)r;
    }
    return -1;
}

static int find_col(const nb_table *tb, const nb_block *bl, const char *id, size_t from)
{
    for (size_t k = 0; k < bl->ncols; k++) {
        size_t j = (from + k) % bl->ncols;
        if (strcmp(tb->cols[bl->col_first + j].id, id) == 0)
            return (int)j;
    }
    return -1;
}

/* The cells of one row object into the bundle: every cell of the row is
 * given ("" where the object has none or null, line 0: JSON has no lines
 * for the model, as a Lua row without _line had none); false at anything
 * the importer is to judge.  met: a byte a cell of the format, set once the
 * object named it. */
static bool fill_row(nb_cell_bundle *b, unsigned char *met, const nb_table *tb, const nb_row *row, const cJSON *cells)
{
    const nb_block *bl = &tb->blocks[row->block];
    for (size_t j = 0; j < bl->ncols; j++)
        nb_cell_bundle_set(b, row->cell_first + j, "", 0, 0);
    size_t from = 0;
    for (const cJSON *c = cells->child; c; c = c->next) {
        int j = find_col(tb, bl, c->string, from);
        if (j < 0)
            return false;
        size_t cell = row->cell_first + (size_t)j;
        if (met[cell])
            return false;
        met[cell] = 1;
        from = (size_t)j + 1;
        if (cJSON_IsString(c))
            nb_cell_bundle_set(b, cell, c->valuestring, strlen(c->valuestring), 0);
        else if (!cJSON_IsNull(c))
            return false;
    }
    return true;
}

/* json_cells(json, format) -> the member left out read as a report's
 * tables ({table: {row: {column: "text" or null}}}) into a cell bundle of
 * that format, for report.cells; or nil: no such member, or something in it
 * the importer is to judge (an id the format lacks, a row that carries no
 * cells, a value neither a string nor null, a key twice, a table or row
 * that is no object).  The bundle keeps the parsed text alive. */
static int api_json_cells(lua_State *L)
{
    const cJSON *tables = nb_json_apart(L, 1);
    const char *fid = luaL_checkstring(L, 2);
    const nb_format_entry *e = nb_host_format(host_of(L), fid);
    if (!e || !cJSON_IsObject(tables))
        return lua_pushnil(L), 1;
    const nb_format *f = e->format;
    nb_cell_bundle *b = nb_cell_bundle_push(L, f, 1, f->ncells, false);
    unsigned char *met = nb_cell_bundle_scratch(b);
    for (const cJSON *t = tables->child; t; t = t->next) {
        const nb_table *tb = nb_format_table(f, t->string);
        if (!tb || !cJSON_IsObject(t) || nb_cell_bundle_given(b, (size_t)(tb - f->tables)))
            return lua_pushnil(L), 1;
        nb_cell_bundle_give(b, (size_t)(tb - f->tables));
        size_t from = 0;
        for (const cJSON *r = t->child; r; r = r->next) {
            int ri = find_row(tb, r->string, from);
            const char *s;
            size_t n;
            uint32_t line;
            if (ri < 0 || !tb->rows[ri].data || !cJSON_IsObject(r) ||
                nb_cell_bundle_get(b, tb->rows[ri].cell_first, &s, &n, &line))
                return lua_pushnil(L), 1;
            if (!fill_row(b, met, tb, &tb->rows[ri], r))
                return lua_pushnil(L), 1;
            from = (size_t)ri + 1;
        }
    }
    return 1;
}

void nb_json_cells_api_register(lua_State *L, nb_host *h)
{
    static const luaL_Reg fns[] = {{"json_apart", api_json_apart},
                                   {"json_cells", api_json_cells},
                                   {NULL, NULL}};
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, fns, 1);
}
