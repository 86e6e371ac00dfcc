/* The files of a check run, for check -j: the command line's, then the
 * lines of a --files-from list, read one at a time as they are needed. */
#include "cli/check_workers.h"
#include "base/errno_zh.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

void nb_file_iter_init(nb_file_iter *it, int argc, char **argv, const char *list)
{
    *it = (nb_file_iter){.argv = argv, .argc = argc, .list = list};
}

const char *nb_file_iter_next(nb_file_iter *it, int *tag)
{
    *tag = NB_FILE_PLAIN;
    if (it->i < it->argc)
        return it->argv[it->i++];
    if (!it->list)
        return NULL;
    if (!it->opened) {
        it->opened = true;
        it->from_stdin = strcmp(it->list, "-") == 0;
        it->fp = it->from_stdin ? stdin : fopen(it->list, "r");
        if (!it->fp) {
            it->open_failed = true; /* told at the end, where -j 1 tells it */
            it->open_errno = errno;
        }
    }
    if (!it->fp)
        return NULL;
    ssize_t n;
    while ((n = getline(&it->line, &it->cap, it->fp)) >= 0) {
        while (n > 0 && (it->line[n - 1] == '\n' || it->line[n - 1] == '\r'))
            it->line[--n] = '\0';
        if (n == 0)
            continue;
        if (it->from_stdin && strcmp(it->line, "-") == 0)
            *tag = NB_FILE_STDIN_IN_STDIN_LIST;
        return it->line;
    }
    it->read_failed = ferror(it->fp) != 0;
    if (!it->from_stdin)
        fclose(it->fp);
    it->fp = NULL;
    return NULL;
}

bool nb_file_iter_finish(nb_file_iter *it)
{
    if (it->fp && !it->from_stdin)
        fclose(it->fp);
    it->fp = NULL;
    free(it->line);
    it->line = NULL;
    if (it->open_failed)
        fprintf(stderr, "nianbao check: --files-from %s：无法打开（%s）\n", it->list, nb_errno_zh(it->open_errno));
    else if (it->read_failed)
        fprintf(stderr, "nianbao check: --files-from %s：读取出错\n", it->list);
    return !it->open_failed && !it->read_failed;
}
