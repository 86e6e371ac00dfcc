/* See pdf_apart.h.  The child writes what nb_pdf_read gave as one message
 * (native byte order: the reader is this same program) and ends with
 * _exit, running none of the parent's exit handlers (its stderr is
 * /dev/null: see child_main); the parent reads the
 * pipe to its end, then waits for the child.  The libraries are loaded in
 * the parent first, so that each child inherits them loaded. */
#include "io/pdf_apart.h"
#include "base/strbuf.h"
#include "base/worker_pipe.h"
#include "base/xalloc.h"
#include "io/lazy_open.h"
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- the message: ok, too_big, bytes, the error, then each page ---- */

static void put(nb_strbuf *b, const void *p, size_t n)
{
    nb_sb_append(b, p, n);
}

static void put_u64(nb_strbuf *b, uint64_t v)
{
    put(b, &v, sizeof v);
}

static void put_f64(nb_strbuf *b, double v)
{
    put(b, &v, sizeof v);
}

static void put_str(nb_strbuf *b, const char *s)
{
    size_t n = strlen(s);
    put_u64(b, n);
    put(b, s, n);
}

static void encode(nb_strbuf *b, bool ok, const nb_pdf *pdf, const char *err)
{
    put_u64(b, ok);
    put_u64(b, pdf->too_big);
    put_u64(b, pdf->bytes);
    put_str(b, err);
    put_u64(b, pdf->npages);
    for (size_t i = 0; i < pdf->npages; i++) {
        const nb_pdf_page *pg = &pdf->pages[i];
        put_f64(b, pg->width);
        put_f64(b, pg->height);
        put_u64(b, pg->nlines);
        for (size_t l = 0; l < pg->nlines; l++)
            put_str(b, pg->lines[l]);
        put_u64(b, pg->nwords);
        for (size_t w = 0; w < pg->nwords; w++) {
            const nb_pdf_word *wd = &pg->words[w];
            put_str(b, wd->text);
            put_f64(b, wd->x0);
            put_f64(b, wd->y0);
            put_f64(b, wd->x1);
            put_f64(b, wd->y1);
            put_u64(b, wd->line);
        }
    }
}

typedef struct {
    const char *p, *end;
    bool bad;
} cursor;

static void take(cursor *c, void *out, size_t n)
{
    if (c->bad || (size_t)(c->end - c->p) < n) {
        c->bad = true;
        memset(out, 0, n);
        return;
    }
    memcpy(out, c->p, n);
    c->p += n;
}

static uint64_t take_u64(cursor *c)
{
    uint64_t v;
    take(c, &v, sizeof v);
    return v;
}

static double take_f64(cursor *c)
{
    double v;
    take(c, &v, sizeof v);
    return v;
}

/* a count of items of at least `least` bytes each that the rest can hold */
static size_t take_count(cursor *c, size_t least)
{
    uint64_t n = take_u64(c);
    if (n > (uint64_t)(c->end - c->p) / least)
        c->bad = true;
    return c->bad ? 0 : (size_t)n;
}

static char *take_str(cursor *c)
{
    size_t n = take_count(c, 1);
    char *s = nb_xmalloc(n + 1);
    take(c, s, n);
    s[n] = '\0';
    return s;
}

/* false when the message is cut short or malformed (pdf then holds what
 * was decoded, for nb_pdf_free) */
static bool decode(const nb_strbuf *msg, bool *ok, nb_pdf *pdf, char *err, size_t errsz)
{
    cursor c = {.p = msg->data, .end = msg->data + msg->len, .bad = false};
    *ok = take_u64(&c) != 0;
    pdf->too_big = take_u64(&c) != 0;
    pdf->bytes = (size_t)take_u64(&c);
    char *e = take_str(&c);
    snprintf(err, errsz, "%s", e);
    free(e);
    size_t npages = take_count(&c, 4 * sizeof(uint64_t));
    pdf->pages = nb_xcalloc(npages ? npages : 1, sizeof *pdf->pages);
    for (size_t i = 0; i < npages && !c.bad; i++) {
        nb_pdf_page *pg = &pdf->pages[pdf->npages++];
        pg->width = take_f64(&c);
        pg->height = take_f64(&c);
        size_t nlines = take_count(&c, sizeof(uint64_t));
        pg->lines = nb_xmalloc((nlines ? nlines : 1) * sizeof *pg->lines);
        pg->caplines = nlines;
        for (size_t l = 0; l < nlines && !c.bad; l++)
            pg->lines[pg->nlines++] = take_str(&c);
        size_t nwords = take_count(&c, 6 * sizeof(uint64_t));
        pg->words = nb_xmalloc((nwords ? nwords : 1) * sizeof *pg->words);
        pg->capwords = nwords;
        for (size_t w = 0; w < nwords && !c.bad; w++) {
            nb_pdf_word *wd = &pg->words[pg->nwords++];
            wd->text = take_str(&c);
            wd->x0 = take_f64(&c);
            wd->y0 = take_f64(&c);
            wd->x1 = take_f64(&c);
            wd->y1 = take_f64(&c);
            wd->line = (size_t)take_u64(&c);
            if (wd->line > pg->nlines)
                c.bad = true;
        }
    }
    return !c.bad && c.p == c.end;
}

/* ---- the child ---- */

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

static void limit(int resource, rlim_t value)
{
    struct rlimit r;
    if (getrlimit(resource, &r) != 0)
        return;
    if (r.rlim_cur == RLIM_INFINITY || r.rlim_cur > value) {
        r.rlim_cur = value;
        setrlimit(resource, &r);
    }
}

_Noreturn static void child_main(int fd, const char *data, size_t len, nb_pdf *pdf, double seconds)
{
    nb_xalloc_in_child();
    /* the parent's handlers of its time limit are not the child's */
    signal(SIGALRM, SIG_DFL);
    signal(SIGPROF, SIG_IGN);
    /* poppler's and qpdf's own complaints, and a failing child's last
     * words ("Out of memory"), are the parent's one message instead */
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
        dup2(null, STDERR_FILENO);
        close(null);
    }
    size_t mapped = address_space();
    if (mapped)
        limit(RLIMIT_AS, (rlim_t)(mapped + NB_PDF_ADDRESS_ROOM + pdf->max_bytes));
    if (seconds > 0) {
        unsigned s = seconds < 1 ? 1 : seconds > 1e6 ? 1000000u : (unsigned)ceil(seconds);
        limit(RLIMIT_CPU, s);
        alarm(s);
    }
    char err[512] = "";
    bool ok = nb_pdf_read(data, len, pdf, err, sizeof err);
    nb_strbuf msg;
    nb_sb_init(&msg);
    encode(&msg, ok, pdf, err);
    nb_pdf_free(pdf);
    bool sent = nb_pipe_write_all(fd, msg.data, msg.len);
    nb_sb_free(&msg);
    close(fd);
    _exit(sent ? 0 : 3);
}

/* ---- the parent ---- */

static void read_to_end(int fd, nb_strbuf *msg)
{
    for (;;) {
        char *at = nb_sb_room(msg, 65536);
        ssize_t n = read(fd, at, 65536);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return;
        msg->len += (size_t)n;
    }
}

static void why_refused(int status, size_t room, char *err, size_t errsz)
{
    int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
    if (sig == SIGXCPU || sig == SIGALRM)
        snprintf(err, errsz, "读取 PDF 超出了时间限制（NIANBAO_LUA_SECONDS），文件可能已损坏：请重新获取完整的文件，"
                             "或在阅读器中另存为 PDF 后再试");
    else
        snprintf(err, errsz,
                 "PDF 文件已损坏或结构异常，读取库在 %zu MB 的内存上限内没能读完它：请重新获取完整的文件，"
                 "或在阅读器中另存为 PDF 后再试",
                 room >> 20);
}

bool nb_pdf_read_apart(const char *data, size_t len, nb_pdf *pdf, double seconds, char *err, size_t errsz)
{
    (void)nb_lazy_open_poppler(); /* loaded once, here: each child inherits it */
    int fds[2];
    if (pipe(fds) != 0)
        return nb_pdf_read(data, len, pdf, err, errsz);
    fflush(NULL); /* nothing buffered is copied into the child */
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return nb_pdf_read(data, len, pdf, err, errsz);
    }
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], data, len, pdf, seconds);
    }
    close(fds[1]);
    nb_strbuf msg;
    nb_sb_init(&msg);
    read_to_end(fds[0], &msg);
    close(fds[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    bool ok = false;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && decode(&msg, &ok, pdf, err, errsz)) {
        nb_sb_free(&msg);
        return ok;
    }
    nb_sb_free(&msg);
    size_t room = NB_PDF_ADDRESS_ROOM + pdf->max_bytes;
    nb_pdf_free(pdf);
    why_refused(status, room, err, errsz);
    return false;
}
