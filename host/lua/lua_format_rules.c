/* See lua_format_rules.h. */
#include "lua/lua_format_rules.h"
#include "lua/lua_schema.h"
#include "rules/text_pattern.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const nb_field RULE_FIELDS[] = {
    {"id", LUA_TSTRING, true},      {"severity", LUA_TSTRING, true}, {"message", LUA_TSTRING, true},
    {"source", LUA_TSTRING, true},  {"kind", LUA_TSTRING, false},    {"assert", LUA_TNONE, false},
    {"at", LUA_TSTRING, false},     {"each", LUA_TTABLE, false},     {"tables", LUA_TTABLE, false},
    {"section", LUA_TSTRING, false}, {"max", LUA_TNUMBER, false},    {"words", LUA_TTABLE, false},
    {"threshold", LUA_TNUMBER, false}, {"fn", LUA_TFUNCTION, false}, {"cross_year", LUA_TBOOLEAN, false},
    {"quantities", LUA_TTABLE, false}, {"factor", LUA_TNUMBER, false}, {"min_cases", LUA_TNUMBER, false},
    {"carry_over", LUA_TSTRING, false}, {"received", LUA_TTABLE, false}, {"share", LUA_TNUMBER, false},
    {"narrative", LUA_TTABLE, false}, {NULL, 0, false}};

static const nb_field QUANTITY_FIELDS[] = {{"what", LUA_TSTRING, true}, {"cells", LUA_TTABLE, true}, {NULL, 0, false}};

static const nb_field NARRATIVE_FIELDS[] = {{"sentences", LUA_TTABLE, true}, {"clauses", LUA_TTABLE, true},
                                            {"skip", LUA_TTABLE, false},     {"placeholder", LUA_TSTRING, false},
                                            {"quantities", LUA_TTABLE, true}, {NULL, 0, false}};
static const nb_field NARRATIVE_QUANTITY_FIELDS[] = {{"what", LUA_TSTRING, true},      {"cells", LUA_TTABLE, true},
                                                     {"patterns", LUA_TTABLE, true},   {"unless", LUA_TTABLE, false},
                                                     {"sentence", LUA_TSTRING, false}, {NULL, 0, false}};

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Reads rule.each into variables, sorted by name for a stable order. */
static size_t rule_vars(lua_State *L, nb_format *f, int idx, nb_rule_var *vars, size_t cap, const char *path)
{
    if (lua_getfield(L, idx, "each") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    const char *names[8];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING || n == cap)
            luaL_error(L, "%s：'each' 应把至多 8 个变量名（字符串键）各映射到一个范围", path);
        names[n++] = lua_tostring(L, -2);
        lua_pop(L, 1);
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t v = 0; v < n; v++) {
        vars[v].name = nb_arena_strdup(&f->arena, names[v]);
        lua_getfield(L, -1, names[v]);
        char err[256];
        if (lua_type(L, -1) == LUA_TSTRING) {
            if (!nb_rule_var_range(f, lua_tostring(L, -1), &vars[v], err, sizeof err))
                luaL_error(L, "%s：%s", path, err);
            vars[v].range = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        } else if (lua_istable(L, -1) && lua_rawlen(L, -1) > 0) {
            size_t m = lua_rawlen(L, -1);
            vars[v].values = nb_arena_alloc(&f->arena, m * sizeof *vars[v].values);
            vars[v].nvalues = m;
            for (size_t i = 1; i <= m; i++) {
                if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
                    luaL_error(L, "%s：each.%s[%d] 应为字符串", path, names[v], (int)i);
                vars[v].values[i - 1] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
                lua_pop(L, 1);
            }
        } else {
            luaL_error(L, "%s：each.%s 应为 'TABLE.rows'、'TABLE.columns' 或 id 列表", path, names[v]);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return n;
}

/* "c in t3.columns; r in {regulations, normative}", for the catalogue */
static const char *each_text(nb_format *f, const nb_rule_var *vars, size_t nv)
{
    size_t n = 1;
    for (size_t v = 0; v < nv; v++) {
        n += strlen(vars[v].name) + 8 + (vars[v].range ? strlen(vars[v].range) : 0);
        for (size_t i = 0; !vars[v].range && i < vars[v].nvalues; i++)
            n += strlen(vars[v].values[i]) + 2;
    }
    char *s = nb_arena_alloc(&f->arena, n), *p = s;
    for (size_t v = 0; v < nv; v++) {
        p += sprintf(p, "%s%s in ", v ? "; " : "", vars[v].name);
        if (vars[v].range)
            p += sprintf(p, "%s", vars[v].range);
        for (size_t i = 0; !vars[v].range && i < vars[v].nvalues; i++)
            p += sprintf(p, "%s%s%s", i ? ", " : "{", vars[v].values[i], i + 1 == vars[v].nvalues ? "}" : "");
    }
    return nv ? s : NULL;
}

/* rule.assert: one assertion, or a list of them sharing `each` and `at` */
static void compile_asserts(lua_State *L, nb_format *f, int idx, nb_rule *rule, const char *path)
{
    nb_rule_var vars[8];
    memset(vars, 0, sizeof vars);
    size_t nv = rule_vars(L, f, idx, vars, 8, path);
    rule->each = each_text(f, vars, nv);
    const char *at = nb_schema_string(L, idx, "at");
    lua_getfield(L, idx, "assert");
    int list = lua_istable(L, -1) ? lua_gettop(L) : 0;
    size_t n = list ? lua_rawlen(L, list) : 1;
    if (!list && lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "%s：'assert' 应为字符串或字符串列表", path);
    if (n == 0)
        luaL_error(L, "%s：'assert' 不能是空列表", path);
    for (size_t i = 1; i <= n; i++) {
        if (list && lua_rawgeti(L, list, (lua_Integer)i) != LUA_TSTRING)
            luaL_error(L, "%s：assert[%d] 应为字符串", path, (int)i);
        char err[512];
        if (!nb_rule_compile(f, rule, lua_tostring(L, -1), at, vars, nv, err, sizeof err))
            luaL_error(L, "%s：%s", path, err);
        if (list)
            lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* A cell address "t3.new.total" of f as a term of coefficient 1. */
static void cell_term(lua_State *L, nb_format *f, const char *addr, nb_term *t, const char *path)
{
    const char *d1 = strchr(addr, '.'), *d2 = d1 ? strchr(d1 + 1, '.') : NULL;
    if (!d2 || d1 == addr || d2 == d1 + 1 || !d2[1] || strchr(d2 + 1, '.'))
        luaL_error(L, "%s：单元格 '%s' 应写作 表.行.栏（如 t3.new.total）", path, addr);
    t->table = nb_arena_strndup(&f->arena, addr, (size_t)(d1 - addr));
    t->row = nb_arena_strndup(&f->arena, d1 + 1, (size_t)(d2 - d1 - 1));
    t->col = nb_arena_strdup(&f->arena, d2 + 1);
    long c = nb_format_cell(f, t->table, t->row, t->col);
    if (c < 0)
        luaL_error(L, "%s：本格式没有单元格 '%s'", path, addr);
    t->cell = (int32_t)c;
    t->coef = 1;
}

/* q's cells: the string list rule[key] (idx), or the string itself */
static void quantity_cells(lua_State *L, nb_format *f, int idx, const char *key, nb_quantity *q, const char *path)
{
    if (lua_getfield(L, idx, key) == LUA_TSTRING) {
        q->cells = nb_arena_alloc(&f->arena, sizeof *q->cells);
        q->ncells = 1;
        cell_term(L, f, lua_tostring(L, -1), &q->cells[0], path);
        lua_pop(L, 1);
        return;
    }
    lua_pop(L, 1);
    size_t n = nb_schema_strings(L, idx, key, path);
    if (n == 0)
        luaL_error(L, "%s：'%s' 应列出至少一个单元格", path, key);
    q->cells = nb_arena_alloc(&f->arena, n * sizeof *q->cells);
    q->ncells = n;
    lua_getfield(L, idx, key);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        cell_term(L, f, lua_tostring(L, -1), &q->cells[i - 1], path);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* jump: quantities = { { what = …, cells = { … } }, … }, factor, min_cases;
 * backlog: carry_over, received, min_cases, share */
static void outlier_rule(lua_State *L, nb_format *f, int idx, nb_rule *rule, const char *path)
{
    rule->cross_year = true;
    rule->min_cases = (long)nb_schema_int(L, idx, "min_cases", -1);
    if (rule->min_cases < 0)
        luaL_error(L, "%s：%s 规则需要不小于 0 的 'min_cases'", path, nb_rule_kind_name(rule->kind));
    if (rule->kind == NB_RULE_BACKLOG) {
        rule->share_pct = (long)nb_schema_int(L, idx, "share", -1);
        if (rule->share_pct < 0)
            luaL_error(L, "%s：backlog 规则需要不小于 0 的 'share'（百分数）", path);
        rule->quantities = nb_arena_alloc(&f->arena, 2 * sizeof *rule->quantities);
        memset(rule->quantities, 0, 2 * sizeof *rule->quantities);
        rule->nquantities = 2;
        quantity_cells(L, f, idx, "carry_over", &rule->quantities[0], path);
        quantity_cells(L, f, idx, "received", &rule->quantities[1], path);
        if (rule->quantities[0].ncells != 1)
            luaL_error(L, "%s：backlog 规则的 'carry_over' 应为一个单元格", path);
        return;
    }
    rule->factor = (long)nb_schema_int(L, idx, "factor", 0);
    if (rule->factor < 2)
        luaL_error(L, "%s：jump 规则需要不小于 2 的整数 'factor'", path);
    if (lua_getfield(L, idx, "quantities") != LUA_TTABLE || lua_rawlen(L, -1) == 0)
        luaL_error(L, "%s：jump 规则需要 'quantities'（{ what = …, cells = { … } } 的列表）", path);
    int list = lua_gettop(L);
    size_t n = lua_rawlen(L, list);
    rule->quantities = nb_arena_alloc(&f->arena, n * sizeof *rule->quantities);
    rule->nquantities = n;
    for (size_t i = 1; i <= n; i++) {
        char where[256];
        snprintf(where, sizeof where, "%s.quantities[%d]", path, (int)i);
        if (lua_rawgeti(L, list, (lua_Integer)i) != LUA_TTABLE)
            luaL_error(L, "%s 应为 { what = …, cells = { … } }", where);
        nb_schema_check(L, lua_gettop(L), QUANTITY_FIELDS, where);
        nb_quantity *q = &rule->quantities[i - 1];
        q->what = nb_arena_strdup(&f->arena, nb_schema_string(L, -1, "what"));
        quantity_cells(L, f, lua_gettop(L), "cells", q, where);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* the strings of the list idx.key (absent: none) copied into f's arena; *n their count */
static const char **arena_strings(lua_State *L, nb_format *f, int idx, const char *key, size_t *n, const char *path)
{
    *n = nb_schema_strings(L, idx, key, path);
    const char **v = nb_arena_alloc(&f->arena, (*n + 1) * sizeof *v);
    lua_getfield(L, idx, key);
    for (size_t i = 1; i <= *n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        v[i - 1] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return v;
}

/* separators: a non-empty list of non-empty strings */
static nb_word *separators(lua_State *L, nb_format *f, int idx, const char *key, size_t *n, const char *path)
{
    const char **v = arena_strings(L, f, idx, key, n, path);
    if (*n == 0)
        luaL_error(L, "%s：narrative.%s 应列出至少一个分隔符", path, key);
    nb_word *w = nb_arena_alloc(&f->arena, *n * sizeof *w);
    for (size_t i = 0; i < *n; i++) {
        w[i] = (nb_word){v[i], strlen(v[i])};
        if (w[i].n == 0)
            luaL_error(L, "%s：narrative.%s 的第 %d 项是空字符串：分隔符不能为空", path, key, (int)i + 1);
    }
    return w;
}

/* nv->any: the distinct needles of the rule's patterns that hold no other
 * one ("规范性文件" of "制发" … "规范性文件" stays, "上年度结转" goes when
 * "结转" is one): the fewer searched, the cheaper a line without any */
static void any_needles(nb_format *f, nb_rule *rule)
{
    nb_narrative *nv = rule->narrative;
    size_t total = 0;
    for (size_t i = 0; i < rule->nquantities; i++)
        total += rule->quantities[i].npatterns;
    nv->any = nb_arena_alloc(&f->arena, (total ? total : 1) * sizeof *nv->any);
    for (size_t i = 0; nv->needed && i < rule->nquantities; i++)
        for (size_t k = 0; k < rule->quantities[i].npatterns; k++) {
            const char *a = rule->quantities[i].needles[k];
            bool covered = false;
            for (size_t j = 0; j < rule->nquantities && !covered; j++)
                for (size_t m = 0; m < rule->quantities[j].npatterns && !covered; m++) {
                    const char *b = rule->quantities[j].needles[m];
                    /* b inside a; of two equal ones the first is kept */
                    covered = strstr(a, b) && (strcmp(a, b) != 0 || j < i || (j == i && m < k));
                }
            if (!covered)
                nv->any[nv->nany++] = a;
        }
}

/* narrative = { sentences, clauses, skip, placeholder, quantities = { { what, cells, patterns, unless, sentence }, … } } */
static void narrative_rule(lua_State *L, nb_format *f, int idx, nb_rule *rule, const char *path)
{
    char where[256];
    snprintf(where, sizeof where, "%s.narrative", path);
    if (lua_getfield(L, idx, "narrative") != LUA_TTABLE)
        luaL_error(L, "%s：narrative 规则需要 'narrative'（sentences、clauses、quantities …）", path);
    int nt = lua_gettop(L);
    nb_schema_check(L, nt, NARRATIVE_FIELDS, where);
    nb_narrative *nv = nb_arena_alloc(&f->arena, sizeof *nv);
    memset(nv, 0, sizeof *nv);
    nv->sentences = separators(L, f, nt, "sentences", &nv->nsentences, where);
    nv->clauses = separators(L, f, nt, "clauses", &nv->nclauses, where);
    nv->skip = arena_strings(L, f, nt, "skip", &nv->nskip, where);
    const char *ph = nb_schema_string(L, nt, "placeholder");
    nv->placeholder = ph && *ph ? nb_arena_strdup(&f->arena, ph) : NULL;
    rule->narrative = nv;
    lua_getfield(L, nt, "quantities");
    int list = lua_gettop(L);
    size_t n = lua_rawlen(L, list);
    if (n == 0)
        luaL_error(L, "%s.quantities 应列出至少一个数量", where);
    rule->quantities = nb_arena_alloc(&f->arena, n * sizeof *rule->quantities);
    memset(rule->quantities, 0, n * sizeof *rule->quantities);
    rule->nquantities = n;
    nv->needed = true;
    for (size_t i = 1; i <= n; i++) {
        char qw[320];
        snprintf(qw, sizeof qw, "%s.quantities[%d]", where, (int)i);
        if (lua_rawgeti(L, list, (lua_Integer)i) != LUA_TTABLE)
            luaL_error(L, "%s 应为 { what = …, cells = { … }, patterns = { … } }", qw);
        int qi = lua_gettop(L);
        nb_schema_check(L, qi, NARRATIVE_QUANTITY_FIELDS, qw);
        nb_quantity *q = &rule->quantities[i - 1];
        q->what = nb_arena_strdup(&f->arena, nb_schema_string(L, qi, "what"));
        quantity_cells(L, f, qi, "cells", q, qw);
        q->patterns = arena_strings(L, f, qi, "patterns", &q->npatterns, qw);
        if (q->npatterns == 0)
            luaL_error(L, "%s：'patterns' 应列出至少一个模式", qw);
        q->needles = nb_arena_alloc(&f->arena, q->npatterns * sizeof *q->needles);
        for (size_t k = 0; k < q->npatterns; k++) {
            char err[512], need[256];
            if (!nb_pattern_check(q->patterns[k], err, sizeof err))
                luaL_error(L, "%s：%s", qw, err);
            /* "#" stands for a long digit run dropped from a clause: not in the line as written */
            nv->needed = nb_pattern_required(q->patterns[k], need, sizeof need) > 0 && !strchr(need, '#') && nv->needed;
            q->needles[k] = nb_arena_strdup(&f->arena, need);
        }
        q->unless = arena_strings(L, f, qi, "unless", &q->nunless, qw);
        const char *sentence = nb_schema_string(L, qi, "sentence");
        q->sentence = sentence ? nb_arena_strdup(&f->arena, sentence) : NULL;
        lua_pop(L, 1);
    }
    lua_pop(L, 2);
    any_needles(f, rule);
}

void nb_lua_build_rule(lua_State *L, nb_format *f, int idx, nb_rule *rule, const char *path)
{
    nb_schema_check(L, idx, RULE_FIELDS, path);
    rule->id = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "id"));
    rule->message = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "message"));
    rule->source = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "source"));
    rule->lua_ref = LUA_NOREF;
    rule->section = -1;
    if (strcmp(rule->source, "stated") != 0 && strcmp(rule->source, "inferred") != 0)
        luaL_error(L, "%s：source 应为 'stated'（通知中写明）或 'inferred'（由此推断），而不是 '%s'", path, rule->source);
    if (!nb_severity_parse(nb_schema_string(L, idx, "severity"), &rule->severity))
        luaL_error(L, "%s：severity 应为 error、warning、verify 或 info", path);
    lua_getfield(L, idx, "assert");
    bool has_assert = !lua_isnil(L, -1);
    lua_pop(L, 1);
    const char *kind = nb_schema_string(L, idx, "kind");
    if (!kind)
        kind = has_assert ? "assert" : NULL;
    if (!kind)
        luaL_error(L, "%s：请给出 'assert' 或 'kind'", path);
    if (!nb_rule_kind_parse(kind, &rule->kind))
        luaL_error(L, "%s：未知的 kind '%s'", path, kind);
    rule->cross_year = nb_schema_bool(L, idx, "cross_year", false);
    size_t nt = nb_schema_strings(L, idx, "tables", path);
    rule->tables = nb_arena_alloc(&f->arena, (nt + 1) * sizeof *rule->tables);
    lua_getfield(L, idx, "tables");
    for (size_t i = 1; i <= nt; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (!nb_format_table(f, lua_tostring(L, -1)))
            luaL_error(L, "%s：未知的表 '%s'", path, lua_tostring(L, -1));
        rule->tables[rule->ntables++] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    const char *section = nb_schema_string(L, idx, "section");
    if (section && (rule->section = nb_format_section(f, section)) < 0)
        luaL_error(L, "%s：未知的部分 '%s'", path, section);
    rule->max_chars = (long)nb_schema_int(L, idx, "max", 0);
    rule->threshold_pct = (long)nb_schema_int(L, idx, "threshold", 80);
    size_t nw = nb_schema_strings(L, idx, "words", path);
    rule->words = nb_arena_alloc(&f->arena, (nw + 1) * sizeof *rule->words);
    lua_getfield(L, idx, "words");
    for (size_t i = 1; i <= nw; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        rule->words[rule->nwords++] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    switch (rule->kind) {
    case NB_RULE_ASSERT:
        if (!has_assert)
            luaL_error(L, "%s：assert 规则需要 'assert'", path);
        compile_asserts(L, f, idx, rule, path);
        break;
    case NB_RULE_TEXT_LENGTH:
    case NB_RULE_TEXT_MENTIONS:
    case NB_RULE_TEXT_SIMILAR:
        if (rule->section < 0)
            luaL_error(L, "%s：%s 规则需要 'section'", path, kind);
        if (rule->kind == NB_RULE_TEXT_LENGTH && rule->max_chars <= 0)
            luaL_error(L, "%s：text_length 规则需要大于 0 的 'max'", path);
        if (rule->kind == NB_RULE_TEXT_MENTIONS && rule->nwords == 0)
            luaL_error(L, "%s：text_mentions 规则需要 'words'", path);
        if (rule->kind == NB_RULE_TEXT_SIMILAR)
            rule->cross_year = true;
        break;
    case NB_RULE_PLACEHOLDER:
        if (rule->nwords == 0)
            luaL_error(L, "%s：placeholder 规则需要 'words'（草稿留下的占位标记）", path);
        break;
    case NB_RULE_JUMP:
    case NB_RULE_BACKLOG: outlier_rule(L, f, idx, rule, path); break;
    case NB_RULE_NARRATIVE: narrative_rule(L, f, idx, rule, path); break;
    case NB_RULE_LUA:
        if (lua_getfield(L, idx, "fn") != LUA_TFUNCTION)
            luaL_error(L, "%s：lua 规则需要 'fn'（一个函数）", path);
        rule->lua_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        break;
    default:
        break;
    }
}

