/* Reading a PDF's text layer (libpoppler-glib): for each page the words
 * with their boxes and the page's text lines, in poppler's reading order.
 * A word is a run of characters without white space and without a wide
 * horizontal gap (two table cells that poppler joins on one line stay two
 * words).  Coordinates are in points, the origin at the page's top left.
 * What the words mean is left to the importer plugin. */
#ifndef NB_PDF_READER_H
#define NB_PDF_READER_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *text;
    double x0, y0, x1, y1;
    size_t line; /* index into the page's lines */
} nb_pdf_word;

typedef struct {
    double width, height;
    nb_pdf_word *words;
    size_t nwords, capwords;
    char **lines;
    size_t nlines, caplines;
} nb_pdf_page;

typedef struct {
    nb_pdf_page *pages;
    size_t npages;
    /* Memory: `bytes` of pages read so far (words, lines, their texts); past
     * `max_bytes` (0: no limit, set after nb_pdf_init) no more pages are
     * read and `too_big` is set. */
    size_t bytes, max_bytes;
    bool too_big;
} nb_pdf;

/* Limits: a file with more pages, or a page with more words, is refused. */
#define NB_PDF_MAX_PAGES 2000
#define NB_PDF_MAX_WORDS 200000

void nb_pdf_init(nb_pdf *p);
void nb_pdf_free(nb_pdf *p);
/* Fills pdf (initialised by the caller, freed by the caller either way);
 * false with a Chinese message in err when the file is no readable PDF
 * (damaged or cut off, encrypted). */
bool nb_pdf_read(const char *data, size_t len, nb_pdf *pdf, char *err, size_t errsz);

#endif
