/* One rule of a format declaration (a Lua table) into an nb_rule: strict
 * checks of its keys, its `each` variables read, its assertions compiled
 * (rules/rule_compile.c).  Part of nb_lua_build_format (lua_format.c). */
#ifndef NB_LUA_FORMAT_RULES_H
#define NB_LUA_FORMAT_RULES_H
#include "model/format.h"
#include "model/rules.h"
#include <lua.h>

/* Reads the rule declared at idx into rule, allocating in f's arena.
 * Raises a Lua error naming path on any fault. */
void nb_lua_build_rule(lua_State *L, nb_format *f, int idx, nb_rule *rule, const char *path);

#endif
