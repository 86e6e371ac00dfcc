/* host.lib(NAME): Lua modules shared by plugin files.  A plugin file runs
 * alone with its own host table, so code that several renderers need (the
 * template engine, the table grid) or that C calls (the draft builder)
 * lives in lib/NAME.lua under the data directory and is loaded once. */
#ifndef NB_LUA_LIB_H
#define NB_LUA_LIB_H
#include <lua.h>

/* Adds lib to the host table at the top of the stack: (name) -> the module
 * lib/NAME.lua returns, run with that host table and cached beside it (so
 * once per plugin file).  C code calls the lib of a host table of its own
 * (nb_api_push). */
void nb_lib_register(lua_State *L);

#endif
