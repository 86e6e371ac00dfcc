/* See atomic_write.h. */
#include "io/atomic_write.h"
#include "base/errno_zh.h"
#include "base/xalloc.h"
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* the temporary file being written, for the signal handler to remove */
static char *volatile pending_tmp;

static void remove_pending(int sig)
{
    char *tmp = pending_tmp;
    if (tmp)
        unlink(tmp);
    signal(sig, SIG_DFL);
    raise(sig);
}

static const int CAUGHT[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define NCAUGHT (sizeof CAUGHT / sizeof CAUGHT[0])

static void catch_signals(struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = remove_pending;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(CAUGHT[i], &sa, &old[i]);
}

static void restore_signals(const struct sigaction *old)
{
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaction(CAUGHT[i], &old[i], NULL);
}

static bool write_stdout(const char *data, size_t len, nb_strbuf *err)
{
    if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
        nb_sb_printf(err, "无法写入标准输出（%s）\n", nb_errno_zh(errno));
        return false;
    }
    return true;
}

/* What may stand at path: nothing, or a regular file with one link.  A
 * symlink, a directory, a device or a second name of a file is not replaced
 * by a new file behind the user's back.  *mode: the mode the output gets. */
static bool target_ok(const char *path, mode_t *mode, nb_strbuf *err)
{
    struct stat st;
    mode_t mask = umask(0);
    umask(mask);
    *mode = 0666 & ~mask;
    if (lstat(path, &st) != 0)
        return true;
    const char *what = S_ISLNK(st.st_mode)   ? "是符号链接"
                       : S_ISDIR(st.st_mode) ? "是目录"
                       : !S_ISREG(st.st_mode) ? "不是普通文件（设备、管道或套接字）"
                       : st.st_nlink > 1     ? "有多个硬链接"
                                              : NULL;
    if (what) {
        nb_sb_printf(err, "%s: %s，不会被替换：请写到别的路径（或先删除它）\n", path, what);
        return false;
    }
    *mode = st.st_mode & 07777; /* the file keeps its mode */
    return true;
}

static int sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? nb_xstrdup(path) : nb_xstrdup(".");
    if (slash)
        dir[slash == path ? 1 : slash - path] = '\0';
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    free(dir);
    if (fd < 0)
        return errno;
    int e = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    close(fd);
    return e;
}

bool nb_write_file_atomic(const char *path, const char *data, size_t len, nb_strbuf *err)
{
    if (!path || strcmp(path, "-") == 0)
        return write_stdout(data, len, err);
    mode_t mode;
    if (!target_ok(path, &mode, err))
        return false;
    size_t n = strlen(path);
    char *tmp = nb_xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    struct sigaction old[NCAUGHT];
    catch_signals(old);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        restore_signals(old);
        nb_sb_printf(err, "%s: 无法在其所在目录中创建临时文件（%s）：目录是否存在、可写？\n", path, nb_errno_zh(errno));
        free(tmp);
        return false;
    }
    pending_tmp = tmp;
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
    if (!failure && fchmod(fd, mode) != 0)
        failure = errno;
    if (!failure && fsync(fd) != 0)
        failure = errno;
    if (close(fd) != 0 && !failure)
        failure = errno;
    /* checked again just before the rename: the target may have changed meanwhile */
    mode_t again;
    nb_strbuf late;
    nb_sb_init(&late);
    if (!failure && !target_ok(path, &again, &late)) {
        nb_sb_puts(err, late.data);
        nb_sb_free(&late);
        unlink(tmp);
        pending_tmp = NULL;
        restore_signals(old);
        free(tmp);
        return false;
    }
    nb_sb_free(&late);
    if (!failure && rename(tmp, path) != 0)
        failure = errno;
    bool ok = !failure;
    if (!ok)
        unlink(tmp);
    pending_tmp = NULL;
    restore_signals(old);
    if (ok && (failure = sync_dir(path)) != 0) {
        nb_sb_printf(err, "%s: 已写入，但无法同步所在目录（%s）\n", path, nb_errno_zh(failure));
        ok = false;
    } else if (!ok) {
        nb_sb_printf(err, "%s: 写入失败（%s），原有文件未改动\n", path, nb_errno_zh(failure));
    }
    free(tmp);
    return ok;
}
