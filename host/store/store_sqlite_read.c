/* The SQLite backend: listing reports, reading one back into the model,
 * and the roster. */
#include "store/store_sqlite.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *col_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

static const char *adup(nb_report *r, sqlite3_stmt *st, int i)
{
    const char *s = col_text(st, i);
    return s ? nb_arena_strdup(&r->arena, s) : NULL;
}

static bool step_failed(nb_sq *q, int rc, const char *doing, nb_strbuf *err)
{
    if (rc == SQLITE_DONE)
        return false;
    nb_sq_error(q, doing, err);
    return true;
}

bool nb_sq_list(void *impl, const nb_store_filter *f, nb_store_each_fn fn, void *ud, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st;
    /* only the conditions asked for, so that the indexes serve them */
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id, unit, year, version, current, format, source, sha256, importer, added, published,"
             " errors, warnings, infos FROM report WHERE 1%s%s%s ORDER BY unit, year, id",
             f && f->year ? " AND year = ?1" : "", f && f->unit ? " AND unit = ?2" : "",
             f && f->all_versions ? "" : " AND current = 1");
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK) {
        nb_sq_error(q, "列出报告", err);
        return false;
    }
    if (f && f->year)
        sqlite3_bind_int(st, 1, f->year);
    if (f && f->unit)
        sqlite3_bind_text(st, 2, f->unit, -1, SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nb_store_entry e = {
            .id = sqlite3_column_int64(st, 0), .unit = col_text(st, 1), .year = sqlite3_column_int(st, 2),
            .version = sqlite3_column_int(st, 3), .current = sqlite3_column_int(st, 4) != 0,
            .format = col_text(st, 5), .source = col_text(st, 6), .sha256 = col_text(st, 7),
            .importer = col_text(st, 8), .added = col_text(st, 9), .published = col_text(st, 10),
            .errors = sqlite3_column_int(st, 11), .warnings = sqlite3_column_int(st, 12),
            .infos = sqlite3_column_int(st, 13)};
        if (!fn(ud, &e)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    bool ok = !step_failed(q, rc, "列出报告", err);
    sqlite3_finalize(st);
    return ok;
}

/* Splits a U+001F-joined list into n strings in the arena. */
static const char **split_values(nb_report *r, const char *s, size_t n)
{
    const char **v = nb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *v);
    for (size_t i = 0; i < n; i++) {
        const char *e = s ? strchr(s, '\x1f') : NULL;
        size_t len = s ? (e ? (size_t)(e - s) : strlen(s)) : 0;
        v[i] = nb_arena_strndup(&r->arena, s ? s : "", len);
        s = e ? e + 1 : NULL;
    }
    return v;
}

static bool load_rest(nb_sq *q, nb_report *r, int64_t id, size_t ns, size_t nn, size_t nst, size_t nm,
                      nb_strbuf *err)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;
    if (ns) {
        if (!(st = nb_sq_stmt(q, SQ_GET_SECTIONS, err)))
            return false;
        sqlite3_bind_int64(st, 1, id);
        r->sections = nb_arena_alloc(&r->arena, ns * sizeof *r->sections);
        while (r->nsections < ns && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            nb_section *s = &r->sections[r->nsections++];
            s->heading = adup(r, st, 0);
            s->text = adup(r, st, 1);
            s->level = sqlite3_column_int(st, 2);
            s->line = (uint32_t)sqlite3_column_int64(st, 3);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && step_failed(q, rc, "读取章节", err))
            return false;
        nb_report_bind_sections(r);
    }
    if (nn) {
        if (!(st = nb_sq_stmt(q, SQ_GET_NOTES, err)))
            return false;
        sqlite3_bind_int64(st, 1, id);
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            long cell = -1;
            if (col_text(st, 5))
                cell = nb_format_cell(r->format, col_text(st, 5), col_text(st, 6), col_text(st, 7));
            nb_report_add_note(r, (nb_severity)sqlite3_column_int(st, 4), col_text(st, 0), col_text(st, 1), cell,
                               (uint32_t)sqlite3_column_int64(st, 8), col_text(st, 2), col_text(st, 3));
        }
        sqlite3_reset(st);
        if (step_failed(q, rc, "读取导入说明", err))
            return false;
    }
    if (nst) {
        if (!(st = nb_sq_stmt(q, SQ_GET_STATS, err)))
            return false;
        sqlite3_bind_int64(st, 1, id);
        r->stats = nb_arena_alloc(&r->arena, nst * sizeof *r->stats);
        while (r->nstats < nst && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            nb_stat_row *s = &r->stats[r->nstats++];
            s->label = adup(r, st, 0);
            s->unit = adup(r, st, 1);
            s->nvalues = (size_t)sqlite3_column_int64(st, 3);
            s->values = split_values(r, col_text(st, 2), s->nvalues);
            s->line = (uint32_t)sqlite3_column_int64(st, 4);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && step_failed(q, rc, "读取统计行", err))
            return false;
    }
    if (nm) {
        if (!(st = nb_sq_stmt(q, SQ_GET_MARKS, err)))
            return false;
        sqlite3_bind_int64(st, 1, id);
        r->marks = nb_arena_alloc(&r->arena, nm * sizeof *r->marks);
        while (r->nmarks < nm && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            nb_mark_seen *m = &r->marks[r->nmarks++];
            m->label = adup(r, st, 0);
            m->format = adup(r, st, 1);
            m->values = adup(r, st, 2);
            m->line = (uint32_t)sqlite3_column_int64(st, 3);
        }
        sqlite3_reset(st);
        if (rc != SQLITE_ROW && step_failed(q, rc, "读取格式标记", err))
            return false;
    }
    return true;
}

bool nb_sq_find(void *impl, const char *unit, int year, int64_t *id, size_t *count, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_FIND, err);
    if (!st)
        return false;
    sqlite3_bind_text(st, 1, unit, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, year);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        nb_sq_error(q, "查找报告", err);
        sqlite3_reset(st);
        return false;
    }
    *id = sqlite3_column_int64(st, 0);
    *count = (size_t)sqlite3_column_int64(st, 1);
    sqlite3_reset(st);
    return true;
}

nb_report *nb_sq_load(void *impl, int64_t id, nb_store_format_fn fmt, void *ud, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st = nb_sq_stmt(q, SQ_GET_REPORT, err);
    if (!st)
        return NULL;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        if (!step_failed(q, rc, "读取报告", err))
            nb_sb_printf(err, "%s：库中没有编号为 %lld 的报告\n", q->path, (long long)id);
        sqlite3_reset(st);
        return NULL;
    }
    const nb_format *f = fmt(ud, col_text(st, 2));
    if (!f) {
        nb_sb_printf(err, "%s：报告 %s（%d年）的格式 %s 没有插件定义，无法读出\n", q->path, col_text(st, 0),
                     sqlite3_column_int(st, 1), col_text(st, 2));
        sqlite3_reset(st);
        return NULL;
    }
    nb_report *r = nb_report_new(f, col_text(st, 3));
    r->agency = adup(r, st, 0);
    r->year = sqlite3_column_int(st, 1);
    r->title = adup(r, st, 4);
    r->published = adup(r, st, 5);
    r->address = adup(r, st, 6);
    r->phone = adup(r, st, 7);
    r->postcode = adup(r, st, 8);
    r->preamble = adup(r, st, 9);
    r->title_year = sqlite3_column_int(st, 10);
    r->period_year = sqlite3_column_int(st, 11);
    r->tables_only = sqlite3_column_int(st, 12) != 0;
    const char *given = col_text(st, 13);
    for (size_t t = 0; given && t < f->ntables; t++) {
        const char *id_ = f->tables[t].id, *p = given;
        size_t n = strlen(id_);
        while ((p = strstr(p, id_)) && !((p == given || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0')))
            p += n;
        r->table_given[t] = p != NULL;
    }
    size_t ns = (size_t)sqlite3_column_int64(st, 14), nn = (size_t)sqlite3_column_int64(st, 15),
           nst = (size_t)sqlite3_column_int64(st, 16), nm = (size_t)sqlite3_column_int64(st, 17);
    bool cells =
        nb_sq_cells_decode(q, r, (const char *)sqlite3_column_text(st, 18), (size_t)sqlite3_column_bytes(st, 18));
    sqlite3_reset(st);
    if (!cells)
        nb_sb_printf(err, "%s：库中报告 %s（%d年）的单元格数据已损坏，请从备份恢复或重新导入该文件\n", q->path,
                     r->agency ? r->agency : "", r->year);
    if (!cells || !load_rest(q, r, id, ns, nn, nst, nm, err)) {
        nb_report_free(r);
        return NULL;
    }
    return r;
}

bool nb_sq_roster_replace(void *impl, const nb_roster_row *rows, size_t n, nb_strbuf *err)
{
    nb_sq *q = impl;
    if (!nb_sq_exec(q, "BEGIN IMMEDIATE; DELETE FROM roster", err))
        return false;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "INSERT OR REPLACE INTO roster VALUES (?1, ?2, ?3)", -1, &st, NULL) != SQLITE_OK) {
        nb_sq_error(q, "写入名册", err);
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        sqlite3_bind_text(st, 1, rows[i].unit, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, rows[i].parent, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, rows[i].level, -1, SQLITE_STATIC);
        ok = sqlite3_step(st) == SQLITE_DONE;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    if (!ok || !nb_sq_exec(q, "COMMIT", err)) {
        if (!ok)
            nb_sq_error(q, "写入名册", err);
        sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
        return false;
    }
    return true;
}

bool nb_sq_roster_each(void *impl, nb_store_roster_fn fn, void *ud, nb_strbuf *err)
{
    nb_sq *q = impl;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, "SELECT unit, parent, level FROM roster ORDER BY unit", -1, &st, NULL) !=
        SQLITE_OK) {
        nb_sq_error(q, "读取名册", err);
        return false;
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        nb_roster_row row = {col_text(st, 0), col_text(st, 1), col_text(st, 2)};
        if (!fn(ud, &row)) {
            rc = SQLITE_DONE;
            break;
        }
    }
    bool ok = !step_failed(q, rc, "读取名册", err);
    sqlite3_finalize(st);
    return ok;
}
