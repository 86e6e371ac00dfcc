/* See xml_fast.h.  One pass, making the calls as it goes. */
#include "io/xml_fast.h"
#include "base/arena.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <stdint.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 200      /* deeper parts go to libxml2 (which stops at 256) */
#define MAX_NS 64          /* namespace declarations in scope */
#define MAX_ATTS 64        /* attributes of one element */
#define TABLE 1024         /* interned names and URIs (a power of two) */
#define MAX_RUN (1u << 20) /* a longer attribute value or text run goes to libxml2 */

static const char XML_NS[] = "http://www.w3.org/XML/1998/namespace";

typedef struct {
    const xmlChar *prefix, *uri; /* uri NULL: the default namespace undeclared */
    int depth;
} binding;

typedef struct {
    uint64_t key; /* a short name's bytes and length (see intern) */
    const xmlChar *name;
} short_slot;

typedef struct {
    const char *p, *end;
    const xmlSAXHandler *h;
    void *ctx;
    nb_arena arena;
    const char *tab[TABLE]; /* interned strings, NUL-terminated */
    short_slot shorts[256]; /* names of up to 7 bytes, by their bytes: most of a part's names */
    size_t ntab;
    binding ns[MAX_NS];
    int nns;
    const char *open[MAX_DEPTH]; /* the qualified names of the open elements */
    size_t openlen[MAX_DEPTH];
    int depth;
} fx;

/* s[0..n) interned: the same pointer for the same bytes; NULL when the table is full. */
static const xmlChar *intern_slow(fx *x, const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    for (size_t i = h & (TABLE - 1);; i = (i + 1) & (TABLE - 1)) {
        const char *t = x->tab[i];
        if (!t) {
            if (x->ntab >= TABLE / 2)
                return NULL;
            x->ntab++;
            return (const xmlChar *)(x->tab[i] = nb_arena_strndup(&x->arena, s, n));
        }
        if (strncmp(t, s, n) == 0 && t[n] == '\0')
            return (const xmlChar *)t;
    }
}

/* intern, a name of up to 7 bytes found by its bytes first */
static const xmlChar *intern(fx *x, const char *s, size_t n)
{
    if (n == 0 || n > 7)
        return intern_slow(x, s, n);
    uint64_t k = n;
    for (size_t i = 0; i < n; i++)
        k = k << 8 | (unsigned char)s[i];
    short_slot *slot = &x->shorts[(k * 0x9E3779B97F4A7C15u) >> 56];
    if (slot->key != k || !slot->name) {
        slot->key = k;
        slot->name = intern_slow(x, s, n);
    }
    return slot->name;
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_space(fx *x)
{
    while (x->p < x->end && is_space(*x->p))
        x->p++;
}

static bool name_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool name_char(char c)
{
    return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* An ASCII NCName at p: its length, 0 when there is none. */
static size_t ncname(const fx *x, const char *p)
{
    if (p >= x->end || !name_start(*p))
        return 0;
    size_t n = 1;
    while (p + n < x->end && name_char(p[n]))
        n++;
    return n < 1000 ? n : 0;
}

/* A qualified name at x->p: prefix (plen 0: none) and local part; false when there is none. */
static bool qname(fx *x, const char **pre, size_t *plen, const char **loc, size_t *llen)
{
    size_t a = ncname(x, x->p);
    if (a == 0)
        return false;
    if (x->p + a < x->end && x->p[a] == ':') {
        size_t b = ncname(x, x->p + a + 1);
        if (b == 0)
            return false;
        *pre = x->p, *plen = a, *loc = x->p + a + 1, *llen = b;
        x->p += a + 1 + b;
    } else {
        *pre = NULL, *plen = 0, *loc = x->p, *llen = a;
        x->p += a;
    }
    return true;
}

/* The URI bound to prefix (NULL: the default namespace); *ok false when a prefix is unbound. */
static const xmlChar *lookup(fx *x, const xmlChar *prefix, bool *ok)
{
    for (int i = x->nns - 1; i >= 0; i--)
        if (x->ns[i].prefix == prefix)
            return x->ns[i].uri;
    if (prefix && strcmp((const char *)prefix, "xml") == 0)
        return intern(x, XML_NS, sizeof XML_NS - 1);
    if (prefix)
        *ok = false;
    return NULL;
}

/* A bad byte for text or an attribute value: a control character (tab and
 * line feed aside), a carriage return (libxml2 would turn it into a line
 * feed), U+FFFE or U+FFFF. */
static bool bad_byte(const char *p, const char *end)
{
    unsigned char c = (unsigned char)*p;
    if (c < 0x20)
        return c != '\t' && c != '\n';
    return c == 0xEF && end - p >= 3 && (unsigned char)p[1] == 0xBF && ((unsigned char)p[2] & 0xFE) == 0xBE;
}

/* A reference at x->p ('&'): its UTF-8 in out (up to 4 bytes); 0 when it is
 * not a predefined entity or a character reference to an XML character. */
static size_t reference(fx *x, char *out)
{
    static const struct { const char *name; char c; } PRE[] = {
        {"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}};
    const char *p = x->p + 1;
    size_t left = (size_t)(x->end - p);
    for (size_t i = 0; i < sizeof PRE / sizeof *PRE; i++) {
        size_t n = strlen(PRE[i].name);
        if (left >= n && memcmp(p, PRE[i].name, n) == 0) {
            x->p = p + n;
            out[0] = PRE[i].c;
            return 1;
        }
    }
    if (left < 3 || *p != '#')
        return 0;
    p++;
    bool hex = *p == 'x';
    p += hex;
    uint32_t v = 0;
    size_t digits = 0;
    for (; p < x->end && *p != ';'; p++, digits++) {
        char c = *p;
        int d = c >= '0' && c <= '9' ? c - '0' : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                                                : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0 || digits >= 7)
            return 0;
        v = v * (hex ? 16u : 10u) + (uint32_t)d;
    }
    if (p >= x->end || digits == 0 ||
        !(v == 0x9 || v == 0xA || v == 0xD || (v >= 0x20 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD) ||
          (v >= 0x10000 && v <= 0x10FFFF)))
        return 0;
    x->p = p + 1;
    if (v < 0x80)
        return out[0] = (char)v, 1;
    if (v < 0x800)
        return out[0] = (char)(0xC0 | (v >> 6)), out[1] = (char)(0x80 | (v & 0x3F)), 2;
    if (v < 0x10000)
        return out[0] = (char)(0xE0 | (v >> 12)), out[1] = (char)(0x80 | ((v >> 6) & 0x3F)),
               out[2] = (char)(0x80 | (v & 0x3F)), 3;
    return out[0] = (char)(0xF0 | (v >> 18)), out[1] = (char)(0x80 | ((v >> 12) & 0x3F)),
           out[2] = (char)(0x80 | ((v >> 6) & 0x3F)), out[3] = (char)(0x80 | (v & 0x3F)), 4;
}

/* Text up to the next '<' (x->depth > 0): passed on in runs and references. */
static bool text(fx *x)
{
    const char *run = x->p;
    while (x->p < x->end && *x->p != '<') {
        const char *p = x->p;
        if (*p == '&' || (*p == ']' && x->end - p >= 3 && p[1] == ']' && p[2] == '>') || bad_byte(p, x->end) ||
            p - run >= (ptrdiff_t)MAX_RUN) {
            if (*p != '&')
                return false;
            if (x->h && p > run)
                x->h->characters(x->ctx, (const xmlChar *)run, (int)(p - run));
            char buf[4];
            size_t n = reference(x, buf);
            if (n == 0)
                return false;
            if (x->h)
                x->h->characters(x->ctx, (const xmlChar *)buf, (int)n);
            run = x->p;
            continue;
        }
        x->p++;
    }
    if (x->h && x->p > run)
        x->h->characters(x->ctx, (const xmlChar *)run, (int)(x->p - run));
    return true;
}

/* "<!--" at x->p: the comment skipped; false when it has "--" inside or no end. */
static bool comment(fx *x)
{
    const char *p = x->p + 4;
    for (; p + 1 < x->end; p++) {
        if (p[0] == '-' && p[1] == '-') {
            if (p + 2 < x->end && p[2] == '>') {
                x->p = p + 3;
                return true;
            }
            return false;
        }
        if (bad_byte(p, x->end) && *p != '\r')
            return false;
    }
    return false;
}

/* The XML declaration at x->p, if any: only version 1.0 and UTF-8 (or no encoding) stay here. */
static bool declaration(fx *x)
{
    if (x->end - x->p < 6 || memcmp(x->p, "<?xml", 5) != 0 || !is_space(x->p[5]))
        return x->end - x->p < 2 || memcmp(x->p, "<?", 2) != 0; /* another PI: libxml2's */
    x->p += 5;
    bool version = false;
    int stage = 0; /* version, encoding, standalone: in this order */
    for (;;) {
        skip_space(x);
        if (x->end - x->p >= 2 && x->p[0] == '?' && x->p[1] == '>') {
            x->p += 2;
            return version;
        }
        size_t n = ncname(x, x->p);
        if (n == 0)
            return false;
        const char *k = x->p;
        x->p += n;
        skip_space(x);
        if (x->p >= x->end || *x->p != '=')
            return false;
        x->p++;
        skip_space(x);
        if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
            return false;
        const char *v = x->p + 1, *e = memchr(v, *x->p, (size_t)(x->end - v));
        if (!e)
            return false;
        size_t vn = (size_t)(e - v);
        x->p = e + 1;
        if (n == 7 && memcmp(k, "version", 7) == 0 && stage < 1 && vn == 3 && memcmp(v, "1.0", 3) == 0)
            version = true, stage = 1;
        else if (n == 8 && memcmp(k, "encoding", 8) == 0 && stage == 1 && vn == 5 && strncasecmp(v, "UTF-8", 5) == 0)
            stage = 2;
        else if (n == 10 && memcmp(k, "standalone", 10) == 0 && version && stage < 3 &&
                 ((vn == 3 && memcmp(v, "yes", 3) == 0) || (vn == 2 && memcmp(v, "no", 2) == 0)))
            stage = 3;
        else
            return false;
        if (x->p < x->end && !is_space(*x->p) && *x->p != '?')
            return false;
    }
}

typedef struct {
    const char *pre, *loc;
    size_t plen, llen;
    const char *v, *ve;
} raw_att;

/* A start tag at x->p ('<'). */
static bool start_tag(fx *x)
{
    const char *q = ++x->p, *pre, *loc;
    size_t plen, llen;
    if (!qname(x, &pre, &plen, &loc, &llen) || x->depth >= MAX_DEPTH)
        return false;
    size_t qlen = (size_t)(x->p - q);
    raw_att raw[MAX_ATTS];
    int n = 0, nns0 = x->nns;
    for (;;) {
        bool space = x->p < x->end && is_space(*x->p);
        skip_space(x);
        if (x->p >= x->end)
            return false;
        if (*x->p == '>' || *x->p == '/')
            break;
        raw_att *a = &raw[n];
        if (!space || n >= MAX_ATTS || !qname(x, &a->pre, &a->plen, &a->loc, &a->llen))
            return false;
        skip_space(x);
        if (x->p >= x->end || *x->p != '=')
            return false;
        x->p++;
        skip_space(x);
        if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
            return false;
        char quote = *x->p++;
        a->v = x->p;
        while (x->p < x->end && *x->p != quote) {
            if (*x->p == '<' || *x->p == '&' || *x->p == '\t' || *x->p == '\n' || bad_byte(x->p, x->end))
                return false;
            x->p++;
        }
        if (x->p >= x->end || x->p - a->v >= (ptrdiff_t)MAX_RUN)
            return false;
        a->ve = x->p++;
        for (int i = 0; i < n; i++) /* the same name twice */
            if (raw[i].plen == a->plen && raw[i].llen == a->llen && memcmp(raw[i].loc, a->loc, a->llen) == 0 &&
                (a->plen == 0 || memcmp(raw[i].pre, a->pre, a->plen) == 0))
                return false;
        bool deflt = a->plen == 0 && a->llen == 5 && memcmp(a->loc, "xmlns", 5) == 0;
        bool prefixed = a->plen == 5 && memcmp(a->pre, "xmlns", 5) == 0;
        if (deflt || prefixed) { /* a namespace declaration */
            size_t un = (size_t)(a->ve - a->v);
            if (x->nns >= MAX_NS || (prefixed && (un == 0 || (a->llen == 3 && memcmp(a->loc, "xml", 3) == 0) ||
                                                  (a->llen == 5 && memcmp(a->loc, "xmlns", 5) == 0))))
                return false;
            binding *b = &x->ns[x->nns++];
            b->prefix = prefixed ? intern(x, a->loc, a->llen) : NULL;
            b->uri = un ? intern(x, a->v, un) : NULL;
            b->depth = x->depth;
            if ((prefixed && !b->prefix) || (un && !b->uri) || (b->uri && strcmp((const char *)b->uri, XML_NS) == 0))
                return false;
        } else
            n++;
    }
    bool empty = *x->p == '/';
    if (empty && (x->end - x->p < 2 || x->p[1] != '>'))
        return false;
    x->p += empty ? 2 : 1;
    bool ok = true;
    const xmlChar *eprefix = plen ? intern(x, pre, plen) : NULL, *elocal = intern(x, loc, llen);
    const xmlChar *euri = lookup(x, eprefix, &ok);
    const xmlChar *atts[MAX_ATTS * 5];
    for (int i = 0; i < n && ok; i++) {
        const xmlChar **at = &atts[i * 5];
        at[0] = intern(x, raw[i].loc, raw[i].llen);
        at[1] = raw[i].plen ? intern(x, raw[i].pre, raw[i].plen) : NULL;
        at[2] = at[1] ? lookup(x, at[1], &ok) : NULL;
        at[3] = (const xmlChar *)raw[i].v, at[4] = (const xmlChar *)raw[i].ve;
        ok = ok && at[0] && (!raw[i].plen || at[1]);
        for (int j = 0; j < i && ok; j++) /* the same expanded name through two prefixes */
            ok = !(atts[j * 5] == at[0] && atts[j * 5 + 2] == at[2] && at[2]);
    }
    if (!ok || !elocal || (plen && !eprefix))
        return false;
    if (x->h)
        x->h->startElementNs(x->ctx, elocal, eprefix, euri, 0, NULL, n, 0, atts);
    if (empty) {
        if (x->h)
            x->h->endElementNs(x->ctx, elocal, eprefix, euri);
        x->nns = nns0;
    } else {
        x->open[x->depth] = q, x->openlen[x->depth] = qlen;
        x->depth++;
    }
    return true;
}

/* An end tag at x->p ("</"): it must close the open element. */
static bool end_tag(fx *x)
{
    x->p += 2;
    const char *q = x->p, *pre, *loc;
    size_t plen, llen;
    if (x->depth == 0 || !qname(x, &pre, &plen, &loc, &llen))
        return false;
    int d = x->depth - 1;
    if ((size_t)(x->p - q) != x->openlen[d] || memcmp(q, x->open[d], x->openlen[d]) != 0)
        return false;
    skip_space(x);
    if (x->p >= x->end || *x->p != '>')
        return false;
    x->p++;
    if (x->h) {
        bool ok = true;
        const xmlChar *eprefix = plen ? intern(x, pre, plen) : NULL;
        x->h->endElementNs(x->ctx, intern(x, loc, llen), eprefix, lookup(x, eprefix, &ok));
    }
    x->depth = d;
    while (x->nns > 0 && x->ns[x->nns - 1].depth >= d)
        x->nns--;
    return true;
}

/* The pass over the part; false when it is outside the subset. */
static bool pass(fx *x, const char *data, size_t len)
{
    x->p = data, x->end = data + len;
    x->nns = x->depth = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        x->p += 3;
    if (!declaration(x))
        return false;
    bool root = false;
    while (x->p < x->end) {
        if (x->depth == 0) {
            skip_space(x);
            if (x->p >= x->end)
                break;
            if (*x->p != '<')
                return false; /* text outside the root */
        } else if (*x->p != '<') {
            if (!text(x))
                return false;
            continue;
        }
        size_t left = (size_t)(x->end - x->p);
        bool ok;
        if (left >= 4 && memcmp(x->p, "<!--", 4) == 0)
            ok = comment(x);
        else if (left >= 2 && x->p[1] == '/')
            ok = end_tag(x);
        else if (left >= 2 && (x->p[1] == '!' || x->p[1] == '?'))
            ok = false; /* a DTD, CDATA section or processing instruction: libxml2's */
        else if (x->depth == 0 && root)
            ok = false; /* a second root */
        else
            ok = (root = true) && start_tag(x);
        if (!ok)
            return false;
    }
    return root && x->depth == 0;
}

bool nb_xml_fast_parse(const char *data, size_t len, const xmlSAXHandler *h, void *ctx)
{
    if (nb_utf8_strict_prefix(data, len) != len)
        return false;
    fx *x = nb_xcalloc(1, sizeof *x);
    nb_arena_init(&x->arena);
    x->h = h, x->ctx = ctx;
    bool ok = pass(x, data, len);
    nb_arena_free(&x->arena);
    free(x);
    return ok;
}
