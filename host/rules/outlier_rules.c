/* 核实 (severity "verify"): outliers against last year's report that the
 * report should explain — rule kinds `jump` (XY-JUMP) and `backlog`
 * (XY-BACKLOG), their quantities and thresholds declared by the format.
 * Why in C: as Lua functions they read six cells through the Lua view of
 * two reports, a tenth of what `check --db` spent on a report.
 *
 * A quantity is the sum of its cells; a blank, "/" or a cell written in a
 * form that is no plain number ("1,234") makes it unknown, and an unknown
 * quantity in either year is not compared (as the Lua functions did, which
 * read each cell with tonumber). */
#include "rules/validator.h"
#include "model/decimal.h"
#include "model/dec_sum.h"
#include <stdio.h>

enum { MICRO = 1000000 };

/* a cell written otherwise than canonical reads as a number only when its
 * text is a plain decimal (white space around, a sign, digits, a point) */
static bool plain_number(const char *s)
{
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    s += *s == '-' || *s == '+';
    size_t digits = 0;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++; *s >= '0' && *s <= '9'; s++)
            digits++;
    while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
        s++;
    return digits && !*s;
}

bool nb_quantity_value(const nb_quantity *q, const nb_report *r, bool mine, int64_t *out)
{
    int64_t sum = 0;
    for (size_t i = 0; i < q->ncells; i++) {
        const nb_term *t = &q->cells[i];
        long at = mine ? t->cell : nb_format_cell(r->format, t->table, t->row, t->col);
        if (at < 0)
            return false;
        const nb_cell *c = &r->cells[at];
        if (c->state != NB_CELL_VALUE || (c->text && !plain_number(c->text)) || !nb_dec_add(sum, c->micro, &sum))
            return false;
    }
    *out = sum;
    return true;
}

static bool both(const nb_quantity *q, const nb_report *r, const nb_report *prev, int64_t *now, int64_t *last)
{
    return nb_quantity_value(q, r, true, now) && nb_quantity_value(q, prev, prev->format == r->format, last);
}

/* ⌊a / b⌋, both in millionths */
static int64_t floor_div(nb_dec_sum a, nb_dec_sum b)
{
    nb_dec_sum q = a / b;
    return (int64_t)(q - ((a % b != 0) && ((a < 0) != (b < 0))));
}

static void finding(const nb_rule *rule, const nb_report *r, const nb_quantity *q, const char *msg,
                    const char *expected, const char *actual, nb_findings *out)
{
    nb_finding *f = nb_findings_add(out, rule, msg);
    size_t cell = (size_t)q->cells[0].cell;
    nb_finding_at_cell(out, f, r->format, cell);
    f->line = r->cells[cell].line;
    nb_finding_set(out, &f->expected, expected);
    nb_finding_set(out, &f->actual, actual);
}

void nb_jump_rule(const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    const nb_dec_sum factor = rule->factor, min = (nb_dec_sum)rule->min_cases * MICRO;
    for (size_t i = 0; i < rule->nquantities; i++) {
        const nb_quantity *q = &rule->quantities[i];
        int64_t now, last;
        if (!both(q, r, prev, &now, &last))
            continue;
        char n[32], l[32], msg[1024];
        nb_dec_format(now, n, sizeof n);
        nb_dec_format(last, l, sizeof l);
        nb_dec_sum larger = now > last ? now : last;
        if (now == 0 && last >= min)
            snprintf(msg, sizeof msg, "%s本年为 0，上年为 %s：请在报告中说明原因，或核对表格", q->what, l);
        else if (larger >= min && now >= factor * last && now > last)
            snprintf(msg, sizeof msg, "%s本年 %s，上年 %s，增长到 %lld 倍以上：请在报告中说明原因，或核对表格", q->what,
                     n, l, last > 0 ? (long long)floor_div(now, last) : (long long)rule->factor);
        else if (larger >= min && last >= factor * now && now > 0)
            snprintf(msg, sizeof msg, "%s本年 %s，上年 %s，减少到 %lld 分之一以下：请在报告中说明原因，或核对表格",
                     q->what, n, l, (long long)floor_div(last, now));
        else
            continue;
        char expected[64];
        snprintf(expected, sizeof expected, "与上年 %s 相近", l);
        finding(rule, r, q, msg, expected, n, out);
    }
}

void nb_backlog_rule(const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    const nb_quantity *carried = &rule->quantities[0];
    int64_t now, last, received;
    if (!both(carried, r, prev, &now, &last) || !nb_quantity_value(&rule->quantities[1], r, true, &received) || received == 0)
        return;
    if (now > last && now >= (nb_dec_sum)rule->min_cases * MICRO &&
        (nb_dec_sum)now * 100 >= (nb_dec_sum)rule->share_pct * received) {
        char n[32], l[32], rec[32], msg[1024], expected[32];
        nb_dec_format(now, n, sizeof n);
        nb_dec_format(last, l, sizeof l);
        nb_dec_format(received, rec, sizeof rec);
        snprintf(msg, sizeof msg,
                 "结转下年度 %s 件，占本年应办理的 %s 件的 %lld%%，上年结转下年度 %s 件：积压在增加，请在报告中说明原因", n,
                 rec, (long long)floor_div((nb_dec_sum)now * 100, received), l);
        snprintf(expected, sizeof expected, "少于 %ld%%", rule->share_pct);
        finding(rule, r, carried, msg, expected, n, out);
    }
}
