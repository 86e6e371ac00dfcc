/* The SQLite backend of the store (store.h), shared by its files:
 * store_sqlite.c (opening, schema, migrations), store_sqlite_write.c
 * (adding a report), store_sqlite_read.c (listing, loading, sums, roster),
 * store_sqlite_cells.c (a report's cells as one JSON text), store_sqlite_sum.c
 * (cells summed over reports). */
#ifndef NB_STORE_SQLITE_H
#define NB_STORE_SQLITE_H
#include "store/store.h"
#include <sqlite3.h>

/* The statements the backend prepares once and reuses. */
enum {
    SQ_HAS_SHA, SQ_MAX_VERSION, SQ_UNCURRENT, SQ_INS_REPORT, SQ_GET_REPORT, SQ_GET_CELLS, SQ_GET_SECTIONS, SQ_GET_NOTES, SQ_GET_STATS,
    SQ_GET_MARKS, SQ_SET_COUNTS, SQ_FIND, SQ_COUNT
};

/* The tables of a report's rows (store_sqlite_write.c), inserted up to
 * NB_SQ_ROWS rows a statement. */
enum { NB_SQ_SECTIONS, NB_SQ_NOTES, NB_SQ_STATS, NB_SQ_MARKS, NB_SQ_ROW_TABLES };
#define NB_SQ_ROWS 32

typedef struct {
    sqlite3 *db;
    char *path;
    sqlite3_stmt *st[SQ_COUNT];
    sqlite3_stmt *rows[NB_SQ_ROW_TABLES][NB_SQ_ROWS]; /* [t][n - 1]: n rows into table t */
    bool snapshot;        /* a read transaction open (nb_store_snapshot) */
    bool batch, in_batch; /* batch mode (nb_store_batch); its transaction open */
    int batch_n;          /* reports in the open batch */
    double batch_t0;      /* when it began (monotonic seconds) */
    /* what every report of enc_format writes before each cell's value:
     * cell i's `[i,"tab","row","col",` at enc_prefix.data + enc_at[i],
     * made once for the store's life (the format outlives it) */
    const nb_format *enc_format;
    nb_strbuf enc_prefix;
    size_t *enc_at;
    nb_strbuf enc_text; /* the text of report.cells being written, kept for the next report */
} nb_sq;

/* The page size of a new store (PRAGMA page_size; see store_sqlite.c). */
#define NB_SQ_PAGE_SIZE "16384"

/* A batch is committed after this many reports or this long after it began. */
#define NB_SQ_BATCH_REPORTS 500
#define NB_SQ_BATCH_SECONDS 0.2

/* The prepared statement k, reset and unbound; NULL with err on failure. */
sqlite3_stmt *nb_sq_stmt(nb_sq *q, int k, nb_strbuf *err);
/* Puts SQLite's complaint about the store into err as one Chinese line. */
void nb_sq_error(nb_sq *q, const char *doing, nb_strbuf *err);
bool nb_sq_exec(nb_sq *q, const char *sql, nb_strbuf *err);

/* r's cells written (all but the blank ones pointing nowhere) as the JSON
 * text of report.cells, into b (replaced). */
void nb_sq_cells_encode(nb_sq *q, const nb_report *r, nb_strbuf *b);
/* A string of report.cells: its text and length; NUL-terminated only when
 * it had escapes (then decoded into the walker's buffer). */
typedef struct {
    const char *p;
    size_t n;
} nb_sq_slice;
/* One cell of report.cells as read: s[] = tab, row, col, value, kind. */
typedef struct {
    int64_t seq, micro, flags, line;
    nb_sq_slice s[5];
} nb_sq_cell_text;
/* fn gets each cell, with the five buffers (nb_sq_cstr) the strings may
 * live in; it returns false to stop (then each returns true). */
typedef bool (*nb_sq_cell_fn)(void *ud, const nb_sq_cell_text *c, nb_strbuf *b);
/* Walks report.cells; false when the text is not what encode (or SQLite's
 * json functions) wrote. */
bool nb_sq_cells_each(const char *text, size_t len, nb_sq_cell_fn fn, void *ud);
/* s equals id. */
bool nb_sq_is(nb_sq_slice s, const char *id);
/* s NUL-terminated: in place when it lives in b, else copied into b. */
const char *nb_sq_cstr(nb_sq_slice s, nb_strbuf *b);
/* Reads report.cells back into r's cells; a cell the format no longer
 * declares becomes a STORE-CELL warning.  false when the text is not what
 * encode (or SQLite's json functions) wrote. */
bool nb_sq_cells_decode(nb_sq *q, nb_report *r, const char *text, size_t len);

nb_store_result nb_sq_add(void *impl, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err);
bool nb_sq_batch(void *impl, bool on, nb_strbuf *err);
size_t nb_sq_pending(void *impl);
bool nb_sq_batch_commit(nb_sq *q, nb_strbuf *err);
bool nb_sq_has_sha(void *impl, const char *sha256, bool *found, nb_strbuf *err);
bool nb_sq_list(void *impl, const nb_store_filter *f, nb_store_each_fn fn, void *ud, nb_strbuf *err);
bool nb_sq_find(void *impl, const char *unit, int year, int64_t *id, size_t *count, nb_strbuf *err);
nb_report *nb_sq_load(void *impl, int64_t id, nb_store_format_fn fmt, void *ud, nb_strbuf *err);
bool nb_sq_set_counts(void *impl, int64_t id, int errors, int warnings, int infos, nb_strbuf *err);
bool nb_sq_roster_replace(void *impl, const nb_roster_row *rows, size_t n, nb_strbuf *err);
bool nb_sq_roster_each(void *impl, nb_store_roster_fn fn, void *ud, nb_strbuf *err);
bool nb_sq_sum(void *impl, const int64_t *ids, size_t n, nb_store_sum_fn fn, void *ud, nb_strbuf *err);

#endif
