/* The shared libraries a plugin file may name in its `--: libraries`
 * declaration, and opening them ahead of their first use (io/lazy_open.h:
 * in a parent before its workers fork, so they share one load). */
#ifndef NB_PLUGIN_LIBRARIES_H
#define NB_PLUGIN_LIBRARIES_H
#include <stdbool.h>

/* True when name is a library the declaration may name. */
bool nb_plugin_library_known(const char *name);
/* Opens the library name (one nb_plugin_library_known accepts); a library
 * that cannot be opened is left for its first real use to report. */
void nb_plugin_library_open(const char *name);

#endif
