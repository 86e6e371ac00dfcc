/* See store.h: the backend-neutral half.  Each call goes to the backend
 * chosen when the store was opened. */
#include "store/store.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <string.h>

struct nb_store {
    const nb_store_backend *be;
    void *impl;
};

/* The backends, tried in order; the last accepts any location (a file). */
static const nb_store_backend *const BACKENDS[] = {&nb_store_sqlite};

const char *nb_store_location(const char *flag)
{
    if (flag && *flag)
        return flag;
    const char *env = getenv("NIANBAO_DB");
    return env && *env ? env : "nianbao.db";
}

nb_store *nb_store_open(const char *location, bool create, nb_strbuf *err)
{
    if (strncmp(location, "postgresql://", 13) == 0 || strncmp(location, "postgres://", 11) == 0) {
        nb_sb_printf(err, "%s：本程序尚未带 PostgreSQL 后端，请使用 SQLite 数据库文件（见 docs/store.md）\n", location);
        return NULL;
    }
    for (size_t i = 0; i < sizeof BACKENDS / sizeof BACKENDS[0]; i++) {
        const nb_store_backend *be = BACKENDS[i];
        if (!be->accepts(location))
            continue;
        void *impl = be->open(location, create, err);
        if (!impl)
            return NULL;
        nb_store *s = nb_xcalloc(1, sizeof *s);
        s->be = be;
        s->impl = impl;
        return s;
    }
    nb_sb_printf(err, "%s：没有能打开此位置的存储后端\n", location);
    return NULL;
}

void nb_store_close(nb_store *s)
{
    if (!s)
        return;
    s->be->close(s->impl);
    free(s);
}

bool nb_store_has_sha(nb_store *s, const char *sha256, bool *found, nb_strbuf *err)
{
    return s->be->has_sha(s->impl, sha256, found, err);
}

bool nb_store_batch(nb_store *s, bool on, nb_strbuf *err)
{
    return s->be->batch(s->impl, on, err);
}

size_t nb_store_pending(nb_store *s)
{
    return s->be->pending(s->impl);
}

bool nb_store_snapshot(nb_store *s, bool on, nb_strbuf *err)
{
    return s->be->snapshot(s->impl, on, err);
}

nb_store_result nb_store_add(nb_store *s, const nb_report *r, const nb_store_prov *p, int64_t *id, nb_strbuf *err)
{
    return s->be->add(s->impl, r, p, id, err);
}

bool nb_store_list(nb_store *s, const nb_store_filter *f, nb_store_each_fn fn, void *ud, nb_strbuf *err)
{
    return s->be->list(s->impl, f, fn, ud, err);
}

bool nb_store_find(nb_store *s, const char *unit, int year, int64_t *id, size_t *count, nb_strbuf *err)
{
    return s->be->find(s->impl, unit, year, id, count, err);
}

nb_report *nb_store_load(nb_store *s, int64_t id, nb_store_format_fn fmt, void *ud, nb_strbuf *err)
{
    return s->be->load(s->impl, id, fmt, ud, err);
}

bool nb_store_set_counts(nb_store *s, int64_t id, int errors, int warnings, int infos, nb_strbuf *err)
{
    return s->be->set_counts(s->impl, id, errors, warnings, infos, err);
}

bool nb_store_roster_replace(nb_store *s, const nb_roster_row *rows, size_t n, nb_strbuf *err)
{
    return s->be->roster_replace(s->impl, rows, n, err);
}

bool nb_store_roster_each(nb_store *s, nb_store_roster_fn fn, void *ud, nb_strbuf *err)
{
    return s->be->roster_each(s->impl, fn, ud, err);
}

bool nb_store_sum(nb_store *s, const int64_t *ids, size_t n, nb_store_sum_fn fn, void *ud, nb_strbuf *err)
{
    return s->be->sum(s->impl, ids, n, fn, ud, err);
}
