/* nianbao check --db: every stored report (current versions), each paired
 * with its own unit's report of the year before (the XY-* rules need no
 * --prev); cells come from the store, nothing is imported again.  Reports
 * are walked by unit and year, so at most a unit's two years are in memory.
 * With -j N the units are checked in N worker processes (check_workers.c),
 * each reading the store on its own connection; the parent prints their
 * findings in the listing's order, so the output is the same. */
#include "cli/cli_store.h"
#include "cli/check_result.h"
#include "cli/check_workers.h"
#include "base/byte_cursor.h"
#include "base/xalloc.h"
#include "io/term_text.h"
#include "io/findings_out.h"
#include "lua/lua_rule.h"
#include <cjson/cJSON.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao check --db FILE [--year Y] [--unit U] [--json] [-q] [-j N]\n"
    "\n"
    "检查库中的每份报告（各来源的最新版本），每份自动与本单位上一年度的报告比对\n"
    "（跨年度规则 XY-* 不需 --prev；同一单位上一年度有多份时取最后导入的一份）。\n"
    "单元格从库中读出，不重新导入。输出与 nianbao check 相同。\n"
    "\n"
    "  -j, --jobs N      用 N 个进程同时检查（默认为处理器核数；-j 1 在本进程中逐个检查）；\n"
    "                    各进程各自读库，输出顺序不变\n"
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
    nb_store *s; /* NULL in the parent while workers check (each opens its own) */
    const char *db;
    bool json, quiet, failed;
    size_t totals[3], nreports, npaired;
    cJSON *jreports;
    char **parents; /* the roster's parents, sorted: the regions (AGG-SUM) */
    size_t nparents, capparents;
    char **levels; /* "unit\0level" of the roster, sorted by unit (DATE-DL) */
    size_t nlevels, caplevels;
    const refs *l;  /* the listing (the workers' copy is the parent's, from fork) */
    size_t next;    /* -j: the listing's next unit to hand out */
    char job[32];   /* -j: the job handed out, the index of a unit's first report */
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

/* One report's findings, in the parent, in the listing's order: counted
 * and printed. */
static void take_report(run *st, const char *source, const nb_report *r, bool paired, const nb_findings *fs)
{
    st->nreports++;
    st->npaired += paired;
    for (int s = 0; s < 3; s++)
        st->totals[s] += nb_findings_count(fs, (nb_severity)s);
    if (st->json)
        cJSON_AddItemToArray(st->jreports, nb_findings_json(source, r, fs));
    else if (!st->quiet)
        nb_findings_print(stdout, source, fs);
}

/* A worker's record of one report: the source, u8 paired and the report
 * as check_result.c writes it (format, agency, year, findings), as
 * base/byte_cursor.h writes them; a store error is the record of an
 * unreadable one. */
static void put_record(FILE *out, const char *source, bool paired, const nb_check_result *res)
{
    nb_strbuf b, r;
    nb_sb_init(&b);
    nb_sb_init(&r);
    nb_check_result_put(&r, res);
    nb_put_str(&b, source);
    nb_put_u8(&b, paired);
    nb_put_mem(&b, r.data ? r.data : "", r.len);
    fwrite(b.data, 1, b.len, out);
    nb_sb_free(&r);
    nb_sb_free(&b);
}

/* Checks r (paired with prev, or NULL): printed here, or sent from a worker
 * as a record to out. */
static void report_findings(run *st, const nb_report *r, const nb_report *prev, FILE *out)
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
    if (!out) {
        take_report(st, r->source, r, prev != NULL, &fs);
        nb_findings_free(&fs);
        return;
    }
    nb_check_result res;
    nb_check_result_init(&res);
    res.kind = NB_CR_REPORT;
    res.format_id = nb_xstrdup(r->format->id);
    res.agency = r->agency ? nb_xstrdup(r->agency) : NULL;
    res.year = r->year;
    res.fs = fs; /* res owns the findings now */
    put_record(out, r->source ? r->source : "", prev != NULL, &res);
    nb_check_result_free(&res);
}

/* Frees r and drops its Lua table shared over the walk. */
static void drop(run *st, nb_report *r)
{
    if (r)
        nb_lua_rule_unshare(st->h, r);
    nb_report_free(r);
}

/* Walks the listing's reports from..to group by group (one unit, one year);
 * false on a store error.  A report's Lua table is built once: the Lua rules
 * get it again as the next year's prev (nb_lua_rule_share).  The findings
 * are printed, or sent to out from a worker. */
static bool walk(run *st, size_t from, size_t to, FILE *out, nb_strbuf *err)
{
    const refs *l = st->l;
    nb_report *last = NULL; /* the newest report of the group before */
    const char *last_unit = NULL;
    int last_year = 0;
    bool ok = true;
    for (size_t i = from; ok && i < to;) {
        size_t end = i;
        while (end < to && l->v[end].year == l->v[i].year && strcmp(l->v[end].unit, l->v[i].unit) == 0)
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
                report_findings(st, r, prev, out);
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

/* The end of the unit whose reports begin at i in the listing. */
static size_t unit_end(const refs *l, size_t i)
{
    size_t end = i;
    while (end < l->n && strcmp(l->v[end].unit, l->v[i].unit) == 0)
        end++;
    return end;
}

/* check --db -j N (check_workers.c): a job is a unit, handed out by the
 * index of its first report; a worker opens the store on first use. */
static const char *pool_next(void *ud, int *tag)
{
    run *st = ud;
    *tag = 0;
    if (st->failed || st->next >= st->l->n)
        return NULL;
    snprintf(st->job, sizeof st->job, "%zu", st->next);
    st->next = unit_end(st->l, st->next);
    return st->job;
}

static void pool_one(void *ud, const char *job, int tag, FILE *out)
{
    (void)tag;
    run *st = ud;
    size_t from = (size_t)strtoull(job, NULL, 10);
    nb_strbuf err;
    nb_sb_init(&err);
    if (!st->s) {
        nb_strbuf why;
        nb_sb_init(&why);
        if (!(st->s = nb_store_open(nb_store_location(st->db), false, &why)))
            nb_sb_printf(&err, "%s", why.data ? why.data : "\n");
        nb_sb_free(&why);
    }
    /* one snapshot for the unit: its reports and a region's units' sums */
    bool ok = st->s && nb_store_snapshot(st->s, true, &err) && walk(st, from, unit_end(st->l, from), out, &err);
    if (st->s)
        nb_store_snapshot(st->s, false, &err);
    if (!ok) {
        nb_check_result res;
        nb_check_result_init(&res);
        res.kind = NB_CR_UNREADABLE;
        res.err = nb_xstrdup(err.data ? err.data : "数据库出错\n");
        put_record(out, "", false, &res);
        nb_check_result_free(&res);
    }
    nb_sb_free(&err);
}

static void pool_take(void *ud, const char *job, const char *bytes, size_t n)
{
    (void)job;
    run *st = ud;
    if (st->failed)
        return; /* as in one process: nothing after the first failure */
    if (!bytes) {
        nb_printf_term(stderr, "nianbao check: 检查它的进程意外退出，库中报告未能全部检查\n");
        st->failed = true;
        return;
    }
    nb_byte_cursor in = nb_byte_cursor_of(bytes, n);
    while (in.p < in.end) {
        size_t nr;
        nb_check_result res;
        char *source = nb_take_strdup(&in);
        bool paired = nb_take_u8(&in) != 0;
        const char *rb = nb_take_str(&in, &nr);
        if (!source || !rb || !nb_check_result_read(&res, rb, nr))
            abort(); /* written by this binary's worker: never cut */
        if (res.kind == NB_CR_REPORT) {
            nb_format fmt = {.id = res.format_id};
            nb_report r = {.format = &fmt, .agency = res.agency, .year = res.year};
            take_report(st, source, &r, paired, &res.fs);
        } else {
            nb_printf_term(stderr, "nianbao check: %s", res.err);
            st->failed = true;
        }
        free(source);
        nb_check_result_free(&res);
    }
}

static void free_lists(run *st)
{
    for (size_t i = 0; i < st->nparents; i++)
        free(st->parents[i]);
    free(st->parents);
    for (size_t i = 0; i < st->nlevels; i++)
        free(st->levels[i]);
    free(st->levels);
}

static void free_refs(refs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i].unit);
    free(l->v);
}

/* in a worker, before it exits: what the parent set up is freed there too */
static void pool_worker_done(void *ud)
{
    run *st = ud;
    cJSON_Delete(st->jreports);
    free_lists(st);
    free_refs((refs *)st->l);
    nb_store_close(st->s);
    nb_host_free(st->h);
}

int nb_cmd_check_store(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'},      {"year", required_argument, 0, 'y'},
                                         {"unit", required_argument, 0, 'u'},    {"json", no_argument, 0, 'J'},
                                         {"quiet", no_argument, 0, 'q'},         {"plugin-dir", required_argument, 0, 'd'},
                                         {"jobs", required_argument, 0, 'j'},    {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *plugin_dir = NULL;
    refs l = {0};
    run st = {.l = &l};
    int c, jobs = nb_check_default_jobs();
    optind = 1;
    while ((c = getopt_long(argc, argv, "qhj:", opts, NULL)) != -1) {
        switch (c) {
        case 'b': st.db = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &l.year))
                return NB_EXIT_FAIL;
            break;
        case 'u': l.unit = optarg; break;
        case 'J': st.json = true; break;
        case 'q': st.quiet = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'j':
            if (!nb_check_jobs_arg("check", optarg, &jobs))
                return NB_EXIT_FAIL;
            break;
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
    st.s = nb_cli_store_open("check", st.db, false);
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
        bool walked;
        if (jobs > 1) {
            /* the workers open their own connections: none is carried over
             * a fork, and the listing is in hand */
            nb_store_close(st.s);
            st.s = NULL;
            nb_check_pool pool = {.next = pool_next, .one = pool_one, .take = pool_take,
                                  .worker_done = pool_worker_done, .ud = &st};
            nb_check_workers_run(jobs, &pool);
            walked = !st.failed;
        } else {
            walked = walk(&st, 0, l.n, NULL, &err);
        }
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
    free_refs(&l);
    free_lists(&st);
    nb_sb_free(&err);
    nb_store_close(st.s);
    nb_host_free(st.h);
    return status;
}
