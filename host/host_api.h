/* Helper functions lent to plugins besides registration: fast line
 * splitting, label normalisation, structured input errors, JSON. */
#ifndef NB_HOST_API_H
#define NB_HOST_API_H
#include <lua.h>

/* Adds lines, norm, input_error, json_encode, json_decode and null to the
 * table at the top of the stack. */
void nb_host_api_register(lua_State *L);

/* Pushes the JSON null sentinel. */
void nb_push_json_null(lua_State *L);
int nb_is_json_null(lua_State *L, int idx);

#endif
