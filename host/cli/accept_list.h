/* check --accept FILE and --baseline FILE: findings a person has accepted
 * (shown as such, not counted as errors; entries that no longer match are
 * reported as stale) and findings known from an earlier run (not shown).
 *
 * The plain file (docs/accept.md): one finding a line, UTF-8, tab- or
 * comma-separated (CSV quoting), '#' starts a comment line, an optional
 * header line starting "rule"; columns rule, unit, year, location, reason,
 * who, date.  A baseline may also be the output of `check --json`. */
#ifndef NB_ACCEPT_LIST_H
#define NB_ACCEPT_LIST_H
#include "model/findings.h"
#include "model/report.h"
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>

typedef struct nb_accept nb_accept;

/* A new empty set (nothing accepted, no baseline). */
nb_accept *nb_accept_new(void);
void nb_accept_free(nb_accept *a);
/* *out = NULL when both paths are NULL, else a set with both files read;
 * false (after a usage error) when either is unreadable or bad. */
bool nb_accept_open(const char *accept_path, const char *baseline_path, nb_accept **out);
/* Reads an accept file (baseline false) or a baseline (true) into a.  On a
 * bad line prints a Chinese usage error naming FILE:LINE and returns false. */
bool nb_accept_load(nb_accept *a, const char *path, bool baseline);
/* Marks the findings of r that an entry accepts (f->accepted = its reason)
 * and drops those the baseline knows.  a may be NULL. */
void nb_accept_apply(nb_accept *a, const nb_report *r, nb_findings *fs);
/* Appends "，K 个已接受，M 个已在基线中" to the summary line (nothing if 0). */
void nb_accept_summary(const nb_accept *a, FILE *out);
/* Warns on err about every accept entry whose report was checked but that
 * matched no finding; returns how many. */
size_t nb_accept_warn_stale(const nb_accept *a, FILE *err);
/* Adds "accepted", "baseline_known" and "stale_accepts" to a JSON summary. */
void nb_accept_json(const nb_accept *a, cJSON *summary);

#endif
