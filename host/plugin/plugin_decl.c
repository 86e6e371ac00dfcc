/* See plugin_decl.h. */
#define _GNU_SOURCE /* memmem */
#include "plugin/plugin_decl.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include "text/text_scan.h"
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
        } else if (strcmp(key, "extensions") == 0 || strcmp(key, "uses") == 0) {
            while (next_word(&q, eol, &w, &quoted, &bad))
                if (key[0] == 'e')
                    add_str(&d->extensions, &d->nextensions, w.data, w.len);
                else
                    add_str(&d->uses, &d->nuses, w.data, w.len);
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
        } else {
            bad = true;
        }
        if (bad) {
            nb_sb_printf(err, "插件出错：%s:%u: 无法理解这一行声明（--: importer|renderer|extensions|content|marks|uses）\n",
                         path, line);
            ok = false;
        }
    }
    nb_sb_free(&w);
    if (!ok)
        nb_plugin_decl_free(d);
    return ok;
}

void nb_plugin_decl_free(nb_plugin_decl *d)
{
    free(d->importer);
    free(d->renderer);
    for (size_t i = 0; i < d->nextensions; i++)
        free(d->extensions[i]);
    for (size_t i = 0; i < d->nuses; i++)
        free(d->uses[i]);
    for (size_t i = 0; i < d->nmarks; i++)
        free(d->marks[i].bytes);
    for (size_t i = 0; i < d->ngates; i++)
        free(d->gates[i].bytes);
    free(d->gates);
    free(d->gate_ext);
    free(d->extensions);
    free(d->uses);
    free(d->marks);
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

/* Every mark searched in one pass over the head: the marks are chained by
 * their first byte (its lower case: the locale is "C"), and a byte that
 * begins none is passed over (by memchr when only one byte begins any). */
static bool any_mark(const nb_decl_mark *ms, size_t n, const char *data, size_t len)
{
    bool lead[256] = {false};
    size_t first[256], *next = nb_xmalloc((n ? n : 1) * sizeof *next), reach = 0, nlead = 0;
    for (int c = 0; c < 256; c++)
        first[c] = SIZE_MAX;
    bool yes = false;
    for (size_t i = n; i-- > 0;) { /* chained in declaration order */
        const nb_decl_mark *m = &ms[i];
        if (m->within == 0 || m->len == 0) {
            yes = yes || (m->within == 0 ? len >= m->len && memcmp(data, m->bytes, m->len) == 0 : true);
            continue;
        }
        unsigned char c = (unsigned char)m->bytes[0];
        int key = lower(c), up = upper(c);
        nlead += !lead[c];
        lead[c] = true;
        if (m->nocase) {
            nlead += !lead[key] + !lead[up];
            lead[key] = lead[up] = true;
        }
        next[i] = first[key];
        first[key] = i;
        reach = m->within > reach ? m->within : reach;
    }
    const unsigned char *s = (const unsigned char *)data;
    reach = reach < len ? reach : len;
    int only = -1;
    for (int c = 0; nlead == 1 && only < 0; c++)
        only = lead[c] ? c : -1;
    for (size_t i = 0; i < reach && !yes; i++) {
        if (only >= 0) {
            const unsigned char *at = memchr(s + i, only, reach - i);
            if (!at)
                break;
            i = (size_t)(at - s);
        } else {
            while (i < reach && !lead[s[i]])
                i++;
            if (i == reach)
                break;
        }
        for (size_t k = first[lower(s[i])]; k != SIZE_MAX && !yes; k = next[k])
            yes = found_at(data, len < ms[k].within ? len : ms[k].within, i, &ms[k]);
    }
    free(next);
    return yes;
}

bool nb_plugin_decl_content(const nb_plugin_decl *d, const char *data, size_t len)
{
    return any_mark(d->marks, d->nmarks, data, len);
}

bool nb_plugin_decl_may_detect(const nb_plugin_decl *d, const char *path, const char *data, size_t len)
{
    if (!d->gate_ext)
        return true;
    char *ext = d->gate_ext;
    nb_plugin_decl e = {.extensions = &ext, .nextensions = 1};
    if (!nb_plugin_decl_has_extension(&e, path) || memchr(data, '\0', len))
        return true;
    if (any_mark(d->gates, d->ngates, data, len))
        return true;
    /* detect reads the head as UTF-8 (its last character may be cut), else
     * converted: then it may say anything.  Strict UTF-8 is UTF-8: the text
     * import checks the file strictly, once (text_scan.h), and the looser
     * check is needed only short of that. */
    if (nb_text_utf8_strict_prefix(data, len) + 3 >= len)
        return false;
    return len - nb_utf8_valid_prefix(data, len) > 3;
}
