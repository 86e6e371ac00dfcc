/* Outputs are written to a temporary file beside the target and renamed
 * over it, so a reader never sees half a report and a failure loses nothing.
 * A batch (render -o DIR FILE...) writes each file's temporary file as it
 * comes and makes them durable together: one round of fsyncs, the renames,
 * one fsync of each directory, for up to NB_WRITE_BATCH_MAX files, instead
 * of a file's data and its directory synced one file at a time (the sync is
 * most of the cost of writing a page). */
#ifndef NB_ATOMIC_WRITE_H
#define NB_ATOMIC_WRITE_H
#include "base/strbuf.h"
#include <stdbool.h>
#include <stddef.h>

/* path "-" or NULL writes to standard output. */
bool nb_write_file_atomic(const char *path, const char *data, size_t len, nb_strbuf *err);

/* files whose temporary files a batch holds at most: what a kill -9 can
 * leave behind, one beside each of them */
enum { NB_WRITE_BATCH_MAX = 64 };

/* Told of each file of a batch once it is renamed over its target (ok) or
 * not (message says why; the target is unchanged), in the order added. */
typedef void nb_write_done(void *ud, const char *path, bool ok, const char *message);

typedef struct nb_write_batch nb_write_batch;

/* One batch at a time.  Until it is freed, SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT remove its temporary files before the process ends. */
nb_write_batch *nb_write_batch_new(nb_write_done *done, void *ud);

/* Writes data to a temporary file beside path (a regular file or nothing,
 * as for nb_write_file_atomic), to replace path at the next commit; a full
 * batch is committed first.  false with a message in err when the
 * temporary file could not be written (path is then not in the batch). */
bool nb_write_batch_add(nb_write_batch *b, const char *path, const char *data, size_t len, nb_strbuf *err);

/* Syncs the pending temporary files, renames each over its target and
 * syncs their directories, telling done of each file. */
void nb_write_batch_commit(nb_write_batch *b);

/* Commits what is pending, then frees b (NULL is fine). */
void nb_write_batch_free(nb_write_batch *b);

#endif
