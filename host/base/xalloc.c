/* See xalloc.h. */
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>

static void *check(void *p)
{
    if (!p) {
        fputs("nianbao: 内存不足\n", stderr);
        exit(2);
    }
    return p;
}

void *nb_xmalloc(size_t n) { return check(malloc(n ? n : 1)); }
void *nb_xcalloc(size_t n, size_t size) { return check(calloc(n ? n : 1, size ? size : 1)); }
void *nb_xrealloc(void *p, size_t n) { return check(realloc(p, n ? n : 1)); }
char *nb_xstrdup(const char *s) { return check(strdup(s)); }
