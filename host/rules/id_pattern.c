/* The alternatives of a rule reference's row or column pattern (see
 * id_pattern.h): cut once, matched against every id of a table. */
#include "rules/id_pattern.h"
#include <fnmatch.h>
#include <string.h>

static void seg_add(nb_id_pattern *sp, size_t *used, const char *a, size_t n)
{
    char *out = sp->pool + *used;
    memcpy(out, a, n);
    out[n] = '\0';
    *used += n + 1;
    sp->alt[sp->n] = out;
    sp->glob[sp->n++] = strpbrk(out, "*?[\\") != NULL;
}

void nb_id_pattern_compile(nb_id_pattern *sp, const char *pattern)
{
    size_t used = 0;
    sp->n = 0;
    if (pattern[0] != '{') {
        seg_add(sp, &used, pattern, strlen(pattern));
        return;
    }
    const char *s = pattern + 1;
    while (*s && *s != '}') {
        size_t n = strcspn(s, ",}");
        if (n > 127) /* an alternative is cut at 127 bytes, the rest the next one */
            n = 127;
        const char *a = s, *e = s + n;
        while (a < e && *a == ' ')
            a++;
        while (e > a && e[-1] == ' ')
            e--;
        seg_add(sp, &used, a, (size_t)(e - a));
        s += n;
        if (*s == ',')
            s++;
    }
}

bool nb_id_pattern_match(const nb_id_pattern *sp, const char *id)
{
    for (size_t i = 0; i < sp->n; i++)
        if (sp->glob[i] ? fnmatch(sp->alt[i], id, 0) == 0 : strcmp(sp->alt[i], id) == 0)
            return true;
    return false;
}
