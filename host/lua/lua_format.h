/* Turning a format plugin's declaration (a Lua table) into an nb_format:
 * strict checks of every key, the row and column trees flattened, labels
 * normalised for matching, and rules compiled. */
#ifndef NB_LUA_FORMAT_H
#define NB_LUA_FORMAT_H
#include "model/format.h"
#include <lua.h>
#include <stdbool.h>

/* Reads the declaration at idx, its rules too if rules.  Raises a Lua error
 * on any fault; the format under construction is owned by a userdata until
 * then, so nothing leaks.  On success returns the format, now owned by the
 * caller. */
nb_format *nb_lua_build_format(lua_State *L, int idx, const char *plugin_file, bool rules);
/* Compiles the rules of the declaration at idx into f (built without them):
 * the same checks and errors as when built with them.  Raises a Lua error on
 * a fault, f then holding no rule. */
void nb_lua_build_format_rules(lua_State *L, int idx, nb_format *f);

#endif
