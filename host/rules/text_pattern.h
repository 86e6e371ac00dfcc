/* Lua patterns, matched in C for the narrative rule kind (TXT-NUM): the
 * format declares its wording as Lua patterns, and the rule runs them on a
 * report's clauses without a Lua call.  A subset: literal bytes, "." and
 * the %-classes (%d, %D, %s, %a, … and %x for a literal x), each with an
 * optional quantifier * + - ?, "^" and "$" anchors, and exactly one capture
 * "(%d+)" — the number.  Sets, %b, %f and back-references are refused when
 * the format is declared (nb_pattern_check), so a match is Lua's match. */
#ifndef NB_TEXT_PATTERN_H
#define NB_TEXT_PATTERN_H
#include <stdbool.h>
#include <stddef.h>

/* Whether p is in the subset; else a message in Chinese in err. */
bool nb_pattern_check(const char *p, char *err, size_t errsize);
/* string.match(s, p) for a checked p: true with the capture's bytes. */
bool nb_pattern_match(const char *p, const char *s, size_t n, const char **cap, size_t *capn);
/* The longest run of bytes every match of a checked p holds ("上年结转" of
 * "上年结转.-(%d+)件"), into out (cap bytes); its length, 0 when none: a
 * text without it cannot match, found by a plain search first. */
size_t nb_pattern_required(const char *p, char *out, size_t cap);

#endif
