/* The rule engine: runs a format's compiled rules over a report (and, for
 * cross-year rules, last year's report) and collects findings.  Plain C: no
 * Lua here; Lua-function rules are called through a callback. */
#ifndef NB_VALIDATOR_H
#define NB_VALIDATOR_H
#include "model/findings.h"
#include "model/report.h"

typedef struct {
    const nb_report *prev; /* last year's report, or NULL */
    const nb_format *year_format; /* the format the report's year calls for, or NULL (FMT-VER) */
    /* runs a LUA rule; NULL skips them */
    void (*lua_rule)(void *ud, const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out);
    void *ud;
} nb_check_ctx;

/* Reports the report's import notes, then every rule's findings. */
void nb_validate(const nb_report *r, const nb_check_ctx *ctx, nb_findings *out);

/* The import notes alone (render prints them). */
void nb_report_notes(const nb_report *r, nb_findings *out);

/* Text of a format section in a report: its body and its subsections;
 * *found is false when the report lacks it.  Caller frees. */
char *nb_report_section_text(const nb_report *r, int def, bool *found);

/* Similarity of two texts in percent: Jaccard index of character trigrams
 * (white space ignored). */
int nb_text_similarity(const char *a, const char *b);

/* FMT-VER (host/rules/version_rule.c): the report's year lies in its format's
 * years, and no label of another format was seen.  year_format is the
 * format the year calls for, when known. */
void nb_version_rule(const nb_rule *rule, const nb_report *r, const nb_format *year_format, nb_findings *out);

/* XY-JUMP and XY-BACKLOG (host/rules/outlier_rules.c): kinds `jump` and
 * `backlog`, against last year's report prev (not NULL). */
void nb_jump_rule(const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out);
void nb_backlog_rule(const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out);
/* The quantity q in report r (of the rule's format when mine; last year's
 * report else, its cells found by id), in millionths: false when a cell is
 * blank, "/" or not written as a plain number (Lua's tonumber gave nil). */
bool nb_quantity_value(const nb_quantity *q, const nb_report *r, bool mine, int64_t *out);

/* TXT-NUM (host/rules/narrative_rule.c): kind `narrative`. */
void nb_narrative_rule(const nb_rule *rule, const nb_report *r, nb_findings *out);

#endif
