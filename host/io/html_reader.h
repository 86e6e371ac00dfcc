/* Reading an HTML page (a report published on a portal, a page Word or a
 * browser saved) with libxml2's HTML parser into the neutral blocks of
 * doc_blocks.h: block elements become paragraphs (h1…h6 with their level),
 * tables grids with rowspan/colspan expanded; scripts, styles, forms and
 * navigation are left out.  A table holding another table is page layout:
 * its cells are read as paragraphs and tables of their own.  The encoding
 * comes from a byte-order mark, else the page's <meta> charset, else UTF-8
 * when the bytes are valid UTF-8, else GB18030. */
#ifndef NB_HTML_READER_H
#define NB_HTML_READER_H
#include "io/doc_blocks.h"
#include <stddef.h>

/* Fills doc (initialised and freed by the caller); *encoding is the
 * encoding read (a static string).  False with a Chinese message in err
 * when the page cannot be parsed at all. */
bool nb_html_read(const char *data, size_t len, nb_doc *doc, const char **encoding, char *err, size_t errsz);

#endif
