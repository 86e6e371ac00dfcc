/* nianbao render: import a report and write it through a renderer plugin. */
#include "cli/cli.h"
#include "io/findings_out.h"
#include "io/term_text.h"
#include "plugin/import.h"
#include "plugin/render_out.h"
#include "rules/validator.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char HELP[] =
    "usage: nianbao render FILE [--to FORMAT] [-o OUT]\n"
    "\n"
    "Writes the report in FILE (- for standard input) as FORMAT: the renderers\n"
    "listed by 'nianbao plugins' (md, json, txt, csv, html, docx).  Without --to\n"
    "the format is taken from the extension of OUT.  Without -o the output goes\n"
    "to standard output (binary output such as docx is refused on a terminal);\n"
    "with -o it is written to a temporary file and renamed.\n"
    "\n"
    "options:\n"
    "  --to FORMAT       renderer id (md, json, txt, csv, html, docx, …)\n"
    "  -o, --output OUT  output file\n"
    "  --format ID       read FILE as this format (default: by report year)\n"
    "  --via IMPORTER    read FILE with this importer\n"
    "  --year YEAR       the report year, for sources that do not state it (the\n"
    "                    application register: table 三 is computed for YEAR)\n"
    "  --plugin-dir DIR  also load plugins from DIR\n";

int nb_cmd_render(int argc, char **argv)
{
    static const struct option opts[] = {{"to", required_argument, 0, 't'},     {"output", required_argument, 0, 'o'},
                                         {"format", required_argument, 0, 'f'}, {"via", required_argument, 0, 'v'},
                                         {"year", required_argument, 0, 'y'},
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
        case 'y':
            if (!nb_cli_year(optarg, &io.year))
                return NB_EXIT_FAIL;
            break;
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
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    const nb_renderer *rd = nb_renderer_choose(h, to, out, NULL, &err);
    if (!rd) {
        fprintf(stderr, "nianbao render: %s", err.data);
        nb_sb_free(&err);
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    nb_report *r = nb_import_file(h, argv[optind], &io, &err);
    if (r) {
        /* what the importer noticed (a unit converted, a cell it could not
         * decide) is said here too, not only by check */
        nb_findings notes;
        nb_findings_init(&notes);
        nb_report_notes(r, &notes);
        nb_findings_print(stderr, r->source, &notes);
        nb_findings_free(&notes);
        if (nb_render_report(h, rd, r, out, &err))
            status = NB_EXIT_OK;
        nb_report_free(r);
    }
    if (err.data)
        nb_fputs_term(err.data, stderr);
    nb_sb_free(&err);
    nb_host_free(h);
    return status;
}
