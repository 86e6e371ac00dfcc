/* The pipes between a parent and its worker processes (check's workers,
 * cli/check_workers.c; the PDF reader's child, io/pdf_apart.c): a
 * message (a head and a body) written with one system call, and a pipe's
 * end read through a buffer, so one read takes every message that has
 * arrived.  Every header and body a call of its own cost a check -j 1 of
 * small files about a fifth of its CPU time. */
#ifndef NB_WORKER_PIPE_H
#define NB_WORKER_PIPE_H
#include <stdbool.h>
#include <stddef.h>

/* n bytes, waiting until the pipe takes them all; false on an error. */
bool nb_pipe_write_all(int fd, const void *p, size_t n);
/* head then body, in one call when the pipe takes them at once. */
bool nb_pipe_write_msg(int fd, const void *head, size_t nhead, const void *body, size_t nbody);

enum { NB_RBUF_SIZE = 16384 };
typedef struct {
    char *data; /* NB_RBUF_SIZE bytes, owned; free() it */
    size_t at, end;
} nb_rbuf;

void nb_rbuf_init(nb_rbuf *b);
/* Bytes read from the pipe and not yet taken? */
bool nb_rbuf_pending(const nb_rbuf *b);
/* n bytes into p, waiting for them; false at the end of the pipe or on an error. */
bool nb_pipe_read_all(int fd, nb_rbuf *b, void *p, size_t n);

#endif
