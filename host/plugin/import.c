/* See import.h. */
#include "plugin/import.h"
#include "plugin/plugin_lazy.h"
#include "base/errno_zh.h"
#include "base/file_bytes.h"
#include "api/lua_import_api.h"
#include "lua/lua_report.h"
#include "text/text_scan.h"
#include "base/xalloc.h"
#include <errno.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

/* Standard input is read through stdio: a --files-from - list is read
 * through its buffer. */
char *nb_read_file(const char *path, size_t *len, nb_strbuf *err)
{
    nb_strbuf sb;
    nb_sb_init(&sb);
    nb_sb_puts(&sb, "");
    bool ok = true;
    if (strcmp(path, "-") == 0) {
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
            nb_sb_append(&sb, chunk, n);
        if (ferror(stdin)) {
            nb_sb_printf(err, "(stdin): 读取失败（%s）\n", nb_errno_zh(errno));
            ok = false;
        }
    } else {
        switch (nb_file_read(path, &sb)) {
        case NB_FILE_OK:
            break;
        case NB_FILE_NOT_OPENED:
            nb_sb_printf(err, "%s: 无法打开文件（%s）：请检查路径和读取权限\n", path, nb_errno_zh(errno));
            ok = false;
            break;
        case NB_FILE_A_DIRECTORY:
            nb_sb_printf(err, "%s: 这是一个目录，不是报告文件：请给出报告文件的路径\n", path);
            ok = false;
            break;
        case NB_FILE_NOT_READ:
            nb_sb_printf(err, "%s: 读取失败（%s）\n", path, nb_errno_zh(errno));
            ok = false;
            break;
        }
    }
    if (!ok) {
        nb_sb_free(&sb);
        return NULL;
    }
    *len = sb.len;
    return nb_sb_take(&sb);
}

/* the limits of one detect(head, name) */
enum { NB_DETECT_MILLIONS = 20, NB_DETECT_MIB = 16 };

static bool has_extension(const nb_importer *imp, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return false;
    for (size_t i = 0; i < imp->nextensions; i++)
        if (strcasecmp(dot + 1, imp->extensions[i]) == 0)
            return true;
    return false;
}

/* A call into an importer.  Its arguments are built inside the protected
 * call, so a plugin that has used up the memory ceiling cannot make the
 * host panic; the file's bytes stay owned by nb_import_file. */
typedef struct {
    int fn_ref;
    const char *data, *name, *format_id, *agency;
    const char *input; /* the file sqlite_rows may open, or NULL */
    size_t len;
    int year;
} importer_call;

/* detect(head, name) */
static int call_detect(lua_State *L)
{
    const importer_call *c = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn_ref);
    lua_pushlstring(L, c->data, c->len < 4096 ? c->len : 4096);
    lua_pushstring(L, c->name);
    lua_call(L, 2, 1);
    return 1;
}

/* import({text =, name =, format =, year =, agency =}) */
static int call_import(lua_State *L)
{
    const importer_call *c = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->fn_ref);
    lua_createtable(L, 0, 5);
    lua_pushlstring(L, c->data, c->len);
    lua_setfield(L, -2, "text");
    lua_pushstring(L, c->name);
    lua_setfield(L, -2, "name");
    if (c->format_id) {
        lua_pushstring(L, c->format_id);
        lua_setfield(L, -2, "format");
    }
    if (c->year) {
        lua_pushinteger(L, c->year);
        lua_setfield(L, -2, "year");
    }
    if (c->agency) {
        lua_pushstring(L, c->agency);
        lua_setfield(L, -2, "agency");
    }
    nb_import_api_set_input(L, c->input);
    lua_call(L, 1, 1);
    return 1;
}

static int call_importer(nb_host *h, lua_CFunction fn, importer_call *c)
{
    lua_pushcfunction(h->sb->L, fn);
    lua_pushlightuserdata(h->sb->L, c);
    if (fn == call_detect) /* asked about every file: small limits */
        return nb_sandbox_call_small(h->sb, 1, 1, NB_DETECT_MILLIONS, (size_t)NB_DETECT_MIB << 20);
    return nb_sandbox_call(h->sb, 1, 1);
}

/* Asks the importers' detect(head, name), those matching the extension only
 * when ext_only (those reading by content only when content_only); the
 * first to say yes wins. */
static const nb_importer *detect(nb_host *h, const char *path, const char *data, size_t len, bool ext_only,
                                 bool content_only, bool *failed, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    for (size_t i = 0; i < h->nimporters; i++) {
        const nb_importer *imp = &h->importers[i];
        if (imp->detect_ref == LUA_NOREF || (ext_only && !has_extension(imp, path)) ||
            (content_only && !imp->by_content) || nb_lazy_ruled_out(h, imp->id))
            continue;
        importer_call c = {.fn_ref = imp->detect_ref, .data = data, .len = len, .name = path};
        if (call_importer(h, call_detect, &c) != LUA_OK) {
            /* a broken detect is a broken plugin, said on every run */
            if (!lua_istable(L, -1))
                nb_sb_printf(err, "导入插件 '%s'（%s）的 detect 判断 %s 时出错：", imp->id, imp->file, path);
            nb_host_error(h, path, err);
            *failed = true;
            return NULL;
        }
        bool yes = lua_toboolean(L, -1);
        lua_pop(L, 1);
        if (yes)
            return imp;
    }
    return NULL;
}

static const nb_importer *choose(nb_host *h, const char *path, const char *via, const char *data, size_t len,
                                 nb_strbuf *err)
{
    if (via) {
        const nb_importer *imp = nb_host_importer(h, via);
        if (!imp)
            nb_sb_printf(err, "--via %s：没有这个导入插件（nianbao plugins 列出全部）\n", via);
        return imp;
    }
    /* several importers may read one extension (.csv: tables or the
     * application register; .txt: published text or flattened web text):
     * the content decides among them, else the first without a detect;
     * before them, importers that know their files by content (a .docx
     * named .txt, a saved page named .doc) */
    bool failed = false;
    const nb_importer *imp = detect(h, path, data, len, false, true, &failed, err);
    if (imp || failed)
        return imp;
    imp = detect(h, path, data, len, true, false, &failed, err);
    if (imp || failed)
        return imp;
    const nb_importer *first = NULL;
    for (size_t i = 0; i < h->nimporters; i++) {
        const nb_importer *e = &h->importers[i];
        if (!has_extension(e, path))
            continue;
        if (e->detect_ref == LUA_NOREF)
            return e;
        if (!first)
            first = e;
    }
    if (first)
        return first;
    imp = detect(h, path, data, len, false, false, &failed, err);
    if (failed)
        return NULL;
    if (!imp)
        imp = nb_host_importer(h, "text");
    if (!imp)
        nb_sb_printf(err, "%s: 没有能读这个文件的导入插件，请用 --via 指定\n", path);
    return imp;
}

nb_report *nb_import_file(nb_host *h, const char *path, const nb_import_opts *opts, nb_strbuf *err)
{
    size_t len;
    char *data = nb_read_file(path, &len, err);
    if (!data)
        return NULL;
    nb_report *r = nb_import_data(h, path, data, len, opts, NULL, err);
    free(data);
    return r;
}

static nb_report *import_data(nb_host *h, const char *path, const char *data, size_t len,
                              const nb_import_opts *opts, const char **importer, nb_strbuf *err)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    if (len == 0) {
        nb_sb_printf(err, "%s: 文件是空的，没有可导入的内容\n", name);
        return NULL;
    }
    if (!nb_lazy_importers_for(h, path, data, len, opts->via, err))
        return NULL;
    const nb_importer *imp = choose(h, path, opts->via, data, len, err);
    if (!imp)
        return NULL;
    if (importer)
        *importer = imp->id;
    lua_State *L = h->sb->L;
    importer_call c = {.fn_ref = imp->fn_ref, .data = data, .len = len, .name = name, .format_id = opts->format_id,
                       .year = opts->year, .agency = opts->agency, .input = strcmp(path, "-") == 0 ? NULL : path};
    h->sb->reading = name;
    int status = call_importer(h, call_import, &c);
    h->sb->reading = NULL;
    nb_import_api_set_input(L, NULL);
    if (status != LUA_OK) {
        if (!lua_istable(L, -1))
            nb_sb_printf(err, "导入插件 '%s'（%s）读 %s 时出错：", imp->id, imp->file, name);
        nb_host_error(h, name, err);
        return NULL;
    }
    if (!lua_istable(L, -1)) {
        nb_sb_printf(err, "导入插件 '%s'（%s）返回的是 %s，而应是报告表\n", imp->id, imp->file,
                     luaL_typename(L, -1));
        lua_pop(L, 1);
        return NULL;
    }
    return nb_lua_to_report(h, name, opts->format_id, err);
}

nb_report *nb_import_data(nb_host *h, const char *path, const char *data, size_t len, const nb_import_opts *opts,
                          const char **importer, nb_strbuf *err)
{
    nb_text_utf8_input(data, len);
    nb_report *r = import_data(h, path, data, len, opts, importer, err);
    nb_text_utf8_input(NULL, 0);
    return r;
}
