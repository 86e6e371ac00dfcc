/* Near-duplicate detection for narrative sections (国办: 不得年年雷同).
 * Jaccard index of the sets of character trigrams, ignoring white space:
 * robust to reordered sentences and small edits, cheap for report-sized text.
 * Each trigram is packed exactly into 63 bits (three 21-bit code points), so
 * no two different trigrams ever count as the same. */
#include "rules/validator.h"
#include "base/xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t codepoints(const char *s, uint32_t **out)
{
    size_t len = strlen(s), n = 0;
    uint32_t *cp = nb_xmalloc((len + 1) * sizeof *cp);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i], k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        static const unsigned lead_mask[] = {0, 0xFF, 0x1F, 0x0F, 0x07};
        uint32_t v = c & lead_mask[k]; /* invalid bytes count as themselves */
        for (unsigned j = 1; j < k && i + j < len; j++)
            v = (v << 6) | (p[i + j] & 0x3F);
        i += k;
        if (v == ' ' || v == '\t' || v == '\n' || v == '\r' || v == 0x3000 || v == 0xA0)
            continue;
        cp[n++] = v & 0x1FFFFF;
    }
    *out = cp;
    return n;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted, de-duplicated trigram keys. */
static size_t trigrams(const char *s, uint64_t **out)
{
    uint32_t *cp;
    size_t n = codepoints(s, &cp), m = 0;
    uint64_t *g = nb_xmalloc((n + 1) * sizeof *g);
    for (size_t i = 0; i + 2 < n; i++)
        g[m++] = ((uint64_t)cp[i] << 42) | ((uint64_t)cp[i + 1] << 21) | cp[i + 2];
    if (n > 0 && n < 3) /* a text too short for a trigram is one gram */
        g[m++] = ((uint64_t)cp[0] << 42) | ((uint64_t)(n > 1 ? cp[1] : 0) << 21);
    free(cp);
    qsort(g, m, sizeof *g, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < m; i++)
        if (u == 0 || g[u - 1] != g[i])
            g[u++] = g[i];
    *out = g;
    return u;
}

int nb_text_similarity(const char *a, const char *b)
{
    uint64_t *ga, *gb;
    size_t na = trigrams(a, &ga), nb = trigrams(b, &gb), i = 0, j = 0, common = 0;
    while (i < na && j < nb) {
        if (ga[i] == gb[j]) {
            common++;
            i++;
            j++;
        } else if (ga[i] < gb[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(ga);
    free(gb);
    size_t uni = na + nb - common;
    return uni == 0 ? 100 : (int)(common * 100 / uni);
}
