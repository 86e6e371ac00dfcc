/* A report format (one per official notice: gov-2019, gov-2021, …) as the C
 * core sees it: tables, blocks, rows, columns, cell types and compiled rules.
 * It is built from a format plugin's declaration; the core knows no row of
 * any year.  Everything lives in the format's arena. */
#ifndef NB_FORMAT_H
#define NB_FORMAT_H
#include "base/arena.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum { NB_TYPE_COUNT, NB_TYPE_SIGNED, NB_TYPE_AMOUNT } nb_cell_type;

typedef struct {
    const char *id, *label;
    nb_cell_type type;
    const char *unit; /* e.g. "万元"; NULL when the template prints none */
    bool not_additive; /* additive = false: a stock, not summed over units (nianbao sum) */
} nb_column;

typedef struct {
    const char *id, *label;
    const char **match; /* normalised label and aliases */
    size_t nmatch;
    int depth;          /* 1 = outermost label column */
    int parent;         /* index in the table's rows, -1 at top */
    bool data;          /* carries cells (label-only group rows do not) */
    size_t block;
    size_t cell_first;  /* index of its first cell in a report */
    const char *instruction; /* 填报说明 for this row, or NULL */
} nb_row;

typedef struct {
    const char *id, *label, *corner;
    size_t col_first, ncols; /* into the table's columns */
} nb_block;

typedef struct {
    const char *id, *label, *section;
    nb_block *blocks;
    size_t nblocks;
    nb_column *cols;
    size_t ncols;
    nb_row *rows;
    size_t nrows;
    const char **instructions; /* 填报说明 for the whole table, in order */
    size_t ninstructions;
} nb_table;

typedef struct {
    const char *id, *label;
    const char **match; /* normalised words that must all appear in a heading */
    size_t nmatch;
} nb_section_def;

typedef struct nb_rule nb_rule;

/* Where a cell index lives. */
typedef struct {
    const nb_table *table;
    const nb_row *row;
    const nb_column *col;
} nb_cell_addr;


typedef struct nb_format {
    nb_arena arena;
    const char *id, *name, *notice, *source_file;
    int year_from, year_to; /* 0 = open */
    nb_section_def *sections;
    size_t nsections;
    nb_table *tables;
    size_t ntables;
    size_t ncells;
    nb_cell_addr *cell_addr; /* ncells entries, filled by nb_format_finish */
    nb_rule *rules;
    size_t nrules;
    /* labels that only this format prints: a report using them elsewhere
     * was filled in the wrong template (normalised) */
    const char **marks;
    size_t nmarks;
    /* DATE-DL: when a report of a unit at one of levels (the roster's 层级)
     * is due, month/day of the year after the report year; a deadline
     * without levels applies to every level not named elsewhere */
    struct nb_deadline {
        const char **levels;
        size_t nlevels;
        int month, day;
    } *deadlines;
    size_t ndeadlines;
} nb_format;

nb_format *nb_format_new(void);
void nb_format_free(nb_format *f);
/* Assigns cell indices once tables are filled in; returns false (with a
 * message in err) when ids repeat. */
bool nb_format_finish(nb_format *f, char *err, size_t errsize);

const nb_table *nb_format_table(const nb_format *f, const char *id);
int nb_table_row(const nb_table *t, const char *id);
int nb_table_block_col(const nb_table *t, size_t block, const char *id);
/* Cell index of table.row.col, or -1. */
long nb_format_cell(const nb_format *f, const char *table, const char *row, const char *col);
static inline const nb_cell_addr *nb_format_cell_addr(const nb_format *f, size_t cell) { return &f->cell_addr[cell]; }
/* Row whose normalised label or alias equals norm, or -1. */
int nb_table_match_row(const nb_table *t, const char *norm);
const char *nb_cell_type_name(nb_cell_type t);

/* Index of the section with this id, or -1. */
int nb_format_section(const nb_format *f, const char *id);

#endif
