/* See atomic_write.h. */
#include "io/atomic_write.h"
#include "base/errno_zh.h"
#include "base/xalloc.h"
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
            nb_sb_printf(err, "无法写入标准输出（%s）\n", nb_errno_zh(errno));
            return false;
        }
        return true;
    }
    size_t n = strlen(path);
    char *tmp = nb_xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        nb_sb_printf(err, "%s: 无法在其所在目录中创建临时文件（%s）：目录是否存在、可写？\n", path, nb_errno_zh(errno));
        free(tmp);
        return false;
    }
    size_t off = 0;
    int failure = 0; /* errno of the first step that failed */
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            failure = errno;
            break;
        }
        off += (size_t)w;
    }
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask); /* mkstemp makes 0600; give what a plain create would */
    if (close(fd) != 0 && !failure)
        failure = errno;
    if (!failure && rename(tmp, path) != 0)
        failure = errno;
    bool ok = !failure;
    if (!ok) {
        nb_sb_printf(err, "%s: 写入失败（%s），原有文件未改动\n", path, nb_errno_zh(failure));
        unlink(tmp);
    }
    free(tmp);
    return ok;
}
