/* See text_pattern.h.  The matcher is lstrlib.c's (Lua 5.4) cut down to the
 * subset: the same backtracking, tried from each start as str_find_aux
 * does, so that what a pattern finds in C is what it found in Lua. */
#include "rules/text_pattern.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    const char *src, *end, *pend;
    const char *cap;  /* the capture's start, NULL before it opens */
    size_t capn;
    bool open;        /* inside the capture */
} state;

static bool class_match(unsigned char c, unsigned char cl)
{
    bool r;
    switch (tolower(cl)) {
    case 'a': r = isalpha(c); break;
    case 'c': r = iscntrl(c); break;
    case 'd': r = isdigit(c); break;
    case 'g': r = isgraph(c); break;
    case 'l': r = islower(c); break;
    case 'p': r = ispunct(c); break;
    case 's': r = isspace(c); break;
    case 'u': r = isupper(c); break;
    case 'w': r = isalnum(c); break;
    case 'x': r = isxdigit(c); break;
    default: return cl == c;
    }
    return isupper(cl) ? !r : r;
}

/* the end of the single-character item at p */
static const char *item_end(const char *p) { return p + (*p == '%' ? 2 : 1); }

static bool single(const state *ms, const char *s, const char *p)
{
    if (s >= ms->end)
        return false;
    unsigned char c = (unsigned char)*s;
    if (*p == '.')
        return true;
    if (*p == '%')
        return class_match(c, (unsigned char)p[1]);
    return (unsigned char)*p == c;
}

static const char *match(state *ms, const char *s, const char *p);

static const char *max_expand(state *ms, const char *s, const char *p, const char *ep)
{
    ptrdiff_t i = 0;
    while (single(ms, s + i, p))
        i++;
    for (; i >= 0; i--) {
        const char *r = match(ms, s + i, ep + 1);
        if (r)
            return r;
    }
    return NULL;
}

static const char *min_expand(state *ms, const char *s, const char *p, const char *ep)
{
    for (;;) {
        const char *r = match(ms, s, ep + 1);
        if (r)
            return r;
        if (!single(ms, s, p))
            return NULL;
        s++;
    }
}

static const char *match(state *ms, const char *s, const char *p)
{
    while (p < ms->pend) {
        if (*p == '(') {
            const char *was = ms->cap;
            ms->cap = s;
            ms->open = true;
            const char *r = match(ms, s, p + 1);
            if (!r) {
                ms->cap = was;
                ms->open = false;
            }
            return r;
        }
        if (*p == ')') {
            size_t was = ms->capn;
            ms->capn = (size_t)(s - ms->cap);
            ms->open = false;
            const char *r = match(ms, s, p + 1);
            if (!r) {
                ms->capn = was;
                ms->open = true;
            }
            return r;
        }
        if (*p == '$' && p + 1 == ms->pend)
            return s == ms->end ? s : NULL;
        const char *ep = item_end(p);
        if (!single(ms, s, p)) {
            if (*ep == '*' || *ep == '?' || *ep == '-') {
                p = ep + 1;
                continue;
            }
            return NULL;
        }
        switch (*ep) {
        case '?': {
            const char *r = match(ms, s + 1, ep + 1);
            if (r)
                return r;
            p = ep + 1;
            continue;
        }
        case '+': return max_expand(ms, s + 1, p, ep);
        case '*': return max_expand(ms, s, p, ep);
        case '-': return min_expand(ms, s, p, ep);
        default: s++; p = ep;
        }
    }
    return s;
}

bool nb_pattern_match(const char *p, const char *s, size_t n, const char **cap, size_t *capn)
{
    bool anchor = *p == '^';
    p += anchor;
    state ms = {.src = s, .end = s + n, .pend = p + strlen(p)};
    const char *s1 = s;
    do {
        ms.cap = NULL;
        ms.capn = 0;
        ms.open = false;
        if (match(&ms, s1, p)) {
            *cap = ms.cap;
            *capn = ms.capn;
            return true;
        }
    } while (s1++ < ms.end && !anchor);
    return false;
}

bool nb_pattern_check(const char *p, char *err, size_t errsize)
{
    const char *why = NULL;
    int captures = 0;
    for (const char *q = p + (*p == '^'); *q && !why;) {
        if (strncmp(q, "(%d+)", 5) == 0) {
            captures++;
            q += 5;
        } else if (*q == '(' || *q == ')') {
            why = "捕获只能是一个 (%d+)";
        } else if (*q == '[') {
            why = "不支持字符集 [...]";
        } else if (*q == '$' && q[1]) {
            q++; /* a "$" not at the end is a plain byte, as in Lua */
        } else if (*q == '*' || *q == '+' || *q == '-' || *q == '?') {
            why = "量词 * + - ? 前面应有一个字符或字符类";
        } else if (*q == '%' && (!q[1] || q[1] == 'b' || q[1] == 'f' || (q[1] >= '0' && q[1] <= '9'))) {
            why = "不支持 %b、%f、反向引用或末尾的 %";
        } else {
            q = item_end(q);
            if (*q == '*' || *q == '+' || *q == '-' || *q == '?')
                q++;
        }
    }
    if (!why && captures != 1)
        why = "应恰有一个捕获 (%d+)，即所说的数";
    if (why)
        snprintf(err, errsize, "模式 '%s'：%s", p, why);
    return !why;
}

/* as lib/narrative.lua's required() did: a byte that a class or an
 * optional quantifier (*, -, ?) stands for ends a run; "+" keeps its byte
 * and ends the run after it; captures and anchors match nothing themselves */
size_t nb_pattern_required(const char *p, char *out, size_t cap)
{
    size_t n = strlen(p), best = 0, run = 0, i = *p == '^';
    char cur[256];
    out[0] = '\0';
#define CLOSE()                                                                                                        \
    do {                                                                                                               \
        if (run > best && run < cap) {                                                                                 \
            memcpy(out, cur, run);                                                                                     \
            out[run] = '\0';                                                                                           \
            best = run;                                                                                                \
        }                                                                                                              \
        run = 0;                                                                                                       \
    } while (0)
    while (i < n) {
        char c = p[i];
        int byte = -1;
        size_t j = i + 1;
        if (c == '(' || c == ')' || (c == '$' && i + 1 == n)) {
            i++;
            continue;
        }
        if (c == '%') {
            byte = isalnum((unsigned char)p[i + 1]) ? -1 : (unsigned char)p[i + 1];
            j = i + 2;
        } else if (c != '.') {
            byte = (unsigned char)c;
        }
        char q = j < n ? p[j] : '\0';
        if (q == '*' || q == '-' || q == '?') {
            CLOSE();
            i = j + 1;
            continue;
        }
        if (byte >= 0 && run < sizeof cur)
            cur[run++] = (char)byte;
        else
            CLOSE();
        if (q == '+') {
            CLOSE();
            i = j + 1;
        } else {
            i = j;
        }
    }
    CLOSE();
#undef CLOSE
    return best;
}
