/* TXT-NUM, rule kind `narrative`: numbers the narrative states for a table
 * quantity ("本年度共收到申请70件") against the table.  The format declares
 * the wording as data (docs/plugins.md): separators, words of another
 * period, and for each quantity its cells and Lua patterns; C only applies
 * them.  Why in C: as a Lua function (lib/narrative.lua before) it needed
 * the Lua view of every report — its sections and their texts copied into
 * Lua — and cost more than all the other rules together.
 *
 * Each section's text is cut into lines (a line holding the placeholder
 * skipped), sentences and clauses (base/text_cut.h, as host.clauses cuts);
 * a clause with an ASCII digit gives at most one mention: the first
 * quantity, in the declared order, one of whose patterns matches.  A
 * mismatch with the quantity's value (its cells summed; a blank, "/" or
 * odd cell: not compared) is one finding, quoting the clause, pinned to the
 * quantity's first cell and the clause's line. */
#define _GNU_SOURCE /* memrchr */
#include "rules/validator.h"
#include "rules/text_pattern.h"
#include "model/decimal.h"
#include "base/text_cut.h"
#include "base/xalloc.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MICRO = 1000000, LONG_RUN = 16 };
static const char DIGITS[] = "0123456789";

static bool holds(const char *s, size_t n, const char *w) { return nb_find_plain(s, n, w, strlen(w)) != NULL; }

static bool holds_any(const char *s, size_t n, const char *const *words, size_t nwords)
{
    for (size_t i = 0; i < nwords; i++)
        if (holds(s, n, words[i]))
            return true;
    return false;
}

/* whether s holds the bytes some pattern requires (nb_narrative.needed) */
static bool holds_needle(const nb_rule *rule, const char *s, size_t n)
{
    return holds_any(s, n, rule->narrative->any, rule->narrative->nany);
}

/* a run of 16 or more digits is no count: each such run becomes "#" (in
 * place; returns the new length), as the patterns would otherwise
 * backtrack through it from each of its digits */
static size_t drop_long_runs(char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        size_t k = i;
        while (k < n && s[k] >= '0' && s[k] <= '9')
            k++;
        if (k - i >= LONG_RUN) {
            s[w++] = '#';
            i = k;
        } else if (k > i) {
            memmove(s + w, s + i, k - i);
            w += k - i;
            i = k;
        } else {
            s[w++] = s[i++];
        }
    }
    return w;
}

/* the quantity the clause mentions and the number, or NULL; the clause is
 * read with its long digit runs dropped, in work (room for it) */
static const nb_quantity *mention(const nb_rule *rule, const char *sentence, size_t sn, const char *cl, size_t n,
                                  char *work, int64_t *number)
{
    const nb_narrative *nv = rule->narrative;
    memcpy(work, cl, n);
    const char *clause = work;
    size_t cn = drop_long_runs(work, n);
    /* a clause that holds no pattern's required bytes (most clauses with a
     * digit: dates, other counts) mentions nothing: said before the skip
     * words are looked for */
    if ((nv->needed && !holds_needle(rule, clause, cn)) || holds_any(clause, cn, nv->skip, nv->nskip))
        return NULL;
    for (size_t i = 0; i < rule->nquantities; i++) {
        const nb_quantity *q = &rule->quantities[i];
        if (holds_any(clause, cn, q->unless, q->nunless) || (q->sentence && !holds(sentence, sn, q->sentence)))
            continue;
        for (size_t k = 0; k < q->npatterns; k++) {
            const char *cap;
            size_t capn;
            if (*q->needles[k] && !holds(clause, cn, q->needles[k]))
                continue; /* most clauses lack the bytes a pattern requires */
            if (nb_pattern_match(q->patterns[k], clause, cn, &cap, &capn)) {
                /* a capture of at most 15 digits (longer runs are gone) */
                int64_t v = 0;
                for (size_t d = 0; d < capn; d++)
                    v = v * 10 + (cap[d] - '0');
                *number = v;
                return q;
            }
        }
    }
    return NULL;
}

static void finding(const nb_rule *rule, const nb_report *r, const nb_quantity *q, const char *clause, int64_t n,
                    int64_t micro, uint32_t line, nb_findings *out)
{
    char v[40], a[32], msg[2048];
    if (micro % MICRO == 0)
        snprintf(v, sizeof v, "%" PRId64, micro / MICRO);
    else
        nb_dec_format(micro, v, sizeof v);
    snprintf(a, sizeof a, "%" PRId64, n);
    snprintf(msg, sizeof msg, "正文写“%s”（%s %s），表中为 %s%s：请核对正文或表格", clause, q->what, a, v,
             q->ncells > 1 ? "（各项合计）" : "");
    nb_finding *f = nb_findings_add(out, rule, msg);
    const nb_term *c = &q->cells[0];
    nb_finding_at_cell(out, f, r->format, (size_t)c->cell);
    f->line = line ? line : r->cells[c->cell].line;
    nb_finding_set(out, &f->expected, v);
    nb_finding_set(out, &f->actual, a);
}

/* The clauses of one line (cut in buf, room for three copies of it). */
static void check_line(const nb_rule *rule, const nb_report *r, const char *line, size_t len, char *buf,
                       uint32_t lineno, nb_findings *out)
{
    const nb_narrative *nv = rule->narrative;
    memcpy(buf, line, len);
    size_t n = nb_cut_at(buf, len, nv->sentences, nv->nsentences), at = 0;
    char *cb = buf + len;
    const char *sent, *cl;
    size_t sn, cn;
    while (nb_next_piece(buf, n, &at, &sent, &sn)) {
        if (nb_next_digit(sent, sn) == sn)
            continue; /* every pattern captures a digit run */
        memcpy(cb, sent, sn);
        size_t m = nb_cut_at(cb, sn, nv->clauses, nv->nclauses), cat = 0;
        while (nb_next_piece(cb, m, &cat, &cl, &cn)) {
            if (nb_next_digit(cl, cn) == cn)
                continue;
            int64_t number, value;
            const nb_quantity *q = mention(rule, sent, sn, cl, cn, cb + len, &number);
            if (q && nb_quantity_value(q, r, true, &value) && (number > INT64_MAX / MICRO || value != number * MICRO)) {
                ((char *)cl)[cn] = '\0'; /* ends the clause for the message: it is cut in cb, the next piece past it */
                finding(rule, r, q, cl, number, value, lineno, out);
            }
        }
    }
}

void nb_narrative_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    const char *ph = rule->narrative->placeholder;
    for (size_t s = 0; s < r->nsections; s++) {
        const char *text = r->sections[s].text;
        /* only the lines with an ASCII digit: found by one search of the
         * text (strcspn's, many bytes a step), the lines between counted */
        size_t at = text ? strcspn(text, DIGITS) : 0;
        if (!text || !text[at])
            continue;
        size_t len = at + strlen(text + at);
        uint32_t line0 = r->sections[s].line ? r->sections[s].line + 1 : 0, k = 0;
        char *buf = nb_xmalloc(3 * len + 1);
        const char *counted = text, *end = text + len;
        for (const char *p = text; at < len;) {
            const char *d = text + at, *before = memrchr(p, '\n', (size_t)(d - p));
            const char *start = before ? before + 1 : p;
            for (const char *nl; counted < start && (nl = memchr(counted, '\n', (size_t)(start - counted))); k++)
                counted = nl + 1;
            const char *nl = memchr(d, '\n', (size_t)(end - d)), *e = nl ? nl : end;
            /* a line holding no pattern's required bytes has no clause that does */
            if (!(ph && holds(start, (size_t)(e - start), ph)) &&
                !(rule->narrative->needed && !holds_needle(rule, start, (size_t)(e - start))))
                check_line(rule, r, start, (size_t)(e - start), buf, line0 ? line0 + k : 0, out);
            p = nl ? nl + 1 : end;
            at = (size_t)(p - text);
            at += at < len ? strcspn(p, DIGITS) : 0;
        }
        free(buf);
    }
}
