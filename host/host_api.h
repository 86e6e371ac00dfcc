/* Helper functions lent to plugins besides registration: fast line
 * splitting, label normalisation, structured input errors, JSON. */
#ifndef NB_HOST_API_H
#define NB_HOST_API_H
#include <lua.h>

/* Adds lines, norm, input_error, json_encode, json_decode and null to the
 * table at the top of the stack. */
void nb_host_api_register(lua_State *L);

/* Raises the structured input error host.input_error raises: reported as
 * "file:line: message" (exit 2), not as a plugin fault. */
int nb_raise_input_error(lua_State *L, lua_Integer line, const char *msg);

/* Pushes the JSON null sentinel. */
void nb_push_json_null(lua_State *L);
int nb_is_json_null(lua_State *L, int idx);

#endif
