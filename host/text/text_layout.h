/* host.text_layout: how a text importer's report text is laid out — the
 * forms of its headings (what comes before the ordinal, which characters
 * are ordinals, what follows, how long a heading may be), the prefixes of
 * its publication date, the bookmark marks a Word export leaves, how short a
 * line must be to continue a header cell, how long a mark may be.  The
 * importer declares these as data in its plugin (plugins/importers/text.lua);
 * the C primitives (text_scan, text_marks, text_place) read them from here
 * and hold no words or limits of their own. */
#ifndef NB_TEXT_LAYOUT_H
#define NB_TEXT_LAYOUT_H
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

enum { NB_LAYOUT_WORD = 48, NB_LAYOUT_ORDINALS = 256, NB_LAYOUT_FORMS = 8, NB_LAYOUT_PREFIXES = 8 };

typedef struct {
    int level;                           /* 1 or 2 */
    char before[NB_LAYOUT_WORD], after[NB_LAYOUT_WORD];
    char ordinals[NB_LAYOUT_ORDINALS];   /* whole UTF-8 characters */
    size_t nbefore, nafter, nordinals, max_bytes;
    unsigned char lead[32];              /* bit set of the ordinals' first bytes: most lines fail on it */
    unsigned char last[32];              /* and of their last bytes: most other characters fail on one */
} nb_heading_form;

typedef struct {
    nb_heading_form forms[NB_LAYOUT_FORMS];
    size_t nforms;
    char published[NB_LAYOUT_PREFIXES][NB_LAYOUT_WORD];
    size_t npublished_len[NB_LAYOUT_PREFIXES], npublished;
    char bookmark_open[NB_LAYOUT_WORD];
    size_t nbookmark_open;
    char bookmark_close;
    size_t continuation_chars;           /* a line of at most this many characters continues a header cell */
    size_t mark_cell_bytes, mark_line_bytes;
} nb_text_layout;

/* The level (1, 2) of the first heading form t[0..n) has and fits (its
 * max_bytes), or 0. */
int nb_layout_heading(const nb_text_layout *l, const char *t, size_t n);
/* Does t start like a heading of `level`, whatever its length? */
bool nb_layout_heading_start(const nb_text_layout *l, int level, const char *t, size_t n);
/* Does t start with a publication-date prefix?  Then date is what follows,
 * without ASCII white space at either end. */
bool nb_layout_published(const nb_text_layout *l, const char *t, size_t n, const char **date, size_t *ndate);

/* The layout of a host.text_layout userdata at idx (raises if it is none). */
const nb_text_layout *nb_layout_check(lua_State *L, int idx);

/* Adds text_layout to the host table on the top of the stack. */
void nb_text_layout_register(lua_State *L);

#endif
