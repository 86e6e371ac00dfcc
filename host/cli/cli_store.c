/* nianbao add: import files and folders into the store, one transaction a
 * report; one bad file never stops the rest; a closing summary in Chinese.
 * With -j N the files are imported in N worker processes (check_workers.c)
 * and sent here as bytes (model/report_bytes.h); this process alone checks
 * them against last year and writes the store, in the order of the files. */
#include "cli/cli_store.h"
#include "cli/check_workers.h"
#include "cli/cli_store_files.h"
#include "io/term_text.h"
#include "base/byte_cursor.h"
#include "base/sha256.h"
#include "base/xalloc.h"
#include "model/report_bytes.h"
#include "plugin/import.h"
#include "plugin/plugin_lazy.h"
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char HELP[] =
    "用法：nianbao add [--db FILE] [-j N] PATH...\n"
    "\n"
    "把报告导入数据库（默认 ./nianbao.db，或 $NIANBAO_DB）。PATH 可以是文件或文件夹\n"
    "（逐层读取其中的文件）。每份报告按单位和年度存入，连同来源路径、SHA-256、\n"
    "导入器、格式和时间；同一文件再次导入不做任何事；同一来源的文件改过后再导入，\n"
    "存为新版本，旧版本保留。一个文件读不了不影响其他文件。\n"
    "\n"
    "选项：\n"
    "  --db FILE         数据库文件\n"
    "  --format ID       按此格式读入每个文件\n"
    "  --via IMPORTER    用此导入器读入每个文件\n"
    "  -q, --quiet       不显示进度\n"
    "  -j, --jobs N      用 N 个进程同时读入文件（默认为处理器核数；-j 1 在本进程中\n"
    "                    逐个读入，读不完的文件会使整个 add 停止）；\n"
    "                    检查和写入数据库仍在本进程中，按文件顺序\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n"
    "\n"
    "退出状态：0 全部导入（或未变），2 有文件失败、用法错误或数据库不可用。\n";

typedef struct {
    nb_host *h;
    nb_store *s;
    nb_import_opts io;
    size_t added, same, versions, failed;
    nb_strbuf failures; /* "path：reason" lines */
    struct { char *path; bool version; } *open; /* the files added since the store's last commit */
    size_t nopen;
    nb_report *last;    /* the report added last (id last_id): the next year's prev without reading it back */
    int64_t last_id;
    const nb_add_files *files; /* the files; -j: the next one to hand out, the one taken last */
    size_t next, taken, done;  /* done: files added, failed or found stored */
    bool stop;              /* -j: the store failed: hand out no more */
    bool tty;               /* progress shown on standard error */
    double t0, shown;
} add_state;

static void progress(add_state *st, bool last);

/* One line "path：reason" of the list of failures.  A reason that begins
 * with the file's name ("path: …" or "path:LINE: …", as importers and
 * nb_read_file word it) is listed without it, its line kept as 第N行. */
static void failure(add_state *st, const char *path, const char *why)
{
    st->failed++;
    why = why ? why : "";
    size_t pl = strlen(path);
    unsigned long line = 0;
    if (strncmp(why, path, pl) == 0 && why[pl] == ':') {
        char *end;
        why += pl + 1;
        if (*why >= '0' && *why <= '9' && (line = strtoul(why, &end, 10), *end == ':'))
            why = end + 1;
        else
            line = 0;
        why += *why == ' ';
    }
    const char *nl = strchr(why, '\n');
    int n = nl ? (int)(nl - why) : (int)strlen(why);
    if (line)
        nb_sb_printf(&st->failures, "  %s：第%lu行：%.*s\n", path, line, n, why);
    else
        nb_sb_printf(&st->failures, "  %s：%.*s\n", path, n, why);
}

/* After each write to the store: the files it added that are no longer in
 * its open batch were committed (ok) or, after a failure, rolled back with
 * the batch (store.h): counted as failed then, not as added. */
static void settle(add_state *st, bool ok)
{
    size_t keep = nb_store_pending(st->s), gone = st->nopen > keep ? st->nopen - keep : 0;
    for (size_t i = 0; i < gone; i++) {
        if (!ok) {
            *(st->open[i].version ? &st->versions : &st->added) -= 1;
            failure(st, st->open[i].path, "写入数据库出错（见以 nianbao add: 开头的错误信息），它与同一批写入的报告一起撤回，未存入");
        }
        free(st->open[i].path);
    }
    if (gone) { /* open is NULL before the first file added */
        memmove(st->open, st->open + gone, (st->nopen - gone) * sizeof *st->open);
        st->nopen -= gone;
    }
}

static void forget_open(add_state *st)
{
    for (size_t i = 0; i < st->nopen; i++)
        free(st->open[i].path);
    free(st->open);
    st->open = NULL;
    st->nopen = 0;
}

static void opened(add_state *st, const char *path, bool version)
{
    st->open = nb_xrealloc(st->open, (st->nopen + 1) * sizeof *st->open);
    st->open[st->nopen].path = nb_xstrdup(path);
    st->open[st->nopen++].version = version;
}

/* Counts the findings of r (last year's report from the store) and, when
 * next year's report of the unit is stored, re-counts that one with r. */
static bool count_findings(add_state *st, const nb_report *r, const char *unit, nb_store_prov *p, nb_strbuf *err)
{
    int64_t prev_id = nb_cli_store_find(st->s, unit, r->year - 1, NULL);
    if (prev_id < 0)
        return false;
    bool kept = prev_id && prev_id == st->last_id;
    nb_report *prev = prev_id && !kept ? nb_store_load(st->s, prev_id, nb_cli_store_format, st->h, err) : NULL;
    if (prev_id && !kept && !prev)
        return false;
    nb_findings fs;
    nb_findings_init(&fs);
    nb_cli_validate(st->h, r, kept ? st->last : prev, &fs);
    p->errors = (int)nb_findings_count(&fs, NB_SEV_ERROR);
    p->warnings = (int)nb_findings_count(&fs, NB_SEV_WARNING);
    p->infos = (int)nb_findings_count(&fs, NB_SEV_INFO);
    nb_findings_free(&fs);
    nb_report_free(prev);
    return true;
}

static bool recount_next(add_state *st, const nb_report *r, const char *unit, nb_strbuf *err)
{
    int64_t next_id = nb_cli_store_find(st->s, unit, r->year + 1, NULL);
    if (next_id <= 0)
        return next_id == 0;
    nb_report *next = nb_store_load(st->s, next_id, nb_cli_store_format, st->h, err);
    if (!next)
        return false;
    nb_findings fs;
    nb_findings_init(&fs);
    nb_cli_validate(st->h, next, r, &fs);
    bool ok = nb_store_set_counts(st->s, next_id, (int)nb_findings_count(&fs, NB_SEV_ERROR),
                                  (int)nb_findings_count(&fs, NB_SEV_WARNING), (int)nb_findings_count(&fs, NB_SEV_INFO),
                                  err);
    nb_findings_free(&fs);
    nb_report_free(next);
    return ok;
}

/* Stores r, imported from f (its bytes' SHA-256 sha) by importer, which
 * it frees; false only when the store itself failed (then stop). */
static bool store_imported(add_state *st, const nb_add_file *f, const char *sha, const char *importer, nb_report *r,
                           nb_strbuf *err)
{
    bool ok = true;
    const char *path = f->path, *abs;
    char buf[PATH_MAX];
    if (!r->agency || !*r->agency) {
        failure(st, path, "报告中找不到单位名称（标题应写明机关名称），无法按单位存入");
    } else if (!r->year) {
        failure(st, path, "报告中找不到年度（标题或统计期限应写明年份），无法按年度存入");
    } else if (!(abs = nb_add_file_abs(f, buf))) {
        failure(st, path, strerror(errno));
    } else {
        nb_store_prov p = {.unit = r->agency, .source = abs, .sha256 = sha, .importer = importer};
        int64_t id = 0;
        nb_store_result res = NB_STORE_FAILED;
        if (count_findings(st, r, r->agency, &p, err))
            res = nb_store_add(st->s, r, &p, &id, err);
        switch (res) {
        case NB_STORE_ADDED: st->added++; break;
        case NB_STORE_VERSION: st->versions++; break;
        case NB_STORE_SAME: st->same++; break;
        case NB_STORE_FAILED: ok = false; break;
        }
        if (res == NB_STORE_ADDED || res == NB_STORE_VERSION)
            opened(st, path, res == NB_STORE_VERSION);
        else if (res == NB_STORE_FAILED) /* the report being written: named as well as its batch */
            failure(st, path, "写入数据库出错（见以 nianbao add: 开头的错误信息），未存入");
        if (ok && res != NB_STORE_SAME && !recount_next(st, r, r->agency, err))
            ok = false;
        settle(st, ok);
        if (ok && res != NB_STORE_SAME) {
            nb_report_free(st->last);
            st->last = r;
            st->last_id = id;
            r = NULL;
        }
    }
    nb_report_free(r);
    return ok;
}

/* Reads path and its SHA-256 (sha); *data NULL (the reason in err) when it
 * cannot be read. */
static char *read_sha(const char *path, size_t *len, char sha[65], nb_strbuf *err)
{
    char *data = nb_read_file(path, len, err);
    if (data)
        nb_sha256_hex(data, *len, sha);
    return data;
}

static bool store_failed(nb_strbuf *err)
{
    nb_printf_term(stderr, "nianbao add: %s", err->data ? err->data : "数据库出错\n");
    return false;
}

/* Adds one file; false only when the store itself failed (then stop). */
static bool add_one(add_state *st, const nb_add_file *f)
{
    const char *path = f->path;
    nb_strbuf err;
    nb_sb_init(&err);
    size_t len;
    char sha[65];
    char *data = read_sha(path, &len, sha, &err);
    bool found = false, ok = true;
    if (!data) {
        failure(st, path, err.data);
    } else if (!nb_store_has_sha(st->s, sha, &found, &err)) {
        ok = store_failed(&err);
    } else if (found) {
        st->same++;
    } else {
        const char *importer = NULL;
        nb_report *r = nb_import_data(st->h, path, data, len, &st->io, &importer, &err);
        if (!r)
            failure(st, path, err.data);
        else if (!store_imported(st, f, sha, importer, r, &err))
            ok = store_failed(&err);
    }
    free(data);
    nb_sb_free(&err);
    return ok;
}

/* add -j N (check_workers.c): the files whose bytes are not stored yet are
 * handed to the workers (a stored one is counted here, never imported); a
 * worker sends back u8 0, the SHA-256, the importer and the report
 * (nb_report_put), or u8 1 and why the file could not be read, as
 * base/byte_cursor.h writes them. */
static const char *pool_next(void *ud, int *tag)
{
    add_state *st = ud;
    *tag = 0;
    while (!st->stop && st->next < st->files->n) {
        const char *path = st->files->v[st->next++].path;
        nb_strbuf err;
        nb_sb_init(&err);
        size_t len;
        char sha[65];
        char *data = read_sha(path, &len, sha, &err);
        bool found = false;
        if (data && !nb_store_has_sha(st->s, sha, &found, &err))
            st->stop = !store_failed(&err);
        free(data);
        nb_sb_free(&err);
        if (found) {
            st->same++;
            st->done++;
            progress(st, false);
        } else if (!st->stop)
            return path; /* unreadable: the worker says why */
    }
    return NULL;
}

static void pool_one(void *ud, const char *path, int tag, FILE *out)
{
    (void)tag;
    add_state *st = ud;
    nb_strbuf err;
    nb_sb_init(&err);
    size_t len;
    char sha[65];
    char *data = read_sha(path, &len, sha, &err);
    const char *importer = NULL;
    nb_report *r = data ? nb_import_data(st->h, path, data, len, &st->io, &importer, &err) : NULL;
    nb_strbuf b;
    nb_sb_init(&b);
    nb_put_u8(&b, r ? 0 : 1);
    if (r) {
        nb_put_str(&b, sha);
        nb_put_str(&b, importer ? importer : "");
        nb_report_put(&b, r);
    } else {
        nb_put_str(&b, err.data ? err.data : "");
    }
    fwrite(b.data, 1, b.len, out);
    nb_sb_free(&b);
    nb_report_free(r);
    free(data);
    nb_sb_free(&err);
}

static void pool_take(void *ud, const char *path, const char *bytes, size_t n)
{
    add_state *st = ud;
    if (st->stop)
        return; /* as in one process: nothing after the store failed */
    while (st->taken < st->files->n && strcmp(st->files->v[st->taken].path, path) != 0)
        st->taken++; /* taken in the order handed out: the next file of that name */
    nb_add_file named = {(char *)path, NULL}; /* a name the list does not hold: never met */
    const nb_add_file *f = st->taken < st->files->n ? &st->files->v[st->taken++] : &named;
    nb_byte_cursor in = nb_byte_cursor_of(bytes, bytes ? n : 0);
    char *sha = NULL, *importer = NULL;
    nb_report *r = NULL;
    uint8_t kind = nb_take_u8(&in);
    if (in.bad) {
        failure(st, path, "读入它的进程意外退出，未能导入");
    } else if (kind == 1) {
        char *why = nb_take_strdup(&in);
        failure(st, path, why ? why : "");
        free(why);
    } else if (!(sha = nb_take_strdup(&in)) || !(importer = nb_take_strdup(&in)) ||
               !(r = nb_report_read((const char *)in.p, (size_t)(in.end - in.p), nb_cli_store_format, st->h))) {
        failure(st, path, "读入它的进程送回的报告无法读出，未能导入");
    } else {
        nb_strbuf err;
        nb_sb_init(&err);
        if (!store_imported(st, f, sha, *importer ? importer : NULL, r, &err))
            st->stop = !store_failed(&err);
        nb_sb_free(&err);
        r = NULL;
    }
    nb_report_free(r);
    free(sha);
    free(importer);
    st->done++;
    progress(st, false);
}

/* in the parent before the workers fork: the libraries the first file's
 * importer declares, loaded once for them all */
static void pool_before_fork(void *ud, const char *first)
{
    add_state *st = ud;
    if (first)
        nb_lazy_open_libraries_for(st->h, first);
}

/* in a worker, before it exits; the store is left as it is: the parent's
 * connection and open batch must not be touched (closing commits) */
static void pool_worker_done(void *ud)
{
    add_state *st = ud;
    forget_open(st);
    nb_report_free(st->last);
    st->last = NULL;
    nb_host_free(st->h);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* The line of progress on a terminal, at most every 0.2 s (and at the last
 * file); cleared when last. */
static void progress(add_state *st, bool last)
{
    if (!st->tty)
        return;
    if (last) {
        fputs("\r\033[K", stderr);
        return;
    }
    size_t done = st->done, total = st->files->n;
    if (now_s() - st->shown <= 0.2 && done != total)
        return;
    st->shown = now_s();
    double el = now_s() - st->t0, rate = el > 0 ? done / el : 0;
    fprintf(stderr, "\r已处理 %zu/%zu 个文件，每秒 %.0f 个，预计还需 %.0f 秒\033[K", done, total, rate,
            rate > 0 ? (total - done) / rate : 0.0);
}

int nb_cmd_add(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'}, {"format", required_argument, 0, 'f'},
                                         {"via", required_argument, 0, 'v'}, {"quiet", no_argument, 0, 'q'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {"jobs", required_argument, 0, 'j'}, {0, 0, 0, 0}};
    add_state st = {0};
    const char *db = NULL, *plugin_dir = NULL;
    bool quiet = false;
    int c, jobs = nb_check_default_jobs();
    optind = 1;
    while ((c = getopt_long(argc, argv, "qhj:", opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'f': st.io.format_id = optarg; break;
        case 'v': st.io.via = optarg; break;
        case 'q': quiet = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'j':
            if (!nb_check_jobs_arg("add", optarg, &jobs))
                return NB_EXIT_FAIL;
            break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind >= argc) {
        nb_printf_term(stderr, "nianbao add: 请给出要导入的文件或文件夹\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    nb_add_files files = {0}, bad = {0};
    nb_add_files_collect(argv + optind, argc - optind, &files, &bad);
    nb_sb_init(&st.failures);
    for (size_t i = 0; i < bad.n; i++)
        failure(&st, bad.v[i].path, "文件夹无法读取");
    int status = NB_EXIT_FAIL;
    st.h = nb_cli_open_host_lazy(plugin_dir, NB_LAZY_IMPORTERS | NB_LAZY_RENDERERS, NULL);
    st.s = st.h ? nb_cli_store_open("add", db, true) : NULL;
    if (st.s) {
        st.tty = !quiet && isatty(STDERR_FILENO);
        st.t0 = now_s();
        st.files = &files;
        nb_strbuf err;
        nb_sb_init(&err);
        bool ok = nb_store_batch(st.s, true, &err), pooled = jobs > 1 && files.n > 1;
        if (ok && pooled) {
            nb_check_pool pool = {.next = pool_next, .one = pool_one, .take = pool_take,
                                  .worker_done = pool_worker_done, .before_fork = pool_before_fork, .ud = &st};
            nb_check_workers_run(jobs, &pool);
            ok = !st.stop;
        }
        for (size_t i = 0; ok && !pooled && i < files.n; i++) {
            ok = add_one(&st, &files.v[i]);
            st.done++;
            progress(&st, false);
        }
        bool committed = nb_store_batch(st.s, false, &err);
        settle(&st, committed);
        if (!committed || !ok) {
            if (err.len)
                fprintf(stderr, "nianbao add: %s", err.data);
            ok = false;
        }
        nb_sb_free(&err);
        progress(&st, true);
        printf("新增 %zu 份，未变 %zu 份，新版本 %zu 份，失败 %zu 份\n", st.added, st.same, st.versions, st.failed);
        if (st.failed)
            printf("失败的文件：\n%s", st.failures.data);
        status = ok && !st.failed ? NB_EXIT_OK : NB_EXIT_FAIL;
    }
    nb_add_files_free(&files);
    nb_add_files_free(&bad);
    nb_sb_free(&st.failures);
    forget_open(&st);
    nb_report_free(st.last);
    nb_store_close(st.s);
    if (st.h)
        nb_host_free(st.h);
    return status;
}
