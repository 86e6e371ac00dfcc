/* nianbao check: import each file, run the rules, print findings. */
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "cli/prev_identity.h"
#include "cli/cli_usage.h"
#include "cli/check_workers.h"
#include "base/errno_zh.h"
#include "io/findings_out.h"
#include "io/term_text.h"
#include "plugin/import.h"
#include "lua/lua_rule.h"
#include "rules/validator.h"
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
    "  -q, --quiet       只输出汇总行\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n"
    "  --files-from LIST 另检查 LIST 中列出的文件，每行一个路径（- 为标准输入），\n"
    "                    用于命令行放不下的大批文件\n"
    "\n"
    "退出状态：0 没有错误级问题；1 有错误级问题；2 有文件无法读取或导入、用法不对、\n"
    "或插件出错。\n";

nb_host *nb_cli_open_host(const char *plugin_dir)
{
    nb_strbuf err;
    nb_sb_init(&err);
    nb_host *h = nb_host_open(plugin_dir, &err);
    if (!h)
        fprintf(stderr, "nianbao: %s", err.data ? err.data : "无法加载插件\n");
    nb_sb_free(&err);
    return h;
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
    size_t totals[3], nfiles, nfailed, nwith_errors;
    cJSON *jreports;
    FILE *out, *err; /* stdout and stderr, or a worker's buffers (check -j) */
} run_state;

static void check_one(run_state *st, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    nb_strbuf err;
    nb_sb_init(&err);
    nb_report *r = nb_import_file(st->h, path, st->io, &err);
    st->nfiles++;
    if (!r) {
        nb_fputs_term(err.data ? err.data : "导入失败\n", st->err);
        nb_sb_free(&err);
        st->nfailed++;
        st->status = NB_EXIT_FAIL;
        return;
    }
    nb_sb_free(&err);
    if (st->prev && !st->prev_any && !nb_prev_fits(r, name, st->prev, st->prev_path, st->err)) {
        nb_report_free(r); /* another unit's or year's report: its findings would mislead */
        st->nfailed++;
        st->status = NB_EXIT_FAIL;
        return;
    }
    nb_findings fs;
    nb_findings_init(&fs);
    const nb_format_entry *by_year = r->year ? nb_host_format_for_year(st->h, r->year) : NULL;
    nb_check_ctx ctx = {.prev = st->prev, .year_format = by_year ? by_year->format : NULL,
                        .lua_rule = nb_lua_rule_run, .ud = st->h};
    nb_validate(r, &ctx, &fs);
    for (int s = 0; s < 3; s++)
        st->totals[s] += nb_findings_count(&fs, (nb_severity)s);
    st->nwith_errors += nb_findings_count(&fs, NB_SEV_ERROR) > 0;
    if (nb_findings_count(&fs, NB_SEV_ERROR) && st->status == NB_EXIT_OK)
        st->status = NB_EXIT_FINDINGS;
    if (st->json)
        cJSON_AddItemToArray(st->jreports, nb_findings_json(name, r, &fs));
    else if (!st->quiet)
        nb_findings_print(st->out, name, &fs);
    nb_findings_free(&fs);
    nb_report_free(r);
}

/* Checks the files named in list, one a line, read as it goes so a list of
 * any length takes no more memory than one name.  False if list is unreadable. */
static bool check_list(run_state *st, const char *list)
{
    bool from_stdin = strcmp(list, "-") == 0;
    FILE *fp = from_stdin ? stdin : fopen(list, "r");
    if (!fp) {
        fprintf(stderr, "nianbao check: --files-from %s：无法打开（%s）\n", list, nb_errno_zh(errno));
        return false;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, fp)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        if (from_stdin && strcmp(line, "-") == 0) {
            fprintf(stderr, "nianbao check: --files-from -：清单本身来自标准输入，清单中不能再有 -\n");
            st->nfailed++;
            st->status = NB_EXIT_FAIL;
            continue;
        }
        check_one(st, line);
    }
    bool ok = !ferror(fp);
    if (!ok)
        fprintf(stderr, "nianbao check: --files-from %s：读取出错\n", list);
    free(line);
    if (!from_stdin)
        fclose(fp);
    return ok;
}

/* check -j N (check_workers.c): the same check_one, in worker processes. */
typedef struct {
    run_state *st;
    nb_file_iter it;
} pool_state;

static const char *pool_next(void *ud, int *tag)
{
    return nb_file_iter_next(&((pool_state *)ud)->it, tag);
}

static void pool_one(void *ud, const char *path, int tag, FILE *out, FILE *err, nb_check_tally *t)
{
    run_state sub = *((pool_state *)ud)->st;
    sub.out = out;
    sub.err = err;
    sub.status = NB_EXIT_OK;
    memset(sub.totals, 0, sizeof sub.totals);
    sub.nfiles = sub.nfailed = sub.nwith_errors = 0;
    sub.jreports = sub.json ? cJSON_CreateArray() : NULL;
    if (tag == NB_FILE_STDIN_IN_STDIN_LIST) {
        fprintf(err, "nianbao check: --files-from -：清单本身来自标准输入，清单中不能再有 -\n");
        sub.nfailed++;
        sub.status = NB_EXIT_FAIL;
    } else {
        check_one(&sub, path);
    }
    cJSON *item = sub.json ? cJSON_GetArrayItem(sub.jreports, 0) : NULL;
    if (item) {
        char *text = cJSON_PrintUnformatted(item);
        fputs(text, out);
        cJSON_free(text);
    }
    cJSON_Delete(sub.jreports);
    *t = (nb_check_tally){.status = sub.status, .nfiles = sub.nfiles, .nfailed = sub.nfailed,
                          .nwith_errors = sub.nwith_errors};
    memcpy(t->totals, sub.totals, sizeof t->totals);
}

static void pool_take(void *ud, const nb_check_tally *t, const char *out, size_t nout, const char *err, size_t nerr)
{
    run_state *st = ((pool_state *)ud)->st;
    fwrite(err, 1, nerr, stderr);
    if (st->json && nout)
        cJSON_AddItemToArray(st->jreports, cJSON_ParseWithLength(out, nout));
    else if (!st->json)
        fwrite(out, 1, nout, stdout);
    nb_check_tally sum = {.status = st->status, .nfiles = st->nfiles, .nfailed = st->nfailed,
                          .nwith_errors = st->nwith_errors};
    memcpy(sum.totals, st->totals, sizeof sum.totals);
    nb_check_tally_add(&sum, t);
    st->status = sum.status;
    st->nfiles = sum.nfiles;
    st->nfailed = sum.nfailed;
    st->nwith_errors = sum.nwith_errors;
    memcpy(st->totals, sum.totals, sizeof st->totals);
}

/* in a worker, before it exits: what the parent set up is freed there too */
static void pool_worker_done(void *ud)
{
    pool_state *ps = ud;
    free(ps->it.line);
    cJSON_Delete(ps->st->jreports);
    nb_report_free((nb_report *)ps->st->prev);
    nb_host_free(ps->st->h);
}

static void run_pooled(run_state *st, int jobs, int nargs, char **args, const char *files_from)
{
    pool_state ps = {.st = st};
    nb_file_iter_init(&ps.it, nargs, args, files_from);
    nb_check_pool pool = {.next = pool_next, .one = pool_one, .take = pool_take, .worker_done = pool_worker_done,
                          .ud = &ps};
    nb_check_workers_run(jobs, &pool);
    if (!nb_file_iter_finish(&ps.it))
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
                                         {"jobs", required_argument, 0, 'j'},
                                         {0, 0, 0, 0}};
    if (nb_cli_wants_store(argc, argv))
        return nb_cmd_check_store(argc, argv); /* check --db: the stored reports */
    nb_import_opts io = {0};
    const char *prev_path = NULL, *plugin_dir = NULL, *files_from = NULL;
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
        case 'J': json = true; break;
        case 'j':
            if (!nb_check_jobs_arg(optarg, &jobs))
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
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    if (!nb_cli_known_names(h, argv[0], io.format_id, io.via, NULL)) {
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_report *prev = NULL;
    nb_strbuf err;
    nb_sb_init(&err);
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
    run_state st = {.h = h, .io = &io, .prev = prev, .prev_path = prev_path, .prev_any = prev_any, .json = json,
                    .quiet = quiet, .status = NB_EXIT_OK, .out = stdout, .err = stderr};
    st.jreports = json ? cJSON_CreateArray() : NULL;
    if (jobs > 1 && (argc - optind > 1 || files_from)) {
        run_pooled(&st, jobs, argc - optind, argv + optind, files_from);
    } else {
        for (int i = optind; i < argc; i++)
            check_one(&st, argv[i]);
        if (files_from && !check_list(&st, files_from))
            st.status = NB_EXIT_FAIL;
    }
    size_t *totals = st.totals, nfiles = st.nfiles, nfailed = st.nfailed;
    int status = st.status;
    cJSON *jreports = st.jreports;
    if (json) {
        cJSON *root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "reports", jreports);
        cJSON *sum = cJSON_AddObjectToObject(root, "summary");
        cJSON_AddNumberToObject(sum, "files", (double)nfiles);
        cJSON_AddNumberToObject(sum, "unreadable", (double)nfailed);
        cJSON_AddNumberToObject(sum, "error", (double)totals[NB_SEV_ERROR]);
        cJSON_AddNumberToObject(sum, "warning", (double)totals[NB_SEV_WARNING]);
        cJSON_AddNumberToObject(sum, "info", (double)totals[NB_SEV_INFO]);
        cJSON_AddNumberToObject(sum, "with_errors", (double)st.nwith_errors);
        char *out = cJSON_Print(root);
        puts(out);
        cJSON_free(out);
        cJSON_Delete(root);
    } else {
        printf("%zu 个报告：%zu 个错误，%zu 个警告，%zu 个提示", nfiles, totals[NB_SEV_ERROR],
               totals[NB_SEV_WARNING], totals[NB_SEV_INFO]);
        if (nfailed)
            printf("，%zu 个无法读取", nfailed);
        /* the answer to "which reports need work" */
        printf("；读出的 %zu 个报告中 %zu 个有错误\n", nfiles - nfailed, st.nwith_errors);
    }
    nb_sb_free(&err);
    nb_report_free(prev);
    nb_host_free(h);
    return status;
}
