/* See xalloc.h. */
#include "base/xalloc.h"
#include <stdio.h>
#include <unistd.h>
#include <string.h>

static bool in_child;

void nb_xalloc_in_child(void)
{
    in_child = true;
}

void nb_out_of_memory(void)
{
    fputs("nianbao: 内存不足\n", stderr);
    if (in_child)
        _exit(2);
    exit(2);
}

static void *check(void *p)
{
    if (!p)
        nb_out_of_memory();
    return p;
}

/* NIANBAO_FAIL_ALLOC: 0 = not read yet, -1 = off */
static long fail_at;
static unsigned long counted;
static bool persistent, failed;

static void fail_alloc_report(void)
{
    if (!failed)
        fprintf(stderr, "nianbao: NIANBAO_FAIL_ALLOC=%ld：分配只有 %lu 次，没有失败的\n", fail_at, counted);
}

bool nb_alloc_fails(void)
{
    if (fail_at < 0)
        return false;
    if (fail_at == 0) {
        const char *env = getenv("NIANBAO_FAIL_ALLOC");
        char *end = NULL;
        long n = env ? strtol(env, &end, 10) : 0;
        if (n <= 0) {
            fail_at = -1;
            return false;
        }
        fail_at = n;
        persistent = *end == '+';
        atexit(fail_alloc_report);
    }
    counted++;
    if (counted == (unsigned long)fail_at || (persistent && counted > (unsigned long)fail_at)) {
        failed = true;
        return true;
    }
    return false;
}

void *nb_xmalloc(size_t n) { return check(nb_alloc_fails() ? NULL : malloc(n ? n : 1)); }
void *nb_xcalloc(size_t n, size_t size) { return check(nb_alloc_fails() ? NULL : calloc(n ? n : 1, size ? size : 1)); }
void *nb_xrealloc(void *p, size_t n) { return check(nb_alloc_fails() ? NULL : realloc(p, n ? n : 1)); }
char *nb_xstrdup(const char *s) { return check(nb_alloc_fails() ? NULL : strdup(s)); }
