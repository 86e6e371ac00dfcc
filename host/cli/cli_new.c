/* nianbao new: start next year's report.  The draft is built in Lua by
 * lib/draft.lua (sections and opening paragraph from templates/draft/,
 * cells carried over from last year's report), read into the model like an
 * import, and written through the renderer -o's extension names (md when
 * none), so 'nianbao check' on it lists exactly what is left to fill. */
#include "cli/cli.h"
#include "cli/prev_identity.h"
#include "plugin/import.h"
#include "io/term_text.h"
#include "api/api_modules.h"
#include "lua/lua_report.h"
#include "plugin/render_out.h"
#include <getopt.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "usage: nianbao new --agency NAME --year YEAR [--prev FILE] [-o OUT]\n"
    "\n"
    "Writes a draft report on YEAR for the agency NAME: the format's sections\n"
    "with the customary opening paragraph (统计期限, contact line) and the\n"
    "narrative skeleton of templates/draft/, and blank tables except the cells\n"
    "that carry over from last year's report FILE: 上年结转 takes last year's\n"
    "结转下年度, 现行有效件数 starts at last year's, and the contact details\n"
    "are kept.  'nianbao check' on the draft then lists every cell still to\n"
    "fill.  The output format follows the extension of OUT (md when it has\n"
    "none); without -o the draft goes to standard output.\n"
    "\n"
    "options:\n"
    "  --agency NAME     the agency, as in the title (上高县商务局)\n"
    "  --year YEAR       the report year\n"
    "  --prev FILE       last year's report (any importer reads it)\n"
    "  --format ID       the format of the draft (default: by YEAR)\n"
    "  -o, --output OUT  output file (md, txt, json, html, docx, …)\n"
    "  --to FORMAT       renderer id, when OUT's extension does not say\n"
    "  --plugin-dir DIR  also load plugins from DIR\n";

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
                            const nb_report *prev, nb_strbuf *err)
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
        nb_sb_puts(err, "lib/draft.lua does not return a table with a function start\n");
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
    return true;
}

static nb_report *build_draft(nb_host *h, const char *agency, int year, const char *format_id,
                              const nb_report *prev, nb_strbuf *err)
{
    if (!push_draft_call(h, agency, year, format_id, prev, err))
        return NULL;
    if (nb_sandbox_call(h->sb, 2, 1) != LUA_OK) {
        nb_sb_puts(err, "building the draft failed: ");
        nb_host_error(h, "lib/draft.lua", err);
        return NULL;
    }
    return nb_lua_to_report(h, "(draft)", format_id, err);
}

int nb_cmd_new(int argc, char **argv)
{
    static const struct option opts[] = {
        {"agency", required_argument, 0, 'a'}, {"year", required_argument, 0, 'y'},
        {"prev", required_argument, 0, 'p'},   {"format", required_argument, 0, 'f'},
        {"output", required_argument, 0, 'o'}, {"to", required_argument, 0, 't'},
        {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0}};
    const char *agency = NULL, *year_arg = NULL, *prev_path = NULL, *format_id = NULL;
    const char *out = NULL, *to = NULL, *plugin_dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'a': agency = optarg; break;
        case 'y': year_arg = optarg; break;
        case 'p': prev_path = optarg; break;
        case 'f': format_id = optarg; break;
        case 'o': out = optarg; break;
        case 't': to = optarg; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind != argc || !agency || !*agency || !year_arg) {
        fprintf(stderr, "nianbao new: give --agency NAME and --year YEAR (and nothing else)\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    int year;
    if (!nb_cli_year(year_arg, &year))
        return NB_EXIT_FAIL;
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    const nb_format_entry *fe = format_id ? nb_host_format(h, format_id) : nb_host_format_for_year(h, year);
    const nb_renderer *rd = NULL;
    nb_report *prev = NULL, *draft = NULL;
    if (!fe) {
        if (format_id)
            nb_sb_printf(&err, "nianbao new: unknown format '%s' (nianbao formats lists them)\n", format_id);
        else
            nb_sb_printf(&err, "nianbao new: no format covers the year %d; give one with --format\n", year);
    } else if ((rd = nb_renderer_choose(h, to, out, "md", &err)) != NULL) {
        nb_import_opts po = {0};
        if (prev_path)
            prev = nb_import_file(h, prev_path, &po, &err);
        if (prev && !nb_same_agency(prev->agency, agency) && (prev->address || prev->phone || prev->postcode)) {
            /* another unit's address and phone are not this unit's */
            fprintf(stderr, "nianbao new: --prev %s 是“%s”的报告，不是“%s”的：未沿用其地址、电话、邮编，请在草稿中填写\n",
                    prev_path, prev->agency, agency);
            prev->address = prev->phone = prev->postcode = NULL;
        }
        if (!prev_path || prev)
            draft = build_draft(h, agency, year, fe->format->id, prev, &err);
        if (draft && nb_render_report(h, rd, draft, out, &err))
            status = NB_EXIT_OK;
    }
    if (err.data)
        nb_fputs_term(err.data, stderr);
    nb_report_free(draft);
    nb_report_free(prev);
    nb_sb_free(&err);
    nb_host_free(h);
    return status;
}
