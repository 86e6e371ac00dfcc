/* host.text_rows, host.text_scan, host.trim, host.utf8_valid and
 * host.inline_words: the text importers' line scanning, done in one pass in C.  In Lua, a gsub for
 * "[bookmark: …]" and the pattern tests ran over every line, rescanning long
 * narrative lines several times per report; batches of thousands of reports
 * spent most of their time there.  The results are exactly what the Lua
 * code built (Lua's byte-wise pattern classes, %s as C isspace, utf8.len's
 * strict decoding). */
#define _GNU_SOURCE /* memmem */
#include "text/text_scan.h"
#include "text/text_inline.h"
#include "text/text_layout.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

/* the bytes of the Lua class [一二三四五六七八九十] */
static const char IDEO_SPACE[] = "\xE3\x80\x80"; /* U+3000 */
static const char SCAN_META[] = "nianbao.text_scan";

static bool all_space(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!nb_ascii_space((unsigned char)s[i]))
            return false;
    return true;
}

/* utf8.len(s) <= max, where an invalid sequence (utf8.len gives nil) is false */
static bool utf8_len_at_most(const char *str, size_t n, size_t max)
{
    size_t i = 0, count = 0;
    while (i < n) {
        size_t k = nb_utf8_strict_seq(str + i, n - i);
        if (k == 0 || ++count > max)
            return false;
        i += k;
    }
    return true;
}

static bool has_bookmark(const nb_text_layout *l, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *open = l->bookmark_open;
    size_t k = l->nbookmark_open;
    while ((p = memchr(p, open[0], (size_t)(end - p))) != NULL) {
        if ((size_t)(end - p) >= k && memcmp(p, open, k) == 0)
            return true;
        p++;
    }
    return false;
}

/* the layout's bookmarks ("[bookmark: …]") taken out of the line, into the arena */
static void strip_bookmarks(const nb_text_layout *l, nb_arena *a, const char **s, size_t *n)
{
    const char *p = *s, *end = *s + *n, *open = l->bookmark_open;
    size_t k = l->nbookmark_open;
    char *out = nb_arena_alloc(a, *n + 1), *o = out;
    while (p < end) {
        if ((size_t)(end - p) > k && memcmp(p, open, k) == 0) {
            const char *close = memchr(p + k, l->bookmark_close, (size_t)(end - p) - k);
            if (close) {
                p = close + 1;
                continue;
            }
        }
        *o++ = *p++;
    }
    *s = out;
    *n = (size_t)(o - out);
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

static nb_scan_item *add_item(nb_text_scan *sc, bool row, lua_Integer line)
{
    if (sc->nitems == sc->items_cap) {
        sc->items_cap = sc->items_cap ? sc->items_cap * 2 : 64;
        sc->items = nb_xrealloc(sc->items, sc->items_cap * sizeof *sc->items);
    }
    nb_scan_item *it = &sc->items[sc->nitems++];
    *it = (nb_scan_item){.row = row, .line = line, .first = sc->ncells};
    sc->has_rows = sc->has_rows || row;
    return it;
}

static void add_cell(nb_text_scan *sc, const char *s, size_t n, lua_Integer line)
{
    if (sc->ncells == sc->cells_cap) {
        sc->cells_cap = sc->cells_cap ? sc->cells_cap * 2 : 256;
        sc->cells = nb_xrealloc(sc->cells, sc->cells_cap * sizeof *sc->cells);
    }
    sc->cells[sc->ncells++] = (nb_scan_cell){.s = s, .n = n, .line = line};
    sc->items[sc->nitems - 1].ncells++;
}

static void add_text(nb_text_scan *sc, const char *s, size_t n, lua_Integer line)
{
    nb_scan_item *it = add_item(sc, false, line);
    it->text = s;
    it->ntext = n;
}

/* A line of the text: where it is, its leading tabs, whether a tab
 * follows them and whether it holds a bookmark. */
typedef struct {
    const char *s;
    size_t n, tabs;
    bool more_tabs, bookmark;
} scan_line;

static void measure(scan_line *l)
{
    l->tabs = 0;
    while (l->tabs < l->n && l->s[l->tabs] == '\t')
        l->tabs++;
    l->more_tabs = memchr(l->s + l->tabs, '\t', l->n - l->tabs) != NULL;
}

/* One-cell-a-line layout (more lines are a tab run then no tab than have
 * tabs elsewhere): tab-indented lines are the cells of a row, a blank line
 * ends it, a short untabbed line continues a header cell; otherwise a line
 * with tabs is one row of TAB-separated cells.  Other lines are text.
 * What "short" means, what a heading and a bookmark are, the layout says. */
void nb_scan_text(nb_text_scan *sc, const char *s, size_t len, const nb_text_layout *layout)
{
    memset(sc, 0, sizeof *sc);
    sc->layout = layout;
    nb_arena_init(&sc->arena);
    size_t pos = 0, nlines = 0, cap = len / 16 + 16;
    scan_line *lines = nb_xmalloc(cap * sizeof *lines);
    long one_cell = 0, tsv = 0;
    scan_line l;
    /* the next byte at or after the line's start that may open a bookmark:
     * one memchr over the text for all its lines (one a line was 4 % of a
     * report's import), as there are few */
    const char *next_open = NULL;
    bool open_left = true;
    while (next_line(s, len, &pos, &l.s, &l.n)) {
        measure(&l);
        if (open_left && (!next_open || next_open < l.s)) {
            next_open = memchr(l.s, layout->bookmark_open[0], (size_t)(s + len - l.s));
            open_left = next_open != NULL;
        }
        l.bookmark = next_open && next_open < l.s + l.n &&
                     has_bookmark(layout, next_open, (size_t)(l.s + l.n - next_open));
        if (l.tabs > 0 && !l.more_tabs)
            one_cell++;
        else if (l.more_tabs)
            tsv++;
        if (nlines == cap)
            lines = nb_xrealloc(lines, (cap *= 2) * sizeof *lines);
        lines[nlines++] = l;
    }
    bool per_line = one_cell > tsv, row_open = false;
    /* a line makes at most one item, and one cell when cells are one a
     * line: room for as many as there are lines (growing from a few was a
     * tenth of the scan, in copies) */
    sc->items_cap = sc->cells_cap = nlines ? nlines : 1;
    sc->items = nb_xmalloc(sc->items_cap * sizeof *sc->items);
    sc->cells = nb_xmalloc(sc->cells_cap * sizeof *sc->cells);
    for (size_t k = 0; k < nlines; k++) {
        const char *line = lines[k].s;
        size_t n = lines[k].n, t = lines[k].tabs;
        bool tab = t > 0 || lines[k].more_tabs;
        lua_Integer i = (lua_Integer)k + 1;
        if (lines[k].bookmark) {
            strip_bookmarks(layout, &sc->arena, &line, &n);
            scan_line stripped = {.s = line, .n = n};
            measure(&stripped);
            t = stripped.tabs;
            tab = t > 0 || stripped.more_tabs;
        }
        if (per_line) {
            if (t > 0) {
                if (!row_open) {
                    add_item(sc, true, i);
                    row_open = true;
                }
                add_cell(sc, line + t, n - t, i);
            } else if (all_space(line, n)) {
                row_open = false;
            } else if (row_open && utf8_len_at_most(line, n, layout->continuation_chars) &&
                       !nb_layout_heading_start(layout, 1, line, n)) {
                nb_scan_cell *c = &sc->cells[sc->ncells - 1]; /* a header cell broken over lines */
                char *joined = nb_arena_alloc(&sc->arena, c->n + 1 + n + 1);
                memcpy(joined, c->s, c->n);
                joined[c->n] = '\n';
                memcpy(joined + c->n + 1, line, n);
                c->s = joined;
                c->n += 1 + n;
            } else {
                row_open = false;
                add_text(sc, line, n, i);
            }
        } else if (tab) {
            add_item(sc, true, i);
            const char *p = line, *end = line + n;
            for (;;) {
                const char *sep = memchr(p, '\t', (size_t)(end - p));
                add_cell(sc, p, (size_t)((sep ? sep : end) - p), i);
                if (!sep)
                    break;
                p = sep + 1;
            }
        } else {
            add_text(sc, line, n, i);
        }
    }
    free(lines);
}

const char *nb_scan_cell_norm(nb_text_scan *sc, size_t k, size_t *m)
{
    nb_scan_cell *c = &sc->cells[k];
    if (!c->norm) {
        char *out = nb_arena_alloc(&sc->arena, c->n + 1); /* normalising never lengthens */
        c->nnorm = nb_norm_label(c->s, c->n, out);
        c->norm = out;
    }
    *m = c->nnorm;
    return c->norm;
}

void nb_scan_free(nb_text_scan *sc)
{
    nb_arena_free(&sc->arena);
    free(sc->items);
    free(sc->cells);
    sc->items = NULL;
    sc->cells = NULL;
    sc->nitems = sc->ncells = 0;
}

/* { kind = "text", text = s, line = i } or
 * { kind = "row", line = i, cells = {…}, lines = {…} } */
void nb_scan_push_item(lua_State *L, const nb_text_scan *sc, size_t k)
{
    const nb_scan_item *it = &sc->items[k];
    if (!it->row) {
        lua_createtable(L, 0, 3);
        lua_pushliteral(L, "text");
        lua_setfield(L, -2, "kind");
        lua_pushlstring(L, it->text, it->ntext);
        lua_setfield(L, -2, "text");
        lua_pushinteger(L, it->line);
        lua_setfield(L, -2, "line");
        return;
    }
    const nb_scan_cell *c = sc->cells + it->first;
    lua_createtable(L, 0, 4);
    lua_pushliteral(L, "row");
    lua_setfield(L, -2, "kind");
    lua_pushinteger(L, it->line);
    lua_setfield(L, -2, "line");
    lua_createtable(L, (int)it->ncells, 0);
    for (size_t j = 0; j < it->ncells; j++) {
        lua_pushlstring(L, c[j].s, c[j].n);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "cells");
    lua_createtable(L, (int)it->ncells, 0);
    for (size_t j = 0; j < it->ncells; j++) {
        lua_pushinteger(L, c[j].line);
        lua_rawseti(L, -2, (lua_Integer)j + 1);
    }
    lua_setfield(L, -2, "lines");
}

static int scan_gc(lua_State *L)
{
    nb_scan_free(luaL_checkudata(L, 1, SCAN_META));
    return 0;
}

nb_text_scan *nb_scan_check(lua_State *L, int idx) { return luaL_checkudata(L, idx, SCAN_META); }

/* scan[k]: item k as text_rows gives it, made on each access; nil past the end */
static int scan_index(lua_State *L)
{
    const nb_text_scan *sc = nb_scan_check(L, 1);
    lua_Integer k = lua_isinteger(L, 2) ? lua_tointeger(L, 2) : 0;
    if (k < 1 || (lua_Unsigned)k > sc->nitems)
        return lua_pushnil(L), 1;
    nb_scan_push_item(L, sc, (size_t)k - 1);
    return 1;
}

static int scan_len(lua_State *L)
{
    lua_pushinteger(L, (lua_Integer)nb_scan_check(L, 1)->nitems);
    return 1;
}

/* Pushes a new scan userdata of the string at idx, which it keeps alive. */
static nb_text_scan *push_scan(lua_State *L, int idx, int layout_idx)
{
    size_t len;
    const char *s = luaL_checklstring(L, idx, &len);
    const nb_text_layout *layout = nb_layout_check(L, layout_idx);
    nb_text_scan *sc = lua_newuserdatauv(L, sizeof *sc, 2);
    memset(sc, 0, sizeof *sc);
    if (luaL_newmetatable(L, SCAN_META)) {
        static const luaL_Reg meta[] = {{"__gc", scan_gc}, {"__index", scan_index}, {"__len", scan_len}, {NULL, NULL}};
        luaL_setfuncs(L, meta, 0);
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_pushvalue(L, idx);
    lua_setiuservalue(L, -2, 1);
    lua_pushvalue(L, layout_idx); /* the layout lives as long as the scan */
    lua_setiuservalue(L, -2, 2);
    nb_scan_text(sc, s, len, layout);
    return sc;
}

/* text_rows(text, layout) -> items: every item of the scan as a Lua table */
static int api_text_rows(lua_State *L)
{
    nb_text_scan *sc = push_scan(L, 1, 2);
    lua_createtable(L, (int)sc->nitems, 0);
    for (size_t k = 0; k < sc->nitems; k++) {
        nb_scan_push_item(L, sc, k);
        lua_rawseti(L, -2, (lua_Integer)k + 1);
    }
    return 1;
}

/* text_scan(text, layout) -> scan, has_rows: the items kept in C, lent one at a
 * time as scan[k] (#scan of them); has_rows tells whether any is a row */
static int api_text_scan(lua_State *L)
{
    nb_text_scan *sc = push_scan(L, 1, 2);
    lua_pushboolean(L, sc->has_rows);
    return 2;
}

void nb_scan_trim(const char **s, size_t *n)
{
    const char *b = *s, *e = *s + *n;
    for (;;) {
        if (b < e && nb_ascii_space((unsigned char)*b))
            b++;
        else if (e - b >= 3 && memcmp(b, IDEO_SPACE, 3) == 0)
            b += 3;
        else
            break;
    }
    for (;;) {
        if (e > b && nb_ascii_space((unsigned char)e[-1]))
            e--;
        else if (e - b >= 3 && memcmp(e - 3, IDEO_SPACE, 3) == 0)
            e -= 3;
        else
            break;
    }
    *s = b;
    *n = (size_t)(e - b);
}

/* trim(s): s without leading and trailing ASCII white space and U+3000 */
static int api_trim(lua_State *L)
{
    size_t n, len;
    const char *s = luaL_checklstring(L, 1, &n), *b = s;
    len = n;
    nb_scan_trim(&b, &len);
    if (len == n)
        lua_settop(L, 1);
    else
        lua_pushlstring(L, b, len);
    return 1;
}

/* The bytes of the file being imported (owned by the importing caller):
 * an importer's detect checks its head and the import its whole text, each
 * a Lua copy of these bytes; their strict prefix is worked out once.  One
 * per process, as the sandbox is. */
static struct {
    const char *data;
    size_t len, valid;
    bool known;
} input;

void nb_text_utf8_input(const char *data, size_t len)
{
    input.data = data;
    input.len = len;
    input.known = false;
}

size_t nb_text_utf8_strict_prefix(const char *s, size_t n)
{
    if (!input.data || n > input.len || memcmp(s, input.data, n) != 0)
        return nb_utf8_strict_prefix(s, n);
    if (!input.known) {
        input.valid = nb_utf8_strict_prefix(input.data, input.len);
        input.known = true;
    }
    if (input.valid <= n)
        return input.valid;
    /* inside the valid part: cut at n, or in a sequence, which is then the
     * first invalid one */
    size_t q = n;
    while (((unsigned char)input.data[q] & 0xC0) == 0x80)
        q--;
    return q;
}

/* utf8_valid(s): true when utf8.len(s) ~= nil, else false and the position
 * utf8.len gives (the first invalid sequence's), without counting in Lua */
static int api_utf8_valid(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    size_t at = nb_text_utf8_strict_prefix(s, n);
    lua_pushboolean(L, at == n);
    if (at == n)
        return 1;
    lua_pushinteger(L, (lua_Integer)at + 1);
    return 2;
}

/* inline_words(s, anchor, words) -> nil, or { word index, position, … }:
 * where in s a word stands with a byte other than white space before it on
 * its line (after a line break or the start); text_inline.h.  Every word
 * holds anchor. */
typedef struct {
    lua_State *L;
    int hits; /* the result's stack index, 0 before the first hit */
    lua_Integer n;
} inline_hits;

static bool push_hit(void *ud, size_t i, size_t pos)
{
    inline_hits *r = ud;
    if (!r->hits) {
        lua_newtable(r->L);
        r->hits = lua_gettop(r->L);
    }
    lua_pushinteger(r->L, (lua_Integer)i + 1);
    lua_rawseti(r->L, r->hits, ++r->n);
    lua_pushinteger(r->L, (lua_Integer)pos + 1);
    lua_rawseti(r->L, r->hits, ++r->n);
    return true;
}

static int api_inline_words(lua_State *L)
{
    size_t n, na;
    const char *s = luaL_checklstring(L, 1, &n), *a = luaL_checklstring(L, 2, &na);
    luaL_checktype(L, 3, LUA_TTABLE);
    luaL_argcheck(L, na > 0, 2, "anchor is empty");
    size_t nw = lua_rawlen(L, 3);
    lua_settop(L, 3);
    nb_inline_word *w = lua_newuserdatauv(L, (nw ? nw : 1) * sizeof *w, 0); /* the strings stay in words */
    for (size_t i = 0; i < nw; i++) {
        if (lua_rawgeti(L, 3, (lua_Integer)i + 1) != LUA_TSTRING)
            luaL_error(L, "inline_words: words[%d] is not a string", (int)i + 1);
        w[i].s = lua_tolstring(L, -1, &w[i].n);
        const char *at = w[i].n >= na ? memmem(w[i].s, w[i].n, a, na) : NULL;
        if (!at)
            luaL_error(L, "inline_words: words[%d] does not hold the anchor", (int)i + 1);
        w[i].at = (size_t)(at - w[i].s);
        lua_pop(L, 1);
    }
    inline_hits r = {.L = L};
    nb_inline_words(s, n, a, na, w, nw, push_hit, &r);
    if (!r.hits)
        lua_pushnil(L);
    return 1;
}

void nb_text_scan_register(lua_State *L)
{
    static const luaL_Reg fns[] = {{"text_rows", api_text_rows},
                                   {"text_scan", api_text_scan},
                                   {"trim", api_trim},
                                   {"utf8_valid", api_utf8_valid},
                                   {"inline_words", api_inline_words},
                                   {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
