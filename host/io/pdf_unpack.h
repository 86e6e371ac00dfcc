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
 * text. */
#ifndef NB_PDF_UNPACK_H
#define NB_PDF_UNPACK_H
#include <stddef.h>

/* The file rewritten (malloc'd, *outlen bytes), or NULL when it is left as
 * it is: libqpdf missing, the file encrypted or not read by qpdf without a
 * warning (damaged: poppler's own repair reads it), no font stream to
 * decode, or the decoded streams past max_bytes (0: no limit). */
char *nb_pdf_unpack_fonts(const char *data, size_t len, size_t max_bytes, size_t *outlen);

#endif
