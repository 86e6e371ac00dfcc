/* host.text_marks: the formats' marks a scanned report shows.  See
 * text_marks.c and docs/plugins.md. */
#ifndef NB_TEXT_MARKS_H
#define NB_TEXT_MARKS_H
#include "lua/registry.h"
#include <lua.h>

/* text_marks(scan, from) -> found, count, with h the host. */
int nb_text_marks(lua_State *L, const nb_host *h);

#endif
