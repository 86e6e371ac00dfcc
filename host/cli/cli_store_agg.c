/* AGG-SUM: the region's own published 汇总 (a stored report of the region
 * unit itself) against the sum of its units, cell by cell.  A blank or "/"
 * counts as 0 on either side; only additive columns are compared (a stock
 * is not a sum). */
#include "cli/cli_store.h"
#include "model/decimal.h"
#include <stdio.h>
#include <string.h>

static int64_t micro_of(const nb_cell *c) { return c->state == NB_CELL_VALUE ? c->micro : 0; }

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
        fprintf(stderr, "nianbao: %s", err.data ? err.data : "无法读出本级汇总\n");
        nb_sb_free(&err);
        return -1;
    }
    nb_sb_free(&err);
    char msg[512], want[64], got[64];
    int n = 0;
    if (pub->format != sum->format) {
        snprintf(msg, sizeof msg, "库中%s %d 年度的本级报告格式为 %s，与汇总格式 %s 不同，未逐格比对", sum->agency,
                 sum->year, pub->format->id, sum->format->id);
        nb_report_add_note(sum, NB_SEV_WARNING, "AGG-SUM", msg, -1, 0, NULL, NULL);
        nb_report_free(pub);
        return 0;
    }
    for (size_t i = 0; i < sum->format->ncells; i++) {
        const nb_column *col = nb_format_cell_addr(sum->format, i)->col;
        if (col->not_additive)
            continue;
        int64_t a = micro_of(&sum->cells[i]), b = micro_of(&pub->cells[i]);
        if (a == b)
            continue;
        nb_dec_format(a, want, sizeof want);
        nb_dec_format(b, got, sizeof got);
        snprintf(msg, sizeof msg, "本级公布的汇总（%s）此格为 %s，各单位报告相加为 %s：请核对后更正", pub->source,
                 got, want);
        nb_report_add_note(sum, NB_SEV_ERROR, "AGG-SUM", msg, (long)i, 0, want, got);
        n++;
    }
    snprintf(msg, sizeof msg, "与库中%s %d 年度本级公布的汇总逐格比对：%d 格不符", sum->agency, sum->year, n);
    nb_report_add_note(sum, NB_SEV_INFO, "AGG-SUM", msg, -1, 0, NULL, NULL);
    nb_report_free(pub);
    return n;
}
