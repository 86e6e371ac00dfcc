/* nianbao render: import a report and write it through a renderer plugin. */
#include "cli/cli.h"
#include "cli/cli_usage.h"
#include "cli/render_batch.h"
#include "io/findings_out.h"
#include "io/term_text.h"
#include "plugin/import.h"
#include "plugin/render_out.h"
#include "base/xalloc.h"
#include <getopt.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao render FILE [--to FORMAT] [-o OUT]\n"
    "      nianbao render --to FORMAT -o DIR FILE...\n"
    "\n"
    "把文件 FILE（- 为标准输入）中的报告写成 FORMAT 格式：nianbao plugins 列出的\n"
    "输出插件（md、json、txt、csv、html、docx）。不给 --to 时按 OUT 的扩展名选。\n"
    "不给 -o 时写到标准输出（docx 等二进制输出不写到终端）；给了 -o 时先写临时\n"
    "文件再改名，OUT 已经存在时不替换，除非加 --force。\n"
    "报告中有错误级问题时，不生成供发布的文档（html、docx），并列出这些问题；\n"
    "确需生成时加 --force。\n"
    "给出多个 FILE（或 -o 以 / 结尾）时，在一个进程中逐个输出到目录 DIR，\n"
    "每个 FILE 一个输出文件，按 FILE 的名字加 FORMAT 的扩展名命名；DIR 不存在时\n"
    "新建，其中已有的同名文件不替换，除非加 --force。\n"
    "\n"
    "选项：\n"
    "  --to FORMAT       输出插件 ID（md、json、txt、csv、html、docx 等）\n"
    "  -o, --output OUT  输出文件\n"
    "  --force           替换已有的 OUT；报告有错误时也生成供发布的文档\n"
    "  --format ID       把 FILE 按格式 ID 读（默认按报告年度选格式）\n"
    "  --via IMPORTER    用导入插件 IMPORTER 读 FILE\n"
    "  --year YEAR       报告年度，用于不写年度的来源（依申请登记台账：按 YEAR\n"
    "                    年计算表三）\n"
    "  --agency NAME     单位名称，用于没有写单位的来源（统计表、登记台账）\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n";

/* A document for publication (a renderer declaring publish = true) is not
 * made of a report with error-level findings unless forced: the findings are
 * listed and the status is 1.  True when rendering may go on. */
bool nb_cli_publishable(nb_host *h, const nb_renderer *rd, const nb_report *r, bool force)
{
    if (!rd->publish || force)
        return true;
    nb_findings fs;
    nb_findings_init(&fs);
    nb_cli_validate(h, r, NULL, &fs);
    size_t nerr = nb_findings_count(&fs, NB_SEV_ERROR);
    if (nerr) {
        /* a view of the error findings; their strings stay in fs's arena */
        nb_findings only_errors = {.items = nb_xcalloc(nerr, sizeof(nb_finding))};
        for (size_t i = 0; i < fs.n; i++)
            if (fs.items[i].severity == NB_SEV_ERROR)
                only_errors.items[only_errors.n++] = fs.items[i];
        nb_printf_term(stderr, "nianbao render: %s 有 %zu 个错误，未生成供发布的 %s 文档：\n", r->source, nerr, rd->id);
        nb_findings_print(stderr, r->source, &only_errors);
        fputs("改正后再生成；确需先生成（如内部审阅）时加 --force。\n", stderr);
        free(only_errors.items);
    }
    nb_findings_free(&fs);
    return nerr == 0;
}

int nb_cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {{"to", required_argument, 0, 't'},     {"output", required_argument, 0, 'o'},
                                         {"format", required_argument, 0, 'f'}, {"via", required_argument, 0, 'v'},
                                         {"year", required_argument, 0, 'y'},   {"force", no_argument, 0, 'F'},
                                         {"agency", required_argument, 0, 'a'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    nb_import_opts io = {0};
    const char *to = NULL, *out = NULL, *plugin_dir = NULL;
    bool force = false;
    int c;
    nb_cli_getopt_reset();
    while ((c = getopt_long(argc, argv, NB_OPTSTRING("o:h"), opts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'f': io.format_id = optarg; break;
        case 'v': io.via = optarg; break;
        case 'a': io.agency = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &io.year))
                return NB_EXIT_FAIL;
            break;
        case 'F': force = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option(argv[0], argv, c, HELP);
        }
    }
    if (optind < argc && nb_render_is_batch(argc - optind, out))
        return nb_render_batch(to, out, force, &io, plugin_dir, argc - optind, argv + optind);
    if (optind != argc - 1) {
        nb_printf_term(stderr, "nianbao render: 请给出一个（且只一个）报告文件\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    if (!nb_cli_may_write(argv[0], out, force))
        return NB_EXIT_FAIL;
    nb_host *h = nb_cli_open_host_lazy(plugin_dir, NB_LAZY_IMPORTERS | NB_LATE_RULES, io.via);
    if (!h)
        return NB_EXIT_FAIL;
    nb_strbuf err;
    nb_sb_init(&err);
    const nb_renderer *rd = NULL;
    if (nb_cli_known_names(h, argv[0], io.format_id, io.via, to) &&
        (rd = nb_renderer_choose(h, to, out, NULL, &err)) == NULL)
        nb_printf_term(stderr, "nianbao render: %s", err.data);
    if (!rd) {
        nb_sb_free(&err);
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_sb_free(&err);
    int status = nb_render_one(h, rd, argv[optind], out, force, &io, NULL);
    nb_host_free(h);
    return status;
}
