/* Unit tests of the rule engine across years and formats, in plain C: rules
 * with several assertions, cross-year references resolved by id in last
 * year's format (and the info finding for what does not map), FMT-VER,
 * blank cells counted per table, and the text similarity of TXT-DUP. */
#include "model/findings.h"
#include "model/format.h"
#include "model/report.h"
#include "model/rules.h"
#include "base/text_norm.h"
#include "rules/validator.h"
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* Format "fa" (2019–2020): table t, rows r_a r_b total × columns x y.
 * Format "fb" (2021–): table t, rows r_a total × columns x z. */
static nb_format *make_format(const char *id, int from, int to, const char *mark, const char *const *rows,
                              size_t nrows, const char *const *cols, size_t ncols)
{
    nb_format *f = nb_format_new();
    f->id = id;
    f->notice = "某某号";
    f->year_from = from;
    f->year_to = to;
    f->marks = nb_arena_alloc(&f->arena, sizeof *f->marks);
    char *norm = nb_arena_alloc(&f->arena, strlen(mark) + 1);
    nb_norm_label(mark, strlen(mark), norm);
    f->marks[0] = norm;
    f->nmarks = 1;
    nb_table *t = nb_arena_alloc(&f->arena, sizeof *t);
    f->tables = t;
    f->ntables = 1;
    *t = (nb_table){.id = "t", .label = "表", .section = "s", .nblocks = 1, .ncols = ncols, .nrows = nrows};
    t->blocks = nb_arena_alloc(&f->arena, sizeof *t->blocks);
    t->blocks[0] = (nb_block){.id = "b", .ncols = ncols};
    t->cols = nb_arena_alloc(&f->arena, ncols * sizeof *t->cols);
    for (size_t c = 0; c < ncols; c++)
        t->cols[c] = (nb_column){.id = cols[c], .label = cols[c], .type = NB_TYPE_COUNT};
    t->rows = nb_arena_alloc(&f->arena, nrows * sizeof *t->rows);
    for (size_t r = 0; r < nrows; r++)
        t->rows[r] = (nb_row){.id = rows[r], .label = rows[r], .depth = 1, .parent = -1, .data = true};
    char err[128];
    CHECK(nb_format_finish(f, err, sizeof err));
    f->rules = nb_arena_alloc(&f->arena, 8 * sizeof *f->rules);
    return f;
}

static nb_rule *add_rule(nb_format *f, const char *id, nb_rule_kind kind)
{
    nb_rule *r = &f->rules[f->nrules++];
    *r = (nb_rule){.id = id, .message = id, .source = "inferred", .severity = NB_SEV_ERROR, .kind = kind,
                   .section = -1};
    return r;
}

static void set(nb_report *r, const char *row, const char *col, const char *text)
{
    long c = nb_format_cell(r->format, "t", row, col);
    CHECK(c >= 0);
    CHECK(nb_report_set_cell(r, (size_t)c, text, strlen(text), 3) == NB_SET_OK);
}

static size_t count(const nb_findings *fs, const char *rule, nb_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += strcmp(fs->items[i].rule, rule) == 0 && fs->items[i].severity == sev;
    return n;
}

static const nb_finding *first(const nb_findings *fs, const char *rule)
{
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->items[i].rule, rule) == 0)
            return &fs->items[i];
    return NULL;
}

static const char *const A_ROWS[] = {"r_a", "r_b", "total"}, *const A_COLS[] = {"x", "y"};
static const char *const B_ROWS[] = {"r_a", "total"}, *const B_COLS[] = {"x", "z"};

static void test_assert_lists(void)
{
    nb_format *f = make_format("fa", 2019, 2020, "甲标记", A_ROWS, 3, A_COLS, 2);
    nb_rule *rule = add_rule(f, "LIST", NB_RULE_ASSERT);
    static const char *cols[] = {"x", "y"}, *rows[] = {"r_a", "r_b"};
    nb_rule_var vars[] = {{.name = "c", .values = cols, .nvalues = 2}, {.name = "r", .values = rows, .nvalues = 2}};
    char err[256];
    /* each assertion is expanded over the variables it uses only */
    CHECK(nb_rule_compile(f, rule, "t.total.$c >= t.r_a.$c", NULL, vars, 2, err, sizeof err));
    CHECK(rule->ninst == 2);
    CHECK(nb_rule_compile(f, rule, "t.$r.x <= t.total.x", NULL, vars, 2, err, sizeof err));
    CHECK(rule->ninst == 4);
    CHECK(strcmp(rule->expr, "t.total.$c >= t.r_a.$c; t.$r.x <= t.total.x") == 0);
    nb_report *r = nb_report_new(f, "mem");
    set(r, "r_a", "x", "1");
    set(r, "r_b", "x", "9");
    set(r, "total", "x", "5");
    set(r, "r_a", "y", "0");
    set(r, "r_b", "y", "0");
    set(r, "total", "y", "0");
    nb_findings fs;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    /* r_b.x 9 > total 5: one instance of the second assertion fails */
    CHECK(fs.n == 1 && strcmp(fs.items[0].row, "r_b") == 0 && strcmp(fs.items[0].expected, "≤5") == 0 &&
          strcmp(fs.items[0].actual, "9") == 0);
    nb_findings_free(&fs);
    nb_report_free(r);
    nb_format_free(f);
}

static void test_blanks(void)
{
    nb_format *f = make_format("fa", 2019, 2020, "甲标记", A_ROWS, 3, A_COLS, 2);
    add_rule(f, "BLANK", NB_RULE_BLANK)->severity = NB_SEV_WARNING;
    nb_rule *sum = add_rule(f, "SUM", NB_RULE_ASSERT);
    char err[256];
    CHECK(nb_rule_compile(f, sum, "t.total.x == sum(t.r_*.x)", NULL, NULL, 0, err, sizeof err));
    nb_report *r = nb_report_new(f, "mem");
    set(r, "total", "x", "5");
    set(r, "total", "y", "0");
    nb_findings fs;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    /* four blank cells in two rows: one warning a row, at its first blank
     * cell, naming the blank columns */
    CHECK(count(&fs, "BLANK", NB_SEV_WARNING) == 2);
    const nb_finding *b = first(&fs, "BLANK");
    CHECK(b && strcmp(b->row, "r_a") == 0 && strcmp(b->col, "x") == 0 && strstr(b->message, "本行2个单元格空白：整行"));
    /* a side made only of blank cells says so, and not that it should be 0 */
    const nb_finding *s = first(&fs, "SUM");
    CHECK(s && strcmp(s->expected, "各项之和（各项均为空白）") == 0 && strcmp(s->actual, "5") == 0);
    nb_findings_free(&fs);
    nb_report_free(r);
    nb_format_free(f);
}

static void test_cross_format(void)
{
    nb_format *fa = make_format("fa", 2019, 2020, "甲标记", A_ROWS, 3, A_COLS, 2);
    nb_format *fb = make_format("fb", 2021, 0, "乙标记", B_ROWS, 2, B_COLS, 2);
    nb_rule *carry = add_rule(fb, "CARRY", NB_RULE_ASSERT);
    static const char *cols[] = {"x", "z"};
    nb_rule_var c = {.name = "c", .values = cols, .nvalues = 2};
    char err[256];
    CHECK(nb_rule_compile(fb, carry, "t.r_a.$c == prev.t.total.$c", NULL, &c, 1, err, sizeof err));
    CHECK(carry->cross_year && carry->ninst == 2);
    nb_report *prev = nb_report_new(fa, "prev"), *cur = nb_report_new(fb, "cur");
    set(prev, "total", "x", "4");
    set(cur, "r_a", "x", "4");
    set(cur, "r_a", "z", "1");
    nb_findings fs;
    nb_findings_init(&fs);
    nb_validate(cur, NULL, &fs); /* without last year's report, cross-year rules do not run */
    CHECK(fs.n == 0);
    nb_check_ctx ctx = {.prev = prev};
    nb_validate(cur, &ctx, &fs);
    /* x maps and holds; z does not exist last year: one info finding */
    CHECK(fs.n == 1 && fs.items[0].severity == NB_SEV_INFO && strstr(fs.items[0].message, "t.total.z") &&
          strstr(fs.items[0].message, "fa"));
    nb_findings_free(&fs);
    set(prev, "total", "x", "3");
    nb_findings_init(&fs);
    nb_validate(cur, &ctx, &fs);
    CHECK(count(&fs, "CARRY", NB_SEV_ERROR) == 1 && count(&fs, "CARRY", NB_SEV_INFO) == 1);
    nb_findings_free(&fs);
    nb_report_free(prev);
    nb_report_free(cur);
    nb_format_free(fa);
    nb_format_free(fb);
}

static void test_version(void)
{
    nb_format *fa = make_format("fa", 2019, 2020, "甲标记", A_ROWS, 3, A_COLS, 2);
    nb_format *fb = make_format("fb", 2021, 0, "乙标记", B_ROWS, 2, B_COLS, 2);
    add_rule(fa, "FMT-VER", NB_RULE_VERSION);
    nb_report *r = nb_report_new(fa, "mem");
    r->year = 2020;
    nb_findings fs;
    nb_findings_init(&fs);
    nb_check_ctx ctx = {.year_format = fa};
    nb_validate(r, &ctx, &fs);
    CHECK(fs.n == 0);
    /* a 2022 report filled in fa's template */
    r->year = 2022;
    r->marks = nb_arena_alloc(&r->arena, 3 * sizeof *r->marks);
    r->marks[r->nmarks++] = (nb_mark_seen){.label = "甲标记", .format = "fa", .line = 12};
    ctx.year_format = fb;
    nb_validate(r, &ctx, &fs);
    CHECK(fs.n == 1 && strcmp(fs.items[0].expected, "fb") == 0 && strcmp(fs.items[0].actual, "fa") == 0 &&
          fs.items[0].line == 12 && strstr(fs.items[0].message, "2022") && strstr(fs.items[0].message, "甲标记"));
    nb_findings_free(&fs);
    /* labels of another format: one finding for that format; a label both print is not one */
    r->year = 2020;
    r->marks[r->nmarks++] = (nb_mark_seen){.label = "乙 标记", .format = "fb", .line = 30, .values = "3、0"};
    r->marks[r->nmarks++] = (nb_mark_seen){.label = "甲 标记", .format = "fb", .line = 31};
    nb_findings_init(&fs);
    nb_validate(r, &ctx, &fs);
    CHECK(fs.n == 1 && fs.items[0].line == 30 && strstr(fs.items[0].message, "填有数值（3、0）") &&
          !strstr(fs.items[0].message, "第31行"));
    nb_findings_free(&fs);
    nb_report_free(r);
    nb_format_free(fa);
    nb_format_free(fb);
}

static void test_similarity(void)
{
    const char *a = "一是信息公开存在滞后性，公开的及时性不足。二是信息公开的深度和广度不够。"
                    "下一步，我们将完善信息更新与发布机制，提升信息公开的广度与深度。";
    CHECK(nb_text_similarity(a, a) == 100);
    /* white space, including the ideographic space U+3000, is ignored */
    const char *spaced = "一是信息公开存在滞后性，　公开的及时性不足。\n二是信息公开的深度和广度不够。 "
                         "下一步，我们将完善信息更新与发布机制，提升信息公开的广度与深度。";
    CHECK(nb_text_similarity(a, spaced) == 100);
    /* one word changed: still near-identical; a new text: not */
    const char *edited = "一是信息公开存在滞后性，公开的及时性不足。二是信息公开的深度和广度不够。"
                         "下一步，我们将健全信息更新与发布机制，提升信息公开的广度与深度。";
    int near = nb_text_similarity(a, edited);
    CHECK(near >= 80 && near < 100);
    CHECK(nb_text_similarity(a, "今年重点推进政务新媒体规范化建设，开展专项培训两次。") < 10);
    CHECK(nb_text_similarity("", "") == 100);
    /* a text too short for a trigram is one gram, white space (U+3000 too) left out of it */
    CHECK(nb_text_similarity("😀\n", "😀　") == 100);
    CHECK(nb_text_similarity("a", "\xc2\xa0" "a　　") == 100);
    CHECK(nb_text_similarity("一二", "一　二　") == 100);
    /* the trigram sets of the texts met last are kept: a text compared
     * again and again with new ones keeps its own set, wherever it is kept */
    for (int i = 0; i < 9; i++) {
        char fresh[128];
        snprintf(fresh, sizeof fresh, "今年重点推进政务新媒体规范化建设，开展专项培训%d次。", i);
        CHECK(nb_text_similarity(a, fresh) < 10);
        CHECK(nb_text_similarity(fresh, a) < 10);
    }
    CHECK(nb_text_similarity(a, edited) == near);
    /* a long text of distinct characters: its set outgrows the table it
     * starts with (1,024 slots) several times.  A: 2,000 characters, 1,998
     * trigrams; B: A's first 1,000 then 1,000 others, 1,998 trigrams, 998
     * of them A's: 998 / (1,998 + 1,998 - 998) = 33 % */
    char *la = malloc(2000 * 3 + 1), *lb = malloc(2000 * 3 + 1);
    for (unsigned i = 0; i < 2000; i++) {
        unsigned ca = 0x4E00 + i, cb = i < 1000 ? ca : 0x6000 + i;
        char *pa = la + 3 * i, *pb = lb + 3 * i;
        pa[0] = (char)(0xE0 | ca >> 12), pa[1] = (char)(0x80 | (ca >> 6 & 0x3F)), pa[2] = (char)(0x80 | (ca & 0x3F));
        pb[0] = (char)(0xE0 | cb >> 12), pb[1] = (char)(0x80 | (cb >> 6 & 0x3F)), pb[2] = (char)(0x80 | (cb & 0x3F));
    }
    la[6000] = lb[6000] = '\0';
    CHECK(nb_text_similarity(la, la) == 100);
    CHECK(nb_text_similarity(la, lb) == 33);
    free(la);
    free(lb);
}

int main(void)
{
    test_assert_lists();
    test_blanks();
    test_cross_format();
    test_version();
    test_similarity();
    return check_report();
}
