/* The SQLite backend: adding a report in one transaction.  A sha256 already
 * stored is a no-op; a changed file of the same unit, year and source
 * becomes the next version and the older ones stay (current = 0).
 *
 * In batch mode (nb_store_batch, what `add` uses) reports share a
 * transaction committed every NB_SQ_BATCH_REPORTS reports or
 * NB_SQ_BATCH_SECONDS; a write that fails rolls the whole open batch back
 * (nb_store_pending tells the caller which reports that undid), so a report
 * is still written whole or not at all, and a crash loses at most the
 * reports since the last commit.  No savepoint a report: its journal (the
 * pages earlier reports of the batch wrote, copied before each change) was
 * 0.12 M of add's 1.69 M instructions a report (docs/store.md). */
#include "store/store_sqlite.h"
#include "base/strbuf.h"
#include <string.h>
#include <time.h>

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    if (s)
        sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, i);
}

static bool step_done(nb_sq *q, sqlite3_stmt *st, nb_strbuf *err)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW)
        return true;
    nb_sq_error(q, "写入报告", err);
    return false;
}

bool nb_sq_has_sha(void *impl, const char *sha256, bool *found, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_HAS_SHA, err);
    if (!st)
        return false;
    bind_text(st, 1, sha256);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        nb_sq_error(q, "查找报告", err);
        return false;
    }
    *found = rc == SQLITE_ROW;
    return true;
}

/* Values of a free statistics row or a foreign mark, joined by U+001F. */
static void join_values(nb_strbuf *b, const char **v, size_t n)
{
    b->len = 0;
    nb_sb_append(b, "", 0);
    for (size_t i = 0; i < n; i++) {
        if (i)
            nb_sb_append(b, "\x1f", 1);
        nb_sb_puts(b, v[i] ? v[i] : "");
    }
}

/* Binds row i of r's sections, notes, stats or marks (the table's columns
 * after report and seq) from parameter at on; vals a scratch buffer. */
typedef void (*bind_row_fn)(sqlite3_stmt *st, int at, const nb_report *r, size_t i, nb_strbuf *vals);

static void bind_section(sqlite3_stmt *st, int at, const nb_report *r, size_t i, nb_strbuf *vals)
{
    (void)vals;
    const nb_section *s = &r->sections[i];
    bind_text(st, at, s->heading);
    bind_text(st, at + 1, s->text);
    sqlite3_bind_int(st, at + 2, s->level);
    sqlite3_bind_int64(st, at + 3, s->line);
}

static void bind_note(sqlite3_stmt *st, int at, const nb_report *r, size_t i, nb_strbuf *vals)
{
    (void)vals;
    const nb_note *n = &r->notes[i];
    bind_text(st, at, n->rule);
    bind_text(st, at + 1, n->message);
    bind_text(st, at + 2, n->expected);
    bind_text(st, at + 3, n->actual);
    sqlite3_bind_int(st, at + 4, (int)n->severity);
    if (n->cell >= 0 && (size_t)n->cell < r->format->ncells) {
        const nb_cell_addr *a = nb_format_cell_addr(r->format, (size_t)n->cell);
        bind_text(st, at + 5, a->table->id);
        bind_text(st, at + 6, a->row->id);
        bind_text(st, at + 7, a->col->id);
    }
    sqlite3_bind_int64(st, at + 8, n->line);
}

static void bind_stat(sqlite3_stmt *st, int at, const nb_report *r, size_t i, nb_strbuf *vals)
{
    const nb_stat_row *s = &r->stats[i];
    join_values(vals, s->values, s->nvalues);
    bind_text(st, at, s->label);
    bind_text(st, at + 1, s->unit);
    sqlite3_bind_text(st, at + 2, vals->data, (int)vals->len, SQLITE_TRANSIENT); /* vals is reused */
    sqlite3_bind_int64(st, at + 3, (sqlite3_int64)s->nvalues);
    sqlite3_bind_int64(st, at + 4, s->line);
}

static void bind_mark(sqlite3_stmt *st, int at, const nb_report *r, size_t i, nb_strbuf *vals)
{
    (void)vals;
    const nb_mark_seen *m = &r->marks[i];
    bind_text(st, at, m->label);
    bind_text(st, at + 1, m->format);
    bind_text(st, at + 2, m->values);
    sqlite3_bind_int64(st, at + 3, m->line);
}

/* The tables a report's rows go to: name, columns, the binder. */
static const struct {
    const char *table;
    int ncols;
    bind_row_fn bind;
} ROWS[NB_SQ_ROW_TABLES] = {
    {"section", 6, bind_section}, {"note", 11, bind_note}, {"stat", 7, bind_stat}, {"mark", 6, bind_mark}};

/* The statement inserting n rows (1 to NB_SQ_ROWS) into table t, prepared
 * on first use and kept; reset and unbound. */
static sqlite3_stmt *rows_stmt(nb_sq *q, int t, int n, nb_strbuf *err)
{
    sqlite3_stmt **st = &q->rows[t][n - 1];
    if (!*st) {
        nb_strbuf sql;
        nb_sb_init(&sql);
        nb_sb_printf(&sql, "INSERT OR FAIL INTO %s VALUES ", ROWS[t].table); /* no statement journal: see nb_sq_add */
        for (int i = 0; i < n; i++) {
            nb_sb_puts(&sql, i ? ",(?" : "(?");
            for (int c = 1; c < ROWS[t].ncols; c++)
                nb_sb_puts(&sql, ",?");
            nb_sb_puts(&sql, ")");
        }
        int rc = sqlite3_prepare_v3(q->db, sql.data, (int)sql.len, SQLITE_PREPARE_PERSISTENT, st, NULL);
        nb_sb_free(&sql);
        if (rc != SQLITE_OK) {
            nb_sq_error(q, "准备查询", err);
            return NULL;
        }
    }
    sqlite3_reset(*st);
    sqlite3_clear_bindings(*st);
    return *st;
}

/* The n rows of table t of report id, NB_SQ_ROWS to a statement: a step
 * costs SQLite about as much as the row it inserts. */
static bool put_rows(nb_sq *q, int t, const nb_report *r, size_t n, int64_t id, nb_strbuf *vals, nb_strbuf *err)
{
    for (size_t i = 0; i < n;) {
        int m = n - i < NB_SQ_ROWS ? (int)(n - i) : NB_SQ_ROWS;
        sqlite3_stmt *st = rows_stmt(q, t, m, err);
        if (!st)
            return false;
        for (int j = 0; j < m; j++, i++) {
            int at = j * ROWS[t].ncols + 1;
            sqlite3_bind_int64(st, at, id);
            sqlite3_bind_int64(st, at + 1, (sqlite3_int64)i);
            ROWS[t].bind(st, at + 2, r, i, vals);
        }
        if (!step_done(q, st, err))
            return false;
    }
    return true;
}

static bool put_rest(nb_sq *q, const nb_report *r, int64_t id, nb_strbuf *err)
{
    nb_strbuf vals;
    nb_sb_init(&vals);
    bool ok = put_rows(q, NB_SQ_SECTIONS, r, r->nsections, id, &vals, err) &&
              put_rows(q, NB_SQ_NOTES, r, r->nnotes, id, &vals, err) &&
              put_rows(q, NB_SQ_STATS, r, r->nstats, id, &vals, err) &&
              put_rows(q, NB_SQ_MARKS, r, r->nmarks, id, &vals, err);
    nb_sb_free(&vals);
    return ok;
}

/* The report row itself; *id its new id. */
static bool put_report(nb_sq *q, const nb_report *r, const nb_store_prov *p, int version, int64_t *id,
                       nb_strbuf *err)
{
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_INS_REPORT, err);
    if (!st)
        return false;
    nb_strbuf given, *cells = &q->enc_text;
    nb_sb_init(&given);
    nb_sb_append(&given, "", 0);
    nb_sq_cells_encode(q, r, cells);
    for (size_t t = 0; t < r->format->ntables; t++)
        if (r->table_given[t])
            nb_sb_printf(&given, "%s%s", given.len ? " " : "", r->format->tables[t].id);
    bind_text(st, 1, p->unit);
    sqlite3_bind_int(st, 2, r->year);
    sqlite3_bind_int(st, 3, version);
    bind_text(st, 4, p->source);
    bind_text(st, 5, p->sha256);
    bind_text(st, 6, p->importer);
    bind_text(st, 7, r->format->id);
    bind_text(st, 8, r->title);
    bind_text(st, 9, r->published);
    bind_text(st, 10, r->address);
    bind_text(st, 11, r->phone);
    bind_text(st, 12, r->postcode);
    bind_text(st, 13, r->preamble);
    sqlite3_bind_int(st, 14, r->title_year);
    sqlite3_bind_int(st, 15, r->period_year);
    sqlite3_bind_int(st, 16, r->tables_only);
    bind_text(st, 17, given.data);
    sqlite3_bind_int64(st, 18, (sqlite3_int64)r->nsections);
    sqlite3_bind_int64(st, 19, (sqlite3_int64)r->nnotes);
    sqlite3_bind_int64(st, 20, (sqlite3_int64)r->nstats);
    sqlite3_bind_int64(st, 21, (sqlite3_int64)r->nmarks);
    sqlite3_bind_int(st, 22, p->errors);
    sqlite3_bind_int(st, 23, p->warnings);
    sqlite3_bind_int(st, 24, p->infos);
    sqlite3_bind_text(st, 25, cells->data, (int)cells->len, SQLITE_STATIC);
    bool ok = step_done(q, st, err);
    nb_sb_free(&given);
    *id = sqlite3_last_insert_rowid(q->db);
    return ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Opens the report's transaction: its own, or the batch's (begun now when
 * none is open). */
static bool tx_begin(nb_sq *q, nb_strbuf *err)
{
    if (!q->batch)
        return nb_sq_exec(q, "BEGIN IMMEDIATE", err);
    if (!q->in_batch) {
        if (!nb_sq_exec(q, "BEGIN IMMEDIATE", err))
            return false;
        q->in_batch = true;
        q->batch_n = 0;
        q->batch_t0 = now_s();
    }
    return true;
}

static bool tx_commit(nb_sq *q, nb_strbuf *err)
{
    if (!q->batch)
        return nb_sq_exec(q, "COMMIT", err);
    q->batch_n++;
    if (q->batch_n >= NB_SQ_BATCH_REPORTS || now_s() - q->batch_t0 >= NB_SQ_BATCH_SECONDS)
        return nb_sq_batch_commit(q, err);
    return true;
}

/* After a failure: a report's own transaction is rolled back; in batch
 * mode the batch is when the report had begun writing (wrote), or when
 * SQLite already rolled it back itself (an I/O error, a full disk or no
 * memory without a statement journal do): nb_sq_pending is 0 then. */
static void tx_rollback(nb_sq *q, bool wrote)
{
    if (!q->batch) {
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        return;
    }
    if (q->in_batch && wrote)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    if (q->in_batch && sqlite3_get_autocommit(q->db)) {
        q->in_batch = false;
        q->batch_n = 0;
    }
}

size_t nb_sq_pending(void *impl)
{
    nb_sq *q = impl;
    return q->in_batch ? (size_t)q->batch_n : 0;
}

bool nb_sq_batch_commit(nb_sq *q, nb_strbuf *err)
{
    if (!q->in_batch)
        return true;
    q->in_batch = false;
    q->batch_n = 0;
    bool ok = nb_sq_exec(q, "COMMIT", err);
    if (!ok)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return ok;
}

/* In batch mode the rows a report writes point at the report row written
 * just before them: no need to look it up for each section, so foreign keys
 * are off (the pragma is a no-op inside a transaction, so it is set after the
 * commit).  A statement journal SQLite still keeps (UPDATE of an older
 * version's current) stays in memory: past 64 KiB SQLite moved a journal to
 * a temporary file for the rest of the batch, two writes a page.  Both are
 * set once for the whole batch mode: each change of them expires every
 * prepared statement, and re-preparing them at every batch commit cost
 * ~55,000 instructions a report. */
bool nb_sq_batch(void *impl, bool on, nb_strbuf *err)
{
    nb_sq *q = impl;
    bool ok = nb_sq_batch_commit(q, err);
    if (ok && on != q->batch)
        ok = nb_sq_exec(q, on ? "PRAGMA foreign_keys = OFF; PRAGMA temp_store = MEMORY"
                              : "PRAGMA foreign_keys = ON; PRAGMA temp_store = DEFAULT",
                        err);
    q->batch = on;
    return ok;
}

/* The report's rows are inserted OR FAIL: a multi-row INSERT that may
 * abort half-way keeps a statement journal (the pages it changes that the
 * batch wrote before, copied first); a failure here rolls back the batch
 * (tx_rollback) or the report's own transaction anyway. */
nb_store_result nb_sq_add(void *impl, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err)
{
    nb_sq *q = impl;
    if (!tx_begin(q, err))
        return NB_STORE_FAILED;
    bool found = false, wrote = false;
    nb_store_result res = NB_STORE_FAILED;
    if (!nb_sq_has_sha(q, p->sha256, &found, err))
        goto rollback;
    if (found) {
        res = NB_STORE_SAME;
        goto done;
    }
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_MAX_VERSION, err);
    if (!st)
        goto rollback;
    bind_text(st, 1, p->unit);
    sqlite3_bind_int(st, 2, r->year);
    bind_text(st, 3, p->source);
    if (sqlite3_step(st) != SQLITE_ROW) {
        nb_sq_error(q, "查找旧版本", err);
        goto rollback;
    }
    int version = sqlite3_column_int(st, 0) + 1;
    sqlite3_reset(st);
    wrote = true;
    if (version > 1) {
        if (!(st = nb_sq_stmt(q, SQ_UNCURRENT, err)))
            goto rollback;
        bind_text(st, 1, p->unit);
        sqlite3_bind_int(st, 2, r->year);
        bind_text(st, 3, p->source);
        if (!step_done(q, st, err))
            goto rollback;
    }
    if (!put_report(q, r, p, version, id, err) || !put_rest(q, r, *id, err))
        goto rollback;
    if (!tx_commit(q, err))
        return NB_STORE_FAILED; /* a failed batch commit rolled the batch back */
    return version > 1 ? NB_STORE_VERSION : NB_STORE_ADDED;
done:
    if (!q->batch)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return res;
rollback:
    tx_rollback(q, wrote);
    return res;
}

bool nb_sq_set_counts(void *impl, int64_t id, int errors, int warnings, int infos, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_SET_COUNTS, err);
    if (!st)
        return false;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, errors);
    sqlite3_bind_int(st, 3, warnings);
    sqlite3_bind_int(st, 4, infos);
    if (step_done(q, st, err))
        return true;
    if (q->batch)
        tx_rollback(q, true);
    return false;
}
