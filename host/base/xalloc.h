/* Allocation that cannot return NULL: out of memory in the C core is not a
 * condition a report checker can recover from, so it stops with a message. */
#ifndef NB_XALLOC_H
#define NB_XALLOC_H
#include <stdlib.h>

void *nb_xmalloc(size_t n);
void *nb_xcalloc(size_t n, size_t size);
void *nb_xrealloc(void *p, size_t n);
char *nb_xstrdup(const char *s);

#endif
