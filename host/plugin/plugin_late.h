/* A built-in format file left unrun by check and render: its format's
 * sketch is the one the build made by running it (tools/embed_lua.c), and
 * the file runs when its format is first looked
 * up, so a check of a 2024 report runs neither the 2019 format file nor
 * the legacy one, and makes no sketch (1.6 M of its 6.2 M instructions
 * were the three files run and sketched at start). */
#ifndef NB_PLUGIN_LATE_H
#define NB_PLUGIN_LATE_H
#include "lua/registry.h"

/* For the built-in file at path, c as built (its bytes unchanged), loaded
 * under late_formats: true when its entry was added unrun with the sketch
 * the build made, false when the file is to be loaded (not a format file,
 * or a lib module it used edited). */
bool nb_plugin_sketch(nb_host *h, const char *path, const nb_builtin_chunk *c);

#endif
