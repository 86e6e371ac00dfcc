/* See plugin_lazy.h. */
#include "plugin/plugin_lazy.h"
#include "plugin/plugin_decl.h"
#include "plugin/plugin_host.h"
#include "plugin/plugin_libraries.h"
#include "base/xalloc.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *path; /* owned by h->plugin_files */
    int rank;
    bool loaded;
    bool ruled_out; /* by its gate, for the file nb_lazy_importers_for was last asked about */
    nb_plugin_decl decl;
} deferred;

typedef struct {
    deferred *d;
    size_t n;
} lazy_set;

static void lazy_free(void *p)
{
    lazy_set *z = p;
    for (size_t i = 0; z && i < z->n; i++)
        nb_plugin_decl_free(&z->d[i].decl);
    if (z)
        free(z->d);
    free(z);
}

int nb_lazy_defer(nb_host *h, const char *path, const char *src, size_t len, int rank, int lazy, nb_strbuf *err)
{
    nb_plugin_decl decl;
    if (!nb_plugin_decl_read(&decl, path, src, len, err))
        return -1;
    if (!nb_plugin_decl_deferrable(&decl) || !(lazy & (decl.renderer ? NB_LAZY_RENDERERS : NB_LAZY_IMPORTERS))) {
        nb_plugin_decl_free(&decl);
        return 0;
    }
    if (!h->lazy) {
        h->lazy = nb_xcalloc(1, sizeof(lazy_set));
        h->lazy_free = lazy_free;
    }
    lazy_set *z = h->lazy;
    z->d = nb_xrealloc(z->d, (z->n + 1) * sizeof *z->d);
    z->d[z->n++] = (deferred){.path = path, .rank = rank, .decl = decl};
    return 1;
}

static bool load(nb_host *h, lazy_set *z, size_t i, nb_strbuf *err);

/* Loads the deferred importer id, if one is. */
static bool load_id(nb_host *h, lazy_set *z, const char *id, nb_strbuf *err)
{
    for (size_t i = 0; i < z->n; i++)
        if (z->d[i].decl.importer && strcmp(z->d[i].decl.importer, id) == 0)
            return load(h, z, i, err);
    return true;
}

static bool load(nb_host *h, lazy_set *z, size_t i, nb_strbuf *err)
{
    deferred *d = &z->d[i];
    if (d->loaded || !d->decl.importer)
        return true;
    d->loaded = true;
    for (size_t k = 0; k < d->decl.nuses; k++)
        if (!load_id(h, z, d->decl.uses[k], err))
            return false;
    return nb_plugin_load_file(h, d->path, d->rank, err);
}

/* The importers back in loading order (a stable insertion sort by rank). */
static void order(nb_host *h)
{
    for (size_t i = 1; i < h->nimporters; i++) {
        nb_importer t = h->importers[i];
        size_t k = i;
        for (; k > 0 && h->importers[k - 1].rank > t.rank; k--)
            h->importers[k] = h->importers[k - 1];
        h->importers[k] = t;
    }
}

static bool has_extension(const nb_importer *imp, const char *path)
{
    nb_plugin_decl d = {.extensions = imp->extensions, .nextensions = imp->nextensions};
    return nb_plugin_decl_has_extension(&d, path);
}

bool nb_lazy_importers_for(nb_host *h, const char *path, const char *data, size_t len, const char *via,
                           nb_strbuf *err)
{
    lazy_set *z = h->lazy;
    if (!z)
        return true;
    for (size_t i = 0; i < z->n; i++)
        z->d[i].ruled_out = false;
    bool ok = true, all = via != NULL, by_ext = false;
    for (size_t i = 0; i < h->nimporters; i++)
        by_ext = by_ext || has_extension(&h->importers[i], path);
    size_t head = len < 4096 ? len : 4096; /* what detect reads */
    bool skipped = false;
    int utf8 = -1; /* the head's UTF-8 verdict, found once for all the gates */
    for (size_t i = 0; ok && !all && i < z->n; i++) {
        nb_plugin_decl *d = &z->d[i].decl;
        if (!d->importer)
            continue;
        bool ext = nb_plugin_decl_has_extension(d, path);
        by_ext = by_ext || ext;
        if (ext && !nb_plugin_decl_may_detect(d, h, path, data, head, &utf8))
            skipped = z->d[i].ruled_out = true; /* its detect would say no */
        else if (ext || nb_plugin_decl_content(d, data, head))
            ok = load(h, z, i, err);
    }
    /* an importer whose detect would say no is not chosen, unless it would be
     * the first for the extension when none without a detect is there */
    bool plain = false;
    for (size_t i = 0; skipped && i < h->nimporters; i++)
        plain = plain || (h->importers[i].detect_ref == LUA_NOREF && has_extension(&h->importers[i], path));
    /* no importer takes the extension: every detect is asked */
    if (!by_ext || all || (skipped && !plain))
        for (size_t i = 0; ok && i < z->n; i++)
            if (all || !by_ext || nb_plugin_decl_has_extension(&z->d[i].decl, path))
                ok = load(h, z, i, err);
    order(h);
    return ok;
}

bool nb_lazy_ruled_out(const nb_host *h, const char *id)
{
    const lazy_set *z = h->lazy;
    for (size_t i = 0; z && i < z->n; i++)
        if (z->d[i].ruled_out && strcmp(z->d[i].decl.importer, id) == 0)
            return true;
    return false;
}

void nb_lazy_open_libraries_for(const nb_host *h, const char *path)
{
    const lazy_set *z = h->lazy;
    for (size_t i = 0; z && i < z->n; i++) {
        const nb_plugin_decl *d = &z->d[i].decl;
        if (d->importer && nb_plugin_decl_has_extension(d, path))
            for (size_t k = 0; k < d->nlibraries; k++)
                nb_plugin_library_open(d->libraries[k]);
    }
}
