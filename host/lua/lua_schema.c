/* See lua_schema.h. */
#include "lua/lua_schema.h"
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

void nb_schema_check(lua_State *L, int idx, const nb_field *fields, const char *path)
{
    nb_schema_read(L, idx, fields, path, NULL);
}

void nb_schema_read(lua_State *L, int idx, const nb_field *fields, const char *path, nb_schema_value *out)
{
    idx = lua_absindex(L, idx);
    if (lua_type(L, idx) != LUA_TTABLE)
        luaL_error(L, "%s：应为表（table），而不是 %s", path, luaL_typename(L, idx));
    /* a metatable would run plugin code in the middle of a C walk (__index on an optional key) */
    if (lua_getmetatable(L, idx))
        luaL_error(L, "%s：声明用的表不能带元表（metatable）", path);
    if (out)
        for (const nb_field *f = fields; f->key; f++)
            out[f - fields] = (nb_schema_value){.type = LUA_TNIL};
    /* the fields the walk met (lua_next gives no nil value), so a required
     * one is known present without looking it up again: a declaration is
     * hundreds of checked tables at each start */
    uint64_t seen = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "%s：有数组元素或不是字符串的键（请用具名字段）", path);
        const char *k = lua_tostring(L, -2);
        const nb_field *f = fields;
        while (f->key && (f->key[0] != k[0] || strcmp(f->key, k) != 0))
            f++;
        if (!f->key)
            luaL_error(L, "%s：未知的键 '%s'", path, k);
        int t = lua_type(L, -1);
        if (f->type != LUA_TNONE && t != f->type)
            luaL_error(L, "%s：'%s' 应为 %s，而不是 %s", path, k, lua_typename(L, f->type), lua_typename(L, t));
        if (f->type == LUA_TNUMBER && !lua_isinteger(L, -1))
            luaL_error(L, "%s：'%s' 应为整数", path, k);
        seen |= (uint64_t)1 << (f - fields);
        if (out) {
            nb_schema_value *v = &out[f - fields];
            v->type = t;
            if (t == LUA_TSTRING)
                v->s = lua_tostring(L, -1);
            else if (lua_isinteger(L, -1))
                v->i = lua_tointeger(L, -1);
        }
        lua_pop(L, 1);
    }
    for (const nb_field *f = fields; f->key; f++) {
        if (f->required && !(seen >> (f - fields) & 1))
            luaL_error(L, "%s：缺少必需的键 '%s'", path, f->key);
    }
}

const char *nb_schema_string(lua_State *L, int idx, const char *key)
{
    lua_getfield(L, idx, key);
    const char *s = lua_tostring(L, -1); /* stays alive: the table holds it */
    lua_pop(L, 1);
    return s;
}

long long nb_schema_int(lua_State *L, int idx, const char *key, long long dflt)
{
    lua_getfield(L, idx, key);
    long long v = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

bool nb_schema_bool(lua_State *L, int idx, const char *key, bool dflt)
{
    lua_getfield(L, idx, key);
    bool v = lua_isboolean(L, -1) ? lua_toboolean(L, -1) : dflt;
    lua_pop(L, 1);
    return v;
}

size_t nb_schema_strings(lua_State *L, int idx, const char *key, const char *path)
{
    if (lua_getfield(L, idx, key) == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    if (!lua_istable(L, -1))
        luaL_error(L, "%s：'%s' 应为字符串列表", path, key);
    size_t n = lua_rawlen(L, -1);
    for (size_t i = 1; i <= n; i++) {
        if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
            luaL_error(L, "%s：'%s'[%d] 应为字符串", path, key, (int)i);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}
