/* See text_cut.h.  The cutting is exactly what the Lua it replaced did
 * (lib/narrative.lua before host.clauses): each separator in the order
 * given replaced by a cut, as gsub replaces a plain string, then the
 * pieces between cuts (a NUL byte cuts too) without white space at either
 * end (%s), empty ones dropped. */
#include "base/text_cut.h"
#include "base/text_norm.h"
#include <stdint.h>
#include <string.h>

/* eight bytes at a time ("has a byte between" of Bit Twiddling Hacks,
 * exact for bounds below 128), then the byte */
size_t nb_next_digit(const char *s, size_t n)
{
    const uint64_t ones = 0x0101010101010101u, low7 = ones * 127, high = ones * 128;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, s + i, 8);
        if (((ones * (127 + ('9' + 1)) - (x & low7)) & ~x & ((x & low7) + ones * (127 - ('0' - 1))) & high) != 0)
            break;
    }
    for (; i < n; i++)
        if ((unsigned char)(s[i] - '0') < 10)
            return i;
    return n;
}

/* found by its last byte, rarer in Chinese text than the first (a
 * character's last byte is one of 64, its first one of a few) */
const char *nb_find_plain(const char *s, size_t n, const char *w, size_t m)
{
    if (m == 0)
        return s;
    if (n < m)
        return NULL;
    const char *last = s + m - 1, *end = s + n;
    while ((last = memchr(last, w[m - 1], (size_t)(end - last)))) {
        if (memcmp(last - (m - 1), w, m - 1) == 0)
            return last - (m - 1);
        last++;
    }
    return NULL;
}

size_t nb_cut_at(char *s, size_t n, const nb_word *seps, size_t nseps)
{
    for (size_t i = 0; i < nseps; i++) {
        const nb_word *sep = &seps[i];
        size_t r = 0, w = 0;
        const char *hit;
        while ((hit = nb_find_plain(s + r, n - r, sep->s, sep->n))) {
            size_t k = (size_t)(hit - (s + r));
            memmove(s + w, s + r, k);
            w += k;
            s[w++] = '\0';
            r += k + sep->n;
        }
        if (r == 0)
            continue;
        memmove(s + w, s + r, n - r);
        n = w + n - r;
    }
    return n;
}

bool nb_next_piece(const char *s, size_t n, size_t *at, const char **p, size_t *pn)
{
    while (*at < n) {
        const char *b = s + *at, *z = memchr(b, '\0', n - *at);
        const char *e = z ? z : s + n;
        *at = (size_t)(e - s) + 1;
        while (b < e && nb_ascii_space((unsigned char)*b))
            b++;
        while (e > b && nb_ascii_space((unsigned char)e[-1]))
            e--;
        if (e > b) {
            *p = b;
            *pn = (size_t)(e - b);
            return true;
        }
    }
    return false;
}
