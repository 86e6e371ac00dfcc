/* See lua_values.h. */
#include "lua/lua_values.h"

static const char JSON_NULL_KEY = 'N';

void nb_push_json_null(lua_State *L) { lua_pushlightuserdata(L, (void *)&JSON_NULL_KEY); }
int nb_is_json_null(lua_State *L, int idx)
{
    return lua_islightuserdata(L, idx) && lua_touserdata(L, idx) == (void *)&JSON_NULL_KEY;
}

int nb_raise_input_error(lua_State *L, lua_Integer line, const char *msg)
{
    lua_createtable(L, 0, 3);
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_pushstring(L, msg);
    lua_setfield(L, -2, "message");
    lua_pushboolean(L, 1);
    lua_setfield(L, -2, "input_error");
    return lua_error(L);
}
