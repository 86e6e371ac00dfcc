/* check -j N: the parent's side of the worker pool (see check_workers.h;
 * check_worker.c is the worker's, its messages in check_worker.h, written
 * and read through worker_pipe.h).
 *
 * A worker has at most PER_WORKER files handed to it and not yet answered,
 * and is handed more only when it is down to half of that (the files
 * handed to it in one round go in one write, taken in one read); it sends
 * its results in batches of half of PER_WORKER (or what it has when no job
 * is waiting in its buffer), so the parent is woken once a batch rather
 * than once a file, and the worker still has half its files to check while
 * the parent answers.  No file more than AHEAD a worker ahead of the next
 * one to print is handed out, so the parent holds at most that many results
 * whatever the list's length; it is wide enough that one worker keeps going
 * while another is off its core for a scheduler's time slice (with only
 * PER_WORKER files of room, a busy machine's preemption of one worker
 * stalled the other too).
 * The index of the file a worker is checking stands in memory shared with
 * the parent (`began`).  A worker that dies (a plugin's runaway C code past
 * the time limit ends its process) loses the one file it was checking, the
 * one `began` names: the files it finished but had not sent, and those
 * handed to it after, go to the others again, and a new worker takes its
 * place. */
#include "cli/check_workers.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "cli/check_worker.h"
#include "base/worker_pipe.h"
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

enum { PER_WORKER = 16, BATCH = PER_WORKER / 2, AHEAD = 64 };
/* a longer path is checked in the parent: the jobs handed to a worker
 * (PER_WORKER of them) always fit the pipe's buffer (64 KiB), so the parent
 * never waits on a worker that waits on it */
#define MAX_JOB_PATH (65536 / PER_WORKER - sizeof(nb_job_head))

/* One file's result waiting to be taken, with its path; res is NULL when the
 * worker checking it died. */
typedef struct {
    bool ready;
    char *res, *path;
    size_t nres;
} slot;

typedef struct {
    pid_t pid;
    int job_fd, res_fd;
    nb_rbuf res_in;                 /* the result pipe, read through it */
    bool alive;
    int nwait;                      /* handed out, not answered */
    int nsent;                      /* of these, the first nsent written to it */
    nb_strbuf jobs_out;             /* the jobs of the others, for flush_jobs */
    uint64_t wait_index[PER_WORKER];  /* in the order handed out */
    char *wait_path[PER_WORKER];
    int wait_tag[PER_WORKER];
} worker;

/* Files handed to a worker that died before it began them: handed out
 * again, before any new file, in their order. */
typedef struct {
    uint64_t index;
    char *path;
    int tag;
} again_job;

typedef struct {
    again_job *jobs;
    size_t n, cap;
} again_list;

/* Checks path with p->one, its result caught in memory. */
static void check_captured(const nb_check_pool *p, const char *path, int tag, slot *s)
{
    memset(s, 0, sizeof *s);
    nb_strbuf sb;
    nb_sb_init(&sb);
    FILE *out = nb_strbuf_stream(&sb);
    p->one(p->ud, path, tag, out);
    if (fclose(out) != 0)
        nb_out_of_memory();
    s->nres = sb.len;
    s->res = nb_sb_take(&sb);
    s->ready = true;
}

/* One run of the pool: its workers, the results waiting to be printed, and
 * the files to hand out again. */
typedef struct {
    const nb_check_pool *p;
    worker ws[NB_MAX_JOBS];
    int n;
    slot *slots;
    size_t window;
    again_list again;
    volatile uint64_t *began; /* shared with the workers: each one's file begun (index + 1), or 0; may be NULL */
} pool_run;

/* Starts worker w; false when the system refuses (no worker then). */
static bool start_worker(pool_run *r, int w)
{
    int jp[2], rp[2];
    if (pipe(jp) != 0)
        return false;
    if (pipe(rp) != 0) {
        close(jp[0]);
        close(jp[1]);
        return false;
    }
    fflush(NULL); /* nothing buffered is written twice */
    if (r->began)
        r->began[w] = 0;
    pid_t pid = fork();
    if (pid < 0) {
        close(jp[0]), close(jp[1]), close(rp[0]), close(rp[1]);
        return false;
    }
    if (pid == 0) {
        /* the other workers' pipes: a copy held here would keep them from
         * ever seeing the end of their jobs */
        for (int i = 0; i < r->n; i++)
            if (r->ws[i].alive && i != w) {
                close(r->ws[i].job_fd), close(r->ws[i].res_fd);
                free(r->ws[i].res_in.data);
                nb_sb_free(&r->ws[i].jobs_out);
            }
        close(jp[1]);
        close(rp[0]);
        nb_check_worker_main(r->p, jp[0], rp[1], r->began ? &r->began[w] : NULL, BATCH);
    }
    close(jp[0]);
    close(rp[1]);
    r->ws[w] = (worker){.pid = pid, .job_fd = jp[1], .res_fd = rp[0], .alive = true};
    nb_rbuf_init(&r->ws[w].res_in);
    return true;
}

/* Reads one result of worker wk into its slot; false when the worker is gone. */
static bool take_result(worker *wk, slot *slots, size_t window)
{
    nb_result_head rh;
    if (!nb_pipe_read_all(wk->res_fd, &wk->res_in, &rh, sizeof rh) || wk->nwait == 0 || rh.index != wk->wait_index[0])
        return false;
    if (rh.nres > ((uint64_t)1 << 40))
        return false; /* not a worker's answer */
    slot *s = &slots[rh.index % window];
    memset(s, 0, sizeof *s);
    s->res = nb_xmalloc((size_t)rh.nres + 1);
    if (!nb_pipe_read_all(wk->res_fd, &wk->res_in, s->res, (size_t)rh.nres)) {
        free(s->res);
        s->res = NULL;
        return false;
    }
    s->nres = (size_t)rh.nres;
    s->ready = true;
    s->path = wk->wait_path[0]; /* now the slot's */
    for (int i = 1; i < wk->nwait; i++) {
        wk->wait_index[i - 1] = wk->wait_index[i];
        wk->wait_path[i - 1] = wk->wait_path[i];
        wk->wait_tag[i - 1] = wk->wait_tag[i];
    }
    wk->nwait--;
    wk->nsent--;
    return true;
}

/* Worker w is gone: the file it was checking (the one its `began` names,
 * else the first it has not answered, when that was written to it) is
 * taken as lost, the others it had not answered are to be handed out
 * again, and a new worker takes its place when it had a file (each death
 * loses one, so the list still comes to its end). */
static void lose_worker(pool_run *r, int w)
{
    worker *wk = &r->ws[w];
    close(wk->job_fd);
    close(wk->res_fd);
    free(wk->res_in.data);
    nb_sb_free(&wk->jobs_out);
    wk->alive = false;
    kill(wk->pid, SIGKILL); /* it may only have stopped answering */
    while (waitpid(wk->pid, NULL, 0) < 0 && errno == EINTR) {
    }
    int lost = wk->nsent > 0 ? 0 : -1;
    uint64_t began = r->began ? r->began[w] : 0;
    for (int i = 0; i < wk->nsent; i++)
        if (began == wk->wait_index[i] + 1)
            lost = i;
    for (int i = 0; i < wk->nwait; i++) {
        if (i == lost) {
            slot *s = &r->slots[wk->wait_index[i] % r->window];
            memset(s, 0, sizeof *s);
            s->path = wk->wait_path[i]; /* now the slot's */
            s->ready = true;
            continue;
        }
        again_list *a = &r->again;
        if (a->n == a->cap)
            a->jobs = nb_xrealloc(a->jobs, (a->cap = a->cap ? 2 * a->cap : 8) * sizeof *a->jobs);
        a->jobs[a->n++] = (again_job){wk->wait_index[i], wk->wait_path[i], wk->wait_tag[i]};
    }
    wk->nwait = wk->nsent = 0;
    if (lost >= 0)
        start_worker(r, w);
}

/* May worker w be handed a file in this round?  When it is down to half
 * its files, or already being handed some. */
static bool has_room(const worker *wk)
{
    return wk->alive && wk->nwait < PER_WORKER && (wk->nwait <= PER_WORKER / 2 || wk->nsent < wk->nwait);
}

/* Hands path (index) to a worker with room, written to it by flush_jobs;
 * false when none has room. */
static bool hand_out(pool_run *r, uint64_t index, const char *path, int tag)
{
    int best = -1;
    for (int w = 0; w < r->n; w++)
        if (has_room(&r->ws[w]) && (best < 0 || r->ws[w].nwait < r->ws[best].nwait))
            best = w;
    if (best < 0)
        return false;
    worker *wk = &r->ws[best];
    size_t len = strlen(path);
    nb_job_head jh = {.index = index, .tag = (uint32_t)tag, .len = (uint32_t)len};
    nb_sb_append(&wk->jobs_out, (const char *)&jh, sizeof jh);
    nb_sb_append(&wk->jobs_out, path, len);
    wk->wait_index[wk->nwait] = index;
    wk->wait_path[wk->nwait] = nb_xstrdup(path);
    wk->wait_tag[wk->nwait] = tag;
    wk->nwait++;
    return true;
}

/* Writes the files handed out in this round, one write a worker; false when
 * a worker could not be written to (it is lost: its files not written go
 * to the others again). */
static bool flush_jobs(pool_run *r)
{
    bool all = true;
    for (int w = 0; w < r->n; w++) {
        worker *wk = &r->ws[w];
        if (!wk->alive || wk->nsent == wk->nwait)
            continue;
        if (!nb_pipe_write_all(wk->job_fd, wk->jobs_out.data, wk->jobs_out.len)) {
            lose_worker(r, w);
            all = false;
            continue;
        }
        wk->jobs_out.len = 0;
        wk->nsent = wk->nwait;
    }
    return all;
}

/* Checks path here, in the parent, into its slot. */
static void check_here(pool_run *r, uint64_t index, const char *path, int tag)
{
    check_captured(r->p, path, tag, &r->slots[index % r->window]);
    r->slots[index % r->window].path = nb_xstrdup(path);
}

static bool any_alive(const pool_run *r)
{
    for (int w = 0; w < r->n; w++)
        if (r->ws[w].alive)
            return true;
    return false;
}

/* Hands out again the files of workers that died before beginning them;
 * false when every worker is busy. */
static bool hand_out_again(pool_run *r)
{
    again_list *a = &r->again;
    while (a->n) {
        again_job j = a->jobs[0];
        if (!any_alive(r))
            check_here(r, j.index, j.path, j.tag);
        else if (!hand_out(r, j.index, j.path, j.tag))
            return false;
        free(j.path);
        memmove(a->jobs, a->jobs + 1, --a->n * sizeof *a->jobs);
    }
    return true;
}

void nb_check_workers_run(int njobs, const nb_check_pool *p)
{
    pool_run *r = nb_xcalloc(1, sizeof *r);
    r->p = p;
    void *shared = mmap(NULL, NB_MAX_JOBS * sizeof(uint64_t), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    r->began = shared == MAP_FAILED ? NULL : shared;
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN); /* a dead worker is an error, not our death */
    const char *pending = NULL; /* read from the list, not yet handed out */
    int pending_tag = 0;
    bool more = true;
    if (njobs > 1 && p->before_fork) {
        more = (pending = p->next(p->ud, &pending_tag)) != NULL;
        p->before_fork(p->ud, pending);
    }
    while (r->n < njobs && r->n < NB_MAX_JOBS && start_worker(r, r->n))
        r->n++;
    int n = r->n;
    r->window = (size_t)(n > 0 ? n : 1) * AHEAD;
    r->slots = nb_xcalloc(r->window, sizeof(slot));
    struct pollfd *pfd = nb_xcalloc((size_t)(n > 0 ? n : 1), sizeof(struct pollfd));
    int *pw = nb_xcalloc((size_t)(n > 0 ? n : 1), sizeof(int));
    uint64_t next_index = 0, emit_index = 0;
    for (;;) {
        /* hand out what the window allows, the files to hand out again first */
        do {
            while (hand_out_again(r) && more && next_index - emit_index < r->window) {
                if (!pending && !(pending = p->next(p->ud, &pending_tag))) {
                    more = false;
                    break;
                }
                /* standard input is read here, in order, never by two workers at once */
                if (!any_alive(r) || strlen(pending) > MAX_JOB_PATH || strcmp(pending, "-") == 0)
                    check_here(r, next_index, pending, pending_tag);
                else if (!hand_out(r, next_index, pending, pending_tag))
                    break; /* every worker busy */
                pending = NULL;
                next_index++;
            }
        } while (!flush_jobs(r));
        /* print what is ready, in order */
        while (emit_index < next_index && r->slots[emit_index % r->window].ready) {
            slot *s = &r->slots[emit_index % r->window];
            p->take(p->ud, s->path, s->res, s->nres);
            free(s->res);
            free(s->path);
            memset(s, 0, sizeof *s);
            emit_index++;
        }
        if (!more && emit_index == next_index)
            break;
        /* wait for an answer */
        int np = 0;
        for (int w = 0; w < n; w++)
            if (r->ws[w].alive && r->ws[w].nwait > 0) {
                pfd[np] = (struct pollfd){.fd = r->ws[w].res_fd, .events = POLLIN};
                pw[np++] = w;
            }
        if (np == 0)
            continue; /* the window is full of results made here */
        if (np == 1)
            pfd[0].revents = POLLIN; /* one to wait for: its read waits */
        else if (poll(pfd, (nfds_t)np, -1) < 0) {
            if (errno == EINTR)
                continue;
            for (int i = 0; i < np; i++)
                lose_worker(r, pw[i]);
            continue;
        }
        for (int i = 0; i < np; i++) {
            if (!pfd[i].revents)
                continue;
            /* the result that woke us, and those read with it */
            worker *wk = &r->ws[pw[i]];
            bool ok;
            while ((ok = take_result(wk, r->slots, r->window)) && nb_rbuf_pending(&wk->res_in)) {
            }
            if (!ok)
                lose_worker(r, pw[i]);
        }
    }
    /* end of jobs: every worker told before any is waited for, so they
     * free what they hold and exit side by side */
    for (int w = 0; w < n; w++)
        if (r->ws[w].alive) { /* else reaped when it was lost */
            close(r->ws[w].job_fd);
            close(r->ws[w].res_fd);
            free(r->ws[w].res_in.data);
            nb_sb_free(&r->ws[w].jobs_out);
        }
    for (int w = 0; w < n; w++)
        while (r->ws[w].alive && waitpid(r->ws[w].pid, NULL, 0) < 0 && errno == EINTR) {
        }
    signal(SIGPIPE, old_pipe);
    if (r->began)
        munmap((void *)r->began, NB_MAX_JOBS * sizeof(uint64_t));
    free(r->again.jobs);
    free(pw);
    free(pfd);
    free(r->slots);
    free(r);
}
