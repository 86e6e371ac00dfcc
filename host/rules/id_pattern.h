/* A row or column pattern of a rule's cell reference — an id, a glob, or
 * {alt,alt} — cut into its alternatives once, then matched against each
 * row or column id of a table (cutting it again for every id was a sixth of
 * compiling gov-2021's rules). */
#ifndef NB_ID_PATTERN_H
#define NB_ID_PATTERN_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char pool[512];      /* the alternatives, each ended by a NUL */
    const char *alt[256];
    bool glob[256];      /* has a wildcard: fnmatch, else compared as a string */
    size_t n;
} nb_id_pattern;

/* pattern: at most 255 bytes (as the rule compiler's segment copies it), so
 * the pool and the list hold every alternative */
void nb_id_pattern_compile(nb_id_pattern *sp, const char *pattern);
/* Does id match one of the alternatives? */
bool nb_id_pattern_match(const nb_id_pattern *sp, const char *id);
#endif
