/* A chunk precompiled at build time (lua_dump), loaded under the name of
 * the file it came from at run time.  Lua 5.4 keeps a chunk's source name
 * (what messages and tracebacks say: "path:line:") in its dump, on the
 * top-level function only (nested ones inherit it), and lua_load keeps that
 * name, not the one it is given; so the name is spliced: the dump's bytes
 * before the name, the new name, the bytes after it.  The build tool
 * (tools/embed_lua.c) finds where the name lies and checks the splice loads
 * and names the chunk; should a liblua read dumps otherwise, the load fails
 * and the caller compiles the source. */
#ifndef NB_LUA_BYTECODE_H
#define NB_LUA_BYTECODE_H
#include <lua.h>
#include <stddef.h>

/* a string's size as lua_dump writes it: size + 1, 7 bits a byte, the most
 * significant first, the last byte marked with 0x80 */
#define NB_BC_SIZE_MAX ((sizeof(size_t) * 8 + 6) / 7)
size_t nb_bc_size_code(unsigned char out[NB_BC_SIZE_MAX], size_t size);

/* Loads the dump (len bytes; its name coded at bytes name_at..name_end) as
 * a binary chunk named chunkname ("@path").  Returns a lua_load status with
 * the function or the message pushed, as luaL_loadbufferx does; raises
 * nothing. */
int nb_bc_load(lua_State *L, const unsigned char *dump, size_t len, size_t name_at, size_t name_end,
               const char *chunkname);

#endif
