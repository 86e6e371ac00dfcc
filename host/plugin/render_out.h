/* Writing a report through a renderer plugin, shared by the render and new
 * commands: choosing the renderer and writing its output safely. */
#ifndef NB_RENDER_OUT_H
#define NB_RENDER_OUT_H
#include "io/atomic_write.h"
#include "lua/registry.h"
#include "model/report.h"
#include <stdbool.h>

/* The renderer named by to, else the one whose extension out has, else the
 * one named fallback (may be NULL).  NULL with a message in err. */
const nb_renderer *nb_renderer_choose(const nb_host *h, const char *to, const char *out, const char *fallback,
                                      nb_strbuf *err);

/* Renders r and writes it to out (NULL or "-" = standard output, which
 * refuses binary output when it is a terminal), saying so on stderr; with a
 * batch (not NULL) a file is only added to it, the batch's done to say when
 * it is written.  false with a message in err. */
bool nb_render_report(nb_host *h, const nb_renderer *rd, const nb_report *r, const char *out, nb_write_batch *batch,
                      nb_strbuf *err);

/* "已写入 OUT（renderer）" on stderr */
void nb_render_written(const nb_renderer *rd, const char *out);

#endif
