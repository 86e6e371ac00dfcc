/* A built-in format file left unrun by check and render: its format's
 * sketch is made from the chunk the build made by running it
 * (tools/embed_lua.c), and the file runs when its format is first looked
 * up, so a check of a 2024 report runs neither the 2019 format file nor
 * the legacy one (0.8 M of its 6.2 M instructions). */
#ifndef NB_PLUGIN_LATE_H
#define NB_PLUGIN_LATE_H
#include "base/strbuf.h"
#include "lua/registry.h"

/* For the built-in file at path, c as built (its bytes unchanged), loaded
 * under late_formats: 1 when its sketch was made from the build's and its
 * entry added unrun, 0 when the file is to be loaded (no sketch as built,
 * an edited lib module of its, a liblua that reads the dump otherwise),
 * -1 with a message in err on a failure. */
int nb_plugin_sketch(nb_host *h, const char *path, const nb_builtin_chunk *c, nb_strbuf *err);

#endif
