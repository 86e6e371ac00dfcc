/* See csv_reader.h.  The encoding is decided before parsing: a byte-order
 * mark wins; then valid UTF-8; then GB18030 (a superset of GBK), accepted
 * only when what it decodes to looks like Chinese text (mostly GB2312
 * characters, no private-use code points), so Big5, Shift-JIS or Latin-1
 * bytes are refused instead of turned into plausible-looking nonsense. */
#include "io/csv_reader.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include "io/lib_alloc.h"
#include <csv.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char SAVE_AS[] = "请在 Excel/WPS 中“另存为”CSV（UTF-8 或 GBK 编码）";

static uint32_t line_at(const char *s, size_t off)
{
    uint32_t line = 1;
    for (size_t i = 0; i < off; i++)
        line += s[i] == '\n';
    return line;
}

static void fail(nb_csv_error *err, uint32_t line, uint32_t column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(nb_csv_error *err, uint32_t line, uint32_t column, const char *fmt, ...)
{
    err->line = line;
    err->column = column;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

/* Offset of the first byte that is not valid UTF-8 (strict: no overlong
 * forms, no surrogates), or len. */
/* iconv from `from` to UTF-8; on a byte it cannot convert returns NULL with
 * *bad set to its offset in data. */
static char *convert(const char *from, const char *data, size_t len, size_t *outlen, size_t *bad)
{
    iconv_t cd = iconv_open("UTF-8", from);
    if (cd == (iconv_t)-1) {
        *bad = 0;
        return NULL;
    }
    size_t cap = len * 2 + 16;
    char *out = nb_xmalloc(cap);
    char *in = (char *)data, *o = out;
    size_t inleft = len, oleft = cap - 1;
    while (inleft > 0) {
        if (iconv(cd, &in, &inleft, &o, &oleft) != (size_t)-1)
            continue;
        if (errno == E2BIG) {
            size_t used = (size_t)(o - out);
            cap *= 2;
            out = nb_xrealloc(out, cap);
            o = out + used;
            oleft = cap - used - 1;
            continue;
        }
        *bad = (size_t)(in - data);
        free(out);
        iconv_close(cd);
        return NULL;
    }
    iconv_close(cd);
    *o = '\0';
    *outlen = (size_t)(o - out);
    return out;
}

/* GB18030 bytes that decode but do not look like Chinese text: the offset of
 * the first suspicious character when they are too many, else len. */
static size_t gbk_implausible_at(const unsigned char *s, size_t len)
{
    size_t i = 0, common = 0, odd = 0, first_odd = len;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n = (i + 1 < len && s[i + 1] >= 0x30 && s[i + 1] <= 0x39) ? 4 : 2;
        /* GB2312 symbols (rows 1-3, 8-9) and hanzi (rows 16-87); kana, Greek and
         * Cyrillic (rows 4-7) are what Big5's commonest characters turn into */
        bool gb2312 = n == 2 && i + 1 < len && ((c >= 0xA1 && c <= 0xA3) || c == 0xA8 || c == 0xA9 || (c >= 0xB0 && c <= 0xF7)) &&
                      s[i + 1] >= 0xA1 && s[i + 1] <= 0xFE;
        bool pua = n == 2 && i + 1 < len && ((c >= 0xAA && c <= 0xAF) || c >= 0xF8) && s[i + 1] >= 0xA1;
        if (gb2312 && !pua) {
            common++;
        } else {
            odd++;
            if (first_odd == len)
                first_odd = i;
            if (pua)
                return i; /* user-defined area: never in real text */
        }
        i += n;
    }
    return (odd > 2 && odd * 4 > common + odd) ? first_odd : len;
}

char *nb_text_to_utf8(const char *data, size_t len, size_t *outlen, const char **encoding, nb_csv_error *err)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t bad = 0;
    if (len >= 4 && memcmp(data, "PK\x03\x04", 4) == 0) {
        fail(err, 0, 0, "这是 Excel 工作簿（.xlsx）或压缩文件，不是 CSV 文本：%s", SAVE_AS);
        return NULL;
    }
    if (len >= 4 && memcmp(data, "\xD0\xCF\x11\xE0", 4) == 0) {
        fail(err, 0, 0, "这是旧版 Excel 工作簿（.xls），不是 CSV 文本：%s", SAVE_AS);
        return NULL;
    }
    if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        *encoding = u[0] == 0xFF ? "UTF-16LE" : "UTF-16BE";
        char *out = convert(*encoding, data + 2, len - 2, outlen, &bad);
        if (!out)
            fail(err, 0, 0, "文件标明是 %s 编码，但第 %zu 个字节起无法按此编码读取：%s", *encoding, bad + 3, SAVE_AS);
        return out;
    }
    if (memchr(data, '\0', len)) {
        fail(err, line_at(data, (size_t)((const char *)memchr(data, '\0', len) - data)), 0,
             "含有 NUL 字节：这是二进制文件，不是文本：%s", SAVE_AS);
        return NULL;
    }
    bool bom = len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF;
    size_t skip = bom ? 3 : 0;
    size_t invalid = nb_utf8_strict_prefix(data + skip, len - skip);
    if (invalid == len - skip) {
        *encoding = bom ? "UTF-8 BOM" : "UTF-8";
        *outlen = len - skip;
        char *out = nb_xmalloc(*outlen + 1);
        memcpy(out, data + skip, *outlen);
        out[*outlen] = '\0';
        return out;
    }
    if (bom) {
        fail(err, line_at(data, skip + invalid), 0,
             "文件以 UTF-8 标记开头，但这一行含有不是 UTF-8 的字节（0x%02X）：文件可能混用了两种编码；%s", u[skip + invalid],
             SAVE_AS);
        return NULL;
    }
    /* valid UTF-8 Chinese (three-byte sequences) up to a bad byte: a UTF-8
     * file with a bad part; two-byte ones are what GBK pairs often look like */
    for (size_t i = skip; i < skip + invalid; i++)
        if (u[i] >= 0xE0) {
            fail(err, line_at(data, skip + invalid), 0,
                 "文件是 UTF-8 编码，但这一行含有不是 UTF-8 的字节（0x%02X）：文件可能混用了两种编码；%s", u[skip + invalid],
                 SAVE_AS);
            return NULL;
        }
    char *out = convert("GB18030", data, len, outlen, &bad);
    if (!out) {
        fail(err, line_at(data, bad), 0,
             "无法确定文件编码：它既不是 UTF-8，也不是 GBK/GB18030（这一行有无法识别的字节 0x%02X）；%s",
             bad < len ? u[bad] : 0, SAVE_AS);
        return NULL;
    }
    size_t odd = gbk_implausible_at(u, len);
    if (odd < len) {
        free(out);
        fail(err, line_at(data, odd), 0,
             "无法确定文件编码：它不是 UTF-8，按 GBK 读出来又不像中文（可能是 Big5、Shift-JIS 或西文编码）；%s", SAVE_AS);
        return NULL;
    }
    *encoding = "GB18030";
    return out;
}

/* ---- parsing ---- */

typedef struct {
    nb_csv *csv;
    uint32_t line;       /* line being fed to the parser */
    const char **cur;    /* fields of the record being read (arena strings) */
    size_t ncur, capcur;
    uint32_t row_line;
} parse_ctx;

static void on_field(void *s, size_t len, void *data)
{
    parse_ctx *c = data;
    const char *text = s ? s : "";
    if (!s)
        len = 0;
    if (c->ncur == 0) {
        uint32_t newlines = 0;
        for (size_t i = 0; i < len; i++)
            newlines += text[i] == '\n';
        c->row_line = c->line - newlines;
    }
    if (c->ncur == c->capcur) {
        c->capcur = c->capcur ? c->capcur * 2 : 16;
        c->cur = nb_xrealloc(c->cur, c->capcur * sizeof *c->cur);
    }
    c->csv->bytes += ((len + 16) & ~(size_t)15) + sizeof *c->cur;
    if (c->csv->bytes > c->csv->max_bytes) { /* one long line: stop making cells, fail at its end */
        c->ncur = 0;
        return;
    }
    /* an empty field (most of a sheet padded to its widest table) is one
     * shared "": no copy, and Lua's cache of C strings by address finds it
     * as the same string each time it is pushed */
    c->cur[c->ncur++] = len ? nb_arena_strndup(&c->csv->arena, text, len) : "";
}

static void on_row(int term, void *data)
{
    (void)term;
    parse_ctx *c = data;
    nb_csv *csv = c->csv;
    if (csv->nrows == csv->cap) {
        csv->cap = csv->cap ? csv->cap * 2 : 64;
        csv->rows = nb_xrealloc(csv->rows, csv->cap * sizeof *csv->rows);
    }
    csv->bytes += 2 * sizeof(nb_csv_row) + 16;
    nb_csv_row *r = &csv->rows[csv->nrows++];
    r->ncells = c->ncur;
    r->line = c->row_line;
    r->cells = nb_arena_alloc(&csv->arena, (c->ncur ? c->ncur : 1) * sizeof *r->cells);
    memcpy(r->cells, c->cur, c->ncur * sizeof *r->cells);
    c->ncur = 0;
}

static int only_space(unsigned char ch) { return ch == ' '; }

/* Line and field of the quote that is never closed (scanning as libcsv
 * does in strict mode: a quote opens only at the start of a field). */
static void unclosed_quote(const char *s, size_t len, char delim, uint32_t *line, uint32_t *column)
{
    bool in = false, field_start = true;
    uint32_t l = 1, col = 1, open_line = 1, open_col = 1;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (in) {
            if (ch == '"') {
                if (i + 1 < len && s[i + 1] == '"')
                    i++;
                else
                    in = false;
            }
        } else if (ch == '"' && field_start) {
            in = true, open_line = l, open_col = col;
        } else if (ch == delim) {
            col++;
            field_start = true;
            continue;
        } else if (ch == '\n') {
            col = 1;
        }
        if (ch == '\n')
            l++;
        field_start = ch == '\n' || (field_start && ch == ' ');
    }
    *line = open_line;
    *column = open_col;
}

static char detect_delimiter(const char *s, size_t len)
{
    size_t commas = 0, tabs = 0;
    bool in = false;
    for (size_t i = 0; i < len && (in || s[i] != '\n'); i++) {
        if (s[i] == '"')
            in = !in;
        else if (!in && s[i] == ',')
            commas++;
        else if (!in && s[i] == '\t')
            tabs++;
    }
    return tabs > 0 && commas == 0 ? '\t' : ',';
}

void nb_csv_free(nb_csv *csv)
{
    if (!csv)
        return;
    free(csv->rows);
    nb_arena_free(&csv->arena);
    free(csv);
}

static bool parse(nb_csv *csv, const char *s, size_t n, nb_csv_error *err)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        fail(err, 0, 0, "内存不足，无法读取 CSV");
        return false;
    }
    nb_lib_alloc_csv(&p);
    csv_set_delim(&p, (unsigned char)csv->delimiter);
    if (csv->delimiter == '\t')
        csv_set_space_func(&p, only_space);
    parse_ctx c = {.csv = csv};
    bool ok = true;
    size_t start = 0;
    while (ok && start < n) {
        const char *nl = memchr(s + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - s) + 1 : n;
        c.line++;
        size_t done = csv_parse(&p, s + start, end - start, on_field, on_row, &c);
        if (csv->bytes > csv->max_bytes) {
            fail(err, c.line, 0, "CSV 太大：读出的行超出了内存上限");
            err->too_big = true;
            ok = false;
        } else if (done != end - start) {
            if (csv_error(&p) == CSV_EPARSE)
                fail(err, c.line, (uint32_t)c.ncur + 1,
                     "引号用法有误（单元格中间出现了引号，或右引号后还有别的字符）：含逗号或引号的单元格应整个用英文双引号括起来，其中的引号写成两个（\"\"）");
            else if (csv_error(&p) == CSV_ENOMEM)
                fail(err, c.line, 0, "内存不足，无法读取 CSV");
            else
                fail(err, c.line, 0, "无法读取 CSV：%s", csv_strerror(csv_error(&p)));
            ok = false;
        }
        start = end;
    }
    if (ok && csv_fini(&p, on_field, on_row, &c) != 0) {
        uint32_t line, column;
        unclosed_quote(s, n, csv->delimiter, &line, &column);
        fail(err, line, column, "引号没有闭合：这个单元格以英文双引号开头，但直到文件末尾都没有找到对应的右引号");
        ok = false;
    }
    csv_free(&p);
    free(c.cur);
    return ok;
}

nb_csv *nb_csv_read(const char *data, size_t len, nb_csv_error *err)
{
    return nb_csv_read_capped(data, len, SIZE_MAX, err);
}

nb_csv *nb_csv_read_capped(const char *data, size_t len, size_t max_bytes, nb_csv_error *err)
{
    size_t n;
    const char *encoding;
    char *text = nb_text_to_utf8(data, len, &n, &encoding, err);
    if (!text)
        return NULL;
    nb_csv *csv = nb_xcalloc(1, sizeof *csv);
    nb_arena_init(&csv->arena);
    csv->max_bytes = max_bytes;
    csv->bytes = n + 1; /* the decoded text, held while parsing */
    csv->encoding = encoding;
    csv->delimiter = detect_delimiter(text, n);
    bool ok = parse(csv, text, n, err);
    free(text);
    for (size_t i = 1; ok && i < csv->nrows; i++) {
        const nb_csv_row *r = &csv->rows[i], *first = &csv->rows[0];
        if (r->ncells != first->ncells) {
            fail(err, r->line, (uint32_t)(r->ncells > first->ncells ? first->ncells + 1 : r->ncells),
                 "这一行有 %zu 列，而第 %u 行有 %zu 列：每一行的列数应相同（可能多了或少了一个%s）", r->ncells, first->line,
                 first->ncells, csv->delimiter == '\t' ? "制表符" : "逗号");
            ok = false;
        }
    }
    if (!ok) {
        nb_csv_free(csv);
        return NULL;
    }
    return csv;
}
