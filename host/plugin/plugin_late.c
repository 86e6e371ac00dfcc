/* See plugin_late.h.  The file runs late in a thread of its own, within
 * the call that looked its format up (its instruction budget, time limit
 * and memory ceiling, none of them reset), with the stack it would have had
 * at start: host.format's traceback, kept for an error of its rules
 * (lua/lua_format_late.c), reads the same. */
#include "plugin/plugin_late.h"
#include "plugin/plugin_host.h"
#include "base/data_dir.h"
#include "base/xalloc.h"
#include "base/file_bytes.h"
#include "model/format_sketch_bytes.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* True when the lib modules c's file used at build time are as built. */
static bool libs_unchanged(const nb_builtin_chunk *c)
{
    for (const char *const *rel = c->libs; *rel; rel++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", nb_data_dir(), *rel);
        nb_strbuf src;
        nb_sb_init(&src);
        nb_sb_puts(&src, "");
        bool same = nb_file_read(path, &src) == NB_FILE_OK && nb_lua_builtin_unchanged(path, src.data, src.len);
        nb_sb_free(&src);
        if (!same)
            return false;
    }
    return true;
}

/* Runs the file of e (raises): see registry.h, run_late. */
static void run_late(nb_host *h, nb_format_entry *e)
{
    lua_State *L = h->sb->L;
    const char *path = e->format->source_file;
    luaL_checkstack(L, 2, "format file");
    lua_State *co = nb_sandbox_thread(L);
    lua_pushcfunction(co, nb_plugin_run_chunk);
    if (nb_lua_load_file(co, path, (const char *)e->unrun->src, e->unrun->src_len) != LUA_OK) {
        lua_xmove(co, L, 1);
        lua_settop(co, 0);
        lua_error(L);
    }
    lua_pushlightuserdata(co, h);
    const char *file = h->current_file;
    bool open = h->registration_open, late = h->late_format;
    nb_format_entry *outer = h->late_entry;
    h->current_file = path;
    h->registration_open = h->late_format = true;
    h->late_entry = e;
    /* as at start: what a built-in file allocates it registers (plugin_host.c) */
    bool rest = lua_gc(L, LUA_GCISRUNNING);
    if (rest)
        lua_gc(L, LUA_GCSTOP);
    int nres, status = nb_sandbox_resume(co, L, 2, &nres);
    if (rest)
        lua_gc(L, LUA_GCRESTART);
    h->current_file = file;
    h->registration_open = open;
    h->late_format = late;
    h->late_entry = outer;
    if (status != LUA_OK && status != LUA_YIELD) {
        lua_xmove(co, L, 1);
        lua_error(L);
    }
    lua_settop(co, 0);
    if (status != LUA_OK || e->decl_ref == LUA_NOREF)
        luaL_error(L, "%s：格式文件没有注册格式 '%s'", path, e->format->id);
    e->unrun = NULL;
}

bool nb_plugin_sketch(nb_host *h, const char *path, const nb_builtin_chunk *c)
{
    if (!c->sketch || !libs_unchanged(c))
        return false;
    nb_format *f = nb_sketch_from_bytes(c->sketch, c->sketch_len, path);
    if (!f)
        return false;
    h->formats = nb_xrealloc(h->formats, (h->nformats + 1) * sizeof *h->formats);
    nb_format_entry *e = &h->formats[h->nformats++];
    e->format = e->sketch = f;
    e->decl_ref = LUA_NOREF;
    e->rules_where = e->rules_trace = NULL;
    e->unrun = c;
    h->run_late = run_late;
    if (getenv("NIANBAO_LOAD_TRACE"))
        fprintf(stderr, "nianbao: %s 的格式草图在构建时做好：文件在首次查找时运行\n", path);
    return true;
}
