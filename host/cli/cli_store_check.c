/* nianbao check --db: every stored report (current versions), each paired
 * with its own unit's report of the year before (the XY-* rules need no
 * --prev); cells come from the store, nothing is imported again.  Reports
 * are walked by unit and year, so at most a unit's two years are in memory. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include "io/findings_out.h"
#include "lua/lua_rule.h"
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao check --db FILE [--year Y] [--unit U] [--json] [-q]\n"
    "\n"
    "检查库中的每份报告（各来源的最新版本），每份自动与本单位上一年度的报告比对\n"
    "（跨年度规则 XY-* 不需 --prev；同一单位上一年度有多份时取最后导入的一份）。\n"
    "单元格从库中读出，不重新导入。输出与 nianbao check 相同。\n"
    "\n"
    "退出状态：0 无错误，1 有错误级问题，2 数据库不可用或用法错误。\n";

/* A report's place in the walk, copied out of the listing. */
typedef struct {
    int64_t id;
    char *unit;
    int year;
} ref;

typedef struct {
    ref *v;
    size_t n, cap;
    int year; /* 0 = all */
    const char *unit;
} refs;

static bool collect(void *ud, const nb_store_entry *e)
{
    refs *l = ud;
    if (l->year && e->year != l->year && e->year != l->year - 1)
        return true;
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 1024;
        l->v = realloc(l->v, l->cap * sizeof *l->v);
        if (!l->v)
            abort();
    }
    l->v[l->n++] = (ref){e->id, strdup(e->unit), e->year};
    return true;
}

typedef struct {
    nb_host *h;
    nb_store *s;
    bool json, quiet;
    size_t totals[3], nreports, npaired;
    cJSON *jreports;
    char **parents; /* the roster's parents, sorted: the regions (AGG-SUM) */
    size_t nparents, capparents;
    char **levels; /* "unit\0level" of the roster, sorted by unit (DATE-DL) */
    size_t nlevels, caplevels;
} run;

static bool add_parent(void *ud, const nb_roster_row *row)
{
    run *st = ud;
    if (row->level && *row->level) {
        if (st->nlevels == st->caplevels) {
            st->caplevels = st->caplevels ? st->caplevels * 2 : 64;
            st->levels = realloc(st->levels, st->caplevels * sizeof *st->levels);
            if (!st->levels)
                abort();
        }
        size_t a = strlen(row->unit), b = strlen(row->level);
        char *p = malloc(a + b + 2);
        if (!p)
            abort();
        memcpy(p, row->unit, a + 1);
        memcpy(p + a + 1, row->level, b + 1);
        st->levels[st->nlevels++] = p;
    }
    if (!row->parent || !*row->parent)
        return true;
    if (st->nparents == st->capparents) {
        st->capparents = st->capparents ? st->capparents * 2 : 64;
        st->parents = realloc(st->parents, st->capparents * sizeof *st->parents);
        if (!st->parents)
            abort();
    }
    st->parents[st->nparents++] = strdup(row->parent);
    return true;
}

static int by_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static const char *level_of(const run *st, const char *unit)
{
    char **p = st->nlevels ? bsearch(&unit, st->levels, st->nlevels, sizeof *st->levels, by_str) : NULL;
    return p ? *p + strlen(*p) + 1 : NULL;
}

static bool is_region(const run *st, const char *unit)
{
    return st->nparents && bsearch(&unit, st->parents, st->nparents, sizeof *st->parents, by_str);
}

static void report_findings(run *st, const nb_report *r, const nb_report *prev)
{
    nb_findings fs;
    nb_findings_init(&fs);
    nb_cli_validate(st->h, r, prev, &fs);
    nb_strbuf err;
    nb_sb_init(&err);
    if (r->agency && is_region(st, r->agency) && !nb_cli_agg_check(st->h, st->s, r, &fs, &err))
        nb_printf_term(stderr, "nianbao check: %s", err.data ? err.data : "\n");
    nb_sb_free(&err);
    char msg[512];
    if (r->agency && nb_cli_date_late(r, level_of(st, r->agency), msg, sizeof msg)) {
        nb_rule rule = {.id = "DATE-DL", .severity = NB_SEV_WARNING};
        nb_findings_add(&fs, &rule, msg);
    }
    st->nreports++;
    st->npaired += prev != NULL;
    for (int s = 0; s < 3; s++)
        st->totals[s] += nb_findings_count(&fs, (nb_severity)s);
    if (st->json)
        cJSON_AddItemToArray(st->jreports, nb_findings_json(r->source, r, &fs));
    else if (!st->quiet)
        nb_findings_print(stdout, r->source, &fs);
    nb_findings_free(&fs);
}

/* Frees r and drops its Lua table shared over the walk. */
static void drop(run *st, nb_report *r)
{
    if (r)
        nb_lua_rule_unshare(st->h, r);
    nb_report_free(r);
}

/* Walks the listing group by group (one unit, one year); false on a store
 * error.  A report's Lua table is built once: the Lua rules get it again as
 * the next year's prev (nb_lua_rule_share). */
static bool walk(run *st, const refs *l, nb_strbuf *err)
{
    nb_report *last = NULL; /* the newest report of the group before */
    const char *last_unit = NULL;
    int last_year = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < l->n;) {
        size_t end = i;
        while (end < l->n && l->v[end].year == l->v[i].year && strcmp(l->v[end].unit, l->v[i].unit) == 0)
            end++;
        const nb_report *prev =
            last && last_year == l->v[i].year - 1 && strcmp(last_unit, l->v[i].unit) == 0 ? last : NULL;
        bool checked = !l->year || l->v[i].year == l->year;
        nb_report *newest = NULL;
        for (size_t k = i; k < end; k++) {
            nb_report *r = nb_store_load(st->s, l->v[k].id, nb_cli_store_format, st->h, err);
            if (!r) {
                ok = false;
                break;
            }
            if (checked)
                report_findings(st, r, prev);
            drop(st, newest);
            newest = r; /* the listing is in the order added */
        }
        drop(st, last);
        last = newest;
        last_unit = l->v[i].unit;
        last_year = l->v[i].year;
        i = end;
    }
    drop(st, last);
    return ok;
}

int nb_cmd_check_store(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"year", required_argument, 0, 'y'},
                                         {"unit", required_argument, 0, 'u'}, {"json", no_argument, 0, 'j'},
                                         {"quiet", no_argument, 0, 'q'}, {"plugin-dir", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
    const char *db = NULL, *plugin_dir = NULL;
    refs l = {0};
    run st = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &l.year))
                return NB_EXIT_FAIL;
            break;
        case 'u': l.unit = optarg; break;
        case 'j': st.json = true; break;
        case 'q': st.quiet = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind != argc) {
        nb_printf_term(stderr, "nianbao check: 与 --db 同用时不能再给文件（%s）\n\n%s", argv[optind], HELP);
        return NB_EXIT_FAIL;
    }
    st.h = nb_cli_open_host(plugin_dir);
    if (!st.h)
        return NB_EXIT_FAIL;
    st.s = nb_cli_store_open("check", db, false);
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    nb_store_filter f = {.unit = l.unit};
    if (st.s && nb_store_snapshot(st.s, true, &err) && nb_store_roster_each(st.s, add_parent, &st, &err) &&
        nb_store_list(st.s, &f, collect, &l, &err)) {
        if (st.nparents)
            qsort(st.parents, st.nparents, sizeof *st.parents, by_str);
        if (st.nlevels)
            qsort(st.levels, st.nlevels, sizeof *st.levels, by_str);
        st.jreports = st.json ? cJSON_CreateArray() : NULL;
        nb_lua_rule_share(st.h, true);
        bool walked = walk(&st, &l, &err);
        nb_lua_rule_share(st.h, false);
        if (walked) {
            status = st.totals[NB_SEV_ERROR] ? NB_EXIT_FINDINGS : NB_EXIT_OK;
            if (st.json) {
                cJSON *root = cJSON_CreateObject();
                cJSON_AddItemToObject(root, "reports", st.jreports);
                st.jreports = NULL;
                cJSON *sum = cJSON_AddObjectToObject(root, "summary");
                cJSON_AddNumberToObject(sum, "files", (double)st.nreports);
                cJSON_AddNumberToObject(sum, "paired", (double)st.npaired);
                cJSON_AddNumberToObject(sum, "unreadable", 0);
                cJSON_AddNumberToObject(sum, "error", (double)st.totals[NB_SEV_ERROR]);
                cJSON_AddNumberToObject(sum, "warning", (double)st.totals[NB_SEV_WARNING]);
                cJSON_AddNumberToObject(sum, "info", (double)st.totals[NB_SEV_INFO]);
                char *out = cJSON_Print(root);
                puts(out);
                cJSON_free(out);
                cJSON_Delete(root);
            } else {
                printf("其中 %zu 个报告与本单位上一年度的报告比对\n", st.npaired);
                printf("%zu 个报告：%zu 个错误，%zu 个警告，%zu 个提示 (%zu errors, %zu warnings, %zu info)\n",
                       st.nreports, st.totals[NB_SEV_ERROR], st.totals[NB_SEV_WARNING], st.totals[NB_SEV_INFO],
                       st.totals[NB_SEV_ERROR], st.totals[NB_SEV_WARNING], st.totals[NB_SEV_INFO]);
            }
        }
        cJSON_Delete(st.jreports);
    }
    if (err.data)
        nb_printf_term(stderr, "nianbao check: %s", err.data);
    for (size_t i = 0; i < l.n; i++)
        free(l.v[i].unit);
    free(l.v);
    for (size_t i = 0; i < st.nparents; i++)
        free(st.parents[i]);
    free(st.parents);
    for (size_t i = 0; i < st.nlevels; i++)
        free(st.levels[i]);
    free(st.levels);
    nb_sb_free(&err);
    nb_store_close(st.s);
    nb_host_free(st.h);
    return status;
}
