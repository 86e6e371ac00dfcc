/* Near-duplicate detection for narrative sections (国办: 不得年年雷同).
 * Jaccard index of the sets of character trigrams, ignoring white space:
 * robust to reordered sentences and small edits, cheap for report-sized text.
 * Each trigram is packed exactly into 63 bits (three 21-bit code points), so
 * no two different trigrams ever count as the same.
 *
 * A report's section is compared twice in a walk over years (`check --db`,
 * `add`): with last year's as this year, with next year's as last year.  The
 * sets of the texts met last are kept (keyed by the text itself, compared
 * whole, so a hit is never another text), and each text is cut into
 * trigrams once. */
#include "rules/validator.h"
#include "base/xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The code points of s, white space left out. */
static size_t codepoints(const char *s, size_t len, uint32_t *cp)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned c = p[i];
        uint32_t v;
        if ((c & 0xF0) == 0xE0 && i + 2 < len) { /* Chinese text: most of it */
            v = ((c & 0x0F) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F);
            i += 3;
            if (v != 0x3000) {
                cp[n++] = v;
                continue;
            }
        } else {
            unsigned k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
            static const unsigned lead_mask[] = {0, 0xFF, 0x1F, 0x0F, 0x07};
            v = c & lead_mask[k]; /* invalid bytes count as themselves */
            for (unsigned j = 1; j < k && i + j < len; j++)
                v = (v << 6) | (p[i + j] & 0x3F);
            i += k;
        }
        if (v <= 0x3000 && (v == ' ' || v == '\t' || v == '\n' || v == '\r' || v == 0x3000 || v == 0xA0))
            continue;
        cp[n++] = v & 0x1FFFFF;
    }
    return n;
}

/* A set of trigram keys: open addressing, 0 marks an empty slot (no key is
 * 0: a trigram's first code point is never NUL), and the keys listed. */
typedef struct {
    uint64_t *slot, *keys;
    size_t mask, n;
    char *text; /* what it was made of (the cache's key) */
    size_t len;
} gram_set;

static size_t slot_of(const gram_set *g, uint64_t k)
{
    size_t i = (size_t)((k * 0x9E3779B97F4A7C15u) >> 20) & g->mask;
    while (g->slot[i] && g->slot[i] != k)
        i = (i + 1) & g->mask;
    return i;
}

/* The set of trigrams of s (white space ignored). */
static void trigrams(const char *s, size_t len, gram_set *g)
{
    uint32_t *cp = nb_xmalloc((len + 1) * sizeof *cp);
    size_t n = codepoints(s, len, cp), cap = 16;
    while (cap < n + n / 2 + 2) /* at most two thirds full */
        cap *= 2;
    g->slot = nb_xcalloc(cap, sizeof *g->slot);
    g->keys = nb_xmalloc((n + 1) * sizeof *g->keys);
    g->mask = cap - 1;
    g->n = 0;
    g->text = nb_xmalloc(len + 1);
    memcpy(g->text, s, len + 1);
    g->len = len;
    /* a text too short for a trigram is one gram */
    uint64_t k = n == 0 ? 0 : n < 3 ? ((uint64_t)cp[0] << 42) | ((uint64_t)(n > 1 ? cp[1] : 0) << 21)
                                    : ((uint64_t)cp[0] << 21) | cp[1];
    for (size_t i = n < 3 ? n : 2; i < n || (n > 0 && n < 3 && i == n); i++) {
        if (n >= 3)
            k = ((k << 21) | cp[i]) & (((uint64_t)1 << 63) - 1); /* cp[i - 2], cp[i - 1], cp[i] */
        size_t at = slot_of(g, k);
        if (!g->slot[at]) {
            g->slot[at] = k;
            g->keys[g->n++] = k;
        }
        if (n < 3)
            break;
    }
    free(cp);
}

static void gram_set_free(gram_set *g)
{
    free(g->slot);
    free(g->keys);
    free(g->text);
    memset(g, 0, sizeof *g);
}

/* The sets of the texts met last (a process checks one walk at a time). */
enum { KEPT = 4 };
static gram_set kept[KEPT];
static size_t kept_next;

/* The set of s: a kept one, or made now in place of the oldest but `other`
 * (the set the caller holds). */
static const gram_set *grams_of(const char *s, const gram_set *other)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < KEPT; i++)
        if (kept[i].text && kept[i].len == len && memcmp(kept[i].text, s, len) == 0)
            return &kept[i];
    if (&kept[kept_next] == other)
        kept_next = (kept_next + 1) % KEPT;
    gram_set *g = &kept[kept_next];
    kept_next = (kept_next + 1) % KEPT;
    gram_set_free(g);
    trigrams(s, len, g);
    return g;
}

int nb_text_similarity(const char *a, const char *b)
{
    const gram_set *ga = grams_of(a, NULL), *gb = grams_of(b, ga);
    const gram_set *small = ga->n <= gb->n ? ga : gb, *large = small == ga ? gb : ga;
    size_t common = 0;
    for (size_t i = 0; i < small->n; i++)
        common += large->slot[slot_of(large, small->keys[i])] != 0;
    size_t uni = ga->n + gb->n - common;
    return uni == 0 ? 100 : (int)(common * 100 / uni);
}
