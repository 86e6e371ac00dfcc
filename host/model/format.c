/* See format.h. */
#include "model/format.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>

nb_format *nb_format_new(void)
{
    nb_format *f = nb_xcalloc(1, sizeof *f);
    nb_arena_init(&f->arena);
    return f;
}

void nb_format_free(nb_format *f)
{
    if (!f)
        return;
    nb_arena_free(&f->arena);
    free(f);
}

bool nb_format_finish(nb_format *f, char *err, size_t errsize)
{
    size_t cell = 0;
    for (size_t t = 0; t < f->ntables; t++) {
        nb_table *tb = &f->tables[t];
        for (size_t u = 0; u < t; u++)
            if (strcmp(f->tables[u].id, tb->id) == 0) {
                snprintf(err, errsize, "表 id '%s' 声明了两次", tb->id);
                return false;
            }
        for (size_t r = 0; r < tb->nrows; r++) {
            nb_row *row = &tb->rows[r];
            for (size_t q = 0; q < r; q++)
                if (strcmp(tb->rows[q].id, row->id) == 0) {
                    snprintf(err, errsize, "表 '%s'：行 id '%s' 声明了两次", tb->id, row->id);
                    return false;
                }
            if (row->data) {
                row->cell_first = cell;
                cell += tb->blocks[row->block].ncols;
            }
        }
        for (size_t b = 0; b < tb->nblocks; b++) {
            const nb_block *bl = &tb->blocks[b];
            for (size_t c = 0; c < bl->ncols; c++)
                for (size_t d = 0; d < c; d++)
                    if (strcmp(tb->cols[bl->col_first + c].id, tb->cols[bl->col_first + d].id) == 0) {
                        snprintf(err, errsize, "表 '%s'：同一块中列 id '%s' 声明了两次",
                                 tb->id, tb->cols[bl->col_first + c].id);
                        return false;
                    }
        }
    }
    f->ncells = cell;
    f->cell_addr = nb_arena_alloc(&f->arena, (cell ? cell : 1) * sizeof *f->cell_addr);
    for (size_t t = 0; t < f->ntables; t++) {
        const nb_table *tb = &f->tables[t];
        for (size_t r = 0; r < tb->nrows; r++) {
            const nb_row *row = &tb->rows[r];
            if (!row->data)
                continue;
            const nb_block *bl = &tb->blocks[row->block];
            for (size_t c = 0; c < bl->ncols; c++) {
                nb_cell_addr *a = &f->cell_addr[row->cell_first + c];
                a->table = tb;
                a->row = row;
                a->col = &tb->cols[bl->col_first + c];
            }
        }
    }
    return true;
}

const nb_table *nb_format_table(const nb_format *f, const char *id)
{
    for (size_t t = 0; t < f->ntables; t++)
        if (strcmp(f->tables[t].id, id) == 0)
            return &f->tables[t];
    return NULL;
}

int nb_table_row(const nb_table *t, const char *id)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (strcmp(t->rows[r].id, id) == 0)
            return (int)r;
    return -1;
}

int nb_table_block_col(const nb_table *t, size_t block, const char *id)
{
    const nb_block *b = &t->blocks[block];
    for (size_t c = 0; c < b->ncols; c++)
        if (strcmp(t->cols[b->col_first + c].id, id) == 0)
            return (int)c;
    return -1;
}

long nb_format_cell(const nb_format *f, const char *table, const char *row, const char *col)
{
    const nb_table *t = nb_format_table(f, table);
    if (!t)
        return -1;
    int r = nb_table_row(t, row);
    if (r < 0 || !t->rows[r].data)
        return -1;
    int c = nb_table_block_col(t, t->rows[r].block, col);
    if (c < 0)
        return -1;
    return (long)(t->rows[r].cell_first + (size_t)c);
}

int nb_table_match_row(const nb_table *t, const char *norm)
{
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t m = 0; m < t->rows[r].nmatch; m++)
            if (strcmp(t->rows[r].match[m], norm) == 0)
                return (int)r;
    return -1;
}

const char *nb_cell_type_name(nb_cell_type t)
{
    switch (t) {
    case NB_TYPE_COUNT: return "count";
    case NB_TYPE_SIGNED: return "signed";
    case NB_TYPE_AMOUNT: return "amount";
    }
    return "?";
}

int nb_format_section(const nb_format *f, const char *id)
{
    for (size_t s = 0; s < f->nsections; s++)
        if (strcmp(f->sections[s].id, id) == 0)
            return (int)s;
    return -1;
}

