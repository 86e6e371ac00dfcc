/* Growable byte buffer for building messages and outputs. */
#ifndef NB_STRBUF_H
#define NB_STRBUF_H
#include <stddef.h>

typedef struct {
    char *data;
    size_t len, cap;
} nb_strbuf;

void nb_sb_init(nb_strbuf *sb);
void nb_sb_free(nb_strbuf *sb);
void nb_sb_append(nb_strbuf *sb, const char *s, size_t n);
void nb_sb_puts(nb_strbuf *sb, const char *s);
void nb_sb_printf(nb_strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Room for n more bytes (and the NUL after them): where they go, at
 * data + len.  The writer then adds what it wrote to len and puts the NUL. */
char *nb_sb_room(nb_strbuf *sb, size_t n);
/* Takes the contents (NUL-terminated) and leaves the buffer empty. */
char *nb_sb_take(nb_strbuf *sb);

#endif
