/* See lua_format_late.h. */
#include "lua/lua_format_late.h"
#include "lua/lua_format.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* (declaration, format) */
static int build_rules_raw(lua_State *L)
{
    nb_lua_build_format_rules(L, 1, lua_touserdata(L, 2));
    return 0;
}

/* (declaration, format, where): nothing, or the message registration would
 * have raised (its plugin line in front, its traceback after); a stop of the
 * sandbox (memory, budget) is raised on as it is. */
static int build_rules(lua_State *L)
{
    lua_pushcfunction(L, build_rules_raw);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    if (lua_pcall(L, 2, 0, 0) == LUA_OK)
        return 0;
    if (lua_type(L, -1) != LUA_TSTRING)
        return lua_error(L);
    lua_pushvalue(L, 3);
    lua_insert(L, -2);
    lua_concat(L, 2);
    return 1;
}

bool nb_host_format_rules(nb_host *h, const nb_format *f, nb_strbuf *err)
{
    nb_format_entry *e = NULL;
    for (size_t i = 0; i < h->nformats; i++)
        e = h->formats[i].format == f ? &h->formats[i] : e;
    if (!e || !e->rules_where)
        return true;
    lua_State *L = h->sb->L;
    luaL_checkstack(L, 4, "format rules");
    lua_pushcfunction(L, build_rules);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->decl_ref);
    lua_pushlightuserdata(L, e->format);
    lua_pushstring(L, e->rules_where);
    int status = nb_sandbox_call(h->sb, 3, 1);
    if (status == LUA_OK && lua_isnil(L, -1)) {
        lua_pop(L, 1);
        if (getenv("NIANBAO_LOAD_TRACE"))
            fprintf(stderr, "nianbao: 格式 %s 的规则在首次使用时编译\n", f->id);
        free(e->rules_where);
        free(e->rules_trace);
        e->rules_where = e->rules_trace = NULL;
        return true;
    }
    e->format->nrules = 0;
    if (status == LUA_OK) { /* as the sandbox's handler adds it */
        lua_pushstring(L, e->rules_trace);
        lua_concat(L, 2);
    }
    /* as plugin_host.c words a registration's error */
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
    if (strncmp(msg, f->source_file, strlen(f->source_file)) == 0)
        nb_sb_puts(err, "插件出错：");
    else
        nb_sb_printf(err, "插件出错：%s: ", f->source_file);
    nb_host_error(h, f->source_file, err);
    return false;
}
