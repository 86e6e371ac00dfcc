/* host.text_rows and host.trim: the text importer's line scanning, done in
 * one pass in C.  In Lua, a gsub for "[bookmark: …]" and the pattern tests
 * ran over every line, rescanning long narrative lines several times per
 * report; batches of thousands of reports spent most of their time there.
 * The results are exactly what the Lua code built (Lua's byte-wise pattern
 * classes, %s as C isspace, utf8.len's strict decoding). */
#include "text_scan.h"
#include <lauxlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static const char BOOKMARK[] = "[bookmark: ";
/* the bytes of the Lua class [一二三四五六七八九十] */
static const char NUMERAL_BYTES[] = "一二三四五六七八九十";
static const char IDEO_COMMA[] = "、";
static const char IDEO_SPACE[] = "\xE3\x80\x80"; /* U+3000 */

static bool is_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static bool all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)s[i]))
            return false;
    return true;
}

/* Lua's "^[一二三四五六七八九十]+、": one or more of those bytes, then 、 */
static bool heading1(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] && memchr(NUMERAL_BYTES, s[i], sizeof NUMERAL_BYTES - 1))
        i++;
    return i > 0 && n - i >= 3 && memcmp(s + i, IDEO_COMMA, 3) == 0;
}

/* utf8.len(s) <= max, where an invalid sequence (utf8.len gives nil) is false;
 * decoding as Lua 5.4 does in strict mode */
static bool utf8_len_at_most(const char *str, size_t n, size_t max)
{
    static const uint32_t limits[] = {~(uint32_t)0, 0x80, 0x800, 0x10000u, 0x200000u, 0x4000000u};
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, count = 0;
    while (i < n) {
        unsigned c = s[i];
        uint32_t res = 0;
        int k = 0;
        if (c < 0x80) {
            res = c;
        } else {
            for (; c & 0x40; c <<= 1) {
                k++;
                if (k > 5 || i + (size_t)k >= n || (s[i + k] & 0xC0) != 0x80)
                    return false;
                res = (res << 6) | (s[i + k] & 0x3F);
            }
            res |= (uint32_t)(c & 0x7F) << (k * 5);
            if (res > 0x7FFFFFFFu || res < limits[k])
                return false;
        }
        if (res > 0x10FFFFu || (res >= 0xD800u && res <= 0xDFFFu))
            return false;
        i += (size_t)k + 1;
        if (++count > max)
            return false;
    }
    return true;
}

/* gsub(line, "%[bookmark: [^%]]*%]", ""): pushes the result and points *s, *n at it */
static void strip_bookmarks(lua_State *L, const char **s, size_t *n)
{
    const char *p = *s, *end = *s + *n;
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    while (p < end) {
        if ((size_t)(end - p) > sizeof BOOKMARK - 1 && memcmp(p, BOOKMARK, sizeof BOOKMARK - 1) == 0) {
            const char *close = memchr(p + sizeof BOOKMARK - 1, ']', (size_t)(end - p) - (sizeof BOOKMARK - 1));
            if (close) {
                p = close + 1;
                continue;
            }
        }
        luaL_addchar(&b, *p);
        p++;
    }
    luaL_pushresult(&b);
    *s = lua_tolstring(L, -1, n);
}

static bool has_bookmark(const char *s, size_t n)
{
    const char *p = s, *end = s + n;
    while ((p = memchr(p, '[', (size_t)(end - p))) != NULL) {
        if ((size_t)(end - p) >= sizeof BOOKMARK - 1 && memcmp(p, BOOKMARK, sizeof BOOKMARK - 1) == 0)
            return true;
        p++;
    }
    return false;
}

/* the next line of s[*pos..len) as host.lines splits it: \n ends a line, one \r before it is dropped */
static bool next_line(const char *s, size_t len, size_t *pos, const char **line, size_t *n)
{
    if (*pos >= len)
        return false;
    const char *nl = memchr(s + *pos, '\n', len - *pos);
    size_t end = nl ? (size_t)(nl - s) : len, e = end;
    if (e > *pos && s[e - 1] == '\r')
        e--;
    *line = s + *pos;
    *n = e - *pos;
    *pos = end + 1;
    return true;
}

/* the stack of text_rows: the text, the items, the open row's cells and lines */
enum { ITEMS = 2, CELLS = 3, LINES = 4 };

/* items[#items+1] = { kind = "text", text = s, line = i } */
static void add_text(lua_State *L, lua_Integer *nitems, const char *s, size_t n, lua_Integer i)
{
    lua_createtable(L, 0, 3);
    lua_pushliteral(L, "text");
    lua_setfield(L, -2, "kind");
    lua_pushlstring(L, s, n);
    lua_setfield(L, -2, "text");
    lua_pushinteger(L, i);
    lua_setfield(L, -2, "line");
    lua_rawseti(L, ITEMS, ++*nitems);
}

/* items[#items+1] = { kind = "row", cells = {}, lines = {}, line = i }, with
 * cells and lines also in stack slots CELLS and LINES */
static void open_row(lua_State *L, lua_Integer *nitems, lua_Integer i)
{
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "row");
    lua_setfield(L, -2, "kind");
    lua_pushinteger(L, i);
    lua_setfield(L, -2, "line");
    lua_createtable(L, 8, 0);
    lua_pushvalue(L, -1);
    lua_replace(L, CELLS);
    lua_setfield(L, -2, "cells");
    lua_createtable(L, 8, 0);
    lua_pushvalue(L, -1);
    lua_replace(L, LINES);
    lua_setfield(L, -2, "lines");
    lua_rawseti(L, ITEMS, ++*nitems);
}

static void add_cell(lua_State *L, lua_Integer k, const char *s, size_t n, lua_Integer i)
{
    lua_pushlstring(L, s, n);
    lua_rawseti(L, CELLS, k);
    lua_pushinteger(L, i);
    lua_rawseti(L, LINES, k);
}

/* text_rows(text) -> items: the lines of text, grouped.  One-cell-a-line
 * layout (more lines are a tab run then no tab than have tabs elsewhere):
 * tab-indented lines are the cells of a row, a blank line ends it, a short
 * untabbed line continues a header cell; otherwise a line with tabs is one
 * row of TAB-separated cells.  Other lines are { kind = "text" }. */
static int api_text_rows(lua_State *L)
{
    size_t len, pos = 0, n;
    const char *s = luaL_checklstring(L, 1, &len), *line;
    long one_cell = 0, tsv = 0;
    while (next_line(s, len, &pos, &line, &n)) {
        if (!memchr(line, '\t', n))
            continue;
        size_t t = 0;
        while (t < n && line[t] == '\t')
            t++;
        if (t > 0 && !memchr(line + t, '\t', n - t))
            one_cell++;
        else
            tsv++;
    }
    bool per_line = one_cell > tsv, row_open = false;
    lua_settop(L, 1);
    lua_createtable(L, (int)(len / 64) + 1, 0); /* ITEMS */
    lua_pushnil(L);                             /* CELLS */
    lua_pushnil(L);                             /* LINES */
    lua_Integer nitems = 0, ncells = 0, i = 0;
    pos = 0;
    while (next_line(s, len, &pos, &line, &n)) {
        i++;
        lua_settop(L, LINES);
        if (has_bookmark(line, n))
            strip_bookmarks(L, &line, &n); /* kept in the slot above LINES while used */
        if (per_line) {
            if (n > 0 && line[0] == '\t') {
                size_t t = 0;
                while (t < n && line[t] == '\t')
                    t++;
                if (!row_open) {
                    open_row(L, &nitems, i);
                    row_open = true;
                    ncells = 0;
                }
                add_cell(L, ++ncells, line + t, n - t, i);
            } else if (all_space(line, n)) {
                row_open = false;
            } else if (row_open && utf8_len_at_most(line, n, 10) && !heading1(line, n)) {
                lua_rawgeti(L, CELLS, ncells); /* a header cell broken over lines */
                lua_pushliteral(L, "\n");
                lua_pushlstring(L, line, n);
                lua_concat(L, 3);
                lua_rawseti(L, CELLS, ncells);
            } else {
                row_open = false;
                add_text(L, &nitems, line, n, i);
            }
        } else if (memchr(line, '\t', n)) {
            open_row(L, &nitems, i);
            const char *p = line, *end = line + n;
            lua_Integer k = 0;
            for (;;) {
                const char *tab = memchr(p, '\t', (size_t)(end - p));
                add_cell(L, ++k, p, (size_t)((tab ? tab : end) - p), i);
                if (!tab)
                    break;
                p = tab + 1;
            }
        } else {
            add_text(L, &nitems, line, n, i);
        }
    }
    lua_settop(L, ITEMS);
    return 1;
}

/* trim(s): s without leading and trailing ASCII white space and U+3000 */
static int api_trim(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    const char *b = s, *e = s + n;
    for (;;) {
        if (b < e && is_space((unsigned char)*b))
            b++;
        else if (e - b >= 3 && memcmp(b, IDEO_SPACE, 3) == 0)
            b += 3;
        else
            break;
    }
    for (;;) {
        if (e > b && is_space((unsigned char)e[-1]))
            e--;
        else if (e - b >= 3 && memcmp(e - 3, IDEO_SPACE, 3) == 0)
            e -= 3;
        else
            break;
    }
    if (b == s && e == s + n)
        lua_settop(L, 1);
    else
        lua_pushlstring(L, b, (size_t)(e - b));
    return 1;
}

void nb_text_scan_register(lua_State *L)
{
    static const luaL_Reg fns[] = {{"text_rows", api_text_rows}, {"trim", api_trim}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
