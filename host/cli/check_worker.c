/* A check -j worker process (see check_worker.h): reads jobs from its pipe,
 * checks each file with the pool's `one`, and sends the results back in
 * batches, so that the parent is woken once a batch rather than once a
 * file. */
#define _GNU_SOURCE /* fopencookie */
#include "cli/check_worker.h"
#include "base/xalloc.h"
#include "base/worker_pipe.h"
#include "io/pdf_apart.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static ssize_t sb_write(void *c, const char *buf, size_t n)
{
    nb_sb_append(c, buf, n);
    return (ssize_t)n;
}

FILE *nb_strbuf_stream(nb_strbuf *sb)
{
    FILE *f = fopencookie(sb, "w", (cookie_io_functions_t){.write = sb_write});
    if (!f)
        nb_out_of_memory();
    return f;
}

_Noreturn static void worker_exit(const nb_check_pool *p, int job_fd, int res_fd, nb_rbuf *jobs, int status)
{
    free(jobs->data);
    close(job_fd);
    close(res_fd);
    if (p->worker_done)
        p->worker_done(p->ud);
    nb_pdf_reader_stop();
    _exit(status);
}

_Noreturn void nb_check_worker_main(const nb_check_pool *p, int job_fd, int res_fd, volatile uint64_t *began,
                                    int batch_size)
{
    nb_job_head jh;
    nb_rbuf jobs;
    nb_rbuf_init(&jobs);
    nb_strbuf batch;
    nb_sb_init(&batch);
    FILE *out = nb_strbuf_stream(&batch);
    int nbatch = 0, most = began ? batch_size : 1;
    for (;;) {
        /* sent before waiting for a job, or when the batch is full */
        if (nbatch && (nbatch >= most || !nb_rbuf_pending(&jobs))) {
            if (!nb_pipe_write_all(res_fd, batch.data, batch.len))
                worker_exit(p, job_fd, res_fd, &jobs, 3);
            batch.len = 0;
            nbatch = 0;
        }
        if (!nb_pipe_read_all(job_fd, &jobs, &jh, sizeof jh))
            break;
        char *path = nb_xmalloc((size_t)jh.len + 1);
        if (!nb_pipe_read_all(job_fd, &jobs, path, jh.len)) {
            free(path);
            worker_exit(p, job_fd, res_fd, &jobs, 3);
        }
        path[jh.len] = '\0';
        size_t at = batch.len;
        nb_sb_append(&batch, (const char *)&(nb_result_head){.index = jh.index}, sizeof(nb_result_head));
        if (began)
            *began = jh.index + 1;
        p->one(p->ud, path, (int)jh.tag, out);
        if (fflush(out) != 0)
            nb_out_of_memory();
        if (began)
            *began = 0;
        free(path);
        nb_result_head rh = {.index = jh.index, .nres = batch.len - at - sizeof rh};
        memcpy(batch.data + at, &rh, sizeof rh);
        nbatch++;
    }
    fclose(out);
    nb_sb_free(&batch);
    worker_exit(p, job_fd, res_fd, &jobs, 0);
}
