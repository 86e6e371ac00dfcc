/* The region's store: every unit × year report with its provenance and
 * history, the roster of units, and the queries the region commands need.
 *
 * Callers see this interface only; a backend (store_sqlite.c today) fills an
 * nb_store_backend and nb_store_open picks it by the location's form, so a
 * second backend (PostgreSQL: "postgresql://…") plugs in without touching
 * callers (docs/store.md).  The store knows no format's rows: cells are kept
 * by the ids of the format declaration (table, row, column).
 *
 * Every function that can fail returns false/NULL with one Chinese line in
 * err (ending in a newline). */
#ifndef NB_STORE_H
#define NB_STORE_H
#include "base/strbuf.h"
#include "model/report.h"
#include <stdbool.h>
#include <stdint.h>

typedef struct nb_store nb_store;

/* The location to use: flag (--db) when given, else $NIANBAO_DB, else
 * ./nianbao.db. */
const char *nb_store_location(const char *flag);

/* Opens the store at location, creating it when create is true and it does
 * not exist; brings its schema up to date (when writable).  A corrupt or
 * foreign file or a schema newer than this program is refused. */
nb_store *nb_store_open(const char *location, bool create, nb_strbuf *err);
void nb_store_close(nb_store *s);

/* Provenance of a report being added. */
typedef struct {
    const char *unit;     /* the reporting unit (单位) */
    const char *source;   /* the file it came from (as given, made absolute) */
    const char *sha256;   /* of the file's bytes */
    const char *importer; /* importer id */
    int errors, warnings, infos; /* findings when added */
} nb_store_prov;

typedef enum {
    NB_STORE_ADDED,   /* first report of this unit, year and source */
    NB_STORE_SAME,    /* this sha256 is stored already: nothing done */
    NB_STORE_VERSION, /* a changed file: stored as a new version, the old one kept */
    NB_STORE_FAILED
} nb_store_result;

/* True when a report with this sha256 is stored (then add is a no-op). */
bool nb_store_has_sha(nb_store *s, const char *sha256, bool *found, nb_strbuf *err);

/* Stores r in one transaction; *id is the new report's id. */
nb_store_result nb_store_add(nb_store *s, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err);

/* Batch mode on: each add is still whole or absent, but adds share
 * transactions committed every few hundred reports or 0.2 s (a crash loses
 * at most those since the last commit, never part of one).  Off: commits the
 * open batch; false with err when that commit fails.  Close commits too.
 * A write that fails (add, set_counts, the commit) rolls the open batch
 * back, its earlier reports with it; a failure before anything was written
 * keeps it. */
bool nb_store_batch(nb_store *s, bool on, nb_strbuf *err);

/* The reports added in the open batch, not committed yet (0 out of batch
 * mode and right after a commit).  After a failure, the last this many
 * reports added are still to be committed; the others before them since
 * the last commit were rolled back. */
size_t nb_store_pending(nb_store *s);

/* On: the reads that follow see the store as it is now — whole reports,
 * none a writer commits meanwhile — until turned off (no write between). */
bool nb_store_snapshot(nb_store *s, bool on, nb_strbuf *err);

/* One stored report as listed. */
typedef struct {
    int64_t id;
    const char *unit, *format, *source, *sha256, *importer, *added, *published;
    int year, version;
    bool current;         /* the newest version of its source */
    int errors, warnings, infos;
} nb_store_entry;

typedef struct {
    int year;             /* 0 = every year */
    const char *unit;     /* NULL = every unit */
    bool all_versions;    /* false = current versions only */
} nb_store_filter;

/* Calls fn for each report matching f, by unit, year, then the order they
 * were added; fn returns false to stop.  Strings live until fn returns. */
typedef bool (*nb_store_each_fn)(void *ud, const nb_store_entry *e);
bool nb_store_list(nb_store *s, const nb_store_filter *f, nb_store_each_fn fn, void *ud, nb_strbuf *err);

/* The newest current report of unit for year: *id (0 when none) and how
 * many current reports it has (more than one: duplicates). */
bool nb_store_find(nb_store *s, const char *unit, int year, int64_t *id, size_t *count, nb_strbuf *err);

/* The format a stored format id names, or NULL (then load fails). */
typedef const nb_format *(*nb_store_format_fn)(void *ud, const char *format_id);

/* Reads report id back into the model, as it was imported. */
nb_report *nb_store_load(nb_store *s, int64_t id, nb_store_format_fn fmt, void *ud, nb_strbuf *err);

/* Replaces the findings counts of report id (after a re-check). */
bool nb_store_set_counts(nb_store *s, int64_t id, int errors, int warnings, int infos, nb_strbuf *err);

/* The roster: every unit with its parent (a region or a unit) and level. */
typedef struct {
    const char *unit, *parent, *level;
} nb_roster_row;
bool nb_store_roster_replace(nb_store *s, const nb_roster_row *rows, size_t n, nb_strbuf *err);
typedef bool (*nb_store_roster_fn)(void *ud, const nb_roster_row *row);
bool nb_store_roster_each(nb_store *s, nb_store_roster_fn fn, void *ud, nb_strbuf *err);

/* One cell summed over a set of reports: the sum of the values written,
 * and how many reports wrote a value, left it blank, or marked it "/". */
typedef struct {
    const char *table, *row, *col;
    int64_t micro;
    int nvalue, nna;
} nb_store_sum_cell;
typedef bool (*nb_store_sum_fn)(void *ud, const nb_store_sum_cell *c);
/* Sums the cells of the reports ids (each once), exactly: fn gets each
 * cell id written in any of them, in the order of the format; false with
 * err when a sum does not fit a cell (64-bit millionths). */
bool nb_store_sum(nb_store *s, const int64_t *ids, size_t n, nb_store_sum_fn fn, void *ud, nb_strbuf *err);

/* What a backend provides; nb_store_open chooses one by the location. */
typedef struct nb_store_backend {
    const char *name;
    bool (*accepts)(const char *location);
    void *(*open)(const char *location, bool create, nb_strbuf *err);
    void (*close)(void *impl);
    bool (*has_sha)(void *impl, const char *sha256, bool *found, nb_strbuf *err);
    bool (*batch)(void *impl, bool on, nb_strbuf *err);
    size_t (*pending)(void *impl);
    bool (*snapshot)(void *impl, bool on, nb_strbuf *err);
    nb_store_result (*add)(void *impl, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err);
    bool (*list)(void *impl, const nb_store_filter *f, nb_store_each_fn fn, void *ud, nb_strbuf *err);
    bool (*find)(void *impl, const char *unit, int year, int64_t *id, size_t *count, nb_strbuf *err);
    nb_report *(*load)(void *impl, int64_t id, nb_store_format_fn fmt, void *ud, nb_strbuf *err);
    bool (*set_counts)(void *impl, int64_t id, int errors, int warnings, int infos, nb_strbuf *err);
    bool (*roster_replace)(void *impl, const nb_roster_row *rows, size_t n, nb_strbuf *err);
    bool (*roster_each)(void *impl, nb_store_roster_fn fn, void *ud, nb_strbuf *err);
    bool (*sum)(void *impl, const int64_t *ids, size_t n, nb_store_sum_fn fn, void *ud, nb_strbuf *err);
} nb_store_backend;

extern const nb_store_backend nb_store_sqlite;

#endif
