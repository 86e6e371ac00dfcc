/* host.text_placer, host.text_place and host.text_marks: the text
 * importer's reading of lines and rows and its mark search in C, for what it
 * reads without a question; everything else stays the importer's.  See
 * text_place.c and docs/plugins.md. */
#ifndef NB_TEXT_PLACE_H
#define NB_TEXT_PLACE_H
#include "lua/registry.h"
#include <lua.h>

/* Adds text_placer, text_place and text_marks to the host table on the top
 * of the stack; they read the formats of h. */
void nb_text_place_register(lua_State *L, nb_host *h);

#endif
