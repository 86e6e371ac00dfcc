/* See report_bytes.h.  The bytes: the strings format id, source, title,
 * agency, published, address, phone, postcode, preamble; i32 year,
 * title_year, period_year; u8 tables_only; u32 ntables and a u8 each
 * (table_given); u32 ncells and per cell u8 state, u8 flags (1 fraction,
 * 2 converted), u32 line, i64 micro, string text; u32 count and the
 * sections (heading, text, i32 level, i32 def, u32 line), notes (rule,
 * message, expected, actual, u32 severity, i64 cell, u32 line), statistics
 * rows (label, unit, u32 line, u32 count, the values) and marks (label,
 * format, values, u32 line), as base/byte_cursor.h writes numbers and
 * strings. */
#include "model/report_bytes.h"
#include "base/byte_cursor.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


void nb_report_put(nb_strbuf *out, const nb_report *r)
{
    const char *meta[] = {r->format->id, r->source,  r->title, r->agency,  r->published,
                          r->address,    r->phone,   r->postcode, r->preamble};
    for (size_t i = 0; i < sizeof meta / sizeof *meta; i++)
        nb_put_str(out, meta[i]);
    nb_put_u32(out, (uint32_t)r->year);
    nb_put_u32(out, (uint32_t)r->title_year);
    nb_put_u32(out, (uint32_t)r->period_year);
    nb_put_u8(out, r->tables_only);
    nb_put_u32(out, (uint32_t)r->format->ntables);
    for (size_t t = 0; t < r->format->ntables; t++)
        nb_put_u8(out, r->table_given[t]);
    nb_put_u32(out, (uint32_t)r->format->ncells);
    for (size_t i = 0; i < r->format->ncells; i++) {
        const nb_cell *c = &r->cells[i];
        nb_put_u8(out, c->state);
        nb_put_u8(out, (uint8_t)((c->fraction ? 1 : 0) | (c->converted ? 2 : 0)));
        nb_put_u32(out, c->line);
        nb_put_u64(out, (uint64_t)c->micro);
        nb_put_str(out, c->text);
    }
    nb_put_u32(out, (uint32_t)r->nsections);
    for (size_t i = 0; i < r->nsections; i++) {
        const nb_section *s = &r->sections[i];
        nb_put_str(out, s->heading);
        nb_put_str(out, s->text);
        nb_put_u32(out, (uint32_t)s->level);
        nb_put_u32(out, (uint32_t)s->def);
        nb_put_u32(out, s->line);
    }
    nb_put_u32(out, (uint32_t)r->nnotes);
    for (size_t i = 0; i < r->nnotes; i++) {
        const nb_note *n = &r->notes[i];
        nb_put_str(out, n->rule);
        nb_put_str(out, n->message);
        nb_put_str(out, n->expected);
        nb_put_str(out, n->actual);
        nb_put_u32(out, (uint32_t)n->severity);
        nb_put_u64(out, (uint64_t)n->cell);
        nb_put_u32(out, n->line);
    }
    nb_put_u32(out, (uint32_t)r->nstats);
    for (size_t i = 0; i < r->nstats; i++) {
        const nb_stat_row *s = &r->stats[i];
        nb_put_str(out, s->label);
        nb_put_str(out, s->unit);
        nb_put_u32(out, s->line);
        nb_put_u32(out, (uint32_t)s->nvalues);
        for (size_t k = 0; k < s->nvalues; k++)
            nb_put_str(out, s->values[k]);
    }
    nb_put_u32(out, (uint32_t)r->nmarks);
    for (size_t i = 0; i < r->nmarks; i++) {
        const nb_mark_seen *m = &r->marks[i];
        nb_put_str(out, m->label);
        nb_put_str(out, m->format);
        nb_put_str(out, m->values);
        nb_put_u32(out, m->line);
    }
}

static void *arena_array(nb_report *r, size_t n, size_t size)
{
    return n ? nb_arena_alloc(&r->arena, n * size) : NULL;
}

nb_report *nb_report_read(const char *buf, size_t n, nb_report_format_fn fmt, void *ud)
{
    nb_byte_cursor in = nb_byte_cursor_of(buf, n);
    char *id = nb_take_strdup(&in);
    if (!id)
        return NULL;
    const nb_format *f = fmt(ud, id);
    free(id);
    if (!f)
        return NULL;
    nb_report *r = nb_report_new(f, NULL);
    nb_arena *a = &r->arena; /* the report's strings */
    r->source = nb_take_str_in(&in, a);
    r->title = nb_take_str_in(&in, a);
    r->agency = nb_take_str_in(&in, a);
    r->published = nb_take_str_in(&in, a);
    r->address = nb_take_str_in(&in, a);
    r->phone = nb_take_str_in(&in, a);
    r->postcode = nb_take_str_in(&in, a);
    r->preamble = nb_take_str_in(&in, a);
    r->year = (int)nb_take_u32(&in);
    r->title_year = (int)nb_take_u32(&in);
    r->period_year = (int)nb_take_u32(&in);
    r->tables_only = nb_take_u8(&in) != 0;
    if (nb_take_u32(&in) != f->ntables)
        in.bad = true;
    for (size_t t = 0; !in.bad && t < f->ntables; t++)
        r->table_given[t] = nb_take_u8(&in) != 0;
    if (nb_take_u32(&in) != f->ncells)
        in.bad = true;
    for (size_t i = 0; !in.bad && i < f->ncells; i++) {
        nb_cell *c = &r->cells[i];
        c->state = nb_take_u8(&in);
        uint8_t flags = nb_take_u8(&in);
        c->fraction = flags & 1;
        c->converted = (flags & 2) != 0;
        c->line = nb_take_u32(&in);
        c->micro = (int64_t)nb_take_u64(&in);
        c->text = nb_take_str_in(&in, a);
    }
    r->nsections = nb_take_count(&in, 20);
    r->sections = arena_array(r, r->nsections, sizeof *r->sections);
    for (size_t i = 0; !in.bad && i < r->nsections; i++) {
        nb_section *s = &r->sections[i];
        s->heading = nb_take_str_in(&in, a);
        s->text = nb_take_str_in(&in, a);
        s->level = (int)nb_take_u32(&in);
        s->def = (int)nb_take_u32(&in);
        s->line = nb_take_u32(&in);
    }
    size_t nnotes = nb_take_count(&in, 32);
    for (size_t i = 0; !in.bad && i < nnotes; i++) {
        const char *rule = nb_take_str_in(&in, a), *message = nb_take_str_in(&in, a), *expected = nb_take_str_in(&in, a), *actual = nb_take_str_in(&in, a);
        nb_severity sev = (nb_severity)nb_take_u32(&in);
        long cell = (long)(int64_t)nb_take_u64(&in);
        uint32_t line = nb_take_u32(&in);
        if (!in.bad)
            nb_report_add_note(r, sev, rule, message, cell, line, expected, actual);
    }
    r->nstats = nb_take_count(&in, 16);
    r->stats = arena_array(r, r->nstats, sizeof *r->stats);
    for (size_t i = 0; !in.bad && i < r->nstats; i++) {
        nb_stat_row *s = &r->stats[i];
        s->label = nb_take_str_in(&in, a);
        s->unit = nb_take_str_in(&in, a);
        s->line = nb_take_u32(&in);
        s->nvalues = nb_take_count(&in, 4);
        const char **v = arena_array(r, s->nvalues, sizeof *v);
        for (size_t k = 0; !in.bad && k < s->nvalues; k++)
            v[k] = nb_take_str_in(&in, a);
        s->values = v;
    }
    r->nmarks = nb_take_count(&in, 16);
    r->marks = arena_array(r, r->nmarks, sizeof *r->marks);
    for (size_t i = 0; !in.bad && i < r->nmarks; i++) {
        nb_mark_seen *m = &r->marks[i];
        m->label = nb_take_str_in(&in, a);
        m->format = nb_take_str_in(&in, a);
        m->values = nb_take_str_in(&in, a);
        m->line = nb_take_u32(&in);
    }
    if (!nb_byte_cursor_done(&in)) {
        nb_report_free(r);
        return NULL;
    }
    return r;
}
