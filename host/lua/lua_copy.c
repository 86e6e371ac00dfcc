/* See lua_copy.h. */
#include "lua/lua_copy.h"
#include <lauxlib.h>
#include <limits.h>

/* memo: table index of original → copy, so cycles and shared subtables keep their shape */
static void copy_value(lua_State *L, int idx, int memo, int depth, bool refuse_meta, const char *what)
{
    if (lua_type(L, idx) != LUA_TTABLE) {
        lua_pushvalue(L, idx);
        return;
    }
    if (depth > NB_COPY_DEPTH_MAX)
        luaL_error(L, "%s：嵌套超过%d层", what, NB_COPY_DEPTH_MAX);
    luaL_checkstack(L, 6, "table copy");
    if (refuse_meta && lua_getmetatable(L, idx))
        luaL_error(L, "%s：声明用的表不能带元表（metatable）", what);
    lua_pushvalue(L, idx);
    if (lua_rawget(L, memo) == LUA_TTABLE)
        return;
    lua_pop(L, 1);
    /* made at its size: a declaration is thousands of small tables, each
     * grown one rehash at a time otherwise (every start copies them) */
    lua_Unsigned narr = lua_rawlen(L, idx), n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        n++;
        lua_pop(L, 1);
    }
    lua_createtable(L, narr < INT_MAX ? (int)narr : 0, n > narr && n - narr < INT_MAX ? (int)(n - narr) : 0);
    int copy = lua_gettop(L);
    lua_pushvalue(L, idx);
    lua_pushvalue(L, copy);
    lua_rawset(L, memo);
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        int v = lua_gettop(L);
        if (lua_type(L, v - 1) != LUA_TTABLE && lua_type(L, v) != LUA_TTABLE) {
            /* most entries: a string or number under a name or index, set as they are */
            lua_pushvalue(L, v - 1);
            lua_insert(L, v);
            lua_rawset(L, copy);
            continue;
        }
        copy_value(L, v - 1, memo, depth + 1, refuse_meta, what); /* key */
        copy_value(L, v, memo, depth + 1, refuse_meta, what);     /* value */
        lua_rawset(L, copy);
        lua_pop(L, 1);
    }
}

void nb_lua_deep_copy(lua_State *L, int idx, bool refuse_meta, const char *what)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 4, "table copy");
    lua_newtable(L);
    int memo = lua_gettop(L);
    copy_value(L, idx, memo, 0, refuse_meta, what);
    lua_remove(L, memo);
}
