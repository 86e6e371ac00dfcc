/* Whether "last year's report" given with --prev is that: the same unit
 * (agency, compared normalised) and the year before.  What cannot be told
 * (no agency or no year in either report) is not held against it. */
#ifndef NB_PREV_IDENTITY_H
#define NB_PREV_IDENTITY_H
#include "model/report.h"
#include <stdbool.h>
#include <stdio.h>

bool nb_same_agency(const char *a, const char *b);

/* True when prev fits r; else prints why (Chinese, naming both files) to err. */
bool nb_prev_fits(const nb_report *r, const char *name, const nb_report *prev, const char *prev_name, FILE *err);

#endif
