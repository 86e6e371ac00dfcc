/* See check_result.h.  The bytes: u32 kind, strings err, reason, format_id,
 * agency, i32 year, u32 count, then per finding u32 severity, u32 line and
 * the strings rule, message, table, table_label, row, row_label, col,
 * col_label, expected, actual, accepted, as base/byte_cursor.h writes
 * numbers and strings. */
#include "cli/check_result.h"
#include "base/byte_cursor.h"
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

void nb_check_result_put(nb_strbuf *out, const nb_check_result *r)
{
    nb_put_u32(out, (uint32_t)r->kind);
    nb_put_str(out, r->err);
    nb_put_str(out, r->reason);
    nb_put_str(out, r->format_id);
    nb_put_str(out, r->agency);
    nb_put_u32(out, (uint32_t)(int32_t)r->year);
    nb_put_u32(out, (uint32_t)r->fs.n);
    for (size_t i = 0; i < r->fs.n; i++) {
        const nb_finding *f = &r->fs.items[i];
        nb_put_u32(out, (uint32_t)f->severity);
        nb_put_u32(out, f->line);
        const char *s[] = {f->rule,      f->message, f->table,    f->table_label, f->row,    f->row_label,
                           f->col,       f->col_label, f->expected, f->actual,     f->accepted};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++)
            nb_put_str(out, s[k]);
    }
}

bool nb_check_result_read(nb_check_result *r, const char *buf, size_t n)
{
    nb_check_result_init(r);
    nb_byte_cursor rd = nb_byte_cursor_of(buf, n);
    uint32_t kind = nb_take_u32(&rd);
    r->kind = kind <= NB_CR_SKIPPED ? (nb_cr_kind)kind : NB_CR_UNREADABLE;
    r->err = nb_take_strdup(&rd);
    r->reason = nb_take_strdup(&rd);
    r->format_id = nb_take_strdup(&rd);
    r->agency = nb_take_strdup(&rd);
    r->year = (int)(int32_t)nb_take_u32(&rd);
    size_t count = nb_take_count(&rd, 13 * 4); /* a finding: 13 u32 at least */
    if (kind > NB_CR_SKIPPED)
        rd.bad = true;
    for (size_t i = 0; i < count && !rd.bad; i++) {
        if (r->fs.n == r->fs.cap) {
            r->fs.cap = r->fs.cap ? r->fs.cap * 2 : 16;
            r->fs.items = nb_xrealloc(r->fs.items, r->fs.cap * sizeof *r->fs.items);
        }
        nb_finding *f = &r->fs.items[r->fs.n++];
        memset(f, 0, sizeof *f);
        uint32_t sev = nb_take_u32(&rd);
        f->severity = sev <= NB_SEV_VERIFY ? (nb_severity)sev : NB_SEV_ERROR;
        f->line = nb_take_u32(&rd);
        const char **s[] = {&f->rule,      &f->message,   &f->table,    &f->table_label, &f->row,     &f->row_label,
                            &f->col,       &f->col_label, &f->expected, &f->actual,      &f->accepted};
        for (size_t k = 0; k < sizeof s / sizeof *s; k++)
            *s[k] = nb_take_str_in(&rd, &r->fs.arena);
        if (!f->rule || !f->message || sev > NB_SEV_VERIFY)
            rd.bad = true;
    }
    if (!nb_byte_cursor_done(&rd)) {
        nb_check_result_free(r);
        nb_check_result_init(r);
        return false;
    }
    return true;
}
