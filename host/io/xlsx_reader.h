/* Reading a spreadsheet (.xlsx): the workbook's sheets out of the zip
 * (libzip), parsed with libxml2 as the .docx reader does: each sheet's name,
 * its cells (shared strings resolved, inline strings, numbers as written in
 * the file, formulas with their cached value when the file holds one) and
 * its merged ranges.  What a cell means is left to the importer plugin. */
#ifndef NB_XLSX_READER_H
#define NB_XLSX_READER_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    unsigned row, col; /* 1-based */
    char *value;       /* the text, the number as written, or the cached result ("" when none) */
    char *formula;     /* the formula's text without "=", "" for a shared formula's follower, or NULL */
    bool cached;       /* a formula: whether the file holds its result */
    char type;         /* 's' text, 'n' number, 'b' boolean, 'e' error, ' ' empty */
} nb_xlsx_cell;

typedef struct {
    unsigned r1, c1, r2, c2;
} nb_xlsx_merge;

typedef struct {
    char *name;
    nb_xlsx_cell *cells;
    size_t n, cap;
    nb_xlsx_merge *merges;
    size_t nmerges, capm;
} nb_xlsx_sheet;

typedef struct {
    nb_xlsx_sheet *sheets;
    size_t n;
    /* Memory (0: no limit): a workbook whose XML parts, unpacked, take more
     * than max_bytes / NB_XLSX_TREE_FACTOR is not parsed and too_big is
     * set; `bytes` is what the cells read take (set by nb_xlsx_read). */
    size_t bytes, max_bytes;
    bool too_big;
} nb_xlsx_book;

#define NB_XLSX_TREE_FACTOR 8

#define NB_XLSX_MAX_CELLS 1000000u
#define NB_XLSX_MAX_ROW 1048576u
#define NB_XLSX_MAX_COL 16384u

/* Fills book (zeroed by the caller, freed by nb_xlsx_free either way);
 * false with a Chinese message in err when the file is no readable .xlsx. */
bool nb_xlsx_read(const char *data, size_t len, nb_xlsx_book *book, char *err, size_t errsz);
void nb_xlsx_free(nb_xlsx_book *book);

#endif
