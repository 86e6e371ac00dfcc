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

/* A set of trigram keys: open addressing, 0 marks an empty slot (no key is
 * 0: a trigram's first code point is never NUL).  No sorting is needed to
 * count what two sets share. */
typedef struct {
    uint64_t *slot;
    size_t mask, n;
} gram_set;

static size_t slot_of(const gram_set *g, uint64_t k)
{
    size_t i = (size_t)((k * 0x9E3779B97F4A7C15u) >> 20) & g->mask;
    while (g->slot[i] && g->slot[i] != k)
        i = (i + 1) & g->mask;
    return i;
}

/* The set of trigrams of s (white space ignored). */
static void trigrams(const char *s, gram_set *g)
{
    uint32_t *cp;
    size_t n = codepoints(s, &cp), cap = 16;
    while (cap < 2 * n + 2)
        cap *= 2;
    g->slot = nb_xcalloc(cap, sizeof *g->slot);
    g->mask = cap - 1;
    g->n = 0;
    for (size_t i = 0; i + 2 < n || (i == 0 && n > 0 && n < 3); i++) {
        /* a text too short for a trigram is one gram */
        uint64_t k = n < 3 ? ((uint64_t)cp[0] << 42) | ((uint64_t)(n > 1 ? cp[1] : 0) << 21)
                           : ((uint64_t)cp[i] << 42) | ((uint64_t)cp[i + 1] << 21) | cp[i + 2];
        size_t at = slot_of(g, k);
        if (!g->slot[at]) {
            g->slot[at] = k;
            g->n++;
        }
        if (n < 3)
            break;
    }
    free(cp);
}

int nb_text_similarity(const char *a, const char *b)
{
    gram_set ga, gb;
    trigrams(a, &ga);
    trigrams(b, &gb);
    size_t common = 0;
    for (size_t i = 0; i <= gb.mask; i++)
        if (gb.slot[i] && ga.slot[slot_of(&ga, gb.slot[i])])
            common++;
    size_t uni = ga.n + gb.n - common;
    free(ga.slot);
    free(gb.slot);
    return uni == 0 ? 100 : (int)(common * 100 / uni);
}
