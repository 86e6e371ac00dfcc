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
#include "io/docx_styles.h"
#include <stddef.h>

/* Fills doc (initialised by the caller, freed by the caller either way),
 * its styles.xml through styles (io/docx_styles.h: those of the styles.xml
 * read last, replaced when this one is another);
 * false with a Chinese message in err when the file is no readable .docx. */
bool nb_docx_read(const char *data, size_t len, nb_doc *doc, nb_docx_styles *styles, char *err, size_t errsz);

#endif
