/* The commands of the nianbao CLI, one function each (argv[0] is the
 * command name), returning the process exit status. */
#ifndef NB_CLI_H
#define NB_CLI_H
#include "plugin/plugin_host.h"

int nb_cmd_check(int argc, char **argv);
int nb_cmd_render(int argc, char **argv);
int nb_cmd_formats(int argc, char **argv);
int nb_cmd_plugins(int argc, char **argv);
int nb_cmd_rules(int argc, char **argv);
int nb_cmd_new(int argc, char **argv);

/* Opens the host, printing any plugin error; NULL means exit 2. */
nb_host *nb_cli_open_host(const char *plugin_dir);

/* Reads a --year argument; prints why not and returns false. */
bool nb_cli_year(const char *s, int *year);

enum { NB_EXIT_OK = 0, NB_EXIT_FINDINGS = 1, NB_EXIT_FAIL = 2 };

#endif
