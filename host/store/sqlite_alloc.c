/* See sqlite_alloc.h: SQLite's default allocator wrapped, as SQLite's own
 * tests wrap it (SQLITE_CONFIG_MALLOC). */
#include "store/sqlite_alloc.h"
#include "base/xalloc.h"
#include <sqlite3.h>

static sqlite3_mem_methods base;

static void *counted_malloc(int n) { return nb_alloc_fails() ? NULL : base.xMalloc(n); }

static void *counted_realloc(void *p, int n) { return nb_alloc_fails() ? NULL : base.xRealloc(p, n); }

void nb_sqlite_count_allocs(void)
{
    if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base) != SQLITE_OK)
        return;
    sqlite3_mem_methods counted = base;
    counted.xMalloc = counted_malloc;
    counted.xRealloc = counted_realloc;
    sqlite3_config(SQLITE_CONFIG_MALLOC, &counted);
}
