/* See plugin_host.h.  Plugins are loaded in a fixed order (directory, then
 * sorted relative path) so registration and its errors are reproducible. */
#include "plugin_host.h"
#include "host_api.h"
#include "lua_import_api.h"
#include "lua_format.h"
#include "lua_lib.h"
#include "lua_schema.h"
#include "rules.h"
#include "text_place.h"
#include "text_scan.h"
#include "xalloc.h"
#include "zip_writer.h"
#include <dirent.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const nb_field IMPORTER_FIELDS[] = {
    {"id", LUA_TSTRING, true},        {"description", LUA_TSTRING, true}, {"extensions", LUA_TTABLE, false},
    {"detect", LUA_TFUNCTION, false}, {"import", LUA_TFUNCTION, true},    {NULL, 0, false}};
static const nb_field RENDERER_FIELDS[] = {
    {"id", LUA_TSTRING, true},         {"description", LUA_TSTRING, true}, {"extension", LUA_TSTRING, true},
    {"render", LUA_TFUNCTION, true},   {NULL, 0, false}};

const char *nb_data_dir(void)
{
    static char dir[PATH_MAX];
    const char *env = getenv("NIANBAO_DATA_DIR");
    if (env && *env)
        return env;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        char real_build[PATH_MAX];
        if (realpath(NB_BUILD_DIR, real_build) && strcmp(real_build, exe) == 0) {
            snprintf(dir, sizeof dir, "%s", NB_SOURCE_DIR);
            return dir;
        }
    }
    return NB_INSTALL_DATA_DIR;
}

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

static void require_open(lua_State *L, nb_host *h, const char *what)
{
    if (!h->registration_open)
        luaL_error(L, "host.%s can only be called while the plugin file is loading", what);
}

static int api_format(lua_State *L)
{
    nb_host *h = host_of(L);
    require_open(L, h, "format");
    nb_format *f = nb_lua_build_format(L, 1, h->current_file);
    /* owned by a userdata until stored, so a raise below cannot leak it */
    if (nb_host_format(h, f->id)) {
        const char *other = nb_host_format(h, f->id)->format->source_file;
        char msg[512];
        snprintf(msg, sizeof msg, "format id '%s' is already registered by %s", f->id, other);
        nb_format_free(f);
        return luaL_error(L, "%s", msg);
    }
    h->formats = nb_xrealloc(h->formats, (h->nformats + 1) * sizeof *h->formats);
    nb_format_entry *e = &h->formats[h->nformats++];
    e->format = f;
    e->decl_ref = LUA_NOREF;
    lua_pushvalue(L, 1);
    e->decl_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static char *dup_field(lua_State *L, int idx, const char *key)
{
    const char *s = nb_schema_string(L, idx, key);
    return s ? nb_xstrdup(s) : NULL;
}

static int api_importer(lua_State *L)
{
    nb_host *h = host_of(L);
    require_open(L, h, "importer");
    nb_schema_check(L, 1, IMPORTER_FIELDS, "importer");
    size_t next = nb_schema_strings(L, 1, "extensions", "importer");
    const char *id = nb_schema_string(L, 1, "id");
    if (nb_host_importer(h, id))
        return luaL_error(L, "importer id '%s' is already registered by %s", id, nb_host_importer(h, id)->file);
    h->importers = nb_xrealloc(h->importers, (h->nimporters + 1) * sizeof *h->importers);
    nb_importer *imp = &h->importers[h->nimporters];
    memset(imp, 0, sizeof *imp);
    imp->extensions = nb_xcalloc(next + 1, sizeof *imp->extensions);
    h->nimporters++; /* counted now so nb_host_free owns what follows */
    imp->id = dup_field(L, 1, "id");
    imp->description = dup_field(L, 1, "description");
    imp->file = nb_xstrdup(h->current_file);
    lua_getfield(L, 1, "extensions");
    for (size_t i = 1; i <= next; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        imp->extensions[imp->nextensions++] = nb_xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    lua_getfield(L, 1, "import");
    imp->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    lua_getfield(L, 1, "detect");
    imp->detect_ref = lua_isnil(L, -1) ? (lua_pop(L, 1), LUA_NOREF) : luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static int api_renderer(lua_State *L)
{
    nb_host *h = host_of(L);
    require_open(L, h, "renderer");
    nb_schema_check(L, 1, RENDERER_FIELDS, "renderer");
    const char *id = nb_schema_string(L, 1, "id");
    if (nb_host_renderer(h, id))
        return luaL_error(L, "renderer id '%s' is already registered by %s", id, nb_host_renderer(h, id)->file);
    h->renderers = nb_xrealloc(h->renderers, (h->nrenderers + 1) * sizeof *h->renderers);
    nb_renderer *r = &h->renderers[h->nrenderers++];
    memset(r, 0, sizeof *r);
    r->id = dup_field(L, 1, "id");
    r->description = dup_field(L, 1, "description");
    r->extension = dup_field(L, 1, "extension");
    r->file = nb_xstrdup(h->current_file);
    lua_getfield(L, 1, "render");
    r->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static int api_format_decl(lua_State *L)
{
    nb_host *h = host_of(L);
    const nb_format_entry *e = nb_host_format(h, luaL_checkstring(L, 1));
    if (!e)
        return lua_pushnil(L), 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->decl_ref);
    return 1;
}

static int api_format_for_year(lua_State *L)
{
    nb_host *h = host_of(L);
    const nb_format_entry *e = nb_host_format_for_year(h, (int)luaL_checkinteger(L, 1));
    if (!e)
        return lua_pushnil(L), 1;
    lua_pushstring(L, e->format->id);
    return 1;
}

static int api_format_ids(lua_State *L)
{
    nb_host *h = host_of(L);
    lua_createtable(L, (int)h->nformats, 0);
    for (size_t i = 0; i < h->nformats; i++) {
        lua_pushstring(L, h->formats[i].format->id);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

static int api_template(lua_State *L)
{
    nb_host *h = host_of(L);
    const char *name = luaL_checkstring(L, 1);
    if (strstr(name, "..") || name[0] == '/')
        return luaL_error(L, "template name '%s' must be a relative path inside the template directory", name);
    for (size_t i = 0; i < h->ntemplate_dirs; i++) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", h->template_dirs[i], name);
        FILE *fp = fopen(path, "rb");
        if (!fp)
            continue;
        luaL_Buffer b;
        luaL_buffinit(L, &b);
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
            luaL_addlstring(&b, chunk, n);
        fclose(fp);
        luaL_pushresult(&b);
        return 1;
    }
    return luaL_error(L, "template '%s' not found in the template directories", name);
}

/* The table lent to each plugin file as its first argument. */
static void push_api(nb_host *h)
{
    lua_State *L = h->sb->L;
    static const luaL_Reg host_fns[] = {{"format", api_format},
                                        {"importer", api_importer},
                                        {"renderer", api_renderer},
                                        {"format_decl", api_format_decl},
                                        {"format_for_year", api_format_for_year},
                                        {"format_ids", api_format_ids},
                                        {"template", api_template},
                                        {NULL, NULL}};
    lua_newtable(L);
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, host_fns, 1);
    nb_host_api_register(L);
    nb_import_api_register(L);
    nb_text_scan_register(L);
    nb_text_place_register(L, h);
    lua_pushstring(L, NB_VERSION);
    lua_setfield(L, -2, "version");
    nb_zip_register(L);
    nb_lib_register(L);
}

/* ---- finding plugin files ---- */
typedef struct {
    char **items;
    size_t n, cap;
} path_list;

static void list_add(path_list *l, const char *p)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->items = nb_xrealloc(l->items, l->cap * sizeof *l->items);
    }
    l->items[l->n++] = nb_xstrdup(p);
}

static void walk(const char *dir, path_list *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        size_t n = strlen(e->d_name);
        if (S_ISDIR(st.st_mode))
            walk(path, out);
        else if (n > 4 && strcmp(e->d_name + n - 4, ".lua") == 0)
            list_add(out, path);
    }
    closedir(d);
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Runs a loaded plugin chunk (argument 1) in a fresh environment with the
 * host table as its argument.  Called protected, so building the
 * environment cannot panic when a plugin has used up the memory ceiling. */
static int run_chunk(lua_State *L)
{
    nb_host *h = lua_touserdata(L, 2);
    lua_settop(L, 1);
    nb_sandbox_push_env(h->sb);
    lua_setupvalue(L, 1, 1);
    push_api(h);
    lua_call(L, 1, 0);
    return 0;
}

static bool load_file(nb_host *h, const char *path, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nb_sb_printf(err, "%s: cannot read plugin file\n", path);
        return false;
    }
    nb_strbuf src;
    nb_sb_init(&src);
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        nb_sb_append(&src, chunk, n);
    fclose(fp);
    char name[PATH_MAX + 1];
    snprintf(name, sizeof name, "@%s", path);
    int status = luaL_loadbufferx(L, src.data ? src.data : "", src.len, name, "t");
    nb_sb_free(&src);
    if (status != LUA_OK) {
        nb_sb_printf(err, "plugin %s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        return false;
    }
    lua_pushcfunction(L, run_chunk);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, h);
    h->current_file = path;
    h->registration_open = true;
    status = nb_sandbox_call(h->sb, 2, 0);
    h->registration_open = false;
    if (status != LUA_OK) {
        /* name the file when the message does not (a memory or budget stop) */
        const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        if (strncmp(msg, path, strlen(path)) == 0)
            nb_sb_puts(err, "plugin error: ");
        else
            nb_sb_printf(err, "plugin error in %s: ", path);
        nb_host_error(h, path, err);
        return false;
    }
    return true;
}

static bool load_dir(nb_host *h, const char *dir, nb_strbuf *err)
{
    path_list l = {0};
    walk(dir, &l);
    if (l.n) /* an absent directory lists nothing: qsort must not get NULL */
        qsort(l.items, l.n, sizeof *l.items, cmp_path);
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        h->plugin_files = nb_xrealloc(h->plugin_files, (h->nplugin_files + 1) * sizeof *h->plugin_files);
        h->plugin_files[h->nplugin_files++] = l.items[i];
        if (ok && !load_file(h, l.items[i], err))
            ok = false;
    }
    free(l.items);
    return ok;
}

static void add_template_dir(nb_host *h, const char *dir)
{
    h->template_dirs = nb_xrealloc(h->template_dirs, (h->ntemplate_dirs + 1) * sizeof *h->template_dirs);
    h->template_dirs[h->ntemplate_dirs++] = nb_xstrdup(dir);
}

nb_host *nb_host_open(const char *extra_dir, nb_strbuf *err)
{
    nb_host *h = nb_xcalloc(1, sizeof *h);
    h->sb = nb_sandbox_new();
    if (!h->sb) {
        nb_sb_puts(err, "cannot create the Lua state\n");
        free(h);
        return NULL;
    }
    char user[PATH_MAX] = "";
    const char *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(user, sizeof user, "%s/nianbao", xdg);
    else if (home && *home)
        snprintf(user, sizeof user, "%s/.local/share/nianbao", home);
    char path[PATH_MAX];
    if (user[0]) {
        snprintf(path, sizeof path, "%s/templates", user);
        add_template_dir(h, path);
    }
    snprintf(path, sizeof path, "%s/templates", nb_data_dir());
    add_template_dir(h, path);

    bool ok = true;
    snprintf(path, sizeof path, "%s/plugins", nb_data_dir());
    struct stat st;
    if (stat(path, &st) != 0) {
        nb_sb_printf(err, "built-in plugin directory %s is missing: is nianbao installed? "
                          "(set NIANBAO_DATA_DIR to the directory holding plugins/ and templates/)\n", path);
        ok = false;
    }
    ok = ok && load_dir(h, path, err);
    if (ok && user[0]) {
        snprintf(path, sizeof path, "%s/plugins", user);
        ok = load_dir(h, path, err);
    }
    if (ok && extra_dir) {
        if (stat(extra_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            nb_sb_printf(err, "--plugin-dir %s: not a directory\n", extra_dir);
            ok = false;
        } else {
            ok = load_dir(h, extra_dir, err);
        }
    }
    if (!ok) {
        nb_host_free(h);
        return NULL;
    }
    return h;
}

void nb_host_free(nb_host *h)
{
    if (!h)
        return;
    for (size_t i = 0; i < h->nformats; i++)
        nb_format_free(h->formats[i].format);
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
    nb_sandbox_free(h->sb);
    free(h);
}

const nb_format_entry *nb_host_format(const nb_host *h, const char *id)
{
    for (size_t i = 0; i < h->nformats; i++)
        if (strcmp(h->formats[i].format->id, id) == 0)
            return &h->formats[i];
    return NULL;
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
    return best;
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
            nb_sb_printf(err, "%s:%ld: %s\n", source, line, msg ? msg : "invalid input");
        else
            nb_sb_printf(err, "%s: %s\n", source, msg ? msg : "invalid input");
        return 0;
    }
    const char *msg = lua_type(L, 1) == LUA_TSTRING ? lua_tostring(L, 1) : NULL;
    nb_sb_printf(err, "%s\n", msg ? msg : "(no message)");
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
        nb_sb_puts(err, "(the error message could not be read: out of memory)\n");
        lua_pop(L, 1);
    }
}
