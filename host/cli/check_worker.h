/* The worker's side of check -j (check_workers.c is the parent's): the
 * messages between the two, and the loop a worker process runs. */
#ifndef NB_CHECK_WORKER_H
#define NB_CHECK_WORKER_H
#include "base/strbuf.h"
#include "cli/check_workers.h"
#include <stdint.h>
#include <stdio.h>

/* Parent -> worker (job pipe): the head, then len bytes of the path. */
typedef struct {
    uint64_t index;
    uint32_t tag, len;
} nb_job_head;

/* Worker -> parent (result pipe): the head, then nres bytes of the result. */
typedef struct {
    uint64_t index, nres;
} nb_result_head;

/* A stream whose bytes are appended to sb (fopencookie): one per worker for
 * its whole life, so a file's result costs no stream of its own. */
FILE *nb_strbuf_stream(nb_strbuf *sb);

/* The worker's loop, until its job pipe ends: each file's result appended
 * to a batch, sent when it holds `batch` results or no job is waiting in
 * the worker's buffer; the file's index + 1 in *began while it is checked
 * (began NULL: no shared memory, every result sent at once).  Exits the
 * process. */
_Noreturn void nb_check_worker_main(const nb_check_pool *p, int job_fd, int res_fd, volatile uint64_t *began,
                                    int batch);

#endif
