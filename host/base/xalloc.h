/* Allocation that cannot return NULL: out of memory in the C core is not a
 * condition a report checker can recover from, so it stops with a message. */
#ifndef NB_XALLOC_H
#define NB_XALLOC_H
#include <stdbool.h>
#include <stdlib.h>

void *nb_xmalloc(size_t n);
void *nb_xcalloc(size_t n, size_t size);
void *nb_xrealloc(void *p, size_t n);
char *nb_xstrdup(const char *s);
/* What they do when memory runs out: "内存不足" on stderr, exit 2. */
_Noreturn void nb_out_of_memory(void);
/* In a forked child that must not run the parent's exit handlers (its
 * stdio buffers, its host's close): out of memory ends it with _exit(2). */
void nb_xalloc_in_child(void);

/* Test hook (tests/cases/alloc_fail.sh), as SQLite's tests fail malloc:
 * NIANBAO_FAIL_ALLOC=N makes the Nth allocation counted here fail, and
 * NIANBAO_FAIL_ALLOC=N+ that one and every later one.  Counted: the nb_x*
 * functions above, the Lua state's allocator, SQLite's (nb_sqlite_count_allocs)
 * and those of libxml2, cJSON and libcsv (io/lib_alloc.h).
 * True when the allocation being made is to fail; one branch when unset.
 * At exit, a count that never reached N says so on stderr ("分配只有 M 次"). */
bool nb_alloc_fails(void);

#endif
