/* host.pdf_words: a PDF's text layer read in C (io/pdf_reader.c) handed to
 * importer plugins as pages of words with their boxes and text lines. */
#ifndef NB_PDF_API_H
#define NB_PDF_API_H
#include <lua.h>

/* Adds pdf_words to the host table at the top of the stack. */
void nb_pdf_api_register(lua_State *L);

#endif
