/* nianbao compare UNIT Y1 Y2: two stored years of one unit side by side.
 * C finds and loads the two reports; the comparison — cells and their
 * change, large 同比 changes, section similarity, the diff of section 五 —
 * is lib/compare.lua's (its measures and thresholds are declared there). */
#include "cli/cli_lib_call.h"
#include "cli/cli_region.h"
#include "cli/cli_store.h"
#include "cli/cli_usage.h"
#include "io/atomic_write.h"
#include "lua/lua_report.h"
#include <getopt.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao compare UNIT Y1 Y2 [--db FILE] [--json] [-o OUT [--force]]\n"
    "\n"
    "把库中单位 UNIT 的 Y1 年度和 Y2 年度报告并排对比：\n"
    "  一、表格的每一格：两年的数和变化；同比变化大的标 ※（两年中较大的数不少于\n"
    "      10，且增减到 3 倍以上或 3 分之一以下，含由 0 变多、由多变 0）；\n"
    "  二、各部分文字的相似度（字的二元组 Dice 系数，100% 为相同）；\n"
    "  三、“五、存在的主要问题及改进情况”逐句对比：两年相同的句子、只在 Y1 的、\n"
    "      只在 Y2 的（不得年年雷同）。\n"
    "每个年度取本单位该年最后导入的一份报告。阈值和算法在 lib/compare.lua 中说明。\n"
    "\n"
    "选项：\n"
    "  --db FILE         数据库文件（默认 $NIANBAO_DB，再默认 ./nianbao.db）\n"
    "  --json            输出 JSON（键名固定：cells、sections、problems、summary 等）\n"
    "  -o, --output OUT  写入文件 OUT（默认标准输出）；OUT 已存在时不替换，除非加 --force\n"
    "  --force           替换已有的 OUT\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n"
    "\n"
    "退出状态：0 完成；2 用法错误、数据库不可用、库中没有该单位该年度的报告。\n";

typedef struct {
    const nb_report *a, *b;
    const char *unit;
    int y1, y2;
    bool json;
} cmp_args;

static int push_args(lua_State *L, nb_host *h, void *ud)
{
    const cmp_args *c = ud;
    nb_lua_push_report(h, c->a);
    nb_lua_push_report(h, c->b);
    lua_createtable(L, 0, 4);
    lua_pushstring(L, c->unit);
    lua_setfield(L, -2, "unit");
    lua_pushinteger(L, c->y1);
    lua_setfield(L, -2, "y1");
    lua_pushinteger(L, c->y2);
    lua_setfield(L, -2, "y2");
    lua_pushboolean(L, c->json);
    lua_setfield(L, -2, "json");
    return 3;
}

/* the years stored for unit, "2021、2022" (empty when none) */
typedef struct {
    nb_strbuf years;
    int last;
} years_of;

static bool add_year(void *ud, const nb_store_entry *e)
{
    years_of *y = ud;
    if (e->year != y->last)
        nb_sb_printf(&y->years, "%s%d", y->years.len ? "、" : "", e->year);
    y->last = e->year;
    return true;
}

/* Loads unit's report of year, or prints what is stored for unit. */
static nb_report *load_year(nb_host *h, nb_store *s, const char *unit, int year)
{
    int64_t id = nb_cli_store_find(s, unit, year, NULL);
    if (id < 0)
        return NULL;
    nb_strbuf err;
    nb_sb_init(&err);
    if (id == 0) {
        years_of y = {0};
        nb_sb_init(&y.years);
        nb_store_filter f = {.unit = unit};
        if (!nb_store_list(s, &f, add_year, &y, &err))
            fprintf(stderr, "nianbao compare: %s", err.data);
        else if (y.years.len)
            fprintf(stderr, "nianbao compare: 库中没有“%s”%d 年度的报告；该单位存有 %s 年度的报告\n", unit, year,
                    y.years.data);
        else
            fprintf(stderr,
                    "nianbao compare: 库中没有单位“%s”的任何报告（单位名称应与报告标题中的一致；nianbao ls 列出库中的单位）\n",
                    unit);
        nb_sb_free(&y.years);
        nb_sb_free(&err);
        return NULL;
    }
    nb_report *r = nb_store_load(s, id, nb_cli_store_format, h, &err);
    if (!r)
        fprintf(stderr, "nianbao compare: %s", err.data ? err.data : "无法读出报告\n");
    nb_sb_free(&err);
    return r;
}

int nb_cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'},     {"json", no_argument, 0, 'j'},
                                         {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, 'F'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *out = NULL, *plugin_dir = NULL;
    bool force = false;
    cmp_args c = {0};
    int o;
    nb_cli_getopt_reset();
    while ((o = getopt_long(argc, argv, NB_OPTSTRING("o:h"), opts, NULL)) != -1) {
        switch (o) {
        case 'b': db = optarg; break;
        case 'j': c.json = true; break;
        case 'o': out = optarg; break;
        case 'F': force = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option("compare", argv, o, HELP);
        }
    }
    if (argc - optind != 3)
        return nb_cli_usage_error("compare", "请给出单位名称和两个年度，如 nianbao compare 上高县商务局 2022 2023");
    c.unit = argv[optind];
    for (int k = 1; k <= 2; k++) {
        char *end;
        long y = strtol(argv[optind + k], &end, 10);
        if (!*argv[optind + k] || *end || y < 1990 || y > 2100) {
            fprintf(stderr, "nianbao compare: 年度“%s”应为四位数的年份，如 2023\n", argv[optind + k]);
            return NB_EXIT_FAIL;
        }
        *(k == 1 ? &c.y1 : &c.y2) = (int)y;
    }
    if (!nb_cli_may_write("compare", out, force))
        return NB_EXIT_FAIL;
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    int status = NB_EXIT_FAIL;
    nb_store *s = nb_cli_store_open("compare", db, false);
    nb_report *a = s ? load_year(h, s, c.unit, c.y1) : NULL;
    nb_report *b = a ? load_year(h, s, c.unit, c.y2) : NULL;
    if (b) {
        c.a = a;
        c.b = b;
        nb_strbuf err;
        nb_sb_init(&err);
        size_t len;
        char *text = nb_cli_lib_string(h, "compare", "run", push_args, &c, &len, &err);
        if (!text)
            fprintf(stderr, "nianbao compare: 对比出错：%s", err.data ? err.data : "\n");
        else if (nb_write_file_atomic(out, text, len, &err))
            status = NB_EXIT_OK;
        else
            fprintf(stderr, "nianbao compare: %s", err.data ? err.data : "无法写出\n");
        if (text && status == NB_EXIT_OK && out && strcmp(out, "-") != 0)
            fprintf(stderr, "已写入 %s\n", out);
        free(text);
        nb_sb_free(&err);
    }
    nb_report_free(a);
    nb_report_free(b);
    nb_store_close(s);
    nb_host_free(h);
    return status;
}
