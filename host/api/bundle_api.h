/* host.cell_bundle and host.bundle_row: a cell bundle filled row by row
 * (bundle_api.c). */
#ifndef NB_BUNDLE_API_H
#define NB_BUNDLE_API_H
#include "lua/registry.h"
#include "model/format.h"
#include <lua.h>
#include <stdint.h>

/* Sets the cells of data row ri of table tb in the bundle at index bundle:
 * values[off + j] for its block's columns j = 1…, nil read as "", on line
 * `line`; the table counts as given (host.bundle_row, host.csv_place). */
void nb_bundle_put_row(lua_State *L, int bundle, const nb_table *tb, int ri, int values, lua_Integer off, uint32_t line);

/* Adds cell_bundle and bundle_row to the host table at the top of the stack. */
void nb_bundle_api_register(lua_State *L, nb_host *h);

#endif
