/* Two values the report conversion and the host API share: the structured
 * input error (reported as "file:line: message", exit 2, not as a plugin
 * fault) and the JSON null sentinel (a blank cell in a report table). */
#ifndef NB_LUA_VALUES_H
#define NB_LUA_VALUES_H
#include <lua.h>

/* Raises the structured input error host.input_error raises. */
int nb_raise_input_error(lua_State *L, lua_Integer line, const char *msg);

/* Pushes the JSON null sentinel; tells whether the value at idx is it. */
void nb_push_json_null(lua_State *L);
int nb_is_json_null(lua_State *L, int idx);

#endif
