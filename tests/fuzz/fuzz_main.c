/* libFuzzer's entry points around nb_fuzz_one (scripts/fuzz builds this):
 * each input is timed, and at exit the slowest one (of at most 64 KB; the
 * first input, which loads what the target needs, is said apart) is
 * written to $NB_FUZZ_SLOWEST with its time on stderr, and the CPU time of
 * all inputs with its mean.  Time is CPU time: the machine is shared, and
 * wall-clock time would count the waits (libFuzzer's exec/s and slow units
 * are wall-clock). */
#include "fuzz.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint8_t *slowest;
static size_t slowest_size;
static double slowest_s = -1;
static double total_s;
static unsigned long ntimed;
static double first_s = -1; /* the first input also loads the plugins it needs */

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void report_slowest(void)
{
    if (!ntimed)
        return;
    fprintf(stderr, "fuzz: CPU time %.1f s for %lu inputs, %.2f ms each\n", total_s, ntimed, total_s * 1e3 / (double)ntimed);
    fprintf(stderr, "fuzz: first input %.3f s (with the first loading of the plugins and formats it needs)\n", first_s);
    if (slowest_s < 0)
        return;
    fprintf(stderr, "fuzz: slowest input %.3f s (%zu bytes)", slowest_s, slowest_size);
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
    if (ntimed++ == 0) {
        first_s = s; /* not an input's own cost: said apart */
        return 0;
    }
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
