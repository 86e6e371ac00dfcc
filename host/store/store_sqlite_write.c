/* The SQLite backend: adding a report in one transaction.  A sha256 already
 * stored is a no-op; a changed file of the same unit, year and source
 * becomes the next version and the older ones stay (current = 0).
 *
 * In batch mode (nb_store_batch, what `add` uses) a report is a savepoint
 * in a transaction committed every NB_SQ_BATCH_REPORTS reports or
 * NB_SQ_BATCH_SECONDS: a report is still written whole or not at all, and a
 * crash loses at most the reports since the last commit. */
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

static bool put_rest(nb_sq *q, const nb_report *r, int64_t id, nb_strbuf *err)
{
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_INS_SECTION, err);
    for (size_t i = 0; st && i < r->nsections; i++) {
        const nb_section *s = &r->sections[i];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, s->heading);
        bind_text(st, 4, s->text);
        sqlite3_bind_int(st, 5, s->level);
        sqlite3_bind_int64(st, 6, s->line);
        if (!step_done(q, st, err))
            return false;
    }
    if (!st || !(st = nb_sq_stmt(q, SQ_INS_NOTE, err)))
        return false;
    for (size_t i = 0; i < r->nnotes; i++) {
        const nb_note *n = &r->notes[i];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, n->rule);
        bind_text(st, 4, n->message);
        bind_text(st, 5, n->expected);
        bind_text(st, 6, n->actual);
        sqlite3_bind_int(st, 7, (int)n->severity);
        if (n->cell >= 0 && (size_t)n->cell < r->format->ncells) {
            const nb_cell_addr *a = nb_format_cell_addr(r->format, (size_t)n->cell);
            bind_text(st, 8, a->table->id);
            bind_text(st, 9, a->row->id);
            bind_text(st, 10, a->col->id);
        }
        sqlite3_bind_int64(st, 11, n->line);
        if (!step_done(q, st, err))
            return false;
    }
    nb_strbuf vals;
    nb_sb_init(&vals);
    bool ok = (st = nb_sq_stmt(q, SQ_INS_STAT, err)) != NULL;
    for (size_t i = 0; ok && i < r->nstats; i++) {
        const nb_stat_row *s = &r->stats[i];
        join_values(&vals, s->values, s->nvalues);
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, s->label);
        bind_text(st, 4, s->unit);
        bind_text(st, 5, vals.data);
        sqlite3_bind_int64(st, 6, (sqlite3_int64)s->nvalues);
        sqlite3_bind_int64(st, 7, s->line);
        ok = step_done(q, st, err);
    }
    ok = ok && (st = nb_sq_stmt(q, SQ_INS_MARK, err)) != NULL;
    for (size_t i = 0; ok && i < r->nmarks; i++) {
        const nb_mark_seen *m = &r->marks[i];
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
        bind_text(st, 3, m->label);
        bind_text(st, 4, m->format);
        bind_text(st, 5, m->values);
        sqlite3_bind_int64(st, 6, m->line);
        ok = step_done(q, st, err);
    }
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
    nb_strbuf given, cells;
    nb_sb_init(&given);
    nb_sb_init(&cells);
    nb_sb_append(&given, "", 0);
    nb_sq_cells_encode(q, r, &cells);
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
    sqlite3_bind_text(st, 25, cells.data, (int)cells.len, SQLITE_STATIC);
    bool ok = step_done(q, st, err);
    nb_sb_free(&given);
    nb_sb_free(&cells);
    *id = sqlite3_last_insert_rowid(q->db);
    return ok;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs the prepared statement k (a savepoint's). */
static bool run(nb_sq *q, int k, nb_strbuf *err)
{
    sqlite3_stmt *st = nb_sq_stmt(q, k, err);
    return st && step_done(q, st, err);
}

/* Opens the report's transaction: its own, or a savepoint in the batch's
 * (begun now when none is open). */
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
    return run(q, SQ_SAVEPOINT, err);
}

static bool tx_commit(nb_sq *q, nb_strbuf *err)
{
    if (!q->batch)
        return nb_sq_exec(q, "COMMIT", err);
    if (!run(q, SQ_RELEASE, err))
        return false;
    q->batch_n++;
    if (q->batch_n >= NB_SQ_BATCH_REPORTS || now_s() - q->batch_t0 >= NB_SQ_BATCH_SECONDS)
        return nb_sq_batch_commit(q, err);
    return true;
}

/* Undoes the report's writes only; the batch's earlier reports stay. */
static void tx_rollback(nb_sq *q)
{
    if (!q->batch) {
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    } else if (q->in_batch) {
        nb_strbuf ignored; /* the failure that led here is what is reported */
        nb_sb_init(&ignored);
        run(q, SQ_ROLLBACK_TO, &ignored);
        run(q, SQ_RELEASE, &ignored);
        nb_sb_free(&ignored);
    }
}

bool nb_sq_batch_commit(nb_sq *q, nb_strbuf *err)
{
    if (!q->in_batch)
        return true;
    q->in_batch = false;
    bool ok = nb_sq_exec(q, "COMMIT", err);
    if (!ok)
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
    return ok;
}

/* In batch mode the rows a report writes point at the report row written
 * just before them: no need to look it up for each section, so foreign keys
 * are off (the pragma is a no-op inside a transaction, so it is set after the
 * commit).  It is set once for the whole batch mode: each change of it
 * expires every prepared statement, and re-preparing them at every batch
 * commit cost ~55,000 instructions a report. */
bool nb_sq_batch(void *impl, bool on, nb_strbuf *err)
{
    nb_sq *q = impl;
    bool ok = nb_sq_batch_commit(q, err);
    if (ok && on != q->batch)
        ok = nb_sq_exec(q, on ? "PRAGMA foreign_keys = OFF" : "PRAGMA foreign_keys = ON", err);
    q->batch = on;
    return ok;
}

nb_store_result nb_sq_add(void *impl, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err)
{
    nb_sq *q = impl;
    if (!tx_begin(q, err))
        return NB_STORE_FAILED;
    bool found = false;
    nb_store_result res = NB_STORE_FAILED;
    if (!nb_sq_has_sha(q, p->sha256, &found, err))
        goto rollback;
    if (found) {
        res = NB_STORE_SAME;
        goto rollback;
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
rollback:
    tx_rollback(q);
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
    return step_done(q, st, err);
}
