/* host.text_rows and host.trim, for importers of published report text:
 * the lines of a text grouped into table rows and text lines in one C pass.
 * See docs/plugins.md. */
#ifndef NB_TEXT_SCAN_H
#define NB_TEXT_SCAN_H
#include <lua.h>

/* Adds text_rows and trim to the host table on the top of the stack. */
void nb_text_scan_register(lua_State *L);

#endif
