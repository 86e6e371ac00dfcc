/* The plugin loader: finds plugin files (built-in, the user's, --plugin-dir),
 * runs each once in the sandbox with the host API table as its argument so
 * that it registers formats, importers and renderers, then closes
 * registration.  What was registered lives in lua/registry.h. */
#ifndef NB_PLUGIN_HOST_H
#define NB_PLUGIN_HOST_H
#include "lua/registry.h"

/* Creates the host and loads plugins from the built-in directory, the user
 * directory ($XDG_DATA_HOME/nianbao/plugins) and extra_dir.  On failure
 * returns NULL with the message in err. */
nb_host *nb_host_open(const char *extra_dir, nb_strbuf *err);

#endif
