/* See prev_identity.h. */
#include "cli/prev_identity.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <string.h>

bool nb_same_agency(const char *a, const char *b)
{
    if (!a || !b || !*a || !*b)
        return true; /* cannot tell */
    size_t la = strlen(a), lb = strlen(b);
    char *na = nb_xmalloc(la + 1), *nb = nb_xmalloc(lb + 1);
    size_t ka = nb_norm_label(a, la, na), kb = nb_norm_label(b, lb, nb);
    bool same = ka == kb && memcmp(na, nb, ka) == 0;
    free(na);
    free(nb);
    return same;
}

bool nb_prev_fits(const nb_report *r, const char *name, const nb_report *prev, const char *prev_name, FILE *err)
{
    bool ok = true;
    if (!nb_same_agency(r->agency, prev->agency)) {
        fprintf(err,
                "%s: --prev %s 是“%s”的报告，而本报告是“%s”的：跨年度规则只能与本单位上一年度的报告比较。"
                "请给出本单位的上一年度报告；确需比较时加 --prev-any\n",
                name, prev_name, prev->agency, r->agency);
        ok = false;
    }
    if (r->year && prev->year && prev->year != r->year - 1) {
        fprintf(err,
                "%s: --prev %s 是%d年度的报告，而本报告是%d年度的：上一年度应为%d年度。"
                "请给出%d年度的报告；确需比较时加 --prev-any\n",
                name, prev_name, prev->year, r->year, r->year - 1, r->year - 1);
        ok = false;
    }
    return ok;
}
