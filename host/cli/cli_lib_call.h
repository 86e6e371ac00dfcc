/* Calling a shared Lua module (lib/NAME.lua) from a command: the module is
 * loaded through a host table of the command's own, its function called
 * protected with the arguments a C callback pushes, and the string it
 * returns copied out.  The commands that leave their logic to Lua (compare,
 * overview) hand data over this way and keep no C memory across the call. */
#ifndef NB_CLI_LIB_CALL_H
#define NB_CLI_LIB_CALL_H
#include "plugin/plugin_host.h"
#include <lua.h>
#include <stddef.h>

/* Pushes the function's arguments (inside the protected call: it may
 * raise); returns how many it pushed. */
typedef int (*nb_cli_push_args)(lua_State *L, nb_host *h, void *ud);

/* lib/LIB.lua's FN(args...) → a malloc'd copy of the string it returns
 * (*len its length), or NULL with a Chinese message in err. */
char *nb_cli_lib_string(nb_host *h, const char *lib, const char *fn, nb_cli_push_args push, void *ud, size_t *len,
                        nb_strbuf *err);

#endif
