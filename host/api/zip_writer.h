/* host.zip: lets a renderer return a binary zip archive (a .docx is a zip
 * of XML parts) as a Lua string, built in memory with libzip. */
#ifndef NB_ZIP_WRITER_H
#define NB_ZIP_WRITER_H
#include <lua.h>

/* Adds zip to the host table at the top of the stack. */
void nb_zip_register(lua_State *L);

#endif
