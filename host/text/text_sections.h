/* The text side of host.text_place: a report's lines of text read as the
 * text importer's loop reads them — level-1 headings of the format's
 * sections (which also choose the current table), level-2 headings, body
 * lines (less a table's header text), the publication-date line, the
 * preamble, and rows outside any table kept as TAB-joined text — gathered
 * as spans and turned into the importer's sections, preamble and published
 * date at the end.  What a heading or a date line is, the importer's
 * layout says (text_layout.h).  See text_place.c. */
#ifndef NB_TEXT_SECTIONS_H
#define NB_TEXT_SECTIONS_H
#include "text/text_placer.h"
#include "text/text_scan.h"
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct nb_text_piece nb_text_piece;
typedef struct nb_text_heading nb_text_heading;

typedef struct {
    nb_text_piece *pieces;     /* body and preamble lines, in order */
    size_t npieces;
    nb_text_heading *headings; /* the sections, in order */
    size_t nheadings;
    const char *published;     /* the publication-date line's date, if one was seen */
    size_t npublished;
    bool has_published;
} nb_text_sections;

/* Bytes of scratch space for up to n items. */
size_t nb_text_sections_size(size_t n);
/* Starts with scratch space mem of nb_text_sections_size(n) bytes. */
void nb_text_sections_init(nb_text_sections *ts, void *mem, size_t n);

/* Reads a text item under table cur (index into p->tables, -1 for none);
 * returns the current table after it: a level-1 heading's section's. */
int nb_text_sections_text(nb_text_sections *ts, const nb_placer *p, const nb_text_layout *l, const nb_scan_item *it,
                          int cur);
/* A row item outside any table: its cells joined by TABs become a line of
 * text. */
void nb_text_sections_row(nb_text_sections *ts, size_t item);

/* Pushes the sections (a section bundle, lua/section_bundle.h: heading,
 * level, line, text), the preamble (lines joined by \n, "" if none) and the
 * published date (or nil). */
void nb_text_sections_push(lua_State *L, const nb_text_sections *ts, const nb_text_scan *sc);

#endif
