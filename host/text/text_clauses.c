/* See text_clauses.h.  Lines at "\n", then sentences and clauses cut as
 * base/text_cut.h cuts them (the narrative rule kind cuts the same way). */
#define _GNU_SOURCE /* memrchr */
#include "text/text_clauses.h"
#include "base/text_cut.h"
#include <lauxlib.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

enum { SENTENCES, CLAUSES, SKIP_LINES, ANY, NONE, NLISTS };
static const char *const LIST_NAMES[NLISTS] = {"sentences", "clauses", "skip_lines", "any", "none"};

/* A list of words, with the characters they begin with as a bitmap: a
 * piece is walked once, and only where such a character stands are the
 * words compared (searching for each word in turn cost more than the
 * cutting). */
typedef struct {
    const nb_word *w;
    size_t n;
    bool has_short; /* a word of fewer than three bytes */
    uint8_t starts[65536 / 8];
} word_set;

/* the three bytes at s as a 16-bit key: the code point of a character of
 * the Basic Multilingual Plane written in three bytes (every Chinese one),
 * some mixture of the bits otherwise */
static unsigned key3(const char *s)
{
    return ((unsigned)(unsigned char)s[0] & 0x0F) << 12 | ((unsigned)(unsigned char)s[1] & 0x3F) << 6 |
           ((unsigned)(unsigned char)s[2] & 0x3F);
}

/* A compiled spec: its words copied into the same block of memory. */
typedef struct {
    bool digits, has_any;
    word_set set[NLISTS];
} cutter;

static bool has_digit(const char *s, size_t n) { return nb_next_digit(s, n) < n; }

/* up to so many words, each is searched for in turn (a line held against
 * one placeholder) */
enum { FEW_WORDS = 2 };

static bool holds_any(const char *s, size_t n, const word_set *ws)
{
    if (ws->n <= FEW_WORDS || ws->has_short)
        for (size_t k = 0; k < ws->n; k++)
            if ((ws->n <= FEW_WORDS || ws->w[k].n < 3) && nb_find_plain(s, n, ws->w[k].s, ws->w[k].n))
                return true;
    if (ws->n <= FEW_WORDS)
        return false;
    for (size_t i = 0; i + 2 < n; i++) {
        unsigned key = key3(s + i);
        if (!(ws->starts[key >> 3] & 1u << (key & 7)))
            continue;
        for (size_t k = 0; k < ws->n; k++) {
            const nb_word *w = &ws->w[k];
            if (w->n >= 3 && w->n <= n - i && s[i] == w->s[0] && memcmp(s + i, w->s, w->n) == 0)
                return true;
        }
    }
    return false;
}

/* Appends {text = clause, sentence = (the value at sentence), line = line} to the list at out. */
static void push_clause(lua_State *L, int out, const char *c, size_t n, int sentence, lua_Integer line)
{
    lua_createtable(L, 0, 3);
    lua_pushlstring(L, c, n);
    lua_setfield(L, -2, "text");
    lua_pushvalue(L, sentence);
    lua_setfield(L, -2, "sentence");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_rawseti(L, out, (lua_Integer)lua_rawlen(L, out) + 1);
}

/* the clauses of one line, cut in buf (room for two copies of the line) */
static void line_clauses(lua_State *L, const cutter *c, const char *line, size_t len, char *buf, int out,
                         lua_Integer lineno)
{
    memcpy(buf, line, len);
    size_t n = nb_cut_at(buf, len, c->set[SENTENCES].w, c->set[SENTENCES].n), at = 0;
    char *cb = buf + len;
    const char *sent;
    size_t sn;
    while (nb_next_piece(buf, n, &at, &sent, &sn)) {
        if (c->digits && !has_digit(sent, sn))
            continue;
        memcpy(cb, sent, sn);
        size_t m = nb_cut_at(cb, sn, c->set[CLAUSES].w, c->set[CLAUSES].n), cat = 0;
        const char *cl;
        size_t cn;
        int sentence = 0;
        while (nb_next_piece(cb, m, &cat, &cl, &cn)) {
            if ((c->digits && !has_digit(cl, cn)) || (c->has_any && !holds_any(cl, cn, &c->set[ANY])) ||
                holds_any(cl, cn, &c->set[NONE]))
                continue;
            if (!sentence) {
                lua_pushlstring(L, sent, sn);
                sentence = lua_gettop(L);
            }
            push_clause(L, out, cl, cn, sentence, lineno);
        }
        if (sentence)
            lua_pop(L, 1);
    }
}

/* n bytes to cut in: the cutter's buffer (upvalue 2, a userdata, so Lua
 * owns it however a call ends), made larger when too small */
static char *scratch(lua_State *L, size_t n)
{
    if (lua_type(L, lua_upvalueindex(2)) == LUA_TUSERDATA && lua_rawlen(L, lua_upvalueindex(2)) >= n)
        return lua_touserdata(L, lua_upvalueindex(2));
    char *b = lua_newuserdatauv(L, n, 0);
    lua_replace(L, lua_upvalueindex(2));
    return b;
}

/* cut(text) -> { {text=, sentence=, line=}, … } */
static int cut_text(lua_State *L)
{
    const cutter *c = lua_touserdata(L, lua_upvalueindex(1));
    size_t len;
    const char *text = luaL_checklstring(L, 1, &len);
    luaL_checkstack(L, 6, "clauses");
    lua_newtable(L);
    int out = lua_gettop(L);
    char *buf = NULL;
    lua_Integer lineno = 1; /* of the line that begins at counted */
    size_t counted = 0;
    /* with digits, only the lines with one are looked at; the others are
     * passed over by counting their newlines */
    for (size_t pos = 0; pos < len;) {
        size_t d = c->digits ? pos + nb_next_digit(text + pos, len - pos) : pos;
        if (d >= len)
            break;
        const char *before = memrchr(text + pos, '\n', d - pos);
        size_t start = before ? (size_t)(before - text) + 1 : pos;
        for (const char *nl; counted < start && (nl = memchr(text + counted, '\n', start - counted)); lineno++)
            counted = (size_t)(nl - text) + 1;
        const char *nl = memchr(text + d, '\n', len - d);
        size_t end = nl ? (size_t)(nl - text) : len;
        if (!holds_any(text + start, end - start, &c->set[SKIP_LINES])) {
            if (!buf)
                buf = scratch(L, 2 * len + 1);
            line_clauses(L, c, text + start, end - start, buf, out, lineno);
        }
        pos = end + 1;
    }
    lua_settop(L, out);
    return 1;
}

/* the list of strings spec[name] (at the top of the stack): its count and bytes; raises on anything else */
static void measure(lua_State *L, const char *name, size_t *count, size_t *bytes, bool nonempty)
{
    if (!lua_istable(L, -1))
        luaL_error(L, "host.clauses：%s 应为字符串列表", name);
    size_t n = lua_rawlen(L, -1);
    for (size_t i = 1; i <= n; i++) {
        size_t len;
        if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
            luaL_error(L, "host.clauses：%s 的第 %d 项应为字符串", name, (int)i);
        lua_tolstring(L, -1, &len);
        if (nonempty && len == 0)
            luaL_error(L, "host.clauses：%s 的第 %d 项是空字符串：分隔符不能为空", name, (int)i);
        *bytes += len;
        lua_pop(L, 1);
    }
    *count = n;
}

/* spec[name] without metamethods (pushed): what is measured is what is copied */
static int raw_field(lua_State *L, const char *name)
{
    lua_pushstring(L, name);
    return lua_rawget(L, 1);
}

/* clauses(spec) -> cut, a function of a text (docs/plugins.md) */
static int api_clauses(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checkstack(L, 4, "clauses");
    lua_settop(L, 1);
    for (lua_pushnil(L); lua_next(L, 1); lua_pop(L, 1)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
        bool known = k && strcmp(k, "digits") == 0;
        for (int i = 0; k && i < NLISTS; i++)
            known = known || strcmp(k, LIST_NAMES[i]) == 0;
        if (!known)
            luaL_error(L, "host.clauses：不认识的字段 %s（可用 sentences、clauses、skip_lines、digits、any、none）",
                       k ? k : luaL_typename(L, -2));
    }
    size_t count[NLISTS] = {0}, total = 0, bytes = 0;
    bool given[NLISTS];
    for (int i = 0; i < NLISTS; i++) {
        given[i] = raw_field(L, LIST_NAMES[i]) != LUA_TNIL;
        if (given[i])
            measure(L, LIST_NAMES[i], &count[i], &bytes, i == SENTENCES || i == CLAUSES);
        lua_pop(L, 1);
        total += count[i];
    }
    cutter *c = lua_newuserdatauv(L, sizeof *c + total * sizeof(nb_word) + bytes, 0);
    memset(c, 0, sizeof *c);
    nb_word *w = (nb_word *)(c + 1);
    char *b = (char *)(w + total);
    raw_field(L, "digits");
    c->digits = lua_toboolean(L, -1);
    lua_pop(L, 1);
    c->has_any = given[ANY];
    for (int i = 0; i < NLISTS; i++) {
        word_set *ws = &c->set[i];
        ws->w = w;
        ws->n = count[i];
        if (!given[i])
            continue;
        raw_field(L, LIST_NAMES[i]);
        for (size_t k = 1; k <= count[i]; k++, w++) {
            lua_rawgeti(L, -1, (lua_Integer)k);
            const char *s = lua_tolstring(L, -1, &w->n);
            memcpy(b, s, w->n);
            w->s = b;
            b += w->n;
            lua_pop(L, 1);
            if (w->n < 3) {
                ws->has_short = true;
                continue;
            }
            unsigned key = key3(w->s);
            ws->starts[key >> 3] |= (uint8_t)(1u << (key & 7));
        }
        lua_pop(L, 1);
    }
    lua_pushnil(L); /* no buffer yet */
    lua_pushcclosure(L, cut_text, 2);
    return 1;
}

void nb_text_clauses_register(lua_State *L)
{
    lua_pushcfunction(L, api_clauses);
    lua_setfield(L, -2, "clauses");
}
