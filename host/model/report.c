/* See report.h. */
#include "model/report.h"
#include "model/decimal.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <string.h>

nb_report *nb_report_new(const nb_format *f, const char *source)
{
    nb_report *r = nb_xcalloc(1, sizeof *r);
    nb_arena_init(&r->arena);
    r->format = f;
    r->source = source ? nb_arena_strdup(&r->arena, source) : NULL;
    r->cells = f->ncells ? nb_arena_alloc(&r->arena, f->ncells * sizeof *r->cells) : NULL;
    r->table_given = nb_arena_alloc(&r->arena, (f->ntables ? f->ntables : 1) * sizeof *r->table_given);
    return r;
}

void nb_report_free(nb_report *r)
{
    if (!r)
        return;
    free(r->notes);
    nb_arena_free(&r->arena);
    free(r);
}

/* Converts a unit written in the cell to the column's unit; false if it cannot. */
static bool convert_unit(const nb_column *col, const char *unit, int64_t *micro, bool *converted)
{
    if (!unit[0])
        return true;
    if (strcmp(unit, "元") == 0 || strcmp(unit, "万元") == 0) {
        if (col->type != NB_TYPE_AMOUNT)
            return false;
        if (!col->unit || strcmp(col->unit, unit) == 0)
            return true; /* no unit printed, or the same: keep the number */
        if (strcmp(col->unit, "万元") == 0 && strcmp(unit, "元") == 0) {
            if (*micro % 10000 != 0)
                return false;
            *micro /= 10000;
            *converted = true;
            return true;
        }
        if (strcmp(col->unit, "元") == 0 && strcmp(unit, "万元") == 0)
            return nb_dec_mul_int(*micro, 10000, micro) && (*converted = true);
        return false;
    }
    /* counting words (件, 个, 项 …) only fit counts */
    return col->type != NB_TYPE_AMOUNT;
}

nb_set_result nb_report_set_cell(nb_report *r, size_t cell, const char *text, size_t len, uint32_t line)
{
    nb_cell *c = &r->cells[cell];
    memset(c, 0, sizeof *c);
    c->line = line;
    /* most cells are a few ASCII digits without a leading zero: a value of
     * any column, written as its canonical form (what the reading below
     * gives, without it) */
    if (len > 0 && len <= 11 && (len == 1 || text[0] != '0')) {
        int64_t v = 0;
        size_t i = 0;
        while (i < len && text[i] >= '0' && text[i] <= '9')
            v = v * 10 + (text[i++] - '0');
        if (i == len) {
            c->state = NB_CELL_VALUE;
            c->micro = v * NB_DEC_SCALE;
            return NB_SET_OK;
        }
    }
    nb_parsed p = nb_parse_cell(text, len);
    switch (p.status) {
    case NB_PARSE_BLANK:
        c->state = NB_CELL_BLANK; /* white space alone is nothing written */
        return NB_SET_OK;
    case NB_PARSE_NA:
        c->state = NB_CELL_NA;
        c->text = nb_arena_strndup(&r->arena, text, len);
        return NB_SET_OK;
    case NB_PARSE_NOT_NUMBER: return NB_SET_NOT_NUMBER;
    case NB_PARSE_TOO_PRECISE: return NB_SET_TOO_PRECISE;
    case NB_PARSE_OVERFLOW: return NB_SET_OVERFLOW;
    case NB_PARSE_VALUE: break;
    }
    const nb_column *col = nb_format_cell_addr(r->format, cell)->col;
    if (p.negative && col->type == NB_TYPE_COUNT)
        return NB_SET_NEGATIVE;
    int64_t micro = p.micro;
    bool converted = false;
    if (!convert_unit(col, p.unit, &micro, &converted))
        return NB_SET_BAD_UNIT;
    c->state = NB_CELL_VALUE;
    c->micro = micro;
    c->converted = converted;
    c->fraction = p.has_fraction && col->type != NB_TYPE_AMOUNT;
    char canon[32];
    nb_dec_format(p.micro, canon, sizeof canon);
    if (p.nonstandard || strlen(canon) != len || memcmp(canon, text, len) != 0)
        c->text = nb_arena_strndup(&r->arena, text, len);
    return NB_SET_OK;
}

nb_note *nb_report_add_note(nb_report *r, nb_severity sev, const char *rule, const char *message, long cell,
                            uint32_t line, const char *expected, const char *actual)
{
    if (r->nnotes == r->notes_cap) {
        r->notes_cap = r->notes_cap ? r->notes_cap * 2 : 8;
        r->notes = nb_xrealloc(r->notes, r->notes_cap * sizeof *r->notes);
    }
    nb_note *n = &r->notes[r->nnotes++];
    n->rule = nb_arena_strdup(&r->arena, rule);
    n->message = nb_arena_strdup(&r->arena, message);
    n->expected = nb_arena_strdup(&r->arena, expected);
    n->actual = nb_arena_strdup(&r->arena, actual);
    n->severity = sev;
    n->cell = cell;
    n->line = line;
    return n;
}

const char *nb_set_result_message(nb_set_result res, nb_cell_type type)
{
    switch (res) {
    case NB_SET_OK: return "";
    case NB_SET_NOT_NUMBER:
        return type == NB_TYPE_AMOUNT ? "不是数字：金额单元格应填写数字（如 0 或 12.5），不适用可写“/”"
                                      : "不是数字：数量单元格应填写整数（如 0），不适用可写“/”";
    case NB_SET_NEGATIVE: return "数量不能为负数：请填写 0 或正整数";
    case NB_SET_TOO_PRECISE: return "小数位数超过6位：请四舍五入到6位小数以内";
    case NB_SET_OVERFLOW: return "数值过大，超出报表可容纳的范围";
    case NB_SET_BAD_UNIT: return "单位与本栏不符：请删去单位或改用本栏单位";
    }
    return "?";
}

const char *nb_cell_text(const nb_cell *c, char *buf, size_t size)
{
    if (c->text)
        return c->text;
    if (c->state != NB_CELL_VALUE)
        return "";
    nb_dec_format(c->micro, buf, size);
    return buf;
}

static bool heading_matches(const nb_section_def *d, const char *norm)
{
    if (d->nmatch == 0)
        return false;
    for (size_t m = 0; m < d->nmatch; m++)
        if (!strstr(norm, d->match[m]))
            return false;
    return true;
}

void nb_report_bind_sections(nb_report *r)
{
    const nb_format *f = r->format;
    for (size_t s = 0; s < r->nsections; s++) {
        nb_section *sec = &r->sections[s];
        sec->def = -1;
        if (sec->level != 1 || !sec->heading)
            continue;
        size_t len = strlen(sec->heading);
        char *norm = nb_xmalloc(len + 1);
        nb_norm_label(sec->heading, len, norm);
        for (size_t d = 0; d < f->nsections; d++)
            if (heading_matches(&f->sections[d], norm)) {
                sec->def = (int)d;
                break;
            }
        free(norm);
    }
}

bool nb_date_parse(const char *text, int *y, int *m, int *d)
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
