/* AGG-SUM: the region's own published 汇总 (a stored report of the region
 * unit itself) against the sum of its units, cell by cell.  A blank or "/"
 * counts as 0 on either side; only additive columns are compared (a stock
 * is not a sum).  `sum` adds the differences to the 汇总's notes; `check
 * --db` adds them to the findings of the region's report. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include "model/decimal.h"
#include <stdio.h>
#include <string.h>

static int64_t micro_of(const nb_cell *c) { return c->state == NB_CELL_VALUE ? c->micro : 0; }

/* Compares sum with pub (same format); each difference becomes a note of
 * sum (when fs is NULL) or a finding in fs.  Returns how many differ. */
static int compare(nb_report *sum, const nb_report *pub, nb_findings *fs)
{
    char msg[512], want[64], got[64];
    int n = 0;
    for (size_t i = 0; i < sum->format->ncells; i++) {
        const nb_column *col = nb_format_cell_addr(sum->format, i)->col;
        if (col->not_additive)
            continue;
        int64_t a = micro_of(&sum->cells[i]), b = micro_of(&pub->cells[i]);
        if (a == b)
            continue;
        nb_dec_format(a, want, sizeof want);
        nb_dec_format(b, got, sizeof got);
        snprintf(msg, sizeof msg, "本级公布的汇总此格为 %s，名册上下属各单位报告相加为 %s：请核对后更正", got, want);
        if (fs) {
            nb_rule rule = {.id = "AGG-SUM", .severity = NB_SEV_ERROR};
            nb_finding *f = nb_findings_add(fs, &rule, msg);
            nb_finding_at_cell(fs, f, pub->format, i);
            f->line = pub->cells[i].line;
            nb_finding_set(fs, &f->expected, want);
            nb_finding_set(fs, &f->actual, got);
        } else {
            nb_report_add_note(sum, NB_SEV_ERROR, "AGG-SUM", msg, (long)i, 0, want, got);
        }
        n++;
    }
    return n;
}

int nb_cli_agg_sum(nb_host *h, nb_store *s, nb_report *sum)
{
    size_t count = 0;
    int64_t id = nb_cli_store_find(s, sum->agency, sum->year, &count);
    if (id <= 0)
        return id < 0 ? -1 : 0;
    nb_strbuf err;
    nb_sb_init(&err);
    nb_report *pub = nb_store_load(s, id, nb_cli_store_format, h, &err);
    if (!pub) {
        nb_printf_term(stderr, "nianbao: %s", err.data ? err.data : "无法读出本级汇总\n");
        nb_sb_free(&err);
        return -1;
    }
    nb_sb_free(&err);
    char msg[512];
    int n = 0;
    if (pub->format != sum->format) {
        snprintf(msg, sizeof msg, "库中%s %d 年度的本级报告格式为 %s，与汇总格式 %s 不同，未逐格比对", sum->agency,
                 sum->year, pub->format->id, sum->format->id);
        nb_report_add_note(sum, NB_SEV_WARNING, "AGG-SUM", msg, -1, 0, NULL, NULL);
    } else {
        n = compare(sum, pub, NULL);
        snprintf(msg, sizeof msg, "与库中%s %d 年度本级公布的汇总（%s）逐格比对：%d 格不符", sum->agency, sum->year,
                 pub->source, n);
        nb_report_add_note(sum, NB_SEV_INFO, "AGG-SUM", msg, -1, 0, NULL, NULL);
    }
    nb_report_free(pub);
    return n;
}

bool nb_cli_agg_check(nb_host *h, nb_store *s, const nb_report *pub, nb_findings *fs, nb_strbuf *err)
{
    nb_report *sum = NULL;
    if (!nb_cli_sum_region(h, s, pub->agency, pub->year, &sum, err))
        return false;
    if (sum && sum->format == pub->format)
        compare(sum, pub, fs);
    nb_report_free(sum);
    return true;
}
