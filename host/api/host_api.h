/* Helper functions lent to plugins besides registration: fast line
 * splitting, label normalisation, structured input errors, JSON. */
#ifndef NB_HOST_API_H
#define NB_HOST_API_H
#include <lua.h>

/* Adds lines, norm, input_error, json_encode, json_decode and null to the
 * table at the top of the stack. */
void nb_host_api_register(lua_State *L);


#endif
