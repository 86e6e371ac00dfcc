/* A named file read whole: one implementation for the reports the commands
 * read and the plugin and lib files the host loads, with as few system
 * calls as a file allows (a check of one report opens some thirty plugin
 * and lib files at start, and a batch job a report file each). */
#ifndef NB_FILE_BYTES_H
#define NB_FILE_BYTES_H
#include "base/strbuf.h"

typedef enum {
    NB_FILE_OK,
    NB_FILE_NOT_OPENED, /* errno says why */
    NB_FILE_A_DIRECTORY,
    NB_FILE_NOT_READ,   /* opened, then a read failed: errno says why */
} nb_file_status;

/* Appends the bytes of the file at path to sb (NUL-terminated; an empty
 * file appends none).  Whatever it returns, sb is the caller's to free as
 * always, holding what was read. */
nb_file_status nb_file_read(const char *path, nb_strbuf *sb);

#endif
