/* FMT-VER: was the report filled in the template its year calls for?
 * Two facts tell: the report year against the years its format covers, and
 * the labels of other formats the importer recognised in it (nb_mark_seen:
 * another format's `marks`, or a row of another format's table).  The core
 * knows no label itself; formats declare their marks, importers record them. */
#include "base/text_norm.h"
#include "rules/validator.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>

static bool covers(const nb_format *f, int year)
{
    return year >= f->year_from && (!f->year_to || year <= f->year_to);
}

static void years_text(const nb_format *f, char *buf, size_t size)
{
    if (f->year_to)
        snprintf(buf, size, "%d–%d年度", f->year_from, f->year_to);
    else
        snprintf(buf, size, "%d年度起", f->year_from);
}

/* "国办公开办函〔2021〕30号的格式（gov-2021）" */
static void format_name(const nb_format *f, char *buf, size_t size)
{
    if (f->notice)
        snprintf(buf, size, "%s的格式（%s）", f->notice, f->id);
    else
        snprintf(buf, size, "格式 %s ", f->id);
}

/* "第31行“本年新制作数量”", or without the line when it is unknown (JSON) */
static void where(const nb_mark_seen *m, char *buf, size_t size)
{
    if (m->line)
        snprintf(buf, size, "第%u行“%s”", m->line, m->label);
    else
        snprintf(buf, size, "“%s”", m->label);
}

static bool own_mark(const nb_format *f, const char *label)
{
    size_t n = strlen(label);
    char *norm = nb_xmalloc(n + 1);
    nb_norm_label(label, n, norm);
    bool own = false;
    for (size_t m = 0; m < f->nmarks && !own; m++)
        own = strcmp(f->marks[m], norm) == 0;
    free(norm);
    return own;
}

static void year_mismatch(const nb_rule *rule, const nb_report *r, const nb_format *year_format, nb_findings *out)
{
    const nb_format *f = r->format;
    const nb_mark_seen *evidence = NULL;
    for (size_t i = 0; i < r->nmarks && !evidence; i++)
        if (strcmp(r->marks[i].format, f->id) == 0)
            evidence = &r->marks[i];
    char have[256], want[256], ev[320] = "", msg[1024];
    format_name(f, have, sizeof have);
    if (evidence) {
        char w[256];
        where(evidence, w, sizeof w);
        snprintf(ev, sizeof ev, "（如%s）", w);
    }
    if (year_format && year_format != f) {
        format_name(year_format, want, sizeof want);
        snprintf(msg, sizeof msg, "%d年度的报告应使用%s，本报告却是按%s填写的%s：请按 %s 的模板填写表格",
                 r->year, want, have, ev, year_format->id);
    } else {
        char years[64];
        years_text(f, years, sizeof years);
        snprintf(msg, sizeof msg, "报告年度%d不在%s的适用范围（%s）内%s", r->year, have, years, ev);
    }
    nb_finding *fd = nb_findings_add(out, rule, msg);
    nb_finding_set(out, &fd->expected, year_format && year_format != f ? year_format->id : NULL);
    nb_finding_set(out, &fd->actual, f->id);
    fd->line = evidence ? evidence->line : 0;
}

/* One finding per other format whose labels appear, listing the first few. */
static void foreign_labels(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    enum { SHOWN = 3 };
    const nb_format *f = r->format;
    bool *done = nb_xcalloc(r->nmarks + 1, sizeof *done);
    for (size_t i = 0; i < r->nmarks; i++) {
        const char *other = r->marks[i].format;
        if (done[i] || strcmp(other, f->id) == 0)
            continue;
        char list[1024] = "";
        size_t count = 0;
        uint32_t line = 0;
        for (size_t k = i; k < r->nmarks; k++) {
            const nb_mark_seen *m = &r->marks[k];
            if (done[k] || strcmp(m->format, other) != 0)
                continue;
            done[k] = true;
            if (own_mark(f, m->label))
                continue; /* both formats print it */
            if (count++ == 0)
                line = m->line;
            if (count > SHOWN)
                continue;
            char w[256];
            where(m, w, sizeof w);
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s%s%s%s", count > 1 ? "、" : "", w,
                     m->values ? "填有数值（" : "", m->values ? m->values : "", m->values ? "）" : "");
        }
        if (count == 0)
            continue;
        char more[64] = "", have[256], msg[1536];
        if (count > SHOWN)
            snprintf(more, sizeof more, "等%zu处", count);
        format_name(f, have, sizeof have);
        snprintf(msg, sizeof msg, "报告中有格式 %s 的写法：%s%s；本报告按%s检查，这些内容不属于该格式的表格，请按其模板改正",
                 other, list, more, have);
        nb_finding *fd = nb_findings_add(out, rule, msg);
        nb_finding_set(out, &fd->expected, f->id);
        nb_finding_set(out, &fd->actual, other);
        fd->line = line;
    }
    free(done);
}

void nb_version_rule(const nb_rule *rule, const nb_report *r, const nb_format *year_format, nb_findings *out)
{
    if (r->year && r->format->year_from && !covers(r->format, r->year))
        year_mismatch(rule, r, year_format, out);
    foreign_labels(rule, r, out);
}
