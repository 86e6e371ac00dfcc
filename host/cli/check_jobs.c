/* -j N of check and add: how many worker processes, read and checked once
 * for both commands. */
#include "cli/check_workers.h"
#include <stdlib.h>
#include <unistd.h>

int nb_check_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > NB_MAX_JOBS ? NB_MAX_JOBS : (int)n;
}

bool nb_check_jobs_arg(const char *cmd, const char *s, int *jobs)
{
    char *end;
    long n = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n < 1 || n > NB_MAX_JOBS) {
        fprintf(stderr, "nianbao %s: -j %s：进程数应为 1 到 %d 的整数，如 -j 2\n", cmd, s, NB_MAX_JOBS);
        return false;
    }
    *jobs = (int)n;
    return true;
}
