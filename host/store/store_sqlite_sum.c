/* The SQLite backend: a region's cells summed over its reports
 * (nb_store_sum).  One statement reads each report's cells text
 * (report.cells, store_sqlite_cells.c) and the totals are kept here, by cell
 * id, in 128 bits (model/dec_sum.h): summing through the view `cell` in SQL
 * parsed every cell's JSON again for each column, twice the time the cell
 * rows had taken. */
#include "store/store_sqlite.h"
#include "base/xalloc.h"
#include "model/dec_sum.h"
#include <stdlib.h>
#include <string.h>

/* One cell id's total over the reports. */
typedef struct {
    char *key;    /* "tab\0row\0col" */
    size_t klen;
    int64_t seq;  /* its smallest place in a report: the order given back */
    size_t first; /* when it was first seen (same place: that order) */
    nb_dec_sum sum;
    int nvalue, nna;
} total;

typedef struct {
    total *v;
    size_t n, cap;
    size_t *slot; /* open addressing: index + 1, 0 free; nslot a power of 2, at most half full */
    size_t nslot;
    nb_strbuf key; /* the key of the cell being added */
} totals;

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void grow(totals *t)
{
    size_t n = t->nslot ? t->nslot * 2 : 1024;
    size_t *slot = nb_xcalloc(n, sizeof *slot);
    for (size_t i = 0; i < t->n; i++) {
        size_t h = hash(t->v[i].key, t->v[i].klen) & (n - 1);
        while (slot[h])
            h = (h + 1) & (n - 1);
        slot[h] = i + 1;
    }
    free(t->slot);
    t->slot = slot;
    t->nslot = n;
}

static total *find_or_add(totals *t, int64_t seq)
{
    const char *k = t->key.data;
    size_t n = t->key.len;
    if (2 * (t->n + 1) > t->nslot)
        grow(t);
    size_t h = hash(k, n) & (t->nslot - 1);
    for (; t->slot[h]; h = (h + 1) & (t->nslot - 1)) {
        total *e = &t->v[t->slot[h] - 1];
        if (e->klen == n && memcmp(e->key, k, n) == 0)
            return e;
    }
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 256;
        t->v = nb_xrealloc(t->v, t->cap * sizeof *t->v);
    }
    total *e = &t->v[t->n];
    *e = (total){.key = nb_xmalloc(n + 1), .klen = n, .seq = seq, .first = t->n};
    memcpy(e->key, k, n + 1);
    t->slot[h] = ++t->n;
    return e;
}

static bool add_cell(void *ud, const nb_sq_cell_text *c, nb_strbuf *b)
{
    (void)b;
    totals *t = ud;
    t->key.len = 0;
    for (int i = 0; i < 3; i++) {
        nb_sb_append(&t->key, c->s[i].p, c->s[i].n);
        if (i < 2)
            nb_sb_append(&t->key, "", 1); /* a NUL between the ids */
    }
    total *e = find_or_add(t, c->seq);
    if (c->seq < e->seq)
        e->seq = c->seq;
    if (nb_sq_is(c->s[4], "value")) {
        e->nvalue++;
        nb_dec_sum_add(&e->sum, c->micro, 1); /* 2^64 cells of int64 would not pass 2^127 */
    } else if (nb_sq_is(c->s[4], "na")) {
        e->nna++;
    }
    return true;
}

static int by_place(const void *a, const void *b)
{
    const total *x = a, *y = b;
    if (x->seq != y->seq)
        return x->seq < y->seq ? -1 : 1;
    return x->first < y->first ? -1 : x->first > y->first;
}

static int by_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

bool nb_sq_sum(void *impl, const int64_t *ids, size_t n, nb_store_sum_fn fn, void *ud, nb_strbuf *err)
{
    nb_sq *q = impl;
    totals t = {0};
    nb_sb_init(&t.key);
    int64_t *sorted = nb_xmalloc((n ? n : 1) * sizeof *sorted); /* each report once */
    memcpy(sorted, ids, n * sizeof *ids);
    qsort(sorted, n, sizeof *sorted, by_id);
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        if (i && sorted[i] == sorted[i - 1])
            continue;
        sqlite3_stmt *st = nb_sq_stmt(q, SQ_GET_CELLS, err);
        if (!st) {
            ok = false;
            break;
        }
        sqlite3_bind_int64(st, 1, sorted[i]);
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && !nb_sq_cells_each((const char *)sqlite3_column_text(st, 0),
                                                  (size_t)sqlite3_column_bytes(st, 0), add_cell, &t)) {
            nb_sb_printf(err, "%s：库中编号为 %lld 的报告的单元格数据已损坏，请从备份恢复或重新导入该文件\n", q->path,
                         (long long)sorted[i]);
            ok = false;
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            nb_sq_error(q, "汇总", err);
            ok = false;
        }
        sqlite3_reset(st);
    }
    if (ok && t.n)
        qsort(t.v, t.n, sizeof *t.v, by_place);
    for (size_t i = 0; ok && i < t.n; i++) {
        total *e = &t.v[i];
        const char *row = e->key + strlen(e->key) + 1, *col = row + strlen(row) + 1;
        if (e->sum > INT64_MAX || e->sum < INT64_MIN) {
            nb_sb_printf(err, "%s：单元格 %s.%s.%s 的合计超出可表示的范围（约 9.2 万亿），无法汇总\n", q->path, e->key,
                         row, col);
            ok = false;
            break;
        }
        nb_store_sum_cell c = {.table = e->key, .row = row, .col = col, .micro = (int64_t)e->sum,
                               .nvalue = e->nvalue, .nna = e->nna};
        if (!fn(ud, &c))
            break;
    }
    for (size_t i = 0; i < t.n; i++)
        free(t.v[i].key);
    free(t.v);
    free(t.slot);
    free(sorted);
    nb_sb_free(&t.key);
    return ok;
}
