/* See plugin_host.h.  Plugins are loaded in a fixed order (directory, then
 * sorted relative path) so registration and its errors are reproducible. */
#include "plugin/plugin_host.h"
#include "api/api_modules.h"
#include "base/data_dir.h"
#include "base/xalloc.h"
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
    nb_api_push(L, h);
    lua_call(L, 1, 0);
    return 0;
}

static bool load_file(nb_host *h, const char *path, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nb_sb_printf(err, "%s: 无法读取插件文件\n", path);
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
            nb_sb_puts(err, "插件出错：");
        else
            nb_sb_printf(err, "插件出错：%s: ", path);
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

