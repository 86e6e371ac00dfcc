/* The floor under (g) of scripts/bench: what any checker of these files
 * pays before it checks anything.  Each file is read whole as nianbao reads
 * one (open, fstat, one read of its size and a byte more, close), then its
 * bytes are walked once: lines counted and every run of ASCII digits parsed
 * into a number.  No UTF-8 check, no labels, no cells, no rule: a checker
 * cannot do less and still see the numbers.  The bench compiles it (cc -O2)
 * and times it beside nianbao and the Python checker, so that the target
 * "≥ 5× the Python checker" can be read against what the machine allows.
 *
 * usage: bench-floor --files-from LIST
 * prints "N files, L lines, R digit runs, S sum" (the sum keeps the compiler
 * from leaving the parse out); exit 2 when a file cannot be read. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *buf;
static size_t cap;

/* the file's bytes into buf; -1 when it cannot be read */
static long read_whole(const char *path)
{
    int fd = open(path, O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) < 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    size_t want = (size_t)st.st_size + 1;
    if (want > cap) {
        free(buf);
        cap = want;
        buf = malloc(cap);
        if (!buf)
            return -1;
    }
    ssize_t n = read(fd, buf, want);
    close(fd);
    return n;
}

int main(int argc, char **argv)
{
    if (argc != 3 || strcmp(argv[1], "--files-from") != 0) {
        fprintf(stderr, "usage: bench-floor --files-from LIST\n");
        return 2;
    }
    FILE *list = fopen(argv[2], "r");
    if (!list) {
        perror(argv[2]);
        return 2;
    }
    unsigned long long files = 0, lines = 0, runs = 0, sum = 0;
    char path[4096];
    while (fgets(path, sizeof path, list)) {
        path[strcspn(path, "\n")] = '\0';
        if (!*path)
            continue;
        long n = read_whole(path);
        if (n < 0) {
            perror(path);
            return 2;
        }
        files++;
        for (long k = 0; k < n;) {
            unsigned char c = (unsigned char)buf[k];
            if (c >= '0' && c <= '9') {
                unsigned long long v = 0;
                while (k < n && buf[k] >= '0' && buf[k] <= '9')
                    v = v * 10 + (unsigned)(buf[k++] - '0');
                sum += v;
                runs++;
                continue;
            }
            lines += c == '\n';
            k++;
        }
    }
    fclose(list);
    free(buf);
    printf("%llu files, %llu lines, %llu digit runs, %llu sum\n", files, lines, runs, sum);
    return 0;
}
