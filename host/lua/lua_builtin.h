/* Loading the chunk of a plugin or lib file: a built-in file whose bytes
 * are those embedded at build time is loaded from its precompiled bytecode
 * (lua_bytecode.h), so a start does not compile the plugins it runs; any
 * other file — the user's, --plugin-dir's, a built-in file someone edited —
 * is compiled from its text, and binary chunks from files stay refused. */
#ifndef NB_LUA_BUILTIN_H
#define NB_LUA_BUILTIN_H
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

/* One built-in file as the build saw it (the generated builtin_chunks.c). */
typedef struct {
    const char *rel;                 /* path under the data dir: "plugins/…", "lib/…" */
    const unsigned char *src, *dump; /* its bytes; its lua_dump, not stripped */
    size_t src_len, dump_len;
    size_t name_at, name_end;        /* where the dump codes its chunk name */
    /* a format file's: its format's sketch as bytes
     * (model/format_sketch_bytes.h), made by running it at build time
     * (tools/embed_lua.c), and the lib modules it used ("lib/…", NULL
     * last); else NULL */
    const unsigned char *sketch;
    size_t sketch_len;
    const char *const *libs;
} nb_builtin_chunk;

extern const nb_builtin_chunk nb_builtin_chunks[];
extern const size_t nb_builtin_nchunks;

/* True when path is a built-in file with the bytes embedded at build time. */
bool nb_lua_builtin_unchanged(const char *path, const char *src, size_t len);
/* The embedded file path is, unchanged, or NULL. */
const nb_builtin_chunk *nb_lua_builtin_chunk(const char *path, const char *src, size_t len);

/* Loads the file at path, read as src (len bytes), as a chunk named "@path"
 * (messages say "path:line:").  Returns a lua_load status with the function
 * or the message pushed; raises nothing.  NIANBAO_LOAD_TRACE set: says on
 * standard error which way each file was loaded (for the tests). */
int nb_lua_load_file(lua_State *L, const char *path, const char *src, size_t len);

#endif
