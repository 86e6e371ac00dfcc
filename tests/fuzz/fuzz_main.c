/* libFuzzer's entry points around nb_fuzz_one (scripts/fuzz builds this):
 * each input is timed, and at exit the slowest one (of at most 64 KB) is
 * timed again (its first run may have loaded what the target needs) and
 * written to $NB_FUZZ_SLOWEST with both times on stderr, and the CPU time of
 * all inputs with its mean.  Time is CPU time (the PDF reader's included:
 * fuzz_clock.c): the machine is shared, and
 * wall-clock time would count the waits (libFuzzer's exec/s and slow units
 * are wall-clock). */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint8_t *slowest;
static size_t slowest_size;
static double slowest_s = -1;
static double total_s;
static unsigned long ntimed;

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
    double t0 = nb_fuzz_cpu_seconds();
    nb_fuzz_one(slowest, slowest_size);
    double again = nb_fuzz_cpu_seconds() - t0;
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
    double t0 = nb_fuzz_cpu_seconds();
    nb_fuzz_one(data, size);
    double s = nb_fuzz_cpu_seconds() - t0;
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
