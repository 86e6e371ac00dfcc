/* See file_bytes.h. */
#include "base/file_bytes.h"
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdbool.h>
#include <unistd.h>

/* Read with read(2) into a buffer one byte past the file's size: one read
 * takes it, and a read that took all its stat size without filling the
 * room is its end (a file that grew fills the room and is read on; a file
 * system that answers in parts falls short of the size and is read on).
 * stdio's fread asked three times more for 17 KB, and a read to see the end
 * once more (for a report checked, one of the six system calls it cost a
 * check worker).  A file that is not regular is read until read(2) says
 * it ended. */
static bool read_fd(int fd, const struct stat *st, nb_strbuf *sb)
{
    bool regular = S_ISREG(st->st_mode);
    size_t size = regular && st->st_size > 0 ? (size_t)st->st_size : 0, start = sb->len;
    size_t want = size ? size + 1 : 65536;
    nb_sb_room(sb, 0); /* the NUL of an empty file */
    sb->data[sb->len] = '\0';
    for (;;) {
        char *at = nb_sb_room(sb, want);
        size_t room = sb->cap - sb->len - 1; /* the room there is, at least want */
        ssize_t r = read(fd, at, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0;
        sb->len += (size_t)r;
        sb->data[sb->len] = '\0';
        if (size && sb->len - start >= size && (size_t)r < room)
            return true;
        want = regular ? 1 : 65536; /* a file that grew: what room is left, else more */
    }
}

nb_file_status nb_file_read(const char *path, nb_strbuf *sb)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return NB_FILE_NOT_OPENED;
    struct stat st;
    if (fstat(fd, &st) != 0)
        st.st_mode = 0;
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return NB_FILE_A_DIRECTORY;
    }
    bool ok = read_fd(fd, &st, sb);
    int read_errno = errno;
    close(fd);
    errno = read_errno;
    return ok ? NB_FILE_OK : NB_FILE_NOT_READ;
}
