/* See worker_pipe.h. */
#include "base/worker_pipe.h"
#include "base/xalloc.h"
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

bool nb_pipe_write_all(int fd, const void *p, size_t n)
{
    const char *c = p;
    while (n) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

bool nb_pipe_write_msg(int fd, const void *head, size_t nhead, const void *body, size_t nbody)
{
    struct iovec iov[2] = {{(void *)head, nhead}, {(void *)body, nbody}};
    ssize_t w;
    while ((w = writev(fd, iov, 2)) < 0 && errno == EINTR) {
    }
    if (w < 0)
        return false;
    size_t done = (size_t)w;
    if (done < nhead)
        return nb_pipe_write_all(fd, (const char *)head + done, nhead - done) && nb_pipe_write_all(fd, body, nbody);
    done -= nhead;
    return done == nbody || nb_pipe_write_all(fd, (const char *)body + done, nbody - done);
}

void nb_rbuf_init(nb_rbuf *b)
{
    b->data = nb_xmalloc(NB_RBUF_SIZE);
    b->at = b->end = 0;
}

bool nb_rbuf_pending(const nb_rbuf *b)
{
    return b->at < b->end;
}

bool nb_pipe_read_all(int fd, nb_rbuf *b, void *p, size_t n)
{
    char *c = p;
    while (n) {
        if (b->at == b->end) {
            bool direct = n >= NB_RBUF_SIZE; /* a long body straight to its place */
            ssize_t r = read(fd, direct ? c : b->data, direct ? n : NB_RBUF_SIZE);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0)
                return false;
            if (direct) {
                c += r;
                n -= (size_t)r;
                continue;
            }
            b->at = 0;
            b->end = (size_t)r;
        }
        size_t k = b->end - b->at < n ? b->end - b->at : n;
        memcpy(c, b->data + b->at, k);
        b->at += k;
        c += k;
        n -= k;
    }
    return true;
}
