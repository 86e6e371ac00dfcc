/* See host_api.h.  Splitting into lines happens here, in one pass in C,
 * rather than with Lua patterns that would rescan long narrative lines. */
#define _GNU_SOURCE /* memmem */
#include "api/host_api.h"
#include "model/decimal.h"
#include "lua/lua_report.h"
#include "lua/lua_values.h"
#include "base/json_text.h"
#include "base/text_norm.h"
#include "io/lib_alloc.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

/* lines(text) -> { line1, line2, ... }  (\r\n and \n; a final newline adds no line) */
static int api_lines(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    lua_createtable(L, (int)(len / 24) + 1, 0);
    lua_Integer n = 0;
    size_t start = 0;
    while (start < len) {
        const char *nl = memchr(s + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - s) : len;
        size_t e = end;
        if (e > start && s[e - 1] == '\r')
            e--;
        lua_pushlstring(L, s + start, e - start);
        lua_rawseti(L, -2, ++n);
        start = end + 1;
    }
    return 1;
}

/* norm(label) -> label without spaces and quotes, full-width ASCII folded */
/* cell_kind(s): how the model will read s as a cell (model/decimal.c):
 * "value" (a number as written, whatever its precision or size), "blank",
 * "na" (a not-applicable mark) or "text" */
static int api_cell_kind(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    nb_parsed p = nb_parse_cell(s, n);
    switch (p.status) {
    case NB_PARSE_BLANK: lua_pushliteral(L, "blank"); break;
    case NB_PARSE_NA: lua_pushliteral(L, "na"); break;
    case NB_PARSE_NOT_NUMBER: lua_pushliteral(L, "text"); break;
    default: lua_pushliteral(L, "value"); break;
    }
    return 1;
}

static int api_norm(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_Buffer b;
    char *out = luaL_buffinitsize(L, &b, len + 1);
    size_t n = nb_norm_label(s, len, out);
    luaL_pushresultsize(&b, n);
    return 1;
}

/* input_error(line, message): the input is wrong, not the plugin */
static int api_input_error(lua_State *L)
{
    lua_Integer line = luaL_optinteger(L, 1, 0);
    return nb_raise_input_error(L, line, luaL_checkstring(L, 2));
}

/* ---- JSON through cJSON; objects are written with sorted keys so the same
 * value always gives the same bytes ---- */
static int cmp_keys(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* a parsed text's tree is in its arena; a tree made for json_encode is cJSON's own */
typedef struct {
    cJSON *root;
    const cJSON *apart; /* the member json_decode left out of the value */
    nb_lib_arena arena;
} json_box;

static const char BOX_META[] = "nianbao.json_box";

static int box_gc(lua_State *L)
{
    json_box *b = lua_touserdata(L, 1);
    if (b->arena.blocks)
        nb_lib_arena_free(&b->arena);
    else
        cJSON_Delete(b->root);
    b->root = NULL;
    return 0;
}

static json_box *new_box(lua_State *L)
{
    json_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    *b = (json_box){0};
    if (luaL_newmetatable(L, BOX_META)) {
        lua_pushcfunction(L, box_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    return b;
}

const cJSON *nb_json_apart(lua_State *L, int idx)
{
    json_box *b = luaL_testudata(L, idx, BOX_META);
    if (!b)
        luaL_typeerror(L, idx, "host.json_decode 给出的 JSON 文本");
    return b->apart;
}

/* Creates the item for the value at idx, attaches it to parent at once (as
 * parent[key], or appended when key is NULL) and then fills it, so a raise
 * part-way leaves every node owned by the boxed root. */

static void add_json(lua_State *L, int idx, cJSON *parent, const char *key, int depth)
{
    idx = lua_absindex(L, idx);
    if (depth > NB_JSON_DEPTH_MAX)
        luaL_error(L, "host.json_encode：嵌套超过%d层", NB_JSON_DEPTH_MAX);
    luaL_checkstack(L, 6, "json_encode nesting"); /* item, keys, key, value at each level */
    cJSON *item = NULL;
    int t = lua_type(L, idx);
    if (t == LUA_TNIL || nb_is_json_null(L, idx))
        item = cJSON_CreateNull();
    else if (t == LUA_TBOOLEAN)
        item = cJSON_CreateBool(lua_toboolean(L, idx));
    else if (t == LUA_TNUMBER && lua_isinteger(L, idx))
        item = cJSON_CreateNumber((double)lua_tointeger(L, idx));
    else if (t == LUA_TNUMBER)
        luaL_error(L, "host.json_encode：只能写出整数；小数请以字符串给出");
    else if (t == LUA_TSTRING)
        item = cJSON_CreateString(lua_tostring(L, idx));
    else if (t == LUA_TTABLE)
        item = lua_rawlen(L, idx) > 0 ? cJSON_CreateArray() : cJSON_CreateObject();
    else
        luaL_error(L, "host.json_encode：不能写出 %s 值", luaL_typename(L, idx));
    /* the key is copied: that can fail too, and the item is then nobody's */
    if (!item || !(key ? cJSON_AddItemToObject(parent, key, item) : cJSON_AddItemToArray(parent, item))) {
        cJSON_Delete(item);
        luaL_error(L, "host.json_encode：内存不足");
    }
    if (t != LUA_TTABLE)
        return;
    size_t n = lua_rawlen(L, idx);
    if (n > 0) {
        for (size_t i = 1; i <= n; i++) {
            lua_rawgeti(L, idx, (lua_Integer)i);
            add_json(L, -1, item, NULL, depth + 1);
            lua_pop(L, 1);
        }
        return;
    }
    size_t count = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "host.json_encode：对象的键应为字符串（表不能混用数组元素和其他键）");
        count++;
        lua_pop(L, 1);
    }
    const char **keys = lua_newuserdatauv(L, (count ? count : 1) * sizeof *keys, 0);
    size_t k = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        keys[k++] = lua_tostring(L, -2);
        lua_pop(L, 1);
    }
    qsort(keys, count, sizeof *keys, cmp_keys);
    for (size_t i = 0; i < count; i++) {
        lua_getfield(L, idx, keys[i]);
        add_json(L, -1, item, keys[i], depth + 1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static int api_json_encode(lua_State *L)
{
    luaL_checkany(L, 1);
    json_box *box = new_box(L);
    box->root = cJSON_CreateArray();
    if (!box->root)
        return luaL_error(L, "host.json_encode：内存不足");
    add_json(L, 1, box->root, NULL, 0);
    char *out = cJSON_Print(box->root->child);
    if (!out)
        return luaL_error(L, "host.json_encode：内存不足");
    lua_pushstring(L, out);
    cJSON_free(out);
    lua_pushliteral(L, "\n");
    lua_concat(L, 2);
    return 1;
}

void nb_json_push(lua_State *L, const cJSON *j, int depth)
{
    luaL_checkstack(L, 4, "json nesting");
    if (depth > NB_JSON_DEPTH_MAX)
        luaL_error(L, "host.json_decode：嵌套超过%d层", NB_JSON_DEPTH_MAX);
    if (cJSON_IsNull(j)) {
        nb_push_json_null(L);
    } else if (cJSON_IsBool(j)) {
        lua_pushboolean(L, cJSON_IsTrue(j));
    } else if (cJSON_IsNumber(j)) {
        double d = j->valuedouble;
        /* in range before the cast: a double at or past 2^63 has no integer */
        if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(lua_Integer)d)
            lua_pushinteger(L, (lua_Integer)d);
        else
            lua_pushnumber(L, d);
    } else if (cJSON_IsString(j)) {
        lua_pushstring(L, j->valuestring);
    } else if (cJSON_IsArray(j)) {
        lua_createtable(L, cJSON_GetArraySize(j), 0);
        lua_Integer i = 0;
        for (const cJSON *c = j->child; c; c = c->next) {
            nb_json_push(L, c, depth + 1);
            lua_rawseti(L, -2, ++i);
        }
    } else {
        /* made at its size, not grown a rehash at a time */
        lua_createtable(L, 0, cJSON_GetArraySize(j));
        for (const cJSON *c = j->child; c; c = c->next) {
            nb_json_push(L, c, depth + 1);
            lua_setfield(L, -2, c->string);
        }
    }
}

/* raises what nb_json_push raises for a value nested deeper than it pushes */
static void check_depth(lua_State *L, const cJSON *j, int depth)
{
    if (depth > NB_JSON_DEPTH_MAX)
        luaL_error(L, "host.json_decode：嵌套超过%d层", NB_JSON_DEPTH_MAX);
    for (const cJSON *c = j->child; c; c = c->next)
        check_depth(L, c, depth + 1);
}

/* json_decode(text [, key]) -> the value of the JSON text; with key, an
 * object's member key left out (its last, as the value would keep), and
 * the parsed text second, to hand that member over (nb_json_apart) */
static int api_json_decode(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *key = luaL_optstring(L, 2, NULL);
    lua_settop(L, 2);
    uint32_t bad_line;
    const char *fault = nb_json_text_fault(s, len, &bad_line);
    if (fault) {
        lua_pushcfunction(L, api_input_error);
        lua_pushinteger(L, bad_line);
        lua_pushstring(L, fault);
        lua_call(L, 2, 0);
    }
    json_box *box = new_box(L); /* 3 */
    const char *end = NULL;
    nb_lib_json_arena_begin(&box->arena);
    box->root = cJSON_ParseWithLengthOpts(s, len, &end, 0);
    nb_lib_json_arena_end();
    if (!box->root) {
        const char *at = end ? end : s;
        lua_Integer line = 1;
        for (const char *p = s; p < at && p < s + len; p++)
            line += *p == '\n';
        lua_pushcfunction(L, api_input_error);
        lua_pushinteger(L, line);
        lua_pushliteral(L, "不是有效的 JSON（invalid JSON）：请检查括号、引号和逗号");
        lua_call(L, 2, 0);
    }
    if (!key || !cJSON_IsObject(box->root)) {
        nb_json_push(L, box->root, 0);
        if (!key)
            return 1;
        lua_pushvalue(L, 3);
        return 2;
    }
    lua_createtable(L, 0, cJSON_GetArraySize(box->root));
    for (const cJSON *c = box->root->child; c; c = c->next) {
        if (strcmp(c->string, key) == 0) {
            check_depth(L, c, 1);
            box->apart = c;
            continue;
        }
        nb_json_push(L, c, 1);
        lua_setfield(L, -2, c->string);
    }
    lua_pushvalue(L, 3);
    return 2;
}

/* find_first(s, words [, init]) -> where the earliest occurrence of any of
 * words (plain strings) at or after byte init (1-based, default 1; as
 * string.find's, but never negative) begins in s, and that word's index (the
 * first such word when two begin there); nil when none occurs.  One memmem a word: Lua's
 * plain find stops at every byte equal to a word's first, and in Chinese
 * text a lead byte is every third one. */
static int api_find_first(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer init = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, init >= 1, 3, "init must be positive");
    if ((lua_Unsigned)init - 1 > len)
        return lua_pushnil(L), 1;
    size_t skip = (size_t)init - 1;
    s += skip, len -= skip;
    lua_Integer n = luaL_len(L, 2), which = 0;
    size_t best = 0;
    for (lua_Integer k = 1; k <= n; k++) {
        lua_rawgeti(L, 2, k);
        size_t wl;
        const char *w = lua_tolstring(L, -1, &wl);
        luaL_argcheck(L, w != NULL, 2, "words must be strings");
        /* an occurrence that begins before the best so far ends before best + wl */
        size_t upto = which && best + wl < len ? best + wl - 1 : len;
        const char *p = wl <= upto ? memmem(s, upto, w, wl) : NULL;
        if (wl == 0)
            p = s;
        if (p && (!which || (size_t)(p - s) < best))
            best = (size_t)(p - s), which = k;
        lua_pop(L, 1);
    }
    if (!which)
        return lua_pushnil(L), 1;
    lua_pushinteger(L, (lua_Integer)(skip + best) + 1);
    lua_pushinteger(L, which);
    return 2;
}

void nb_host_api_register(lua_State *L)
{
    static const luaL_Reg fns[] = {{"lines", api_lines},
                                   {"norm", api_norm},
                                   {"cell_kind", api_cell_kind},
                                   {"input_error", api_input_error},
                                   {"json_encode", api_json_encode},
                                   {"json_decode", api_json_decode},
                                   {"find_first", api_find_first},
                                   {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
    nb_push_json_null(L);
    lua_setfield(L, -2, "null");
    lua_pushinteger(L, NB_META_MAX);
    lua_setfield(L, -2, "meta_max_bytes");
}
