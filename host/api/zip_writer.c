/* See zip_writer.h.  host.zip{ {name = "word/document.xml", data = "…"}, … }
 * returns the bytes of a zip archive holding those files, in that order.
 * Everything libzip allocates is owned by a userdata with __gc from the
 * moment it exists, so a Lua error part-way (bad entry, memory ceiling)
 * cannot leak it.  Entries carry a fixed time so the same input always
 * gives the same archive. */
#include "api/zip_writer.h"
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>
#include <zip.h>

enum { ZIP_MAX_ENTRIES = 4096 };
static const time_t ENTRY_TIME = 1577836800; /* 2020-01-01, any fixed date after 1980 */

typedef struct {
    zip_source_t *src; /* the archive being written, in memory */
    zip_t *za;         /* open while entries are added */
} zip_box;

static int box_gc(lua_State *L)
{
    zip_box *b = lua_touserdata(L, 1);
    if (b->za)
        zip_discard(b->za);
    if (b->src)
        zip_source_free(b->src);
    b->za = NULL;
    b->src = NULL;
    return 0;
}

/* Raises with libzip's message, copied before the error is released. */
static int zip_fail(lua_State *L, const char *what, zip_error_t *ze)
{
    char msg[256];
    snprintf(msg, sizeof msg, "host.zip：%s时出错：%s", what, zip_error_strerror(ze));
    zip_error_fini(ze);
    return luaL_error(L, "%s", msg);
}

/* Raises with the archive's last error (copied: __gc discards the archive). */
static int archive_fail(lua_State *L, zip_t *za, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, "host.zip：%s时出错：%s", what, zip_strerror(za));
    return luaL_error(L, "%s", msg);
}

/* Pushes entries[i].name and .data (checked) without running Lua code. */
static void push_entry(lua_State *L, lua_Integer i)
{
    if (lua_rawgeti(L, 1, i) != LUA_TTABLE)
        luaL_error(L, "host.zip：第 %d 项是 %s，应为表 {name =, data =}", (int)i, luaL_typename(L, -1));
    lua_pushliteral(L, "name");
    if (lua_rawget(L, -2) != LUA_TSTRING)
        luaL_error(L, "host.zip：第 %d 项没有 name", (int)i);
    const char *name = lua_tostring(L, -1);
    if (!name[0] || name[0] == '/' || strstr(name, "..") || strchr(name, '\\'))
        luaL_error(L, "host.zip：项名 '%s' 应为不含 '..' 的相对路径", name);
    lua_pushliteral(L, "data");
    if (lua_rawget(L, -3) != LUA_TSTRING)
        luaL_error(L, "host.zip：项 '%s' 没有 data 字符串", name);
    lua_remove(L, -3);
}

static int api_zip(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    if (n > ZIP_MAX_ENTRIES)
        return luaL_error(L, "host.zip：项数超过 %d", ZIP_MAX_ENTRIES);
    luaL_checkstack(L, (int)(2 * n + 8), "host.zip entries");
    for (lua_Integer i = 1; i <= n; i++)
        push_entry(L, i); /* names and data stay on the stack until the archive is closed */

    zip_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    b->src = NULL;
    b->za = NULL;
    if (luaL_newmetatable(L, "nianbao.zip_box")) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);

    zip_error_t ze;
    zip_error_init(&ze);
    b->src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!b->src)
        return zip_fail(L, "创建缓冲区", &ze);
    zip_source_keep(b->src); /* one reference for the archive, one for reading it back */
    b->za = zip_open_from_source(b->src, ZIP_TRUNCATE, &ze);
    if (!b->za) {
        zip_source_free(b->src); /* the reference the archive did not take */
        return zip_fail(L, "在内存中打开压缩包", &ze);
    }
    zip_error_fini(&ze);
    for (lua_Integer i = 0; i < n; i++) {
        size_t len;
        const char *name = lua_tostring(L, 2 + 2 * (int)i);
        const char *data = lua_tolstring(L, 3 + 2 * (int)i, &len);
        zip_source_t *zs = zip_source_buffer(b->za, data, len, 0);
        zip_int64_t idx = zs ? zip_file_add(b->za, name, zs, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (zs)
                zip_source_free(zs);
            return archive_fail(L, b->za, lua_pushfstring(L, "加入 %s ", name));
        }
        zip_file_set_mtime(b->za, (zip_uint64_t)idx, ENTRY_TIME, 0);
    }
    if (zip_close(b->za) != 0)
        return archive_fail(L, b->za, "写出压缩包");
    b->za = NULL;

    if (zip_source_open(b->src) < 0)
        return luaL_error(L, "host.zip：无法读回写好的压缩包");
    luaL_Buffer out;
    luaL_buffinit(L, &out);
    for (;;) {
        char *p = luaL_prepbuffer(&out);
        zip_int64_t got = zip_source_read(b->src, p, LUAL_BUFFERSIZE);
        if (got < 0) {
            zip_source_close(b->src);
            return luaL_error(L, "host.zip：无法读回写好的压缩包");
        }
        if (got == 0)
            break;
        luaL_addsize(&out, (size_t)got);
    }
    zip_source_close(b->src);
    luaL_pushresult(&out);
    return 1;
}

void nb_zip_register(lua_State *L)
{
    lua_pushcfunction(L, api_zip);
    lua_setfield(L, -2, "zip");
}
