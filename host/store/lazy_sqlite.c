/* libsqlite3, opened when a command first uses a store or an SQLite
 * register (base/lazy_lib.h): Debian links it with BIND_NOW, so linked in,
 * its 1,300 symbols were bound at every start, a `check` of one text report
 * included: most of the dynamic loader's work (1,772 symbols, now 171).  Each
 * function nianbao calls is defined here and binds SQLite's own on its first
 * call; under the test hook (NIANBAO_FAIL_ALLOC) SQLite's allocations are
 * counted from the moment it is opened, before its first use. */
#include "base/lazy_lib.h"
#include "store/sqlite_alloc.h"
#include <sqlite3.h>
#include <stdarg.h>
#include <stdlib.h>

static void opened(void)
{
    if (getenv("NIANBAO_FAIL_ALLOC"))
        nb_sqlite_count_allocs();
}

static nb_lazy_lib sqlite = {.sonames = {"libsqlite3.so.0", "libsqlite3.so", NULL}, .package = "libsqlite3-0",
                             .opened = opened};

/* variadic: every option nianbao sets takes one argument, an int
 * (MEMSTATUS) or a pointer (GETMALLOC, MALLOC) */
int sqlite3_config(int op, ...)
{
    static int (*fn)(int, ...);
    if (!fn)
        nb_lazy_bind(&sqlite, "sqlite3_config", &fn);
    va_list ap;
    va_start(ap, op);
    int rc;
    if (op == SQLITE_CONFIG_MEMSTATUS) {
        int n = va_arg(ap, int);
        rc = fn(op, n);
    } else {
        void *p = va_arg(ap, void *);
        rc = fn(op, p);
    }
    va_end(ap);
    return rc;
}

NB_LAZY_FN(sqlite, int, sqlite3_open_v2, (const char *name, sqlite3 **db, int flags, const char *vfs),
           (name, db, flags, vfs))
NB_LAZY_FN(sqlite, int, sqlite3_close, (sqlite3 *db), (db))
NB_LAZY_FN(sqlite, int, sqlite3_busy_timeout, (sqlite3 *db, int ms), (db, ms))
NB_LAZY_VOID(sqlite, sqlite3_progress_handler, (sqlite3 *db, int n, int (*cb)(void *), void *arg), (db, n, cb, arg))
NB_LAZY_FN(sqlite, int, sqlite3_extended_result_codes, (sqlite3 *db, int onoff), (db, onoff))
NB_LAZY_FN(sqlite, int, sqlite3_errcode, (sqlite3 *db), (db))
NB_LAZY_FN(sqlite, const char *, sqlite3_errmsg, (sqlite3 *db), (db))
NB_LAZY_FN(sqlite, sqlite3_int64, sqlite3_last_insert_rowid, (sqlite3 *db), (db))
NB_LAZY_FN(sqlite, int, sqlite3_get_autocommit, (sqlite3 *db), (db))
NB_LAZY_FN(sqlite, int, sqlite3_exec,
           (sqlite3 *db, const char *sql, int (*cb)(void *, int, char **, char **), void *arg, char **err),
           (db, sql, cb, arg, err))
NB_LAZY_FN(sqlite, int, sqlite3_prepare_v2,
           (sqlite3 *db, const char *sql, int n, sqlite3_stmt **stmt, const char **tail), (db, sql, n, stmt, tail))
NB_LAZY_FN(sqlite, int, sqlite3_prepare_v3,
           (sqlite3 *db, const char *sql, int n, unsigned int flags, sqlite3_stmt **stmt, const char **tail),
           (db, sql, n, flags, stmt, tail))
NB_LAZY_FN(sqlite, int, sqlite3_step, (sqlite3_stmt *s), (s))
NB_LAZY_FN(sqlite, int, sqlite3_reset, (sqlite3_stmt *s), (s))
NB_LAZY_FN(sqlite, int, sqlite3_finalize, (sqlite3_stmt *s), (s))
NB_LAZY_FN(sqlite, int, sqlite3_clear_bindings, (sqlite3_stmt *s), (s))
NB_LAZY_FN(sqlite, int, sqlite3_bind_int, (sqlite3_stmt *s, int i, int v), (s, i, v))
NB_LAZY_FN(sqlite, int, sqlite3_bind_int64, (sqlite3_stmt *s, int i, sqlite3_int64 v), (s, i, v))
NB_LAZY_FN(sqlite, int, sqlite3_bind_null, (sqlite3_stmt *s, int i), (s, i))
NB_LAZY_FN(sqlite, int, sqlite3_bind_text, (sqlite3_stmt *s, int i, const char *v, int n, void (*del)(void *)),
           (s, i, v, n, del))
NB_LAZY_FN(sqlite, int, sqlite3_column_count, (sqlite3_stmt *s), (s))
NB_LAZY_FN(sqlite, const char *, sqlite3_column_name, (sqlite3_stmt *s, int i), (s, i))
NB_LAZY_FN(sqlite, int, sqlite3_column_int, (sqlite3_stmt *s, int i), (s, i))
NB_LAZY_FN(sqlite, sqlite3_int64, sqlite3_column_int64, (sqlite3_stmt *s, int i), (s, i))
NB_LAZY_FN(sqlite, const unsigned char *, sqlite3_column_text, (sqlite3_stmt *s, int i), (s, i))
NB_LAZY_FN(sqlite, int, sqlite3_column_bytes, (sqlite3_stmt *s, int i), (s, i))
