/* host.json_decode's fast path: a JSON text read straight into Lua values,
 * the same values cJSON's tree gave, for the JSON it is sure of. */
#ifndef NB_JSON_FAST_H
#define NB_JSON_FAST_H
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* Pushes the value text holds (nesting at most depth_max deep) and returns
 * true; false, the stack as it was, when the text is not plain JSON it is
 * sure of: the caller then reads it with cJSON, errors and all.  Raises
 * only Lua's memory error. */
bool nb_json_fast_push(lua_State *L, const char *text, size_t len, int depth_max);

#endif
