/* See lua_lib.h.  A module is a chunk run once per plugin file, in a fresh
 * sandbox environment, with that plugin's host table as its argument; what
 * it returns is cached beside that host table (upvalues of its host.lib),
 * so a plugin that changes a module or its own host table changes nothing
 * for another plugin.  The file is read into a Lua-owned buffer before
 * anything can raise, so no descriptor or allocation leaks on error. */
#include "api/lua_lib.h"
#include "lua/lua_sandbox.h"
#include "lua/lua_builtin.h"
#include "base/data_dir.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>


static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
            return false;
    return true;
}

/* Registry keys: the chunks of built-in modules as built, by path; and a
 * function that returns a closure with an upvalue of its own. */
static const char CHUNKS_KEY = 'c', FRESH_KEY = 'f';

/* Pushes a new closure whose upvalue 1 is its own (initially nil). */
static void push_fresh_upvalue(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &FRESH_KEY) != LUA_TFUNCTION) {
        lua_pop(L, 1);
        if (luaL_loadstring(L, "local e return function() return e end") != LUA_OK)
            lua_error(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &FRESH_KEY);
    }
    lua_call(L, 0, 1);
}

/* Pushes the chunk of the module file at path (its bytes src), or returns
 * the load's error status with the message pushed.  A built-in module as
 * built is undumped once per process and its chunk kept: the modules of
 * several plugin files run the same chunk, each with its own environment,
 * its _ENV upvalue pointed at a fresh one (lua_upvaluejoin) before the
 * caller sets it; the functions a run makes keep the upvalue they were made
 * with, so no file's module sees another's environment.  Any other file is
 * loaded each time. */
static int push_chunk(lua_State *L, const char *path, const char *src, size_t len)
{
    if (!nb_lua_builtin_unchanged(path, src, len))
        return nb_lua_load_file(L, path, src, len);
    luaL_checkstack(L, 4, "lib chunk");
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &CHUNKS_KEY) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &CHUNKS_KEY);
    }
    if (lua_getfield(L, -1, path) == LUA_TFUNCTION) {
        push_fresh_upvalue(L);
        lua_upvaluejoin(L, -2, 1, -1, 1);
        lua_pop(L, 1);
        lua_remove(L, -2);
        return LUA_OK;
    }
    lua_pop(L, 1);
    int status = nb_lua_load_file(L, path, src, len);
    if (status == LUA_OK) {
        lua_pushvalue(L, -1);
        lua_setfield(L, -3, path);
    }
    lua_remove(L, -2);
    return status;
}

/* upvalue 1: the cache of this host table's modules; upvalue 2: the host table */
static int lib_load(lua_State *L)
{
    const char *name = luaL_checkstring(L, 1);
    if (!valid_name(name))
        return luaL_error(L, "host.lib：'%s' 不是模块名（模块名只能由小写字母、数字和 _ 组成）", name);
    lua_pushvalue(L, lua_upvalueindex(1));
    int cache = lua_gettop(L);
    int t = lua_getfield(L, cache, name);
    if (t == LUA_TBOOLEAN && !lua_toboolean(L, -1))
        return luaL_error(L, "host.lib：模块 '%s' 在加载过程中又引用了自己（循环引用）", name);
    if (t != LUA_TNIL)
        return 1;
    lua_pop(L, 1);

    char path[PATH_MAX];
    snprintf(path, sizeof path, "%s/lib/%s.lua", nb_data_dir(), name);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return luaL_error(L, "host.lib：没有模块 '%s'（找不到 %s）", name, path);
    size_t size = (size_t)st.st_size;
    char *buf = lua_newuserdatauv(L, size ? size : 1, 0);
    FILE *fp = fopen(path, "rb");
    size_t got = fp ? fread(buf, 1, size, fp) : 0;
    if (fp)
        fclose(fp);
    if (got != size)
        return luaL_error(L, "host.lib：无法读取 %s", path);
    if (push_chunk(L, path, buf, size) != LUA_OK)
        return lua_error(L);
    nb_sandbox_push_env(L);
    lua_setupvalue(L, -2, 1);
    lua_pushboolean(L, 0); /* marks the module as loading */
    lua_setfield(L, cache, name);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_call(L, 1, 1);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        lua_pushboolean(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_setfield(L, cache, name);
    return 1;
}

void nb_lib_register(lua_State *L)
{
    lua_newtable(L);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, lib_load, 2);
    lua_setfield(L, -2, "lib");
}
