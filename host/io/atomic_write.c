/* See atomic_write.h. */
#define _GNU_SOURCE /* syncfs */
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

/* the temporary files of the batch, for the signal handler to remove */
static char *volatile pending_tmp[NB_WRITE_BATCH_MAX];

static void remove_pending(int sig)
{
    for (int i = 0; i < NB_WRITE_BATCH_MAX; i++) {
        char *tmp = pending_tmp[i];
        if (tmp)
            unlink(tmp);
    }
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

/* the directory of path, to sync after a rename in it */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? nb_xstrdup(path) : nb_xstrdup(".");
    if (slash)
        dir[slash == path ? 1 : slash - path] = '\0';
    return dir;
}

static int sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return errno;
    int e = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    close(fd);
    return e;
}

typedef struct {
    char *path, *tmp, *dir;
    int fd;
    int failure;   /* errno of the first step that failed, 0 so far */
    bool refused;  /* the target changed into something not to replace */
    int sync_errno; /* of syncing the data (the first file of its directory) */
    int dir_errno;  /* of syncing its directory after the renames */
    char *message; /* why it was not written, for done */
} pending_file;

struct nb_write_batch {
    nb_write_done *done;
    void *ud;
    size_t n;
    pending_file files[NB_WRITE_BATCH_MAX];
    struct sigaction old[NCAUGHT];
};

static bool batch_open; /* one batch at a time: the signal handler's list is one */

nb_write_batch *nb_write_batch_new(nb_write_done *done, void *ud)
{
    if (batch_open)
        abort(); /* a programming error: two batches would share pending_tmp */
    batch_open = true;
    nb_write_batch *b = nb_xcalloc(1, sizeof *b);
    b->done = done;
    b->ud = ud;
    catch_signals(b->old);
    return b;
}

static int write_all(int fd, const char *data, size_t len)
{
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, data + off, len - off);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return errno;
        }
        off += (size_t)w;
    }
    return 0;
}

bool nb_write_batch_add(nb_write_batch *b, const char *path, const char *data, size_t len, nb_strbuf *err)
{
    mode_t mode;
    if (!target_ok(path, &mode, err))
        return false;
    if (b->n == NB_WRITE_BATCH_MAX)
        nb_write_batch_commit(b);
    size_t n = strlen(path);
    char *tmp = nb_xmalloc(n + 16);
    snprintf(tmp, n + 16, "%s.tmpXXXXXX", path);
    /* the caught signals held from the file's creation until the handler
     * knows it: one that came in the meantime (a signal is taken as a
     * system call returns, mkstemp's open included) would leave it behind */
    sigset_t caught, before;
    sigemptyset(&caught);
    for (size_t i = 0; i < NCAUGHT; i++)
        sigaddset(&caught, CAUGHT[i]);
    sigprocmask(SIG_BLOCK, &caught, &before);
    int fd = mkstemp(tmp);
    if (fd >= 0)
        pending_tmp[b->n] = tmp;
    sigprocmask(SIG_SETMASK, &before, NULL);
    if (fd < 0) {
        nb_sb_printf(err, "%s: 无法在其所在目录中创建临时文件（%s）：目录是否存在、可写？\n", path, nb_errno_zh(errno));
        free(tmp);
        return false;
    }
    int failure = write_all(fd, data, len);
    if (!failure && fchmod(fd, mode) != 0)
        failure = errno;
    if (failure) {
        close(fd);
        unlink(tmp);
        pending_tmp[b->n] = NULL;
        free(tmp);
        nb_sb_printf(err, "%s: 写入失败（%s），原有文件未改动\n", path, nb_errno_zh(failure));
        return false;
    }
    b->files[b->n++] = (pending_file){.path = nb_xstrdup(path), .tmp = tmp, .dir = dir_of(path), .fd = fd};
    return true;
}

/* the first file of b, up to i, in the directory of file i */
static size_t first_in_dir(const nb_write_batch *b, size_t i)
{
    size_t k = 0;
    while (strcmp(b->files[k].dir, b->files[i].dir) != 0)
        k++;
    return k;
}

/* closes f's temporary file and renames it over its target (checking the
 * target again: it may have changed meanwhile); on failure it goes */
static void replace_target(pending_file *f)
{
    if (close(f->fd) != 0 && !f->failure)
        f->failure = errno;
    if (!f->failure) {
        mode_t again;
        nb_strbuf late;
        nb_sb_init(&late);
        if (!target_ok(f->path, &again, &late)) {
            f->refused = true;
            f->message = late.data;
        } else if (rename(f->tmp, f->path) != 0) {
            f->failure = errno;
            nb_sb_free(&late);
        }
    }
    if (f->failure || f->refused)
        unlink(f->tmp);
}

void nb_write_batch_commit(nb_write_batch *b)
{
    /* every file's data on disk before any target is replaced: one file
     * by fsync; several by one syncfs of each directory's file system
     * (fsync of each, even when the first did most of the work, cost twice
     * as much system time) */
    for (size_t i = 0; i < b->n; i++) {
        pending_file *f = &b->files[i];
        size_t k = first_in_dir(b, i);
        if (k < i)
            f->failure = b->files[k].sync_errno;
        else if ((b->n == 1 ? fsync(f->fd) : syncfs(f->fd)) != 0)
            f->failure = f->sync_errno = errno;
    }
    for (size_t i = 0; i < b->n; i++)
        replace_target(&b->files[i]);
    for (size_t i = 0; i < b->n; i++)
        pending_tmp[i] = NULL;
    /* each directory synced once, so that the renames survive a crash */
    for (size_t i = 0; i < b->n; i++) {
        pending_file *f = &b->files[i];
        size_t k = first_in_dir(b, i);
        f->dir_errno = k < i ? b->files[k].dir_errno : sync_dir(f->dir);
        if (f->failure || f->refused || !f->dir_errno)
            continue;
        nb_strbuf m;
        nb_sb_init(&m);
        nb_sb_printf(&m, "%s: 已写入，但无法同步所在目录（%s）\n", f->path, nb_errno_zh(f->dir_errno));
        f->message = m.data;
    }
    for (size_t i = 0; i < b->n; i++) {
        pending_file *f = &b->files[i];
        if (f->failure && !f->message) {
            nb_strbuf m;
            nb_sb_init(&m);
            nb_sb_printf(&m, "%s: 写入失败（%s），原有文件未改动\n", f->path, nb_errno_zh(f->failure));
            f->message = m.data;
        }
        b->done(b->ud, f->path, !f->message, f->message);
        free(f->path);
        free(f->tmp);
        free(f->dir);
        free(f->message);
    }
    b->n = 0;
}

void nb_write_batch_free(nb_write_batch *b)
{
    if (!b)
        return;
    nb_write_batch_commit(b);
    restore_signals(b->old);
    free(b);
    batch_open = false;
}

typedef struct {
    bool ok;
    nb_strbuf *err;
} one_file;

static void one_done(void *ud, const char *path, bool ok, const char *message)
{
    (void)path;
    one_file *o = ud;
    o->ok = ok;
    if (message)
        nb_sb_puts(o->err, message);
}

bool nb_write_file_atomic(const char *path, const char *data, size_t len, nb_strbuf *err)
{
    if (!path || strcmp(path, "-") == 0)
        return write_stdout(data, len, err);
    one_file o = {.ok = false, .err = err};
    nb_write_batch *b = nb_write_batch_new(one_done, &o);
    bool added = nb_write_batch_add(b, path, data, len, err);
    nb_write_batch_free(b);
    return added && o.ok;
}
