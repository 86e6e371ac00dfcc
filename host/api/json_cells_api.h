/* host.json_apart and host.json_cells: the member host.json_decode left
 * out of a JSON object, as a Lua value or as a report's cells in a cell
 * bundle (json_cells_api.c). */
#ifndef NB_JSON_CELLS_API_H
#define NB_JSON_CELLS_API_H
#include "lua/registry.h"
#include <lua.h>

/* Adds json_apart and json_cells to the host table at the top of the stack. */
void nb_json_cells_api_register(lua_State *L, nb_host *h);

#endif
