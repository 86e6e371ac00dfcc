/* The report table a Lua-function rule receives (lua_report.h): the
 * renderer's table, except that report.tables and each report.tables[t]
 * are filled when first read.  Why: a rule reads a handful of the report's
 * hundreds of cells (TXT-NUM the cells of the quantities the text mentions,
 * XY-* six), and building every cell for every report was a fifth of what
 * the rules cost.  Reading by index fills one table or one row; pairs fills
 * them all first, so a rule sees the same keys and values as before. */
#include "lua/lua_report.h"
#include <lauxlib.h>
#include <string.h>

typedef struct {
    const nb_report *r; /* NULL once closed */
} view;

/* the report of the view in upvalue 1, or a plugin error once it is gone */
static const nb_report *report_of(lua_State *L)
{
    const view *v = lua_touserdata(L, lua_upvalueindex(1));
    if (!v->r)
        luaL_error(L, "规则在检查结束后才读取报告的表格：规则不能把报告留到以后再读");
    return v->r;
}

/* the string key at idx, or NULL (a key with a NUL names no id) */
static const char *key_of(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TSTRING)
        return NULL;
    size_t n;
    const char *s = lua_tolstring(L, idx, &n);
    return strlen(s) == n ? s : NULL;
}

/* pairs(t): the raw table walk, once every entry is filled */
static int raw_next(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 2);
    if (lua_next(L, 1))
        return 2;
    lua_pushnil(L);
    return 1;
}

/* t[key] without metamethods: is it filled? (pushes the value) */
static int raw_field(lua_State *L, int t, const char *key)
{
    lua_pushstring(L, key);
    return lua_rawget(L, t);
}

static void push_pairs(lua_State *L)
{
    lua_pushcfunction(L, raw_next);
    lua_pushvalue(L, 1);
    lua_pushnil(L);
}

/* sets on the table at the top a metatable whose __index and __pairs are
 * closures of the view (upvalue 1 of the running function, or the handle
 * at view_idx) and, for a table's rows, the table's index */
static void set_lazy(lua_State *L, int view_idx, lua_CFunction index, lua_CFunction pairs, lua_Integer t)
{
    int nup = t >= 0 ? 2 : 1;
    luaL_checkstack(L, 5, "report view");
    lua_createtable(L, 0, 3);
    lua_pushvalue(L, view_idx);
    if (t >= 0)
        lua_pushinteger(L, t);
    lua_pushcclosure(L, index, nup);
    lua_setfield(L, -2, "__index");
    lua_pushvalue(L, view_idx);
    if (t >= 0)
        lua_pushinteger(L, t);
    lua_pushcclosure(L, pairs, nup);
    lua_setfield(L, -2, "__pairs");
    lua_pushboolean(L, 0); /* getmetatable gives false, setmetatable refuses: the view stays as built */
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, -2);
}

/* rows[id] of table upvalue 2: the row built and kept, nil when no data row has that id */
static int rows_index(lua_State *L)
{
    const nb_report *r = report_of(L);
    const nb_table *tb = &r->format->tables[lua_tointeger(L, lua_upvalueindex(2))];
    const char *id = key_of(L, 2);
    int ri = id ? nb_table_row(tb, id) : -1;
    if (ri < 0 || !tb->rows[ri].data)
        return 0;
    nb_lua_push_row(L, r, tb, &tb->rows[ri]);
    lua_pushvalue(L, 2);
    lua_pushvalue(L, -2);
    lua_rawset(L, 1);
    return 1;
}

static int rows_pairs(lua_State *L)
{
    const nb_report *r = report_of(L);
    const nb_table *tb = &r->format->tables[lua_tointeger(L, lua_upvalueindex(2))];
    luaL_checkstack(L, 4, "report view");
    for (size_t ri = 0; ri < tb->nrows; ri++) {
        const nb_row *row = &tb->rows[ri];
        if (!row->data)
            continue;
        int filled = raw_field(L, 1, row->id) != LUA_TNIL;
        lua_pop(L, 1);
        if (filled)
            continue;
        nb_lua_push_row(L, r, tb, row);
        lua_pushstring(L, row->id);
        lua_insert(L, -2);
        lua_rawset(L, 1);
    }
    push_pairs(L);
    return 3;
}

/* pushes table t's rows, filled on demand, and keeps them in the tables at idx */
static void fill_table(lua_State *L, int idx, const nb_report *r, size_t t)
{
    luaL_checkstack(L, 3, "report view");
    lua_createtable(L, 0, 0);
    set_lazy(L, lua_upvalueindex(1), rows_index, rows_pairs, (lua_Integer)t);
    lua_pushstring(L, r->format->tables[t].id);
    lua_pushvalue(L, -2);
    lua_rawset(L, idx);
}

static int tables_index(lua_State *L)
{
    const nb_report *r = report_of(L);
    const char *id = key_of(L, 2);
    const nb_table *tb = id ? nb_format_table(r->format, id) : NULL;
    if (!tb)
        return 0;
    fill_table(L, 1, r, (size_t)(tb - r->format->tables));
    return 1;
}

static int tables_pairs(lua_State *L)
{
    const nb_report *r = report_of(L);
    luaL_checkstack(L, 2, "report view");
    for (size_t t = 0; t < r->format->ntables; t++) {
        if (raw_field(L, 1, r->format->tables[t].id) == LUA_TNIL)
            fill_table(L, 1, r, t);
        lua_pop(L, 1);
    }
    push_pairs(L);
    return 3;
}

void nb_lua_view_push(lua_State *L, const nb_report *r)
{
    luaL_checkstack(L, 3, "report view");
    view *v = lua_newuserdatauv(L, sizeof *v, 1);
    v->r = r;
    int handle = lua_gettop(L);
    lua_createtable(L, 0, (int)r->format->ntables);
    set_lazy(L, handle, tables_index, tables_pairs, -1);
    nb_lua_push_report_with(L, r, -1);
    lua_setiuservalue(L, handle, 1);
    lua_pop(L, 1);
}

void nb_lua_view_table(lua_State *L, int handle) { lua_getiuservalue(L, handle, 1); }

void nb_lua_view_close(lua_State *L, int handle)
{
    view *v = lua_touserdata(L, handle);
    v->r = NULL;
}
