/* Compiles rule assertions such as
 *     t.total.$c == sum(t.r_*.$c)
 *     t.a.x + t.b.x == t.c.x + 2*t.d.x
 *     t.row.now == prev.t.row.now + t.row.added - t.row.removed
 * into lists of (coefficient, cell) terms, once per format and binding, so
 * that checking a report is a handful of additions per rule instance.
 * Grammar:  assertion = sum OP sum ;  sum = ["-"] term {("+"|"-") term} ;
 *           term = [INT "*"] atom ;  atom = INT | ref | "sum(" ref ")" | "(" sum ")" ;
 *           ref = ["prev."] table "." rows "." cols  (rows, cols: id, glob with *, or {a,b}) */
#include "model/rules.h"
#include "rules/id_pattern.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <ctype.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    nb_format *f;
    const char *s;   /* expression after substitution */
    size_t pos;
    nb_term *terms;
    size_t nterms, cap;
    char *err;
    size_t errsize;
    bool failed;
    int depth;       /* parentheses open */
} parser;

/* Parentheses deeper than this are no assertion anyone writes: refused
 * before the recursion of sum/atom can exhaust the C stack. */
enum { NB_RULE_MAX_DEPTH = 32 };

static void fail(parser *p, const char *fmt, const char *arg)
{
    if (p->failed)
        return;
    p->failed = true;
    char msg[256];
    snprintf(msg, sizeof msg, fmt, arg);
    snprintf(p->err, p->errsize, "%s（在 \"%.40s\" 处）", msg, p->s + p->pos);
}

static void skip_ws(parser *p)
{
    while (p->s[p->pos] == ' ' || p->s[p->pos] == '\t' || p->s[p->pos] == '\n')
        p->pos++;
}

static bool accept(parser *p, const char *tok)
{
    skip_ws(p);
    size_t n = strlen(tok);
    if (strncmp(p->s + p->pos, tok, n) == 0) {
        p->pos += n;
        return true;
    }
    return false;
}

static void add_term(parser *p, int64_t coef, int32_t cell, bool prev, const char *t, const char *r, const char *c)
{
    if (p->nterms == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 16;
        p->terms = nb_xrealloc(p->terms, p->cap * sizeof *p->terms);
    }
    nb_term *term = &p->terms[p->nterms++];
    term->coef = coef;
    term->cell = cell;
    term->prev = prev;
    term->table = t; /* the format's own ids: its arena holds them and the rule */
    term->row = r;
    term->col = c;
}

/* A byte of an id or glob segment: isalnum in the C locale nianbao runs
 * in, '_', '*' or '-', tested inline (through isalnum, a byte at a time,
 * segment() was a tenth of compiling a format's rules). */
static bool is_id_char(char ch)
{
    unsigned char c = (unsigned char)ch, lower = c | 0x20;
    return (lower >= 'a' && lower <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '*' || c == '-';
}

/* One path segment: id, glob, or {a,b,c}; copied into out. */
static bool segment(parser *p, char *out, size_t size)
{
    size_t n = 0;
    if (p->s[p->pos] == '{') {
        /* room for the closing } and the NUL */
        while (p->s[p->pos] && p->s[p->pos] != '}' && n + 2 < size)
            out[n++] = p->s[p->pos++];
        if (p->s[p->pos] != '}') {
            fail(p, "%s", n + 2 < size ? "格的引用中 { 没有闭合" : "格的引用中的 {…} 列表太长");
            return false;
        }
        out[n++] = p->s[p->pos++];
    } else {
        const char *from = p->s + p->pos;
        while (n + 1 < size && is_id_char(from[n]))
            n++;
        memcpy(out, from, n);
        p->pos += n;
    }
    out[n] = '\0';
    if (n == 0)
        fail(p, "%s", "格的引用中此处应为 id");
    return n > 0;
}

/* [*from, *to): the one index k, or none when k < 0 (of n) */
static void id_range(int k, size_t n, size_t *from, size_t *to)
{
    *from = k < 0 ? n : (size_t)k;
    *to = k < 0 ? n : *from + 1;
}

/* Parses a reference; adds one term per matching cell (many only inside sum).
 * A plain id is looked up: row ids are unique in a table, column ids in a block. */
static bool ref(parser *p, int64_t coef, bool in_sum)
{
    bool prev = false;
    skip_ws(p);
    if (strncmp(p->s + p->pos, "prev.", 5) == 0) {
        prev = true;
        p->pos += 5;
    }
    char tid[64], rpat[256], cpat[256];
    if (!segment(p, tid, sizeof tid) || !accept(p, ".") || !segment(p, rpat, sizeof rpat) || !accept(p, ".") ||
        !segment(p, cpat, sizeof cpat)) {
        fail(p, "%s", "格的引用应写成 TABLE.ROW.COLUMN");
        return false;
    }
    const nb_table *t = nb_format_table(p->f, tid);
    if (!t) {
        fail(p, "未知的表 '%s'", tid);
        return false;
    }
    size_t matched = 0, r0 = 0, r1 = t->nrows;
    bool rplain = !strpbrk(rpat, "*?[\\{"), cplain = !strpbrk(cpat, "*?[\\{");
    nb_id_pattern rsp, csp;
    if (!rplain)
        nb_id_pattern_compile(&rsp, rpat);
    if (!cplain)
        nb_id_pattern_compile(&csp, cpat);
    if (rplain)
        id_range(nb_table_row(t, rpat), t->nrows, &r0, &r1);
    for (size_t r = r0; r < r1; r++) {
        const nb_row *row = &t->rows[r];
        if (!row->data || (!rplain && !nb_id_pattern_match(&rsp, row->id)))
            continue;
        const nb_block *b = &t->blocks[row->block];
        size_t c0 = 0, c1 = b->ncols;
        if (cplain)
            id_range(nb_table_block_col(t, row->block, cpat), b->ncols, &c0, &c1);
        for (size_t c = c0; c < c1; c++) {
            const nb_column *col = &t->cols[b->col_first + c];
            if (!cplain && !nb_id_pattern_match(&csp, col->id))
                continue;
            add_term(p, coef, (int32_t)(row->cell_first + c), prev, t->id, row->id, col->id);
            matched++;
        }
    }
    if (matched == 0) {
        char what[600];
        snprintf(what, sizeof what, "%s.%s.%s", tid, rpat, cpat);
        fail(p, "没有格与 '%s' 相符", what);
        return false;
    }
    if (matched > 1 && !in_sum) {
        char what[600];
        snprintf(what, sizeof what, "%s.%s.%s", tid, rpat, cpat);
        fail(p, "'%s' 与多个格相符：请写 sum(...)", what);
        return false;
    }
    return true;
}

static bool sum(parser *p, int64_t sign);

/* *out = a * b, refused when it does not fit (or is INT64_MIN, which has
 * no negation): a constant or a coefficient too large for the sums. */
static bool times(parser *p, int64_t a, int64_t b, int64_t *out)
{
    if (__builtin_mul_overflow(a, b, out) || *out == INT64_MIN) {
        fail(p, "%s", "断言中的数太大");
        return false;
    }
    return true;
}

static bool atom(parser *p, int64_t coef)
{
    skip_ws(p);
    const char *s = p->s + p->pos;
    if (isdigit((unsigned char)*s)) {
        char *end;
        long long v = strtoll(s, &end, 10);
        int64_t scaled, value;
        if (!times(p, v, 1000000LL, &scaled) || !times(p, coef, scaled, &value))
            return false;
        p->pos += (size_t)(end - s);
        add_term(p, value, -1, false, NULL, NULL, NULL);
        return true;
    }
    if (accept(p, "sum(")) {
        if (!ref(p, coef, true))
            return false;
        if (!accept(p, ")")) {
            fail(p, "%s", "sum( 之后缺少 )");
            return false;
        }
        return true;
    }
    if (accept(p, "(")) {
        if (++p->depth > NB_RULE_MAX_DEPTH) {
            fail(p, "%s", "括号嵌套太深");
            return false;
        }
        if (!sum(p, coef))
            return false;
        p->depth--;
        if (!accept(p, ")")) {
            fail(p, "%s", "缺少 )");
            return false;
        }
        return true;
    }
    return ref(p, coef, false);
}

static bool term(parser *p, int64_t sign)
{
    skip_ws(p);
    const char *s = p->s + p->pos;
    if (isdigit((unsigned char)*s)) {
        char *end;
        long long k = strtoll(s, &end, 10);
        size_t save = p->pos;
        p->pos += (size_t)(end - s);
        int64_t coef;
        if (accept(p, "*"))
            return times(p, sign, k, &coef) && atom(p, coef);
        p->pos = save;
    }
    return atom(p, sign);
}

static bool sum(parser *p, int64_t sign)
{
    int64_t s = sign;
    if (accept(p, "-"))
        s = -sign;
    if (!term(p, s))
        return false;
    for (;;) {
        if (accept(p, "+")) {
            if (!term(p, sign))
                return false;
        } else if (accept(p, "-")) {
            if (!term(p, -sign))
                return false;
        } else {
            return true;
        }
    }
}

static bool relop(parser *p, nb_op *op)
{
    static const struct { const char *tok; nb_op op; } ops[] = {
        {"==", NB_OP_EQ}, {"!=", NB_OP_NE}, {"<=", NB_OP_LE}, {">=", NB_OP_GE}, {"<", NB_OP_LT}, {">", NB_OP_GT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (accept(p, ops[i].tok)) {
            *op = ops[i].op;
            return true;
        }
    fail(p, "%s", "缺少比较符（==、!=、<=、>=、<、>）");
    return false;
}

/* Replaces $name and ${name} by the bound values. */
static char *substitute(const char *text, const nb_rule_var *vars, size_t nvars, const size_t *idx)
{
    nb_strbuf sb;
    nb_sb_init(&sb);
    for (const char *s = text; *s;) {
        if (*s != '$') { /* the text up to the next variable at once */
            size_t run = strcspn(s, "$");
            nb_sb_append(&sb, s, run);
            s += run;
            continue;
        }
        const char *name = s + 1;
        size_t n;
        bool braced = *name == '{';
        if (braced) {
            name++;
            n = strcspn(name, "}");
        } else {
            n = 0;
            while (isalnum((unsigned char)name[n]) || name[n] == '_')
                n++;
        }
        size_t v = 0;
        while (v < nvars && !(strlen(vars[v].name) == n && strncmp(vars[v].name, name, n) == 0))
            v++;
        if (v == nvars) { /* unknown: keep as is; the parser reports it */
            nb_sb_append(&sb, s, 1);
            s++;
            continue;
        }
        nb_sb_puts(&sb, vars[v].values[idx[v]]);
        s = name + n + (braced && name[n] == '}');
    }
    return nb_sb_take(&sb);
}

static bool compile_one(nb_format *f, nb_rule *rule, const char *text, const char *at, nb_rule_instance *inst,
                        char *err, size_t errsize)
{
    parser p = {.f = f, .s = text, .err = err, .errsize = errsize};
    nb_op op = NB_OP_EQ;
    bool ok = sum(&p, 1);
    size_t nlhs = p.nterms;
    ok = ok && relop(&p, &op) && sum(&p, -1);
    skip_ws(&p);
    if (ok && p.s[p.pos] != '\0') {
        fail(&p, "%s", "断言之后有多余的文字");
        ok = false;
    }
    if (strchr(text, '$')) {
        p.pos = (size_t)(strchr(text, '$') - text);
        fail(&p, "%s", "未知的变量");
        ok = false;
    }
    inst->at = -1;
    for (size_t i = 0; ok && i < p.nterms && inst->at < 0; i++)
        if (p.terms[i].cell >= 0) {
            inst->at = p.terms[i].cell;
            inst->at_prev = p.terms[i].prev;
        }
    if (ok && at) {
        parser q = {.f = f, .s = at, .err = err, .errsize = errsize};
        ok = ref(&q, 1, false);
        if (ok) {
            inst->at = q.terms[0].cell;
            inst->at_prev = q.terms[0].prev;
        }
        free(q.terms);
    }
    if (ok) {
        inst->nterms = p.nterms;
        inst->nlhs = nlhs;
        inst->op = op;
        inst->terms = nb_arena_alloc(&f->arena, (p.nterms ? p.nterms : 1) * sizeof *inst->terms);
        memcpy(inst->terms, p.terms, p.nterms * sizeof *p.terms);
        for (size_t i = 0; i < p.nterms; i++)
            if (p.terms[i].prev)
                rule->cross_year = true;
    }
    free(p.terms);
    return ok;
}

/* Does text refer to the variable name ($name or ${name})? */
static bool uses_var(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *s = text ? strchr(text, '$') : NULL; s; s = strchr(s + 1, '$')) {
        const char *v = s + 1;
        bool braced = *v == '{';
        v += braced;
        if (strncmp(v, name, n) != 0)
            continue;
        char next = v[n];
        if (braced ? next == '}' : !(isalnum((unsigned char)next) || next == '_'))
            return true;
    }
    return false;
}

bool nb_rule_compile(nb_format *f, nb_rule *rule, const char *text, const char *at, const nb_rule_var *all_vars,
                     size_t nall, char *err, size_t errsize)
{
    /* only the variables this assertion uses multiply its instances */
    nb_rule_var *vars = nb_xcalloc(nall ? nall : 1, sizeof *vars);
    size_t nvars = 0, total = 1;
    for (size_t v = 0; v < nall; v++)
        if (uses_var(text, all_vars[v].name) || uses_var(at, all_vars[v].name)) {
            vars[nvars] = all_vars[v];
            total *= vars[nvars++].nvalues;
        }
    if (rule->expr) {
        size_t n = strlen(rule->expr) + strlen(text) + 3;
        char *joined = nb_arena_alloc(&f->arena, n);
        snprintf(joined, n, "%s; %s", rule->expr, text);
        rule->expr = joined;
    } else {
        rule->expr = nb_arena_strdup(&f->arena, text);
    }
    nb_rule_instance *inst = nb_arena_alloc(&f->arena, (rule->ninst + total + 1) * sizeof *inst);
    if (rule->ninst)
        memcpy(inst, rule->inst, rule->ninst * sizeof *inst);
    rule->inst = inst;
    size_t *idx = nb_xcalloc(nvars ? nvars : 1, sizeof *idx);
    bool ok = true;
    for (size_t n = 0; n < total && ok; n++) {
        size_t k = n;
        for (size_t v = nvars; v-- > 0;) {
            idx[v] = k % vars[v].nvalues;
            k /= vars[v].nvalues;
        }
        char *expr = substitute(text, vars, nvars, idx);
        char *where = at ? substitute(at, vars, nvars, idx) : NULL;
        ok = compile_one(f, rule, expr, where, &rule->inst[rule->ninst], err, errsize);
        if (ok)
            rule->ninst++;
        free(expr);
        free(where);
    }
    free(idx);
    free(vars);
    return ok;
}

bool nb_rule_var_range(nb_format *f, const char *spec, nb_rule_var *var, char *err, size_t errsize)
{
    const char *dot = strchr(spec, '.');
    char tid[64];
    size_t n = dot ? (size_t)(dot - spec) : 0;
    if (!dot || n >= sizeof tid || (strcmp(dot + 1, "rows") != 0 && strcmp(dot + 1, "columns") != 0)) {
        snprintf(err, errsize, "变量范围 '%s' 应为 TABLE.rows、TABLE.columns 或 id 列表", spec);
        return false;
    }
    memcpy(tid, spec, n);
    tid[n] = '\0';
    const nb_table *t = nb_format_table(f, tid);
    if (!t) {
        snprintf(err, errsize, "变量范围 '%s'：未知的表 '%s'", spec, tid);
        return false;
    }
    bool rows = strcmp(dot + 1, "rows") == 0;
    size_t cap = rows ? t->nrows : t->ncols;
    var->values = nb_arena_alloc(&f->arena, (cap ? cap : 1) * sizeof *var->values);
    var->nvalues = 0;
    for (size_t i = 0; i < cap; i++) {
        const char *id = rows ? (t->rows[i].data ? t->rows[i].id : NULL) : t->cols[i].id;
        if (!id)
            continue;
        bool seen = false;
        for (size_t j = 0; j < var->nvalues; j++)
            seen = seen || strcmp(var->values[j], id) == 0;
        if (!seen)
            var->values[var->nvalues++] = id;
    }
    return true;
}
