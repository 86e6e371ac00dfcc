/* See root_cause.h: the likely wrong cell.  Failing equations without blank
 * cells are grouped by the cells they share; for a group, a cell in all of
 * its equations is a candidate when one new value (whole, not negative)
 * satisfies every one of them and breaks no equation that holds.  One
 * candidate is named; among several, the only one whose value reads as two
 * digits transposed. */
#include "rules/root_cause.h"
#include "model/decimal.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>

static size_t find(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i] = parent[parent[i]];
    return i;
}

/* net coefficient of a current-year cell in an instance */
static int64_t coef_of(const nb_rule_instance *in, int32_t cell)
{
    int64_t c = 0;
    for (size_t k = 0; k < in->nterms; k++)
        if (in->terms[k].cell == cell && !in->terms[k].prev)
            c += in->terms[k].coef;
    return c;
}

static bool failing(const nb_rc_item *it)
{
    return !it->covered && !it->ev.unknown && !it->ev.holds && it->ev.nblank == 0;
}

/* Two numbers written with the same digits, two of them swapped. */
static bool transposed(int64_t a, int64_t b)
{
    char x[32], y[32];
    nb_dec_format(a, x, sizeof x);
    nb_dec_format(b, y, sizeof y);
    size_t n = strlen(x), d[3], nd = 0;
    if (n != strlen(y))
        return false;
    for (size_t i = 0; i < n && nd < 3; i++)
        if (x[i] != y[i])
            d[nd++] = i;
    return nd == 2 && x[d[0]] == y[d[1]] && x[d[1]] == y[d[0]];
}

/* The new value of cell that satisfies the group (members[]) and keeps every
 * other evaluated instance as it was; false if there is none. */
static bool fix_value(const nb_root_cause *rc, const nb_report *r, const size_t *members, size_t nm, int32_t cell,
                      int64_t *delta)
{
    const nb_cell *c = &r->cells[cell];
    if (c->state != NB_CELL_VALUE)
        return false;
    const nb_rc_item *it0 = &rc->items[members[0]];
    int64_t k0 = coef_of(&it0->rule->inst[it0->inst], cell);
    if (k0 == 0 || it0->ev.diff % k0 != 0)
        return false;
    int64_t d = -it0->ev.diff / k0;
    int64_t v = c->micro + d;
    const nb_column *col = nb_format_cell_addr(r->format, (size_t)cell)->col;
    if (d == 0 || v < 0 || (col->type == NB_TYPE_COUNT && v % NB_DEC_SCALE != 0))
        return false;
    for (size_t i = 0; i < rc->nitems; i++) {
        const nb_rc_item *it = &rc->items[i];
        if (it->ev.unknown || (it->covered && it->ev.nblank))
            continue; /* not assessable */
        const nb_rule_instance *in = &it->rule->inst[it->inst];
        int64_t k = coef_of(in, cell), nd;
        if (k == 0)
            continue;
        if (!nb_dec_mul_int(d, k, &nd) || !nb_dec_add(it->ev.diff, nd, &nd) || !nb_op_holds(nd, in->op))
            return false;
    }
    (void)nm;
    *delta = d;
    return true;
}

static void report_group(nb_root_cause *rc, const nb_report *r, const size_t *members, size_t nm, nb_findings *out)
{
    const nb_rc_item *it0 = &rc->items[members[0]];
    const nb_rule_instance *in0 = &it0->rule->inst[it0->inst];
    for (size_t m = 0; m < nm; m++)
        if (rc->items[members[m]].rule->inst[rc->items[members[m]].inst].op != NB_OP_EQ)
            return; /* an inequality does not say which value */
    int32_t best = -1, best_t = -1;
    int64_t best_d = 0, best_td = 0;
    size_t ncand = 0, ntrans = 0;
    for (size_t k = 0; k < in0->nterms; k++) {
        int32_t cell = in0->terms[k].cell;
        if (cell < 0 || in0->terms[k].prev)
            continue;
        bool dup = false, everywhere = true;
        for (size_t j = 0; j < k && !dup; j++)
            dup = in0->terms[j].cell == cell && !in0->terms[j].prev;
        for (size_t m = 1; m < nm && everywhere && !dup; m++) {
            const nb_rc_item *it = &rc->items[members[m]];
            everywhere = coef_of(&it->rule->inst[it->inst], cell) != 0;
        }
        int64_t d;
        if (dup || !everywhere || !fix_value(rc, r, members, nm, cell, &d))
            continue;
        ncand++;
        best = cell;
        best_d = d;
        if (transposed(r->cells[cell].micro, r->cells[cell].micro + d)) {
            ntrans++;
            best_t = cell;
            best_td = d;
        }
    }
    if (ncand != 1 && ntrans != 1)
        return;
    if (ncand != 1) {
        best = best_t;
        best_d = best_td;
    }
    const nb_cell *c = &r->cells[best];
    char name[512], now[32], want[32], msg[2048];
    nb_cell_name(r->format, (size_t)best, name, sizeof name);
    nb_dec_format(c->micro, now, sizeof now);
    nb_dec_format(c->micro + best_d, want, sizeof want);
    bool tr = transposed(c->micro, c->micro + best_d);
    nb_severity sev = NB_SEV_INFO;
    nb_strbuf rules;
    nb_sb_init(&rules);
    for (size_t ri = 0; ri < r->format->nrules; ri++) {
        size_t n = 0;
        for (size_t m = 0; m < nm; m++)
            n += rc->items[members[m]].rule == &r->format->rules[ri];
        if (n)
            nb_sb_printf(&rules, "%s%s %zu处", rules.len ? "、" : "", r->format->rules[ri].id, n);
    }
    for (size_t m = 0; m < nm; m++) {
        rc->items[members[m]].covered = true;
        nb_severity s = rc->items[members[m]].rule->severity; /* the most severe; verify ranks below warning */
        sev = s != NB_SEV_VERIFY && (s > sev || sev == NB_SEV_VERIFY) ? s : sev;
    }
    nb_rule as_rule = *it0->rule;
    if (nm == 1) {
        snprintf(msg, sizeof msg, "%s：%s可能应为 %s，报告为 %s%s（改正这一格即可成立）", it0->rule->message, name,
                 want, now, tr ? "（疑为数字顺序颠倒）" : "");
    } else {
        as_rule.id = "ROOT-CELL";
        as_rule.severity = sev;
        snprintf(msg, sizeof msg, "可能应为 %s，报告为 %s%s：改正这一格，%zu处不成立的勾稽关系（%s）即全部成立", want,
                 now, tr ? "（疑为数字顺序颠倒）" : "", nm, rules.data);
    }
    nb_finding *f = nb_findings_add(out, &as_rule, msg);
    nb_finding_at_cell(out, f, r->format, (size_t)best);
    f->line = c->line;
    nb_finding_set(out, &f->expected, want);
    nb_finding_set(out, &f->actual, now);
    nb_sb_free(&rules);
}

void nb_likely_cell(nb_root_cause *rc, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    (void)prev;
    size_t n = rc->nitems, nfailing = 0;
    for (size_t i = 0; i < n; i++)
        nfailing += failing(&rc->items[i]);
    if (nfailing == 0)
        return; /* most reports */
    size_t *parent = nb_xcalloc(n ? n : 1, sizeof *parent);
    long *owner = nb_xcalloc(r->format->ncells ? r->format->ncells : 1, sizeof *owner);
    for (size_t c = 0; c < r->format->ncells; c++)
        owner[c] = -1;
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    /* union the failing instances sharing a current-year cell */
    for (size_t i = 0; i < n; i++) {
        if (!failing(&rc->items[i]))
            continue;
        const nb_rule_instance *in = &rc->items[i].rule->inst[rc->items[i].inst];
        for (size_t k = 0; k < in->nterms; k++) {
            int32_t c = in->terms[k].cell;
            if (c < 0 || in->terms[k].prev)
                continue;
            if (owner[c] < 0)
                owner[c] = (long)i;
            else
                parent[find(parent, i)] = find(parent, (size_t)owner[c]);
        }
    }
    /* the failing instances, each group's together in index order */
    size_t *fail = nb_xcalloc(nfailing, sizeof *fail), *members = nb_xcalloc(nfailing, sizeof *members);
    size_t nf = 0;
    for (size_t i = 0; i < n; i++)
        if (failing(&rc->items[i]))
            fail[nf++] = i;
    for (size_t root = 0; root < n; root++) {
        size_t nm = 0;
        for (size_t j = 0; j < nf; j++)
            if (find(parent, fail[j]) == root)
                members[nm++] = fail[j];
        if (nm)
            report_group(rc, r, members, nm, out);
    }
    free(fail);
    free(members);
    free(owner);
    free(parent);
}
