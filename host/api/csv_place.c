/* host.csv_place(spec, rows, stop): the CSV importer's wide layout placed in
 * C when every record's meaning is certain.  Classifying the records in Lua
 * (a norm, a cell_kind and several table lookups a cell) was half of
 * importing a CSV report (issue 13 (h)).  This walks the records as
 * plugins/importers/csv.lua's classify and import_wide do — metadata,
 * titles, block labels, header records, labelled rows, rows of a table
 * without labels — and fills a cell bundle.  At the first record whose
 * meaning it is not sure of (a key nianbao does not know, metadata below the
 * tables, a label of several tables outside them, a value without a label,
 * a header that names another column, a cell beside the labels or past the
 * values, a row given twice, no row at all) it returns nil and the importer
 * reads the file in Lua from the start, so every message stays the
 * importer's.  Which label names what comes in spec, made by the importer
 * once per format; this file knows no label or wording. */
#define _GNU_SOURCE /* memmem */
#include "api/csv_place.h"
#include "api/bundle_api.h"
#include "base/text_norm.h"
#include "lua/cell_bundle.h"
#include "model/decimal.h"
#include <lauxlib.h>
#include <stdbool.h>
#include <string.h>

enum { SPEC = 1, ROWS = 2, STOP = 3, MAX_TABLES = 64, NORM_MAX = 1024 };

/* A cell as the records hold it (the string stays alive in rows); kind:
 * 0 not asked yet, 1 a value or "not applicable" mark, 2 neither. */
typedef struct {
    const char *s;
    size_t n;
    unsigned char kind;
} span;

typedef struct {
    int rec;            /* its record */
    int tpos, bpos, at; /* table and block (spec.tables positions), rightmost label cell (0: none) */
    int hs, he;         /* its header records: heads[hs..he) */
    const char *row;    /* row id (kept alive by spec) */
    bool data;
} item;

typedef struct {
    lua_State *L;
    int spec_titles, spec_blocks, spec_rows, spec_header, spec_tables, spec_meta;
    const char *title_word; /* spec.title_word (kept alive by spec) */
    size_t title_n;
    span *cells;        /* every record's cells, record i's from cells[first[i]] */
    size_t *first;      /* nrows + 2 offsets */
    char buf[NORM_MAX];
} ctx;

static span *rec_cells(const ctx *x, lua_Integer i) { return x->cells + x->first[i]; }
static lua_Integer rec_len(const ctx *x, lua_Integer i) { return (lua_Integer)(x->first[i + 1] - x->first[i]); }

/* host.cell_kind's "value" or "na" */
static bool is_value(span *c)
{
    if (!c->kind) {
        nb_parse_status st = nb_parse_cell(c->s, c->n).status;
        c->kind = st != NB_PARSE_BLANK && st != NB_PARSE_NOT_NUMBER ? 1 : 2;
    }
    return c->kind == 1;
}

/* Pushes norm(c) as a Lua string, to be looked up in several sets; false
 * when the cell is too long to normalise here. */
static bool push_norm(ctx *x, const span *c)
{
    if (c->n >= NORM_MAX)
        return false;
    lua_pushlstring(x->L, x->buf, nb_norm_label(c->s, c->n, x->buf));
    return true;
}

/* Pushes set[key], key the value at idx. */
static int get(lua_State *L, int set, int key)
{
    lua_pushvalue(L, key);
    return lua_rawget(L, set);
}

static int int_at(lua_State *L, int t, lua_Integer i)
{
    lua_rawgeti(L, t, i);
    int v = (int)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

/* Reads every record's cells once: false when a record is not a table of
 * strings (then the importer reads them). */
static bool load(ctx *x, lua_Integer nrows)
{
    lua_State *L = x->L;
    size_t total = 0;
    x->first = lua_newuserdatauv(L, (size_t)(nrows + 2) * sizeof *x->first, 0);
    for (lua_Integer i = 1; i <= nrows; i++) {
        if (lua_rawgeti(L, ROWS, i) != LUA_TTABLE)
            return false;
        x->first[i] = total;
        total += lua_rawlen(L, -1);
        lua_pop(L, 1);
    }
    x->first[nrows + 1] = total;
    x->cells = lua_newuserdatauv(L, (total + 1) * sizeof *x->cells, 0);
    for (lua_Integer i = 1; i <= nrows; i++) {
        lua_rawgeti(L, ROWS, i);
        span *cells = rec_cells(x, i);
        for (lua_Integer c = 1, n = rec_len(x, i); c <= n; c++) {
            if (lua_rawgeti(L, -1, c) != LUA_TSTRING)
                return false;
            cells[c - 1].s = lua_tolstring(L, -1, &cells[c - 1].n);
            cells[c - 1].kind = 0;
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    return true;
}

/* The entry of list (spec.rows[label]) for a record under table current, as
 * row_entry chooses it: the only one, or the one of current; false when the
 * label names rows of several tables and none of current. */
static bool entry_of(lua_State *L, int list, int current, int ntables, item *e)
{
    lua_Integer len = (lua_Integer)lua_rawlen(L, list), pick = 0;
    if (len == 1)
        pick = 1;
    for (lua_Integer i = 1; i <= len && !pick; i++) {
        lua_rawgeti(L, list, i);
        if (int_at(L, -1, 1) == current)
            pick = i;
        lua_pop(L, 1);
    }
    if (!pick)
        return false;
    lua_rawgeti(L, list, pick); /* { tpos, bpos, row id, data } */
    e->tpos = int_at(L, -1, 1);
    e->bpos = int_at(L, -1, 2);
    lua_rawgeti(L, -1, 3);
    e->row = lua_tostring(L, -1);
    lua_pop(L, 1);
    lua_rawgeti(L, -1, 4);
    e->data = lua_toboolean(L, -1);
    lua_pop(L, 2);
    return e->row && e->tpos >= 1 && e->tpos <= ntables && e->bpos >= 1;
}

/* Is a record with first written cell k (normalised at key) metadata, as
 * read_meta_record reads it: a key of spec.meta, or a title alone? */
static bool meta_record(ctx *x, span *cells, lua_Integer k, lua_Integer ncells, int key)
{
    lua_State *L = x->L;
    bool meta = get(L, x->spec_meta, key) != LUA_TNIL;
    lua_pop(L, 1);
    if (meta)
        return true;
    bool title = x->title_word && x->title_n <= cells[k - 1].n &&
                 memmem(cells[k - 1].s, cells[k - 1].n, x->title_word, x->title_n);
    for (lua_Integer c = k + 1; title && c <= ncells; c++)
        if (cells[c - 1].n)
            return false;
    return title;
}

/* A record KEY,VALUE outside the tables (is_pair): two written cells, the first no value. */
static bool is_pair(span *cells, lua_Integer k, lua_Integer ncells)
{
    if (is_value(&cells[k - 1]))
        return false;
    int written = 0;
    for (lua_Integer c = k; c <= ncells; c++)
        written += cells[c - 1].n > 0;
    return written == 2;
}

/* A header record: the table whose header words it holds most (at least
 * two, no tie) becomes current.  key: its first written cell k normalised. */
static bool score_header(ctx *x, span *cells, lua_Integer k, lua_Integer ncells, int key, int ntables, int *current)
{
    lua_State *L = x->L;
    int counts[MAX_TABLES + 1] = {0};
    for (lua_Integer c = k; c <= ncells; c++) {
        if (!cells[c - 1].n)
            continue;
        if (c == k)
            lua_pushvalue(L, key);
        else if (!push_norm(x, &cells[c - 1]))
            return false;
        if (lua_rawget(L, x->spec_header) == LUA_TTABLE) {
            lua_Integer len = (lua_Integer)lua_rawlen(L, -1);
            for (lua_Integer i = 1; i <= len; i++) {
                int p = int_at(L, -1, i);
                if (p >= 1 && p <= ntables)
                    counts[p]++;
            }
        }
        lua_pop(L, 1);
    }
    int best = 0, score = 0;
    bool tie = false;
    for (int p = 1; p <= ntables; p++) {
        if (counts[p] > score)
            best = p, score = counts[p], tie = false;
        else if (counts[p] == score && counts[p] > 0)
            tie = true;
    }
    if (best && !tie && score >= 2)
        *current = best;
    return true;
}

/* Pass 1 (classify): the rows' items and the header records above them;
 * false when a record is one the importer must read. */
static bool classify(ctx *x, lua_Integer nrows, lua_Integer stop, int ntables, item *items, int *nitems, int *heads)
{
    lua_State *L = x->L;
    int current = 0, hs = 0, nheads = 0;
    for (lua_Integer i = 1; i <= nrows; i++) {
        span *cells = rec_cells(x, i);
        lua_Integer ncells = rec_len(x, i), k = 0;
        for (lua_Integer c = 1; c <= ncells && !k; c++)
            if (cells[c - 1].n)
                k = c;
        if (!k)
            continue;
        span *first = &cells[k - 1];
        if (!push_norm(x, first))
            return false;
        int key = lua_gettop(L);
        if (meta_record(x, cells, k, ncells, key)) {
            if (i >= stop) /* metadata below the tables: read in Lua */
                return false;
            lua_pop(L, 1);
            continue;
        }
        get(L, x->spec_titles, key);
        int title = (int)lua_tointeger(L, -1);
        get(L, x->spec_blocks, key);
        int block = (int)lua_tointeger(L, -1);
        bool known_row = get(L, x->spec_rows, key) != LUA_TNIL;
        lua_pop(L, 3);
        if (title < 0 || title > ntables || block < 0 || block > ntables)
            return false;
        if (!current && !title && !block && !known_row && is_pair(cells, k, ncells))
            return false; /* a key nianbao does not know: noted by the importer */
        item e = {.rec = (int)i, .at = 0};
        lua_Integer c = k;
        for (; c <= ncells; c++) {
            if (!cells[c - 1].n)
                continue;
            if (is_value(&cells[c - 1]))
                break;
            if (c == k)
                lua_pushvalue(L, key);
            else if (!push_norm(x, &cells[c - 1]))
                return false;
            bool label = lua_rawget(L, x->spec_rows) == LUA_TTABLE;
            item found;
            if (label && !entry_of(L, lua_gettop(L), current, ntables, &found))
                return false; /* a label of several tables: the importer says so */
            lua_pop(L, 1);
            if (!label)
                break;
            e.tpos = found.tpos, e.bpos = found.bpos, e.row = found.row, e.data = found.data;
            e.at = (int)c;
        }
        bool values = false;
        for (lua_Integer j = c; j <= ncells && !values; j++)
            values = cells[j - 1].n && is_value(&cells[j - 1]);
        if (e.at) {
            current = e.tpos;
            e.hs = hs, e.he = nheads;
            items[(*nitems)++] = e;
            hs = nheads;
        } else if (title && !values) {
            current = title, hs = nheads;
        } else if (block && !values) {
            current = block, hs = nheads;
        } else if (!values) {
            if (!score_header(x, cells, k, ncells, key, ntables, &current))
                return false;
            heads[nheads++] = (int)i;
        } else {
            if (!current || !is_value(first))
                return false;
            if (lua_rawgeti(L, x->spec_tables, current) != LUA_TTABLE)
                return false;
            lua_getfield(L, -1, "unlabelled");
            e.bpos = (int)lua_tointeger(L, -1);
            lua_getfield(L, -2, "unlabelled_row");
            e.row = lua_tostring(L, -1);
            lua_pop(L, 3);
            if (!e.bpos || !e.row)
                return false; /* a value without a label: the importer says so */
            e.tpos = current, e.data = true, e.hs = hs, e.he = nheads;
            items[(*nitems)++] = e;
            hs = nheads;
        }
        lua_pop(L, 1); /* key */
    }
    return true;
}

/* check_headers: the lowest header cell above each value column names it. */
static bool headers_fit(ctx *x, const item *it, const int *heads, int accept, int ncols, int width)
{
    lua_State *L = x->L;
    for (int j = 1; j <= ncols; j++) {
        const span *above = NULL;
        for (int h = it->hs; h < it->he; h++) {
            lua_Integer c = width + j;
            if (c <= rec_len(x, heads[h]) && rec_cells(x, heads[h])[c - 1].n)
                above = &rec_cells(x, heads[h])[c - 1];
        }
        if (!above)
            continue;
        lua_rawgeti(L, accept, j);
        if (!lua_istable(L, -1) || !push_norm(x, above))
            return false;
        bool ok = lua_rawget(L, -2) != LUA_TNIL && lua_toboolean(L, -1);
        lua_pop(L, 2);
        if (!ok)
            return false;
    }
    return true;
}

/* Pass 2 (import_wide): each item's header, label and value cells checked,
 * its row placed in the bundle at the top of the stack. */
static bool place(ctx *x, const item *items, int nitems, const int *heads, const nb_format *f)
{
    lua_State *L = x->L;
    int bundle = lua_gettop(L);
    int width[MAX_TABLES + 1] = {0};
    for (int i = 0; i < nitems; i++)
        if (items[i].at > width[items[i].tpos])
            width[items[i].tpos] = items[i].at;
    bool placed = false;
    for (int i = 0; i < nitems; i++) {
        const item *it = &items[i];
        int w = width[it->tpos];
        if (lua_rawgeti(L, x->spec_tables, it->tpos) != LUA_TTABLE)
            return false;
        lua_getfield(L, -1, "id");
        const nb_table *tb = nb_format_table(f, lua_tostring(L, -1));
        lua_getfield(L, -2, "blocks");
        lua_rawgeti(L, -1, it->bpos); /* the accepted headers of its columns */
        int accept = lua_gettop(L);
        int ncols = lua_istable(L, accept) ? (int)lua_rawlen(L, accept) : -1;
        int ri = tb ? nb_table_row(tb, it->row) : -1;
        if (ri < 0 || ncols < 0 || (it->data && (!tb->rows[ri].data || tb->blocks[tb->rows[ri].block].ncols != (size_t)ncols)))
            return false;
        if (it->he > it->hs && !headers_fit(x, it, heads, accept, ncols, w))
            return false;
        lua_pop(L, 4);
        const span *cells = rec_cells(x, it->rec);
        lua_Integer ncells = rec_len(x, it->rec), last = it->data ? w + ncols : w;
        for (lua_Integer c = it->at + 1; c <= ncells; c++)
            if ((c <= w || c > last) && cells[c - 1].n)
                return false; /* a cell beside the labels or past the values */
        if (it->data) {
            size_t cell = tb->rows[ri].cell_first;
            if (nb_cell_bundle_get(nb_cell_bundle_test(L, bundle), cell, &(const char *){0}, &(size_t){0},
                                   &(uint32_t){0}))
                return false; /* a row given twice */
            lua_rawgeti(L, ROWS, it->rec);
            lua_getfield(L, -1, "line");
            int isnum;
            lua_Integer line = lua_tointegerx(L, -1, &isnum);
            if (!isnum || line < 0 || line > UINT32_MAX)
                return false; /* the importer's bundle_row says what is wrong with it */
            lua_pop(L, 1);
            nb_bundle_put_row(L, bundle, tb, ri, lua_gettop(L), w, (uint32_t)line);
            lua_pop(L, 1);
            placed = true;
        }
    }
    return placed;
}

/* csv_place(spec, rows, stop) -> cell bundle, or nil when a record is one
 * the importer must read.  rows: the records as host.csv_rows gives them;
 * stop: the first record after the metadata the importer has read (its
 * metadata records before stop are skipped, any other one declines).
 * spec = { format =, meta = { [key] = … }, title_word =,
 *   titles = { [norm label] = table position }, blocks = { [norm label] = table position },
 *   rows = { [norm label] = { { table position, block position, row id, data }, … } },
 *   header = { [norm word] = { table position, … } },
 *   tables = { { id =, unlabelled = block position, unlabelled_row = row id,
 *                blocks = { { [column] = { [norm header] = true } }, … } }, … } } */
static int api_csv_place(lua_State *L)
{
    luaL_checktype(L, SPEC, LUA_TTABLE);
    luaL_checktype(L, ROWS, LUA_TTABLE);
    lua_Integer stop = luaL_checkinteger(L, STOP);
    lua_settop(L, STOP);
    luaL_checkstack(L, 32, NULL);
    lua_getfield(L, SPEC, "format");
    const nb_format_entry *fe = nb_host_format(lua_touserdata(L, lua_upvalueindex(1)), luaL_checkstring(L, -1));
    if (!fe)
        return luaL_error(L, "csv_place：没有格式 '%s'", lua_tostring(L, -1));
    ctx *x = lua_newuserdatauv(L, sizeof *x, 0);
    x->L = L;
    static const char *const SETS[] = {"titles", "blocks", "rows", "header", "tables", "meta"};
    int *slots[] = {&x->spec_titles, &x->spec_blocks, &x->spec_rows, &x->spec_header, &x->spec_tables, &x->spec_meta};
    for (size_t i = 0; i < sizeof SETS / sizeof SETS[0]; i++) {
        luaL_checktype(L, (lua_getfield(L, SPEC, SETS[i]), -1), LUA_TTABLE);
        *slots[i] = lua_gettop(L);
    }
    lua_getfield(L, SPEC, "title_word");
    x->title_word = lua_tolstring(L, -1, &x->title_n);
    int ntables = (int)lua_rawlen(L, x->spec_tables);
    lua_Integer nrows = (lua_Integer)lua_rawlen(L, ROWS);
    if (ntables > MAX_TABLES || nrows > 1 << 24) {
        lua_pushnil(L);
        return 1;
    }
    /* scratch owned by Lua: a raise frees it */
    if (!load(x, nrows)) {
        lua_pushnil(L);
        return 1;
    }
    item *items = lua_newuserdatauv(L, (size_t)(nrows + 1) * sizeof *items, 0);
    int *heads = lua_newuserdatauv(L, (size_t)(nrows + 1) * sizeof *heads, 0);
    int nitems = 0;
    if (!classify(x, nrows, stop, ntables, items, &nitems, heads)) {
        lua_pushnil(L);
        return 1;
    }
    lua_createtable(L, (int)fe->format->ncells, 0);
    nb_cell_bundle_push(L, fe->format, -1, 0, false);
    if (!place(x, items, nitems, heads, fe->format))
        lua_pushnil(L);
    return 1;
}

void nb_csv_place_register(lua_State *L, nb_host *h)
{
    lua_pushlightuserdata(L, h);
    lua_pushcclosure(L, api_csv_place, 1);
    lua_setfield(L, -2, "csv_place");
}
