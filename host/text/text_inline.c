/* See text_inline.h.  A search of the text for each word (memmem, in C or
 * Lua) was 3–5 % of checking a .txt report; the anchor is rare enough that
 * comparing every word where each anchor would put it costs less. */
#include "text/text_inline.h"
#include "base/text_norm.h"
#include <string.h>

void nb_inline_words(const char *s, size_t n, const char *a, size_t na, const nb_inline_word *w, size_t nw,
                     bool (*hit)(void *ud, size_t i, size_t pos), void *ud)
{
    if (n < na)
        return;
    /* the anchor found by its last byte (a Chinese anchor's lead byte begins
     * most punctuation of the text, its last byte few other characters), a
     * word tried first by its own last byte */
    unsigned char last = (unsigned char)a[na - 1];
    for (const char *p = s + na - 1; (p = memchr(p, last, n - (size_t)(p - s))) != NULL; p++) {
        size_t pos = (size_t)(p - s) - (na - 1);
        if (memcmp(s + pos, a, na) != 0)
            continue;
        for (size_t i = 0; i < nw; i++) {
            size_t b = pos - w[i].at;
            if (pos < w[i].at || b + w[i].n > n || s[b + w[i].n - 1] != w[i].s[w[i].n - 1] ||
                memcmp(s + b, w[i].s, w[i].n) != 0)
                continue;
            bool inside = false;
            for (size_t q = b; q > 0 && s[q - 1] != '\n' && !inside; q--)
                inside = !nb_ascii_space((unsigned char)s[q - 1]);
            if (inside && !hit(ud, i, b))
                return;
        }
    }
}
