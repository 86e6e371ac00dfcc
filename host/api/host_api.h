/* Helper functions lent to plugins besides registration: fast line
 * splitting, label normalisation, structured input errors, JSON. */
#ifndef NB_HOST_API_H
#define NB_HOST_API_H
#include <cjson/cJSON.h>
#include <lua.h>
#include <stddef.h>

/* Adds lines, norm, input_error, json_encode, json_decode and null to the
 * table at the top of the stack. */
void nb_host_api_register(lua_State *L);

#define NB_JSON_DEPTH_MAX 100 /* json_encode and json_decode, both ways */

/* The member the host.json_decode(text, key) whose parsed text is at idx
 * left out of its value, or NULL when it had none; raises when the value
 * at idx is no such parsed text.  It lives as long as that value. */
const cJSON *nb_json_apart(lua_State *L, int idx);
/* Pushes j, at nesting depth `depth`, as host.json_decode gives it. */
void nb_json_push(lua_State *L, const cJSON *j, int depth);


#endif
