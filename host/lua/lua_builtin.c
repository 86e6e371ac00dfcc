/* See lua_builtin.h. */
#include "lua/lua_builtin.h"
#include "lua/lua_bytecode.h"
#include "base/data_dir.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const nb_builtin_chunk *nb_lua_builtin_chunk(const char *path, const char *src, size_t len)
{
    const char *dir = nb_data_dir();
    size_t n = strlen(dir);
    if (strncmp(path, dir, n) != 0 || path[n] != '/')
        return NULL;
    for (size_t i = 0; i < nb_builtin_nchunks; i++) {
        const nb_builtin_chunk *c = &nb_builtin_chunks[i];
        if (strcmp(path + n + 1, c->rel) == 0)
            return c->src_len == len && memcmp(c->src, src, len) == 0 ? c : NULL;
    }
    return NULL;
}

bool nb_lua_builtin_unchanged(const char *path, const char *src, size_t len)
{
    return nb_lua_builtin_chunk(path, src, len) != NULL;
}

int nb_lua_load_file(lua_State *L, const char *path, const char *src, size_t len)
{
    char name[PATH_MAX + 1];
    snprintf(name, sizeof name, "@%s", path);
    const nb_builtin_chunk *c = nb_lua_builtin_chunk(path, src, len);
    int status = c ? nb_bc_load(L, c->dump, c->dump_len, c->name_at, c->name_end, name) : LUA_ERRSYNTAX;
    bool precompiled = status == LUA_OK || status == LUA_ERRMEM; /* out of memory: so would the text be */
    if (c && !precompiled)
        lua_pop(L, 1); /* this liblua reads dumps otherwise: the text is compiled */
    if (getenv("NIANBAO_LOAD_TRACE"))
        fprintf(stderr, "nianbao: %s %s\n", path, precompiled ? "载入预编译的字节码" : "从源码编译");
    return precompiled ? status : luaL_loadbufferx(L, src, len, name, "t");
}
