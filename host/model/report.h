/* The report model: metadata, ordered sections with their text, and the
 * cells of the format's tables.  A cell keeps what was written: blank,
 * a "not applicable" mark, or a number (with its text when that differs
 * from the canonical form).  Blank is never turned into zero here. */
#ifndef NB_REPORT_H
#define NB_REPORT_H
#include "base/arena.h"
#include "model/format.h"
#include "model/rules.h"
#include <stdbool.h>
#include <stdint.h>

typedef enum { NB_CELL_BLANK = 0, NB_CELL_NA, NB_CELL_VALUE } nb_cell_state;

typedef struct {
    uint8_t state;       /* nb_cell_state */
    bool fraction;       /* a count written with decimals (CELL-INT) */
    bool converted;      /* a unit written in the cell was converted */
    uint32_t line;       /* source line, 0 when unknown */
    int64_t micro;       /* value × 10^6 when state is VALUE */
    const char *text;    /* as written; NULL when canonical or blank */
} nb_cell;

typedef struct {
    const char *heading; /* as written */
    const char *text;    /* body up to the next heading, lines joined by \n */
    int level;           /* 1 = 一、…, 2 = （一）… */
    int def;             /* index of the format's section it matches, or -1 */
    uint32_t line;
} nb_section;

typedef struct {
    const char *key, *value;
} nb_meta;

/* Something the importer noticed while reading the source rather than a rule
 * over the model: a cell it could not decide, a register row it could not
 * place.  Checking reports each as a finding (converted units too, from the
 * cells' own state). */
typedef struct {
    const char *rule, *message, *expected, *actual; /* rule: an id such as IMPORT-UNIT */
    nb_severity severity;
    long cell;           /* the cell it is about, or -1 */
    uint32_t line;
} nb_note;
/* A free-form statistics row, for formats without a national table (the
 * legacy 统计表 of reports before 2019): label, unit and values as written. */
typedef struct {
    const char *label, *unit; /* unit NULL when the row has none */
    const char **values;
    size_t nvalues;
    uint32_t line;
} nb_stat_row;

/* A label the importer recognised as another format's: one of that format's
 * `marks`, or a row of its tables (with the values written on it).  FMT-VER
 * reports them; they tell a report filled in the wrong year's template. */
typedef struct {
    const char *label, *format; /* as printed; the format id it belongs to */
    const char *values;         /* a foreign row's values, or NULL */
    uint32_t line;
} nb_mark_seen;

typedef struct {
    nb_arena arena;
    const nb_format *format;
    const char *source;  /* file name, for messages */
    /* well-known metadata */
    const char *title, *agency, *published, *address, *phone, *postcode;
    int year;            /* the report year */
    int title_year;      /* year printed in the title, 0 if none */
    int period_year;     /* year of the 统计期限 sentence, 0 if none */
    const char *preamble;
    nb_section *sections;
    size_t nsections;
    nb_cell *cells;      /* format->ncells */
    bool tables_only;    /* the source holds tables alone (CSV, register): no text to check */
    bool *table_given;   /* per format table: the source had it (arena) */
    nb_note *notes;      /* malloc'd array; strings in the arena */
    size_t nnotes, notes_cap;
    nb_stat_row *stats;  /* free-form statistics rows (formats without tables) */
    size_t nstats;
    nb_mark_seen *marks; /* labels of other formats seen by the importer */
    size_t nmarks;
} nb_report;

nb_report *nb_report_new(const nb_format *f, const char *source);
void nb_report_free(nb_report *r);

/* Result of reading one written cell against its column type. */
typedef enum {
    NB_SET_OK,
    NB_SET_NOT_NUMBER,   /* letters or other text */
    NB_SET_NEGATIVE,     /* a count below zero */
    NB_SET_TOO_PRECISE,  /* more than six decimals */
    NB_SET_OVERFLOW,
    NB_SET_BAD_UNIT      /* a unit the column cannot take */
} nb_set_result;

/* Stores text (length len) as written into cell, reading it as the column's
 * type.  On failure the cell is left blank. */
nb_set_result nb_report_set_cell(nb_report *r, size_t cell, const char *text, size_t len, uint32_t line);
const char *nb_set_result_message(nb_set_result res, nb_cell_type type);

/* Adds a note (strings are copied; expected/actual may be NULL). */
nb_note *nb_report_add_note(nb_report *r, nb_severity sev, const char *rule, const char *message, long cell,
                            uint32_t line, const char *expected, const char *actual);

/* The cell as it should be printed: its text, or the canonical number, or "". */
const char *nb_cell_text(const nb_cell *c, char *buf, size_t size);

/* Binds each section to the format's section it matches (fills def). */
void nb_report_bind_sections(nb_report *r);

/* The first three numbers of a date as printed ("2025-01-20", "2025年1月20日"):
 * year (from 1990), month and day; false when text holds no such date. */
bool nb_date_parse(const char *text, int *y, int *m, int *d);

#endif
