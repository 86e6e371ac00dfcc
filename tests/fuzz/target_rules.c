/* Fuzz target: the rule-expression compiler (host/rules/rule_compile.c) and
 * the validator running what it compiled, on a small format made here (two
 * tables, rows r_a r_b total, columns x y).  Input, line by line: lines
 * "$NAME=SPEC" declare a variable (SPEC: TABLE.rows, TABLE.columns or ids
 * separated by commas), a line "@CELL" names the cell to pin findings to,
 * and the rest is the assertion.  No Lua here. */
#include "fuzz.h"
#include "model/findings.h"
#include "model/format.h"
#include "model/report.h"
#include "model/rules.h"
#include "rules/validator.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_fuzz_init(void) {}

static void add_table(nb_format *f, nb_table *t, const char *id)
{
    t->id = id;
    t->label = id;
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
    static const char *ids[] = {"r_a", "r_b", "total"};
    for (int i = 0; i < 3; i++)
        t->rows[i] = (nb_row){.id = ids[i], .label = ids[i], .depth = 1, .parent = -1, .data = true};
}

static nb_format *small_format(void)
{
    nb_format *f = nb_format_new();
    f->tables = nb_arena_alloc(&f->arena, 2 * sizeof *f->tables);
    memset(f->tables, 0, 2 * sizeof *f->tables);
    add_table(f, &f->tables[0], "t");
    add_table(f, &f->tables[1], "u");
    f->ntables = 2;
    char err[128];
    if (!nb_format_finish(f, err, sizeof err)) {
        fprintf(stderr, "fuzz: the small format is refused: %s\n", err);
        abort();
    }
    return f;
}

/* "a,b,c" → values in the format's arena */
static void list_var(nb_format *f, char *spec, nb_rule_var *var)
{
    size_t n = 1;
    for (const char *s = spec; *s; s++)
        n += *s == ',';
    var->values = nb_arena_alloc(&f->arena, n * sizeof *var->values);
    var->nvalues = 0;
    for (char *tok = strtok(spec, ","); tok; tok = strtok(NULL, ","))
        var->values[var->nvalues++] = nb_arena_strdup(&f->arena, tok);
}

enum { MAX_VARS = 4 };

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = '\0'; /* the compiler reads C strings: stop at the first NUL */
    nb_format *f = small_format();
    nb_rule_var vars[MAX_VARS];
    size_t nvars = 0;
    const char *at = NULL;
    char *expr = text, *nl;
    char err[256];
    bool ok = true;
    while (ok && (expr[0] == '$' || expr[0] == '@') && (nl = strchr(expr, '\n'))) {
        *nl = '\0';
        if (expr[0] == '@') {
            at = expr + 1;
        } else if (nvars < MAX_VARS) {
            char *eq = strchr(expr, '=');
            if (eq) {
                *eq = '\0';
                nb_rule_var *v = &vars[nvars];
                v->name = nb_arena_strdup(&f->arena, expr + 1);
                char *spec = eq + 1;
                if (strstr(spec, ".rows") || strstr(spec, ".columns"))
                    ok = nb_rule_var_range(f, spec, v, err, sizeof err);
                else
                    list_var(f, spec, v);
                v->range = NULL;
                /* the product of the ranges is what a format may declare */
                size_t total = 1;
                for (size_t i = 0; i <= nvars; i++)
                    total *= vars[i].nvalues ? vars[i].nvalues : 1;
                if (ok && total <= 4096)
                    nvars++;
            }
        }
        expr = nl + 1;
    }
    f->rules = nb_arena_alloc(&f->arena, sizeof *f->rules);
    memset(f->rules, 0, sizeof *f->rules);
    nb_rule *rule = &f->rules[0];
    rule->id = "FUZZ";
    rule->message = "fuzz";
    rule->severity = NB_SEV_ERROR;
    rule->kind = NB_RULE_ASSERT;
    if (ok && nb_rule_compile(f, rule, expr, at, vars, nvars, err, sizeof err)) {
        f->nrules = 1;
        nb_report *r = nb_report_new(f, "fuzz");
        static const char *values[] = {"1", "2", "3", "0.5", "/", "12345678901234567890"};
        for (size_t c = 0; c < f->ncells; c++)
            if (c % 3)
                nb_report_set_cell(r, c, values[c % 6], strlen(values[c % 6]), 1);
        nb_findings fs;
        nb_findings_init(&fs);
        nb_check_ctx ctx = {.prev = r};
        nb_validate(r, &ctx, &fs);
        nb_findings_free(&fs);
        nb_report_free(r);
    }
    nb_format_free(f);
    free(text);
    return 0;
}

void nb_fuzz_summary(void) {}
