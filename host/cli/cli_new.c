/* nianbao new: start next year's report.  The draft is built in Lua by
 * lib/draft.lua (sections and opening paragraph from templates/draft/,
 * cells carried over from last year's report), read into the model like an
 * import, and written through the renderer -o's extension names (md when
 * none), so 'nianbao check' on it lists exactly what is left to fill. */
#include "cli/cli.h"
#include "cli/prev_identity.h"
#include "cli/cli_usage.h"
#include "plugin/import.h"
#include "io/term_text.h"
#include "api/api_modules.h"
#include "lua/lua_report.h"
#include "plugin/render_out.h"
#include "io/findings_out.h"
#include "rules/validator.h"
#include <getopt.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao new --agency NAME --year YEAR [--prev FILE] [-o OUT]\n"
    "\n"
    "为单位 NAME 起草 YEAR 年度的报告：按格式列出各部分，写好惯用的开头一段\n"
    "（统计期限、联系方式）和 templates/draft/ 中的正文框架；表格留空，只填上\n"
    "从上年报告 FILE 结转的格：上年结转取上年的结转下年度，现行有效件数从上年\n"
    "的数起，联系方式沿用。之后对草稿运行 nianbao check，即列出还要填的每一格。\n"
    "输出格式按 OUT 的扩展名（没有扩展名时为 md）；不给 -o 时写到标准输出。\n"
    "OUT 已经存在时不替换，除非加 --force。\n"
    "\n"
    "选项：\n"
    "  --agency NAME     单位名称，与标题中的一致（如 上高县商务局）\n"
    "  --year YEAR       报告年度\n"
    "  --prev FILE       上年的报告（任何导入插件能读的文件）\n"
    "  --tables FILE     本年的统计表（CSV 统计表、登记台账等）：其中填了的格\n"
    "                    填入草稿的表格（优先于从上年结转的格）\n"
    "  --format ID       草稿的格式（默认按 YEAR 选）\n"
    "  -o, --output OUT  输出文件（md、txt、json、html、docx、xlsx 等；xlsx 是填报表）\n"
    "  --to FORMAT       输出插件 ID，用于 OUT 的扩展名说明不了的时候\n"
    "  --force           替换已有的 OUT\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n";

/* lib/draft.lua, through a host table of the command's own (called protected) */
static int load_draft(lua_State *L)
{
    nb_api_push(L, lua_touserdata(L, 1));
    lua_getfield(L, -1, "lib");
    lua_pushliteral(L, "draft");
    lua_call(L, 1, 1);
    return 1;
}

/* Pushes lib/draft.lua's start(opts, prev) and its arguments; true when ready. */
static bool push_draft_call(nb_host *h, const char *agency, int year, const char *format_id,
                            const nb_report *prev, const nb_report *tables, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    int top = lua_gettop(L);
    lua_pushcfunction(L, load_draft);
    lua_pushlightuserdata(L, h);
    if (nb_sandbox_call(h->sb, 1, 1) != LUA_OK) {
        nb_host_error(h, "lib/draft.lua", err);
        return false;
    }
    if (!lua_istable(L, -1) || lua_getfield(L, -1, "start") != LUA_TFUNCTION) {
        nb_sb_puts(err, "lib/draft.lua 返回的不是带 start 函数的表\n");
        lua_settop(L, top);
        return false;
    }
    lua_remove(L, -2);
    lua_createtable(L, 0, 3);
    lua_pushstring(L, agency);
    lua_setfield(L, -2, "agency");
    lua_pushinteger(L, year);
    lua_setfield(L, -2, "year");
    lua_pushstring(L, format_id);
    lua_setfield(L, -2, "format");
    if (prev)
        nb_lua_push_report(h, prev);
    else
        lua_pushnil(L);
    if (tables)
        nb_lua_push_report(h, tables);
    else
        lua_pushnil(L);
    return true;
}

static nb_report *build_draft(nb_host *h, const char *agency, int year, const char *format_id,
                              const nb_report *prev, const nb_report *tables, nb_strbuf *err)
{
    if (!push_draft_call(h, agency, year, format_id, prev, tables, err))
        return NULL;
    if (nb_sandbox_call(h->sb, 3, 1) != LUA_OK) {
        nb_sb_puts(err, "起草失败：");
        nb_host_error(h, "lib/draft.lua", err);
        return NULL;
    }
    return nb_lua_to_report(h, "(draft)", format_id, err);
}

/* The --tables file, with what its importer noticed said on stderr (as
 * render does): a register's count of applications, a cell undecided. */
static nb_report *read_tables(nb_host *h, const char *path, const nb_import_opts *io, nb_strbuf *err)
{
    nb_report *r = nb_import_file(h, path, io, err);
    if (r) {
        nb_findings notes;
        nb_findings_init(&notes);
        nb_report_notes(r, &notes);
        nb_findings_print(stderr, r->source, &notes);
        nb_findings_free(&notes);
    }
    return r;
}

int nb_cmd_new(int argc, char **argv)
{
    static const struct option opts[] = {
        {"agency", required_argument, 0, 'a'}, {"year", required_argument, 0, 'y'},
        {"prev", required_argument, 0, 'p'},   {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'}, {"to", required_argument, 0, 't'},
        {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
        {"force", no_argument, 0, 'F'}, {"tables", required_argument, 0, 'T'}, {0, 0, 0, 0}};
    const char *agency = NULL, *year_arg = NULL, *prev_path = NULL, *format_id = NULL, *tables_path = NULL;
    const char *out = NULL, *to = NULL, *plugin_dir = NULL;
    bool force = false;
    int c;
    nb_cli_getopt_reset();
    while ((c = getopt_long(argc, argv, NB_OPTSTRING("o:h"), opts, NULL)) != -1) {
        switch (c) {
        case 'a': agency = optarg; break;
        case 'y': year_arg = optarg; break;
        case 'p': prev_path = optarg; break;
        case 'f': format_id = optarg; break;
        case 'o': out = optarg; break;
        case 't': to = optarg; break;
        case 'd': plugin_dir = optarg; break;
        case 'F': force = true; break;
        case 'T': tables_path = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option(argv[0], argv, c, HELP);
        }
    }
    if (optind != argc || !agency || !*agency || !year_arg) {
        nb_printf_term(stderr, "nianbao new: 请给出 --agency 单位名称 和 --year 年度（不要别的参数）\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    int year;
    if (!nb_cli_year(year_arg, &year) || !nb_cli_may_write(argv[0], out, force))
        return NB_EXIT_FAIL;
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    if (!nb_cli_known_names(h, argv[0], format_id, NULL, to)) {
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    const nb_format_entry *fe = format_id ? nb_host_format(h, format_id) : nb_host_format_for_year(h, year);
    const nb_renderer *rd = NULL;
    nb_report *prev = NULL, *tables = NULL, *draft = NULL;
    if (!fe) {
        if (format_id)
            nb_sb_printf(&err, "nianbao new: 没有格式 '%s'（nianbao formats 列出全部）\n", format_id);
        else
            nb_sb_printf(&err, "nianbao new: 没有适用于 %d 年的格式，请用 --format 指定\n", year);
    } else if ((rd = nb_renderer_choose(h, to, out, "md", &err)) != NULL) {
        nb_import_opts po = {0};
        if (prev_path)
            prev = nb_import_file(h, prev_path, &po, &err);
        if (prev && !nb_same_agency(prev->agency, agency) && (prev->address || prev->phone || prev->postcode)) {
            /* another unit's address and phone are not this unit's */
            nb_printf_term(stderr, "nianbao new: --prev %s 是“%s”的报告，不是“%s”的：未沿用其地址、电话、邮编，请在草稿中填写\n",
                    prev_path, prev->agency, agency);
            prev->address = prev->phone = prev->postcode = NULL;
        }
        /* this year's tables, read in the draft's format and year */
        nb_import_opts to = {.format_id = fe->format->id, .year = year, .agency = agency};
        if ((!prev_path || prev) && (!tables_path || (tables = read_tables(h, tables_path, &to, &err)) != NULL))
            draft = build_draft(h, agency, year, fe->format->id, prev, tables, &err);
        if (draft && nb_render_report(h, rd, draft, out, NULL, &err))
            status = NB_EXIT_OK;
    }
    if (err.data)
        nb_fputs_term(err.data, stderr);
    nb_report_free(draft);
    nb_report_free(tables);
    nb_report_free(prev);
    nb_sb_free(&err);
    nb_host_free(h);
    return status;
}
