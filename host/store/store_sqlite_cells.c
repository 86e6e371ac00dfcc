/* The cells of a stored report as one JSON text in its row (report.cells):
 * [[seq, "tab", "row", "col", "value", "kind", micro, flags, line], …].
 * One row per cell cost SQLite a B-tree insert and a record per cell —
 * most of `add`'s store time — and a row step per cell to read a report
 * back; one text is written and read whole.  The view `cell` unpacks it for
 * SQL (json_each), so sums and ad-hoc queries still see one row per cell.
 * The reader below takes what SQLite's JSON functions write too (the
 * migration from the cell table): escapes, \u sequences, white space. */
#include "store/store_sqlite.h"
#include "base/xalloc.h"
#include "model/decimal.h"
#include <stdio.h>
#include <string.h>

/* s as a JSON string at w (room for 6 bytes a byte of s, and 2): quotes,
 * backslashes and control characters escaped, other bytes (UTF-8) as they
 * are.  Returns the end. */
static char *put_str(char *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    *w++ = '"';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != '"' && c != '\\') {
            *w++ = (char)c;
        } else if (c == '"' || c == '\\') {
            *w++ = '\\';
            *w++ = (char)c;
        } else {
            memcpy(w, "\\u00", 4);
            w[4] = hex[c >> 4];
            w[5] = hex[c & 15];
            w += 6;
        }
    }
    *w++ = '"';
    return w;
}

/* v in decimal at w (room for 20 bytes); returns the end.  Written in
 * place, two digits a step: it runs twice for every cell of every report
 * `add` writes. */
static char *put_int(char *w, int64_t v)
{
    static const char pairs[] = "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
                                "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
                                "8081828384858687888990919293949596979899";
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        *w++ = '-';
    size_t n = 1;
    for (uint64_t t = u; t >= 10; t /= 10)
        n++;
    char *end = w + n, *p = end;
    for (; u >= 100; u /= 100) {
        p -= 2;
        memcpy(p, pairs + 2 * (u % 100), 2);
    }
    if (u >= 10)
        memcpy(p - 2, pairs + 2 * u, 2);
    else
        p[-1] = (char)('0' + u);
    return end;
}

/* The prefixes of fmt's cells into q (made again for another format). */
static void prefixes(nb_sq *q, const nb_format *fmt)
{
    if (q->enc_format == fmt)
        return;
    nb_strbuf *b = &q->enc_prefix;
    b->len = 0;
    free(q->enc_at);
    q->enc_at = nb_xmalloc((fmt->ncells + 1) * sizeof *q->enc_at);
    for (size_t i = 0; i < fmt->ncells; i++) {
        const nb_cell_addr *a = nb_format_cell_addr(fmt, i);
        size_t chars = strlen(a->table->id) + strlen(a->row->id) + strlen(a->col->id);
        char *w0 = nb_sb_room(b, 6 * chars + 40), *w = w0;
        q->enc_at[i] = b->len;
        *w++ = '[';
        w = put_int(w, (int64_t)i);
        *w++ = ',';
        w = put_str(w, a->table->id);
        *w++ = ',';
        w = put_str(w, a->row->id);
        *w++ = ',';
        w = put_str(w, a->col->id);
        *w++ = ',';
        b->len += (size_t)(w - w0);
    }
    q->enc_at[fmt->ncells] = b->len;
    q->enc_format = fmt;
}

void nb_sq_cells_encode(nb_sq *q, const nb_report *r, nb_strbuf *b)
{
    prefixes(q, r->format);
    b->len = 0;
    nb_sb_append(b, "[", 1);
    for (size_t i = 0; i < r->format->ncells; i++) {
        const nb_cell *c = &r->cells[i];
        if (c->state == NB_CELL_BLANK && c->line == 0)
            continue; /* nothing written and nothing to point at: absent is blank */
        size_t np = q->enc_at[i + 1] - q->enc_at[i], need = np + (c->text ? 6 * strlen(c->text) : 40) + 96;
        char *w0 = b->cap - b->len > need ? b->data + b->len : nb_sb_room(b, need), *w = w0; /* 3 ints, quotes, commas */
        if (b->len > 1)
            *w++ = ',';
        memcpy(w, q->enc_prefix.data + q->enc_at[i], np);
        w += np;
        const char *digits = NULL; /* a whole number's text as written (no escapes) */
        size_t nd = 0;
        if (c->text) {
            w = put_str(w, c->text);
        } else if (c->state == NB_CELL_VALUE) { /* as nb_cell_text writes it: digits, '-' and '.' only */
            *w++ = '"';
            nb_dec_format(c->micro, w, 40);
            nd = strlen(w);
            digits = c->micro % NB_DEC_SCALE == 0 ? w : NULL;
            w += nd;
            *w++ = '"';
        } else {
            memcpy(w, "\"\"", 2);
            w += 2;
        }
        if (c->state == NB_CELL_VALUE) {
            memcpy(w, ",\"value\",", 9);
            w += 9;
            if (c->micro == 0) {
                *w++ = '0';
            } else if (digits) { /* a whole number's millionths: its digits and six zeros */
                memmove(w, digits, nd);
                memcpy(w + nd, "000000", 6);
                w += nd + 6;
            } else {
                w = put_int(w, c->micro);
            }
        } else {
            const char *rest = c->state == NB_CELL_NA ? ",\"na\",null" : ",\"blank\",null";
            memcpy(w, rest, strlen(rest));
            w += strlen(rest);
        }
        *w++ = ',';
        *w++ = (char)('0' + ((c->fraction ? 1 : 0) | (c->converted ? 2 : 0) | (c->text ? 4 : 0)));
        *w++ = ',';
        w = put_int(w, c->line);
        *w++ = ']';
        b->len += (size_t)(w - w0);
    }
    nb_sb_append(b, "]", 1);
}

/* A reading position in the text; bad once anything is not as expected. */
typedef struct {
    const char *p, *end;
    bool bad;
} cursor;

static void skip_ws(cursor *k)
{
    while (k->p < k->end && (*k->p == ' ' || *k->p == '\n' || *k->p == '\r' || *k->p == '\t'))
        k->p++;
}

/* Takes c (after white space); false, without moving, when it is not next. */
static inline bool take(cursor *k, char c)
{
    if (k->p < k->end && *k->p == c) { /* what encode writes: no white space */
        k->p++;
        return true;
    }
    skip_ws(k);
    if (k->p < k->end && *k->p == c) {
        k->p++;
        return true;
    }
    return false;
}

static inline void expect(cursor *k, char c)
{
    if (!take(k, c))
        k->bad = true;
}

/* An integer, or null (*null true, 0). */
static int64_t get_int(cursor *k, bool *null)
{
    skip_ws(k);
    *null = false;
    if (k->p < k->end && *k->p == 'n') {
        if (k->end - k->p < 4 || memcmp(k->p, "null", 4) != 0)
            k->bad = true;
        k->p += 4;
        *null = true;
        return 0;
    }
    bool neg = k->p < k->end && *k->p == '-';
    k->p += neg;
    uint64_t u = 0;
    const char *p = k->p, *start = p, *end = k->end - p > 19 ? p + 19 : k->end; /* 19 digits fit */
    while (p < end && (unsigned)(*p - '0') < 10)
        u = u * 10 + (uint64_t)(*p++ - '0');
    k->p = p;
    if (p == start || u > (uint64_t)INT64_MAX + neg || (p < k->end && (unsigned)(*p - '0') < 10))
        k->bad = true;
    return neg ? (int64_t)(0 - u) : (int64_t)u;
}

static unsigned hex4(cursor *k)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = k->p < k->end ? *k->p++ : 0;
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) {
            k->bad = true;
            return 0;
        }
        v = v * 16 + (unsigned)d;
    }
    return v;
}

static void put_utf8(nb_strbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp, n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xc0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3f)), n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xe0 | cp >> 12), u[1] = (char)(0x80 | (cp >> 6 & 0x3f)), u[2] = (char)(0x80 | (cp & 0x3f));
        n = 3;
    } else {
        u[0] = (char)(0xf0 | cp >> 18), u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
        u[2] = (char)(0x80 | (cp >> 6 & 0x3f)), u[3] = (char)(0x80 | (cp & 0x3f)), n = 4;
    }
    nb_sb_append(b, u, n);
}

typedef nb_sq_slice slice;

/* A string; its text in place when it has no escape (most), else decoded
 * into b. */
static slice get_str(cursor *k, nb_strbuf *b)
{
    slice out = {"", 0};
    expect(k, '"');
    if (k->bad)
        return out;
    const char *q = k->p;
    while (q < k->end && *q != '"' && *q != '\\')
        q++;
    if (q < k->end && *q == '"') {
        out.p = k->p;
        out.n = (size_t)(q - k->p);
        k->p = q + 1;
        return out;
    }
    b->len = 0;
    nb_sb_append(b, "", 0);
    while (!k->bad) {
        const char *run = k->p;
        while (k->p < k->end && *k->p != '"' && *k->p != '\\')
            k->p++;
        nb_sb_append(b, run, (size_t)(k->p - run));
        if (k->p >= k->end) {
            k->bad = true;
        } else if (*k->p++ == '"') {
            break;
        } else {
            char e = k->p < k->end ? *k->p++ : 0;
            const char *plain = strchr("\"\\/bfnrt", e);
            if (e && plain) {
                nb_sb_append(b, &"\"\\/\b\f\n\r\t"[plain - "\"\\/bfnrt"], 1);
                continue;
            }
            if (e != 'u') {
                k->bad = true;
                break;
            }
            unsigned cp = hex4(k);
            if (cp >= 0xd800 && cp < 0xdc00 && k->end - k->p >= 6 && k->p[0] == '\\' && k->p[1] == 'u') {
                k->p += 2;
                unsigned lo = hex4(k);
                cp = lo >= 0xdc00 && lo < 0xe000 ? 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00) : 0xfffd;
            } else if (cp >= 0xd800 && cp < 0xe000) {
                cp = 0xfffd;
            }
            put_utf8(b, cp);
        }
    }
    out.p = b->data;
    out.n = b->len;
    return out;
}

bool nb_sq_cells_each(const char *text, size_t len, nb_sq_cell_fn fn, void *ud)
{
    cursor k = {text, text + len, false};
    nb_strbuf b[5]; /* tab, row, col, value, kind when they had escapes */
    for (int i = 0; i < 5; i++)
        nb_sb_init(&b[i]);
    expect(&k, '[');
    bool more = !k.bad && !take(&k, ']'), go = true;
    while (go && more && !k.bad) {
        nb_sq_cell_text c;
        bool null;
        expect(&k, '[');
        c.seq = get_int(&k, &null);
        for (int i = 0; i < 5; i++) {
            expect(&k, ',');
            c.s[i] = get_str(&k, &b[i]);
        }
        expect(&k, ',');
        c.micro = get_int(&k, &null);
        expect(&k, ',');
        c.flags = get_int(&k, &null);
        expect(&k, ',');
        c.line = get_int(&k, &null);
        expect(&k, ']');
        more = take(&k, ',');
        if (!more)
            expect(&k, ']');
        if (!k.bad)
            go = fn(ud, &c, b);
    }
    skip_ws(&k);
    bool ok = !go || (!k.bad && k.p == k.end);
    for (int i = 0; i < 5; i++)
        nb_sb_free(&b[i]);
    return ok;
}

bool nb_sq_is(nb_sq_slice s, const char *id)
{
    return strncmp(id, s.p, s.n) == 0 && id[s.n] == '\0';
}

const char *nb_sq_cstr(nb_sq_slice s, nb_strbuf *b)
{
    if (b->data && s.p == b->data)
        return s.p;
    b->len = 0;
    nb_sb_append(b, s.p, s.n);
    return b->data;
}

/* Cell index of table.row.col, trying the index it was stored at first. */
static long find_cell(const nb_format *f, const nb_sq_cell_text *c, nb_strbuf *b)
{
    if (c->seq >= 0 && (uint64_t)c->seq < f->ncells) {
        const nb_cell_addr *a = nb_format_cell_addr(f, (size_t)c->seq);
        if (nb_sq_is(c->s[2], a->col->id) && nb_sq_is(c->s[1], a->row->id) && nb_sq_is(c->s[0], a->table->id))
            return (long)c->seq;
    }
    return nb_format_cell(f, nb_sq_cstr(c->s[0], &b[0]), nb_sq_cstr(c->s[1], &b[1]), nb_sq_cstr(c->s[2], &b[2]));
}

static bool into_report(void *ud, const nb_sq_cell_text *t, nb_strbuf *b)
{
    nb_report *r = ud;
    long i = find_cell(r->format, t, b);
    if (i < 0) {
        char msg[512];
        snprintf(msg, sizeof msg, "库中单元格 %s.%s.%s 在格式 %s 中已不存在，未读入（格式插件改过？）",
                 nb_sq_cstr(t->s[0], &b[0]), nb_sq_cstr(t->s[1], &b[1]), nb_sq_cstr(t->s[2], &b[2]), r->format->id);
        nb_report_add_note(r, NB_SEV_WARNING, "STORE-CELL", msg, -1, 0, NULL, nb_sq_cstr(t->s[3], &b[3]));
        return true;
    }
    nb_cell *c = &r->cells[i];
    memset(c, 0, sizeof *c);
    c->state = nb_sq_is(t->s[4], "value") ? NB_CELL_VALUE : nb_sq_is(t->s[4], "na") ? NB_CELL_NA : NB_CELL_BLANK;
    c->micro = c->state == NB_CELL_VALUE ? t->micro : 0;
    c->fraction = t->flags & 1;
    c->converted = (t->flags & 2) != 0;
    c->line = (uint32_t)t->line;
    if (t->flags & 4)
        c->text = nb_arena_strndup(&r->arena, t->s[3].p, t->s[3].n);
    return true;
}

/* The fast reader below: each takes what it reads from *pp and returns
 * true, or returns false without moving. */

/* the bytes of s */
static inline bool fast_lit(const char **pp, const char *end, const char *s, size_t n)
{
    if ((size_t)(end - *pp) < n || memcmp(*pp, s, n) != 0)
        return false;
    *pp += n;
    return true;
}

static inline bool fast_char(const char **pp, const char *end, char c)
{
    if (*pp >= end || **pp != c)
        return false;
    ++*pp;
    return true;
}

/* an integer of at most 18 digits (no overflow to check), or null (0) */
static inline bool fast_int(const char **pp, const char *end, int64_t *v)
{
    const char *p = *pp;
    bool neg = p < end && *p == '-';
    p += neg;
    const char *start = p, *stop = end - p > 18 ? p + 18 : end;
    int64_t u = 0;
    while (p < stop && (unsigned)(*p - '0') < 10)
        u = u * 10 + (*p++ - '0');
    if (p == start) {
        if (neg || !fast_lit(&p, end, "null", 4))
            return false;
    } else if (p < end && (unsigned)(*p - '0') < 10) {
        return false;
    }
    *v = neg ? -u : u;
    *pp = p;
    return true;
}

/* The cell at *pp exactly as encode writes it, at the index it was
 * written at (the format's ids there, no escape, no white space), into r;
 * false at anything else. */
static bool fast_cell(const nb_sq *q, nb_report *r, const char **pp, const char *end)
{
    const char *p = *pp + 1, *value;
    int64_t seq, micro = 0, flags, line;
    if (*pp >= end || !fast_int(&p, end, &seq) || seq < 0 || (uint64_t)seq >= r->format->ncells)
        return false;
    p = *pp; /* its prefix, "[seq," included, as encode writes it */
    if (!fast_lit(&p, end, q->enc_prefix.data + q->enc_at[seq], q->enc_at[seq + 1] - q->enc_at[seq]) ||
        !fast_char(&p, end, '"'))
        return false;
    for (value = p; p < end && *p != '"' && *p != '\\'; p++)
        ;
    size_t nvalue = (size_t)(p - value);
    uint8_t state = NB_CELL_VALUE;
    if (fast_lit(&p, end, "\",\"value\",", 10)) {
        if (!fast_int(&p, end, &micro))
            return false;
    } else if (fast_lit(&p, end, "\",\"na\",null", 10)) {
        state = NB_CELL_NA;
    } else if (fast_lit(&p, end, "\",\"blank\",null", 13)) {
        state = NB_CELL_BLANK;
    } else {
        return false;
    }
    if (!fast_char(&p, end, ',') || !fast_int(&p, end, &flags) || !fast_char(&p, end, ',') ||
        !fast_int(&p, end, &line) || !fast_char(&p, end, ']'))
        return false;
    /* as into_report sets it, in one assignment (memset and each field after it: more instructions a cell) */
    r->cells[seq] = (nb_cell){.state = state, .micro = micro, .fraction = flags & 1, .converted = (flags & 2) != 0,
                              .line = (uint32_t)line,
                              .text = flags & 4 ? nb_arena_strndup(&r->arena, value, nvalue) : NULL};
    *pp = p;
    return true;
}

/* Most texts are read cell by cell as encode wrote them, the ids checked
 * where they were written (three times fewer instructions than the
 * general reader); any other text is read again by the general reader,
 * which sets every cell it reads the same way. */
bool nb_sq_cells_decode(nb_sq *q, nb_report *r, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    bool read = false;
    prefixes(q, r->format);
    if (fast_char(&p, end, '['))
        while ((read = fast_cell(q, r, &p, end)) && fast_char(&p, end, ','))
            ;
    if (read && p == end - 1 && *p == ']')
        return true;
    return nb_sq_cells_each(text, len, into_report, r);
}
