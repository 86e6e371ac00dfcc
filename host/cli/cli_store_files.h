/* The files `nianbao add` reads (cli_store_files.c): the command line's,
 * folders walked, each with its absolute path when it is known without a
 * realpath of its own. */
#ifndef NB_CLI_STORE_FILES_H
#define NB_CLI_STORE_FILES_H
#include <limits.h>
#include <stddef.h>

typedef struct {
    char *path; /* as named or found */
    char *abs;  /* its absolute path without symlinks, or NULL: ask realpath */
} nb_add_file;

typedef struct {
    nb_add_file *v;
    size_t n, cap;
} nb_add_files;

/* The files of args (a folder's regular files, sorted, hidden ones skipped,
 * recursively) into files; the folders that cannot be read into bad. */
void nb_add_files_collect(char **args, int nargs, nb_add_files *files, nb_add_files *bad);
/* f's absolute path (in buf when realpath makes it); NULL with errno. */
const char *nb_add_file_abs(const nb_add_file *f, char buf[PATH_MAX]);
void nb_add_files_free(nb_add_files *l);

#endif
