/* host.pipe_cells: a Markdown table row cut into its cells (pipe_api.c). */
#ifndef NB_PIPE_API_H
#define NB_PIPE_API_H
#include <lua.h>

/* Adds pipe_cells to the host table at the top of the stack. */
void nb_pipe_api_register(lua_State *L);

#endif
