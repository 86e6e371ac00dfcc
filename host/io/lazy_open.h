/* The document libraries opened ahead of their first use: `check -j` and
 * `add -j` open them in the parent before the workers fork, so that the
 * workers share one load (libxml2 with ICU, libzip with libcrypto and
 * poppler-glib each cost more to load and relocate than importing a
 * report; every worker loaded them again).  Each returns false when its
 * library cannot be opened: the first real use then says what is missing. */
#ifndef NB_LAZY_OPEN_H
#define NB_LAZY_OPEN_H
#include <stdbool.h>

bool nb_lazy_open_xml2(void);    /* io/lazy_xml2.c */
bool nb_lazy_open_zip(void);     /* io/lazy_zip.c */
bool nb_lazy_open_poppler(void); /* io/pdf_reader.c (libqpdf with it: io/pdf_unpack.h) */
bool nb_lazy_open_qpdf(void);    /* io/lazy_qpdf.c */

#endif
