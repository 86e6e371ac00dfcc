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
/* The same, for a command that reads reports and renders none (check): the
 * built-in files that declare what they register (plugin_decl.h) are left
 * unloaded, renderers for good, importers until a file needs them
 * (nb_lazy_importers_for, called by import.c).  Everything is loaded as
 * nb_host_open does when the user or extra_dir has plugins of their own. */
nb_host *nb_host_open_lazy(const char *extra_dir, nb_strbuf *err);
/* As nb_host_open_lazy, but every format's rules compiled at once: for a
 * command that checks reports it did not import itself (add: its workers
 * import, the parent checks what they send back, and a format's rules are
 * otherwise compiled when a report of it is first imported). */
nb_host *nb_host_open_importing(const char *extra_dir, nb_strbuf *err);
/* Runs one plugin file (its place rank in the loading order) and checks its
 * declaration; false with the reason in err. */
bool nb_plugin_load_file(nb_host *h, const char *path, int rank, nb_strbuf *err);

#endif
