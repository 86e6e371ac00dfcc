/* nianbao roster import: the region's units (单位, 上级, 层级) into the
 * store; nianbao missing: who has not reported, who is not on the roster,
 * and which units have two reports for a year. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include "io/csv_reader.h"
#include "plugin/import.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ROSTER_HELP[] =
    "用法：nianbao roster import [--db FILE] ROSTER.csv\n"
    "      nianbao roster [--db FILE]\n"
    "\n"
    "导入本地区的单位名册：CSV 文件（UTF-8 或 GBK），首行为列名，须有“单位”“上级”\n"
    "“层级”三列（上级：所属地区或上级单位；层级：部门 / 乡镇 / 县政府 / 市政府 …）。\n"
    "导入时替换库中原有名册。不带 import 时列出库中名册。\n";

static int column_of(const nb_csv_row *head, const char *name)
{
    for (size_t i = 0; i < head->ncells; i++)
        if (strcmp(head->cells[i], name) == 0)
            return (int)i;
    return -1;
}

static int roster_import(nb_store *s, const char *path)
{
    nb_strbuf err;
    nb_sb_init(&err);
    size_t len;
    char *data = nb_read_file(path, &len, &err);
    if (!data) {
        nb_printf_term(stderr, "nianbao roster: %s", err.data);
        nb_sb_free(&err);
        return NB_EXIT_FAIL;
    }
    nb_csv_error cerr = {0};
    nb_csv *csv = nb_csv_read(data, len, &cerr);
    free(data);
    int status = NB_EXIT_FAIL;
    if (!csv) {
        nb_printf_term(stderr, "nianbao roster: %s:%u: %s\n", path, cerr.line, cerr.message);
    } else if (csv->nrows == 0) {
        nb_printf_term(stderr, "nianbao roster: %s：文件是空的\n", path);
    } else {
        int cu = column_of(&csv->rows[0], "单位"), cp = column_of(&csv->rows[0], "上级"),
            cl = column_of(&csv->rows[0], "层级");
        if (cu < 0 || cp < 0 || cl < 0) {
            nb_printf_term(stderr, "nianbao roster: %s:1: 首行应有“单位”“上级”“层级”三列\n", path);
        } else {
            nb_roster_row *rows = calloc(csv->nrows, sizeof *rows);
            size_t n = 0;
            for (size_t i = 1; rows && i < csv->nrows; i++) {
                const nb_csv_row *r = &csv->rows[i];
                if (!r->cells[cu][0])
                    continue; /* a blank line */
                rows[n++] = (nb_roster_row){r->cells[cu], r->cells[cp], r->cells[cl]};
            }
            if (rows && nb_store_roster_replace(s, rows, n, &err)) {
                printf("名册已导入：%zu 个单位\n", n);
                status = NB_EXIT_OK;
            } else if (err.data) {
                nb_printf_term(stderr, "nianbao roster: %s", err.data);
            }
            free(rows);
        }
        nb_csv_free(csv);
    }
    nb_sb_free(&err);
    return status;
}

static bool print_roster(void *ud, const nb_roster_row *r)
{
    (void)ud;
    printf("%s\t%s\t%s\n", r->unit, r->parent ? r->parent : "", r->level ? r->level : "");
    return true;
}

int nb_cmd_roster(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'h': fputs(ROSTER_HELP, stdout); return NB_EXIT_OK;
        default: fputs(ROSTER_HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    bool import = optind < argc && strcmp(argv[optind], "import") == 0;
    if ((import && optind + 2 != argc) || (!import && optind != argc)) {
        fputs(ROSTER_HELP, stderr);
        return NB_EXIT_FAIL;
    }
    nb_store *s = nb_cli_store_open("roster", db, import);
    if (!s)
        return NB_EXIT_FAIL;
    int status = NB_EXIT_OK;
    if (import) {
        status = roster_import(s, argv[optind + 1]);
    } else {
        nb_strbuf err;
        nb_sb_init(&err);
        printf("单位\t上级\t层级\n");
        if (!nb_store_roster_each(s, print_roster, NULL, &err)) {
            nb_printf_term(stderr, "nianbao roster: %s", err.data);
            status = NB_EXIT_FAIL;
        }
        nb_sb_free(&err);
    }
    nb_store_close(s);
    return status;
}

static const char MISSING_HELP[] =
    "用法：nianbao missing [--db FILE] --year Y\n"
    "\n"
    "对照名册（nianbao roster import）列出 Y 年度：名册上没有报告的单位、有报告但\n"
    "不在名册上的单位、同一单位有两份以上报告的。\n"
    "\n"
    "退出状态：0 都齐了，1 有缺报、名册外或重复，2 用法错误或数据库不可用。\n";

/* The roster's units and the store's units of a year, both sorted. */
typedef struct {
    char **v;
    int *n; /* reports per unit (store side) */
    size_t len, cap;
} names;

static void names_push(names *l, const char *s, int n)
{
    if (l->len == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 128;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        l->n = realloc(l->n, l->cap * sizeof *l->n);
        if (!l->v || !l->n)
            abort();
    }
    if (l->len && strcmp(l->v[l->len - 1], s) == 0) {
        l->n[l->len - 1] += n;
        return;
    }
    l->v[l->len] = strdup(s);
    l->n[l->len++] = n;
}

static bool roster_name(void *ud, const nb_roster_row *r)
{
    names_push(ud, r->unit, 1);
    return true;
}

static bool store_name(void *ud, const nb_store_entry *e)
{
    names_push(ud, e->unit, 1);
    return true;
}

static bool has(const names *l, const char *s)
{
    size_t lo = 0, hi = l->len;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(l->v[mid], s);
        if (c == 0)
            return true;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

int nb_cmd_missing(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"year", required_argument, 0, 'y'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL;
    int c, year = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &year))
                return NB_EXIT_FAIL;
            break;
        case 'h': fputs(MISSING_HELP, stdout); return NB_EXIT_OK;
        default: fputs(MISSING_HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (!year || optind != argc) {
        nb_printf_term(stderr, "nianbao missing: 请用 --year 给出年度\n\n%s", MISSING_HELP);
        return NB_EXIT_FAIL;
    }
    nb_store *s = nb_cli_store_open("missing", db, false);
    if (!s)
        return NB_EXIT_FAIL;
    names roster = {0}, stored = {0};
    nb_strbuf err;
    nb_sb_init(&err);
    nb_store_filter f = {.year = year};
    int status = NB_EXIT_FAIL;
    if (nb_store_roster_each(s, roster_name, &roster, &err) && nb_store_list(s, &f, store_name, &stored, &err)) {
        size_t nmiss = 0, nextra = 0, ndup = 0;
        if (!roster.len)
            printf("库中没有名册：先用 nianbao roster import 导入\n");
        for (size_t i = 0; i < roster.len; i++)
            if (!has(&stored, roster.v[i]))
                printf("缺报\t%s\n", roster.v[i]), nmiss++;
        for (size_t i = 0; roster.len && i < stored.len; i++)
            if (!has(&roster, stored.v[i]))
                printf("名册外\t%s\n", stored.v[i]), nextra++;
        for (size_t i = 0; i < stored.len; i++)
            if (stored.n[i] > 1)
                printf("重复\t%s\t%d 份\n", stored.v[i], stored.n[i]), ndup++;
        printf("%d年度：名册 %zu 个单位，已报 %zu 个单位；缺报 %zu 个，名册外 %zu 个，重复 %zu 个\n", year,
               roster.len, stored.len, nmiss, nextra, ndup);
        status = nmiss || nextra || ndup ? NB_EXIT_FINDINGS : NB_EXIT_OK;
    } else {
        nb_printf_term(stderr, "nianbao missing: %s", err.data);
    }
    for (size_t i = 0; i < roster.len; i++)
        free(roster.v[i]);
    for (size_t i = 0; i < stored.len; i++)
        free(stored.v[i]);
    free(roster.v), free(roster.n), free(stored.v), free(stored.n);
    nb_sb_free(&err);
    nb_store_close(s);
    return status;
}
