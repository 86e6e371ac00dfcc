/* Built-in plugin files left unloaded until needed (nb_host_open_lazy):
 * the loader reads each file's declaration (plugin_decl.h) instead of
 * running it; an importer's file is run when a file to import may be its
 * (its extension, its content marks, --via, or no importer declares the
 * extension), with the importers it uses; a renderer's never (when the command renders
 * nothing).  Importers are kept in loading order whatever order they were
 * loaded in, so the choice of importer is the one a full load makes. */
#ifndef NB_PLUGIN_LAZY_H
#define NB_PLUGIN_LAZY_H
#include "lua/registry.h"
#include "plugin/plugin_host.h"
#include <stdbool.h>
#include <stddef.h>

/* 1 when the file at path, read as src (len bytes; its place rank), is left
 * for later (an importer's when lazy has NB_LAZY_IMPORTERS, a renderer's
 * when NB_LAZY_RENDERERS), 0 when it is to be loaded now, -1 when its
 * declaration is malformed (err). */
int nb_lazy_defer(nb_host *h, const char *path, const char *src, size_t len, int rank, int lazy, nb_strbuf *err);
/* Loads the deferred importers that choosing one for the file path with
 * contents data may ask (all of them for via); false with the plugin's
 * error in err when one fails.  Nothing to do for a host loaded whole. */
bool nb_lazy_importers_for(nb_host *h, const char *path, const char *data, size_t len, const char *via,
                           nb_strbuf *err);
/* True when, for the file nb_lazy_importers_for was last asked about, the
 * declared gate of importer id (a built-in one's `--: marks` or `headings`)
 * says its detect would say no: import.c then does not ask it.  Once an
 * importer is loaded (one file passed its gate), asking its detect about
 * every later file was 2 % of checking a .txt report. */
bool nb_lazy_ruled_out(const nb_host *h, const char *id);
/* Opens the shared libraries (`--: libraries`) of the deferred importers
 * whose extension path has, ahead of their first use: a parent calls it
 * before its workers fork.  Nothing to do for a host loaded whole. */
void nb_lazy_open_libraries_for(const nb_host *h, const char *path);

#endif
