/* nianbao render: import a report and write it through a renderer plugin. */
#include "atomic_write.h"
#include "cli.h"
#include "import.h"
#include "lua_report.h"
#include <getopt.h>
#include <lauxlib.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: nianbao render FILE [--to FORMAT] [-o OUT]\n"
    "\n"
    "Writes the report in FILE (- for standard input) as FORMAT: the renderers\n"
    "listed by 'nianbao plugins' (md, json, …).  Without --to the format is\n"
    "taken from the extension of OUT.  Without -o the output goes to standard\n"
    "output; with -o it is written to a temporary file and renamed.\n"
    "\n"
    "options:\n"
    "  --to FORMAT       renderer id (md, json, …)\n"
    "  -o, --output OUT  output file\n"
    "  --format ID       read FILE as this format (default: by report year)\n"
    "  --via IMPORTER    read FILE with this importer\n"
    "  --plugin-dir DIR  also load plugins from DIR\n";

static const nb_renderer *by_extension(const nb_host *h, const char *out)
{
    const char *dot = out ? strrchr(out, '.') : NULL;
    if (!dot)
        return NULL;
    for (size_t i = 0; i < h->nrenderers; i++)
        if (strcasecmp(h->renderers[i].extension, dot + 1) == 0)
            return &h->renderers[i];
    return NULL;
}

typedef struct {
    nb_host *h;
    const nb_renderer *rd;
    const nb_report *r;
} render_call;

/* render(report, fmt), with the report table built inside the protected
 * call so that running out of Lua memory there is an error, not a panic */
static int call_render(lua_State *L)
{
    const render_call *c = lua_touserdata(L, 1);
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rd->fn_ref);
    nb_lua_push_report(c->h, c->r);
    lua_rawgeti(L, LUA_REGISTRYINDEX, nb_host_format(c->h, c->r->format->id)->decl_ref);
    lua_call(L, 2, 1);
    return 1;
}

int nb_cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {{"to", required_argument, 0, 't'},     {"output", required_argument, 0, 'o'},
                                         {"format", required_argument, 0, 'f'}, {"via", required_argument, 0, 'v'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    nb_import_opts io = {0};
    const char *to = NULL, *out = NULL, *plugin_dir = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 't': to = optarg; break;
        case 'o': out = optarg; break;
        case 'f': io.format_id = optarg; break;
        case 'v': io.via = optarg; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: fputs(HELP, stderr); return NB_EXIT_FAIL;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "nianbao render: give exactly one FILE\n\n%s", HELP);
        return NB_EXIT_FAIL;
    }
    nb_host *h = nb_cli_open_host(plugin_dir);
    if (!h)
        return NB_EXIT_FAIL;
    const nb_renderer *rd = to ? nb_host_renderer(h, to) : by_extension(h, out);
    if (!rd) {
        if (to)
            fprintf(stderr, "nianbao render: no renderer '%s' (nianbao plugins lists them)\n", to);
        else
            fprintf(stderr, "nianbao render: say which output with --to (md, json, …)%s\n",
                    out ? ": the extension of -o names no renderer" : "");
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    nb_report *r = nb_import_file(h, argv[optind], &io, &err);
    if (r) {
        lua_State *L = h->sb->L;
        render_call c = {.h = h, .rd = rd, .r = r};
        lua_pushcfunction(L, call_render);
        lua_pushlightuserdata(L, &c);
        if (nb_sandbox_call(h->sb, 1, 1) != LUA_OK) {
            nb_sb_printf(&err, "renderer '%s' (%s) failed: ", rd->id, rd->file);
            nb_host_error(h, rd->file, &err);
        } else if (lua_type(L, -1) != LUA_TSTRING) {
            nb_sb_printf(&err, "renderer '%s' (%s) returned a %s instead of a string\n", rd->id, rd->file,
                         luaL_typename(L, -1));
            lua_pop(L, 1);
        } else {
            size_t len;
            const char *data = lua_tolstring(L, -1, &len);
            if (nb_write_file_atomic(out, data, len, &err)) {
                status = NB_EXIT_OK;
                if (out && strcmp(out, "-") != 0)
                    fprintf(stderr, "wrote %s (%s)\n", out, rd->id);
            }
            lua_pop(L, 1);
        }
        nb_report_free(r);
    }
    if (err.data)
        fputs(err.data, stderr);
    nb_sb_free(&err);
    nb_host_free(h);
    return status;
}
