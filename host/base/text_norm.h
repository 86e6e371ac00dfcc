/* Tolerant matching of labels and headings.  Reports print the same official
 * label with full- or half-width brackets, stray spaces, other quote marks;
 * normalising both sides once lets importers compare with strcmp. */
#ifndef NB_TEXT_NORM_H
#define NB_TEXT_NORM_H
#include <stdbool.h>
#include <stddef.h>

/* White space as Lua's %s and C's isspace see it in the C locale. */
static inline bool nb_ascii_space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Writes the normalised form of s[0..len) to out (at most len+1 bytes are
 * needed: the result is never longer); returns its length.
 * Drops all white space and quote marks, maps full-width ASCII to ASCII. */
size_t nb_norm_label(const char *s, size_t len, char *out);

/* Number of Unicode characters in valid UTF-8 (invalid bytes count as one),
 * not counting white space. */
size_t nb_utf8_visible_chars(const char *s, size_t len);

/* 1 if s is valid UTF-8 (lead and continuation bytes: overlong three-byte
 * forms and surrogates pass). */
int nb_utf8_valid(const char *s, size_t len);
/* The offset of the first sequence nb_utf8_valid rejects, else len: s is
 * valid up to a cut of its last k bytes exactly when len - k <= it. */
size_t nb_utf8_valid_prefix(const char *s, size_t len);

/* Strict UTF-8, as Lua 5.4's utf8.len decodes it (no overlong form,
 * surrogate or code point above U+10FFFF): the length of the sequence at
 * s[0..n) (n >= 1), or 0 when it is invalid. */
size_t nb_utf8_strict_seq(const char *s, size_t n);
/* The offset of the first sequence strict decoding rejects, else n. */
size_t nb_utf8_strict_prefix(const char *s, size_t n);

#endif
