/* A cell bundle: the cells of a report's table rows as text spans with
 * their source lines, indexed like the format's cells, held in one Lua
 * userdata.  An importer that places rows in C (host/text/text_place.c), or
 * row by row with host.bundle_row (host/api/bundle_api.c), hands them over
 * as report.cells instead of a Lua table per row and a string per cell;
 * host/lua/lua_report.c reads them straight into the nb_report.  The
 * bundle owns no C memory: its spans point into strings its user value
 * keeps alive. */
#ifndef NB_CELL_BUNDLE_H
#define NB_CELL_BUNDLE_H
#include "model/format.h"
#include <lua.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct nb_cell_bundle nb_cell_bundle;

/* Pushes an empty bundle for format f whose spans will point into what the
 * value at anchor keeps alive; extra bytes of scratch space (zeroed) come
 * with it, for its maker (nb_cell_bundle_scratch).  every_table: the source
 * had every table of the format (text_place's); else those given
 * (nb_cell_bundle_give), as a report.tables holds the tables it had. */
nb_cell_bundle *nb_cell_bundle_push(lua_State *L, const nb_format *f, int anchor, size_t extra, bool every_table);
void *nb_cell_bundle_scratch(nb_cell_bundle *b);

/* Sets the ncols cells of a data row, from the cells of a text scan: text and line. */
void nb_cell_bundle_set(nb_cell_bundle *b, size_t cell, const char *s, size_t n, uint32_t line);

/* Table number `table` of the format was in the source; and was it? */
void nb_cell_bundle_give(nb_cell_bundle *b, size_t table);
bool nb_cell_bundle_given(const nb_cell_bundle *b, size_t table);

/* The bundle at idx, or NULL when the value there is not one. */
nb_cell_bundle *nb_cell_bundle_test(lua_State *L, int idx);
const nb_format *nb_cell_bundle_format(const nb_cell_bundle *b);
/* Cell `cell` if the bundle holds it. */
bool nb_cell_bundle_get(const nb_cell_bundle *b, size_t cell, const char **s, size_t *n, uint32_t *line);

#endif
