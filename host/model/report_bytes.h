/* A report as bytes, to hand an imported report from one process to another
 * (`add -j N`: workers import, the parent checks and stores).  Written and
 * read by one binary on one machine: no versioning.  Everything the model
 * holds is carried; the format by its id, which the reader resolves. */
#ifndef NB_REPORT_BYTES_H
#define NB_REPORT_BYTES_H
#include "base/strbuf.h"
#include "model/report.h"
#include <stddef.h>

/* r's bytes, appended to out */
void nb_report_put(nb_strbuf *out, const nb_report *r);
/* The format of a report: fmt(ud, id), NULL when unknown. */
typedef const nb_format *(*nb_report_format_fn)(void *ud, const char *format_id);
/* A fresh report from what nb_report_put wrote, its format found by fmt;
 * NULL when the bytes are not such a report or the format is unknown. */
nb_report *nb_report_read(const char *buf, size_t n, nb_report_format_fn fmt, void *ud);

#endif
