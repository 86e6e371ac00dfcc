/* A format's sketch: what choosing a report's format and reading a text
 * report need of the formats it is not in — the id, the years, the marks,
 * the sections, and each table's rows with their labels and aliases
 * normalised as the full build normalises them — read from a built-in
 * format file's declaration as built (registry.h: a format entry's sketch),
 * the format being built in full (lua_format.h) when first looked up.  The
 * build makes the built-in formats' sketches (tools/embed_lua.c, kept as
 * bytes: model/format_sketch_bytes.h); a start makes one only for a format
 * file whose lib modules were edited. */
#ifndef NB_LUA_FORMAT_SKETCH_H
#define NB_LUA_FORMAT_SKETCH_H
#include "lua/lua_schema.h"
#include "model/format.h"
#include <lua.h>

/* The sketch of the declaration at idx, owned by the caller; raises a Lua
 * error on a fault (a declaration as built has none), leaking nothing. */
nb_format *nb_lua_sketch_format(lua_State *L, int idx, const char *plugin_file);
/* The strings of the list t.key (t at idx, checked: path names it in an
 * error), first (if not NULL) before them, normalised into f's arena:
 * the one normalisation of labels, marks and section words. */
const char **nb_lua_strings_norm(lua_State *L, nb_format *f, int idx, const char *key, const char *first,
                                 size_t *count, const char *path);

#endif
