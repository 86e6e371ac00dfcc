/* Outputs are written to a temporary file beside the target and renamed
 * over it, so a reader never sees half a report and a failure loses nothing. */
#ifndef NB_ATOMIC_WRITE_H
#define NB_ATOMIC_WRITE_H
#include "base/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/* path "-" or NULL writes to standard output. */
bool nb_write_file_atomic(const char *path, const char *data, size_t len, nb_strbuf *err);

#endif
