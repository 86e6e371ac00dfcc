/* The commands of the nianbao CLI, one function each (argv[0] is the
 * command name), returning the process exit status. */
#ifndef NB_CLI_H
#define NB_CLI_H
#include "model/findings.h"
#include "model/report.h"
#include "plugin/plugin_host.h"

int nb_cmd_check(int argc, char **argv);
int nb_cmd_render(int argc, char **argv);
int nb_cmd_formats(int argc, char **argv);
int nb_cmd_plugins(int argc, char **argv);
int nb_cmd_rules(int argc, char **argv);
int nb_cmd_new(int argc, char **argv);

/* Opens the host, printing any plugin error; NULL means exit 2. */
nb_host *nb_cli_open_host(const char *plugin_dir);
/* The same, leaving unloaded what lazy says (nb_host_open_lazy); via, when
 * given, loads every importer so that --via may name any. */
nb_host *nb_cli_open_host_lazy(const char *plugin_dir, int lazy, const char *via);

/* Runs the rules of r's format, with prev as last year's report (or NULL),
 * into fs: the one way every command checks a report (cli_validate.c). */
void nb_cli_validate(nb_host *h, const nb_report *r, const nb_report *prev, nb_findings *fs);

/* Hands over h, which the command no longer uses, for the process's exit
 * to take back (main.c): only as a command returns to main. */
void nb_cli_leave_host(nb_host *h);

/* Reads a --year argument; prints why not and returns false. */
bool nb_cli_year(const char *s, int *year);

enum { NB_EXIT_OK = 0, NB_EXIT_FINDINGS = 1, NB_EXIT_FAIL = 2 };

#endif
