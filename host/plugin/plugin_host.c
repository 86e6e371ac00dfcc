/* See plugin_host.h.  Plugins are loaded in a fixed order (directory, then
 * sorted relative path) so registration and its errors are reproducible. */
#include "plugin/plugin_host.h"
#include "plugin/plugin_decl.h"
#include "plugin/plugin_late.h"
#include "plugin/plugin_lazy.h"
#include "api/api_modules.h"
#include "lua/lua_builtin.h"
#include "base/data_dir.h"
#include "base/xalloc.h"
#include "base/file_bytes.h"
#include <dirent.h>
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
        /* the kind readdir gives, else (a link, a file system that does
         * not say) the one stat finds: a stat per plugin file at each start */
        bool is_dir = e->d_type == DT_DIR;
        if (e->d_type != DT_DIR && e->d_type != DT_REG) {
            struct stat st;
            if (stat(path, &st) != 0)
                continue;
            is_dir = S_ISDIR(st.st_mode);
        }
        size_t n = strlen(e->d_name);
        if (is_dir)
            walk(path, out);
        else if (n > 4 && strcmp(e->d_name + n - 4, ".lua") == 0)
            list_add(out, path);
    }
    closedir(d);
}

static int cmp_path(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int nb_plugin_run_chunk(lua_State *L)
{
    nb_host *h = lua_touserdata(L, 2);
    lua_settop(L, 1);
    nb_sandbox_push_env(L);
    lua_setupvalue(L, 1, 1);
    nb_api_push(L, h);
    lua_call(L, 1, 0);
    return 0;
}

/* True for a file of the built-in plugin directory. */
static bool is_builtin(const char *path)
{
    char dir[PATH_MAX];
    int n = snprintf(dir, sizeof dir, "%s/plugins/", nb_data_dir());
    return n > 0 && (size_t)n < sizeof dir && strncmp(path, dir, (size_t)n) == 0;
}

/* Checks that the file at path registered what its declaration says: the
 * declared importer (with those extensions, by content when it has content
 * marks) or renderer and nothing else.  before: the counts before it ran.
 * Only built-in files are held to it (their declarations let check leave
 * them unloaded); a user's copy of one, edited, is never lazily loaded, and
 * its copied "--:" lines are comments. */
static bool check_decl(nb_host *h, const nb_plugin_decl *d, const char *path, const size_t before[3], nb_strbuf *err)
{
    if ((!d->importer && !d->renderer) || !is_builtin(path))
        return true;
    const char *why = NULL;
    size_t want_imp = d->importer != NULL, want_rd = d->renderer != NULL;
    const nb_importer *imp = d->importer ? nb_host_importer(h, d->importer) : NULL;
    if (h->nformats != before[0] || h->nimporters - before[1] != want_imp || h->nrenderers - before[2] != want_rd)
        why = "它注册的不只是（或不是）声明的一个导入或输出插件";
    else if (d->importer && (!imp || strcmp(imp->file, path) != 0))
        why = "它没有注册声明的导入插件";
    else if (d->renderer && (!nb_host_renderer(h, d->renderer) || strcmp(nb_host_renderer(h, d->renderer)->file, path) != 0))
        why = "它没有注册声明的输出插件";
    else if (imp && (imp->nextensions != d->nextensions || imp->by_content != (d->nmarks > 0)))
        why = "声明的扩展名或 content 与注册的不符";
    if (!why && d->gate_ext && (!imp || imp->detect_ref == LUA_NOREF))
        why = "声明了 marks 或 headings，却没有 detect";
    else if (!why && d->gate_ext) {
        bool has = false;
        for (size_t i = 0; i < d->nextensions; i++)
            has = has || strcmp(d->extensions[i], d->gate_ext) == 0;
        if (!has)
            why = "marks 或 headings 的扩展名不在声明的扩展名中";
    }
    for (size_t i = 0; !why && imp && i < imp->nextensions; i++)
        if (strcmp(imp->extensions[i], d->extensions[i]) != 0)
            why = "声明的扩展名与注册的不符";
    if (why)
        nb_sb_printf(err, "插件出错：%s: 文件开头的声明（--:）与插件不符：%s\n", path, why);
    return why == NULL;
}

/* Runs the plugin file at path, read as src (len bytes). */
static bool load_bytes(nb_host *h, const char *path, const char *src, size_t len, int rank, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    nb_plugin_decl decl;
    if (!nb_plugin_decl_read(&decl, path, src, len, err))
        return false;
    size_t before[3] = {h->nformats, h->nimporters, h->nrenderers};
    const nb_builtin_chunk *as_built = nb_lua_builtin_chunk(path, src, len);
    bool builtin = as_built != NULL, late = h->late_formats && builtin;
    if (late && nb_plugin_sketch(h, path, as_built)) {
        nb_plugin_decl_free(&decl);
        return true;
    }
    /* A built-in file as built: the collector rests while it loads and runs,
     * since what it allocates is what it registers, which stays (collecting
     * it as it grew was 0.15 M of the 8.9 M instructions of a one-report
     * check).  An allocation past the memory ceiling still runs Lua's
     * emergency collection first. */
    bool rest = builtin && lua_gc(L, LUA_GCISRUNNING);
    if (rest)
        lua_gc(L, LUA_GCSTOP);
    int status = nb_lua_load_file(L, path, src, len);
    if (status != LUA_OK) {
        if (rest)
            lua_gc(L, LUA_GCRESTART);
        nb_sb_printf(err, "插件出错：%s\n", lua_tostring(L, -1));
        lua_pop(L, 1);
        nb_plugin_decl_free(&decl);
        return false;
    }
    lua_pushcfunction(L, nb_plugin_run_chunk);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, h);
    h->current_file = path;
    h->current_rank = rank;
    h->registration_open = true;
    h->late_format = late;
    status = nb_sandbox_call(h->sb, 2, 0);
    if (rest)
        lua_gc(L, LUA_GCRESTART);
    h->registration_open = h->late_format = false;
    if (status != LUA_OK) {
        /* name the file when the message does not (a memory or budget stop) */
        const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : "";
        if (strncmp(msg, path, strlen(path)) == 0)
            nb_sb_puts(err, "插件出错：");
        else
            nb_sb_printf(err, "插件出错：%s: ", path);
        nb_host_error(h, path, err);
        nb_plugin_decl_free(&decl);
        return false;
    }
    bool ok = check_decl(h, &decl, path, before, err);
    nb_plugin_decl_free(&decl);
    return ok;
}

/* The bytes of the plugin file at path into src (initialised here, the
 * caller's to free); false with the reason in err. */
static bool read_plugin(const char *path, nb_strbuf *src, nb_strbuf *err)
{
    nb_sb_init(src);
    nb_sb_puts(src, "");
    if (nb_file_read(path, src) == NB_FILE_OK)
        return true;
    nb_sb_printf(err, "%s: 无法读取插件文件\n", path);
    return false;
}

bool nb_plugin_load_file(nb_host *h, const char *path, int rank, nb_strbuf *err)
{
    nb_strbuf src;
    bool ok = read_plugin(path, &src, err) && load_bytes(h, path, src.data, src.len, rank, err);
    nb_sb_free(&src);
    return ok;
}

/* Loads the plugin files of dir, or (lazy) leaves those that declare what
 * they register for when they are needed (plugin_lazy.c). */
static bool load_dir(nb_host *h, const char *dir, int lazy, nb_strbuf *err)
{
    path_list l = {0};
    walk(dir, &l);
    if (l.n) /* an absent directory lists nothing: qsort must not get NULL */
        qsort(l.items, l.n, sizeof *l.items, cmp_path);
    bool ok = true;
    for (size_t i = 0; i < l.n; i++) {
        h->plugin_files = nb_xrealloc(h->plugin_files, (h->nplugin_files + 1) * sizeof *h->plugin_files);
        h->plugin_files[h->nplugin_files++] = l.items[i];
        int rank = (int)h->nplugin_files;
        if (!ok)
            continue;
        nb_strbuf src; /* read once, for its declaration and its loading */
        if (read_plugin(l.items[i], &src, err)) {
            int deferred = lazy ? nb_lazy_defer(h, l.items[i], src.data, src.len, rank, lazy, err) : 0;
            ok = deferred > 0 || (deferred == 0 && load_bytes(h, l.items[i], src.data, src.len, rank, err));
        } else {
            ok = false;
        }
        nb_sb_free(&src);
    }
    free(l.items);
    return ok;
}

/* True when dir holds a plugin file. */
static bool has_plugins(const char *dir)
{
    path_list l = {0};
    walk(dir, &l);
    for (size_t i = 0; i < l.n; i++)
        free(l.items[i]);
    free(l.items);
    return l.n > 0;
}

static void add_template_dir(nb_host *h, const char *dir)
{
    h->template_dirs = nb_xrealloc(h->template_dirs, (h->ntemplate_dirs + 1) * sizeof *h->template_dirs);
    h->template_dirs[h->ntemplate_dirs++] = nb_xstrdup(dir);
}

nb_host *nb_host_open_lazy(const char *extra_dir, int lazy, nb_strbuf *err)
{
    nb_host *h = nb_xcalloc(1, sizeof *h);
    h->sb = nb_sandbox_new();
    if (!h->sb) {
        nb_sb_puts(err, "无法创建 Lua 状态（内存不足？）\n");
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
        nb_sb_printf(err, "找不到内置插件目录 %s：nianbao 没有装好？"
                          "（把环境变量 NIANBAO_DATA_DIR 设为含 plugins/ 和 templates/ 的目录）\n", path);
        ok = false;
    }
    if (lazy && user[0]) { /* the user's plugins may use any built-in one: all are loaded */
        char up[PATH_MAX];
        snprintf(up, sizeof up, "%s/plugins", user);
        lazy = has_plugins(up) ? 0 : lazy;
    }
    lazy = extra_dir ? 0 : lazy;
    h->late_formats = (lazy & NB_LATE_RULES) != 0; /* the rules of the format a report uses only (lua/lua_format_late.c) */
    ok = ok && load_dir(h, path, lazy, err);
    h->late_formats = false;
    if (ok && user[0]) {
        snprintf(path, sizeof path, "%s/plugins", user);
        ok = load_dir(h, path, 0, err);
    }
    if (ok && extra_dir) {
        if (stat(extra_dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
            nb_sb_printf(err, "--plugin-dir %s：不是目录：请给出存放插件文件（.lua）的目录\n", extra_dir);
            ok = false;
        } else {
            ok = load_dir(h, extra_dir, 0, err);
        }
    }
    if (!ok) {
        nb_host_free(h);
        return NULL;
    }
    return h;
}


nb_host *nb_host_open(const char *extra_dir, nb_strbuf *err)
{
    return nb_host_open_lazy(extra_dir, 0, err);
}
