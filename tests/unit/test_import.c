/* Unit tests of what importers rely on in plain C: the CSV reader (encoding
 * detection and conversion, strict parsing, line numbers, ragged records),
 * reading cells as real sheets write them, and import notes and tables-only
 * reports in the validator. */
#include "io/csv_reader.h"
#include "model/decimal.h"
#include "model/findings.h"
#include "model/format.h"
#include "model/report.h"
#include "rules/validator.h"
#include "check.h"
#include <stdio.h>
#include <string.h>


static nb_csv *read_csv(const char *s, size_t len, nb_csv_error *err)
{
    memset(err, 0, sizeof *err);
    return nb_csv_read(s, len, err);
}

static void test_encodings(void)
{
    nb_csv_error err;
    /* "中文,1\n" in UTF-8, with a BOM, in GBK and in UTF-16LE */
    const char utf8[] = "\xE4\xB8\xAD\xE6\x96\x87,1\n";
    const char bom[] = "\xEF\xBB\xBF\xE4\xB8\xAD\xE6\x96\x87,1\n";
    const char gbk[] = "\xD6\xD0\xCE\xC4,1\n";
    const char u16[] = "\xFF\xFE\x2D\x4E\x87\x65\x2C\x00\x31\x00\x0A\x00";
    const struct {
        const char *data;
        size_t len;
        const char *encoding;
    } cases[] = {{utf8, sizeof utf8 - 1, "UTF-8"},
                 {bom, sizeof bom - 1, "UTF-8 BOM"},
                 {gbk, sizeof gbk - 1, "GB18030"},
                 {u16, sizeof u16 - 1, "UTF-16LE"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        nb_csv *c = read_csv(cases[i].data, cases[i].len, &err);
        CHECK(c != NULL);
        if (!c)
            continue;
        CHECK(strcmp(c->encoding, cases[i].encoding) == 0);
        CHECK(c->nrows == 1 && c->rows[0].ncells == 2 && strcmp(c->rows[0].cells[0], "中文") == 0 &&
              strcmp(c->rows[0].cells[1], "1") == 0);
        nb_csv_free(c);
    }
    /* Latin-1 bytes: neither UTF-8 nor GBK */
    const char latin[] = "a,b\nCaf\xE9,1\n";
    CHECK(read_csv(latin, sizeof latin - 1, &err) == NULL && err.line == 2);
    /* Big5 "政府資訊公開" decodes as GBK but is not Chinese text there */
    const char big5[] = "x,\xAC\x46\xA9\xB2\xB8\xEA\xB0\x54\xA4\xBD\xB6\x7D\xA4\xA4\xA4\xE5\xA4\x40\n";
    CHECK(read_csv(big5, sizeof big5 - 1, &err) == NULL && err.line == 1 && strstr(err.message, "Big5"));
    /* UTF-8 with one bad line: the line is named */
    const char mixed[] = "\xE4\xB8\xAD,1\n\xE4\xB8\xAD,2\n\xD6\xD0,3\n";
    CHECK(read_csv(mixed, sizeof mixed - 1, &err) == NULL && err.line == 3 && strstr(err.message, "UTF-8"));
    const char xlsx[] = "PK\x03\x04rest";
    CHECK(read_csv(xlsx, sizeof xlsx - 1, &err) == NULL && strstr(err.message, ".xlsx"));
    /* GBK's user-defined area never appears in real text */
    const char pua[] = "\xAA\xA1,1\n";
    CHECK(read_csv(pua, sizeof pua - 1, &err) == NULL);
}

static void test_parsing(void)
{
    nb_csv_error err;
    const char *s = "a,b,c\n\n\"x\ny\",\" 2 \",3\n4,\"say \"\"hi\"\"\",6";
    nb_csv *c = read_csv(s, strlen(s), &err);
    CHECK(c && c->nrows == 3);
    if (c) {
        CHECK(c->rows[0].line == 1 && c->rows[1].line == 3 && c->rows[2].line == 5);
        CHECK(strcmp(c->rows[1].cells[0], "x\ny") == 0 && strcmp(c->rows[1].cells[1], " 2 ") == 0);
        CHECK(strcmp(c->rows[2].cells[1], "say \"hi\"") == 0 && strcmp(c->rows[2].cells[2], "6") == 0);
        nb_csv_free(c);
    }
    const char *tsv = "a\tb\n1\t2\n";
    c = read_csv(tsv, strlen(tsv), &err);
    CHECK(c && c->delimiter == '\t' && c->nrows == 2 && strcmp(c->rows[1].cells[1], "2") == 0);
    nb_csv_free(c);

    const char *unterminated = "a,b\n1,\"2\n3,4\n";
    CHECK(read_csv(unterminated, strlen(unterminated), &err) == NULL && err.line == 2 && err.column == 2 &&
          strstr(err.message, "引号没有闭合"));
    const char *stray = "a,b\n1,2\"x\n";
    CHECK(read_csv(stray, strlen(stray), &err) == NULL && err.line == 2 && err.column == 2);
    const char *ragged = "a,b,c\n1,2,3\n4,5\n";
    CHECK(read_csv(ragged, strlen(ragged), &err) == NULL && err.line == 3 && err.column == 2 &&
          strstr(err.message, "2 列"));
    const char *wide = "a,b\n1,2,3\n";
    CHECK(read_csv(wide, strlen(wide), &err) == NULL && err.line == 2 && err.column == 3);
}

static nb_parsed parse(const char *s) { return nb_parse_cell(s, strlen(s)); }

static void test_cells_as_written(void)
{
    CHECK(parse("1,234,567").micro == 1234567 * NB_DEC_SCALE);
    CHECK(parse("１２３，４５６").micro == 123456 * NB_DEC_SCALE);
    CHECK(parse("24,252.311082").micro == 24252311082LL);
    CHECK(parse("1,2").status == NB_PARSE_NOT_NUMBER);     /* two numbers, or a typo: not 12 */
    CHECK(parse("1234,567").status == NB_PARSE_NOT_NUMBER);
    CHECK(parse("1,23.5").status == NB_PARSE_NOT_NUMBER);
    CHECK(parse("1,2345").status == NB_PARSE_NOT_NUMBER);
    CHECK(parse("——").status == NB_PARSE_NA && parse("／").status == NB_PARSE_NA);
    CHECK(parse("251,000元").micro == 251000 * NB_DEC_SCALE && strcmp(parse("251,000元").unit, "元") == 0);
}

/* one table t, one block, row r, columns n (count) and a (amount in 万元) */
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
    t->cols[0] = (nb_column){.id = "n", .label = "件数", .type = NB_TYPE_COUNT};
    t->cols[1] = (nb_column){.id = "a", .label = "金额", .type = NB_TYPE_AMOUNT, .unit = "万元"};
    t->nrows = 1;
    t->rows = nb_arena_alloc(&f->arena, sizeof *t->rows);
    t->rows[0] = (nb_row){.id = "r", .label = "行", .depth = 1, .parent = -1, .data = true};
    f->nsections = 1;
    f->sections = nb_arena_alloc(&f->arena, sizeof *f->sections);
    f->sections[0] = (nb_section_def){.id = "s", .label = "一、部分"};
    f->nrules = 2;
    f->rules = nb_arena_alloc(&f->arena, 2 * sizeof *f->rules);
    f->rules[0] = (nb_rule){.id = "BLANK", .severity = NB_SEV_WARNING, .kind = NB_RULE_BLANK, .message = "空白"};
    f->rules[1] = (nb_rule){.id = "SEC", .severity = NB_SEV_ERROR, .kind = NB_RULE_SECTIONS, .message = "缺少部分"};
    char err[128];
    CHECK(nb_format_finish(f, err, sizeof err));
    return f;
}

static void test_notes_and_tables_only(void)
{
    nb_format *f = tiny_format();
    nb_report *r = nb_report_new(f, "mem");
    long a = nb_format_cell(f, "t", "r", "a");
    CHECK(nb_report_set_cell(r, (size_t)a, "3500元", strlen("3500元"), 4) == NB_SET_OK);
    nb_report_add_note(r, NB_SEV_ERROR, "IMPORT-AMBIGUOUS", "无法确定", nb_format_cell(f, "t", "r", "n"), 9, NULL,
                       "1 或 2");
    nb_findings fs;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    /* unit note, importer note, then the rules: no section; n is blank, but the
     * importer's note already says why, so no BLANK */
    CHECK(fs.n == 3);
    if (fs.n == 3) {
        CHECK(strcmp(fs.items[0].rule, "IMPORT-UNIT") == 0 && strcmp(fs.items[0].expected, "0.35") == 0 &&
              strcmp(fs.items[0].actual, "3500元") == 0 && fs.items[0].line == 4 && strcmp(fs.items[0].col, "a") == 0);
        CHECK(strcmp(fs.items[1].rule, "IMPORT-AMBIGUOUS") == 0 && fs.items[1].severity == NB_SEV_ERROR &&
              fs.items[1].line == 9 && strcmp(fs.items[1].col, "n") == 0 && strcmp(fs.items[1].actual, "1 或 2") == 0);
        CHECK(strcmp(fs.items[2].rule, "SEC") == 0);
    }
    nb_findings_free(&fs);
    /* a source of tables alone: no section rule; a table it lacks is absent, not blank */
    r->tables_only = true;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    CHECK(fs.n == 2);
    nb_findings_free(&fs);
    r->table_given[0] = true;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    CHECK(fs.n == 2);
    nb_findings_free(&fs);
    /* without the importer's note the blank cell is reported */
    r->nnotes = 0;
    nb_findings_init(&fs);
    nb_validate(r, NULL, &fs);
    CHECK(fs.n == 2 && strcmp(fs.items[1].rule, "BLANK") == 0);
    nb_findings_free(&fs);
    nb_report_free(r);
    nb_format_free(f);
}

int main(void)
{
    test_encodings();
    test_parsing();
    test_cells_as_written();
    test_notes_and_tables_only();
    return check_report();
}
