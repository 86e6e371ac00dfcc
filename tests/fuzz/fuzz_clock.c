/* See fuzz.h (nb_fuzz_cpu_seconds): the CPU time an input costs, the PDF
 * reader's included.  A PDF is read in a reader process kept for the run
 * (host/io/pdf_apart.h), whose time is no part of this process's clock and
 * counts among its children's only once it is waited for: its time so far
 * is read from /proc (schedstat: nanoseconds on a CPU). */
#include "fuzz.h"
#include <stdio.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double tv_s(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* the CPU time of the live children of this process (its main thread's) */
static double live_children(void)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/self/task/%ld/children", (long)getpid());
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    double s = 0;
    long pid;
    while (fscanf(f, "%ld", &pid) == 1) {
        snprintf(path, sizeof path, "/proc/%ld/schedstat", pid);
        FILE *g = fopen(path, "r");
        unsigned long long ns;
        if (g && fscanf(g, "%llu", &ns) == 1)
            s += (double)ns / 1e9;
        if (g)
            fclose(g);
    }
    fclose(f);
    return s;
}

double nb_fuzz_cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    struct rusage c;
    double waited = getrusage(RUSAGE_CHILDREN, &c) == 0 ? tv_s(c.ru_utime) + tv_s(c.ru_stime) : 0;
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9 + waited + live_children();
}
