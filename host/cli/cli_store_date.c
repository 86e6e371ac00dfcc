/* DATE-DL: a stored report's publication date against the deadline of its
 * unit's 层级 (from the roster), as the format declares it in Lua
 * (`deadlines` in the format plugins, plugins/formats/): checked when both are known. */
#include "cli/cli_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first three numbers of text (year, month, day), or false. */
static bool parse_date(const char *text, int *y, int *m, int *d)
{
    int v[3], n = 0;
    for (const char *p = text; *p && n < 3;) {
        if (*p >= '0' && *p <= '9') {
            char *end;
            long x = strtol(p, &end, 10);
            v[n++] = x > 9999 ? 0 : (int)x;
            p = end;
        } else {
            p++;
        }
    }
    if (n < 3 || v[0] < 1990 || v[1] < 1 || v[1] > 12 || v[2] < 1 || v[2] > 31)
        return false;
    *y = v[0], *m = v[1], *d = v[2];
    return true;
}

static const struct nb_deadline *deadline_for(const nb_format *f, const char *level)
{
    const struct nb_deadline *any = NULL;
    for (size_t i = 0; i < f->ndeadlines; i++) {
        if (f->deadlines[i].nlevels == 0)
            any = &f->deadlines[i];
        for (size_t k = 0; k < f->deadlines[i].nlevels; k++)
            if (strcmp(f->deadlines[i].levels[k], level) == 0)
                return &f->deadlines[i];
    }
    return any;
}

bool nb_cli_date_late(const nb_report *r, const char *level, char *msg, size_t size)
{
    return nb_cli_date_late_at(r->format, r->year, r->published, level, msg, size);
}

bool nb_cli_date_late_at(const nb_format *f, int year, const char *published, const char *level, char *msg,
                         size_t size)
{
    int y, m, d;
    if (!f || !published || !level || !year || !parse_date(published, &y, &m, &d))
        return false;
    const struct nb_deadline *dl = deadline_for(f, level);
    if (!dl)
        return false;
    long pub = (long)y * 10000 + m * 100 + d, due = (long)(year + 1) * 10000 + dl->month * 100 + dl->day;
    if (pub <= due)
        return false;
    snprintf(msg, size, "发布日期 %d年%d月%d日 晚于%s的截止日期 %d年%d月%d日（%d 年度报告）", y, m, d, level, year + 1,
             dl->month, dl->day, year);
    return true;
}
