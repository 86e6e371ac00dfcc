/* See render_out.h. */
#include "plugin/render_out.h"
#include "io/atomic_write.h"
#include "io/term_text.h"
#include "lua/lua_copy.h"
#include "lua/lua_report.h"
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const nb_renderer *by_extension(const nb_host *h, const char *out)
{
    const char *dot = out ? strrchr(out, '.') : NULL;
    if (!dot || strchr(dot, '/'))
        return NULL;
    for (size_t i = 0; i < h->nrenderers; i++)
        if (strcasecmp(h->renderers[i].extension, dot + 1) == 0)
            return &h->renderers[i];
    return NULL;
}

const nb_renderer *nb_renderer_choose(const nb_host *h, const char *to, const char *out, const char *fallback,
                                      nb_strbuf *err)
{
    if (to) {
        const nb_renderer *rd = nb_host_renderer(h, to);
        if (!rd)
            nb_sb_printf(err, "没有输出插件 '%s'（nianbao plugins 列出全部）\n", to);
        return rd;
    }
    const nb_renderer *rd = by_extension(h, out);
    if (!rd && fallback && (!out || !strrchr(out, '.') || strchr(strrchr(out, '.'), '/')))
        rd = nb_host_renderer(h, fallback);
    if (!rd)
        nb_sb_printf(err, "%s请用 --to 指明输出格式（md、json、html、docx 等）\n",
                     out ? "-o 的扩展名不对应任何输出插件：" : "");
    return rd;
}

typedef struct {
    nb_host *h;
    const nb_renderer *rd;
    const nb_report *r;
} render_call;

/* Pushes the renderer's own copy of the format's declaration, to change as
 * it likes: made once per renderer and format (a batch renders many
 * reports; copying the declaration for each was a tenth of a render), so a
 * renderer sees its own changes again and no other plugin sees them.  Kept
 * in the registry under "renderer id/format id" (both plain names). */
static void push_decl_copy(lua_State *L, const render_call *c)
{
    luaL_checkstack(L, 4, "render");
    luaL_getsubtable(L, LUA_REGISTRYINDEX, "nianbao.render_decl_copies");
    const char *id = c->r->format->id;
    lua_pushfstring(L, "%s/%s", c->rd->id, id);
    if (lua_rawget(L, -2) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_rawgeti(L, LUA_REGISTRYINDEX, nb_host_format(c->h, id)->decl_ref);
        nb_lua_deep_copy(L, -1, false, id);
        lua_remove(L, -2);
        lua_pushfstring(L, "%s/%s", c->rd->id, id);
        lua_pushvalue(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, -2);
}

/* render(report, fmt), with the report table built inside the protected
 * call so that running out of Lua memory there is an error, not a panic */
static int call_render(lua_State *L)
{
    const render_call *c = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rd->fn_ref);
    nb_lua_push_report(c->h, c->r);
    push_decl_copy(L, c);
    lua_call(L, 2, 1);
    return 1;
}

void nb_render_written(const nb_renderer *rd, const char *out)
{
    fputs("已写入 ", stderr);
    nb_fputs_term(out, stderr);
    fprintf(stderr, "（%s）\n", rd->id);
}

bool nb_render_report(nb_host *h, const nb_renderer *rd, const nb_report *r, const char *out, nb_write_batch *batch,
                      nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    render_call c = {.h = h, .rd = rd, .r = r};
    lua_pushcfunction(L, call_render);
    lua_pushlightuserdata(L, &c);
    if (nb_sandbox_call(h->sb, 1, 1) != LUA_OK) {
        nb_sb_printf(err, "输出插件 '%s'（%s）出错：", rd->id, rd->file);
        nb_host_error(h, rd->file, err);
        return false;
    }
    if (lua_type(L, -1) != LUA_TSTRING) {
        nb_sb_printf(err, "输出插件 '%s'（%s）返回的是 %s，而应是字符串\n", rd->id, rd->file,
                     luaL_typename(L, -1));
        lua_pop(L, 1);
        return false;
    }
    size_t len;
    const char *data = lua_tolstring(L, -1, &len);
    bool to_stdout = !out || strcmp(out, "-") == 0;
    bool ok = false;
    if (to_stdout && isatty(STDOUT_FILENO) && memchr(data, '\0', len)) {
        nb_sb_printf(err, "%s 是二进制文件，不能写到终端：请用 -o 文件名.%s 写入文件（或重定向到文件）\n", rd->id,
                     rd->extension);
    } else if (batch && !to_stdout) {
        ok = nb_write_batch_add(batch, out, data, len, err);
    } else if (nb_write_file_atomic(out, data, len, err)) {
        ok = true;
        if (!to_stdout)
            nb_render_written(rd, out);
    }
    lua_pop(L, 1);
    return ok;
}
