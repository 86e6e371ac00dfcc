/* check -j N: worker processes over the file list.  The parent, after the
 * plugins are loaded, forks N workers; it hands each worker files by index
 * (at most sixteen waiting per worker), each worker checks its files and
 * sends back their results as bytes (check_result.h) in batches of up to
 * eight, and the parent takes the results in input order, so the output is
 * the same as checking the files one after another. */
#ifndef NB_CHECK_WORKERS_H
#define NB_CHECK_WORKERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct {
    /* The next file to check and its tag (passed on to one); NULL at the end.
     * The string stays valid until the next call. */
    const char *(*next)(void *ud, int *tag);
    /* Checks one file, writing its result as bytes to out.  Runs in a worker
     * (in the parent for "-", a very long path, or when no worker is left). */
    void (*one)(void *ud, const char *path, int tag, FILE *out);
    /* One file's result, in input order, in the parent; res is NULL when the
     * worker checking path died. */
    void (*take)(void *ud, const char *path, const char *res, size_t nres);
    /* In a worker before it exits: frees what the parent had set up (may be
     * NULL), so that a memory checker sees no leak in the worker. */
    void (*worker_done)(void *ud);
    /* In the parent, with more than one worker, before they fork: the first
     * file (may be NULL), to open what its import will need once for all
     * the workers. */
    void (*before_fork)(void *ud, const char *first);
    void *ud;
} nb_check_pool;

/* Runs the pool with njobs (>= 1) worker processes until next returns NULL.
 * A worker that dies has the file it was checking taken with res NULL; the
 * files handed to it after that one go to the workers again, and a new
 * worker takes its place. */
void nb_check_workers_run(int njobs, const nb_check_pool *p);

enum { NB_MAX_JOBS = 256 };

/* The default of -j: the number of cores online (at least 1; check_jobs.c). */
int nb_check_default_jobs(void);

/* Reads a -j argument (1..256); prints why not and returns false. */
bool nb_check_jobs_arg(const char *cmd, const char *s, int *jobs);

/* The files of a check run: the command line's, then the lines of a
 * --files-from list, read as they are needed. */
typedef struct {
    char **argv;
    int argc, i;
    const char *list;       /* --files-from, or NULL */
    FILE *fp;
    bool opened, from_stdin;
    bool open_failed, read_failed;
    int open_errno;
    char *line;
    size_t cap;
} nb_file_iter;

/* Tag of a "-" read from a list that itself comes from standard input. */
enum { NB_FILE_PLAIN = 0, NB_FILE_STDIN_IN_STDIN_LIST = 1 };

void nb_file_iter_init(nb_file_iter *it, int argc, char **argv, const char *list);
const char *nb_file_iter_next(nb_file_iter *it, int *tag);
/* Prints why the list could not be read (if so) and closes it; false then. */
bool nb_file_iter_finish(nb_file_iter *it);

#endif
