/* See draft_rule.h. */
#include "rules/draft_rule.h"
#include "base/text_cut.h"
#include "base/strbuf.h"
#include <stdio.h>
#include <string.h>

static const char *mark_in(const nb_rule *rule, const char *s, size_t n)
{
    const char *best = NULL;
    for (size_t w = 0; w < rule->nwords; w++) {
        size_t wl = strlen(rule->words[w]);
        const char *p = wl ? nb_find_plain(s, n, rule->words[w], wl) : NULL; /* by memchr: most texts hold no mark */
        if (p && (!best || p < best))
            best = p;
    }
    return best;
}

/* The placeholder from its mark to the matching "）" (nested pairs
 * counted), or to the end of the line. */
static size_t placeholder_len(const char *p, const char *end)
{
    static const char open[] = "（", close[] = "）";
    int depth = 0;
    for (const char *q = p; q < end; q++) {
        if ((size_t)(end - q) >= 3 && memcmp(q, open, 3) == 0)
            depth++;
        else if ((size_t)(end - q) >= 3 && memcmp(q, close, 3) == 0 && --depth <= 0)
            return (size_t)(q + 3 - p);
    }
    return (size_t)(end - p);
}

/* One finding per line of text holding marks; line0 is the text's first
 * line (0 = unknown); the text is in the section headed heading, or in the
 * preamble when heading is NULL. */
static void scan(const nb_rule *rule, const nb_report *r, const char *heading, const char *text, uint32_t line0,
                 nb_findings *out)
{
    /* most texts hold no mark: one search of the whole text says so */
    if (!text || !mark_in(rule, text, strlen(text)))
        return;
    char where[512];
    if (heading)
        snprintf(where, sizeof where, "“%s”中有待填写的地方", heading);
    else
        snprintf(where, sizeof where, "开头一段中有待填写的地方");
    uint32_t k = 0;
    for (const char *s = text; *s; k++) {
        const char *nl = strchr(s, '\n'), *end = nl ? nl : s + strlen(s);
        const char *p = mark_in(rule, s, (size_t)(end - s));
        if (p) {
            size_t n = 0;
            size_t first = placeholder_len(p, end);
            for (const char *q = p; q && q < end; q = mark_in(rule, q + 1, (size_t)(end - q - 1)))
                n++;
            int shown = first > 240 ? 240 : (int)first;
            while (shown > 0 && ((unsigned char)p[shown] & 0xC0) == 0x80)
                shown--; /* whole characters only */
            char msg[640];
            snprintf(msg, sizeof msg, "%s：请按提示写好，并删去提示", where);
            if (n > 1)
                snprintf(msg + strlen(msg), sizeof msg - strlen(msg), "（本行共%zu处待填写）", n);
            nb_finding *f = nb_findings_add(out, rule, msg);
            f->line = line0 ? line0 + k : 0;
            nb_finding_set(out, &f->expected, "填写的内容");
            char actual[256];
            snprintf(actual, sizeof actual, "%.*s%s", shown, p, (size_t)shown < first ? "…" : "");
            nb_finding_set(out, &f->actual, actual);
        }
        s = nl ? nl + 1 : end;
    }
    (void)r;
}

void nb_placeholder_rule(const nb_rule *rule, const nb_report *r, nb_findings *out)
{
    uint32_t first = 0;
    for (size_t s = 0; s < r->nsections && !first; s++)
        first = r->sections[s].line;
    if (r->preamble) {
        uint32_t lines = 1;
        for (const char *p = r->preamble; *p; p++)
            lines += *p == '\n';
        scan(rule, r, NULL, r->preamble, first > lines ? first - lines : 0, out);
    }
    for (size_t s = 0; s < r->nsections; s++) {
        const nb_section *sec = &r->sections[s];
        const char *heading = sec->heading ? sec->heading : "";
        if (sec->heading)
            scan(rule, r, heading, sec->heading, sec->line, out);
        if (sec->text)
            scan(rule, r, heading, sec->text, sec->line ? sec->line + 1 : 0, out);
    }
}

char *nb_text_drop_placeholders(const nb_format *fmt, const char *text)
{
    nb_strbuf sb;
    nb_sb_init(&sb);
    nb_sb_puts(&sb, "");
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n'), *end = nl ? nl + 1 : s + strlen(s);
        bool marked = false;
        for (size_t i = 0; i < fmt->nrules && !marked; i++)
            marked = fmt->rules[i].kind == NB_RULE_PLACEHOLDER &&
                     mark_in(&fmt->rules[i], s, (size_t)(end - s)) != NULL;
        if (!marked)
            nb_sb_append(&sb, s, (size_t)(end - s));
        s = end;
    }
    return nb_sb_take(&sb);
}
