/* See byte_cursor.h.  One writer and one reader for every structure this
 * program writes as bytes, where each of three files had its own. */
#include "base/byte_cursor.h"
#include "base/xalloc.h"
#include <string.h>

static void put_le(nb_strbuf *out, uint64_t v, size_t n)
{
    char b[8];
    for (size_t i = 0; i < n; i++)
        b[i] = (char)(v >> (8 * i));
    nb_sb_append(out, b, n);
}

void nb_put_u8(nb_strbuf *out, uint8_t v) { put_le(out, v, 1); }
void nb_put_u32(nb_strbuf *out, uint32_t v) { put_le(out, v, 4); }
void nb_put_u64(nb_strbuf *out, uint64_t v) { put_le(out, v, 8); }

void nb_put_f64(nb_strbuf *out, double v)
{
    uint64_t u;
    memcpy(&u, &v, sizeof u);
    put_le(out, u, 8);
}

void nb_put_mem(nb_strbuf *out, const void *p, size_t n)
{
    nb_put_u32(out, (uint32_t)n + 1);
    nb_sb_append(out, p, n);
}

void nb_put_str(nb_strbuf *out, const char *s)
{
    if (s)
        nb_put_mem(out, s, strlen(s));
    else
        nb_put_u32(out, 0);
}

nb_byte_cursor nb_byte_cursor_of(const void *p, size_t n)
{
    const unsigned char *b = p;
    return (nb_byte_cursor){b, b + n, false};
}

static uint64_t take_le(nb_byte_cursor *c, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v |= (uint64_t)c->p[i] << (8 * i);
    c->p += n;
    return v;
}

uint8_t nb_take_u8(nb_byte_cursor *c) { return (uint8_t)take_le(c, 1); }
uint32_t nb_take_u32(nb_byte_cursor *c) { return (uint32_t)take_le(c, 4); }
uint64_t nb_take_u64(nb_byte_cursor *c) { return take_le(c, 8); }

double nb_take_f64(nb_byte_cursor *c)
{
    uint64_t u = take_le(c, 8);
    double v;
    memcpy(&v, &u, sizeof v);
    return v;
}

size_t nb_take_count(nb_byte_cursor *c, size_t least)
{
    uint32_t n = nb_take_u32(c);
    if (c->bad || (size_t)(c->end - c->p) / least < n) {
        c->bad = true;
        return 0;
    }
    return n;
}

const char *nb_take_str(nb_byte_cursor *c, size_t *len)
{
    uint32_t n = nb_take_u32(c);
    *len = 0;
    if (c->bad || n == 0)
        return NULL;
    if ((size_t)(c->end - c->p) < (size_t)n - 1) {
        c->bad = true;
        return NULL;
    }
    const char *s = (const char *)c->p;
    c->p += n - 1;
    *len = (size_t)n - 1;
    return s;
}

char *nb_take_strdup(nb_byte_cursor *c)
{
    size_t n;
    const char *p = nb_take_str(c, &n);
    if (!p)
        return NULL;
    char *s = nb_xmalloc(n + 1);
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

const char *nb_take_str_in(nb_byte_cursor *c, nb_arena *a)
{
    size_t n;
    const char *p = nb_take_str(c, &n);
    return p ? nb_arena_strndup(a, p, n) : NULL;
}

bool nb_byte_cursor_done(const nb_byte_cursor *c)
{
    return !c->bad && c->p == c->end;
}
