/* See validator.h.  Assertions: blank and "/" cells count as nothing (0) in
 * sums, so a missing total shows up as a difference, while CELL-BLANK says
 * separately that the cell was left blank. */
#include "rules/validator.h"
#include "rules/root_cause.h"
#include "rules/draft_rule.h"
#include "model/decimal.h"
#include "model/dec_sum.h"
#include "base/strbuf.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <stdio.h>
#include <string.h>
#include <time.h>

static bool compare(nb_dec_sum a, nb_op op, nb_dec_sum b)
{
    switch (op) {
    case NB_OP_EQ: return a == b;
    case NB_OP_NE: return a != b;
    case NB_OP_LE: return a <= b;
    case NB_OP_GE: return a >= b;
    case NB_OP_LT: return a < b;
    case NB_OP_GT: return a > b;
    }
    return false;
}

/* Cell of a term in the report it refers to, resolving last year's cells by
 * id (last year may be in another format).  NULL if it has no such cell. */
static const nb_cell *term_cell(const nb_term *t, const nb_report *r, const nb_report *prev)
{
    if (!t->prev)
        return &r->cells[t->cell];
    if (prev->format == r->format)
        return &prev->cells[t->cell];
    long c = nb_format_cell(prev->format, t->table, t->row, t->col);
    return c < 0 ? NULL : &prev->cells[c];
}

static void assertion(const nb_rule *rule, const nb_report *r, const nb_report *prev, const nb_root_cause *rc,
                      nb_findings *out)
{
    size_t unmapped = 0;
    const nb_term *first_unmapped = NULL;
    for (size_t i = 0; i < rule->ninst; i++) {
        if (nb_root_cause_covers(rc, rule, i) || nb_root_cause_holds(rc, rule, i))
            continue; /* reported with its cause, or holding (root_cause.c evaluated it) */
        const nb_rule_instance *in = &rule->inst[i];
        nb_dec_sum side[2] = {0, 0}; /* exact: a large sum is checked, never skipped */
        /* a side whose cells are all blank is shown as such, not as a bare 0 */
        size_t ncells[2] = {0, 0};
        bool all_blank[2] = {true, true}, ok = true, mapped = true;
        for (size_t k = 0; k < in->nterms && ok; k++) {
            const nb_term *t = &in->terms[k];
            int64_t v = 1, coef = t->coef; /* a constant is stored scaled in coef */
            size_t sd = k < in->nlhs ? 0 : 1;
            if (t->cell >= 0) {
                const nb_cell *c = term_cell(t, r, prev);
                if (!c) {
                    unmapped++;
                    first_unmapped = first_unmapped ? first_unmapped : t;
                    mapped = false;
                    break;
                }
                ncells[sd]++;
                if (c->state != NB_CELL_BLANK)
                    all_blank[sd] = false;
                v = c->state == NB_CELL_VALUE ? c->micro : 0;
            }
            /* right-side terms were compiled negated: side[1] collects −(−x) */
            ok = nb_dec_sum_add(&side[sd], v, sd ? -coef : coef);
        }
        if (!mapped || (ok && compare(side[0], in->op, side[1])))
            continue;
        if (!ok) { /* past 128 bits: only absurd coefficients get here */
            nb_finding *f = nb_findings_add(out, rule, "数值过大，无法核对本规则：请检查单元格中的数值");
            if (in->at >= 0 && !in->at_prev) {
                nb_finding_at_cell(out, f, r->format, (size_t)in->at);
                f->line = r->cells[in->at].line;
            }
            continue;
        }
        nb_finding *f = nb_findings_add(out, rule, NULL);
        if (in->at >= 0 && !in->at_prev) {
            nb_finding_at_cell(out, f, r->format, (size_t)in->at);
            f->line = r->cells[in->at].line;
        }
        /* expected is the right side, with the comparison unless it is == */
        static const char *const op_text[] = {[NB_OP_EQ] = "", [NB_OP_NE] = "≠", [NB_OP_LE] = "≤",
                                              [NB_OP_GE] = "≥", [NB_OP_LT] = "<", [NB_OP_GT] = ">"};
        char a[64], num[64], e[80];
        nb_dec_sum_format(side[0], a, sizeof a);
        nb_dec_sum_format(side[1], num, sizeof num);
        snprintf(e, sizeof e, "%s%s", op_text[in->op], num);
        static const char *const blank_text[] = {"空白", "各项之和（各项均为空白）"};
        nb_finding_set(out, &f->expected, ncells[1] && all_blank[1] ? blank_text[ncells[1] > 1] : e);
        nb_finding_set(out, &f->actual, ncells[0] && all_blank[0] ? blank_text[ncells[0] > 1] : a);
    }
    if (unmapped) {
        nb_rule info = *rule;
        info.severity = NB_SEV_INFO;
        const nb_cell_addr *a = nb_format_cell_addr(r->format, (size_t)first_unmapped->cell);
        char msg[768];
        snprintf(msg, sizeof msg,
                 "去年的报告按 %s 格式填写，没有“%s”×“%s”（%s.%s.%s）这样的单元格：本规则有%zu处无法跨格式对应，未检查",
                 prev->format->id, a->row->label, a->col->label, first_unmapped->table, first_unmapped->row,
                 first_unmapped->col, unmapped);
        nb_findings_add(out, &info, msg);
    }
}

static bool table_in_scope(const nb_rule *rule, const char *table)
{
    if (rule->ntables == 0)
        return true;
    for (size_t i = 0; i < rule->ntables; i++)
        if (strcmp(rule->tables[i], table) == 0)
            return true;
    return false;
}

/* CELL-INT: one finding per cell with decimals in a count. */
static void type_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    const nb_format *fmt = r->format;
    for (size_t i = 0; i < fmt->ncells; i++) {
        const nb_cell *c = &r->cells[i];
        if (!table_in_scope(rule, nb_format_cell_addr(fmt, i)->table->id) || c->state != NB_CELL_VALUE ||
            !c->fraction)
            continue;
        nb_finding *f = nb_findings_add(out, rule, NULL);
        char v[32];
        nb_dec_format(c->micro, v, sizeof v);
        nb_finding_set(out, &f->actual, v);
        nb_finding_at_cell(out, f, fmt, i);
        f->line = c->line;
    }
}

/* CELL-BLANK: one finding per row with blank cells, pinned to its first
 * blank cell and naming every blank column.  A draft or a report that left
 * blanks for zeros has dozens; a line per row still says exactly what is
 * left to fill without burying the findings that matter. */
static bool import_note_covers(const nb_report *r, size_t cell)
{
    for (size_t i = 0; i < r->nnotes; i++)
        if (r->notes[i].cell == (long)cell && !strncmp(r->notes[i].rule, "IMPORT-", 7))
            return true;
    return false;
}

static void blank_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    const nb_format *fmt = r->format;
    size_t i = 0;
    while (i < fmt->ncells) {
        const nb_cell_addr *a = nb_format_cell_addr(fmt, i);
        const nb_row *row = a->row;
        size_t blanks = 0, first = 0, ncols = 0;
        nb_strbuf cols;
        nb_sb_init(&cols);
        for (; i < fmt->ncells && nb_format_cell_addr(fmt, i)->row == row; i++, ncols++) {
            if (r->cells[i].state != NB_CELL_BLANK || import_note_covers(r, i))
                continue; /* an IMPORT-* finding already says why this cell is blank */
            if (blanks++ == 0)
                first = i;
            nb_sb_puts(&cols, blanks > 1 ? "、" : "");
            nb_sb_puts(&cols, nb_format_cell_addr(fmt, i)->col->label);
        }
        /* a table a tables-only source did not hold is absent, not blank */
        bool absent = r->tables_only && !r->table_given[a->table - fmt->tables];
        if (blanks > 0 && table_in_scope(rule, a->table->id) && !absent) {
            char msg[1024];
            if (blanks > 1)
                snprintf(msg, sizeof msg, "%s（本行%zu个单元格空白：%s）", rule->message, blanks,
                         blanks == ncols ? "整行" : cols.data);
            nb_finding *f = nb_findings_add(out, rule, blanks > 1 ? msg : NULL);
            nb_finding_at_cell(out, f, fmt, first);
            f->line = r->cells[first].line;
            nb_finding_set(out, &f->expected, "0 或 /");
            nb_finding_set(out, &f->actual, "空白");
        }
        nb_sb_free(&cols);
    }
}

/* Calls visit with each part of format section def's text in r — its
 * subsections' headings and the texts, in order, each followed by "\n" in
 * the joined text; false when r lacks the section. */
static bool section_parts(const nb_report *r, int def, void (*visit)(void *ud, const char *part), void *ud)
{
    for (size_t s = 0; s < r->nsections; s++) {
        if (r->sections[s].level != 1 || r->sections[s].def != def)
            continue;
        for (size_t k = s; k < r->nsections && (k == s || r->sections[k].level > 1); k++) {
            if (k > s && r->sections[k].heading)
                visit(ud, r->sections[k].heading);
            if (r->sections[k].text)
                visit(ud, r->sections[k].text);
        }
        return true;
    }
    return false;
}

static void join_part(void *ud, const char *part)
{
    nb_sb_puts(ud, part);
    nb_sb_puts(ud, "\n");
}

char *nb_report_section_text(const nb_report *r, int def, bool *found)
{
    nb_strbuf sb;
    nb_sb_init(&sb);
    nb_sb_puts(&sb, "");
    *found = section_parts(r, def, join_part, &sb);
    return nb_sb_take(&sb);
}

/* the visible characters of the joined text, counted part by part (a
 * newline is not visible, and no character spans two parts) */
static void count_part(void *ud, const char *part) { *(size_t *)ud += nb_utf8_visible_chars(part, strlen(part)); }

static void sections_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    const nb_format *fmt = r->format;
    int last = -1;
    for (size_t d = 0; d < fmt->nsections; d++) {
        int at = -1;
        for (size_t s = 0; s < r->nsections && at < 0; s++)
            if (r->sections[s].level == 1 && r->sections[s].def == (int)d)
                at = (int)s;
        char msg[512];
        if (at < 0) {
            snprintf(msg, sizeof msg, "缺少第%zu部分“%s”", d + 1, fmt->sections[d].label);
        } else if (at < last) {
            snprintf(msg, sizeof msg, "第%zu部分“%s”的位置不对：应排在前一部分之后", d + 1, fmt->sections[d].label);
        } else {
            last = at;
            continue;
        }
        nb_finding *f = nb_findings_add(out, rule, msg);
        nb_finding_set(out, &f->expected, fmt->sections[d].label);
        if (at >= 0) {
            f->line = r->sections[at].line;
            nb_finding_set(out, &f->actual, r->sections[at].heading);
        }
    }
}

static const nb_section *section_of(const nb_report *r, int def)
{
    for (size_t s = 0; s < r->nsections; s++)
        if (r->sections[s].level == 1 && r->sections[s].def == def)
            return &r->sections[s];
    return NULL;
}

/* TXT-LEN: the section's length, without joining its text */
static void length_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    size_t n = 0;
    if (!section_parts(r, rule->section, count_part, &n) || (long)n <= rule->max_chars)
        return;
    char msg[512], num[32];
    snprintf(msg, sizeof msg, "%s：“%s”共%zu字，超过%ld字", rule->message, r->format->sections[rule->section].label, n,
             rule->max_chars);
    nb_finding *f = nb_findings_add(out, rule, msg);
    snprintf(num, sizeof num, "≤%ld", rule->max_chars);
    nb_finding_set(out, &f->expected, num);
    snprintf(num, sizeof num, "%zu", n);
    nb_finding_set(out, &f->actual, num);
    f->line = section_of(r, rule->section)->line;
}

static void text_rule(const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    bool found;
    char *text = nb_report_section_text(r, rule->section, &found);
    if (rule->kind == NB_RULE_TEXT_MENTIONS) { /* a draft's placeholder mentions nothing */
        char *kept = nb_text_drop_placeholders(r->format, text);
        free(text);
        text = kept;
    }
    const nb_section_def *d = &r->format->sections[rule->section];
    const nb_section *sec = section_of(r, rule->section);
    char msg[512], num[32];
    if (found && rule->kind == NB_RULE_TEXT_MENTIONS) {
        bool any = false;
        for (size_t w = 0; w < rule->nwords && !any; w++)
            any = strstr(text, rule->words[w]) != NULL;
        if (!any) {
            nb_finding *f = nb_findings_add(out, rule, NULL);
            f->line = sec->line;
            nb_finding_set(out, &f->expected, rule->words[0]);
        }
    } else if (found && rule->kind == NB_RULE_TEXT_SIMILAR && prev) {
        bool pfound = false;
        int pdef = -1;
        for (size_t k = 0; k < prev->format->nsections; k++)
            if (strcmp(prev->format->sections[k].id, d->id) == 0)
                pdef = (int)k;
        char *ptext = pdef >= 0 ? nb_report_section_text(prev, pdef, &pfound) : NULL;
        if (pfound && strlen(text) > 0) {
            int score = nb_text_similarity(text, ptext);
            if (score >= rule->threshold_pct) {
                snprintf(msg, sizeof msg, "%s：与上一年度的“%s”相似度%d%%（阈值%ld%%）", rule->message, d->label, score,
                         rule->threshold_pct);
                nb_finding *f = nb_findings_add(out, rule, msg);
                snprintf(num, sizeof num, "<%ld%%", rule->threshold_pct);
                nb_finding_set(out, &f->expected, num);
                snprintf(num, sizeof num, "%d%%", score);
                nb_finding_set(out, &f->actual, num);
                f->line = sec->line;
            }
        }
        free(ptext);
    }
    free(text);
}

/* YEAR-RANGE: a report year far from today's (the 条例 applies since 2008;
 * a report is written the year after its year), or from its own 发布日期. */
static void year_plausible(const nb_report *r, nb_findings *out)
{
    time_t now = time(NULL);
    struct tm tm;
    int this_year = localtime_r(&now, &tm) ? tm.tm_year + 1900 : 0;
    char msg[320], e[48], a[16];
    int py, pm, pd;
    if (r->year < 2008 || (this_year && r->year > this_year + 1)) {
        snprintf(msg, sizeof msg, "报告年度 %d 年不合常理（%d 年之后、%d 年之前才可能）：请核对年份", r->year, 2007,
                 this_year + 2);
        snprintf(e, sizeof e, "2008–%d", this_year + 1);
        snprintf(a, sizeof a, "%d", r->year);
    } else if (r->published && nb_date_parse(r->published, &py, &pm, &pd) && (py <= r->year || py > r->year + 2)) {
        /* a year's report is published after the year ends, as a rule in
         * its first months: a date in the year or years later is a typo in
         * one of the two */
        snprintf(msg, sizeof msg, "报告年度 %d 年与发布日期 %s 不相称（%d 年度的报告应在 %d 年至 %d 年间发布）：请核对年份",
                 r->year, r->published, r->year, r->year + 1, r->year + 2);
        snprintf(e, sizeof e, "%d–%d 年发布", r->year + 1, r->year + 2);
        snprintf(a, sizeof a, "%d", py);
    } else {
        return;
    }
    nb_rule as_rule = {.id = "YEAR-RANGE", .severity = NB_SEV_WARNING};
    nb_finding *f = nb_findings_add(out, &as_rule, msg);
    nb_finding_set(out, &f->expected, e);
    nb_finding_set(out, &f->actual, a);
}

static void year_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    if (r->year)
        year_plausible(r, out);
    struct { const char *what; int year; } ys[] = {
        {"报告年度", r->year}, {"标题中的年份", r->title_year}, {"统计期限中的年份", r->period_year}};
    for (size_t i = 1; i < 3; i++) {
        if (!ys[i].year || !ys[0].year || ys[i].year == ys[0].year)
            continue;
        char msg[256], e[16], a[16];
        snprintf(msg, sizeof msg, "%s（%d）与%s（%d）不一致", ys[i].what, ys[i].year, ys[0].what, ys[0].year);
        nb_finding *f = nb_findings_add(out, rule, msg);
        snprintf(e, sizeof e, "%d", ys[0].year);
        snprintf(a, sizeof a, "%d", ys[i].year);
        nb_finding_set(out, &f->expected, e);
        nb_finding_set(out, &f->actual, a);
    }
}

void nb_report_notes(const nb_report *r, nb_findings *out)
{
    const nb_format *fmt = r->format;
    for (size_t i = 0; i < fmt->ncells; i++) {
        const nb_cell *c = &r->cells[i];
        if (!c->converted)
            continue;
        const char *unit = nb_format_cell_addr(fmt, i)->col->unit;
        char msg[256], value[32];
        nb_dec_format(c->micro, value, sizeof value);
        snprintf(msg, sizeof msg, "单元格写的是“%s”，已按本栏单位换算为 %s %s；请核对，并直接填写以%s为单位的数值", c->text,
                 value, unit, unit);
        nb_rule as_rule = {.id = "IMPORT-UNIT", .severity = NB_SEV_INFO};
        nb_finding *f = nb_findings_add(out, &as_rule, msg);
        nb_finding_at_cell(out, f, fmt, i);
        f->line = c->line;
        nb_finding_set(out, &f->expected, value);
        nb_finding_set(out, &f->actual, c->text);
    }
    for (size_t i = 0; i < r->nnotes; i++) {
        const nb_note *n = &r->notes[i];
        nb_rule as_rule = {.id = n->rule, .severity = n->severity, .message = n->message};
        nb_finding *f = nb_findings_add(out, &as_rule, NULL);
        nb_finding_set(out, &f->rule, n->rule); /* owned by the list, like the message */
        if (n->cell >= 0)
            nb_finding_at_cell(out, f, r->format, (size_t)n->cell);
        f->line = n->line;
        nb_finding_set(out, &f->expected, n->expected);
        nb_finding_set(out, &f->actual, n->actual);
    }
}

void nb_validate(const nb_report *r, const nb_check_ctx *ctx, nb_findings *out)
{
    const nb_format *fmt = r->format;
    nb_report_notes(r, out);
    const nb_report *prev = ctx ? ctx->prev : NULL;
    nb_root_cause *rc = nb_root_cause_run(r, prev, out);
    for (size_t i = 0; i < fmt->nrules; i++) {
        const nb_rule *rule = &fmt->rules[i];
        if (rule->cross_year && !prev)
            continue;
        if (r->tables_only && (rule->kind == NB_RULE_SECTIONS || rule->kind == NB_RULE_PLACEHOLDER || rule->kind == NB_RULE_TEXT_LENGTH ||
                               rule->kind == NB_RULE_TEXT_MENTIONS || rule->kind == NB_RULE_TEXT_SIMILAR))
            continue; /* no text to check */
        switch (rule->kind) {
        case NB_RULE_ASSERT: assertion(rule, r, prev, rc, out); break;
        case NB_RULE_BLANK: blank_rule(rule, r, out); break;
        case NB_RULE_TYPE: type_rule(rule, r, out); break;
        case NB_RULE_SECTIONS: sections_rule(rule, r, out); break;
        case NB_RULE_TEXT_LENGTH: length_rule(rule, r, out); break;
        case NB_RULE_TEXT_MENTIONS:
        case NB_RULE_TEXT_SIMILAR: text_rule(rule, r, prev, out); break;
        case NB_RULE_YEAR: year_rule(rule, r, out); break;
        case NB_RULE_LUA:
            if (ctx && ctx->lua_rule)
                ctx->lua_rule(ctx->ud, rule, r, prev, out);
            break;
        case NB_RULE_VERSION: nb_version_rule(rule, r, ctx ? ctx->year_format : NULL, out); break;
        case NB_RULE_PLACEHOLDER: nb_placeholder_rule(rule, r, out); break;
        case NB_RULE_JUMP: nb_jump_rule(rule, r, prev, out); break;
        case NB_RULE_BACKLOG: nb_backlog_rule(rule, r, prev, out); break;
        case NB_RULE_NARRATIVE: nb_narrative_rule(rule, r, out); break;
        }
    }
    nb_root_cause_free(rc);
}
