/* host.lib(NAME): Lua modules shared by plugin files.  A plugin file runs
 * alone with its own host table, so code that several renderers need (the
 * template engine, the table grid) or that C calls (the draft builder)
 * lives in lib/NAME.lua under the data directory and is loaded once. */
#ifndef NB_LUA_LIB_H
#define NB_LUA_LIB_H
#include <lua.h>

/* Adds lib to the host table at the top of the stack, and keeps that table
 * as the argument modules receive. */
void nb_lib_register(lua_State *L);

/* lua_CFunction: (name) -> the module lib/NAME.lua returns (cached per
 * Lua state).  Callable from C through nb_sandbox_call. */
int nb_lib_load(lua_State *L);

#endif
