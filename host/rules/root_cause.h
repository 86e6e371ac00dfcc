/* Findings people can act on (issue 10): before the assertions run, every
 * assertion instance is evaluated once and the failures are grouped by
 * cause, so that one cause gives one finding:
 *  - a blank column or row that breaks several equations → one ROOT-BLANK
 *    finding naming its blank cells (and the value each must hold, where an
 *    equation determines it);
 *  - equations whose cells are all blank, and cross-year equations with a
 *    blank cell in either year → one info finding per rule, "无法核对";
 *  - failing equations that one changed cell would all satisfy → the cell
 *    and its likely value ("可能应为 161，报告为 116"), with a transposed-digit
 *    reading when it fits (ROOT-CELL when several equations, else the rule).
 * The validator then skips the instances covered here.  Plain C, no Lua. */
#ifndef NB_ROOT_CAUSE_H
#define NB_ROOT_CAUSE_H
#include "model/findings.h"
#include "model/report.h"

/* One assertion instance evaluated: diff = left side − right side, blank
 * and "/" counting as 0.  The instance holds when `diff op 0`. */
typedef struct {
    int64_t diff;
    size_t ncells, nblank;
    bool unknown;  /* a cell last year's format lacks, or an overflow */
    bool holds;
} nb_inst_eval;

/* The cell a term refers to (last year's by id), or NULL. */
const nb_cell *nb_term_cell(const nb_term *t, const nb_report *r, const nb_report *prev);
void nb_inst_evaluate(const nb_rule_instance *in, const nb_report *r, const nb_report *prev, nb_inst_eval *ev);
bool nb_op_holds(int64_t diff, nb_op op);

typedef struct nb_root_cause nb_root_cause;

/* Evaluates every assertion of r's format, adds the grouped findings to
 * out and returns what they cover (caller frees). */
nb_root_cause *nb_root_cause_run(const nb_report *r, const nb_report *prev, nb_findings *out);
/* The instance's finding was given (or deliberately withheld) already. */
bool nb_root_cause_covers(const nb_root_cause *rc, const nb_rule *rule, size_t inst);
/* The instance was evaluated and holds (its sum exact in 64 bits): the
 * validator need not sum it again. */
bool nb_root_cause_holds(const nb_root_cause *rc, const nb_rule *rule, size_t inst);
void nb_root_cause_free(nb_root_cause *rc);

/* Shared with likely_cell.c: the evaluated instances of one report. */
typedef struct {
    const nb_rule *rule;
    size_t inst;
    nb_inst_eval ev;
    bool covered;
} nb_rc_item;

struct nb_root_cause {
    const nb_format *fmt;
    size_t *first;     /* per format rule: index of its first item */
    nb_rc_item *items;
    size_t nitems;
};

/* likely_cell.c: groups the failing equations without blank cells that
 * share cells, and for each group one cell changing which satisfies them
 * all (and breaks no other) is reported; the group is then covered. */
void nb_likely_cell(nb_root_cause *rc, const nb_report *r, const nb_report *prev, nb_findings *out);

/* The findings the host gives about causes rather than one rule (for the
 * catalogue): id, severity in words, what it says. */
typedef struct {
    const char *id, *severity, *checks;
} nb_cause_rule;
extern const nb_cause_rule nb_cause_rules[];
extern const size_t nb_ncause_rules;

/* "表三“（一）予以公开”×“总计”" into buf. */
void nb_cell_name(const nb_format *fmt, size_t cell, char *buf, size_t size);

#endif
