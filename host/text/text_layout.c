/* See text_layout.h.  The layout is copied into its userdata whole (fixed
 * arrays, no C allocation): the plugin may change or drop its table later. */
#include "text/text_layout.h"
#include "base/text_norm.h"
#include <lauxlib.h>
#include <string.h>

static const char LAYOUT_META[] = "nianbao.text_layout";

/* length of the UTF-8 character at s (1 for a stray byte) */
static size_t char_len(const unsigned char *s, size_t n)
{
    size_t k = *s < 0x80 ? 1 : *s < 0xE0 ? 2 : *s < 0xF0 ? 3 : 4;
    return k <= n ? k : n;
}

/* a[0..n) == b[0..n), for the few bytes of a heading's words (no call) */
static bool same(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

static bool in_set(const unsigned char *set, unsigned char c) { return set[c >> 3] & (1u << (c & 7)); }

/* is the character s[0..k) one of the ordinals?  (Chinese characters share
 * a first byte by the thousand: the last one rules out most first.) */
static bool is_ordinal(const nb_heading_form *f, const char *s, size_t k)
{
    if (!in_set(f->lead, (unsigned char)s[0]) || !in_set(f->last, (unsigned char)s[k - 1]))
        return false;
    for (size_t i = 0; i < f->nordinals;) {
        size_t m = char_len((const unsigned char *)f->ordinals + i, f->nordinals - i);
        if (m == k && same(f->ordinals + i, s, k))
            return true;
        i += m;
    }
    return false;
}

static bool has_lead(const nb_heading_form *f, unsigned char c) { return in_set(f->lead, c); }

static bool form_matches(const nb_heading_form *f, const char *t, size_t n)
{
    if (n <= f->nbefore || !same(t, f->before, f->nbefore) ||
        !has_lead(f, (unsigned char)t[f->nbefore]))
        return false;
    size_t i = f->nbefore, ords = 0;
    while (i < n) {
        size_t k = char_len((const unsigned char *)t + i, n - i);
        if (!is_ordinal(f, t + i, k))
            break;
        i += k;
        ords++;
    }
    return ords > 0 && n - i >= f->nafter && same(t + i, f->after, f->nafter);
}

int nb_layout_heading(const nb_text_layout *l, const char *t, size_t n)
{
    for (size_t i = 0; i < l->nforms; i++)
        if (n < l->forms[i].max_bytes && form_matches(&l->forms[i], t, n))
            return l->forms[i].level;
    return 0;
}

bool nb_layout_heading_start(const nb_text_layout *l, int level, const char *t, size_t n)
{
    for (size_t i = 0; i < l->nforms; i++)
        if (l->forms[i].level == level && form_matches(&l->forms[i], t, n))
            return true;
    return false;
}

bool nb_layout_published(const nb_text_layout *l, const char *t, size_t n, const char **date, size_t *ndate)
{
    for (size_t i = 0; i < l->npublished; i++) {
        size_t k = l->npublished_len[i];
        if (n >= k && memcmp(t, l->published[i], k) == 0) {
            size_t e = n;
            while (k < e && nb_ascii_space((unsigned char)t[k]))
                k++;
            while (e > k && nb_ascii_space((unsigned char)t[e - 1]))
                e--;
            *date = t + k;
            *ndate = e - k;
            return true;
        }
    }
    return false;
}

const nb_text_layout *nb_layout_check(lua_State *L, int idx) { return luaL_checkudata(L, idx, LAYOUT_META); }

/* copies the string field key of the table at idx into buf (of cap bytes) */
static size_t copy_field(lua_State *L, int idx, const char *key, char *buf, size_t cap, bool required)
{
    lua_getfield(L, idx, key);
    if (lua_isnil(L, -1) && !required) {
        lua_pop(L, 1);
        return 0;
    }
    size_t n;
    const char *s = lua_tolstring(L, -1, &n);
    if (!s || lua_type(L, -1) != LUA_TSTRING || n >= cap)
        luaL_error(L, "host.text_layout：'%s' 应为短于 %d 字节的字符串", key, (int)cap);
    memcpy(buf, s, n);
    lua_pop(L, 1);
    return n;
}

static size_t whole_field(lua_State *L, int idx, const char *key, lua_Integer lo, lua_Integer hi)
{
    lua_getfield(L, idx, key);
    if (!lua_isinteger(L, -1) || lua_tointeger(L, -1) < lo || lua_tointeger(L, -1) > hi)
        luaL_error(L, "host.text_layout：'%s' 应为 %d 到 %d 的整数", key, (int)lo, (int)hi);
    size_t v = (size_t)lua_tointeger(L, -1);
    lua_pop(L, 1);
    return v;
}

static void read_forms(lua_State *L, nb_text_layout *l)
{
    luaL_checktype(L, (lua_getfield(L, 1, "headings"), -1), LUA_TTABLE);
    int t = lua_gettop(L);
    lua_Unsigned n = lua_rawlen(L, t);
    if (n == 0 || n > NB_LAYOUT_FORMS)
        luaL_error(L, "host.text_layout：'headings' 应列出 1 到 %d 种标题形式", NB_LAYOUT_FORMS);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, t, (lua_Integer)i);
        luaL_checktype(L, -1, LUA_TTABLE);
        int h = lua_gettop(L);
        nb_heading_form *f = &l->forms[l->nforms++];
        f->level = (int)whole_field(L, h, "level", 1, 2);
        f->nbefore = copy_field(L, h, "before", f->before, sizeof f->before, false);
        f->nafter = copy_field(L, h, "after", f->after, sizeof f->after, true);
        f->nordinals = copy_field(L, h, "ordinals", f->ordinals, sizeof f->ordinals, true);
        f->max_bytes = whole_field(L, h, "max_bytes", 1, 4096);
        if (f->nordinals == 0)
            luaL_error(L, "host.text_layout：headings[%d].ordinals 不能为空", (int)i);
        for (size_t k = 0; k < f->nordinals;) {
            unsigned char c = (unsigned char)f->ordinals[k];
            size_t m = char_len((const unsigned char *)f->ordinals + k, f->nordinals - k);
            unsigned char e = (unsigned char)f->ordinals[k + m - 1];
            f->lead[c >> 3] |= (unsigned char)(1u << (c & 7));
            f->last[e >> 3] |= (unsigned char)(1u << (e & 7));
            k += m;
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void read_published(lua_State *L, nb_text_layout *l)
{
    luaL_checktype(L, (lua_getfield(L, 1, "published"), -1), LUA_TTABLE);
    int t = lua_gettop(L);
    lua_Unsigned n = lua_rawlen(L, t);
    if (n > NB_LAYOUT_PREFIXES)
        luaL_error(L, "host.text_layout：'published' 至多列出 %d 个前缀", NB_LAYOUT_PREFIXES);
    for (lua_Unsigned i = 1; i <= n; i++) {
        lua_rawgeti(L, t, (lua_Integer)i);
        size_t k;
        const char *s = lua_tolstring(L, -1, &k);
        if (lua_type(L, -1) != LUA_TSTRING || k == 0 || k >= NB_LAYOUT_WORD)
            luaL_error(L, "host.text_layout：published[%d] 应为非空、短于 %d 字节的字符串", (int)i,
                       NB_LAYOUT_WORD);
        memcpy(l->published[l->npublished], s, k);
        l->npublished_len[l->npublished++] = k;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* layout:heading(t) -> level or nil; layout:published(t) -> the date after the prefix, or nil */
static int layout_heading(lua_State *L)
{
    const nb_text_layout *l = nb_layout_check(L, 1);
    size_t n;
    const char *t = luaL_checklstring(L, 2, &n);
    int level = nb_layout_heading(l, t, n);
    if (level)
        lua_pushinteger(L, level);
    else
        lua_pushnil(L);
    return 1;
}

static int layout_published(lua_State *L)
{
    const nb_text_layout *l = nb_layout_check(L, 1);
    size_t n;
    const char *t = luaL_checklstring(L, 2, &n);
    const char *date;
    size_t k;
    if (!nb_layout_published(l, t, n, &date, &k))
        return lua_pushnil(L), 1;
    lua_pushlstring(L, date, k);
    return 1;
}

/* text_layout(spec) -> layout; see docs/plugins.md for spec */
static int api_text_layout(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    nb_text_layout *l = lua_newuserdatauv(L, sizeof *l, 0);
    memset(l, 0, sizeof *l);
    if (luaL_newmetatable(L, LAYOUT_META)) {
        static const luaL_Reg methods[] = {{"heading", layout_heading}, {"published", layout_published}, {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    read_forms(L, l);
    read_published(L, l);
    luaL_checktype(L, (lua_getfield(L, 1, "bookmark"), -1), LUA_TTABLE);
    int b = lua_gettop(L);
    l->nbookmark_open = copy_field(L, b, "open", l->bookmark_open, sizeof l->bookmark_open, true);
    char close[2] = "";
    if (copy_field(L, b, "close", close, sizeof close, true) != 1 || l->nbookmark_open == 0)
        luaL_error(L, "host.text_layout：bookmark.open 不能为空，bookmark.close 应为一个字节");
    l->bookmark_close = close[0];
    lua_pop(L, 1);
    l->continuation_chars = whole_field(L, 1, "continuation_chars", 0, 1000);
    l->mark_cell_bytes = whole_field(L, 1, "mark_cell_bytes", 1, 4096);
    l->mark_line_bytes = whole_field(L, 1, "mark_line_bytes", 1, 4096);
    return 1;
}

void nb_text_layout_register(lua_State *L)
{
    lua_pushcfunction(L, api_text_layout);
    lua_setfield(L, -2, "text_layout");
}
