/* See data_dir.h. */
#include "base/data_dir.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Where the running binary says the data is: found once (a readlink and a
 * realpath, asked for every plugin file and lib module a command loads). */
static const char *exe_data_dir(void)
{
    static char dir[PATH_MAX];
    static const char *found;
    if (found)
        return found;
    found = NB_INSTALL_DATA_DIR;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash)
            *slash = '\0';
        char real_build[PATH_MAX];
        if (realpath(NB_BUILD_DIR, real_build) && strcmp(real_build, exe) == 0) {
            snprintf(dir, sizeof dir, "%s", NB_SOURCE_DIR);
            found = dir;
        }
    }
    return found;
}

const char *nb_data_dir(void)
{
    const char *env = getenv("NIANBAO_DATA_DIR");
    if (env && *env)
        return env;
    return exe_data_dir();
}
