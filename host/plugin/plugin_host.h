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
/* What a command leaves unloaded or unbuilt until needed (nb_host_open_lazy). */
enum {
    NB_LAZY_IMPORTERS = 1, /* importers' files until a file may be theirs (nb_lazy_importers_for, called by import.c) */
    NB_LAZY_RENDERERS = 2, /* renderers' files for good: the command renders nothing */
    NB_LATE_RULES = 4,     /* a built-in format's rules until a report of it is imported (lua/lua_format_late.c):
                            * not for a command that checks reports imported elsewhere (add's workers) */
};
/* The same as nb_host_open, leaving the built-in files that declare what they
 * register (plugin_decl.h) as lazy (NB_LAZY_* | NB_LATE_RULES) says: check
 * leaves all three, add importers and renderers, render importers and rules.
 * Everything is loaded as nb_host_open does when the user or extra_dir has
 * plugins of their own. */
nb_host *nb_host_open_lazy(const char *extra_dir, int lazy, nb_strbuf *err);
/* Runs one plugin file (its place rank in the loading order) and checks its
 * declaration; false with the reason in err. */
bool nb_plugin_load_file(nb_host *h, const char *path, int rank, nb_strbuf *err);

/* Runs a loaded plugin chunk (argument 1) in a fresh environment with the
 * host table (argument 2: the nb_host) as its argument.  Called protected,
 * so building the environment cannot panic when a plugin has used up the
 * memory ceiling. */
int nb_plugin_run_chunk(lua_State *L);

#endif
