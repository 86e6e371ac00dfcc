/* Reading a PDF in a child process, under limits of its own.
 *
 * Why: poppler sizes its tables by what a file claims, not by what it
 * holds.  A damaged 4 KB file whose trailer claims 26 million objects made
 * it reserve 1.3 GB; the plugin's memory ceiling does not see poppler's
 * memory, and a fault or an endless loop inside poppler or qpdf would end
 * or hold the whole batch.  So nb_pdf_read runs in a forked reader
 * process whose address space is limited (NB_PDF_ADDRESS_ROOM above what
 * it inherits plus the plugin's room when it starts) and whose time for a
 * file is the call's time left; the words come back over a pipe.  A reader
 * that fails or is stopped refuses the file, with a Chinese message; the
 * process goes on. */
#ifndef NB_PDF_APART_H
#define NB_PDF_APART_H
#include "io/pdf_reader.h"

/* What poppler and qpdf may take in the child beyond what it inherits and
 * pdf->max_bytes: the five-page example, LibreOffice's embedded CJK font
 * included, peaks at 20 MB. */
#define NB_PDF_ADDRESS_ROOM ((size_t)512 << 20)

/* nb_pdf_read (pdf as it says), in the reader, given `seconds` (0: no
 * limit).  Falls back to reading in this process when no reader can be
 * made. */
bool nb_pdf_read_apart(const char *data, size_t len, nb_pdf *pdf, double seconds, char *err, size_t errsz);
/* Ends the reader and waits for it (its CPU time then counts as this
 * process's children's); at exit, and before a worker's _exit. */
void nb_pdf_reader_stop(void);

#endif
