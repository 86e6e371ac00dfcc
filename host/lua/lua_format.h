/* Turning a format plugin's declaration (a Lua table) into an nb_format:
 * strict checks of every key, the row and column trees flattened, labels
 * normalised for matching, and rules compiled. */
#ifndef NB_LUA_FORMAT_H
#define NB_LUA_FORMAT_H
#include "model/format.h"
#include <lua.h>

/* Reads the declaration at idx.  Raises a Lua error on any fault; the
 * format under construction is owned by a userdata until then, so nothing
 * leaks.  On success returns the format, now owned by the caller. */
nb_format *nb_lua_build_format(lua_State *L, int idx, const char *plugin_file);

#endif
