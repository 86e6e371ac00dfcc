/* See text_inline.h.  A search of the text for each word (memmem, in C or
 * Lua) was 3–5 % of checking a .txt report; the anchor is rare enough that
 * comparing every word where each anchor would put it costs less. */
#include "text/text_inline.h"
#include "base/text_norm.h"
#include <string.h>

void nb_inline_words(const char *s, size_t n, const char *a, size_t na, const nb_inline_word *w, size_t nw,
                     bool (*hit)(void *ud, size_t i, size_t pos), void *ud)
{
    for (const char *p = s; n - (size_t)(p - s) >= na && (p = memchr(p, a[0], n - (size_t)(p - s) - na + 1)); p++) {
        if (memcmp(p, a, na) != 0)
            continue;
        size_t pos = (size_t)(p - s);
        for (size_t i = 0; i < nw; i++) {
            size_t b = pos - w[i].at;
            if (pos < w[i].at || b + w[i].n > n || memcmp(s + b, w[i].s, w[i].n) != 0)
                continue;
            bool inside = false;
            for (size_t q = b; q > 0 && s[q - 1] != '\n' && !inside; q--)
                inside = !nb_ascii_space((unsigned char)s[q - 1]);
            if (inside && !hit(ud, i, b))
                return;
        }
    }
}
