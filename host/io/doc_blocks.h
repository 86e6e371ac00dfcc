/* The neutral structure a document reader (.docx, HTML) hands to importers:
 * paragraphs and tables in reading order, each table a grid with its merged
 * cells expanded.  Every position of the grid holds the text of the cell
 * that covers it; `covered` says whether it is that cell's top-left field
 * (0) or covered from the left (NB_CELL_H) and/or from above (NB_CELL_V);
 * NB_CELL_PAD marks positions a short row did not reach.  What a paragraph
 * or a cell means is left to the importer plugins. */
#ifndef NB_DOC_BLOCKS_H
#define NB_DOC_BLOCKS_H
#include "base/arena.h"
#include <stdbool.h>
#include <stddef.h>

enum { NB_CELL_H = 1, NB_CELL_V = 2, NB_CELL_PAD = 4 };

typedef struct {
    const char *text;
    unsigned char covered;
} nb_doc_cell;

typedef struct {
    bool table;
    const char *text; /* a paragraph's text (NUL-terminated, trimmed) */
    int level;        /* a paragraph under automatic numbering: its level (0 = top), else -1 */
    int heading;      /* a heading element or style: 1…6, else 0 */
    size_t rows, cols;
    nb_doc_cell *cells; /* a table's rows × cols grid, row by row */
} nb_doc_block;

typedef struct nb_doc_table nb_doc_table;

typedef struct {
    nb_arena arena;
    nb_doc_block *blocks;
    size_t n, cap;
    nb_doc_table *open; /* the table being built, or NULL */
    /* Memory: `bytes` made so far (texts, blocks, grid cells); past
     * `max_bytes` (0: no limit) nothing more is added and `too_big` is set.
     * A reader refuses an input whose parsed tree would pass it (about
     * NB_DOC_TREE_FACTOR times its XML or HTML text). */
    size_t bytes, max_bytes;
    bool too_big;
} nb_doc;

#define NB_DOC_TREE_FACTOR 8

/* Counts n more bytes; false (and too_big set) past max_bytes. */
bool nb_doc_count(nb_doc *d, size_t n);

/* Grid limits: a span beyond these is cut to them (a malformed page must not
 * make a grid of millions of cells). */
#define NB_DOC_MAX_COLS 256
#define NB_DOC_MAX_ROWSPAN 1000

void nb_doc_init(nb_doc *d);
void nb_doc_free(nb_doc *d);
/* A paragraph: text (white space trimmed; nothing added when empty). */
void nb_doc_para(nb_doc *d, const char *text, size_t len, int level, int heading);
/* A table: rows of cells.  A cell spans `colspan` grid columns and `rowspan`
 * rows (HTML), or continues the cell above it (`vcont`, Word's vMerge). */
void nb_doc_table_begin(nb_doc *d);
void nb_doc_row(nb_doc *d);
void nb_doc_cell_add(nb_doc *d, const char *text, size_t len, int colspan, int rowspan, bool vcont);
void nb_doc_table_end(nb_doc *d);

/* Trims ASCII white space, U+00A0 and U+3000 at both ends of s[0..*n); returns the new start. */
const char *nb_doc_trim(const char *s, size_t *n);

#endif
