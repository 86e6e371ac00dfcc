/* A part of a .docx (a file in its zip) as libxml2's parser pulls it:
 * document.xml unpacked by libzip as the parser reads it (no copy of it is
 * made, nor a buffer of its size made and freed for each document), or
 * bytes already in memory (styles.xml, kept for the next document).  The
 * zip's own checks (size, CRC) see the part's end even when the parse
 * stopped early. */
#ifndef NB_DOCX_PART_H
#define NB_DOCX_PART_H
#include <stdbool.h>
#include <stddef.h>
#include <zip.h>

#define NB_DOCX_MAX_PART (64u << 20) /* a part larger than this is refused */

typedef struct {
    zip_file_t *zf; /* NULL: the bytes are mem's */
    const char *mem;
    zip_uint64_t size, got; /* the part's size as the zip states it; bytes handed over */
    bool failed;            /* unreadable: corrupt, truncated, or longer than stated */
} nb_docx_part;

/* Opens the part name of za into p; false when it is missing, too large
 * or cannot be opened. */
bool nb_docx_part_open(zip_t *za, const char *name, nb_docx_part *p);
/* A part of len bytes at mem. */
void nb_docx_part_mem(nb_docx_part *p, const char *mem, size_t len);
/* libxml2's read callback (xmlInputReadCallback, ctx an nb_docx_part): up
 * to len more bytes, 0 at the part's end, -1 when it cannot be read. */
int nb_docx_part_read(void *ctx, char *buf, int len);
/* Reads what is left of the part and closes it; false when it could not
 * be read whole as the zip states it. */
bool nb_docx_part_close(nb_docx_part *p);
/* The whole part name of za as a string (NUL-terminated, the caller's to
 * free), NULL when it cannot be read. */
char *nb_docx_part_bytes(zip_t *za, const char *name, size_t *len);

#endif
