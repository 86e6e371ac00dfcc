/* See json_fast.h.  Why: cJSON made a node and a string copy a value (each
 * through the metered allocator), host.json_decode then copied the tree into
 * Lua and the collector freed it: 1.0 M instructions of a 14 KB report, most
 * of a JSON import.  This reader goes from the text to Lua values in one
 * pass.  It reads only what it is sure cJSON reads the same way (plain JSON:
 * no BOM, no number past 63 characters, nesting up to NB_JSON_DEPTH_MAX);
 * on anything else it gives up and the caller asks cJSON, whose errors,
 * quirks and messages are therefore kept as they were. */
#include "api/json_fast.h"
#include "lua/lua_values.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    lua_State *L;
    const unsigned char *s, *end;
    char *scratch; /* escaped strings decoded here: a userdata below the values, when the text has a backslash */
    int depth_max;
} reader;

static const unsigned char *skip_space(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
        p++;
    return p;
}

static int hex4(const unsigned char *p)
{
    int v = 0;
    for (int k = 0; k < 4; k++) {
        unsigned char c = p[k];
        int h = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t put_utf8(char *o, unsigned long cp)
{
    if (cp < 0x80)
        return o[0] = (char)cp, 1;
    if (cp < 0x800)
        return o[0] = (char)(0xC0 | (cp >> 6)), o[1] = (char)(0x80 | (cp & 0x3F)), 2;
    if (cp < 0x10000)
        return o[0] = (char)(0xE0 | (cp >> 12)), o[1] = (char)(0x80 | ((cp >> 6) & 0x3F)),
               o[2] = (char)(0x80 | (cp & 0x3F)), 3;
    return o[0] = (char)(0xF0 | (cp >> 18)), o[1] = (char)(0x80 | ((cp >> 12) & 0x3F)),
           o[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), o[3] = (char)(0x80 | (cp & 0x3F)), 4;
}

/* the character a one-letter escape stands for, 0 when it is none */
static char escaped(unsigned char e)
{
    switch (e) {
    case 'b': return '\b';
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case '"': case '\\': case '/': return (char)e;
    default: return 0;
    }
}

/* A string at p (its opening quote): pushed, and the byte after its closing
 * quote returned; NULL when unsure (an escape or \u cJSON reads otherwise,
 * a byte below 0x20, a NUL decoded). */
static const unsigned char *read_string(reader *r, const unsigned char *p)
{
    const unsigned char *q = ++p;
    while (q < r->end && *q != '"' && *q != '\\' && *q >= 0x20)
        q++;
    if (q >= r->end || *q < 0x20)
        return NULL;
    if (*q == '"') {
        lua_pushlstring(r->L, (const char *)p, (size_t)(q - p));
        return q + 1;
    }
    char *o = r->scratch;
    memcpy(o, p, (size_t)(q - p));
    o += q - p;
    while (q < r->end && *q != '"') {
        if (*q < 0x20)
            return NULL;
        if (*q != '\\') {
            *o++ = (char)*q++;
            continue;
        }
        if (q + 1 >= r->end)
            return NULL;
        char simple = escaped(q[1]);
        if (simple) {
            *o++ = simple;
            q += 2;
            continue;
        }
        if (q[1] != 'u' || r->end - q < 6)
            return NULL;
        int first = hex4(q + 2);
        if (first <= 0 || (first >= 0xDC00 && first <= 0xDFFF))
            return NULL;
        unsigned long cp = (unsigned long)first;
        q += 6;
        if (first >= 0xD800 && first <= 0xDBFF) {
            if (r->end - q < 6 || q[0] != '\\' || q[1] != 'u')
                return NULL;
            int second = hex4(q + 2);
            if (second < 0xDC00 || second > 0xDFFF)
                return NULL;
            cp = 0x10000 + (((cp & 0x3FF) << 10) | ((unsigned long)second & 0x3FF));
            q += 6;
        }
        o += put_utf8(o, cp);
    }
    if (q >= r->end)
        return NULL;
    lua_pushlstring(r->L, r->scratch, (size_t)(o - r->scratch));
    return q + 1;
}

/* A number in JSON's own grammar, followed by no character cJSON would
 * take into it, of at most 63 characters: strtod reads the same text cJSON
 * hands it, and the value is pushed as host.json_decode pushed it. */
static const unsigned char *read_number(reader *r, const unsigned char *p)
{
    const unsigned char *q = p;
    if (q < r->end && *q == '-')
        q++;
    if (q < r->end && *q == '0')
        q++;
    else if (q < r->end && *q >= '1' && *q <= '9')
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
    else
        return NULL;
    if (q < r->end && *q == '.') {
        const unsigned char *d = ++q;
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
        if (q == d)
            return NULL;
    }
    if (q < r->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < r->end && (*q == '+' || *q == '-'))
            q++;
        const unsigned char *d = q;
        while (q < r->end && *q >= '0' && *q <= '9')
            q++;
        if (q == d)
            return NULL;
    }
    if (q - p > 63 || (q < r->end && strchr("0123456789+-eE.", *q) && *q))
        return NULL;
    char num[64];
    memcpy(num, p, (size_t)(q - p));
    num[q - p] = '\0';
    double d = strtod(num, NULL);
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && d == (double)(lua_Integer)d)
        lua_pushinteger(r->L, (lua_Integer)d);
    else
        lua_pushnumber(r->L, d);
    return q;
}

static const unsigned char *read_value(reader *r, const unsigned char *p, int depth);

/* An array or object at p: its elements (and keys) pushed on the stack as
 * read, then a table made at the size cJSON's tree gave it and filled in
 * the same order, so that its keys are laid out as before. */
static const unsigned char *read_list(reader *r, const unsigned char *p, int depth, bool object)
{
    lua_State *L = r->L;
    int base, n = 0;
    unsigned char close = object ? '}' : ']';
    p = skip_space(p + 1, r->end);
    if (p < r->end && *p == close) {
        lua_createtable(L, 0, 0);
        return p + 1;
    }
    for (;;) {
        if (!lua_checkstack(L, 4))
            return NULL;
        if (object) {
            if (p >= r->end || *p != '"' || !(p = read_string(r, p)))
                return NULL;
            p = skip_space(p, r->end);
            if (p >= r->end || *p != ':')
                return NULL;
            p = skip_space(p + 1, r->end);
        }
        if (!(p = read_value(r, p, depth + 1)))
            return NULL;
        n++;
        p = skip_space(p, r->end);
        if (p < r->end && *p == ',') {
            p = skip_space(p + 1, r->end);
            continue;
        }
        if (p >= r->end || *p != close)
            return NULL;
        break;
    }
    base = lua_gettop(L) - (object ? 2 * n : n);
    lua_createtable(L, object ? 0 : n, object ? n : 0);
    for (int k = 0; k < n; k++) {
        if (object) {
            lua_pushvalue(L, base + 2 * k + 2);
            lua_setfield(L, -2, lua_tostring(L, base + 2 * k + 1));
        } else {
            lua_pushvalue(L, base + k + 1);
            lua_rawseti(L, -2, k + 1);
        }
    }
    lua_replace(L, base + 1);
    lua_settop(L, base + 1);
    return p + 1;
}

static const unsigned char *read_value(reader *r, const unsigned char *p, int depth)
{
    if (depth > r->depth_max || p >= r->end)
        return NULL;
    size_t left = (size_t)(r->end - p);
    switch (*p) {
    case '"':
        return read_string(r, p);
    case '{':
    case '[':
        return read_list(r, p, depth, *p == '{');
    case 'n':
        return left >= 4 && memcmp(p, "null", 4) == 0 ? (nb_push_json_null(r->L), p + 4) : NULL;
    case 't':
        return left >= 4 && memcmp(p, "true", 4) == 0 ? (lua_pushboolean(r->L, 1), p + 4) : NULL;
    case 'f':
        return left >= 5 && memcmp(p, "false", 5) == 0 ? (lua_pushboolean(r->L, 0), p + 5) : NULL;
    default:
        return read_number(r, p);
    }
}

bool nb_json_fast_push(lua_State *L, const char *text, size_t len, int depth_max)
{
    int top = lua_gettop(L);
    reader r = {.L = L, .s = (const unsigned char *)text, .end = (const unsigned char *)text + len, .depth_max = depth_max};
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) /* cJSON skips a BOM in some lengths only */
        return false;
    if (!lua_checkstack(L, 5))
        return false;
    if (memchr(text, '\\', len)) /* decoded text is never longer than its source */
        r.scratch = lua_newuserdatauv(L, len + 1, 0);
    if (!read_value(&r, skip_space(r.s, r.end), 0)) {
        lua_settop(L, top);
        return false;
    }
    if (r.scratch)
        lua_remove(L, top + 1);
    return true;
}
