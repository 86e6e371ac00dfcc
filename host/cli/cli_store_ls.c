/* nianbao ls: the unit × year grid of the store; nianbao show: one stored
 * report through any renderer. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include "io/findings_out.h"
#include "plugin/render_out.h"
#include "rules/validator.h"
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char LS_HELP[] =
    "用法：nianbao ls [--db FILE] [--year Y] [--unit U] [--json]\n"
    "\n"
    "列出库中的报告：每行一个单位，每列一个年度，每格为该报告的“错误/警告”数\n"
    "（导入时检查所得，含与本单位上年报告的比对）；“-”为该年没有报告；同一单位同一\n"
    "年度有多份报告时用“+”隔开。--json 逐份列出，带来源、SHA-256、导入器、格式、\n"
    "版本、导入时间和 late（发布日期晚于名册层级的截止日期，网格中标“逾期”）。\n";

typedef struct {
    nb_store_entry *v;
    bool *late; /* DATE-DL, filled by mark_late */
    size_t n, cap;
    int years[64];
    int nyears;
} entries;

static bool collect(void *ud, const nb_store_entry *e)
{
    entries *l = ud;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 256;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    nb_store_entry c = *e;
    c.unit = strdup(e->unit);
    c.format = strdup(e->format);
    c.source = strdup(e->source);
    c.sha256 = strdup(e->sha256);
    c.importer = strdup(e->importer);
    c.added = strdup(e->added);
    c.published = e->published ? strdup(e->published) : NULL;
    l->v[l->n++] = c;
    int i = 0;
    while (i < l->nyears && l->years[i] != e->year)
        i++;
    if (i == l->nyears && l->nyears < 64) {
        while (i > 0 && l->years[i - 1] > e->year) {
            l->years[i] = l->years[i - 1];
            i--;
        }
        l->years[i] = e->year;
        l->nyears++;
    }
    return true;
}

static void free_entries(entries *l)
{
    for (size_t i = 0; i < l->n; i++) {
        nb_store_entry *e = &l->v[i];
        free((char *)e->unit), free((char *)e->format), free((char *)e->source), free((char *)e->sha256);
        free((char *)e->importer), free((char *)e->added), free((char *)e->published);
    }
    free(l->v);
    free(l->late);
}

typedef struct {
    nb_host *h;
    entries *l;
} late_ctx;

/* For each roster unit, its reports published after its level's deadline. */
static bool late_row(void *ud, const nb_roster_row *row)
{
    late_ctx *c = ud;
    char msg[256];
    for (size_t i = 0; row->level && i < c->l->n; i++) {
        const nb_store_entry *e = &c->l->v[i];
        if (e->published && strcmp(e->unit, row->unit) == 0)
            c->l->late[i] = nb_cli_date_late_at(nb_cli_store_format(c->h, e->format), e->year, e->published,
                                                row->level, msg, sizeof msg);
    }
    return true;
}

static bool mark_late(nb_store *s, entries *l, nb_strbuf *err)
{
    l->late = calloc(l->n + 1, sizeof *l->late);
    if (!l->late)
        abort();
    bool any = false;
    for (size_t i = 0; i < l->n && !any; i++)
        any = l->v[i].published && *l->v[i].published;
    if (!any)
        return true;
    late_ctx c = {nb_cli_open_host(NULL), l};
    bool ok = c.h && nb_store_roster_each(s, late_row, &c, err);
    nb_host_free(c.h);
    return ok;
}

static void print_json(const entries *l)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(root, "reports");
    for (size_t i = 0; i < l->n; i++) {
        const nb_store_entry *e = &l->v[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "id", (double)e->id);
        cJSON_AddStringToObject(o, "unit", e->unit);
        cJSON_AddNumberToObject(o, "year", e->year);
        cJSON_AddNumberToObject(o, "version", e->version);
        cJSON_AddStringToObject(o, "format", e->format);
        cJSON_AddStringToObject(o, "source", e->source);
        cJSON_AddStringToObject(o, "sha256", e->sha256);
        cJSON_AddStringToObject(o, "importer", e->importer);
        cJSON_AddStringToObject(o, "added", e->added);
        cJSON_AddNumberToObject(o, "errors", e->errors);
        cJSON_AddNumberToObject(o, "warnings", e->warnings);
        cJSON_AddNumberToObject(o, "info", e->infos);
        cJSON_AddBoolToObject(o, "late", l->late[e - l->v]);
        cJSON_AddItemToArray(arr, o);
    }
    char *out = cJSON_Print(root);
    puts(out);
    cJSON_free(out);
    cJSON_Delete(root);
}

static void print_grid(const entries *l)
{
    printf("单位");
    for (int y = 0; y < l->nyears; y++)
        printf("\t%d", l->years[y]);
    putchar('\n');
    size_t units = 0;
    for (size_t i = 0; i < l->n;) {
        const char *unit = l->v[i].unit;
        units++;
        printf("%s", unit);
        for (int y = 0; y < l->nyears; y++) {
            putchar('\t');
            size_t k = i;
            bool any = false;
            for (; k < l->n && strcmp(l->v[k].unit, unit) == 0; k++)
                if (l->v[k].year == l->years[y]) {
                    printf("%s%d/%d%s", any ? "+" : "", l->v[k].errors, l->v[k].warnings, l->late[k] ? "逾期" : "");
                    any = true;
                }
            if (!any)
                putchar('-');
        }
        putchar('\n');
        while (i < l->n && strcmp(l->v[i].unit, unit) == 0)
            i++;
    }
    printf("共 %zu 个单位，%zu 份报告（每格：错误/警告，发布晚于截止日期的标“逾期”；- 为没有报告）\n", units, l->n);
}

int nb_cmd_ls(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"year", required_argument, 0, 'y'},
                                         {"unit", required_argument, 0, 'u'}, {"json", no_argument, 0, 'j'},
                                         {"all", no_argument, 0, 'a'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    nb_store_filter f = {0};
    bool json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &f.year))
                return NB_EXIT_FAIL;
            break;
        case 'u': f.unit = optarg; break;
        case 'j': json = true; break;
        case 'a': f.all_versions = true; break;
        case 'h': fputs(LS_HELP, stdout); return NB_EXIT_OK;
        default: fputs(LS_HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind != argc) {
        nb_printf_term(stderr, "nianbao ls: 多余的参数 %s\n\n%s", argv[optind], LS_HELP);
        return NB_EXIT_FAIL;
    }
    nb_store *s = nb_cli_store_open("ls", db, false);
    if (!s)
        return NB_EXIT_FAIL;
    entries l = {0};
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_OK;
    if (!nb_store_list(s, &f, collect, &l, &err) || !mark_late(s, &l, &err)) {
        nb_printf_term(stderr, "nianbao ls: %s", err.data ? err.data : "\n");
        status = NB_EXIT_FAIL;
    } else if (json) {
        print_json(&l);
    } else {
        print_grid(&l);
    }
    nb_sb_free(&err);
    free_entries(&l);
    nb_store_close(s);
    return status;
}

static const char SHOW_HELP[] =
    "用法：nianbao show [--db FILE] UNIT YEAR [--to FORMAT] [-o OUT]\n"
    "\n"
    "从库中取出单位 UNIT 的 YEAR 年度报告，用任一输出插件写出（md, json, txt, csv,\n"
    "html, docx …；不给 --to 时按 OUT 的扩展名，都没有时为 md）。同一单位同一年度\n"
    "有多份报告时取最后导入的一份，并提示。\n";

int nb_cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"to", required_argument, 0, 't'},
                                         {"output", required_argument, 0, 'o'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *to = NULL, *out = NULL, *plugin_dir = NULL;
    int c, year;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(SHOW_HELP, stdout); return NB_EXIT_OK;
        default: fputs(SHOW_HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind != argc - 2) {
        nb_printf_term(stderr, "nianbao show: 请给出单位和年度，如 nianbao show 上高县商务局 2023\n\n%s", SHOW_HELP);
        return NB_EXIT_FAIL;
    }
    if (!nb_cli_year(argv[optind + 1], &year))
        return NB_EXIT_FAIL;
    const char *unit = argv[optind];
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    nb_store *s = nb_cli_store_open("show", db, false);
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    const nb_renderer *rd = s ? nb_renderer_choose(h, to, out, "md", &err) : NULL;
    size_t n = 0;
    int64_t id = rd ? nb_cli_store_find(s, unit, year, &n) : -1;
    if (id == 0)
        nb_printf_term(stderr, "nianbao show: 库中没有“%s”%d年度的报告（nianbao ls 列出库中的报告）\n", unit, year);
    if (id > 0) {
        if (n > 1)
            nb_printf_term(stderr, "nianbao show: “%s”%d年度有 %zu 份报告，取最后导入的一份\n", unit, year, n);
        nb_report *r = nb_store_load(s, id, nb_cli_store_format, h, &err);
        if (r && nb_render_report(h, rd, r, out, NULL, &err))
            status = NB_EXIT_OK;
        nb_report_free(r);
    }
    if (err.data)
        nb_printf_term(stderr, "nianbao show: %s", err.data);
    nb_sb_free(&err);
    nb_store_close(s);
    nb_host_free(h);
    return status;
}
