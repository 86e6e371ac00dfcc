/* nianbao overview: placeholder until written. */
#include "cli/cli_region.h"
#include <stdio.h>
int nb_cmd_overview(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("nianbao overview: 尚未实现\n", stderr);
    return 2;
}
