/* See plugin_decl.h. */
#define _GNU_SOURCE /* memmem */
#include "plugin/plugin_decl.h"
#include "plugin/plugin_libraries.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include "model/format.h"
#include "text/text_inline.h"
#include "text/text_scan.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void index_marks(const nb_decl_mark *ms, size_t n, nb_mark_index *x);
static void heading_words_free(nb_heading_words *hw);

static void add_str(char ***v, size_t *n, const char *s, size_t len)
{
    *v = nb_xrealloc(*v, (*n + 1) * sizeof **v);
    char *c = nb_xmalloc(len + 1);
    memcpy(c, s, len);
    c[len] = '\0';
    (*v)[(*n)++] = c;
}

/* The next word of [*p, end): bare, or quoted with Lua's escapes (into out). */
static bool next_word(const char **p, const char *end, nb_strbuf *out, bool *quoted, bool *bad)
{
    const char *s = *p;
    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    *quoted = false;
    if (s >= end)
        return *p = s, false;
    out->len = 0;
    nb_sb_append(out, "", 0);
    if (*s != '"') {
        const char *w = s;
        while (s < end && *s != ' ' && *s != '\t')
            s++;
        nb_sb_append(out, w, (size_t)(s - w));
        *p = s;
        return true;
    }
    *quoted = true;
    for (s++; s < end && *s != '"'; s++) {
        if (*s != '\\') {
            nb_sb_append(out, s, 1);
            continue;
        }
        if (++s >= end)
            break;
        if (isdigit((unsigned char)*s)) {
            int v = 0, k = 0;
            while (k < 3 && s < end && isdigit((unsigned char)*s))
                v = v * 10 + (*s++ - '0'), k++;
            s--;
            if (v > 255)
                *bad = true;
            char c = (char)v;
            nb_sb_append(out, &c, 1);
        } else if (*s == 'n' || *s == 'r' || *s == 't') {
            char c = *s == 'n' ? '\n' : *s == 'r' ? '\r' : '\t';
            nb_sb_append(out, &c, 1);
        } else {
            nb_sb_append(out, s, 1);
        }
    }
    if (s >= end) {
        *bad = true;
        return *p = end, false;
    }
    *p = s + 1;
    return true;
}

bool nb_plugin_decl_read(nb_plugin_decl *d, const char *path, const char *text, size_t len, nb_strbuf *err)
{
    memset(d, 0, sizeof *d);
    const char *p = text, *end = text + len;
    nb_strbuf w;
    nb_sb_init(&w);
    bool ok = true;
    for (unsigned line = 1; p < end && ok; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        if ((size_t)(eol - p) < 3 || memcmp(p, "--", 2) != 0)
            break; /* the declaration is the opening comment lines */
        const char *q = p + 3;
        bool decl = p[2] == ':', quoted = false, bad = false;
        p = eol + 1;
        if (!decl)
            continue;
        if (!next_word(&q, eol, &w, &quoted, &bad))
            continue;
        char key[16];
        snprintf(key, sizeof key, "%s", w.data);
        if (strcmp(key, "importer") == 0 || strcmp(key, "renderer") == 0) {
            char **slot = key[0] == 'i' ? &d->importer : &d->renderer;
            if (*slot || !next_word(&q, eol, &w, &quoted, &bad) || quoted)
                bad = true;
            else
                *slot = nb_xstrdup(w.data);
        } else if (strcmp(key, "extensions") == 0 || strcmp(key, "uses") == 0 || strcmp(key, "libraries") == 0) {
            while (next_word(&q, eol, &w, &quoted, &bad))
                if (key[0] == 'e')
                    add_str(&d->extensions, &d->nextensions, w.data, w.len);
                else if (key[0] == 'u')
                    add_str(&d->uses, &d->nuses, w.data, w.len);
                else if (!nb_plugin_library_known(w.data))
                    bad = true;
                else
                    add_str(&d->libraries, &d->nlibraries, w.data, w.len);
        } else if (strcmp(key, "content") == 0 || strcmp(key, "marks") == 0) {
            bool gate = key[0] == 'm';
            nb_decl_mark m = {0};
            bool words = next_word(&q, eol, &w, &quoted, &bad);
            if (gate) { /* marks EXT within N ... */
                if (!words || quoted || d->gate_ext)
                    bad = true;
                else
                    d->gate_ext = nb_xstrdup(w.data);
                words = next_word(&q, eol, &w, &quoted, &bad);
                if (!words || strcmp(w.data, "within") != 0)
                    bad = true;
            }
            if (words && strcmp(w.data, "within") == 0) {
                words = next_word(&q, eol, &w, &quoted, &bad);
                char *e;
                long n = words ? strtol(w.data, &e, 10) : 0;
                if (n <= 0 || *e)
                    bad = true;
                m.within = (size_t)n;
                words = next_word(&q, eol, &w, &quoted, &bad);
                if (words && !quoted && strcmp(w.data, "nocase") == 0) {
                    m.nocase = true;
                    words = next_word(&q, eol, &w, &quoted, &bad);
                }
            } else if (!words || strcmp(w.data, "prefix") != 0) {
                bad = true;
            } else {
                words = next_word(&q, eol, &w, &quoted, &bad);
            }
            if (!words || !quoted)
                bad = true;
            nb_decl_mark **list = gate ? &d->gates : &d->marks;
            size_t *nlist = gate ? &d->ngates : &d->nmarks;
            for (; words && quoted && !bad; words = next_word(&q, eol, &w, &quoted, &bad)) {
                *list = nb_xrealloc(*list, (*nlist + 1) * sizeof **list);
                nb_decl_mark *k = &(*list)[(*nlist)++];
                *k = m;
                k->len = w.len;
                k->bytes = nb_xmalloc(w.len + 1);
                memcpy(k->bytes, w.data ? w.data : "", w.len + 1);
            }
            if (words && !bad) /* a bare word among the strings */
                bad = true;
        } else if (strcmp(key, "headings") == 0) { /* headings EXT within N "ANCHOR" */
            bool words = next_word(&q, eol, &w, &quoted, &bad);
            if (!words || quoted || d->heading_anchor || (d->gate_ext && strcmp(d->gate_ext, w.data) != 0))
                bad = true;
            else if (!d->gate_ext)
                d->gate_ext = nb_xstrdup(w.data);
            words = !bad && next_word(&q, eol, &w, &quoted, &bad);
            if (!words || quoted || strcmp(w.data, "within") != 0)
                bad = true;
            words = !bad && next_word(&q, eol, &w, &quoted, &bad);
            char *e = NULL;
            long n = words && !quoted ? strtol(w.data, &e, 10) : 0;
            if (n <= 0 || !e || *e)
                bad = true;
            words = !bad && next_word(&q, eol, &w, &quoted, &bad);
            if (!words || !quoted || w.len == 0 || memchr(w.data, '\0', w.len) || next_word(&q, eol, &w, &quoted, &bad))
                bad = true;
            if (!bad) {
                d->heading_anchor = nb_xstrdup(w.data);
                d->heading_within = (size_t)n;
            }
        } else {
            bad = true;
        }
        if (bad) {
            nb_sb_printf(err, "插件出错：%s:%u: 无法理解这一行声明（--: importer|renderer|extensions|content|marks|headings|uses|libraries）\n",
                         path, line);
            ok = false;
        }
    }
    nb_sb_free(&w);
    if (!ok) {
        nb_plugin_decl_free(d);
        return false;
    }
    index_marks(d->marks, d->nmarks, &d->marks_index);
    index_marks(d->gates, d->ngates, &d->gates_index);
    return true;
}

void nb_plugin_decl_free(nb_plugin_decl *d)
{
    free(d->importer);
    free(d->renderer);
    for (size_t i = 0; i < d->nextensions; i++)
        free(d->extensions[i]);
    for (size_t i = 0; i < d->nuses; i++)
        free(d->uses[i]);
    for (size_t i = 0; i < d->nlibraries; i++)
        free(d->libraries[i]);
    for (size_t i = 0; i < d->nmarks; i++)
        free(d->marks[i].bytes);
    for (size_t i = 0; i < d->ngates; i++)
        free(d->gates[i].bytes);
    free(d->gates);
    free(d->gate_ext);
    free(d->heading_anchor);
    free(d->extensions);
    free(d->uses);
    free(d->libraries);
    free(d->marks);
    free(d->marks_index.at);
    free(d->gates_index.at);
    heading_words_free(&d->headings);
    memset(d, 0, sizeof *d);
}

bool nb_plugin_decl_deferrable(const nb_plugin_decl *d)
{
    return (d->importer != NULL) != (d->renderer != NULL);
}

bool nb_plugin_decl_has_extension(const nb_plugin_decl *d, const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return false;
    for (size_t i = 0; i < d->nextensions; i++)
        if (strcasecmp(dot + 1, d->extensions[i]) == 0)
            return true;
    return false;
}

/* tolower and toupper of the "C" locale (nianbao never sets another),
 * without a call per byte */
static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }
static int upper(int c) { return c >= 'a' && c <= 'z' ? c - 32 : c; }

/* m at hay[i], within hay[0..n) */
static bool found_at(const char *hay, size_t n, size_t i, const nb_decl_mark *m)
{
    unsigned char c = (unsigned char)hay[i], b = (unsigned char)m->bytes[0];
    if (i + m->len > n)
        return false;
    if (!m->nocase)
        return c == b && memcmp(hay + i, m->bytes, m->len) == 0;
    return lower(c) == lower(b) && strncasecmp(hay + i, m->bytes, m->len) == 0;
}

/* How common byte c is in a report's head, for choosing the byte a mark is
 * searched by: ASCII punctuation, space and controls are rare in Chinese
 * text, then ASCII letters and digits, then UTF-8's continuation bytes,
 * then its lead bytes (every Chinese character begins with one of a few);
 * a letter of a nocase mark last (both of its cases are searched). */
static int commonness(unsigned char c, bool nocase)
{
    bool letter = lower(c) != upper(c);
    if (nocase && letter)
        return 4;
    if (c < 0x80)
        return letter || (c >= '0' && c <= '9');
    return c < 0xC0 ? 2 : 3;
}

/* Every mark searched by its rarest byte (commonness): the marks chained by
 * that byte (its lower case), one memchr pass over the head for each byte
 * that anchors a chain (both cases of a letter), each hit tried against its
 * chain only; so a head without those bytes costs a few instructions a
 * line.  A prefix mark (within 0) is compared at the head's start, and an
 * empty one is in every head. */
static void index_marks(const nb_decl_mark *ms, size_t n, nb_mark_index *x)
{
    x->at = nb_xmalloc((n ? n : 1) * 2 * sizeof *x->at);
    x->next = x->at + n;
    unsigned char slot[256] = {0}; /* key byte -> its chain, 1-based */
    for (size_t i = n; i-- > 0;) { /* chained in declaration order */
        const nb_decl_mark *m = &ms[i];
        if (m->within == 0 || m->len == 0)
            continue;
        x->at[i] = 0;
        for (size_t k = 1; k < m->len; k++) /* the last of the rarest */
            if (commonness((unsigned char)m->bytes[k], m->nocase) <=
                commonness((unsigned char)m->bytes[x->at[i]], m->nocase))
                x->at[i] = k;
        unsigned char c = (unsigned char)lower((unsigned char)m->bytes[x->at[i]]);
        if (!slot[c]) {
            x->key[x->nkeys] = c;
            x->head[x->nkeys] = SIZE_MAX;
            slot[c] = (unsigned char)++x->nkeys; /* under 256: A-Z are keyed as a-z */
        }
        x->next[i] = x->head[slot[c] - 1];
        x->head[slot[c] - 1] = i;
        x->reach = m->within > x->reach ? m->within : x->reach;
    }
}

static bool any_mark(const nb_decl_mark *ms, size_t n, const nb_mark_index *x, const char *data, size_t len)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].len == 0 || (ms[i].within == 0 && len >= ms[i].len && memcmp(data, ms[i].bytes, ms[i].len) == 0))
            return true;
    size_t reach = x->reach < len ? x->reach : len;
    for (size_t e = 0; e < 2 * x->nkeys; e++) {
        unsigned char c = x->key[e / 2];
        if (e % 2 && upper(c) == c)
            continue; /* not a letter: searched once */
        c = e % 2 ? (unsigned char)upper(c) : c;
        for (const char *p = memchr(data, c, reach); p; p = memchr(p + 1, c, reach - (size_t)(p + 1 - data))) {
            size_t pos = (size_t)(p - data);
            for (size_t i = x->head[e / 2]; i != SIZE_MAX; i = x->next[i]) {
                const nb_decl_mark *m = &ms[i];
                unsigned char b = (unsigned char)m->bytes[x->at[i]];
                if (pos >= x->at[i] && (b == c || (m->nocase && lower(b) == lower(c))) &&
                    found_at(data, len < m->within ? len : m->within, pos - x->at[i], m))
                    return true;
            }
        }
    }
    return false;
}

bool nb_plugin_decl_content(const nb_plugin_decl *d, const char *data, size_t len)
{
    return any_mark(d->marks, d->nmarks, &d->marks_index, data, len);
}

/* A section heading of one of h's formats that holds d's anchor, in the
 * first heading_within bytes of data with a byte other than white space
 * before it on its line (as host.inline_words finds one: text_inline.h). */
static bool stop_at_first(void *ud, size_t i, size_t pos)
{
    (void)i, (void)pos;
    *(bool *)ud = true;
    return false;
}

static void heading_words_free(nb_heading_words *hw)
{
    for (size_t i = 0; i < hw->nwords; i++)
        free((char *)hw->words[i].s);
    free(hw->words);
    *hw = (nb_heading_words){0};
}

/* d's headings gate's words: the section labels of h's formats that hold
 * its anchor, copied (a format's sketch gives way to the format built in
 * full, and its strings with it) */
static const nb_heading_words *heading_words(nb_plugin_decl *d, const nb_host *h)
{
    nb_heading_words *hw = &d->headings;
    if (hw->made && hw->nformats == h->nformats)
        return hw;
    heading_words_free(hw);
    *hw = (nb_heading_words){.made = true, .nformats = h->nformats};
    size_t cap = 0;
    for (size_t i = 0; i < h->nformats; i++) {
        const nb_format *f = h->formats[i].format;
        for (size_t s = 0; s < f->nsections; s++) {
            const char *label = f->sections[s].label, *first = strstr(label, d->heading_anchor);
            if (!first)
                continue;
            if (hw->nwords == cap)
                hw->words = nb_xrealloc(hw->words, (cap = cap ? 2 * cap : 32) * sizeof *hw->words);
            hw->words[hw->nwords++] = (nb_inline_word){nb_xstrdup(label), strlen(label), (size_t)(first - label)};
        }
    }
    return hw;
}

static bool heading_inline(nb_plugin_decl *d, const nb_host *h, const char *data, size_t len)
{
    size_t n = len < d->heading_within ? len : d->heading_within;
    const nb_heading_words *hw = heading_words(d, h);
    bool found = false;
    nb_inline_words(data, n, d->heading_anchor, strlen(d->heading_anchor), hw->words, hw->nwords, stop_at_first,
                    &found);
    return found;
}

/* The head is text as detect reads it: UTF-8, its last character perhaps
 * cut (else converted: then detect may say anything).  Strict UTF-8 is
 * UTF-8: the text import checks the file strictly, once (text_scan.h), and
 * the looser check is needed only short of that. */
static bool head_is_utf8(const char *data, size_t len)
{
    if (nb_text_utf8_strict_prefix(data, len) + 3 >= len)
        return true;
    return len - nb_utf8_valid_prefix(data, len) <= 3;
}

bool nb_plugin_decl_may_detect(nb_plugin_decl *d, const nb_host *h, const char *path, const char *data,
                               size_t len, int *utf8)
{
    if (!d->gate_ext)
        return true;
    char *ext = d->gate_ext;
    nb_plugin_decl e = {.extensions = &ext, .nextensions = 1};
    if (!nb_plugin_decl_has_extension(&e, path) || memchr(data, '\0', len))
        return true;
    if (any_mark(d->gates, d->ngates, &d->gates_index, data, len) ||
        (d->heading_anchor && heading_inline(d, h, data, len)))
        return true;
    if (*utf8 < 0)
        *utf8 = head_is_utf8(data, len);
    return !*utf8;
}
