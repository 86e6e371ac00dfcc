/* The replay program of a fuzz target in the normal build: feeds every file
 * of the directories (or files) named on the command line to nb_fuzz_one,
 * in name order, and says how many and which was slowest (CPU time).  meson test runs
 * it over tests/fuzz/corpus/TARGET/; exit 0 unless a file cannot be read
 * (a crash, a sanitizer report or a plugin error is the failure it looks
 * for). */
#include "fuzz.h"
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static double slowest_s;
static char slowest_name[512];
static unsigned long nfiles;

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        perror(path);
        return 1;
    }
    size_t cap = 4096, len = 0;
    uint8_t *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            uint8_t *more = realloc(buf, cap *= 2);
            if (!more) {
                free(buf);
                buf = NULL;
            }
            buf = more;
        }
    }
    fclose(f);
    if (!buf) {
        fprintf(stderr, "%s: out of memory\n", path);
        return 1;
    }
    /* libFuzzer hands over exactly size bytes: the copy is exactly as long */
    uint8_t *exact = malloc(len ? len : 1);
    memcpy(exact, buf, len);
    free(buf);
    double a = nb_fuzz_cpu_seconds();
    nb_fuzz_one(exact, len);
    double s = nb_fuzz_cpu_seconds() - a;
    free(exact);
    if (s > slowest_s) {
        slowest_s = s;
        snprintf(slowest_name, sizeof slowest_name, "%s", path);
    }
    nfiles++;
    return 0;
}

static int by_name(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

static int run_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) {
        perror(dir);
        return 1;
    }
    char **names = NULL;
    size_t count = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        names = realloc(names, (count + 1) * sizeof *names);
        names[count++] = strdup(e->d_name);
    }
    closedir(d);
    if (count)
        qsort(names, count, sizeof *names, by_name);
    int status = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        status |= run_file(path);
        free(names[i]);
    }
    free(names);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
        return 2;
    }
    /* the committed corpus is refused as input errors, never as plugin
     * errors (an importer's bug): a plugin error stops the replay */
    setenv("NB_FUZZ_STRICT", "1", 0);
    nb_fuzz_init();
    int status = 0;
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            status |= run_dir(argv[i]);
        else
            status |= run_file(argv[i]);
    }
    printf("%lu inputs replayed; slowest %.3f s: %s\n", nfiles, slowest_s, slowest_name[0] ? slowest_name : "-");
    fflush(stdout);
    if (nfiles == 0) {
        fprintf(stderr, "no input to replay\n");
        return 1;
    }
    return status;
}
