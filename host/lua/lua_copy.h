/* Deep copies of plugin tables, so that what one plugin is handed (a format's
 * declaration) cannot be changed under another.  Tables are copied raw (no
 * metamethod runs), shared subtables stay shared in the copy, and other
 * values (strings, functions) are kept as they are. */
#ifndef NB_LUA_COPY_H
#define NB_LUA_COPY_H
#include <lua.h>
#include <stdbool.h>

#define NB_COPY_DEPTH_MAX 64

/* Pushes a deep copy of the value at idx.  Raises on nesting past
 * NB_COPY_DEPTH_MAX and, when refuse_meta, on a table with a metatable
 * (what names the value in the message). */
void nb_lua_deep_copy(lua_State *L, int idx, bool refuse_meta, const char *what);

#endif
