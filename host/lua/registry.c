/* See registry.h. */
#include "lua/registry.h"
#include "base/xalloc.h"
#include "lua/lua_format.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_host_free(nb_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nformats; i++) {
        if (h->formats[i].format != h->formats[i].sketch)
            nb_format_free(h->formats[i].sketch);
        nb_format_free(h->formats[i].format);
        free(h->formats[i].rules_where);
        free(h->formats[i].rules_trace);
    }
    for (size_t i = 0; i < h->nimporters; i++) {
        nb_importer *imp = &h->importers[i];
        free((char *)imp->id);
        free((char *)imp->description);
        free((char *)imp->file);
        for (size_t k = 0; k < imp->nextensions; k++)
            free(imp->extensions[k]);
        free(imp->extensions);
    }
    for (size_t i = 0; i < h->nrenderers; i++) {
        nb_renderer *r = &h->renderers[i];
        free((char *)r->id);
        free((char *)r->description);
        free((char *)r->file);
        free((char *)r->extension);
    }
    for (size_t i = 0; i < h->nplugin_files; i++)
        free(h->plugin_files[i]);
    for (size_t i = 0; i < h->ntemplate_dirs; i++)
        free(h->template_dirs[i]);
    free(h->formats);
    free(h->importers);
    free(h->renderers);
    free(h->plugin_files);
    free(h->template_dirs);
    if (h->lazy_free)
        h->lazy_free(h->lazy);
    nb_sandbox_free(h->sb);
    free(h);
}

const nb_format_entry *nb_host_format_entry(const nb_host *h, const char *id)
{
    for (size_t i = 0; i < h->nformats; i++)
        if (strcmp(h->formats[i].format->id, id) == 0)
            return &h->formats[i];
    return NULL;
}

/* (host, entry, full): the entry's file run if it has not run (its sketch
 * made at build time), then, full, its format built in full from its
 * declaration; rules stay late */
static int complete(lua_State *L)
{
    nb_host *h = lua_touserdata(L, 1);
    nb_format_entry *e = lua_touserdata(L, 2);
    if (e->unrun)
        h->run_late(h, e);
    if (lua_toboolean(L, 3) && e->format == e->sketch) {
        lua_rawgeti(L, LUA_REGISTRYINDEX, e->decl_ref);
        e->format = nb_lua_build_format(L, -1, e->sketch->source_file, false);
        if (getenv("NIANBAO_LOAD_TRACE"))
            fprintf(stderr, "nianbao: 格式 %s 在首次查找时完整建立\n", e->format->id);
    }
    return 0;
}

/* found, its file run if it had not, and (full) built in full if it is a
 * sketch.  A lookup completes what it finds: the entry is the host's own
 * (h is const to the many readers of formats that look up only).  Once
 * the file has run no plugin code runs: the declaration is data.  A
 * failure (memory) is raised, in a call as that call's error, else to the
 * state's panic (exit 2). */
static const nb_format_entry *completed(const nb_host *h, const nb_format_entry *found, bool full)
{
    if (!found || (!found->unrun && (!full || found->format != found->sketch)))
        return found;
    lua_State *L = h->sb->L;
    lua_pushcfunction(L, complete);
    lua_pushlightuserdata(L, (void *)h);
    lua_pushlightuserdata(L, (void *)found);
    lua_pushboolean(L, full);
    lua_call(L, 3, 0);
    return found;
}

static const nb_format_entry *in_full(const nb_host *h, const nb_format_entry *found)
{
    return completed(h, found, true);
}

const nb_format_entry *nb_host_format(const nb_host *h, const char *id)
{
    return in_full(h, nb_host_format_entry(h, id));
}

const nb_format_entry *nb_host_format_declared(const nb_host *h, const char *id)
{
    return completed(h, nb_host_format_entry(h, id), false);
}

const nb_format_entry *nb_host_format_for_year(const nb_host *h, int year)
{
    /* the newest format covering the year wins: a plugin adding gov-2026
     * supersedes the open-ended gov-2021 without editing it */
    const nb_format_entry *best = NULL;
    for (size_t i = 0; i < h->nformats; i++) {
        const nb_format *f = h->formats[i].format;
        if (f->year_from && year >= f->year_from && (!f->year_to || year <= f->year_to) &&
            (!best || f->year_from > best->format->year_from))
            best = &h->formats[i];
    }
    return in_full(h, best);
}

const nb_importer *nb_host_importer(const nb_host *h, const char *id)
{
    for (size_t i = 0; i < h->nimporters; i++)
        if (strcmp(h->importers[i].id, id) == 0)
            return &h->importers[i];
    return NULL;
}

const nb_renderer *nb_host_renderer(const nb_host *h, const char *id)
{
    for (size_t i = 0; i < h->nrenderers; i++)
        if (strcmp(h->renderers[i].id, id) == 0)
            return &h->renderers[i];
    return NULL;
}

/* The body of nb_host_error, run protected: (error, err, source).  Raw
 * access and type checks, so no metamethod of a plugin's error object runs. */
static int format_error(lua_State *L)
{
    nb_strbuf *err = lua_touserdata(L, 2);
    const char *source = lua_touserdata(L, 3);
    if (lua_type(L, 1) == LUA_TTABLE) {
        lua_pushliteral(L, "line");
        lua_rawget(L, 1);
        long line = lua_isinteger(L, -1) ? (long)lua_tointeger(L, -1) : 0;
        lua_pushliteral(L, "message");
        lua_rawget(L, 1);
        const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (line > 0)
            nb_sb_printf(err, "%s:%ld: %s\n", source, line, msg ? msg : "输入有误");
        else
            nb_sb_printf(err, "%s: %s\n", source, msg ? msg : "输入有误");
        return 0;
    }
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    nb_sb_printf(err, "%s\n", msg ? msg : "（没有说明）");
    return 0;
}

void nb_host_error(nb_host *h, const char *source, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    lua_pushcfunction(L, format_error);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, err);
    lua_pushlightuserdata(L, (void *)source);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
        nb_sb_puts(err, "（内存不足，无法读出错误信息）\n");
        lua_pop(L, 1);
    }
}
