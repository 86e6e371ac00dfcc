/* host.text_rows, host.text_scan, host.trim and host.utf8_valid, for
 * importers of published report text: the lines of a text grouped into
 * table rows and text lines in one C pass, as the importer's layout
 * (text_layout.h) says.  See docs/plugins.md.
 *
 * The grouping itself (nb_scan_text) needs no Lua: text_rows turns its
 * result into Lua tables at once; text_scan keeps it in C, lending items
 * one at a time (scan[k], #scan), so that rows the importer never needs as
 * tables (host/text/text_place.c places them) cost no Lua. */
#ifndef NB_TEXT_SCAN_H
#define NB_TEXT_SCAN_H
#include "base/arena.h"
#include "text/text_layout.h"
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    const char *s; /* in the scanned text, or in the scan's arena */
    size_t n;
    lua_Integer line;
    const char *norm; /* nb_norm_label of it once asked for (nb_scan_cell_norm), else NULL */
    size_t nnorm;
} nb_scan_cell;

typedef struct {
    bool row;          /* a table row, else a line of text */
    lua_Integer line;  /* its first line */
    const char *text;  /* a text line: the line without bookmarks */
    size_t ntext;
    size_t first, ncells; /* a row: its cells in nb_text_scan.cells */
} nb_scan_item;

typedef struct {
    nb_arena arena; /* lines without bookmarks, header cells joined over lines */
    nb_scan_item *items;
    size_t nitems, items_cap;
    nb_scan_cell *cells;
    size_t ncells, cells_cap;
    bool has_rows;
    const nb_text_layout *layout; /* the importer's, kept alive by the scan's userdata */
} nb_text_scan;

/* Cell k's text as nb_norm_label gives it (*m bytes, NUL-terminated), made
 * when first asked for and kept in the scan's arena: text_marks and
 * text_place both look a report's cells up by it. */
const char *nb_scan_cell_norm(nb_text_scan *sc, size_t k, size_t *m);

/* Groups text[0..len) into items as host.text_rows describes.  The items
 * point into text, which must outlive them; free with nb_scan_free. */
void nb_scan_text(nb_text_scan *sc, const char *text, size_t len, const nb_text_layout *layout);
void nb_scan_free(nb_text_scan *sc);

/* Pushes item k (0-based) as the Lua table host.text_rows gives for it. */
void nb_scan_push_item(lua_State *L, const nb_text_scan *sc, size_t k);

/* s[0..n) without ASCII white space and U+3000 at either end. */
void nb_scan_trim(const char **s, size_t *n);

/* The scan of a host.text_scan userdata at idx (raises if it is none). */
nb_text_scan *nb_scan_check(lua_State *L, int idx);

/* Adds text_rows, text_scan, trim and utf8_valid to the host table on the
 * top of the stack. */
void nb_text_scan_register(lua_State *L);

/* The bytes of the file being imported, for host.utf8_valid to check once
 * (NULL: none); cleared before they are freed. */
void nb_text_utf8_input(const char *data, size_t len);
/* nb_utf8_strict_prefix(s, n), from the input's when s is a prefix of it */
size_t nb_text_utf8_strict_prefix(const char *s, size_t n);

#endif
