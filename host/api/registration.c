/* See registration.h.  Each registration is checked strictly (lua/lua_schema.c)
 * and names the plugin file of an earlier registration of the same id. */
#include "api/registration.h"
#include "base/xalloc.h"
#include "lua/lua_copy.h"
#include "lua/lua_format.h"
#include "lua/lua_format_sketch.h"
#include "lua/lua_schema.h"
#include <lauxlib.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

static const nb_field IMPORTER_FIELDS[] = {
    {"id", LUA_TSTRING, true},        {"description", LUA_TSTRING, true}, {"extensions", LUA_TTABLE, false},
    {"detect", LUA_TFUNCTION, false}, {"import", LUA_TFUNCTION, true},    {"by_content", LUA_TBOOLEAN, false},
    {NULL, 0, false}};
static const nb_field RENDERER_FIELDS[] = {
    {"id", LUA_TSTRING, true},         {"description", LUA_TSTRING, true}, {"extension", LUA_TSTRING, true},
    {"render", LUA_TFUNCTION, true},   {"publish", LUA_TBOOLEAN, false}, {NULL, 0, false}};

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

static void require_open(lua_State *L, nb_host *h, const char *what)
{
    if (!h->registration_open)
        luaL_error(L, "host.%s 只能在插件文件加载时调用（请在文件顶层调用，不要放进 import、render 或规则函数中）", what);
}

/* Ids and extensions name files (render -o DIR writes STEM.EXTENSION) and
 * are typed on the command line: letters, digits, '-', '_' and '.', first
 * a letter or digit, so that none climbs out of a directory ("../x"). */
static bool plain_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64 || s[0] == '.' || s[0] == '-' || s[0] == '_' || strstr(s, ".."))
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              c == '.'))
            return false;
    }
    return true;
}

static void require_plain(lua_State *L, const char *what, const char *field, const char *s)
{
    if (s && !plain_name(s))
        luaL_error(L, "host.%s 的 %s '%s' 不可用：只能由字母、数字和 - _ . 组成（至多 64 个字符，以字母或数字开头，"
                      "不含“..”），因为它会用在文件名和命令行中",
                   what, field, s);
}

static int traceback_of_caller(lua_State *L)
{
    luaL_traceback(L, L, "", 1);
    return 1;
}

/* luaL_traceback(L, L, "", 0) at host.format.  Naming a frame's function,
 * it first looks for it in every loaded library (two thirds of its cost, a
 * format at each start); no frame here is a library's function (host.format,
 * the format file's main chunk, the loader), so that list is lent empty for
 * the call: the text is the same (tests/cases/late_formats.sh compares it
 * with the traceback registration gives). */
static char *registration_traceback(lua_State *L)
{
    luaL_checkstack(L, 4, "traceback");
    lua_getfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    lua_pushcfunction(L, traceback_of_caller);
    int status = lua_pcall(L, 0, 1, 0);
    lua_pushvalue(L, -2);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);
    if (status != LUA_OK)
        lua_error(L);
    char *trace = nb_xstrdup(lua_tostring(L, -1));
    lua_pop(L, 2);
    return trace;
}

static int api_format(lua_State *L)
{
    nb_host *h = host_of(L);
    require_open(L, h, "format");
    /* the host keeps its own copy: the plugin's table may change after this
     * call.  Not a built-in format file as built (under check): it hands
     * over a table no code reaches once the file has run, and whoever is
     * lent the declaration is lent a copy of it (host.format_decl, render). */
    luaL_checktype(L, 1, LUA_TTABLE);
    if (!h->late_format) {
        nb_lua_deep_copy(L, 1, true, "format");
        lua_replace(L, 1);
    }
    lua_getfield(L, 1, "id");
    require_plain(L, "format", "id", lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL);
    lua_pop(L, 1);
    nb_format_entry *e = h->late_entry; /* a file run late: its entry and sketch are made (plugin/plugin_late.c) */
    if (e) {
        lua_getfield(L, 1, "id");
        bool same = e->decl_ref == LUA_NOREF && strcmp(lua_tostring(L, -1), e->format->id) == 0;
        lua_pop(L, 1);
        if (!same)
            return luaL_error(L, "格式与构建时为格式 '%s' 做的草图不符", e->format->id);
    } else {
        /* under check and render, a built-in file as built leaves its format
         * a sketch until it is looked up (registry.h) */
        nb_format *f = h->late_format ? nb_lua_sketch_format(L, 1, h->current_file)
                                      : nb_lua_build_format(L, 1, h->current_file, true);
        /* owned by the caller now: freed below before any raise, or stored */
        if (nb_host_format_entry(h, f->id)) {
            const char *other = nb_host_format_entry(h, f->id)->format->source_file;
            char msg[512];
            snprintf(msg, sizeof msg, "格式 id '%s' 已由 %s 注册：请换一个 id", f->id, other);
            nb_format_free(f);
            return luaL_error(L, "%s", msg);
        }
        h->formats = nb_xrealloc(h->formats, (h->nformats + 1) * sizeof *h->formats);
        e = &h->formats[h->nformats++];
        e->format = f;
        e->sketch = h->late_format ? f : NULL;
        e->decl_ref = LUA_NOREF;
        e->rules_where = e->rules_trace = NULL;
        e->unrun = NULL;
    }
    if (h->late_format) { /* what an error of the rules would say now (lua/lua_format_late.c) */
        luaL_where(L, 1);
        e->rules_where = nb_xstrdup(lua_tostring(L, -1));
        lua_pop(L, 1);
        e->rules_trace = registration_traceback(L);
    }
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
    require_plain(L, "importer", "id", id);
    lua_getfield(L, 1, "extensions");
    for (size_t i = 1; i <= next; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        require_plain(L, "importer", "extensions", lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (nb_host_importer(h, id))
        return luaL_error(L, "导入插件 id '%s' 已由 %s 注册：请换一个 id", id, nb_host_importer(h, id)->file);
    h->importers = nb_xrealloc(h->importers, (h->nimporters + 1) * sizeof *h->importers);
    nb_importer *imp = &h->importers[h->nimporters];
    memset(imp, 0, sizeof *imp);
    imp->extensions = nb_xcalloc(next + 1, sizeof *imp->extensions);
    h->nimporters++; /* counted now so nb_host_free owns what follows */
    imp->id = dup_field(L, 1, "id");
    imp->description = dup_field(L, 1, "description");
    imp->file = nb_xstrdup(h->current_file);
    imp->rank = h->current_rank;
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
    lua_getfield(L, 1, "by_content");
    imp->by_content = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return 0;
}

static int api_renderer(lua_State *L)
{
    nb_host *h = host_of(L);
    require_open(L, h, "renderer");
    nb_schema_check(L, 1, RENDERER_FIELDS, "renderer");
    const char *id = nb_schema_string(L, 1, "id");
    require_plain(L, "renderer", "id", id);
    require_plain(L, "renderer", "extension", nb_schema_string(L, 1, "extension"));
    if (nb_host_renderer(h, id))
        return luaL_error(L, "输出插件 id '%s' 已由 %s 注册：请换一个 id", id, nb_host_renderer(h, id)->file);
    h->renderers = nb_xrealloc(h->renderers, (h->nrenderers + 1) * sizeof *h->renderers);
    nb_renderer *r = &h->renderers[h->nrenderers++];
    memset(r, 0, sizeof *r);
    r->id = dup_field(L, 1, "id");
    r->description = dup_field(L, 1, "description");
    r->extension = dup_field(L, 1, "extension");
    r->file = nb_xstrdup(h->current_file);
    r->publish = nb_schema_bool(L, 1, "publish", false);
    lua_getfield(L, 1, "render");
    r->fn_ref = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

/* Each plugin file gets its own copy of a declaration (made on its first
 * request, kept in upvalue 2 of its format_decl), so changing it changes
 * nothing for the host or any other plugin. */
/* host.format_decl(id [, key]): the plugin's copy of a declaration, or of
 * its field key only (a declaration is thousands of tables: a plugin that
 * reads one field of every format copies that field) */
static int api_format_decl(lua_State *L)
{
    nb_host *h = host_of(L);
    const char *id = luaL_checkstring(L, 1), *key = luaL_optstring(L, 2, NULL);
    const nb_format_entry *e = nb_host_format_declared(h, id); /* a sketch has it */
    if (!e)
        return lua_pushnil(L), 1;
    const char *name = key ? lua_pushfstring(L, "%s\n%s", id, key) : id; /* ids hold no line break */
    if (lua_getfield(L, lua_upvalueindex(2), name) != LUA_TNIL)
        return 1;
    lua_pop(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, e->decl_ref);
    if (key)
        lua_getfield(L, -1, key); /* the copy's own table: no metamethod */
    nb_lua_deep_copy(L, -1, false, id);
    lua_pushvalue(L, -1);
    lua_setfield(L, lua_upvalueindex(2), name);
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
        return luaL_error(L, "host.template：模板名 '%s' 应为模板目录内的相对路径（不以 / 开头，不含“..”）", name);
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
    return luaL_error(L, "host.template：在模板目录中找不到模板 '%s'", name);
}

void nb_registration_register(lua_State *L, nb_host *h)
{
    static const luaL_Reg host_fns[] = {{"format", api_format},
                                        {"importer", api_importer},
                                        {"renderer", api_renderer},
                                        {"format_for_year", api_format_for_year},
                                        {"format_ids", api_format_ids},
                                        {"template", api_template},
                                        {NULL, NULL}};
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, host_fns, 1);
    lua_pushlightuserdata(L, h);
    lua_newtable(L); /* this host table's copies of declarations */
    lua_pushcclosure(L, api_format_decl, 2);
    lua_setfield(L, -2, "format_decl");
}
