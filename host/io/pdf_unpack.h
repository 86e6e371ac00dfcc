/* A PDF's font programs, ToUnicode maps and pages' content stored
 * decompressed, for poppler.
 * poppler builds a page's fonts anew for every page it reads, inflating
 * each embedded font program and ToUnicode map again (with its own,
 * slow inflate): in a report printed from Word or LibreOffice, whose
 * pages share one resource dictionary of four or five fonts, that was
 * half of the CPU time of a PDF import (≈ 95 M of 186 M instructions a
 * document).  libqpdf (loaded on first use; optional: without it poppler
 * reads the file as it is) rewrites the file once with those streams
 * decoded (and the pages' content, which poppler inflates byte by byte
 * with its own inflate, slower than zlib's), and the other objects in
 * object streams, which poppler parses once for the document rather than
 * once a page; what poppler reads from the rewritten file is the same
 * text.
 * It is also what keeps poppler from a damaged file's claims: poppler
 * sizes its tables by what a file's cross-reference data says (a 4 KB file
 * claiming 26 million objects: 1.3 GB), and its repair of a damaged table
 * reads freed memory when that allocation fails.  So poppler reads only
 * what qpdf wrote: a file qpdf reads with warnings (repaired) is rewritten
 * as qpdf repaired it, streams as they were; one qpdf cannot read at all is
 * refused. */
#ifndef NB_PDF_UNPACK_H
#define NB_PDF_UNPACK_H
#include <stddef.h>

typedef enum {
    NB_UNPACK_AS_IS,     /* for poppler as it is: libqpdf missing, or the file encrypted */
    NB_UNPACK_REWRITTEN, /* *out (malloc'd, *outlen bytes) for poppler */
    NB_UNPACK_DAMAGED,   /* qpdf could not read or rewrite it: refuse it */
} nb_unpack_result;

/* The file rewritten by qpdf: font streams and pages' content decoded
 * when it was read without a warning and they fit in max_bytes (0: no
 * limit), else its streams as they were. */
nb_unpack_result nb_pdf_unpack(const char *data, size_t len, size_t max_bytes, char **out, size_t *outlen);

#endif
