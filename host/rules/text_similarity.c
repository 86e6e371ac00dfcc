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
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Reads the next code point of p at *i into *v (advanced past it);
 * false past the end.  White space is skipped; invalid bytes count as
 * themselves. */
static bool next_cp(const unsigned char *p, size_t len, size_t *i, uint32_t *v)
{
    while (*i < len) {
        unsigned c = p[*i];
        if ((c & 0xF0) == 0xE0 && *i + 2 < len) { /* Chinese text: most of it */
            uint32_t u = ((c & 0x0F) << 12) | ((uint32_t)(p[*i + 1] & 0x3F) << 6) | (p[*i + 2] & 0x3F);
            *i += 3;
            if (u == 0x3000)
                continue; /* *v untouched: a text too short for a trigram keeps 0 for what it lacks */
            *v = u;
            return true;
        }
        unsigned k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        static const unsigned lead_mask[] = {0, 0xFF, 0x1F, 0x0F, 0x07};
        uint32_t u = c & lead_mask[k];
        for (unsigned j = 1; j < k && *i + j < len; j++)
            u = (u << 6) | (p[*i + j] & 0x3F);
        *i += k;
        if (u <= 0x3000 && (u == ' ' || u == '\t' || u == '\n' || u == '\r' || u == 0x3000 || u == 0xA0))
            continue;
        *v = u & 0x1FFFFF;
        return true;
    }
    return false;
}

/* A set of trigram keys: open addressing, 0 marks an empty slot (no key is
 * 0: a trigram's first code point is never NUL), and the keys listed.  The
 * table grows with the distinct trigrams, not with the text: a report's
 * section repeats itself (the same few hundred trigrams in thousands of
 * characters), and a table sized for every character was mostly cleared
 * memory. */
typedef struct {
    uint64_t *slot, *keys;
    size_t mask, n, cap_keys;
    char *text; /* what it was made of (the cache's key) */
    size_t len;
} gram_set;

static inline size_t probe(const uint64_t *slot, size_t mask, uint64_t k)
{
    size_t i = (size_t)((k * 0x9E3779B97F4A7C15u) >> 20) & mask;
    while (slot[i] && slot[i] != k)
        i = (i + 1) & mask;
    return i;
}

static size_t slot_of(const gram_set *g, uint64_t k) { return probe(g->slot, g->mask, k); }

/* Adds k, not in g, whose slot is at (at most two thirds full: doubled
 * and the keys placed again). */
static void add_new_key(gram_set *g, uint64_t k, size_t at)
{
    if ((g->n + 1) * 3 > (g->mask + 1) * 2) {
        free(g->slot);
        g->mask = g->mask * 2 + 1;
        g->slot = nb_xcalloc(g->mask + 1, sizeof *g->slot);
        for (size_t j = 0; j < g->n; j++)
            g->slot[slot_of(g, g->keys[j])] = g->keys[j];
        at = slot_of(g, k);
    }
    if (g->n == g->cap_keys) {
        g->cap_keys *= 2;
        g->keys = nb_xrealloc(g->keys, g->cap_keys * sizeof *g->keys);
    }
    g->slot[at] = k;
    g->keys[g->n++] = k;
}

/* The set of trigrams of s (white space ignored), each packed exactly:
 * three 21-bit code points. */
static void trigrams(const char *s, size_t len, gram_set *g)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t cap = 16;
    while (cap < 1024 && cap < len / 2) /* a third of the bytes are characters, two thirds full */
        cap *= 2;
    g->mask = cap - 1;
    g->slot = nb_xcalloc(cap, sizeof *g->slot);
    g->cap_keys = cap;
    g->keys = nb_xmalloc(g->cap_keys * sizeof *g->keys);
    g->n = 0;
    g->text = nb_xmalloc(len + 1);
    memcpy(g->text, s, len + 1);
    g->len = len;
    size_t i = 0;
    uint32_t a = 0, b = 0, c = 0;
    if (!next_cp(p, len, &i, &a))
        return;
    if (!next_cp(p, len, &i, &b) || !next_cp(p, len, &i, &c)) { /* a text too short for a trigram is one gram */
        uint64_t k = ((uint64_t)a << 42) | ((uint64_t)b << 21);
        add_new_key(g, k, slot_of(g, k));
        return;
    }
    uint64_t k = ((uint64_t)a << 21) | b, *slot = g->slot;
    size_t mask = g->mask;
    for (;;) {
        k = ((k << 21) | c) & (((uint64_t)1 << 63) - 1); /* the last three code points */
        size_t at = probe(slot, mask, k); /* the table in locals: stores to keys may not alias it */
        if (!slot[at]) {
            add_new_key(g, k, at);
            slot = g->slot;
            mask = g->mask;
        }
        /* the next code point: a three-byte character (not U+3000) here, the rest by next_cp */
        if (i + 2 < len && (p[i] & 0xF0) == 0xE0 &&
            (c = ((p[i] & 0x0Fu) << 12) | ((uint32_t)(p[i + 1] & 0x3F) << 6) | (p[i + 2] & 0x3F)) != 0x3000)
            i += 3;
        else if (!next_cp(p, len, &i, &c))
            break;
    }
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
