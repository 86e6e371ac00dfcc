/* See render_batch.h.  The plugins are loaded once, the renderer's modules
 * and templates are read on the first report and kept for the others. */
#include "cli/render_batch.h"
#include "cli/cli.h"
#include "cli/cli_usage.h"
#include "base/errno_zh.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include "io/findings_out.h"
#include "io/term_text.h"
#include "plugin/render_out.h"
#include "rules/validator.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

bool nb_render_is_batch(int nfiles, const char *out)
{
    if (!out || strcmp(out, "-") == 0)
        return false; /* several files to standard output: a usage error */
    size_t len = strlen(out);
    return nfiles > 1 || (len > 0 && out[len - 1] == '/');
}

/* DIR/NAME.EXT for input path: its last component without its extension. */
static char *output_path(const char *dir, const char *path, const char *ext)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot && dot != base ? (size_t)(dot - base) : strlen(base);
    size_t dlen = strlen(dir);
    while (dlen > 1 && dir[dlen - 1] == '/')
        dlen--;
    nb_strbuf sb;
    nb_sb_init(&sb);
    nb_sb_printf(&sb, "%.*s/%.*s.%s", (int)dlen, dir, (int)stem, base, ext);
    return sb.data;
}

typedef struct {
    const char *path;
    int index;
} named;

static int by_path(const void *a, const void *b)
{
    const named *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : x->index - y->index;
}

/* The names: no standard input, no empty stem, no two inputs to one output,
 * no existing output unless force.  Prints every problem; false if any. */
static bool names_ok(char **files, char **outs, int n, bool force)
{
    bool ok = true;
    named *v = nb_xcalloc((size_t)n, sizeof(named));
    for (int i = 0; i < n; i++) {
        if (strcmp(files[i], "-") == 0) {
            fprintf(stderr, "nianbao render: 一次输出多个文件时不能读标准输入（-）：输出文件按输入文件命名\n");
            ok = false;
        }
        const char *base = strrchr(files[i], '/');
        if (base && base[1] == '\0') {
            nb_printf_term(stderr, "nianbao render: %s 不是文件名\n", files[i]);
            ok = false;
        }
        v[i] = (named){.path = outs[i], .index = i};
    }
    qsort(v, (size_t)n, sizeof(named), by_path);
    for (int i = 1; i < n; i++)
        if (strcmp(v[i].path, v[i - 1].path) == 0) {
            nb_printf_term(stderr, "nianbao render: %s 和 %s 都会写成 %s：请分两次输出到不同目录\n", files[v[i - 1].index],
                    files[v[i].index], v[i].path);
            ok = false;
        }
    free(v);
    for (int i = 0; ok && i < n; i++)
        if (!nb_cli_may_write("render", outs[i], force))
            ok = false;
    return ok;
}

int nb_render_one(nb_host *h, const nb_renderer *rd, const char *in, const char *outp, bool force,
                  const nb_import_opts *io, nb_write_batch *batch)
{
    nb_strbuf err;
    nb_sb_init(&err);
    int status = NB_EXIT_FAIL;
    nb_report *r = nb_import_file(h, in, io, &err);
    if (r) {
        /* what the importer noticed (a unit converted, a cell it could not
         * decide) is said here too, not only by check */
        nb_findings notes;
        nb_findings_init(&notes);
        nb_report_notes(r, &notes);
        nb_findings_print(stderr, r->source, &notes);
        nb_findings_free(&notes);
        if (!nb_cli_publishable(h, rd, r, force))
            status = NB_EXIT_FINDINGS;
        else if (nb_render_report(h, rd, r, outp, batch, &err))
            status = NB_EXIT_OK;
        nb_report_free(r);
    }
    if (err.data)
        nb_fputs_term(err.data, stderr);
    nb_sb_free(&err);
    return status;
}

/* what the batch's files came to, told as each is renamed into place */
typedef struct {
    const nb_renderer *rd;
    size_t written;
    int status;
} batch_tally;

static void file_done(void *ud, const char *path, bool ok, const char *message)
{
    batch_tally *t = ud;
    if (ok) {
        nb_render_written(t->rd, path);
        t->written++;
        return;
    }
    nb_fputs_term(message, stderr);
    if (t->status < NB_EXIT_FAIL)
        t->status = NB_EXIT_FAIL;
}

int nb_render_batch(const char *to, const char *out, bool force, const nb_import_opts *io, const char *plugin_dir,
                    int n, char **files)
{
    nb_host *h = nb_cli_open_host_lazy(plugin_dir, NB_LAZY_IMPORTERS | NB_LATE_RULES, io->via);
    if (!h)
        return NB_EXIT_FAIL;
    nb_strbuf err;
    nb_sb_init(&err);
    const nb_renderer *rd = NULL;
    if (nb_cli_known_names(h, "render", io->format_id, io->via, to)) {
        if (!to)
            fprintf(stderr, "nianbao render: 一次输出多个文件时请用 --to 指明输出格式（md、json、html、docx 等）\n");
        else if ((rd = nb_renderer_choose(h, to, NULL, NULL, &err)) == NULL)
            nb_printf_term(stderr, "nianbao render: %s", err.data);
    }
    nb_sb_free(&err);
    if (!rd) {
        nb_host_free(h);
        return NB_EXIT_FAIL;
    }
    char **outs = nb_xcalloc((size_t)n, sizeof(char *));
    for (int i = 0; i < n; i++)
        outs[i] = output_path(out, files[i], rd->extension);
    int status = NB_EXIT_OK;
    struct stat st;
    if (!names_ok(files, outs, n, force)) {
        status = NB_EXIT_FAIL;
    } else if (stat(out, &st) != 0 && mkdir(out, 0777) != 0) {
        nb_printf_term(stderr, "nianbao render: 无法建立输出目录 %s（%s）\n", out, nb_errno_zh(errno));
        status = NB_EXIT_FAIL;
    } else {
        batch_tally tally = {.rd = rd, .written = 0, .status = NB_EXIT_OK};
        nb_write_batch *batch = nb_write_batch_new(file_done, &tally);
        for (int i = 0; i < n; i++) {
            int s = nb_render_one(h, rd, files[i], outs[i], force, io, batch);
            if (s > status)
                status = s;
        }
        nb_write_batch_free(batch);
        size_t written = tally.written;
        if (tally.status > status)
            status = tally.status;
        nb_printf_term(stderr, "nianbao render: %d 个报告，写入 %zu 个 %s 文件到 ", n, written, rd->id);
        nb_fputs_term(out, stderr);
        if ((size_t)n > written)
            fprintf(stderr, "，%zu 个未生成（原因见上）", (size_t)n - written);
        fputs("\n", stderr);
    }
    for (int i = 0; i < n; i++)
        free(outs[i]);
    free(outs);
    nb_host_free(h);
    return status;
}
