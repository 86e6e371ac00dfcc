/* See root_cause.h. */
#include "rules/root_cause.h"
#include "model/decimal.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>

const nb_cell *nb_term_cell(const nb_term *t, const nb_report *r, const nb_report *prev)
{
    if (!t->prev)
        return &r->cells[t->cell];
    if (!prev)
        return NULL;
    if (prev->format == r->format)
        return &prev->cells[t->cell];
    long c = nb_format_cell(prev->format, t->table, t->row, t->col);
    return c < 0 ? NULL : &prev->cells[c];
}

bool nb_op_holds(int64_t diff, nb_op op)
{
    switch (op) {
    case NB_OP_EQ: return diff == 0;
    case NB_OP_NE: return diff != 0;
    case NB_OP_LE: return diff <= 0;
    case NB_OP_GE: return diff >= 0;
    case NB_OP_LT: return diff < 0;
    case NB_OP_GT: return diff > 0;
    }
    return false;
}

/* a cell of a table a tables-only source did not hold: absent, not blank */
static bool absent(const nb_report *r, const nb_cell *c)
{
    if (!r->tables_only)
        return false;
    const nb_cell_addr *a = nb_format_cell_addr(r->format, (size_t)(c - r->cells));
    return !r->table_given[a->table - r->format->tables];
}

void nb_inst_evaluate(const nb_rule_instance *in, const nb_report *r, const nb_report *prev, nb_inst_eval *ev)
{
    /* the common case without a call a term: a cell of r, or of a prev in r's format */
    const bool prev_same = prev && prev->format == r->format;
    int64_t diff = 0;
    size_t ncells = 0, nblank = 0;
    bool unknown = false;
    for (size_t k = 0; k < in->nterms; k++) {
        const nb_term *t = &in->terms[k];
        int64_t v = t->coef; /* a constant is stored scaled in coef; right-side coefs are negated */
        if (t->cell >= 0) {
            const nb_report *of = t->prev ? prev : r;
            const nb_cell *c = !t->prev || prev_same ? &of->cells[t->cell] : nb_term_cell(t, r, prev);
            if (!c || (of->tables_only && absent(of, c))) {
                unknown = true;
                break;
            }
            ncells++;
            nblank += c->state == NB_CELL_BLANK;
            v = 0;
            if (c->state == NB_CELL_VALUE && !nb_dec_mul_int(c->micro, t->coef, &v))
                unknown = true;
        }
        if (!nb_dec_add(diff, v, &diff))
            unknown = true;
        if (unknown)
            break;
    }
    *ev = (nb_inst_eval){.diff = diff, .ncells = ncells, .nblank = nblank, .unknown = unknown,
                         .holds = !unknown && nb_op_holds(diff, in->op)};
}

void nb_cell_name(const nb_format *fmt, size_t cell, char *buf, size_t size)
{
    const nb_cell_addr *a = nb_format_cell_addr(fmt, cell);
    const char *paren = strstr(a->table->label, "（");
    int tl = paren ? (int)(paren - a->table->label) : (int)strlen(a->table->label);
    snprintf(buf, size, "%.*s“%s”×“%s”", tl, a->table->label, a->row->label, a->col->label);
}

const nb_cause_rule nb_cause_rules[] = {
    {"ROOT-BLANK", "the highest of the rules it covers",
     "a blank column or row of a table whose blank cells break two or more equations: one finding naming the line "
     "and its blank cells (with the value an equation gives each), instead of one finding per equation"},
    {"ROOT-CELL", "the highest of the rules it covers",
     "two or more failing equations that one changed cell would all satisfy (breaking none that holds): the cell, "
     "its likely value (可能应为 X，报告为 Y) and a transposed-digit reading when it fits; a single failing equation "
     "gets the same hint under its own rule id, when only one cell fits (or only one reads as digits transposed)"},
    {"(any assert rule)", "info",
     "无法核对: equations whose cells are all blank, and cross-year equations with a blank cell in either year, "
     "said once per rule, instead of an error or a silent pass (blank is not 0)"},
};
const size_t nb_ncause_rules = sizeof nb_cause_rules / sizeof nb_cause_rules[0];

static nb_severity max_sev(nb_severity a, nb_severity b) { return a > b ? a : b; }

/* One info finding per rule whose instances could not be assessed. */
static void not_assessable(nb_root_cause *rc, const nb_report *r, const nb_rule *rule, size_t from, size_t to,
                           nb_findings *out)
{
    size_t n = 0, first = 0;
    nb_strbuf where;
    nb_sb_init(&where);
    for (size_t i = from; i < to; i++) {
        const nb_rc_item *it = &rc->items[i];
        if (!it->covered)
            continue;
        const nb_rule_instance *in = &rule->inst[it->inst];
        if (n++ == 0)
            first = i;
        if (n <= 6 && in->at >= 0 && !in->at_prev) {
            const nb_cell_addr *a = nb_format_cell_addr(r->format, (size_t)in->at);
            nb_sb_printf(&where, "%s“%s”×“%s”", where.len ? "、" : "", a->row->label, a->col->label);
        } else if (n == 7) {
            nb_sb_puts(&where, "等");
        }
    }
    if (n) {
        char msg[2048];
        if (rule->cross_year)
            snprintf(msg, sizeof msg,
                     "无法核对：%s——%zu处等式涉及本年或上年报告中空白的单元格（%s），空白不能当作 0 比较；"
                     "请在两年的报告中补填（没有的填 0）后再核对",
                     rule->message, n, where.data ? where.data : "");
        else
            snprintf(msg, sizeof msg, "无法核对：%s——%zu处等式的各项均为空白（%s）；请填写（没有的填 0）",
                     rule->message, n, where.data ? where.data : "");
        nb_rule info = *rule;
        info.severity = NB_SEV_INFO;
        nb_finding *f = nb_findings_add(out, &info, msg);
        const nb_rule_instance *in = &rule->inst[rc->items[first].inst];
        if (in->at >= 0 && !in->at_prev) {
            nb_finding_at_cell(out, f, r->format, (size_t)in->at);
            f->line = r->cells[in->at].line;
        }
        nb_finding_set(out, &f->expected, "已填写的数值");
        nb_finding_set(out, &f->actual, "空白");
    }
    nb_sb_free(&where);
}

/* Lines (a table's column or row) are keyed cell index → key. */
static size_t line_key(const nb_format *fmt, size_t cell, int kind)
{
    const nb_cell_addr *a = nb_format_cell_addr(fmt, cell);
    size_t t = (size_t)(a->table - fmt->tables);
    size_t k = kind ? (size_t)(a->row - a->table->rows) : (size_t)(a->col - a->table->cols);
    return (t << 20) | (k << 1) | (size_t)kind;
}

/* Instance it has a blank (current-year) cell on line key. */
static bool blank_on(const nb_report *r, const nb_rc_item *it, size_t key)
{
    const nb_rule_instance *in = &it->rule->inst[it->inst];
    for (size_t k = 0; k < in->nterms; k++) {
        const nb_term *t = &in->terms[k];
        if (t->cell >= 0 && !t->prev && r->cells[t->cell].state == NB_CELL_BLANK &&
            line_key(r->format, (size_t)t->cell, (int)(key & 1)) == key)
            return true;
    }
    return false;
}

/* The value a blank cell must hold for an instance in which it is the only
 * blank cell on the line (other blanks counting as 0, as the rule counts
 * them): −diff / coef, when whole and not negative. */
static bool implied_value(const nb_report *r, const nb_rc_item *it, size_t cell, size_t key, int64_t *value)
{
    const nb_rule_instance *in = &it->rule->inst[it->inst];
    if (in->op != NB_OP_EQ)
        return false;
    int64_t coef = 0;
    for (size_t k = 0; k < in->nterms; k++) {
        const nb_term *t = &in->terms[k];
        if (t->cell < 0 || t->prev)
            continue;
        if (t->cell == (int32_t)cell)
            coef += t->coef;
        else if (r->cells[t->cell].state == NB_CELL_BLANK &&
                 line_key(r->format, (size_t)t->cell, (int)(key & 1)) == key)
            return false;
    }
    if (coef == 0 || it->ev.diff % coef != 0)
        return false;
    *value = -it->ev.diff / coef;
    return *value >= 0;
}

/* One ROOT-BLANK finding for the failing instances with a blank cell on the
 * line: its blank cells in them, the value each must hold where known. */
static void blank_line_finding(nb_root_cause *rc, const nb_report *r, size_t key, nb_findings *out)
{
    const nb_format *fmt = r->format;
    nb_strbuf cells, rules;
    nb_sb_init(&cells);
    nb_sb_init(&rules);
    bool *seen = nb_xcalloc(fmt->ncells ? fmt->ncells : 1, sizeof *seen);
    size_t *mine = nb_xcalloc(rc->nitems ? rc->nitems : 1, sizeof *mine);
    size_t ncov = 0, nblank = 0;
    long first = -1;
    nb_severity sev = NB_SEV_INFO;
    for (size_t i = 0; i < rc->nitems; i++) {
        nb_rc_item *it = &rc->items[i];
        if (it->covered || it->ev.holds || it->ev.unknown || !it->ev.nblank || it->rule->cross_year ||
            !blank_on(r, it, key))
            continue;
        it->covered = true;
        mine[ncov++] = i;
        sev = max_sev(sev, it->rule->severity);
        const nb_rule_instance *in = &it->rule->inst[it->inst];
        for (size_t k = 0; k < in->nterms; k++) {
            int32_t c = in->terms[k].cell;
            if (c >= 0 && !in->terms[k].prev && r->cells[c].state == NB_CELL_BLANK &&
                line_key(fmt, (size_t)c, (int)(key & 1)) == key && !seen[c]) {
                seen[c] = true;
                nblank++;
            }
        }
    }
    /* per rule, in the format's order: how many instances */
    for (size_t ri = 0; ri < fmt->nrules; ri++) {
        size_t n = 0;
        for (size_t j = 0; j < ncov; j++)
            n += rc->items[mine[j]].rule == &fmt->rules[ri];
        if (n)
            nb_sb_printf(&rules, "%s%s %zu处", rules.len ? "、" : "", fmt->rules[ri].id, n);
    }
    for (size_t c = 0; c < fmt->ncells; c++) {
        if (!seen[c])
            continue;
        if (first < 0)
            first = (long)c;
        const nb_cell_addr *a = nb_format_cell_addr(fmt, c);
        nb_sb_printf(&cells, "%s“%s”", cells.len ? "、" : "", key & 1 ? a->col->label : a->row->label);
        for (size_t j = 0; j < ncov; j++) {
            int64_t v;
            if (implied_value(r, &rc->items[mine[j]], c, key, &v)) {
                char num[32];
                nb_dec_format(v, num, sizeof num);
                nb_sb_printf(&cells, "应为 %s", num);
                break;
            }
        }
    }
    const nb_cell_addr *a = nb_format_cell_addr(fmt, (size_t)first);
    const char *paren = strstr(a->table->label, "（");
    int tl = paren ? (int)(paren - a->table->label) : (int)strlen(a->table->label);
    char msg[4096];
    snprintf(msg, sizeof msg,
             "%.*s“%s”%s有%zu个单元格空白（%s），致使%zu处勾稽关系不成立（%s）：同一个原因——请填写这些单元格（没有的填 0）",
             tl, a->table->label, key & 1 ? a->row->label : a->col->label, key & 1 ? "行" : "栏", nblank,
             cells.data ? cells.data : "", ncov, rules.data ? rules.data : "");
    nb_rule as_rule = {.id = "ROOT-BLANK", .severity = sev};
    nb_finding *f = nb_findings_add(out, &as_rule, msg);
    nb_finding_at_cell(out, f, fmt, (size_t)first);
    f->line = r->cells[first].line;
    nb_finding_set(out, &f->expected, "已填写的数值");
    nb_finding_set(out, &f->actual, "空白");
    free(mine);
    free(seen);
    nb_sb_free(&cells);
    nb_sb_free(&rules);
}

/* Greedy: the line whose blank cells are in most failing instances, while
 * one breaks at least two. */
static void blank_lines(nb_root_cause *rc, const nb_report *r, nb_findings *out)
{
    for (;;) {
        size_t best = 0, best_n = 1;
        for (size_t i = 0; i < rc->nitems; i++) {
            const nb_rc_item *it = &rc->items[i];
            if (it->covered || it->ev.holds || it->ev.unknown || !it->ev.nblank || it->rule->cross_year)
                continue;
            const nb_rule_instance *in = &it->rule->inst[it->inst];
            for (size_t k = 0; k < in->nterms; k++) {
                const nb_term *t = &in->terms[k];
                if (t->cell < 0 || t->prev || r->cells[t->cell].state != NB_CELL_BLANK)
                    continue;
                for (int kind = 0; kind < 2; kind++) {
                    size_t key = line_key(r->format, (size_t)t->cell, kind), n = 0;
                    for (size_t j = 0; j < rc->nitems; j++) {
                        const nb_rc_item *o = &rc->items[j];
                        n += !o->covered && !o->ev.holds && !o->ev.unknown && o->ev.nblank && !o->rule->cross_year &&
                             blank_on(r, o, key);
                    }
                    if (n > best_n) {
                        best = key;
                        best_n = n;
                    }
                }
            }
        }
        if (best_n < 2)
            return;
        blank_line_finding(rc, r, best, out);
    }
}

nb_root_cause *nb_root_cause_run(const nb_report *r, const nb_report *prev, nb_findings *out)
{
    const nb_format *fmt = r->format;
    nb_root_cause *rc;
    size_t n = 0;
    for (size_t i = 0; i < fmt->nrules; i++)
        n += fmt->rules[i].kind == NB_RULE_ASSERT ? fmt->rules[i].ninst : 0;
    /* one block: the items, the rules' first items, the header (a report's check made three) */
    char *block = nb_xcalloc(1, n * sizeof(nb_rc_item) + (fmt->nrules + 1) * sizeof(size_t) + sizeof *rc);
    rc = (nb_root_cause *)(block + n * sizeof(nb_rc_item) + (fmt->nrules + 1) * sizeof(size_t));
    rc->items = (nb_rc_item *)block;
    rc->first = (size_t *)(block + n * sizeof(nb_rc_item));
    rc->fmt = fmt;
    rc->nitems = n;
    n = 0;
    for (size_t i = 0; i < fmt->nrules; i++) {
        rc->first[i] = n;
        n += fmt->rules[i].kind == NB_RULE_ASSERT ? fmt->rules[i].ninst : 0;
    }
    rc->first[fmt->nrules] = n;
    for (size_t i = 0; i < fmt->nrules; i++) {
        const nb_rule *rule = &fmt->rules[i];
        for (size_t k = 0; rule->kind == NB_RULE_ASSERT && k < rule->ninst; k++) {
            nb_rc_item *it = &rc->items[rc->first[i] + k];
            it->rule = rule;
            it->inst = k;
            if (rule->cross_year && !prev) {
                it->ev.unknown = true;
                continue;
            }
            nb_inst_evaluate(&rule->inst[k], r, prev, &it->ev);
            if (it->ev.unknown)
                continue;
            /* cross-year: a blank in either year; else every cell blank */
            it->covered = rule->cross_year ? it->ev.nblank > 0 : it->ev.ncells && it->ev.nblank == it->ev.ncells;
        }
        if (rule->kind == NB_RULE_ASSERT)
            not_assessable(rc, r, rule, rc->first[i], rc->first[i] + rule->ninst, out);
    }
    blank_lines(rc, r, out);
    nb_likely_cell(rc, r, prev, out);
    return rc;
}

static const nb_rc_item *item_of(const nb_root_cause *rc, const nb_rule *rule, size_t inst)
{
    if (!rc || rule < rc->fmt->rules || rule >= rc->fmt->rules + rc->fmt->nrules)
        return NULL;
    size_t i = rc->first[rule - rc->fmt->rules] + inst;
    return i < rc->nitems ? &rc->items[i] : NULL;
}

bool nb_root_cause_covers(const nb_root_cause *rc, const nb_rule *rule, size_t inst)
{
    const nb_rc_item *it = item_of(rc, rule, inst);
    return it && it->covered;
}

bool nb_root_cause_holds(const nb_root_cause *rc, const nb_rule *rule, size_t inst)
{
    const nb_rc_item *it = item_of(rc, rule, inst);
    return it && it->ev.holds;
}

void nb_root_cause_free(nb_root_cause *rc)
{
    if (rc)
        free(rc->items); /* the block holding them all */
}
