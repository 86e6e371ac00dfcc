/* libFuzzer's entry points around nb_fuzz_one (scripts/fuzz builds this):
 * each input is timed, and at exit the slowest one (of at most 64 KB) is
 * timed again (its first run may have loaded what the target needs) and
 * written to $NB_FUZZ_SLOWEST with both times on stderr, and the CPU time of
 * all inputs with its mean.  Time is CPU time (children's included): the machine is shared, and
 * wall-clock time would count the waits (libFuzzer's exec/s and slow units
 * are wall-clock). */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

static uint8_t *slowest;
static size_t slowest_size;
static double slowest_s = -1;
static double total_s;
static unsigned long ntimed;

static double tv_s(struct timeval t)
{
    return (double)t.tv_sec + (double)t.tv_usec / 1e6;
}

/* this process's CPU time and its children's (a PDF is read in a child:
 * io/pdf_apart.h) */
static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    struct rusage c;
    double children = getrusage(RUSAGE_CHILDREN, &c) == 0 ? tv_s(c.ru_utime) + tv_s(c.ru_stime) : 0;
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9 + children;
}

static void report_slowest(void)
{
    if (!ntimed)
        return;
    fprintf(stderr, "fuzz: CPU time %.1f s for %lu inputs, %.2f ms each\n", total_s, ntimed, total_s * 1e3 / (double)ntimed);
    if (slowest_s < 0)
        return;
    /* timed again: the first time may have loaded a plugin or compiled a
     * format's rules (the host is still open: its close was registered
     * before this and runs after it) */
    double t0 = now();
    nb_fuzz_one(slowest, slowest_size);
    double again = now() - t0;
    fprintf(stderr, "fuzz: slowest input %.3f s (%zu bytes), again %.3f s", slowest_s, slowest_size, again);
    const char *path = getenv("NB_FUZZ_SLOWEST");
    FILE *f = path ? fopen(path, "wb") : NULL;
    if (f) {
        fwrite(slowest, 1, slowest_size, f);
        fclose(f);
        fprintf(stderr, ": %s", path);
    }
    fputc('\n', stderr);
    free(slowest);
    slowest = NULL;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    nb_fuzz_init();
    atexit(report_slowest);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    double t0 = now();
    nb_fuzz_one(data, size);
    double s = now() - t0;
    total_s += s;
    ntimed++;
    if (s > slowest_s && size <= 65536) {
        uint8_t *copy = malloc(size ? size : 1);
        if (copy) {
            memcpy(copy, data, size);
            free(slowest);
            slowest = copy;
            slowest_size = size;
            slowest_s = s;
        }
    }
    return 0;
}
