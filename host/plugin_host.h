/* The plugin host: finds plugin files, runs them once in the sandbox to let
 * them register formats, importers and renderers, then closes registration.
 * Later calls into plugins (import, render, Lua rules) go through here. */
#ifndef NB_PLUGIN_HOST_H
#define NB_PLUGIN_HOST_H
#include "format.h"
#include "lua_sandbox.h"
#include "strbuf.h"
#include <stdbool.h>

typedef struct {
    const char *id, *description, *file;
    char **extensions;
    size_t nextensions;
    int fn_ref, detect_ref;
} nb_importer;

typedef struct {
    const char *id, *description, *file, *extension;
    int fn_ref;
} nb_renderer;

typedef struct {
    nb_format *format;
    int decl_ref; /* the declaration table, lent to importers and renderers */
} nb_format_entry;

typedef struct {
    nb_sandbox *sb;
    bool registration_open;
    const char *current_file;
    nb_format_entry *formats;
    size_t nformats;
    nb_importer *importers;
    size_t nimporters;
    nb_renderer *renderers;
    size_t nrenderers;
    char **plugin_files;
    size_t nplugin_files;
    char **template_dirs; /* searched in order: user first, then built-in */
    size_t ntemplate_dirs;
} nb_host;

/* Creates the host and loads plugins from the built-in directory, the user
 * directory ($XDG_DATA_HOME/nianbao/plugins) and extra_dir.  On failure
 * returns NULL with the message in err. */
nb_host *nb_host_open(const char *extra_dir, nb_strbuf *err);
void nb_host_free(nb_host *h);

const nb_format_entry *nb_host_format(const nb_host *h, const char *id);
/* The format for a report year (of those covering it, the one starting
 * latest), or NULL. */
const nb_format_entry *nb_host_format_for_year(const nb_host *h, int year);
const nb_importer *nb_host_importer(const nb_host *h, const char *id);
const nb_renderer *nb_host_renderer(const nb_host *h, const char *id);

/* Formats a Lua error at the top of the stack into err and pops it.
 * Structured input errors become "source:line: message". */
void nb_host_error(nb_host *h, const char *source, nb_strbuf *err);

/* Directory of the built-in plugins/templates: the source tree when run from
 * the build directory, else the installed data directory. */
const char *nb_data_dir(void);

#endif
