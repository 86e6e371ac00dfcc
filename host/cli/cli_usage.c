/* See cli_usage.h. */
#include "cli/cli_usage.h"
#include "cli/cli.h"
#include "io/term_text.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

void nb_cli_getopt_reset(void)
{
    optind = 1;
    opterr = 0;
}

/* The option as written: "--name" of a long option (without "=value"),
 * else "-c".  getopt_long leaves a long option in argv[optind - 1]. */
static void option_name(char **argv, char *buf, size_t size)
{
    const char *prev = optind > 1 ? argv[optind - 1] : NULL;
    if (prev && strncmp(prev, "--", 2) == 0) {
        size_t n = strcspn(prev, "=");
        snprintf(buf, size, "%.*s", (int)n, prev);
    } else if (optopt > 0 && optopt < 128) {
        snprintf(buf, size, "-%c", optopt);
    } else {
        snprintf(buf, size, "%s", prev ? prev : "?");
    }
}

int nb_cli_bad_option(const char *cmd, char **argv, int c, const char *help)
{
    char name[128];
    option_name(argv, name, sizeof name);
    if (c == ':')
        nb_printf_term(stderr, "nianbao %s: 选项 %s 缺少取值\n\n", cmd, name);
    else
        nb_printf_term(stderr, "nianbao %s: 没有选项 %s\n\n", cmd, name);
    fputs(help, stderr);
    return NB_EXIT_FAIL;
}

int nb_cli_usage_error(const char *cmd, const char *msg)
{
    nb_printf_term(stderr, "nianbao %s: %s（用法见 nianbao %s --help）\n", cmd, msg, cmd);
    return NB_EXIT_FAIL;
}

bool nb_cli_known_names(const nb_host *h, const char *cmd, const char *format_id, const char *via, const char *to)
{
    if (format_id && !nb_host_format(h, format_id)) {
        nb_printf_term(stderr, "nianbao %s: 没有格式 '%s'；可用的格式：", cmd, format_id);
        for (size_t i = 0; i < h->nformats; i++)
            nb_printf_term(stderr, "%s%s", i ? "、" : "", h->formats[i].format->id);
        fputs("（nianbao formats 列出各格式的年份）\n", stderr);
        return false;
    }
    if (via && !nb_host_importer(h, via)) {
        nb_printf_term(stderr, "nianbao %s: --via %s：没有这个导入插件；可用的导入插件：", cmd, via);
        for (size_t i = 0; i < h->nimporters; i++)
            nb_printf_term(stderr, "%s%s", i ? "、" : "", h->importers[i].id);
        fputs("\n", stderr);
        return false;
    }
    if (to && !nb_host_renderer(h, to)) {
        nb_printf_term(stderr, "nianbao %s: --to %s：没有这个输出格式；可用的输出格式：", cmd, to);
        for (size_t i = 0; i < h->nrenderers; i++)
            nb_printf_term(stderr, "%s%s", i ? "、" : "", h->renderers[i].id);
        fputs("\n", stderr);
        return false;
    }
    return true;
}

bool nb_cli_may_write(const char *cmd, const char *out, bool force)
{
    struct stat st;
    /* a directory is left to the writer, which says it cannot replace one */
    if (force || !out || strcmp(out, "-") == 0 || stat(out, &st) != 0 || S_ISDIR(st.st_mode))
        return true;
    nb_printf_term(stderr, "nianbao %s: %s 已经存在，未改动：要替换它请加 --force，或用 -o 另给一个文件名\n", cmd, out);
    return false;
}
