/* nianbao: command-line entry.  Dispatches to the commands; exit codes are
 * 0 (no error-level finding), 1 (error-level findings), 2 (bad usage,
 * unreadable input, or a broken plugin). */
#include "cli/cli.h"
#include <stdio.h>
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
    "\n"
    "各命令通用的选项：\n"
    "  --plugin-dir DIR     另从目录 DIR 加载插件\n"
    "  -h, --help           某个命令的说明，如 nianbao check --help\n"
    "  --version            显示版本号\n"
    "\n"
    "退出状态：0 没有发现错误；1 报告中有错误；2 用法不对、输入无法读取或插件出错。\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(USAGE, stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        fputs(USAGE, stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("nianbao " NB_VERSION);
        return 0;
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"check", nb_cmd_check}, {"render", nb_cmd_render}, {"formats", nb_cmd_formats},
                {"plugins", nb_cmd_plugins}, {"rules", nb_cmd_rules},
                {"new", nb_cmd_new}};
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (strcmp(cmd, cmds[i].name) == 0)
            return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "nianbao: 没有命令 '%s'\n\n%s", cmd, USAGE);
    return 2;
}
