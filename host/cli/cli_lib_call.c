/* See cli_lib_call.h. */
#include "cli/cli_lib_call.h"
#include "api/api_modules.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    nb_host *h;
    const char *lib, *fn;
    nb_cli_push_args push;
    void *ud;
} lib_call;

static int call(lua_State *L)
{
    lib_call *c = lua_touserdata(L, 1);
    nb_api_push(L, c->h);
    lua_getfield(L, -1, "lib");
    lua_pushstring(L, c->lib);
    lua_call(L, 1, 1);
    if (!lua_istable(L, -1) || lua_getfield(L, -1, c->fn) != LUA_TFUNCTION)
        return luaL_error(L, "lib/%s.lua 中没有函数 %s：nianbao 的 lib 目录与程序不配套，请重新安装", c->lib, c->fn);
    luaL_checkstack(L, 8, "lib call arguments");
    int n = c->push(L, c->h, c->ud);
    lua_call(L, n, 1);
    if (lua_type(L, -1) != LUA_TSTRING)
        return luaL_error(L, "lib/%s.lua：%s 返回的是 %s，而应是字符串", c->lib, c->fn, luaL_typename(L, -1));
    return 1;
}

char *nb_cli_lib_string(nb_host *h, const char *lib, const char *fn, nb_cli_push_args push, void *ud, size_t *len,
                        nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    lib_call c = {.h = h, .lib = lib, .fn = fn, .push = push, .ud = ud};
    lua_pushcfunction(L, call);
    lua_pushlightuserdata(L, &c);
    if (nb_sandbox_call(h->sb, 1, 1) != LUA_OK) {
        char src[64];
        snprintf(src, sizeof src, "lib/%s.lua", lib);
        nb_host_error(h, src, err);
        return NULL;
    }
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    char *out = malloc(n + 1);
    if (!out)
        abort();
    memcpy(out, s, n + 1);
    *len = n;
    lua_pop(L, 1);
    return out;
}
