/* nianbao: command-line entry.  Dispatches to the commands; exit codes are
 * 0 (no error-level finding), 1 (error-level findings), 2 (bad usage,
 * unreadable input, or a broken plugin). */
#include "cli/cli.h"
#include "cli/cli_region.h"
#include "io/lib_alloc.h"
#include "io/term_text.h"
#include "cli/cli_store.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char USAGE[] =
    "nianbao " NB_VERSION " — 政府信息公开工作年度报告：导入、检查、生成\n"
    "\n"
    "用法：nianbao 命令 [选项] ...\n"
    "\n"
    "命令：\n"
    "  check FILE...        按报告所属格式的规则检查报告（勾稽关系、空格、标题等）\n"
    "  render FILE          把报告写成 md、json、txt、csv、html、docx 等（--to）\n"
    "  new                  起草新一年的报告，沿用上年报告可结转的内容\n"
    "  formats              列出插件定义的报告格式\n"
    "  plugins              列出插件文件、导入插件和输出插件\n"
    "  rules                列出各格式的全部规则\n"
    "  add PATH...          把报告导入数据库（--db FILE，默认 ./nianbao.db）\n"
    "  ls                   库中的单位×年度一览，各报告的错误/警告数\n"
    "  show UNIT YEAR       从库中取出一份报告，用任一输出插件写出\n"
    "  check --db FILE      检查库中每份报告，自动与本单位上年报告比对\n"
    "  roster import CSV    导入单位名册（单位, 上级, 层级）\n"
    "  missing --year Y     名册上缺报的、名册外的、重复的单位\n"
    "  sum --region R --year Y  地区汇总：下属单位的报告逐格相加\n"
    "  compare UNIT Y1 Y2   同一单位两个年度的报告并排对比（逐格变化、文字相似度）\n"
    "  overview --year Y    地区概览网页：各单位报送情况、问题分布、统计图\n"
    "\n"
    "各命令通用的选项：\n"
    "  --plugin-dir DIR     另从目录 DIR 加载插件\n"
    "  -h, --help           某个命令的说明，如 nianbao check --help\n"
    "  --version            显示版本号\n"
    "\n"
    "退出状态：0 没有发现错误；1 报告中有错误；2 用法不对、输入无法读取或插件出错。\n";

/* The host a command is done with just before the process ends
 * (nb_cli_leave_host).  Freeing it is lua_close's walk over every object of
 * the plugins' state (0.9 M of the 14 M instructions of a one-report
 * check), for memory the process gives back at once; kept reachable from
 * here (the sandbox keeps the block that holds the Lua state; a state that
 * made a coroutine is freed), valgrind and
 * LeakSanitizer see it as still in use, not as lost, and every other
 * allocation stays checked. */
static nb_host *left_host;

void nb_cli_leave_host(nb_host *h)
{
    if (h && h->sb->made_coroutine) { /* see lua_sandbox.h */
        nb_host_free(h);
        return;
    }
    nb_host_free(left_host); /* one is kept: a second command's would otherwise be lost */
    left_host = h;
}

/* Every command's output to stdout is checked once it is done: a full disk
 * or a closed file is exit 2 with a message, never a silent 0. */
static int finish(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        nb_printf_term(stderr, "nianbao: 无法写入标准输出（%s）：输出不完整\n", errno ? strerror(errno) : "write error");
        return 2;
    }
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    nb_lib_alloc_init(); /* libxml2, cJSON: before they allocate anything */
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return finish(0);
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("nianbao " NB_VERSION);
        return finish(0);
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"check", nb_cmd_check}, {"render", nb_cmd_render}, {"formats", nb_cmd_formats},
                {"plugins", nb_cmd_plugins}, {"rules", nb_cmd_rules},
                {"new", nb_cmd_new},
                /* the region's store (cli_store*.c) */
                {"add", nb_cmd_add}, {"ls", nb_cmd_ls}, {"show", nb_cmd_show}, {"roster", nb_cmd_roster},
                {"missing", nb_cmd_missing}, {"sum", nb_cmd_sum},
                /* the region's views (cli_compare.c, cli_overview.c) */
                {"compare", nb_cmd_compare}, {"overview", nb_cmd_overview}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0)
            return finish(cmds[i].fn(argc - 1, argv + 1));
    nb_printf_term(stderr, "nianbao: 没有命令 '%s'\n\n%s", cmd, USAGE);
    return 2;
}
