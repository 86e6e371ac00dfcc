/* See check_result.h.  The bytes: u32 kind, strings err, reason, format_id,
 * agency, i32 year, u32 count, then per finding u32 severity, u32 line and
 * the strings rule, message, table, table_label, row, row_label, col,
 * col_label, expected, actual, accepted.  A string is u32 length and its
 * bytes; UINT32_MAX stands for NULL.  Written and read on one machine by one
 * binary, so in the host's byte order. */
#include "cli/check_result.h"
#include "base/xalloc.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void nb_check_result_init(nb_check_result *r)
{
    memset(r, 0, sizeof *r);
    nb_findings_init(&r->fs);
}

void nb_check_result_free(nb_check_result *r)
{
    free(r->err);
    free(r->reason);
    free(r->format_id);
    free(r->agency);
    nb_findings_free(&r->fs);
    memset(r, 0, sizeof *r);
}

static void put_u32(uint32_t v, FILE *out)
{
    fwrite(&v, sizeof v, 1, out);
}

static void put_str(const char *s, FILE *out)
{
    if (!s) {
        put_u32(UINT32_MAX, out);
        return;
    }
    size_t n = strlen(s);
    put_u32((uint32_t)n, out);
    fwrite(s, 1, n, out);
}

void nb_check_result_write(const nb_check_result *r, FILE *out)
{
    put_u32((uint32_t)r->kind, out);
    put_str(r->err, out);
    put_str(r->reason, out);
    put_str(r->format_id, out);
    put_str(r->agency, out);
    put_u32((uint32_t)(int32_t)r->year, out);
    put_u32((uint32_t)r->fs.n, out);
    for (size_t i = 0; i < r->fs.n; i++) {
        const nb_finding *f = &r->fs.items[i];
        put_u32((uint32_t)f->severity, out);
        put_u32(f->line, out);
        const char *s[] = {f->rule,      f->message, f->table,    f->table_label, f->row,    f->row_label,
                           f->col,       f->col_label, f->expected, f->actual,     f->accepted};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++)
            put_str(s[k], out);
    }
}

typedef struct {
    const char *p, *end;
    bool bad;
} reader;

static uint32_t get_u32(reader *rd)
{
    uint32_t v = 0;
    if ((size_t)(rd->end - rd->p) < sizeof v) {
        rd->bad = true;
        return 0;
    }
    memcpy(&v, rd->p, sizeof v);
    rd->p += sizeof v;
    return v;
}

/* A string into the arena (a != NULL) or malloc'd. */
static char *get_str(reader *rd, nb_arena *a)
{
    uint32_t n = get_u32(rd);
    if (rd->bad || n == UINT32_MAX)
        return NULL;
    if ((size_t)(rd->end - rd->p) < n) {
        rd->bad = true;
        return NULL;
    }
    char *s = a ? nb_arena_strndup(a, rd->p, n) : nb_xmalloc((size_t)n + 1);
    if (!a) {
        memcpy(s, rd->p, n);
        s[n] = '\0';
    }
    rd->p += n;
    return s;
}

bool nb_check_result_read(nb_check_result *r, const char *buf, size_t n)
{
    nb_check_result_init(r);
    reader rd = {.p = buf, .end = buf + n};
    uint32_t kind = get_u32(&rd);
    r->kind = kind <= NB_CR_SKIPPED ? (nb_cr_kind)kind : NB_CR_UNREADABLE;
    r->err = get_str(&rd, NULL);
    r->reason = get_str(&rd, NULL);
    r->format_id = get_str(&rd, NULL);
    r->agency = get_str(&rd, NULL);
    r->year = (int)(int32_t)get_u32(&rd);
    uint32_t count = get_u32(&rd);
    /* each finding takes at least 13 u32: a count beyond the bytes is bad */
    if (kind > NB_CR_SKIPPED || count > (size_t)(rd.end - rd.p) / (13 * sizeof(uint32_t)))
        rd.bad = true;
    for (uint32_t i = 0; i < count && !rd.bad; i++) {
        if (r->fs.n == r->fs.cap) {
            r->fs.cap = r->fs.cap ? r->fs.cap * 2 : 16;
            r->fs.items = nb_xrealloc(r->fs.items, r->fs.cap * sizeof *r->fs.items);
        }
        nb_finding *f = &r->fs.items[r->fs.n++];
        memset(f, 0, sizeof *f);
        uint32_t sev = get_u32(&rd);
        f->severity = sev <= NB_SEV_VERIFY ? (nb_severity)sev : NB_SEV_ERROR;
        f->line = get_u32(&rd);
        const char **s[] = {&f->rule,      &f->message,   &f->table,    &f->table_label, &f->row,     &f->row_label,
                            &f->col,       &f->col_label, &f->expected, &f->actual,      &f->accepted};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++)
            *s[k] = get_str(&rd, &r->fs.arena);
        if (!f->rule || !f->message || sev > NB_SEV_VERIFY)
            rd.bad = true;
    }
    if (rd.bad || rd.p != rd.end) {
        nb_check_result_free(r);
        nb_check_result_init(r);
        return false;
    }
    return true;
}
