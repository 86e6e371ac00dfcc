/* nianbao check: import each file, run the rules, print findings. */
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "cli/prev_identity.h"
#include "cli/accept_list.h"
#include "cli/check_json.h"
#include "cli/check_result.h"
#include "cli/check_workers.h"
#include "cli/cli_usage.h"
#include "base/xalloc.h"
#include "io/findings_out.h"
#include "io/term_text.h"
#include "plugin/import.h"
#include "plugin/plugin_lazy.h"
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao check [选项] FILE...\n"
    "\n"
    "按报告所属格式的规则（勾稽关系、空格、标题顺序、文字规则）检查每份报告，\n"
    "每个问题一行，最后一行是汇总。FILE 为 - 时读标准输入。\n"
    "\n"
    "选项：\n"
    "  --format ID       把每个文件都按格式 ID 读（默认按报告年度选格式）\n"
    "  --via IMPORTER    用导入插件 IMPORTER 读每个文件（默认按扩展名和内容选）\n"
    "  --year YEAR       报告年度，用于不写年度的来源（依申请登记台账：按 YEAR\n"
    "                    年计算表三）\n"
    "  --prev FILE       上年的报告，用于跨年度规则\n"
    "  --agency NAME     单位名称，用于没有写单位的来源（统计表、登记台账）\n"
    "  --json            以 JSON 输出检查结果\n"
    "  -j, --jobs N      用 N 个进程同时检查（默认为处理器核数；-j 1 逐个检查），\n"
    "                    输出与逐个检查相同，按文件给出的顺序\n"
    "  --accept FILE     FILE 中列出的问题已被接受：照常列出并注明“已接受”，不算错误；\n"
    "                    清单中不再出现的条目给出警告（格式见 docs/accept.md）\n"
    "  --baseline FILE   只列出 FILE（上次 check --json 的输出或同样格式的清单）中\n"
    "                    没有的新问题\n"
    "  -q, --quiet       只输出汇总行\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n"
    "  --files-from LIST 另检查 LIST 中列出的文件，每行一个路径（- 为标准输入），\n"
    "                    用于命令行放不下的大批文件\n"
    "\n"
    "退出状态：0 没有错误级问题；1 有错误级问题；2 有文件无法读取或导入、用法不对、\n"
    "或插件出错。\n";

nb_host *nb_cli_open_host_lazy(const char *plugin_dir, int lazy, const char *via)
{
    nb_strbuf err;
    nb_sb_init(&err);
    nb_host *h = nb_host_open_lazy(plugin_dir, lazy, &err);
    if (!h) {
        fprintf(stderr, "nianbao: %s", err.data ? err.data : "无法加载插件\n");
    } else if (via && !nb_lazy_importers_for(h, "", "", 0, via, &err)) { /* --via names any importer */
        nb_fputs_term(err.data, stderr);
        nb_host_free(h);
        h = NULL;
    }
    nb_sb_free(&err);
    return h;
}

nb_host *nb_cli_open_host(const char *plugin_dir)
{
    return nb_cli_open_host_lazy(plugin_dir, 0, NULL);
}

bool nb_cli_year(const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || y < 1990 || y > 2100) {
        fprintf(stderr, "nianbao: --year %s：年度应为四位数的年份，如 --year 2023\n", s);
        return false;
    }
    *year = (int)y;
    return true;
}

/* What one check run accumulates over its files. */
typedef struct {
    nb_host *h;
    const nb_import_opts *io;
    const nb_report *prev;
    const char *prev_path;
    bool prev_any;
    bool json, quiet;
    int status;
    size_t totals[4], nfiles, nfailed, nwith_errors;
    nb_check_json *js; /* --json: streamed */
    nb_accept *acc; /* --accept, --baseline */
    nb_file_iter it; /* the files */
} run_state;

static void out_of_memory(void)
{
    fputs("nianbao: 内存不足\n", stderr);
    exit(NB_EXIT_FAIL);
}

/* Imports and checks one file into res (in a worker under check -j). */
static void check_one(run_state *st, const char *path, int tag, nb_check_result *res)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    if (tag == NB_FILE_STDIN_IN_STDIN_LIST) {
        res->kind = NB_CR_SKIPPED;
        res->err = nb_xstrdup("nianbao check: --files-from -：清单本身来自标准输入，清单中不能再有 -\n");
        return;
    }
    nb_strbuf err;
    nb_sb_init(&err);
    nb_report *r = nb_import_file(st->h, path, st->io, &err);
    /* what goes to standard error: a stream only where something may (a
     * stream a file was a measurable part of checking a small report) */
    size_t nerr = 0;
    bool may_say = !r || (st->prev && !st->prev_any);
    FILE *ef = may_say ? open_memstream(&res->err, &nerr) : NULL;
    if (may_say && !ef)
        out_of_memory();
    res->kind = NB_CR_UNREADABLE;
    if (!r) {
        nb_fputs_term(err.data ? err.data : "导入失败\n", ef);
        res->reason = nb_xstrdup(err.data ? err.data : "导入失败");
    } else if (st->prev && !st->prev_any && !nb_prev_fits(r, name, st->prev, st->prev_path, ef)) {
        /* another unit's or year's report: its findings would mislead */
        res->reason = nb_xstrdup("--prev 给出的上年报告与本报告的单位或年度不符");
    } else {
        res->kind = NB_CR_REPORT;
        res->format_id = nb_xstrdup(r->format->id);
        res->agency = r->agency ? nb_xstrdup(r->agency) : NULL;
        res->year = r->year;
        nb_cli_validate(st->h, r, st->prev, &res->fs);
    }
    nb_sb_free(&err);
    if (ef && fclose(ef) != 0)
        out_of_memory();
    if (ef && !nerr) {
        free(res->err);
        res->err = NULL;
    }
    /* the findings' labels point into the format, which the host keeps */
    nb_report_free(r);
}

/* Takes one file's result, in input order: accepted findings, the baseline,
 * the tallies and the output. */
static void take_one(run_state *st, const char *path, nb_check_result *res)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    if (res->err)
        fputs(res->err, stderr);
    if (res->kind != NB_CR_SKIPPED)
        st->nfiles++;
    if (res->kind != NB_CR_REPORT) {
        if (st->js && res->reason)
            nb_check_json_unreadable(st->js, name, res->reason);
        st->nfailed++;
        st->status = NB_EXIT_FAIL;
        return;
    }
    /* the report as far as accepting and --json read it */
    nb_format fmt = {.id = res->format_id};
    nb_report r = {.format = &fmt, .agency = res->agency, .year = res->year};
    nb_findings *fs = &res->fs;
    nb_accept_apply(st->acc, &r, fs);
    for (int s = 0; s < 4; s++)
        st->totals[s] += nb_findings_count(fs, (nb_severity)s);
    st->nwith_errors += nb_findings_count(fs, NB_SEV_ERROR) > 0;
    if (nb_findings_count(fs, NB_SEV_ERROR) && st->status == NB_EXIT_OK)
        st->status = NB_EXIT_FINDINGS;
    if (st->json)
        nb_check_json_report(st->js, nb_findings_json(name, &r, fs));
    else if (!st->quiet)
        nb_findings_print(stdout, name, fs);
}

/* check -j N (check_workers.c): check_one in worker processes, take_one here. */
static const char *pool_next(void *ud, int *tag)
{
    return nb_file_iter_next(&((run_state *)ud)->it, tag);
}

static void pool_one(void *ud, const char *path, int tag, FILE *out)
{
    nb_check_result res;
    nb_check_result_init(&res);
    check_one(ud, path, tag, &res);
    nb_strbuf b;
    nb_sb_init(&b);
    nb_check_result_put(&b, &res);
    fwrite(b.data, 1, b.len, out); /* whole: an fwrite a field cost more than the rest */
    nb_sb_free(&b);
    nb_check_result_free(&res);
}

static void pool_take(void *ud, const char *path, const char *bytes, size_t n)
{
    nb_check_result res;
    if (!bytes || !nb_check_result_read(&res, bytes, n)) {
        nb_check_result_init(&res);
        res.kind = NB_CR_UNREADABLE;
        res.reason = nb_xstrdup("检查它的进程意外退出，未能检查");
        size_t len = strlen(path) + strlen(res.reason) + 32;
        res.err = nb_xmalloc(len);
        snprintf(res.err, len, "nianbao check: %s：%s\n", path, res.reason);
    }
    take_one(ud, path, &res);
    nb_check_result_free(&res);
}
/* in the parent before the workers fork: the libraries the first file's
 * importer declares, loaded once for them all */
static void pool_before_fork(void *ud, const char *first)
{
    run_state *st = ud;
    if (first)
        nb_lazy_open_libraries_for(st->h, first);
}

/* in a worker, before it exits: what the parent set up is freed there too */
static void pool_worker_done(void *ud)
{
    run_state *st = ud;
    free(st->it.line);
    nb_check_json_discard(st->js);
    nb_accept_free(st->acc);
    nb_report_free((nb_report *)st->prev);
    nb_host_free(st->h);
}

/* Checks the command line's files, then those of the --files-from list (read
 * as it goes, so a list of any length takes no more memory than a few names):
 * in worker processes (one for -j 1) when there is more than one file, so
 * that a file whose plugin cannot be stopped (runaway C code past the time
 * limit ends the process) stops only that file. */
static void run_files(run_state *st, int jobs, int nargs, char **args, const char *files_from)
{
    nb_file_iter_init(&st->it, nargs, args, files_from);
    if (nargs > 1 || files_from) {
        nb_check_pool pool = {.next = pool_next, .one = pool_one, .take = pool_take, .worker_done = pool_worker_done,
                              .before_fork = pool_before_fork, .ud = st};
        nb_check_workers_run(jobs, &pool);
    } else {
        const char *path;
        int tag;
        while ((path = nb_file_iter_next(&st->it, &tag))) {
            nb_check_result res;
            nb_check_result_init(&res);
            check_one(st, path, tag, &res);
            take_one(st, path, &res);
            nb_check_result_free(&res);
        }
    }
    if (!nb_file_iter_finish(&st->it))
        st->status = NB_EXIT_FAIL;
}

int nb_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'}, {"via", required_argument, 0, 'v'},
                                         {"year", required_argument, 0, 'y'},   {"agency", required_argument, 0, 'a'},
                                         {"prev", required_argument, 0, 'p'},   {"json", no_argument, 0, 'J'},
                                         {"quiet", no_argument, 0, 'q'},        {"plugin-dir", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},         {"files-from", required_argument, 0, 'l'},
                                         {"prev-any", no_argument, 0, 'P'},
                                         {"accept", required_argument, 0, 'A'}, {"baseline", required_argument, 0, 'B'},
                                         {"jobs", required_argument, 0, 'j'},   {0, 0, 0, 0}};
    if (nb_cli_wants_store(argc, argv))
        return nb_cmd_check_store(argc, argv); /* check --db: the stored reports */
    nb_import_opts io = {0};
    const char *prev_path = NULL, *plugin_dir = NULL, *files_from = NULL, *accept_path = NULL, *baseline_path = NULL;
    bool json = false, quiet = false, prev_any = false;
    int c, jobs = nb_check_default_jobs();
    nb_cli_getopt_reset();
    while ((c = getopt_long(argc, argv, NB_OPTSTRING("qhj:"), opts, NULL)) != -1) {
        switch (c) {
        case 'f': io.format_id = optarg; break;
        case 'v': io.via = optarg; break;
        case 'a': io.agency = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &io.year))
                return NB_EXIT_FAIL;
            break;
        case 'p': prev_path = optarg; break;
        case 'P': prev_any = true; break;
        case 'A': accept_path = optarg; break;
        case 'B': baseline_path = optarg; break;
        case 'J': json = true; break;
        case 'j':
            if (!nb_check_jobs_arg("check", optarg, &jobs))
                return NB_EXIT_FAIL;
            break;
        case 'q': quiet = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'l': files_from = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option(argv[0], argv, c, HELP);
        }
    }
    if (optind >= argc && !files_from) {
        fprintf(stderr, "nianbao check: 没有给出要检查的文件\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    for (int i = optind; files_from && strcmp(files_from, "-") == 0 && i < argc; i++)
        if (strcmp(argv[i], "-") == 0) {
            return nb_cli_usage_error(argv[0], "--files-from - 和文件 - 不能同时读标准输入");
        }
    nb_host *h = nb_cli_open_host_lazy(plugin_dir, NB_LAZY_IMPORTERS | NB_LAZY_RENDERERS | NB_LATE_RULES, io.via);
    if (!h)
        return NB_EXIT_FAIL;
    nb_strbuf err;
    nb_sb_init(&err);
    if (!nb_cli_known_names(h, argv[0], io.format_id, io.via, NULL)) {
        nb_sb_free(&err);
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_report *prev = NULL;
    if (prev_path) {
        /* last year's report; a register needs the year it is read for */
        nb_import_opts po = {.via = io.via, .year = io.year ? io.year - 1 : 0};
        prev = nb_import_file(h, prev_path, &po, &err);
        if (!prev) {
            nb_fputs_term(err.data, stderr);
            nb_sb_free(&err);
            nb_host_free(h);
            return NB_EXIT_FAIL;
        }
    }
    nb_accept *acc = NULL;
    if (!nb_accept_open(accept_path, baseline_path, &acc)) {
        nb_sb_free(&err);
        nb_report_free(prev);
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    run_state st = {.acc = acc, .h = h, .io = &io, .prev = prev, .prev_path = prev_path, .prev_any = prev_any, .json = json,
                    .quiet = quiet, .status = NB_EXIT_OK};
    st.js = json ? nb_check_json_begin(stdout) : NULL;
    run_files(&st, jobs, argc - optind, argv + optind, files_from);
    nb_accept_warn_stale(acc, stderr);
    size_t *totals = st.totals, nfiles = st.nfiles, nfailed = st.nfailed;
    int status = st.status;
    if (json) {
        cJSON *sum = cJSON_CreateObject();
        cJSON_AddNumberToObject(sum, "files", (double)nfiles);
        cJSON_AddNumberToObject(sum, "unreadable", (double)nfailed);
        cJSON_AddNumberToObject(sum, "error", (double)totals[NB_SEV_ERROR]);
        cJSON_AddNumberToObject(sum, "warning", (double)totals[NB_SEV_WARNING]);
        cJSON_AddNumberToObject(sum, "info", (double)totals[NB_SEV_INFO]);
        cJSON_AddNumberToObject(sum, "verify", (double)totals[NB_SEV_VERIFY]);
        cJSON_AddNumberToObject(sum, "with_errors", (double)st.nwith_errors);
        nb_accept_json(acc, sum);
        nb_check_json_end(st.js, sum);
    } else {
        printf("%zu 个报告：%zu 个错误，%zu 个警告，%zu 个提示", nfiles, totals[NB_SEV_ERROR],
               totals[NB_SEV_WARNING], totals[NB_SEV_INFO]);
        if (totals[NB_SEV_VERIFY])
            printf("，%zu 个需核实", totals[NB_SEV_VERIFY]);
        if (nfailed)
            printf("，%zu 个无法读取", nfailed);
        nb_accept_summary(acc, stdout);
        /* the answer to "which reports need work" */
        printf("；读出的 %zu 个报告中 %zu 个有错误\n", nfiles - nfailed, st.nwith_errors);
    }
    nb_sb_free(&err);
    nb_report_free(prev);
    nb_accept_free(acc);
    nb_cli_leave_host(h); /* its outputs are all written: the exit takes it back */
    return status;
}
