/* nianbao sum: the region's 汇总 — every additive cell summed over the
 * region's units (the roster's units below it) into a report of the same
 * format, written by any renderer.  Blank + n = n with a note; "/" is kept
 * apart; a stock column (additive = false in the format) is not summed;
 * units without a report are listed in the notes. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include "io/findings_out.h"
#include "plugin/render_out.h"
#include "rules/validator.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao sum [--db FILE] --region R --year Y [--to FORMAT] [-o OUT]\n"
    "\n"
    "把名册上地区 R 下属各单位（上级为 R，或上级的上级为 R …）Y 年度的报告逐格\n"
    "相加，得到同一格式的汇总报告，用任一输出插件写出（默认 md）。空白按未填计\n"
    "（空白 + n = n，并注明）；填“/”的单独计数，不计入合计；格式声明为存量的栏目\n"
    "（如现行有效件数）不相加；没有报告的单位列入说明。库中有 R 本级公布的汇总\n"
    "（单位即 R 的报告）时逐格比对，不符的格报 AGG-SUM 错误。说明打印到标准错误。\n"
    "\n"
    "退出状态：0 成功，1 本级公布的汇总与相加结果不符，2 数据库不可用或用法错误。\n";

typedef struct {
    char **unit, **parent;
    size_t n, cap;
} roster;

static bool roster_add(void *ud, const nb_roster_row *r)
{
    roster *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 128;
        l->unit = realloc(l->unit, l->cap * sizeof *l->unit);
        l->parent = realloc(l->parent, l->cap * sizeof *l->parent);
        if (!l->unit || !l->parent)
            abort();
    }
    l->unit[l->n] = strdup(r->unit);
    l->parent[l->n++] = strdup(r->parent ? r->parent : "");
    return true;
}

/* True when unit i lies below region (its parent, or its parent's …). */
static bool below(const roster *l, size_t i, const char *region)
{
    const char *p = l->parent[i];
    for (int depth = 0; depth < 32 && *p; depth++) {
        if (strcmp(p, region) == 0)
            return true;
        size_t k = 0;
        while (k < l->n && strcmp(l->unit[k], p) != 0)
            k++;
        if (k == l->n)
            return false;
        p = l->parent[k];
    }
    return false;
}

typedef struct {
    nb_report *r;
    size_t nreports;
} sum_state;

static bool add_cell(void *ud, const nb_store_sum_cell *c)
{
    sum_state *st = ud;
    nb_report *r = st->r;
    long i = nb_format_cell(r->format, c->table, c->row, c->col);
    if (i < 0)
        return true;
    const nb_column *col = nb_format_cell_addr(r->format, (size_t)i)->col;
    char msg[256];
    if (col->not_additive) {
        if (c->nvalue) {
            snprintf(msg, sizeof msg, "“%s”是存量，不逐级相加：请按本级实际填写", col->label);
            nb_report_add_note(r, NB_SEV_INFO, "SUM-STOCK", msg, i, 0, NULL, NULL);
        }
        return true;
    }
    nb_cell *cell = &r->cells[i];
    size_t nblank = st->nreports - (size_t)c->nvalue - (size_t)c->nna;
    if (c->nvalue) {
        cell->state = NB_CELL_VALUE;
        cell->micro = c->micro;
        if (nblank) {
            snprintf(msg, sizeof msg, "%zu 个单位此格空白，按未填计（空白 + n = n）", nblank);
            nb_report_add_note(r, NB_SEV_INFO, "SUM-BLANK", msg, i, 0, NULL, NULL);
        }
        if (c->nna) {
            snprintf(msg, sizeof msg, "%d 个单位此格填“/”，未计入合计", c->nna);
            nb_report_add_note(r, NB_SEV_INFO, "SUM-NA", msg, i, 0, NULL, NULL);
        }
    } else if (c->nna) {
        cell->state = NB_CELL_NA;
        cell->text = "/";
    }
    return true;
}

/* Builds the 汇总 of the region's units for year into *out; prints notes
 * about missing and duplicate units into it.  false on a store error. */
static bool build(nb_host *h, nb_store *s, const roster *l, const char *region, int year, nb_report **out,
                  nb_strbuf *err)
{
    const nb_format_entry *fe = nb_host_format_for_year(h, year);
    if (!fe) {
        nb_sb_printf(err, "没有适用于 %d 年度的格式\n", year);
        return false;
    }
    nb_report *r = nb_report_new(fe->format, region);
    char title[512];
    snprintf(title, sizeof title, "%s%d年政府信息公开工作年度报告（汇总）", region, year);
    r->title = nb_arena_strdup(&r->arena, title);
    r->agency = nb_arena_strdup(&r->arena, region);
    r->year = year;
    r->tables_only = true;
    for (size_t t = 0; t < fe->format->ntables; t++)
        r->table_given[t] = true;
    int64_t *ids = calloc(l->n ? l->n : 1, sizeof *ids);
    size_t n = 0, units = 0;
    bool ok = ids != NULL;
    char msg[512];
    for (size_t i = 0; ok && i < l->n; i++) {
        if (!below(l, i, region))
            continue;
        units++;
        size_t count = 0;
        int64_t id = nb_cli_store_find(s, l->unit[i], year, &count);
        if (id < 0) {
            ok = false;
        } else if (id == 0) {
            snprintf(msg, sizeof msg, "%s 未报 %d 年度报告，未计入汇总", l->unit[i], year);
            nb_report_add_note(r, NB_SEV_WARNING, "SUM-MISSING", msg, -1, 0, NULL, NULL);
        } else {
            if (count > 1) {
                snprintf(msg, sizeof msg, "%s 有 %zu 份 %d 年度报告，取最后导入的一份", l->unit[i], count, year);
                nb_report_add_note(r, NB_SEV_WARNING, "SUM-DUP", msg, -1, 0, NULL, NULL);
            }
            ids[n++] = id;
        }
    }
    if (ok && units == 0) {
        nb_sb_printf(err, "名册上没有属于“%s”的单位（nianbao roster 列出名册）\n", region);
        ok = false;
    }
    sum_state st = {r, n};
    ok = ok && nb_store_sum(s, ids, n, add_cell, &st, err);
    free(ids);
    if (ok) {
        snprintf(msg, sizeof msg, "汇总了 %zu 个单位中 %zu 个单位的报告", units, n);
        nb_report_add_note(r, NB_SEV_INFO, "SUM-UNITS", msg, -1, 0, NULL, NULL);
        *out = r;
    } else {
        nb_report_free(r);
    }
    return ok;
}

static void roster_free(roster *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->unit[i]), free(l->parent[i]);
    free(l->unit), free(l->parent);
}

bool nb_cli_sum_region(nb_host *h, nb_store *s, const char *region, int year, nb_report **out, nb_strbuf *err)
{
    roster l = {0};
    *out = NULL;
    bool ok = nb_store_roster_each(s, roster_add, &l, err);
    bool any = false;
    for (size_t i = 0; ok && !any && i < l.n; i++)
        any = strcmp(l.parent[i], region) == 0;
    if (ok && any)
        ok = build(h, s, &l, region, year, out, err);
    roster_free(&l);
    return ok;
}

int nb_cmd_sum(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"region", required_argument, 0, 'r'},
                                         {"year", required_argument, 0, 'y'}, {"to", required_argument, 0, 't'},
                                         {"output", required_argument, 0, 'o'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *region = NULL, *to = NULL, *out = NULL, *plugin_dir = NULL;
    int c, year = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'r': region = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &year))
                return NB_EXIT_FAIL;
            break;
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (!region || !year || optind != argc) {
        nb_printf_term(stderr, "nianbao sum: 请给出 --region 和 --year\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    nb_store *s = nb_cli_store_open("sum", db, false);
    nb_strbuf err;
    nb_sb_init(&err);
    roster l = {0};
    nb_report *r = NULL;
    int status = NB_EXIT_FAIL;
    const nb_renderer *rd = s ? nb_renderer_choose(h, to, out, "md", &err) : NULL;
    int agg = 0;
    if (rd && nb_store_roster_each(s, roster_add, &l, &err) && build(h, s, &l, region, year, &r, &err) &&
        (agg = nb_cli_agg_sum(h, s, r)) >= 0) {
        nb_findings notes;
        nb_findings_init(&notes);
        nb_report_notes(r, &notes);
        nb_findings_print(stderr, r->source, &notes);
        nb_findings_free(&notes);
        if (nb_render_report(h, rd, r, out, NULL, &err))
            status = agg ? NB_EXIT_FINDINGS : NB_EXIT_OK;
    }
    if (err.data)
        nb_printf_term(stderr, "nianbao sum: %s", err.data);
    nb_report_free(r);
    roster_free(&l);
    nb_sb_free(&err);
    nb_store_close(s);
    nb_host_free(h);
    return status;
}
