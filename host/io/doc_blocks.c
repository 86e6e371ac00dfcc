/* See doc_blocks.h.  A table is built row by row into growable rows; the
 * cells a rowspan reserves below are kept per column until a row reaches
 * them, and the grid is made rectangular when the table ends. */
#include "io/doc_blocks.h"
#include "base/xalloc.h"
#include <string.h>

typedef struct {
    nb_doc_cell *cells;
    size_t n, cap;
} grid_row;

typedef struct {
    int remaining; /* rows still covered below the cell that set it */
    const char *text;
    bool first; /* the cell's leftmost column */
} pending_col;

struct nb_doc_table {
    nb_doc *doc; /* whose memory count each field adds to */
    grid_row *rows;
    size_t n, cap;
    pending_col pending[NB_DOC_MAX_COLS];
    size_t pending_end; /* no column from this one on was ever reserved */
    size_t col;         /* next free column of the current row */
};

void nb_doc_init(nb_doc *d)
{
    memset(d, 0, sizeof *d);
    nb_arena_init(&d->arena);
}

static void table_free(nb_doc_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n; i++)
        free(t->rows[i].cells);
    free(t->rows);
    free(t);
}

bool nb_doc_count(nb_doc *d, size_t n)
{
    if (d->too_big)
        return false;
    d->bytes += n;
    if (d->max_bytes && d->bytes > d->max_bytes)
        d->too_big = true;
    return !d->too_big;
}

void nb_doc_free(nb_doc *d)
{
    table_free(d->open);
    free(d->blocks);
    nb_arena_free(&d->arena);
    memset(d, 0, sizeof *d);
}

static bool is_blank_at(const unsigned char *s, size_t n, size_t *k)
{
    if (n >= 1 && (s[0] == ' ' || (s[0] >= '\t' && s[0] <= '\r')))
        return *k = 1, true;
    if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return *k = 2, true;
    if (n >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80)
        return *k = 3, true;
    return false;
}

const char *nb_doc_trim(const char *s, size_t *n)
{
    size_t k;
    while (*n > 0 && is_blank_at((const unsigned char *)s, *n, &k))
        s += k, *n -= k;
    for (;;) {
        const unsigned char *u = (const unsigned char *)s;
        if (*n >= 1 && (u[*n - 1] == ' ' || (u[*n - 1] >= '\t' && u[*n - 1] <= '\r')))
            *n -= 1;
        else if (*n >= 2 && u[*n - 2] == 0xC2 && u[*n - 1] == 0xA0)
            *n -= 2;
        else if (*n >= 3 && u[*n - 3] == 0xE3 && u[*n - 2] == 0x80 && u[*n - 1] == 0x80)
            *n -= 3;
        else
            return s;
    }
}

static nb_doc_block *new_block(nb_doc *d)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 64;
        d->blocks = nb_xrealloc(d->blocks, d->cap * sizeof *d->blocks);
    }
    nb_doc_block *b = &d->blocks[d->n++];
    memset(b, 0, sizeof *b);
    b->level = -1;
    return b;
}

void nb_doc_para(nb_doc *d, const char *text, size_t len, int level, int heading)
{
    text = nb_doc_trim(text, &len);
    if (len == 0 || !nb_doc_count(d, len + 1 + sizeof(nb_doc_block)))
        return;
    nb_doc_block *b = new_block(d);
    b->text = nb_arena_strndup(&d->arena, text, len);
    b->level = level;
    b->heading = heading;
}

void nb_doc_table_begin(nb_doc *d)
{
    table_free(d->open);
    d->open = nb_xcalloc(1, sizeof *d->open);
    d->open->doc = d;
}

/* a field of a growing row, counted (the grid the table becomes is counted
 * when it ends) */
static void push_cell(nb_doc_table *t, grid_row *r, const char *text, unsigned char covered)
{
    if (!nb_doc_count(t->doc, sizeof(nb_doc_cell)))
        return;
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->cells = nb_xrealloc(r->cells, r->cap * sizeof *r->cells);
    }
    r->cells[r->n].text = text;
    r->cells[r->n].covered = covered;
    r->n++;
}

/* The covered fields a rowspan above reserves at the current column. */
static void take_pending(nb_doc_table *t, grid_row *r)
{
    while (t->col < NB_DOC_MAX_COLS && t->pending[t->col].remaining > 0) {
        pending_col *p = &t->pending[t->col];
        push_cell(t, r, p->text, (unsigned char)(NB_CELL_V | (p->first ? 0 : NB_CELL_H)));
        p->remaining--;
        t->col++;
    }
}

/* Ends the current row: the columns reserved further right are reached too,
 * the gaps before them filled as padding. */
static void finish_row(nb_doc_table *t)
{
    if (t->n == 0)
        return;
    grid_row *r = &t->rows[t->n - 1];
    size_t last = 0;
    for (size_t c = t->col; c < t->pending_end; c++)
        if (t->pending[c].remaining > 0)
            last = c + 1;
    while (t->col < last) {
        if (t->pending[t->col].remaining > 0)
            take_pending(t, r);
        else {
            push_cell(t, r, "", NB_CELL_PAD);
            t->col++;
        }
    }
}

void nb_doc_row(nb_doc *d)
{
    nb_doc_table *t = d->open;
    if (!t)
        return;
    finish_row(t);
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 32;
        t->rows = nb_xrealloc(t->rows, t->cap * sizeof *t->rows);
    }
    memset(&t->rows[t->n++], 0, sizeof(grid_row));
    t->col = 0;
}

void nb_doc_cell_add(nb_doc *d, const char *text, size_t len, int colspan, int rowspan, bool vcont)
{
    nb_doc_table *t = d->open;
    if (!t)
        return;
    if (!nb_doc_count(d, len + 1))
        return;
    if (t->n == 0)
        nb_doc_row(d);
    grid_row *r = &t->rows[t->n - 1];
    take_pending(t, r);
    if (t->col >= NB_DOC_MAX_COLS)
        return;
    if (colspan < 1)
        colspan = 1;
    if ((size_t)colspan > NB_DOC_MAX_COLS - t->col)
        colspan = (int)(NB_DOC_MAX_COLS - t->col);
    if (rowspan < 1)
        rowspan = 1;
    if (rowspan > NB_DOC_MAX_ROWSPAN)
        rowspan = NB_DOC_MAX_ROWSPAN;
    const char *s;
    unsigned char v = 0;
    const grid_row *above = t->n >= 2 ? &t->rows[t->n - 2] : NULL;
    if (vcont && above && t->col < above->n && !(above->cells[t->col].covered & NB_CELL_PAD)) {
        /* Word's vMerge continue: the text of the cell above */
        s = above->cells[t->col].text;
        v = NB_CELL_V;
    } else {
        text = nb_doc_trim(text, &len);
        s = nb_arena_strndup(&d->arena, text, len);
    }
    for (int k = 0; k < colspan; k++) {
        push_cell(t, r, s, (unsigned char)(v | (k ? NB_CELL_H : 0)));
        if (rowspan > 1) {
            pending_col *p = &t->pending[t->col];
            p->remaining = rowspan - 1;
            p->text = s;
            p->first = k == 0;
            if (t->col >= t->pending_end)
                t->pending_end = t->col + 1;
        }
        t->col++;
    }
}

void nb_doc_table_end(nb_doc *d)
{
    nb_doc_table *t = d->open;
    if (!t)
        return;
    finish_row(t);
    size_t cols = 0, rows = 0;
    for (size_t i = 0; i < t->n; i++) {
        if (t->rows[i].n > cols)
            cols = t->rows[i].n;
        if (t->rows[i].n > 0)
            rows++;
    }
    if (rows > 0 && nb_doc_count(d, sizeof(nb_doc_block) + rows * cols * sizeof(nb_doc_cell))) {
        nb_doc_block *b = new_block(d);
        b->table = true;
        b->rows = rows;
        b->cols = cols;
        b->cells = nb_arena_alloc(&d->arena, rows * cols * sizeof *b->cells);
        size_t out = 0;
        for (size_t i = 0; i < t->n; i++) {
            const grid_row *r = &t->rows[i];
            if (r->n == 0)
                continue;
            for (size_t c = 0; c < cols; c++) {
                nb_doc_cell *cell = &b->cells[out * cols + c];
                if (c < r->n)
                    *cell = r->cells[c];
                else
                    cell->text = "", cell->covered = NB_CELL_PAD;
            }
            out++;
        }
    }
    table_free(t);
    d->open = NULL;
}
