/* nianbao check: import each file, run the rules, print findings. */
#include "cli/cli.h"
#include "cli/cli_store.h"
#include "cli/prev_identity.h"
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
    "usage: nianbao check [OPTIONS] FILE...\n"
    "\n"
    "Checks each report against the rules of its format (勾稽关系, blanks,\n"
    "headings, text rules) and prints one line per finding, then a summary.\n"
    "FILE may be - for standard input.\n"
    "\n"
    "options:\n"
    "  --format ID       read every file as this format (default: by report year)\n"
    "  --via IMPORTER    read every file with this importer (default: by extension/content)\n"
    "  --year YEAR       the report year, for sources that do not state it (the\n"
    "                    application register: table 三 is computed for YEAR)\n"
    "  --prev FILE       last year's report, for the cross-year rules: the same\n"
    "                    unit's report of the year before (else exit 2)\n"
    "  --prev-any        compare with --prev even if it is another unit's or\n"
    "                    another year's report\n"
    "  --json            print findings as JSON\n"
    "  -q, --quiet       print only the summary line\n"
    "  --plugin-dir DIR  also load plugins from DIR\n"
    "  --files-from LIST also check the files named in LIST, one path a line\n"
    "                    (- for standard input); for batches too large for a\n"
    "                    command line\n"
    "\n"
    "exit status: 0 no error-level finding, 1 error-level findings, 2 a file could\n"
    "not be read or imported, bad usage, or a broken plugin.\n";

nb_host *nb_cli_open_host(const char *plugin_dir)
{
    nb_strbuf err;
    nb_sb_init(&err);
    nb_host *h = nb_host_open(plugin_dir, &err);
    if (!h)
        fprintf(stderr, "nianbao: %s", err.data ? err.data : "cannot load plugins\n");
    nb_sb_free(&err);
    return h;
}

bool nb_cli_year(const char *s, int *year)
{
    char *end;
    long y = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || y < 1990 || y > 2100) {
        fprintf(stderr, "nianbao: --year %s: give the report year as four digits, e.g. --year 2023"
                        "（年度应为四位数的年份）\n", s);
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
} run_state;

static void check_one(run_state *st, const char *path)
{
    const char *name = strcmp(path, "-") == 0 ? "(stdin)" : path;
    nb_strbuf err;
    nb_sb_init(&err);
    nb_report *r = nb_import_file(st->h, path, st->io, &err);
    st->nfiles++;
    if (!r) {
        nb_fputs_term(err.data ? err.data : "import failed\n", stderr);
        nb_sb_free(&err);
        st->nfailed++;
        st->status = NB_EXIT_FAIL;
        return;
    }
    nb_sb_free(&err);
    if (st->prev && !st->prev_any && !nb_prev_fits(r, name, st->prev, st->prev_path, stderr)) {
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
        nb_findings_print(stdout, name, &fs);
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
        fprintf(stderr, "nianbao check: --files-from %s: cannot open: %s\n", list, strerror(errno));
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
            fprintf(stderr, "nianbao check: --files-from -: the list is standard input, so it cannot name - too\n");
            st->nfailed++;
            st->status = NB_EXIT_FAIL;
            continue;
        }
        check_one(st, line);
    }
    bool ok = !ferror(fp);
    if (!ok)
        fprintf(stderr, "nianbao check: --files-from %s: read error\n", list);
    free(line);
    if (!from_stdin)
        fclose(fp);
    return ok;
}

int nb_cmd_check(int argc, char **argv)
{
    static const struct option opts[] = {{"format", required_argument, 0, 'f'}, {"via", required_argument, 0, 'v'},
                                         {"year", required_argument, 0, 'y'},
                                         {"prev", required_argument, 0, 'p'},   {"json", no_argument, 0, 'j'},
                                         {"quiet", no_argument, 0, 'q'},        {"plugin-dir", required_argument, 0, 'd'},
                                         {"help", no_argument, 0, 'h'},         {"files-from", required_argument, 0, 'l'},
                                         {"prev-any", no_argument, 0, 'P'},
                                         {0, 0, 0, 0}};
    if (nb_cli_wants_store(argc, argv))
        return nb_cmd_check_store(argc, argv); /* check --db: the stored reports */
    nb_import_opts io = {0};
    const char *prev_path = NULL, *plugin_dir = NULL, *files_from = NULL;
    bool json = false, quiet = false, prev_any = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "qh", opts, NULL)) != -1) {
        switch (c) {
        case 'f': io.format_id = optarg; break;
        case 'v': io.via = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &io.year))
                return NB_EXIT_FAIL;
            break;
        case 'p': prev_path = optarg; break;
        case 'P': prev_any = true; break;
        case 'j': json = true; break;
        case 'q': quiet = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'l': files_from = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind >= argc && !files_from) {
        fprintf(stderr, "nianbao check: no FILE given\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    for (int i = optind; files_from && strcmp(files_from, "-") == 0 && i < argc; i++)
        if (strcmp(argv[i], "-") == 0) {
            fprintf(stderr, "nianbao check: --files-from - and FILE - cannot both read standard input\n");
            return NB_EXIT_FAIL;
        }
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
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
                    .quiet = quiet, .status = NB_EXIT_OK};
    st.jreports = json ? cJSON_CreateArray() : NULL;
    for (int i = optind; i < argc; i++)
        check_one(&st, argv[i]);
    if (files_from && !check_list(&st, files_from))
        st.status = NB_EXIT_FAIL;
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
        printf(" (%zu errors, %zu warnings, %zu info)", totals[NB_SEV_ERROR], totals[NB_SEV_WARNING],
               totals[NB_SEV_INFO]);
        /* the answer to "which reports need work" */
        printf("；%zu 个报告中 %zu 个有错误%s\n", nfiles, st.nwith_errors, nfailed ? "，另有无法读取的" : "");
    }
    nb_sb_free(&err);
    nb_report_free(prev);
    nb_host_free(h);
    return status;
}
