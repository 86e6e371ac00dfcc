/* See pdf_apart.h.  One reader process is forked when the first PDF is
 * read and kept: it reads the PDFs it is sent one at a time and answers
 * each with what nb_pdf_read gave, as one message (native byte order: the
 * reader is this same program).  A fork for every file cost more than the
 * file (6.5 ms of system time a PDF on the normal build, 30 ms under ASan).
 * A reader that dies (its memory limit, the time limit, a fault in poppler
 * or qpdf) refuses the file it was reading, and the next PDF starts a new
 * one.  It ends with _exit, running none of this process's exit handlers,
 * when its pipe ends or this process dies; its stderr is /dev/null (see
 * reader_main).  The libraries are loaded here first, so that the reader
 * inherits them loaded. */
#define _GNU_SOURCE /* close_range */
#include "io/pdf_apart.h"
#include "base/byte_cursor.h"
#include "base/strbuf.h"
#include "base/worker_pipe.h"
#include "base/xalloc.h"
#include "io/lazy_open.h"
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- the message: ok, too_big, bytes, the error, then each page ---- */

static void encode(nb_strbuf *b, bool ok, const nb_pdf *pdf, const char *err)
{
    nb_put_u8(b, ok);
    nb_put_u8(b, pdf->too_big);
    nb_put_u64(b, pdf->bytes);
    nb_put_str(b, err);
    nb_put_u32(b, (uint32_t)pdf->npages);
    for (size_t i = 0; i < pdf->npages; i++) {
        const nb_pdf_page *pg = &pdf->pages[i];
        nb_put_f64(b, pg->width);
        nb_put_f64(b, pg->height);
        nb_put_u32(b, (uint32_t)pg->nlines);
        for (size_t l = 0; l < pg->nlines; l++)
            nb_put_str(b, pg->lines[l]);
        nb_put_u32(b, (uint32_t)pg->nwords);
        for (size_t w = 0; w < pg->nwords; w++) {
            const nb_pdf_word *wd = &pg->words[w];
            nb_put_str(b, wd->text);
            nb_put_f64(b, wd->x0);
            nb_put_f64(b, wd->y0);
            nb_put_f64(b, wd->x1);
            nb_put_f64(b, wd->y1);
            nb_put_u32(b, (uint32_t)wd->line);
        }
    }
}

/* a string of the message, NUL-terminated, for nb_pdf_free ("" for NULL) */
static char *take_str(nb_byte_cursor *c)
{
    char *s = nb_take_strdup(c);
    return s ? s : nb_xstrdup("");
}

/* false when the message is cut short or malformed (pdf then holds what
 * was decoded, for nb_pdf_free) */
static bool decode(const nb_strbuf *msg, bool *ok, nb_pdf *pdf, char *err, size_t errsz)
{
    nb_byte_cursor c = nb_byte_cursor_of(msg->data, msg->len);
    *ok = nb_take_u8(&c) != 0;
    pdf->too_big = nb_take_u8(&c) != 0;
    pdf->bytes = (size_t)nb_take_u64(&c);
    char *e = take_str(&c);
    snprintf(err, errsz, "%s", e);
    free(e);
    size_t npages = nb_take_count(&c, 2 * 8 + 2 * 4);
    pdf->pages = nb_xcalloc(npages ? npages : 1, sizeof *pdf->pages);
    for (size_t i = 0; i < npages && !c.bad; i++) {
        nb_pdf_page *pg = &pdf->pages[pdf->npages++];
        pg->width = nb_take_f64(&c);
        pg->height = nb_take_f64(&c);
        size_t nlines = nb_take_count(&c, 4);
        pg->lines = nb_xmalloc((nlines ? nlines : 1) * sizeof *pg->lines);
        pg->caplines = nlines;
        for (size_t l = 0; l < nlines && !c.bad; l++)
            pg->lines[pg->nlines++] = take_str(&c);
        size_t nwords = nb_take_count(&c, 4 + 4 * 8 + 4);
        pg->words = nb_xmalloc((nwords ? nwords : 1) * sizeof *pg->words);
        pg->capwords = nwords;
        for (size_t w = 0; w < nwords && !c.bad; w++) {
            nb_pdf_word *wd = &pg->words[pg->nwords++];
            wd->text = take_str(&c);
            wd->x0 = nb_take_f64(&c);
            wd->y0 = nb_take_f64(&c);
            wd->x1 = nb_take_f64(&c);
            wd->y1 = nb_take_f64(&c);
            wd->line = nb_take_u32(&c);
            if (wd->line > pg->nlines)
                c.bad = true;
        }
    }
    return nb_byte_cursor_done(&c);
}

/* ---- the reader process ---- */

/* the address space this process has mapped, in bytes (0: unknown) */
static size_t address_space(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (f) {
        if (fscanf(f, "%lu", &pages) != 1)
            pages = 0;
        fclose(f);
    }
    return (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
}

typedef struct {
    uint64_t len, max_bytes;
    double deadline; /* monotonic() seconds; 0: none */
} request;

/* The file descriptors inherited from this process other than in and out
 * (a check -j worker's pipes, a store's database) closed: a copy held by
 * the reader would keep their other ends from seeing them end. */
static void close_others(int in, int out)
{
    int lo = in < out ? in : out, hi = in < out ? out : in;
    if (lo > 3)
        close_range(3, (unsigned)lo - 1, 0);
    if (hi > lo + 1)
        close_range((unsigned)lo + 1, (unsigned)hi - 1, 0);
    close_range((unsigned)hi + 1, ~0u, 0);
}

/* seconds on CLOCK_MONOTONIC, the same clock in the reader as here */
static double monotonic(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The reader's time for a file ends READER_MARGIN seconds before the call's
 * deadline (half the time left when that is shorter; 0: no deadline): the
 * reader is stopped first, so the file is refused as one that took too
 * long to read, and the call goes on to the next file before its own limit
 * would stop the plugin (a margin of 50 ms was too short on a loaded
 * machine for this process to wake and unwind, and 250 ms under ASan with
 * both cores busy). */
#define READER_MARGIN 0.5
static void set_alarm(double deadline)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    if (deadline > 0) {
        double left = deadline - monotonic();
        double s = left > 2 * READER_MARGIN ? left - READER_MARGIN : left / 2;
        s = s < 0.001 ? 0.001 : s > 1e6 ? 1e6 : s;
        t.it_value.tv_sec = (time_t)s;
        t.it_value.tv_usec = (suseconds_t)((s - (double)(time_t)s) * 1e6) + 1;
    }
    setitimer(ITIMER_REAL, &t, NULL);
}

_Noreturn static void reader_main(int in, int out, size_t room)
{
    nb_xalloc_in_child();
    /* the heap kept from file to file, not given back after each and
     * faulted in again: poppler's and qpdf's large buffers were an mmap
     * and munmap each (30 PDFs: 8,200 page faults against 4,000 read in
     * one process, 3,000 now; 11-24 % of their CPU time).  At most 64 MB
     * of free heap is kept, and a buffer of 32 MB or more is still mapped
     * apart and given back when freed, so a reader of each -j worker holds
     * little once a large file is read. */
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlives the process it reads for */
    close_others(in, out);
    /* this process's handlers of its time limit are not the reader's: an
     * alarm ends it */
    signal(SIGALRM, SIG_DFL);
    signal(SIGPROF, SIG_IGN);
    /* poppler's and qpdf's own complaints, and a failing reader's last
     * words ("Out of memory"), are the parent's one message instead */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDERR_FILENO);
        close(null);
    }
    size_t mapped = address_space();
    if (mapped) {
        struct rlimit r;
        if (getrlimit(RLIMIT_AS, &r) == 0 && (r.rlim_cur == RLIM_INFINITY || r.rlim_cur > mapped + room)) {
            r.rlim_cur = (rlim_t)(mapped + room);
            setrlimit(RLIMIT_AS, &r);
        }
    }
    nb_rbuf rb;
    nb_rbuf_init(&rb);
    request rq;
    while (nb_pipe_read_all(in, &rb, &rq, sizeof rq)) {
        char *data = nb_xmalloc(rq.len ? (size_t)rq.len : 1);
        if (!nb_pipe_read_all(in, &rb, data, (size_t)rq.len))
            break;
        set_alarm(rq.deadline);
        nb_pdf pdf;
        nb_pdf_init(&pdf);
        pdf.max_bytes = (size_t)rq.max_bytes;
        char err[512] = "";
        bool ok = nb_pdf_read(data, (size_t)rq.len, &pdf, err, sizeof err);
        set_alarm(0);
        free(data);
        nb_strbuf msg;
        nb_sb_init(&msg);
        encode(&msg, ok, &pdf, err);
        nb_pdf_free(&pdf);
        uint64_t n = msg.len;
        bool sent = nb_pipe_write_msg(out, &n, sizeof n, msg.data, msg.len);
        nb_sb_free(&msg);
        if (!sent)
            break;
    }
    free(rb.data);
    _exit(0);
}

/* ---- this process's side ---- */

static struct {
    pid_t pid; /* 0: none running */
    int to, from;
    nb_rbuf rb;
    size_t room;
} reader;

/* ends the reader (already ended, or stuck past its time) and says how */
static int stop_reader(void)
{
    close(reader.to);
    close(reader.from);
    free(reader.rb.data);
    int status = 0;
    while (waitpid(reader.pid, &status, 0) < 0 && errno == EINTR) {
    }
    reader.pid = 0;
    return status;
}

/* false when the system makes no process or pipe */
static bool start_reader(size_t room)
{
    int req[2], ans[2];
    if (pipe(req) != 0)
        return false;
    if (pipe(ans) != 0) {
        close(req[0]), close(req[1]);
        return false;
    }
    fflush(NULL); /* nothing buffered is written twice */
    pid_t pid = fork();
    if (pid < 0) {
        close(req[0]), close(req[1]), close(ans[0]), close(ans[1]);
        return false;
    }
    if (pid == 0) {
        close(req[1]);
        close(ans[0]);
        reader_main(req[0], ans[1], room);
    }
    close(req[0]);
    close(ans[1]);
    reader.pid = pid;
    reader.to = req[1];
    reader.from = ans[0];
    reader.room = room;
    nb_rbuf_init(&reader.rb);
    return true;
}

static void why_refused(int status, size_t room, char *err, size_t errsz)
{
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGALRM)
        snprintf(err, errsz, "读取 PDF 超出了时间限制（NIANBAO_LUA_SECONDS），文件可能已损坏：请重新获取完整的文件，"
                             "或在阅读器中另存为 PDF 后再试");
    else
        snprintf(err, errsz,
                 "PDF 文件已损坏或结构异常，读取库在 %zu MB 的内存上限内没能读完它：请重新获取完整的文件，"
                 "或在阅读器中另存为 PDF 后再试",
                 room >> 20);
}

void nb_pdf_reader_stop(void)
{
    if (reader.pid)
        (void)stop_reader(); /* its pipe ends: it ends */
}

bool nb_pdf_read_apart(const char *data, size_t len, nb_pdf *pdf, double seconds, char *err, size_t errsz)
{
    (void)nb_lazy_open_poppler(); /* loaded once, here: the reader inherits it */
    if (!reader.pid) {
        if (!start_reader(NB_PDF_ADDRESS_ROOM + pdf->max_bytes))
            return nb_pdf_read(data, len, pdf, err, errsz);
        static bool at_exit;
        if (!at_exit)
            at_exit = atexit(nb_pdf_reader_stop) == 0;
    }
    void (*old_pipe)(int) = signal(SIGPIPE, SIG_IGN); /* a dead reader is a refusal, not our death */
    request rq = {.len = len, .max_bytes = pdf->max_bytes, .deadline = seconds > 0 ? monotonic() + seconds : 0};
    uint64_t n = 0;
    nb_strbuf msg;
    nb_sb_init(&msg);
    bool answered = nb_pipe_write_msg(reader.to, &rq, sizeof rq, data, len) &&
                    nb_pipe_read_all(reader.from, &reader.rb, &n, sizeof n) &&
                    n <= SIZE_MAX - 1 && nb_pipe_read_all(reader.from, &reader.rb, nb_sb_room(&msg, (size_t)n), (size_t)n);
    signal(SIGPIPE, old_pipe);
    bool ok = false;
    if (answered) {
        msg.len = (size_t)n;
        if (decode(&msg, &ok, pdf, err, errsz)) {
            nb_sb_free(&msg);
            return ok;
        }
    }
    nb_sb_free(&msg);
    nb_pdf_free(pdf);
    size_t used_room = reader.room;
    why_refused(stop_reader(), used_room, err, errsz);
    return false;
}
