/* Findings: what a check says about a report.  Each is data (rule id,
 * severity, Chinese message, where, expected and actual), owned by the list's
 * arena; labels point into the format, which outlives the list. */
#ifndef NB_FINDINGS_H
#define NB_FINDINGS_H
#include "base/arena.h"
#include "model/rules.h"
#include <stdint.h>

typedef struct {
    const char *rule, *message;
    nb_severity severity;
    const char *table, *table_label, *row, *row_label, *col, *col_label;
    const char *expected, *actual;
    uint32_t line;
    const char *accepted; /* check --accept: the reason it was accepted, else NULL */
} nb_finding;

typedef struct {
    nb_arena arena;
    nb_finding *items;
    size_t n, cap;
} nb_findings;

void nb_findings_init(nb_findings *fs);
void nb_findings_free(nb_findings *fs);
/* Appends a finding; strings are copied. */
nb_finding *nb_findings_add(nb_findings *fs, const nb_rule *rule, const char *message);
void nb_finding_at_cell(nb_findings *fs, nb_finding *f, const nb_format *fmt, size_t cell);
void nb_finding_set(nb_findings *fs, const char **field, const char *value);
/* Findings of severity sev, not counting accepted ones. */
size_t nb_findings_count(const nb_findings *fs, nb_severity sev);

#endif
