/* What cJSON lets through and a report must not hold: the bytes of a JSON
 * text checked before parsing.  Valid UTF-8 (no overlong forms, surrogates
 * or code points past U+10FFFF); no control character in a string, raw or
 * escaped (\u0000 would cut the string short; ESC would reach a terminal),
 * except tab, line feed and carriage return. */
#ifndef NB_JSON_TEXT_H
#define NB_JSON_TEXT_H
#include <stddef.h>
#include <stdint.h>

/* NULL when the text is clean; else a Chinese message, and *line the line
 * (from 1) where the first fault is. */
const char *nb_json_text_fault(const char *s, size_t len, uint32_t *line);

#endif
