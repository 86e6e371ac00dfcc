/* The one assertion the C unit tests use: counts checks and failures and
 * reports each failure with its file and line, so a test program runs all
 * its checks and then says how many failed. */
#ifndef NB_TEST_CHECK_H
#define NB_TEST_CHECK_H
#include <stdio.h>

static int failures, checks;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        checks++;                                                                    \
        if (!(cond)) {                                                               \
            failures++;                                                              \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        }                                                                            \
    } while (0)

/* prints the tally; the exit status of main */
static inline int check_report(void)
{
    printf("%d checks, %d failed\n", checks, failures);
    return failures ? 1 : 0;
}

#endif
