/* host.cell_bundle and host.bundle_row: a cell bundle filled row by row
 * (bundle_api.c). */
#ifndef NB_BUNDLE_API_H
#define NB_BUNDLE_API_H
#include "lua/registry.h"
#include <lua.h>

/* Adds cell_bundle and bundle_row to the host table at the top of the stack. */
void nb_bundle_api_register(lua_State *L, nb_host *h);

#endif
