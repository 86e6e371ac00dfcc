/* The host table lent to every plugin file: one list of the host API
 * modules that fill it (api_modules.c), as Lua's linit.c lists its
 * libraries.  A new host function goes into a module and, if the module is
 * new, into that list; the loader knows no module by name. */
#ifndef NB_API_MODULES_H
#define NB_API_MODULES_H
#include "lua/registry.h"

/* Pushes a new host table filled by every module. */
void nb_api_push(lua_State *L, nb_host *h);

#endif
