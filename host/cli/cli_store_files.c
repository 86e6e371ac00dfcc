/* The files `nianbao add` reads: folders walked in sorted order.  A regular
 * file's absolute path is its folder's (one realpath a folder) and its name:
 * realpath for every file cost three readlink and a getcwd each; only a
 * symlink (or a file whose folder realpath cannot read) is resolved when the
 * file is stored. */
#include "cli/cli_store_files.h"
#include "base/xalloc.h"
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void push(nb_add_files *l, const char *path, char *abs)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 64;
        l->v = nb_xrealloc(l->v, l->cap * sizeof *l->v);
    }
    l->v[l->n++] = (nb_add_file){nb_xstrdup(path), abs};
}

/* dir/name, or NULL when dir is NULL */
static char *join(const char *dir, const char *name)
{
    if (!dir)
        return NULL;
    size_t a = strlen(dir), b = strlen(name);
    a -= a > 0 && dir[a - 1] == '/'; /* the root: "/" */
    char *s = nb_xmalloc(a + b + 2);
    memcpy(s, dir, a);
    s[a] = '/';
    memcpy(s + a + 1, name, b + 1);
    return s;
}

typedef struct {
    char *path;
    const char *name;
    unsigned char type;
} entry;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->path, ((const entry *)b)->path);
}

/* Adds the regular files under dir (sorted, hidden ones skipped); real is
 * dir's absolute path, or NULL to ask realpath. */
static void walk(nb_add_files *l, const char *dir, const char *real, int depth, nb_add_files *bad)
{
    DIR *d = opendir(dir);
    if (!d) {
        push(bad, dir, NULL);
        return;
    }
    char *own = real ? NULL : realpath(dir, NULL);
    real = real ? real : own;
    entry *here = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.') {
            if (n == cap) {
                cap = cap ? cap * 2 : 64;
                here = nb_xrealloc(here, cap * sizeof *here);
            }
            char p[PATH_MAX];
            snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
            here[n].path = nb_xstrdup(p);
            here[n].name = here[n].path + strlen(dir) + 1;
            here[n++].type = e->d_type;
        }
    closedir(d);
    qsort(here, n, sizeof *here, cmp_entry);
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        unsigned char t = here[i].type;
        if (t != DT_DIR && t != DT_REG) /* a symlink, or a file system without d_type */
            t = stat(here[i].path, &sb) == 0 && S_ISDIR(sb.st_mode) ? DT_DIR : DT_UNKNOWN;
        if (t == DT_DIR) {
            if (depth < 32) {
                char *sub = here[i].type == DT_DIR ? join(real, here[i].name) : NULL;
                walk(l, here[i].path, sub, depth + 1, bad);
                free(sub);
            }
        } else {
            push(l, here[i].path, t == DT_REG ? join(real, here[i].name) : NULL);
        }
        free(here[i].path);
    }
    free(here);
    free(own);
}

/* The absolute path of a regular file named on the command line: its
 * folder's realpath (kept for the next name in the same folder) and its
 * name; NULL when that cannot be known. */
static char *named_abs(const char *path, char **dir, char **real)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) + (slash == path) : 1; /* "/x": "/"; "x": "." */
    if (!*dir || strlen(*dir) != n || memcmp(*dir, slash ? path : ".", n) != 0) {
        free(*dir);
        free(*real);
        *dir = nb_xmalloc(n + 1);
        memcpy(*dir, slash ? path : ".", n);
        (*dir)[n] = '\0';
        *real = realpath(*dir, NULL);
    }
    return join(*real, slash ? slash + 1 : path);
}

void nb_add_files_collect(char **args, int nargs, nb_add_files *files, nb_add_files *bad)
{
    char *dir = NULL, *real = NULL;
    for (int i = 0; i < nargs; i++) {
        struct stat sb;
        bool seen = lstat(args[i], &sb) == 0, link = seen && S_ISLNK(sb.st_mode);
        if (link)
            seen = stat(args[i], &sb) == 0;
        if (seen && S_ISDIR(sb.st_mode))
            walk(files, args[i], NULL, 0, bad);
        else
            push(files, args[i], seen && !link && S_ISREG(sb.st_mode) ? named_abs(args[i], &dir, &real) : NULL);
    }
    free(dir);
    free(real);
}

const char *nb_add_file_abs(const nb_add_file *f, char buf[PATH_MAX])
{
    return f->abs ? f->abs : realpath(f->path, buf);
}

void nb_add_files_free(nb_add_files *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].path);
        free(l->v[i].abs);
    }
    free(l->v);
}
