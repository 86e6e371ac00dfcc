/* host.format, host.importer, host.renderer (open only while a plugin file
 * loads) and the lookups lent to plugins: host.format_decl,
 * host.format_for_year, host.format_ids, host.template. */
#ifndef NB_REGISTRATION_H
#define NB_REGISTRATION_H
#include "lua/registry.h"

/* Adds the functions to the table at the top of the stack. */
void nb_registration_register(lua_State *L, nb_host *h);

#endif
