/* See data_dir.h. */
#include "base/data_dir.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *nb_data_dir(void)
{
    static char dir[PATH_MAX];
    const char *env = getenv("NIANBAO_DATA_DIR");
    if (env && *env)
        return env;
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
            return dir;
        }
    }
    return NB_INSTALL_DATA_DIR;
}
