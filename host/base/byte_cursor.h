/* Bytes that carry a structure between processes or from the build: the
 * results of a check -j worker (model/report_bytes.c), the words of the
 * PDF reader process (io/pdf_apart.c) and the format sketches built into
 * the program (model/format_sketch_bytes.c).  Numbers are little-endian
 * whatever the machine, so the sketches written at build time read the
 * same anywhere.  A string is its length + 1 as a u32 (0: NULL), then its
 * bytes.  The reader never reads past its end: short or malformed bytes
 * set bad and give zeros and NULLs from there on, and a count is refused
 * when the bytes left cannot hold that many items, so damaged bytes
 * allocate nothing absurd. */
#ifndef NB_BYTE_CURSOR_H
#define NB_BYTE_CURSOR_H
#include "base/arena.h"
#include "base/strbuf.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void nb_put_u8(nb_strbuf *out, uint8_t v);
void nb_put_u32(nb_strbuf *out, uint32_t v);
void nb_put_u64(nb_strbuf *out, uint64_t v);
void nb_put_f64(nb_strbuf *out, double v);
void nb_put_str(nb_strbuf *out, const char *s); /* s may be NULL */
/* n bytes as a string is written (they may hold NULs) */
void nb_put_mem(nb_strbuf *out, const void *p, size_t n);

typedef struct {
    const unsigned char *p, *end;
    bool bad;
} nb_byte_cursor;

nb_byte_cursor nb_byte_cursor_of(const void *p, size_t n);
uint8_t nb_take_u8(nb_byte_cursor *c);
uint32_t nb_take_u32(nb_byte_cursor *c);
uint64_t nb_take_u64(nb_byte_cursor *c);
double nb_take_f64(nb_byte_cursor *c);
/* a u32 count of items of at least `least` bytes each (least >= 1) */
size_t nb_take_count(nb_byte_cursor *c, size_t least);
/* a string, where it stands in the bytes (not NUL-terminated) and its
 * length: NULL for a NULL string and once bad */
const char *nb_take_str(nb_byte_cursor *c, size_t *len);
/* a string as a NUL-terminated copy, malloc'd or in the arena a: NULL for
 * a NULL string and once bad */
char *nb_take_strdup(nb_byte_cursor *c);
const char *nb_take_str_in(nb_byte_cursor *c, nb_arena *a);
/* true when every byte was read and none was amiss */
bool nb_byte_cursor_done(const nb_byte_cursor *c);

#endif
