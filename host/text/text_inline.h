/* Words that stand after other text on their line (a section heading run
 * into the line before it, as a flattened text has them): the one search
 * behind host.inline_words (the flattened importer's detect) and the
 * `--: headings` gate that decides whether that detect is asked at all. */
#ifndef NB_TEXT_INLINE_H
#define NB_TEXT_INLINE_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *s;
    size_t n, at; /* the anchor's first place in the word: s + at */
} nb_inline_word;

/* Calls hit(ud, word index, byte position) for each place in s (n bytes)
 * where one of the words stands with a byte other than white space before
 * it on its line, in the order of the places, while hit returns true.
 * Every word holds the anchor a (na > 0 bytes): one memchr pass for its
 * last byte finds them all. */
void nb_inline_words(const char *s, size_t n, const char *a, size_t na, const nb_inline_word *w, size_t nw,
                     bool (*hit)(void *ud, size_t i, size_t pos), void *ud);

#endif
