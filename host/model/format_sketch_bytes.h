/* A format's sketch (lua/lua_format_sketch.h: id, years, marks, sections,
 * each table's rows with their labels and aliases normalised) as bytes:
 * the build makes the sketches of the built-in formats (tools/embed_lua.c)
 * and check reads them back (plugin/plugin_late.c) instead of running the
 * format files at start.  Written as base/byte_cursor.h writes numbers
 * and strings, so the bytes read the same wherever they were made. */
#ifndef NB_FORMAT_SKETCH_BYTES_H
#define NB_FORMAT_SKETCH_BYTES_H
#include "base/strbuf.h"
#include "model/format.h"

/* Appends the sketch f (its source_file left out) to out. */
void nb_sketch_to_bytes(const nb_format *f, nb_strbuf *out);
/* The sketch in the n bytes at p, its source_file source_file, owned by
 * the caller; NULL when the bytes are not one. */
nb_format *nb_sketch_from_bytes(const unsigned char *p, size_t n, const char *source_file);

#endif
