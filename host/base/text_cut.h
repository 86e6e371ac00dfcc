/* A text cut at plain separators into trimmed pieces, as Lua's gsub of a
 * plain string and a split would cut it.  Shared by host.clauses (the Lua
 * API, host/text/text_clauses.c) and the narrative rule kind
 * (host/rules/narrative_rule.c), which must cut a report's text the same. */
#ifndef NB_TEXT_CUT_H
#define NB_TEXT_CUT_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *s;
    size_t n;
} nb_word;

/* w[0..m) in s[0..n), leftmost, as a plain string.find (s when m is 0). */
const char *nb_find_plain(const char *s, size_t n, const char *w, size_t m);
/* The index of the first ASCII digit of s[0..n), or n. */
size_t nb_next_digit(const char *s, size_t n);
/* Replaces every separator, one after the other in the order given, by a
 * NUL in s[0..n) (leftmost, not overlapping); returns the new length. */
size_t nb_cut_at(char *s, size_t n, const nb_word *seps, size_t nseps);
/* The next piece of s[*at..n) between NULs, without ASCII white space at
 * either end, or false when no non-empty one is left. */
bool nb_next_piece(const char *s, size_t n, size_t *at, const char **p, size_t *pn);

#endif
