/* See atomic_write.h. */
#include "atomic_write.h"
#include "xalloc.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

bool nb_write_file_atomic(const char *path, const char *data, size_t len, nb_strbuf *err)
{
    if (!path || strcmp(path, "-") == 0) {
        if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
            nb_sb_printf(err, "cannot write to standard output: %s\n", strerror(errno));
            return false;
        }
        return true;
    }
    size_t n = strlen(path);
    char *tmp = nb_xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        nb_sb_printf(err, "%s: cannot create a temporary file beside it: %s\n", path, strerror(errno));
        free(tmp);
        return false;
    }
    size_t off = 0;
    bool ok = true;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            ok = false;
            break;
        }
        off += (size_t)w;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; give what a plain create would */
    if (close(fd) != 0)
        ok = false;
    if (ok && rename(tmp, path) != 0)
        ok = false;
    if (!ok) {
        nb_sb_printf(err, "%s: cannot write: %s (nothing was changed)\n", path, strerror(errno));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}
