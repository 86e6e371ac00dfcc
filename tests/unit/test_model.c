/* Unit tests of the plain-C core: exact decimals, label normalisation, the
 * report model's cell states, and the rule engine on a format built in C —
 * no Lua state involved. */
#include "model/decimal.h"
#include "model/findings.h"
#include "model/format.h"
#include "model/format_sketch_bytes.h"
#include "model/report.h"
#include "model/rules.h"
#include "base/byte_cursor.h"
#include "base/file_bytes.h"
#include "base/text_norm.h"
#include "rules/validator.h"
#include <stdint.h>
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>


static nb_parsed parse(const char *s) { return nb_parse_cell(s, strlen(s)); }

static void test_decimal(void)
{
    CHECK(parse("").status == NB_PARSE_BLANK);
    CHECK(parse("  \t").status == NB_PARSE_BLANK);
    CHECK(parse("\xE3\x80\x80").status == NB_PARSE_BLANK); /* ideographic space */
    CHECK(parse("/").status == NB_PARSE_NA);
    CHECK(parse("—").status == NB_PARSE_NA);
    CHECK(parse("-").status == NB_PARSE_NA);
    CHECK(parse("0").status == NB_PARSE_VALUE && parse("0").micro == 0);
    CHECK(parse("12").micro == 12 * NB_DEC_SCALE && !parse("12").nonstandard);
    /* plain digits take a short path; its results must be the general ones */
    CHECK(parse("007").status == NB_PARSE_VALUE && parse("007").micro == 7 * NB_DEC_SCALE && !parse("007").nonstandard);
    CHECK(parse("12345678901").micro == 12345678901LL * NB_DEC_SCALE && !parse("12345678901").has_fraction);
    CHECK(parse("999999999999").micro == 999999999999LL * NB_DEC_SCALE);
    CHECK(parse("9999999999999").status == NB_PARSE_OVERFLOW);
    CHECK(parse("12 ").nonstandard && parse("12 ").micro == 12 * NB_DEC_SCALE);
    CHECK(parse("-15").negative && parse("-15").micro == -15 * NB_DEC_SCALE);
    CHECK(parse("24252.311082").micro == 24252311082LL);
    CHECK(parse("1.2345678").status == NB_PARSE_TOO_PRECISE);
    CHECK(parse("１２").micro == 12 * NB_DEC_SCALE && parse("１２").nonstandard);
    CHECK(parse("1,234").micro == 1234 * NB_DEC_SCALE);
    nb_parsed u = parse("251000元");
    CHECK(u.status == NB_PARSE_VALUE && strcmp(u.unit, "元") == 0 && u.micro == 251000 * NB_DEC_SCALE);
    CHECK(parse("1a").status == NB_PARSE_NOT_NUMBER);
    CHECK(parse("abc").status == NB_PARSE_NOT_NUMBER);
    CHECK(parse("99999999999999999999").status == NB_PARSE_OVERFLOW);
    char buf[32];
    nb_dec_format(24252311082LL, buf, sizeof buf);
    CHECK(strcmp(buf, "24252.311082") == 0);
    nb_dec_format(-3 * NB_DEC_SCALE, buf, sizeof buf);
    CHECK(strcmp(buf, "-3") == 0);
    nb_dec_format(25100000, buf, sizeof buf);
    CHECK(strcmp(buf, "25.1") == 0);
    nb_dec_format(0, buf, sizeof buf);
    CHECK(strcmp(buf, "0") == 0);
    nb_dec_format(1, buf, sizeof buf);
    CHECK(strcmp(buf, "0.000001") == 0);
    nb_dec_format(-500000, buf, sizeof buf);
    CHECK(strcmp(buf, "-0.5") == 0);
    nb_dec_format(INT64_MIN, buf, sizeof buf);
    CHECK(strcmp(buf, "-9223372036854.775808") == 0);
    nb_dec_format(24252311082LL, buf, 3); /* cut to the buffer, as snprintf */
    CHECK(strcmp(buf, "24") == 0);
}

static void test_norm(void)
{
    char out[128];
    const char *a = "（一）予以公开 ";
    nb_norm_label(a, strlen(a), out);
    CHECK(strcmp(out, "(一)予以公开") == 0);
    const char *b = "3.危及“三安全一稳定”";
    nb_norm_label(b, strlen(b), out);
    CHECK(strcmp(out, "3.危及三安全一稳定") == 0);
    CHECK(nb_utf8_visible_chars("总体 情况", strlen("总体 情况")) == 4);
    CHECK(nb_utf8_valid("正常", strlen("正常")));
    CHECK(!nb_utf8_valid("\xff\xfe", 2));
    /* a bad byte, or a character, anywhere in or after a run of ASCII read eight bytes at a time */
    char run[40];
    for (size_t at = 0; at < 24; at++) {
        memset(run, 'a', sizeof run);
        run[at] = (char)0xFF;
        CHECK(nb_utf8_valid_prefix(run, sizeof run) == at);
        memcpy(run + at, "\xe4\xb8\x80", 3);
        CHECK(nb_utf8_valid_prefix(run, sizeof run) == sizeof run);
        CHECK(nb_utf8_valid_prefix(run, at + 2) == at);
    }
}

/* A small format: one table, one block, rows a, b, total; columns x, y. */
static nb_format *tiny_format(void)
{
    nb_format *f = nb_format_new();
    nb_table *t = nb_arena_alloc(&f->arena, sizeof *t);
    f->tables = t;
    f->ntables = 1;
    t->id = "t";
    t->label = "表";
    t->section = "s";
    t->nblocks = 1;
    t->blocks = nb_arena_alloc(&f->arena, sizeof *t->blocks);
    t->blocks[0].id = "b";
    t->blocks[0].ncols = 2;
    t->ncols = 2;
    t->cols = nb_arena_alloc(&f->arena, 2 * sizeof *t->cols);
    t->cols[0] = (nb_column){.id = "x", .label = "X", .type = NB_TYPE_COUNT};
    t->cols[1] = (nb_column){.id = "y", .label = "Y", .type = NB_TYPE_AMOUNT, .unit = "万元"};
    t->nrows = 3;
    t->rows = nb_arena_alloc(&f->arena, 3 * sizeof *t->rows);
    const char *ids[] = {"r_a", "r_b", "total"};
    for (int i = 0; i < 3; i++)
        t->rows[i] = (nb_row){.id = ids[i], .label = ids[i], .depth = 1, .parent = -1, .data = true};
    char err[128];
    CHECK(nb_format_finish(f, err, sizeof err));
    CHECK(f->ncells == 6);
    f->rules = nb_arena_alloc(&f->arena, 2 * sizeof *f->rules);
    nb_rule *sum = &f->rules[0];
    sum->id = "SUM";
    sum->message = "合计不符";
    sum->severity = NB_SEV_ERROR;
    nb_rule_var var;
    CHECK(nb_rule_var_range(f, "t.columns", &var, err, sizeof err));
    var.name = "c";
    CHECK(nb_rule_compile(f, sum, "t.total.$c == sum(t.r_*.$c)", NULL, &var, 1, err, sizeof err));
    CHECK(sum->ninst == 2);
    f->rules[1] = (nb_rule){.id = "BLANK", .message = "空白", .severity = NB_SEV_WARNING, .kind = NB_RULE_BLANK};
    f->nrules = 2;
    /* bad assertions are refused with a reason */
    nb_rule bad = {.id = "BAD"};
    CHECK(!nb_rule_compile(f, &bad, "t.nope.x == 1", NULL, NULL, 0, err, sizeof err) && strstr(err, "没有格与"));
    CHECK(!nb_rule_compile(f, &bad, "t.r_*.x == 1", NULL, NULL, 0, err, sizeof err) && strstr(err, "sum("));
    CHECK(!nb_rule_compile(f, &bad, "t.r_a.x = 1", NULL, NULL, 0, err, sizeof err));
    /* sets of ids and globs in a reference: each alternative trimmed, a
     * cell counted once however many alternatives match it, in table order
     * (the constant a term too) */
    nb_rule set = {.id = "SET"};
    CHECK(nb_rule_compile(f, &set, "sum(t.{ total , r_a }.{x,y}) == 0", NULL, NULL, 0, err, sizeof err));
    CHECK(set.ninst == 1 && set.inst[0].nterms == 5 && set.inst[0].terms[0].cell == 0 &&
          set.inst[0].terms[3].cell == 5);
    CHECK(nb_rule_compile(f, &set, "sum(t.{r_*,r_a, total}.x) == 0", NULL, NULL, 0, err, sizeof err));
    CHECK(set.ninst == 2 && set.inst[1].nterms == 4);
    CHECK(nb_rule_compile(f, &set, "sum(t.{r_?}.{,y}) == t.{r_b}.x", NULL, NULL, 0, err, sizeof err));
    CHECK(set.ninst == 3 && set.inst[2].nterms == 3 && set.inst[2].terms[2].cell == 2);
    CHECK(!nb_rule_compile(f, &set, "sum(t.{r_ a}.x) == 0", NULL, NULL, 0, err, sizeof err) && strstr(err, "没有格与"));
    return f;
}

static void set(nb_report *r, const char *row, const char *col, const char *text)
{
    long c = nb_format_cell(r->format, "t", row, col);
    CHECK(c >= 0);
    CHECK(nb_report_set_cell(r, (size_t)c, text, strlen(text), 7) == NB_SET_OK);
}

static void test_rules(void)
{
    nb_format *f = tiny_format();
    nb_report *r = nb_report_new(f, "mem");
    set(r, "r_a", "x", "1");
    set(r, "r_b", "x", "2");
    set(r, "total", "x", "3");
    set(r, "r_a", "y", "0.5");
    set(r, "r_b", "y", "251000元"); /* 25.1 万元 */
    set(r, "total", "y", "25.6");
    nb_findings fs;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs); /* only the note that 251000元 was converted */
    CHECK(fs.n == 1 && strcmp(fs.items[0].rule, "IMPORT-UNIT") == 0 && fs.items[0].severity == NB_SEV_INFO &&
          strcmp(fs.items[0].expected, "25.1") == 0 && strcmp(fs.items[0].actual, "251000元") == 0);
    nb_findings_free(&fs);
    set(r, "r_b", "y", "25.1");

    set(r, "total", "x", "4"); /* one wrong cell: exactly one finding */
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    CHECK(fs.n == 1 && strcmp(fs.items[0].rule, "SUM") == 0 && strcmp(fs.items[0].col, "x") == 0 &&
          strcmp(fs.items[0].expected, "3") == 0 && strcmp(fs.items[0].actual, "4") == 0 && fs.items[0].line == 7);
    nb_findings_free(&fs);

    set(r, "total", "x", ""); /* blank: kept blank, SUM says it is missing, BLANK warns */
    CHECK(r->cells[nb_format_cell(f, "t", "total", "x")].state == NB_CELL_BLANK);
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    CHECK(fs.n == 2 && strcmp(fs.items[0].actual, "空白") == 0 && strcmp(fs.items[1].rule, "BLANK") == 0);
    nb_findings_free(&fs);

    long cx = nb_format_cell(f, "t", "r_a", "x");
    CHECK(nb_report_set_cell(r, (size_t)cx, "-1", 2, 1) == NB_SET_NEGATIVE);
    CHECK(nb_report_set_cell(r, (size_t)cx, "x1", 2, 1) == NB_SET_NOT_NUMBER);
    CHECK(nb_report_set_cell(r, (size_t)cx, "/", 1, 1) == NB_SET_OK && r->cells[cx].state == NB_CELL_NA);
    char buf[32];
    CHECK(strcmp(nb_cell_text(&r->cells[cx], buf, sizeof buf), "/") == 0);
    nb_report_free(r);
    nb_format_free(f);
}

static void test_similarity(void)
{
    CHECK(nb_text_similarity("一是信息公开不及时。二是公开深度不够。", "一是信息公开不及时。二是公开深度不够。") == 100);
    CHECK(nb_text_similarity("一是信息公开不及时。", "今年重点推进平台建设和标准化") < 20);
}

/* nb_utf8_strict_prefix (a word a step where it can: ASCII, four CJK characters) against strict
 * decoding one sequence at a time, and nb_utf8_visible_chars against its
 * definition, on random strings of ASCII, valid and
 * invalid sequences (overlong, surrogates, cut, stray bytes), each of
 * their prefixes. */
static size_t strict_prefix_slow(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t k = nb_utf8_strict_seq(s + i, n - i);
        if (k == 0)
            return i;
        i += k;
    }
    return n;
}

/* nb_utf8_visible_chars as it was, a sequence decoded at a time (even a
 * malformed one: its lead byte's length, its bits as they fall) */
static size_t visible_chars_slow(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t count = 0;
    for (size_t i = 0; i < n;) {
        unsigned c = s[i], cp = c;
        size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        k = i + k > n ? n - i : k;
        if (k == 2)
            cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
        else if (k == 3)
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
        else if (k == 4)
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
        count += !(cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0);
        i += k;
    }
    return count;
}

static void test_utf8_strict_prefix(void)
{
    static const char *const pieces[] = {"a", "\t", "\n", "7", "中", "、", "\xEF\xBC\x88", "\xE0\xA0\x80",
                                         "\xE0\x80\x80", "\xED\x9F\xBF", "\xED\xA0\x80", "\xC3\xA9",
                                         "\xF0\x9F\x98\x80", "\x80", "\xFF", "\xE4\xB8", "\xC0\xAF", "abcdefgh", "\xE3\x80\x80", "\xC2\xA0", " "};
    uint32_t seed = 12345;
    char buf[512];
    size_t bad = 0;
    for (int t = 0; t < 20000; t++) {
        size_t n = 0;
        seed = seed * 1103515245u + 12345u;
        int count = (int)(seed >> 16) % 40;
        for (int k = 0; k < count; k++) {
            seed = seed * 1103515245u + 12345u;
            /* mostly ASCII and plain three-byte characters, as reports are */
            unsigned r = (seed >> 16) % 100;
            size_t which = r < 40 ? 4 : r < 70 ? (r % 4) : 5 + r % 16;
            size_t len = strlen(pieces[which]);
            memcpy(buf + n, pieces[which], len);
            n += len;
        }
        for (size_t m = 0; m <= n; m++)
            bad += nb_utf8_strict_prefix(buf, m) != strict_prefix_slow(buf, m) ||
                   nb_utf8_visible_chars(buf, m) != visible_chars_slow(buf, m);
    }
    CHECK(bad == 0);
}

/* numbers little-endian whatever the machine, strings with NULL kept apart
 * from "", and bytes cut short or a count past what is left refused */
static void test_byte_cursor(void)
{
    nb_strbuf b;
    nb_sb_init(&b);
    nb_put_u32(&b, 0x01020304u);
    CHECK(b.len == 4 && memcmp(b.data, "\x04\x03\x02\x01", 4) == 0);
    nb_put_u8(&b, 0xFE);
    nb_put_u64(&b, UINT64_C(0x1122334455667788));
    nb_put_f64(&b, -2.5);
    nb_put_str(&b, NULL);
    nb_put_str(&b, "");
    nb_put_str(&b, "报告");
    nb_put_mem(&b, "a\0b", 3);
    nb_put_u32(&b, 2); /* a count of two items of 4 bytes */
    nb_put_u32(&b, 7);
    nb_put_u32(&b, 8);
    nb_byte_cursor c = nb_byte_cursor_of(b.data, b.len);
    size_t n = 99;
    CHECK(nb_take_u32(&c) == 0x01020304u && nb_take_u8(&c) == 0xFE);
    CHECK(nb_take_u64(&c) == UINT64_C(0x1122334455667788) && nb_take_f64(&c) == -2.5);
    CHECK(!nb_take_str(&c, &n) && n == 0 && !c.bad);
    const char *s = nb_take_str(&c, &n);
    CHECK(s && n == 0);
    s = nb_take_str(&c, &n);
    CHECK(s && n == 6 && memcmp(s, "报告", 6) == 0);
    s = nb_take_str(&c, &n);
    CHECK(s && n == 3 && memcmp(s, "a\0b", 3) == 0);
    CHECK(nb_take_count(&c, 4) == 2 && nb_take_u32(&c) == 7 && nb_take_u32(&c) == 8);
    CHECK(nb_byte_cursor_done(&c));
    /* the same strings as NUL-terminated copies, malloc'd and in an arena */
    nb_arena a;
    nb_arena_init(&a);
    nb_byte_cursor s2 = nb_byte_cursor_of(b.data + 21, b.len - 21); /* past u32, u8, u64, f64 */
    char *dup = nb_take_strdup(&s2);
    CHECK(!dup && !s2.bad);
    dup = nb_take_strdup(&s2);
    CHECK(dup && strcmp(dup, "") == 0);
    free(dup);
    const char *in_arena = nb_take_str_in(&s2, &a);
    CHECK(in_arena && strcmp(in_arena, "报告") == 0);
    nb_arena_free(&a);
    CHECK(nb_take_u8(&c) == 0 && c.bad && !nb_byte_cursor_done(&c)); /* past the end */
    /* a count of two items of 5 bytes in 8 bytes, and a string cut short */
    nb_byte_cursor d = nb_byte_cursor_of(b.data + b.len - 12, 12);
    CHECK(nb_take_count(&d, 5) == 0 && d.bad);
    nb_strbuf cut;
    nb_sb_init(&cut);
    nb_put_str(&cut, "报告");
    nb_byte_cursor e = nb_byte_cursor_of(cut.data, cut.len - 1);
    CHECK(!nb_take_str(&e, &n) && e.bad && nb_take_u32(&e) == 0);
    nb_sb_free(&cut);
    nb_sb_free(&b);
}

/* a sketch as bytes reads back field by field (a group row has no id),
 * and bytes cut short or with more after them are none */
static void test_sketch_bytes(void)
{
    nb_format *f = nb_format_new();
    f->id = "fmt";
    f->year_from = 2021;
    f->year_to = -1;
    static const char *marks[] = {"标记一", "标记二"}, *sec_match[] = {"概述"}, *row_match[] = {"自然人", "个人"};
    f->marks = marks;
    f->nmarks = 2;
    nb_section_def sec = {.id = "s1", .label = "一、总体情况", .match = sec_match, .nmatch = 1};
    f->sections = &sec;
    f->nsections = 1;
    nb_row rows[] = {{.id = NULL, .label = "申请人情况"}, {.id = "natural", .label = "自然人", .match = row_match, .nmatch = 2}};
    nb_table tb = {.id = "t3", .rows = rows, .nrows = 2};
    f->tables = &tb;
    f->ntables = 1;
    nb_strbuf b;
    nb_sb_init(&b);
    nb_sketch_to_bytes(f, &b);
    nb_format *g = nb_sketch_from_bytes((const unsigned char *)b.data, b.len, "/data/plugins/formats/fmt.lua");
    CHECK(g && strcmp(g->id, "fmt") == 0 && strcmp(g->source_file, "/data/plugins/formats/fmt.lua") == 0);
    CHECK(g && g->year_from == 2021 && g->year_to == -1);
    CHECK(g && g->nmarks == 2 && strcmp(g->marks[1], "标记二") == 0);
    CHECK(g && g->nsections == 1 && strcmp(g->sections[0].label, "一、总体情况") == 0 && g->sections[0].nmatch == 1 &&
          strcmp(g->sections[0].match[0], "概述") == 0);
    CHECK(g && g->ntables == 1 && strcmp(g->tables[0].id, "t3") == 0 && g->tables[0].nrows == 2);
    CHECK(g && !g->tables[0].rows[0].id && strcmp(g->tables[0].rows[0].label, "申请人情况") == 0 &&
          g->tables[0].rows[0].nmatch == 0);
    CHECK(g && strcmp(g->tables[0].rows[1].id, "natural") == 0 && g->tables[0].rows[1].nmatch == 2 &&
          strcmp(g->tables[0].rows[1].match[1], "个人") == 0);
    CHECK(!nb_sketch_from_bytes((const unsigned char *)b.data, b.len - 1, "x"));
    nb_sb_append(&b, "", 1);
    CHECK(!nb_sketch_from_bytes((const unsigned char *)b.data, b.len, "x"));
    nb_format_free(g);
    nb_sb_free(&b);
    nb_format_free(f); /* its arena holds none of what it points to */
}

/* a file read whole: its bytes appended after what the buffer held, NUL
 * after them; a file of exactly a buffer's growth, an empty one, one that
 * is no regular file (a FIFO: read to its end); a directory and a missing
 * file told apart */
static void test_file_read(void)
{
    char dir[] = "/tmp/nb-file-read-XXXXXX";
    if (!mkdtemp(dir)) {
        CHECK(!"mkdtemp");
        return;
    }
    char path[256], fifo[256], big_path[256];
    snprintf(path, sizeof path, "%s/a.txt", dir);
    snprintf(big_path, sizeof big_path, "%s/big.txt", dir);
    snprintf(fifo, sizeof fifo, "%s/fifo", dir);
    size_t big = 3 * 65536 + 17;
    char *bytes = malloc(big);
    for (size_t i = 0; i < big; i++)
        bytes[i] = (char)('a' + i % 26);
    FILE *f = fopen(big_path, "wb");
    CHECK(f && fwrite(bytes, 1, big, f) == big);
    if (f)
        fclose(f);
    nb_strbuf sb;
    nb_sb_init(&sb);
    nb_sb_puts(&sb, "head:");
    CHECK(nb_file_read(big_path, &sb) == NB_FILE_OK);
    CHECK(sb.len == 5 + big && memcmp(sb.data, "head:", 5) == 0 && memcmp(sb.data + 5, bytes, big) == 0);
    CHECK(sb.data[sb.len] == '\0');
    nb_sb_free(&sb);

    f = fopen(path, "wb");
    if (f)
        fclose(f);
    nb_sb_init(&sb);
    CHECK(nb_file_read(path, &sb) == NB_FILE_OK);
    CHECK(sb.len == 0 && sb.data && sb.data[0] == '\0');
    nb_sb_free(&sb);

    /* a FIFO: a child writes the bytes in pieces, the read goes on to the end */
    CHECK(mkfifo(fifo, 0600) == 0);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        FILE *w = fopen(fifo, "wb");
        for (size_t at = 0; w && at < big; at += 1000)
            fwrite(bytes + at, 1, big - at < 1000 ? big - at : 1000, w), fflush(w);
        _exit(w ? 0 : 1);
    }
    nb_sb_init(&sb);
    CHECK(nb_file_read(fifo, &sb) == NB_FILE_OK);
    CHECK(sb.len == big && memcmp(sb.data, bytes, big) == 0);
    nb_sb_free(&sb);
    int status = 1;
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);

    nb_sb_init(&sb);
    CHECK(nb_file_read(dir, &sb) == NB_FILE_A_DIRECTORY);
    snprintf(path, sizeof path, "%s/missing.txt", dir);
    CHECK(nb_file_read(path, &sb) == NB_FILE_NOT_OPENED);
    nb_sb_free(&sb);
    free(bytes);
    unlink(fifo);
    unlink(big_path);
    snprintf(path, sizeof path, "%s/a.txt", dir);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    test_file_read();
    test_byte_cursor();
    test_sketch_bytes();
    test_decimal();
    test_norm();
    test_utf8_strict_prefix();
    test_rules();
    test_similarity();
    return check_report();
}
