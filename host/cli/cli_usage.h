/* What every command shares about its usage: Chinese messages for bad
 * options (getopt's own are English), names given on the command line
 * checked against the plugins before any file is read, and the rule that -o
 * never replaces a file without --force. */
#ifndef NB_CLI_USAGE_H
#define NB_CLI_USAGE_H
#include "plugin/plugin_host.h"
#include <stdbool.h>

/* The optstring every command passes to getopt_long: a leading ':' so that a
 * missing value is told apart from an unknown option, and opterr is 0. */
#define NB_OPTSTRING(s) (":" s)

/* Prepares getopt_long for a new command line (optind = 1, opterr = 0). */
void nb_cli_getopt_reset(void);

/* Prints the Chinese usage error for getopt_long's return c ('?' or ':')
 * and then help; returns NB_EXIT_FAIL. */
int nb_cli_bad_option(const char *cmd, char **argv, int c, const char *help);

/* Prints "nianbao CMD: MSG" then a pointer to --help; returns NB_EXIT_FAIL. */
int nb_cli_usage_error(const char *cmd, const char *msg);

/* Checks the format, importer and renderer ids given on the command line
 * (any may be NULL); prints a usage error listing the known ones and returns
 * false on the first unknown. */
bool nb_cli_known_names(const nb_host *h, const char *cmd, const char *format_id, const char *via, const char *to);

/* True when out may be written: standard output, or a path that does not
 * exist yet, or force.  Otherwise prints why not and returns false. */
bool nb_cli_may_write(const char *cmd, const char *out, bool force);

#endif
