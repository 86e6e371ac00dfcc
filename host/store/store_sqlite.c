/* The SQLite backend: opening a store file, recognising a foreign, corrupt or
 * newer one, and bringing the schema up to date by ordered migrations
 * (PRAGMA user_version counts those applied).  docs/store.md documents the
 * schema. */
#include "store/store_sqlite.h"
#include "base/xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* PRAGMA application_id of a nianbao store: "NBDB". */
#define NB_APP_ID 0x4e424442

/* The migrations, in order: MIGRATIONS[i] takes user_version i to i + 1.
 * Never edit one that has shipped; append the next. */
static const char *const MIGRATIONS[] = {
    /* 1: reports with provenance and history, their cells by declared ids,
     * sections, import notes, free statistics rows, foreign marks; roster */
    "CREATE TABLE report ("
    " id INTEGER PRIMARY KEY,"
    " unit TEXT NOT NULL, year INTEGER NOT NULL,"
    " version INTEGER NOT NULL, current INTEGER NOT NULL,"
    " source TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, importer TEXT NOT NULL, format TEXT NOT NULL,"
    " added TEXT NOT NULL,"
    " title TEXT, published TEXT, address TEXT, phone TEXT, postcode TEXT, preamble TEXT,"
    " title_year INTEGER NOT NULL DEFAULT 0, period_year INTEGER NOT NULL DEFAULT 0,"
    " tables_only INTEGER NOT NULL DEFAULT 0, tables_given TEXT NOT NULL DEFAULT '',"
    " nsections INTEGER NOT NULL DEFAULT 0, nnotes INTEGER NOT NULL DEFAULT 0,"
    " nstats INTEGER NOT NULL DEFAULT 0, nmarks INTEGER NOT NULL DEFAULT 0,"
    " errors INTEGER NOT NULL DEFAULT 0, warnings INTEGER NOT NULL DEFAULT 0, infos INTEGER NOT NULL DEFAULT 0);"
    "CREATE INDEX report_unit_year ON report(unit, year, source);"
    "CREATE INDEX report_year ON report(year, unit);"
    "CREATE TABLE cell ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " tab TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,"
    " value TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind IN ('value', 'na', 'blank')),"
    " micro INTEGER, flags INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "CREATE TABLE section ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " heading TEXT, body TEXT, level INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "CREATE TABLE note ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " rule TEXT NOT NULL, message TEXT NOT NULL, expected TEXT, actual TEXT, severity INTEGER NOT NULL,"
    " tab TEXT, row TEXT, col TEXT, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "CREATE TABLE stat ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " label TEXT NOT NULL, unit TEXT, vals TEXT NOT NULL, nvals INTEGER NOT NULL, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "CREATE TABLE mark ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " label TEXT NOT NULL, format TEXT NOT NULL, vals TEXT, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "CREATE TABLE roster (unit TEXT PRIMARY KEY, parent TEXT, level TEXT);",
    /* 2: cell's CHECK written as comparisons: SQLite builds "kind IN (…)" of
     * three values as a temporary table on every insert — most of the time
     * `add` spent.  Same columns, same rows. */
    "CREATE TABLE cell_v2 ("
    " report INTEGER NOT NULL REFERENCES report(id) ON DELETE CASCADE, seq INTEGER NOT NULL,"
    " tab TEXT NOT NULL, row TEXT NOT NULL, col TEXT NOT NULL,"
    " value TEXT NOT NULL, kind TEXT NOT NULL CHECK (kind = 'value' OR kind = 'na' OR kind = 'blank'),"
    " micro INTEGER, flags INTEGER NOT NULL DEFAULT 0, line INTEGER NOT NULL DEFAULT 0,"
    " PRIMARY KEY (report, seq)) WITHOUT ROWID;"
    "INSERT INTO cell_v2 SELECT report, seq, tab, row, col, value, kind, micro, flags, line FROM cell;"
    "DROP TABLE cell;"
    "ALTER TABLE cell_v2 RENAME TO cell;",
    /* 3: a report's cells as one JSON text in its row (store_sqlite_cells.c):
     * a row per cell cost a B-tree insert to add and a step to read back,
     * most of the store's time in `add` and `check --db`.  The view `cell`
     * gives the same columns and rows as the table did. */
    "ALTER TABLE report ADD COLUMN cells TEXT NOT NULL DEFAULT '[]';"
    "UPDATE report SET cells = (SELECT json_group_array(json_array(seq, tab, row, col, value, kind, micro, flags,"
    " line)) FROM (SELECT * FROM cell c WHERE c.report = report.id ORDER BY seq))"
    " WHERE id IN (SELECT report FROM cell);"
    "DROP TABLE cell;"
    "CREATE VIEW cell (report, seq, tab, row, col, value, kind, micro, flags, line) AS"
    " SELECT r.id, json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]'),"
    " json_extract(j.value, '$[3]'), json_extract(j.value, '$[4]'), json_extract(j.value, '$[5]'),"
    " json_extract(j.value, '$[6]'), json_extract(j.value, '$[7]'), json_extract(j.value, '$[8]')"
    " FROM report r, json_each(r.cells) j;",
};
#define NMIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

static const char *const SQL[SQ_COUNT] = {
    [SQ_HAS_SHA] = "SELECT 1 FROM report WHERE sha256 = ?1",
    [SQ_MAX_VERSION] = "SELECT coalesce(max(version), 0) FROM report WHERE unit = ?1 AND year = ?2 AND source = ?3",
    [SQ_UNCURRENT] = "UPDATE report SET current = 0 WHERE unit = ?1 AND year = ?2 AND source = ?3 AND current = 1",
    [SQ_INS_REPORT] =
        "INSERT INTO report (unit, year, version, current, source, sha256, importer, format, added, title,"
        " published, address, phone, postcode, preamble, title_year, period_year, tables_only, tables_given,"
        " nsections, nnotes, nstats, nmarks, errors, warnings, infos, cells)"
        " VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?8, ?9, ?10, ?11, ?12,"
        " ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25)",
    [SQ_GET_REPORT] =
        "SELECT unit, year, format, source, title, published, address, phone, postcode, preamble, title_year,"
        " period_year, tables_only, tables_given, nsections, nnotes, nstats, nmarks, cells FROM report WHERE id = ?1",
    [SQ_GET_CELLS] = "SELECT cells FROM report WHERE id = ?1",
    [SQ_GET_SECTIONS] = "SELECT heading, body, level, line FROM section WHERE report = ?1 ORDER BY seq",
    [SQ_GET_NOTES] = "SELECT rule, message, expected, actual, severity, tab, row, col, line FROM note"
                     " WHERE report = ?1 ORDER BY seq",
    [SQ_GET_STATS] = "SELECT label, unit, vals, nvals, line FROM stat WHERE report = ?1 ORDER BY seq",
    [SQ_GET_MARKS] = "SELECT label, format, vals, line FROM mark WHERE report = ?1 ORDER BY seq",
    [SQ_FIND] = "SELECT coalesce(max(id), 0), count(*) FROM report WHERE unit = ?1 AND year = ?2 AND current = 1",
    [SQ_SET_COUNTS] = "UPDATE report SET errors = ?2, warnings = ?3, infos = ?4 WHERE id = ?1",
};

void nb_sq_error(nb_sq *q, const char *doing, nb_strbuf *err)
{
    int code = sqlite3_errcode(q->db) & 0xff;
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        nb_sb_printf(err, "%s：数据库文件已损坏或不是 SQLite 数据库（%s），请从备份恢复或换一个文件\n", q->path,
                     sqlite3_errmsg(q->db));
    else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        nb_sb_printf(err, "%s：数据库正被另一个程序写入，请稍后再试（%s）\n", q->path, sqlite3_errmsg(q->db));
    else
        nb_sb_printf(err, "%s：%s时数据库出错：%s\n", q->path, doing, sqlite3_errmsg(q->db));
}

bool nb_sq_exec(nb_sq *q, const char *sql, nb_strbuf *err)
{
    if (sqlite3_exec(q->db, sql, NULL, NULL, NULL) == SQLITE_OK)
        return true;
    nb_sq_error(q, "执行", err);
    return false;
}

sqlite3_stmt *nb_sq_stmt(nb_sq *q, int k, nb_strbuf *err)
{
    if (!q->st[k] && sqlite3_prepare_v3(q->db, SQL[k], -1, SQLITE_PREPARE_PERSISTENT, &q->st[k], NULL) != SQLITE_OK) {
        nb_sq_error(q, "准备查询", err);
        return NULL;
    }
    sqlite3_reset(q->st[k]);
    sqlite3_clear_bindings(q->st[k]);
    return q->st[k];
}

static void sq_close(void *impl)
{
    nb_sq *q = impl;
    if (!q)
        return;
    nb_strbuf err; /* callers commit with nb_store_batch first to hear of a failure */
    nb_sb_init(&err);
    nb_sq_batch_commit(q, &err);
    nb_sb_free(&err);
    for (int k = 0; k < SQ_COUNT; k++)
        sqlite3_finalize(q->st[k]);
    for (int t = 0; t < NB_SQ_ROW_TABLES; t++)
        for (int n = 0; n < NB_SQ_ROWS; n++)
            sqlite3_finalize(q->rows[t][n]);
    sqlite3_close(q->db);
    free(q->path);
    nb_sb_free(&q->enc_prefix);
    nb_sb_free(&q->enc_text);
    free(q->enc_at);
    free(q);
}

/* One integer from a PRAGMA or query; false on error. */
static bool pragma_int(nb_sq *q, const char *sql, long long *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(q->db, sql, -1, &st, NULL) != SQLITE_OK)
        return false;
    int rc = sqlite3_step(st);
    *v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* Applies the migrations past the file's user_version, each in its own
 * transaction (so a crash leaves a whole version). */
static bool migrate(nb_sq *q, nb_strbuf *err)
{
    long long now;
    if (pragma_int(q, "PRAGMA user_version", &now) && now >= NMIGRATIONS)
        return true; /* up to date: no write lock (a reader must not wait for a writer's batch) */
    for (;;) {
        if (!nb_sq_exec(q, "BEGIN IMMEDIATE", err))
            return false;
        long long v;
        if (!pragma_int(q, "PRAGMA user_version", &v)) {
            nb_sq_error(q, "读取结构版本", err);
            sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
            return false;
        }
        if (v >= NMIGRATIONS)
            return nb_sq_exec(q, "COMMIT", err);
        char pragma[96];
        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %lld; PRAGMA application_id = %d", v + 1, NB_APP_ID);
        if (sqlite3_exec(q->db, MIGRATIONS[v], NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(q->db, pragma, NULL, NULL, NULL) != SQLITE_OK ||
            sqlite3_exec(q->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
            nb_sq_error(q, "升级数据库结构", err);
            sqlite3_exec(q->db, "ROLLBACK", NULL, NULL, NULL);
            return false;
        }
    }
}

static void *sq_open(const char *location, bool create, nb_strbuf *err)
{
    struct stat sb;
    bool exists = stat(location, &sb) == 0;
    if (!exists && !create) {
        nb_sb_printf(err, "%s：数据库不存在，请先用 nianbao add 导入报告（或用 --db 指定文件）\n", location);
        return NULL;
    }
    if (exists && S_ISDIR(sb.st_mode)) {
        nb_sb_printf(err, "%s：这是一个文件夹，不是数据库文件\n", location);
        return NULL;
    }
    nb_sq *q = nb_xcalloc(1, sizeof *q);
    q->path = nb_xstrdup(location);
    /* no count of SQLite's memory kept (no lock taken per allocation);
     * refused harmlessly once SQLite has started */
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
    if (sqlite3_open_v2(location, &q->db, flags, NULL) != SQLITE_OK) {
        nb_sb_printf(err, "%s：无法打开数据库：%s\n", location, q->db ? sqlite3_errmsg(q->db) : strerror(errno));
        sq_close(q);
        return NULL;
    }
    sqlite3_busy_timeout(q->db, 10000);
    sqlite3_extended_result_codes(q->db, 0);
    long long app, ver, ntables;
    if (!pragma_int(q, "PRAGMA application_id", &app) || !pragma_int(q, "PRAGMA user_version", &ver) ||
        !pragma_int(q, "SELECT count(*) FROM sqlite_master", &ntables)) {
        nb_sq_error(q, "读取", err);
        sq_close(q);
        return NULL;
    }
    if (app != NB_APP_ID && (app != 0 || ver != 0 || ntables != 0)) {
        nb_sb_printf(err, "%s：这不是 nianbao 的数据库（是别的程序的 SQLite 文件），请用 --db 指定另一个文件\n",
                     location);
        sq_close(q);
        return NULL;
    }
    if (ver > NMIGRATIONS) {
        nb_sb_printf(err, "%s：数据库结构版本 %lld 比本程序支持的 %d 新，请升级 nianbao 后再用\n", location, ver,
                     NMIGRATIONS);
        sq_close(q);
        return NULL;
    }
    /* A new store's pages are 16 KiB (SQLite's default 4 KiB: an existing
     * store keeps its own; the size is fixed once a table is written and in
     * WAL mode).  add wrote each page twice (WAL frame, then checkpoint) and
     * read it back once, a call each: with a quarter of the calls its CPU
     * time fell 13 % on 2,950 reports (docs/store.md). */
    if (ntables == 0 && !nb_sq_exec(q, "PRAGMA page_size = " NB_SQ_PAGE_SIZE, err)) {
        sq_close(q);
        return NULL;
    }
    if (!nb_sq_exec(q, "PRAGMA journal_mode = WAL", err) || !nb_sq_exec(q, "PRAGMA synchronous = NORMAL", err) ||
        !nb_sq_exec(q, "PRAGMA foreign_keys = ON", err) || !migrate(q, err)) {
        sq_close(q);
        return NULL;
    }
    return q;
}

/* A deferred transaction: WAL gives it the snapshot of its first read. */
static bool sq_snapshot(void *impl, bool on, nb_strbuf *err)
{
    nb_sq *q = impl;
    if (on == q->snapshot)
        return true;
    q->snapshot = on;
    return nb_sq_exec(q, on ? "BEGIN DEFERRED" : "COMMIT", err);
}

static bool sq_accepts(const char *location)
{
    return strstr(location, "://") == NULL;
}

const nb_store_backend nb_store_sqlite = {
    .name = "sqlite",
    .accepts = sq_accepts,
    .open = sq_open,
    .close = sq_close,
    .has_sha = nb_sq_has_sha,
    .batch = nb_sq_batch,
    .pending = nb_sq_pending,
    .snapshot = sq_snapshot,
    .add = nb_sq_add,
    .list = nb_sq_list,
    .find = nb_sq_find,
    .load = nb_sq_load,
    .set_counts = nb_sq_set_counts,
    .roster_replace = nb_sq_roster_replace,
    .roster_each = nb_sq_roster_each,
    .sum = nb_sq_sum,
};
