/* See report_bytes.h.  The bytes: the strings format id, source, title,
 * agency, published, address, phone, postcode, preamble; i32 year,
 * title_year, period_year; u8 tables_only; u32 ntables and a u8 each
 * (table_given); u32 ncells and per cell u8 state, u8 flags (1 fraction,
 * 2 converted), u32 line, i64 micro, string text; u32 count and the
 * sections (heading, text, i32 level, i32 def, u32 line), notes (rule,
 * message, expected, actual, u32 severity, i64 cell, u32 line), statistics
 * rows (label, unit, u32 line, u32 count, the values) and marks (label,
 * format, values, u32 line).  A string is u32 length and its bytes;
 * UINT32_MAX stands for NULL. */
#include "model/report_bytes.h"
#include "base/strbuf.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* into a buffer, written out whole: an fwrite a field cost more than the
 * rest of the writing */
typedef nb_strbuf sink;

static void put(sink *out, const void *p, size_t n)
{
    nb_sb_append(out, p, n);
}

static void put_u32(sink *out, uint32_t v) { put(out, &v, sizeof v); }
static void put_i64(sink *out, int64_t v) { put(out, &v, sizeof v); }

static void put_str(sink *out, const char *s)
{
    if (!s) {
        put_u32(out, UINT32_MAX);
        return;
    }
    size_t n = strlen(s);
    put_u32(out, (uint32_t)n);
    put(out, s, n);
}

static void write_report(const nb_report *r, sink *out)
{
    const char *meta[] = {r->format->id, r->source,  r->title, r->agency,  r->published,
                          r->address,    r->phone,   r->postcode, r->preamble};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        put_str(out, meta[i]);
    put_u32(out, (uint32_t)r->year);
    put_u32(out, (uint32_t)r->title_year);
    put_u32(out, (uint32_t)r->period_year);
    uint8_t b = r->tables_only;
    put(out, &b, 1);
    put_u32(out, (uint32_t)r->format->ntables);
    for (size_t t = 0; t < r->format->ntables; t++) {
        b = r->table_given[t];
        put(out, &b, 1);
    }
    put_u32(out, (uint32_t)r->format->ncells);
    for (size_t i = 0; i < r->format->ncells; i++) {
        const nb_cell *c = &r->cells[i];
        uint8_t sf[2] = {c->state, (uint8_t)((c->fraction ? 1 : 0) | (c->converted ? 2 : 0))};
        put(out, sf, 2);
        put_u32(out, c->line);
        put_i64(out, c->micro);
        put_str(out, c->text);
    }
    put_u32(out, (uint32_t)r->nsections);
    for (size_t i = 0; i < r->nsections; i++) {
        const nb_section *s = &r->sections[i];
        put_str(out, s->heading);
        put_str(out, s->text);
        put_u32(out, (uint32_t)s->level);
        put_u32(out, (uint32_t)s->def);
        put_u32(out, s->line);
    }
    put_u32(out, (uint32_t)r->nnotes);
    for (size_t i = 0; i < r->nnotes; i++) {
        const nb_note *n = &r->notes[i];
        put_str(out, n->rule);
        put_str(out, n->message);
        put_str(out, n->expected);
        put_str(out, n->actual);
        put_u32(out, (uint32_t)n->severity);
        put_i64(out, n->cell);
        put_u32(out, n->line);
    }
    put_u32(out, (uint32_t)r->nstats);
    for (size_t i = 0; i < r->nstats; i++) {
        const nb_stat_row *s = &r->stats[i];
        put_str(out, s->label);
        put_str(out, s->unit);
        put_u32(out, s->line);
        put_u32(out, (uint32_t)s->nvalues);
        for (size_t k = 0; k < s->nvalues; k++)
            put_str(out, s->values[k]);
    }
    put_u32(out, (uint32_t)r->nmarks);
    for (size_t i = 0; i < r->nmarks; i++) {
        const nb_mark_seen *m = &r->marks[i];
        put_str(out, m->label);
        put_str(out, m->format);
        put_str(out, m->values);
        put_u32(out, m->line);
    }
}

void nb_report_write(const nb_report *r, FILE *out)
{
    sink b;
    nb_sb_init(&b);
    write_report(r, &b);
    fwrite(b.data, 1, b.len, out);
    nb_sb_free(&b);
}

typedef struct {
    const char *p, *end;
    nb_report *r; /* strings go to its arena */
    bool bad;
} reader;

static void get(reader *rd, void *v, size_t n)
{
    if ((size_t)(rd->end - rd->p) < n) {
        rd->bad = true;
        memset(v, 0, n);
        return;
    }
    memcpy(v, rd->p, n);
    rd->p += n;
}

static uint32_t get_u32(reader *rd)
{
    uint32_t v;
    get(rd, &v, sizeof v);
    return v;
}

static int64_t get_i64(reader *rd)
{
    int64_t v;
    get(rd, &v, sizeof v);
    return v;
}

static uint8_t get_u8(reader *rd)
{
    uint8_t v;
    get(rd, &v, 1);
    return v;
}

/* A string into the report's arena (NULL stays NULL). */
static const char *get_str(reader *rd)
{
    uint32_t n = get_u32(rd);
    if (n == UINT32_MAX || rd->bad)
        return NULL;
    if ((size_t)(rd->end - rd->p) < n) {
        rd->bad = true;
        return NULL;
    }
    const char *s = nb_arena_strndup(&rd->r->arena, rd->p, n);
    rd->p += n;
    return s;
}

/* A count of items of at least min bytes each, checked against what is
 * left (so damaged bytes allocate nothing absurd). */
static size_t get_count(reader *rd, size_t min)
{
    uint32_t n = get_u32(rd);
    if (rd->bad || (size_t)(rd->end - rd->p) / min < n) {
        rd->bad = true;
        return 0;
    }
    return n;
}

static void *arena_array(nb_report *r, size_t n, size_t size)
{
    return n ? nb_arena_alloc(&r->arena, n * size) : NULL;
}

nb_report *nb_report_read(const char *buf, size_t n, nb_report_format_fn fmt, void *ud)
{
    uint32_t len;
    if (n < sizeof len)
        return NULL;
    memcpy(&len, buf, sizeof len);
    if (len == UINT32_MAX || n - sizeof len < len)
        return NULL;
    char *id = malloc((size_t)len + 1);
    if (!id)
        return NULL;
    memcpy(id, buf + sizeof len, len);
    id[len] = '\0';
    const nb_format *f = fmt(ud, id);
    free(id);
    if (!f)
        return NULL;
    nb_report *r = nb_report_new(f, NULL);
    reader rd = {buf + sizeof len + len, buf + n, r, false};
    r->source = get_str(&rd);
    r->title = get_str(&rd);
    r->agency = get_str(&rd);
    r->published = get_str(&rd);
    r->address = get_str(&rd);
    r->phone = get_str(&rd);
    r->postcode = get_str(&rd);
    r->preamble = get_str(&rd);
    r->year = (int)get_u32(&rd);
    r->title_year = (int)get_u32(&rd);
    r->period_year = (int)get_u32(&rd);
    r->tables_only = get_u8(&rd) != 0;
    if (get_u32(&rd) != f->ntables)
        rd.bad = true;
    for (size_t t = 0; !rd.bad && t < f->ntables; t++)
        r->table_given[t] = get_u8(&rd) != 0;
    if (get_u32(&rd) != f->ncells)
        rd.bad = true;
    for (size_t i = 0; !rd.bad && i < f->ncells; i++) {
        nb_cell *c = &r->cells[i];
        c->state = get_u8(&rd);
        uint8_t flags = get_u8(&rd);
        c->fraction = flags & 1;
        c->converted = (flags & 2) != 0;
        c->line = get_u32(&rd);
        c->micro = get_i64(&rd);
        c->text = get_str(&rd);
    }
    r->nsections = get_count(&rd, 20);
    r->sections = arena_array(r, r->nsections, sizeof *r->sections);
    for (size_t i = 0; !rd.bad && i < r->nsections; i++) {
        nb_section *s = &r->sections[i];
        s->heading = get_str(&rd);
        s->text = get_str(&rd);
        s->level = (int)get_u32(&rd);
        s->def = (int)get_u32(&rd);
        s->line = get_u32(&rd);
    }
    size_t nnotes = get_count(&rd, 32);
    for (size_t i = 0; !rd.bad && i < nnotes; i++) {
        const char *rule = get_str(&rd), *message = get_str(&rd), *expected = get_str(&rd), *actual = get_str(&rd);
        nb_severity sev = (nb_severity)get_u32(&rd);
        long cell = (long)get_i64(&rd);
        uint32_t line = get_u32(&rd);
        if (!rd.bad)
            nb_report_add_note(r, sev, rule, message, cell, line, expected, actual);
    }
    r->nstats = get_count(&rd, 16);
    r->stats = arena_array(r, r->nstats, sizeof *r->stats);
    for (size_t i = 0; !rd.bad && i < r->nstats; i++) {
        nb_stat_row *s = &r->stats[i];
        s->label = get_str(&rd);
        s->unit = get_str(&rd);
        s->line = get_u32(&rd);
        s->nvalues = get_count(&rd, 4);
        const char **v = arena_array(r, s->nvalues, sizeof *v);
        for (size_t k = 0; !rd.bad && k < s->nvalues; k++)
            v[k] = get_str(&rd);
        s->values = v;
    }
    r->nmarks = get_count(&rd, 16);
    r->marks = arena_array(r, r->nmarks, sizeof *r->marks);
    for (size_t i = 0; !rd.bad && i < r->nmarks; i++) {
        nb_mark_seen *m = &r->marks[i];
        m->label = get_str(&rd);
        m->format = get_str(&rd);
        m->values = get_str(&rd);
        m->line = get_u32(&rd);
    }
    if (rd.bad || rd.p != rd.end) {
        nb_report_free(r);
        return NULL;
    }
    return r;
}
