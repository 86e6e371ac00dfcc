/* Reading a Word document (.docx): word/document.xml out of the zip
 * (libzip), parsed with libxml2, into the neutral blocks of doc_blocks.h.
 * Paragraphs keep the text of their runs joined (a label Word split over
 * many runs comes out whole); tracked deletions (w:del, w:moveFrom) are
 * dropped and insertions kept; gridSpan and vMerge are expanded onto the
 * table grid; a paragraph under automatic numbering (w:numPr, directly or
 * through its style) carries its level, since its ordinal is not in the
 * text; heading styles (styles.xml: "heading N", outline levels) carry
 * theirs. */
#ifndef NB_DOCX_READER_H
#define NB_DOCX_READER_H
#include "io/doc_blocks.h"
#include <stddef.h>

/* The paragraph styles of the styles.xml read last, with its bytes, for
 * the next document: a batch of documents made from one template (the
 * same styles.xml, byte for byte) has its styles parsed once.  A
 * styles.xml larger than NB_DOCX_STYLES_KEPT is not kept. */
typedef struct nb_docx_styles nb_docx_styles;
#define NB_DOCX_STYLES_KEPT (1u << 20)
nb_docx_styles *nb_docx_styles_new(void);
void nb_docx_styles_free(nb_docx_styles *styles);
/* The bytes it holds now (the styles.xml kept and its styles' table). */
size_t nb_docx_styles_bytes(const nb_docx_styles *styles);

/* Fills doc (initialised by the caller, freed by the caller either way),
 * reading styles.xml through styles (replaced when it is another);
 * false with a Chinese message in err when the file is no readable .docx. */
bool nb_docx_read(const char *data, size_t len, nb_doc *doc, nb_docx_styles *styles, char *err, size_t errsz);

#endif
