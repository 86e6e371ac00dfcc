/* See accept_list.h. */
#include "cli/accept_list.h"
#include "io/term_text.h"
#include "base/errno_zh.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum { NCOLS = 7, MAXFIELD = 64 };

typedef struct {
    char *rule, *unit, *loc, *reason, *who, *date;
    char *message; /* from a JSON baseline: the finding's message (matched when it has no location) */
    int year;      /* 0 = any ("*") */
    unsigned line;
    size_t hits;
    bool seen; /* a report of this unit and year was checked */
} entry;

typedef struct {
    entry *e;
    size_t n, cap;
    const char *path;
} entries;

struct nb_accept {
    entries acc, base;
    size_t naccepted, nknown;
};

nb_accept *nb_accept_new(void) { return nb_xcalloc(1, sizeof(nb_accept)); }

static void entries_free(entries *es)
{
    for (size_t i = 0; i < es->n; i++) {
        entry *e = &es->e[i];
        free(e->rule), free(e->unit), free(e->loc), free(e->reason), free(e->who), free(e->date), free(e->message);
    }
    free(es->e);
}

void nb_accept_free(nb_accept *a)
{
    if (!a)
        return;
    entries_free(&a->acc);
    entries_free(&a->base);
    free(a);
}

static entry *entries_add(entries *es)
{
    if (es->n == es->cap) {
        es->cap = es->cap ? es->cap * 2 : 16;
        es->e = nb_xrealloc(es->e, es->cap * sizeof *es->e);
    }
    entry *e = &es->e[es->n++];
    memset(e, 0, sizeof *e);
    return e;
}

static char *dup_trim(const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *d = nb_xmalloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

/* a line that cannot be split: the fields read so far are freed */
static int drop_fields(char **out, int n)
{
    while (n > 0)
        free(out[--n]);
    return -1;
}

/* Splits line into at most MAXFIELD fields: by tabs when it has one, else by
 * commas with CSV quoting ("a, b" and "" for a quote).  Returns the count, or
 * -1 for an unclosed quote. */
static int split(const char *line, char **out)
{
    int n = 0;
    if (strchr(line, '\t')) {
        for (const char *p = line;; p++) {
            const char *t = strchr(p, '\t');
            size_t len = t ? (size_t)(t - p) : strlen(p);
            if (n == MAXFIELD)
                return n;
            out[n++] = dup_trim(p, len);
            if (!t)
                return n;
            p = t;
        }
    }
    const char *p = line;
    for (;;) {
        if (n == MAXFIELD)
            return n;
        while (*p == ' ')
            p++;
        if (*p == '"') {
            size_t cap = strlen(p) + 1, k = 0;
            char *d = nb_xmalloc(cap);
            for (p++;; p++) {
                if (*p == '\0') {
                    free(d);
                    return drop_fields(out, n);
                }
                if (*p == '"' && p[1] == '"')
                    d[k++] = '"', p++;
                else if (*p == '"')
                    break;
                else
                    d[k++] = *p;
            }
            d[k] = '\0';
            out[n++] = d;
            p++;
            while (*p == ' ')
                p++;
            if (*p != ',' && *p != '\0')
                return drop_fields(out, n);
        } else {
            const char *c = strchr(p, ',');
            out[n++] = dup_trim(p, c ? (size_t)(c - p) : strlen(p));
            p = c ? c : p + strlen(p);
        }
        if (*p == '\0')
            return n;
        p++; /* the comma */
    }
}

static bool bad(const char *path, unsigned line, const char *msg)
{
    nb_printf_term(stderr, "nianbao check: %s:%u：%s\n（格式见 docs/accept.md；nianbao check --help）\n", path, line, msg);
    return false;
}

static bool parse_year(const char *s, int *year)
{
    if (strcmp(s, "*") == 0) {
        *year = 0;
        return true;
    }
    char *end;
    long y = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || y < 1990 || y > 2100)
        return false;
    *year = (int)y;
    return true;
}

static bool is_date(const char *s)
{
    if (!*s)
        return true;
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    return true;
}

/* One line of the plain format; false (after the message) on a bad line. */
static bool plain_line(entries *es, const char *path, unsigned ln, const char *line, bool baseline, bool *header_ok)
{
    char *f[MAXFIELD];
    int n = split(line, f);
    if (n < 0)
        return bad(path, ln, "引号没有闭合");
    bool ok = true;
    const char *why = NULL;
    if (*header_ok && n > 0 && (strcmp(f[0], "rule") == 0 || strcmp(f[0], "规则") == 0)) {
        *header_ok = false; /* a header line */
        goto done;
    }
    *header_ok = false;
    int year = 0;
    if (n < (baseline ? 4 : 5) || n > NCOLS)
        why = baseline ? "应有 4 至 7 列：规则、单位、年度、位置（及理由、确认人、日期），以制表符或逗号分隔"
                       : "应有 5 至 7 列：规则、单位、年度、位置、理由（及确认人、日期），以制表符或逗号分隔";
    else if (!*f[0] || strspn(f[0], "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") != strlen(f[0]))
        why = "第 1 列应为规则编号（如 T3-COL，见 nianbao rules）";
    else if (!*f[1])
        why = "第 2 列应为单位名称（报告所写的单位；* 为任何单位）";
    else if (!parse_year(f[2], &year))
        why = "第 3 列应为报告年度（四位数的年份；* 为任何年度）";
    else if (!baseline && !*f[4])
        why = "第 5 列应写明接受的理由";
    else if (n == NCOLS && !is_date(f[6]))
        why = "第 7 列应为日期，写作 2024-03-01";
    if (why) {
        ok = bad(path, ln, why);
        goto done;
    }
    entry *e = entries_add(es);
    e->rule = f[0], e->unit = f[1], e->loc = f[3];
    e->reason = n > 4 ? f[4] : NULL, e->who = n > 5 ? f[5] : NULL, e->date = n > 6 ? f[6] : NULL;
    e->year = year, e->line = ln;
    free(f[2]);
    return true;
done:
    for (int i = 0; i < n; i++)
        free(f[i]);
    return ok;
}

static char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? nb_xstrdup(v->valuestring) : NULL;
}

/* The location of a finding as written in the file: table[.row[.column]]. */
static char *loc_of(const char *table, const char *row, const char *col)
{
    if (!table)
        return nb_xstrdup("-");
    size_t n = strlen(table) + (row ? strlen(row) + 1 : 0) + (col ? strlen(col) + 1 : 0) + 1;
    char *s = nb_xmalloc(n);
    snprintf(s, n, "%s%s%s%s%s", table, row ? "." : "", row ? row : "", col ? "." : "", col ? col : "");
    return s;
}

/* A baseline that is the output of check --json. */
static bool json_baseline(entries *es, const char *path, const char *text)
{
    cJSON *root = cJSON_Parse(text);
    const cJSON *reports = cJSON_GetObjectItemCaseSensitive(root, "reports");
    if (!cJSON_IsArray(reports)) {
        cJSON_Delete(root);
        return bad(path, 1, "不是 nianbao check --json 的输出（没有 reports 数组）");
    }
    const cJSON *r;
    cJSON_ArrayForEach(r, reports)
    {
        const cJSON *fs = cJSON_GetObjectItemCaseSensitive(r, "findings"), *y = cJSON_GetObjectItemCaseSensitive(r, "year"), *f;
        char *agency = jstr(r, "agency");
        cJSON_ArrayForEach(f, fs)
        {
            char *rule = jstr(f, "rule");
            if (!rule)
                continue;
            entry *e = entries_add(es);
            e->rule = rule;
            e->unit = agency ? nb_xstrdup(agency) : nb_xstrdup("");
            e->year = cJSON_IsNumber(y) ? (int)y->valuedouble : -1;
            char *t = jstr(f, "table"), *rw = jstr(f, "row"), *c = jstr(f, "column");
            e->loc = loc_of(t, rw, c);
            free(t), free(rw), free(c);
            e->message = jstr(f, "message");
            e->line = 1;
        }
        free(agency);
    }
    cJSON_Delete(root);
    return true;
}

bool nb_accept_load(nb_accept *a, const char *path, bool baseline)
{
    const char *opt = baseline ? "--baseline" : "--accept";
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        nb_printf_term(stderr, "nianbao check: %s %s：无法打开（%s）\n", opt, path, nb_errno_zh(errno));
        return false;
    }
    entries *es = baseline ? &a->base : &a->acc;
    es->path = path;
    char *line = NULL, *all = NULL;
    size_t cap = 0, alen = 0;
    ssize_t n;
    unsigned ln = 0;
    bool ok = true, header_ok = true, first = true;
    while (ok && (n = getline(&line, &cap, fp)) >= 0) {
        ln++;
        if (first && baseline && line[strspn(line, " \t\r\n")] == '{') {
            all = nb_xmalloc((size_t)n + 1); /* JSON: read the whole file */
            memcpy(all, line, (size_t)n + 1);
            alen = (size_t)n;
            while ((n = getline(&line, &cap, fp)) >= 0) {
                all = nb_xrealloc(all, alen + (size_t)n + 1);
                memcpy(all + alen, line, (size_t)n + 1);
                alen += (size_t)n;
            }
            ok = json_baseline(es, path, all);
            break;
        }
        first = false;
        if (!nb_utf8_valid(line, (size_t)n)) {
            ok = bad(path, ln, "不是 UTF-8 文字（请以 UTF-8 保存）");
            break;
        }
        if (ln == 1 && (unsigned char)line[0] == 0xEF && (unsigned char)line[1] == 0xBB && (unsigned char)line[2] == 0xBF)
            memmove(line, line + 3, (size_t)n - 2), n -= 3; /* a byte-order mark */
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        const char *p = line + strspn(line, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        ok = plain_line(es, path, ln, line, baseline, &header_ok);
    }
    if (ok && ferror(fp))
        ok = bad(path, ln, "读取出错");
    free(line);
    free(all);
    fclose(fp);
    return ok;
}

bool nb_accept_open(const char *accept_path, const char *baseline_path, nb_accept **out)
{
    *out = NULL;
    if (!accept_path && !baseline_path)
        return true;
    nb_accept *a = nb_accept_new();
    if ((accept_path && !nb_accept_load(a, accept_path, false)) || (baseline_path && !nb_accept_load(a, baseline_path, true))) {
        nb_accept_free(a);
        return false;
    }
    *out = a;
    return true;
}

static bool loc_match(const char *want, const char *have)
{
    if (strcmp(want, "*") == 0)
        return true;
    if (!*want)
        want = "-";
    size_t n = strlen(want);
    return strcmp(want, have) == 0 || (strncmp(want, have, n) == 0 && have[n] == '.');
}

static bool report_match(const entry *e, const nb_report *r)
{
    if (e->year && e->year != (r->year ? r->year : -1))
        return false;
    if (strcmp(e->unit, "*") == 0)
        return true;
    return strcmp(e->unit, r->agency ? r->agency : "") == 0;
}

/* The entry of es that accepts f (of a report every entry of which fits). */
static entry *find(entries *es, const nb_report *r, const nb_finding *f, const char *loc)
{
    for (size_t i = 0; i < es->n; i++) {
        entry *e = &es->e[i];
        if (strcmp(e->rule, f->rule) != 0 || !report_match(e, r) || !loc_match(e->loc, loc))
            continue;
        if (e->message && !f->table && strcmp(e->message, f->message) != 0)
            continue; /* a finding without a cell is told apart by its words */
        return e;
    }
    return NULL;
}

void nb_accept_apply(nb_accept *a, const nb_report *r, nb_findings *fs)
{
    if (!a || !r)
        return;
    for (size_t i = 0; i < a->acc.n; i++)
        if (report_match(&a->acc.e[i], r))
            a->acc.e[i].seen = true;
    size_t k = 0;
    for (size_t i = 0; i < fs->n; i++) {
        nb_finding *f = &fs->items[i];
        char *loc = loc_of(f->table, f->row, f->col);
        entry *b = find(&a->base, r, f, loc), *e = b ? NULL : find(&a->acc, r, f, loc);
        free(loc);
        if (b) {
            a->nknown++; /* known from the baseline: not shown */
            continue;
        }
        if (e) {
            e->hits++;
            a->naccepted++;
            nb_finding_set(fs, &f->accepted, e->reason);
        }
        fs->items[k++] = *f;
    }
    fs->n = k;
}

void nb_accept_summary(const nb_accept *a, FILE *out)
{
    if (a && a->naccepted)
        fprintf(out, "，%zu 个已接受", a->naccepted);
    if (a && a->nknown)
        fprintf(out, "，%zu 个已在基线中（未列出）", a->nknown);
}

size_t nb_accept_warn_stale(const nb_accept *a, FILE *err)
{
    size_t n = 0;
    for (size_t i = 0; a && i < a->acc.n; i++) {
        const entry *e = &a->acc.e[i];
        if (!e->seen || e->hits)
            continue;
        n++;
        fprintf(err, "nianbao check: %s:%u：警告：这条已接受的问题不再出现（%s，%s，", a->acc.path, e->line, e->rule, e->unit);
        if (e->year)
            fprintf(err, "%d", e->year);
        else
            fputs("*", err);
        fprintf(err, "，%s），可从清单中删去\n", *e->loc ? e->loc : "-");
    }
    return n;
}

void nb_accept_json(const nb_accept *a, cJSON *summary)
{
    if (!a)
        return;
    cJSON_AddNumberToObject(summary, "accepted", (double)a->naccepted);
    cJSON_AddNumberToObject(summary, "baseline_known", (double)a->nknown);
    cJSON *arr = cJSON_AddArrayToObject(summary, "stale_accepts");
    for (size_t i = 0; i < a->acc.n; i++) {
        const entry *e = &a->acc.e[i];
        if (!e->seen || e->hits)
            continue;
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "file", a->acc.path);
        cJSON_AddNumberToObject(o, "line", e->line);
        cJSON_AddStringToObject(o, "rule", e->rule);
        cJSON_AddStringToObject(o, "unit", e->unit);
        cJSON_AddStringToObject(o, "location", e->loc);
        cJSON_AddItemToArray(arr, o);
    }
}
