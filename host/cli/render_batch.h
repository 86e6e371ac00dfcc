/* render -o DIR FILE...: many reports through one renderer in one process,
 * one output per input in DIR, named after the input with the renderer's
 * extension. */
#ifndef NB_RENDER_BATCH_H
#define NB_RENDER_BATCH_H
#include "io/atomic_write.h"
#include "plugin/import.h"
#include "plugin/plugin_host.h"
#include <stdbool.h>

/* True when the render command line asks for a batch: -o OUT (not "-")
 * with more than one FILE, or OUT ending in '/'. */
bool nb_render_is_batch(int nfiles, const char *out);

/* A document for publication is not made of a report with error-level
 * findings unless forced (cli_render.c); true when rendering may go on. */
bool nb_cli_publishable(nb_host *h, const nb_renderer *rd, const nb_report *r, bool force);

/* Imports, vets (nb_cli_publishable) and renders one file to outp; its exit
 * status.  The one path of render, for one file (batch NULL: written at
 * once) and for a batch (added to it: written when it commits). */
int nb_render_one(nb_host *h, const nb_renderer *rd, const char *in, const char *outp, bool force,
                  const nb_import_opts *io, nb_write_batch *batch);

/* Renders files[0..n) to DIR (out) with renderer to; returns the exit
 * status (the worst of the files').  Names are checked before anything is
 * read: no input standard input, no two inputs to the same output, no
 * existing output unless force. */
int nb_render_batch(const char *to, const char *out, bool force, const nb_import_opts *io, const char *plugin_dir,
                    int n, char **files);

#endif
