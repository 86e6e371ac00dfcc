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

/* as nb_lua_strings_norm allocates them: one more than given */
static const char **get_strs(nb_byte_cursor *in, nb_arena *a, size_t *count)
{
    size_t n = nb_take_count(in, 4);
    const char **s = nb_arena_alloc(a, (n + 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = nb_take_str_in(in, a);
    *count = n;
    return s;
}

nb_format *nb_sketch_from_bytes(const unsigned char *p, size_t n, const char *source_file)
{
    nb_format *f = nb_format_new();
    nb_byte_cursor in = nb_byte_cursor_of(p, n);
    nb_arena *a = &f->arena;
    f->id = nb_take_str_in(&in, a);
    f->source_file = nb_arena_strdup(&f->arena, source_file);
    f->year_from = (int)(int32_t)nb_take_u32(&in);
    f->year_to = (int)(int32_t)nb_take_u32(&in);
    f->marks = get_strs(&in, a, &f->nmarks);
    size_t ns = nb_take_count(&in, 4);
    f->sections = nb_arena_alloc(&f->arena, (ns + 1) * sizeof *f->sections);
    for (; f->nsections < ns; f->nsections++) {
        nb_section_def *s = &f->sections[f->nsections];
        s->id = nb_take_str_in(&in, a);
        s->label = nb_take_str_in(&in, a);
        s->match = get_strs(&in, a, &s->nmatch);
    }
    size_t nt = nb_take_count(&in, 4);
    f->tables = nb_arena_alloc(&f->arena, (nt + 1) * sizeof *f->tables);
    for (; f->ntables < nt; f->ntables++) {
        nb_table *tb = &f->tables[f->ntables];
        tb->id = nb_take_str_in(&in, a);
        size_t nr = nb_take_count(&in, 4);
        tb->rows = nb_arena_alloc(&f->arena, (nr + 1) * sizeof *tb->rows);
        for (; tb->nrows < nr; tb->nrows++) {
            nb_row *row = &tb->rows[tb->nrows];
            row->id = nb_take_str_in(&in, a);
            row->label = nb_take_str_in(&in, a);
            row->match = get_strs(&in, a, &row->nmatch);
        }
    }
    if (!nb_byte_cursor_done(&in) || !f->id) {
        nb_format_free(f);
        return NULL;
    }
    return f;
}
