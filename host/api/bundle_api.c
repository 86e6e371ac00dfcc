/* host.cell_bundle(format) and host.bundle_row(bundle, table, row, values,
 * offset, line): an importer that finds a row by its label in Lua (CSV,
 * Markdown) hands its cells over in a cell bundle (lua/cell_bundle.h), one
 * call a row, instead of a Lua table keyed by column id for each row that
 * host/lua/lua_report.c then walked twice (its cells, then its keys for
 * ids the format does not know): that was a quarter of importing such a
 * report (bench (h)).  Which label names which row stays with the
 * importer; this file knows only the format's tables, rows and columns. */
#include "api/bundle_api.h"
#include "lua/cell_bundle.h"
#include <lauxlib.h>

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

/* cell_bundle(format) -> an empty bundle for that format.  Its user value
 * is a table keeping each cell's string alive, at the cell's index + 1 (a
 * cell set again lets its old string go). */
static int api_cell_bundle(lua_State *L)
{
    const char *id = luaL_checkstring(L, 1);
    const nb_format_entry *e = nb_host_format(host_of(L), id);
    if (!e)
        return luaL_error(L, "cell_bundle：没有格式 '%s'", id);
    lua_createtable(L, (int)e->format->ncells, 0);
    nb_cell_bundle_push(L, e->format, -1, 0, false);
    return 1;
}

void nb_bundle_put_row(lua_State *L, int bundle, const nb_table *tb, int ri, int values, lua_Integer off, uint32_t line)
{
    nb_cell_bundle *b = nb_cell_bundle_test(L, bundle);
    const nb_format *f = nb_cell_bundle_format(b);
    const nb_row *row = &tb->rows[ri];
    const nb_block *bl = &tb->blocks[row->block];
    luaL_checkstack(L, 3, NULL);
    lua_getiuservalue(L, bundle, 1); /* the strings kept alive */
    int keep = lua_gettop(L);
    for (size_t j = 0; j < bl->ncols; j++) {
        size_t cell = row->cell_first + j, n = 0;
        int type = lua_rawgeti(L, values, off + (lua_Integer)j + 1);
        if (type == LUA_TNIL) {
            lua_pop(L, 1);
            nb_cell_bundle_set(b, cell, "", 0, line);
            continue;
        }
        if (type != LUA_TSTRING)
            luaL_error(L, "导入插件给 %s.%s.%s 的是 %s；格应是原样的字符串（空格为 nil）", tb->id, row->id,
                       tb->cols[bl->col_first + j].id, luaL_typename(L, -1));
        const char *s = lua_tolstring(L, -1, &n);
        nb_cell_bundle_set(b, cell, s, n, line);
        lua_rawseti(L, keep, (lua_Integer)cell + 1);
    }
    lua_pop(L, 1);
    nb_cell_bundle_give(b, (size_t)(tb - f->tables));
}

/* bundle_row(bundle, table, row, values, offset, line): the cells of data
 * row `row` of table `table` are values[offset + j] for its block's
 * columns j = 1…, nil read as "", every one on line `line`, as
 * host.row_cells(ids, values, offset, line) gives them in report.tables;
 * the table counts as given. */
static int api_bundle_row(lua_State *L)
{
    nb_cell_bundle *b = nb_cell_bundle_test(L, 1);
    if (!b)
        return luaL_typeerror(L, 1, "cell bundle");
    const char *tid = luaL_checkstring(L, 2), *rid = luaL_checkstring(L, 3);
    luaL_checktype(L, 4, LUA_TTABLE);
    lua_Integer off = luaL_checkinteger(L, 5), line = luaL_checkinteger(L, 6);
    const nb_format *f = nb_cell_bundle_format(b);
    const nb_table *tb = nb_format_table(f, tid);
    int ri = tb ? nb_table_row(tb, rid) : -1;
    if (ri < 0 || !tb->rows[ri].data)
        return luaL_error(L, "bundle_row：格式 %s 的表 %s 没有数据行 '%s'", f->id, tid, rid);
    lua_settop(L, 6);
    nb_bundle_put_row(L, 1, tb, ri, 4, off, (uint32_t)line);
    return 0;
}

void nb_bundle_api_register(lua_State *L, nb_host *h)
{
    static const luaL_Reg fns[] = {{"cell_bundle", api_cell_bundle}, {"bundle_row", api_bundle_row}, {NULL, NULL}};
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, fns, 1);
}
