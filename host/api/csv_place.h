/* host.csv_place: the CSV importer's wide records placed in C when their
 * meaning is certain (csv_place.c). */
#ifndef NB_CSV_PLACE_H
#define NB_CSV_PLACE_H
#include "lua/registry.h"
#include <lua.h>

/* Adds csv_place to the host table at the top of the stack. */
void nb_csv_place_register(lua_State *L, nb_host *h);

#endif
