/* Writing a report through a renderer plugin, shared by the render and new
 * commands: choosing the renderer and writing its output safely. */
#ifndef NB_RENDER_OUT_H
#define NB_RENDER_OUT_H
#include "lua/registry.h"
#include "model/report.h"
#include <stdbool.h>

/* The renderer named by to, else the one whose extension out has, else the
 * one named fallback (may be NULL).  NULL with a message in err. */
const nb_renderer *nb_renderer_choose(const nb_host *h, const char *to, const char *out, const char *fallback,
                                      nb_strbuf *err);

/* Renders r and writes it to out (NULL or "-" = standard output, which
 * refuses binary output when it is a terminal).  false with a message in err. */
bool nb_render_report(nb_host *h, const nb_renderer *rd, const nb_report *r, const char *out, nb_strbuf *err);

#endif
