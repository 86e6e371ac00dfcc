/* See text_clauses.h.  The cutting is exactly what the Lua it replaces did
 * (lib/narrative.lua before): lines at "\n"; each separator in the order
 * given replaced by a cut, as gsub replaces a plain string (leftmost, not
 * overlapping), then the pieces between cuts (a NUL byte cuts too) without
 * white space at either end (%s), empty ones dropped. */
#define _GNU_SOURCE /* memmem */
#include "text/text_clauses.h"
#include "base/text_norm.h"
#include <lauxlib.h>
#include <stdbool.h>
#include <string.h>

enum { SENTENCES, CLAUSES, SKIP_LINES, ANY, NONE, NLISTS };
static const char *const LIST_NAMES[NLISTS] = {"sentences", "clauses", "skip_lines", "any", "none"};

typedef struct {
    const char *s;
    size_t n;
} word;

/* A compiled spec: its words copied into the same block of memory. */
typedef struct {
    bool digits, has_any;
    const word *list[NLISTS];
    size_t count[NLISTS];
} cutter;

static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)(s[i] - '0') < 10)
            return true;
    return false;
}

static bool holds_any(const char *s, size_t n, const word *w, size_t nw)
{
    for (size_t i = 0; i < nw; i++)
        if (memmem(s, n, w[i].s, w[i].n))
            return true;
    return false;
}

/* Replaces every separator of the list, one after the other, by a NUL in
 * s[0..n); returns the new length. */
static size_t cut_at(char *s, size_t n, const word *seps, size_t nseps)
{
    for (size_t i = 0; i < nseps; i++) {
        size_t r = 0, w = 0;
        const char *hit;
        while ((hit = memmem(s + r, n - r, seps[i].s, seps[i].n))) {
            size_t k = (size_t)(hit - (s + r));
            memmove(s + w, s + r, k);
            w += k;
            s[w++] = '\0';
            r += k + seps[i].n;
        }
        if (r == 0)
            continue;
        memmove(s + w, s + r, n - r);
        n = w + n - r;
    }
    return n;
}

/* The next piece of s[*at..n) between NULs, trimmed, or false when none is left. */
static bool next_piece(const char *s, size_t n, size_t *at, const char **p, size_t *pn)
{
    while (*at < n) {
        const char *b = s + *at, *z = memchr(b, '\0', n - *at);
        const char *e = z ? z : s + n;
        *at = (size_t)(e - s) + 1;
        while (b < e && nb_ascii_space((unsigned char)*b))
            b++;
        while (e > b && nb_ascii_space((unsigned char)e[-1]))
            e--;
        if (e > b) {
            *p = b;
            *pn = (size_t)(e - b);
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
    size_t n = cut_at(buf, len, c->list[SENTENCES], c->count[SENTENCES]), at = 0;
    char *cb = buf + len;
    const char *sent;
    size_t sn;
    while (next_piece(buf, n, &at, &sent, &sn)) {
        if (c->digits && !has_digit(sent, sn))
            continue;
        memcpy(cb, sent, sn);
        size_t m = cut_at(cb, sn, c->list[CLAUSES], c->count[CLAUSES]), cat = 0;
        const char *cl;
        size_t cn;
        int sentence = 0;
        while (next_piece(cb, m, &cat, &cl, &cn)) {
            if ((c->digits && !has_digit(cl, cn)) || (c->has_any && !holds_any(cl, cn, c->list[ANY], c->count[ANY])) ||
                holds_any(cl, cn, c->list[NONE], c->count[NONE]))
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
    lua_Integer lineno = 0;
    if (c->digits && !has_digit(text, len))
        return 1;
    for (size_t pos = 0;;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        const char *line = text + pos;
        size_t n = end - pos;
        lineno++;
        if ((!c->digits || has_digit(line, n)) && !holds_any(line, n, c->list[SKIP_LINES], c->count[SKIP_LINES])) {
            if (!buf) /* owned by Lua: freed however this call ends */
                buf = lua_newuserdatauv(L, 2 * len + 1, 0);
            line_clauses(L, c, line, n, buf, out, lineno);
        }
        if (!nl)
            break;
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
    cutter *c = lua_newuserdatauv(L, sizeof *c + total * sizeof(word) + bytes, 0);
    word *w = (word *)(c + 1);
    char *b = (char *)(w + total);
    raw_field(L, "digits");
    c->digits = lua_toboolean(L, -1);
    lua_pop(L, 1);
    c->has_any = given[ANY];
    for (int i = 0; i < NLISTS; i++) {
        c->list[i] = w;
        c->count[i] = count[i];
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
        }
        lua_pop(L, 1);
    }
    lua_pushcclosure(L, cut_text, 1);
    return 1;
}

void nb_text_clauses_register(lua_State *L)
{
    lua_pushcfunction(L, api_clauses);
    lua_setfield(L, -2, "clauses");
}
