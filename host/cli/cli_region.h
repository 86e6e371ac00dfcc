/* The region's views over the store: nianbao compare (cli_compare.c, logic
 * in lib/compare.lua) and nianbao overview (cli_overview.c, page drawn by
 * lib/overview.lua from templates/overview/). */
#ifndef NB_CLI_REGION_H
#define NB_CLI_REGION_H

int nb_cmd_compare(int argc, char **argv);
int nb_cmd_overview(int argc, char **argv);

#endif
