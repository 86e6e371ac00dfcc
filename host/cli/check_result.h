/* One file's check as the parent of check -j receives it: what the import
 * and the rules said, before accepted findings, the baseline, the tallies
 * and the output (all of which stay in the parent, in input order).  With
 * -j 1 the result is made and taken in the same process; with -j N a worker
 * writes it to a pipe (nb_check_result_put) and the parent reads it back
 * (nb_check_result_read), so both take the same path to the output. */
#ifndef NB_CHECK_RESULT_H
#define NB_CHECK_RESULT_H
#include "base/strbuf.h"
#include "model/findings.h"
#include <stdbool.h>
#include <stddef.h>

typedef enum {
    NB_CR_REPORT,     /* read and checked: fs holds the findings */
    NB_CR_UNREADABLE, /* could not be read or imported, or --prev does not fit */
    NB_CR_SKIPPED,    /* not a file to check ("-" in a list read from standard input) */
} nb_cr_kind;

typedef struct {
    nb_cr_kind kind;
    char *err;    /* the bytes for standard error, or NULL */
    char *reason; /* NB_CR_UNREADABLE: the reason for --json's unreadable_files */
    char *format_id, *agency; /* NB_CR_REPORT: the report's, agency may be NULL */
    int year;
    nb_findings fs;
} nb_check_result;

void nb_check_result_init(nb_check_result *r);
void nb_check_result_free(nb_check_result *r);
/* r as bytes (lengths and strings; labels copied), appended to out */
void nb_check_result_put(nb_strbuf *out, const nb_check_result *r);
/* Reads what nb_check_result_put wrote into a fresh r; false when the bytes
 * are not such a result (r is then freed and empty). */
bool nb_check_result_read(nb_check_result *r, const char *buf, size_t n);

#endif
