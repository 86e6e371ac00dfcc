/* nianbao formats / plugins: what the loaded plugins provide.  The rule
 * catalogue (nianbao rules) is in cli_rules.c. */
#include "cli/cli.h"
#include "cli/cli_usage.h"
#include "io/term_text.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* Option parsing for the listing commands: -1 to go on, else the exit status. */
static int parse(const char *cmd, int argc, char **argv, const char *help, const char **plugin_dir)
{
    static const struct option opts[] = {{"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    nb_cli_getopt_reset();
    while ((c = getopt_long(argc, argv, NB_OPTSTRING("h"), opts, NULL)) != -1) {
        switch (c) {
        case 'd': *plugin_dir = optarg; break;
        case 'h': fputs(help, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option(cmd, argv, c, help);
        }
    }
    if (optind == argc)
        return -1;
    nb_printf_term(stderr, "nianbao %s: 不需要参数 %s\n\n%s", cmd, argv[optind], help);
    return NB_EXIT_FAIL;
}

int nb_cmd_formats(int argc, char **argv)
{
    const char *dir = NULL;
    int rc = parse("formats", argc, argv,
                   "用法：nianbao formats [--plugin-dir DIR]\n\n列出报告格式：ID、适用年份、名称、表数、格数、规则数、文件。\n",
                   &dir);
    if (rc >= 0)
        return rc;
    nb_host *h = nb_cli_open_host(dir);
    if (!h)
        return NB_EXIT_FAIL;
    for (size_t i = 0; i < h->nformats; i++) {
        const nb_format *f = h->formats[i].format;
        char years[32];
        if (f->year_from && f->year_to)
            snprintf(years, sizeof years, "%d–%d", f->year_from, f->year_to);
        else if (f->year_from)
            snprintf(years, sizeof years, "%d–", f->year_from);
        else
            snprintf(years, sizeof years, "（仅 --format）");
        nb_printf_term(stdout, "%-10s %-16s %s  [%zu 张表，%zu 格，%zu 条规则]  %s\n", f->id, years, f->name, f->ntables,
               f->ncells, f->nrules, f->source_file);
    }
    nb_host_free(h);
    return NB_EXIT_OK;
}

int nb_cmd_plugins(int argc, char **argv)
{
    const char *dir = NULL;
    int rc = parse("plugins", argc, argv,
                   "用法：nianbao plugins [--plugin-dir DIR]\n\n"
                   "按加载顺序列出插件文件，以及各导入插件读什么、各输出插件写什么。\n",
                   &dir);
    if (rc >= 0)
        return rc;
    nb_host *h = nb_cli_open_host(dir);
    if (!h)
        return NB_EXIT_FAIL;
    puts("插件文件：");
    for (size_t i = 0; i < h->nplugin_files; i++) { /* names and descriptions as a terminal shows them safely */
        fputs("  ", stdout);
        nb_fputs_term(h->plugin_files[i], stdout);
        putchar('\n');
    }
    puts("导入插件：");
    for (size_t i = 0; i < h->nimporters; i++) {
        const nb_importer *imp = &h->importers[i];
        printf("  %-12s ", imp->id);
        nb_fputs_term(imp->description, stdout);
        for (size_t k = 0; k < imp->nextensions; k++)
            printf("%s.%s", k ? " " : "  [", imp->extensions[k]);
        printf("%s\n", imp->nextensions ? "]" : "");
    }
    puts("输出插件：");
    for (size_t i = 0; i < h->nrenderers; i++)
    {
        printf("  %-12s ", h->renderers[i].id);
        nb_fputs_term(h->renderers[i].description, stdout);
        printf("  [.%s]\n", h->renderers[i].extension);
    }
    nb_host_free(h);
    return NB_EXIT_OK;
}
