/* SQLite's allocations through the test hook of base/xalloc.h
 * (NIANBAO_FAIL_ALLOC), so that a failing allocation inside SQLite is tried
 * too.  Call before any other SQLite call (lazy_sqlite.c does as SQLite is
 * opened, when the variable is set). */
#ifndef NB_SQLITE_ALLOC_H
#define NB_SQLITE_ALLOC_H

void nb_sqlite_count_allocs(void);

#endif
