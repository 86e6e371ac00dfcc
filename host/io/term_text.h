/* Text for a terminal: a control character taken from an input (ESC of an
 * escape sequence, a carriage return that hides what precedes it) is written
 * as \xHH, never raw.  Line feeds and tabs stay. */
#ifndef NB_TERM_TEXT_H
#define NB_TERM_TEXT_H
#include <stdio.h>

void nb_fputs_term(const char *s, FILE *out);
/* printf, the whole line as nb_fputs_term writes it (for lines made of
 * names and messages from plugins and inputs) */
void nb_printf_term(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
