/* See format_sketch_bytes.h.  What is written is what
 * nb_lua_sketch_format fills, field by field; a check with every format
 * built gives the same findings as one with the sketches read back
 * (tests/cases/late_formats.sh). */
#include "model/format_sketch_bytes.h"
#include "base/byte_cursor.h"
#include <stdint.h>
#include <string.h>

static void put_strs(nb_strbuf *out, const char *const *s, size_t n)
{
    nb_put_u32(out, (uint32_t)n);
    for (size_t i = 0; i < n; i++)
        nb_put_str(out, s[i]);
}

void nb_sketch_to_bytes(const nb_format *f, nb_strbuf *out)
{
    nb_put_str(out, f->id);
    nb_put_u32(out, (uint32_t)f->year_from);
    nb_put_u32(out, (uint32_t)f->year_to);
    put_strs(out, f->marks, f->nmarks);
    nb_put_u32(out, (uint32_t)f->nsections);
    for (size_t i = 0; i < f->nsections; i++) {
        const nb_section_def *s = &f->sections[i];
        nb_put_str(out, s->id);
        nb_put_str(out, s->label);
        put_strs(out, s->match, s->nmatch);
    }
    nb_put_u32(out, (uint32_t)f->ntables);
    for (size_t t = 0; t < f->ntables; t++) {
        const nb_table *tb = &f->tables[t];
        nb_put_str(out, tb->id);
        nb_put_u32(out, (uint32_t)tb->nrows);
        for (size_t r = 0; r < tb->nrows; r++) {
            nb_put_str(out, tb->rows[r].id);
            nb_put_str(out, tb->rows[r].label);
            put_strs(out, tb->rows[r].match, tb->rows[r].nmatch);
        }
    }
}

typedef struct {
    nb_byte_cursor in;
    nb_format *f; /* strings go to its arena */
} reader;

static size_t get_u32(reader *r) { return nb_take_u32(&r->in); }
static size_t get_count(reader *r) { return nb_take_count(&r->in, 4); } /* each item 4 bytes at least */

static const char *get_str(reader *r)
{
    size_t n;
    const char *p = nb_take_str(&r->in, &n);
    return p ? nb_arena_strndup(&r->f->arena, p, n) : NULL;
}

/* as nb_lua_strings_norm allocates them: one more than given */
static const char **get_strs(reader *r, size_t *count)
{
    size_t n = get_count(r);
    const char **s = nb_arena_alloc(&r->f->arena, (n + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = get_str(r);
    *count = n;
    return s;
}

nb_format *nb_sketch_from_bytes(const unsigned char *p, size_t n, const char *source_file)
{
    nb_format *f = nb_format_new();
    reader r = {nb_byte_cursor_of(p, n), f};
    f->id = get_str(&r);
    f->source_file = nb_arena_strdup(&f->arena, source_file);
    f->year_from = (int)(int32_t)get_u32(&r);
    f->year_to = (int)(int32_t)get_u32(&r);
    f->marks = get_strs(&r, &f->nmarks);
    size_t ns = get_count(&r);
    f->sections = nb_arena_alloc(&f->arena, (ns + 1) * sizeof *f->sections);
    for (; f->nsections < ns; f->nsections++) {
        nb_section_def *s = &f->sections[f->nsections];
        s->id = get_str(&r);
        s->label = get_str(&r);
        s->match = get_strs(&r, &s->nmatch);
    }
    size_t nt = get_count(&r);
    f->tables = nb_arena_alloc(&f->arena, (nt + 1) * sizeof *f->tables);
    for (; f->ntables < nt; f->ntables++) {
        nb_table *tb = &f->tables[f->ntables];
        tb->id = get_str(&r);
        size_t nr = get_count(&r);
        tb->rows = nb_arena_alloc(&f->arena, (nr + 1) * sizeof *tb->rows);
        for (; tb->nrows < nr; tb->nrows++) {
            nb_row *row = &tb->rows[tb->nrows];
            row->id = get_str(&r);
            row->label = get_str(&r);
            row->match = get_strs(&r, &row->nmatch);
        }
    }
    if (!nb_byte_cursor_done(&r.in) || !f->id) {
        nb_format_free(f);
        return NULL;
    }
    return f;
}
