/* DATE-DL: a stored report's publication date against the deadline of its
 * unit's 层级 (from the roster), as the format declares it in Lua
 * (`deadlines` in the format plugins, plugins/formats/): checked when both are known. */
#include "cli/cli_store.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    if (!f || !published || !level || !year || !nb_date_parse(published, &y, &m, &d))
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
