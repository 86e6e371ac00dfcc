/* See lua_format.h.  The declaration's shape is documented in docs/formats.md. */
#include "lua_format.h"
#include "lua_schema.h"
#include "rules.h"
#include "text_norm.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const nb_field FORMAT_FIELDS[] = {
    {"id", LUA_TSTRING, true},      {"name", LUA_TSTRING, true},    {"notice", LUA_TSTRING, false},
    {"year_from", LUA_TNUMBER, false}, {"year_to", LUA_TNUMBER, false}, {"sections", LUA_TTABLE, true},
    {"tables", LUA_TTABLE, true},   {"rules", LUA_TTABLE, false},   {"marks", LUA_TTABLE, false},
    {"description", LUA_TSTRING, false}, {"title", LUA_TSTRING, false}, {NULL, 0, false}};
static const nb_field SECTION_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"match", LUA_TTABLE, true},
    {"note", LUA_TSTRING, false}, {NULL, 0, false}};
static const nb_field TABLE_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"section", LUA_TSTRING, true},
    {"blocks", LUA_TTABLE, true}, {NULL, 0, false}};
static const nb_field BLOCK_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, false}, {"corner", LUA_TSTRING, false},
    {"caption", LUA_TSTRING, false}, {"labels", LUA_TBOOLEAN, false}, {"columns", LUA_TTABLE, true}, {"rows", LUA_TTABLE, true}, {NULL, 0, false}};
static const nb_field COLUMN_FIELDS[] = {
    {"id", LUA_TSTRING, false}, {"label", LUA_TSTRING, true}, {"type", LUA_TSTRING, false},
    {"unit", LUA_TSTRING, false}, {"children", LUA_TTABLE, false}, {"aliases", LUA_TTABLE, false},
    {NULL, 0, false}};
static const nb_field ROW_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"aliases", LUA_TTABLE, false},
    {"children", LUA_TTABLE, false}, {"data", LUA_TBOOLEAN, false}, {NULL, 0, false}};
static const nb_field RULE_FIELDS[] = {
    {"id", LUA_TSTRING, true},      {"severity", LUA_TSTRING, true}, {"message", LUA_TSTRING, true},
    {"source", LUA_TSTRING, true},  {"kind", LUA_TSTRING, false},    {"assert", LUA_TNONE, false},
    {"at", LUA_TSTRING, false},     {"each", LUA_TTABLE, false},     {"tables", LUA_TTABLE, false},
    {"section", LUA_TSTRING, false}, {"max", LUA_TNUMBER, false},    {"words", LUA_TTABLE, false},
    {"threshold", LUA_TNUMBER, false}, {"fn", LUA_TFUNCTION, false}, {"cross_year", LUA_TBOOLEAN, false},
    {NULL, 0, false}};

typedef struct {
    lua_State *L;
    nb_format *f;
    char path[256];
} builder;

static int format_gc(lua_State *L)
{
    nb_format **ud = lua_touserdata(L, 1);
    nb_format_free(*ud);
    *ud = NULL;
    return 0;
}

static const char *norm_dup(nb_format *f, const char *s)
{
    size_t n = strlen(s);
    char *out = nb_arena_alloc(&f->arena, n + 1);
    nb_norm_label(s, n, out);
    return out;
}

static const char **strings_norm(builder *b, int idx, const char *key, const char *first, size_t *count)
{
    size_t n = nb_schema_strings(b->L, idx, key, b->path);
    const char **out = nb_arena_alloc(&b->f->arena, (n + 1) * sizeof *out);
    size_t k = 0;
    if (first)
        out[k++] = norm_dup(b->f, first);
    lua_getfield(b->L, idx, key);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        out[k++] = norm_dup(b->f, lua_tostring(b->L, -1));
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    *count = k;
    return out;
}

static size_t array_len(builder *b, int idx, const char *key)
{
    lua_getfield(b->L, idx, key);
    size_t n = lua_istable(b->L, -1) ? lua_rawlen(b->L, -1) : 0;
    lua_pop(b->L, 1);
    return n;
}

/* ---- columns: leaves of the header tree, in order ---- */
static size_t count_columns(builder *b, int idx, const char *path)
{
    size_t n = array_len(b, idx, "children"), total = 0;
    if (n == 0) {
        if (!nb_schema_string(b->L, idx, "id"))
            luaL_error(b->L, "%s: a column without children needs an 'id'", path);
        return 1;
    }
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.children[%d]", path, (int)i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        nb_schema_check(b->L, -1, COLUMN_FIELDS, sub);
        total += count_columns(b, lua_gettop(b->L), sub);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    return total;
}

/* parents: the labels of the header cells above, each followed by "／"
 * (a label spanning the whole block is left out); heads[k] receives the
 * column's label with them, used where its own label is ambiguous. */
static void fill_columns(builder *b, int idx, nb_column *cols, size_t *k, const char *path, const char *parents,
                         size_t block_cols, const char **heads)
{
    size_t n = array_len(b, idx, "children");
    const char *label = nb_schema_string(b->L, idx, "label");
    if (n == 0) {
        heads[*k] = nb_arena_strdup(&b->f->arena, parents);
        nb_column *c = &cols[(*k)++];
        c->id = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "id"));
        c->label = nb_arena_strdup(&b->f->arena, label);
        c->unit = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "unit"));
        const char *type = nb_schema_string(b->L, idx, "type");
        if (!type || strcmp(type, "count") == 0)
            c->type = NB_TYPE_COUNT;
        else if (strcmp(type, "signed") == 0)
            c->type = NB_TYPE_SIGNED;
        else if (strcmp(type, "amount") == 0)
            c->type = NB_TYPE_AMOUNT;
        else
            luaL_error(b->L, "%s: type '%s' is not one of count, signed, amount", path, type);
        return;
    }
    char below[512];
    if (count_columns(b, idx, path) < block_cols)
        snprintf(below, sizeof below, "%s%s／", parents, label);
    else
        snprintf(below, sizeof below, "%s", parents);
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.children[%d]", path, (int)i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        fill_columns(b, lua_gettop(b->L), cols, k, sub, below, block_cols, heads);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
}

/* A label that repeats within a block (表四's 总计 under 行政复议 and twice
 * under 行政诉讼) gets the labels above it, so messages name one column. */
static void disambiguate_columns(builder *b, nb_column *cols, const char **heads, size_t n)
{
    const char **full = nb_arena_alloc(&b->f->arena, (n ? n : 1) * sizeof *full);
    for (size_t i = 0; i < n; i++) {
        full[i] = cols[i].label;
        bool repeated = false;
        for (size_t j = 0; j < n && !repeated; j++)
            repeated = j != i && strcmp(cols[i].label, cols[j].label) == 0;
        if (repeated && heads[i][0]) {
            size_t len = strlen(heads[i]) + strlen(cols[i].label) + 1;
            char *s = nb_arena_alloc(&b->f->arena, len);
            snprintf(s, len, "%s%s", heads[i], cols[i].label);
            full[i] = s;
        }
    }
    for (size_t i = 0; i < n; i++) /* only once all are compared */
        cols[i].label = full[i];
}

/* ---- rows: the label tree, depth first ---- */
static size_t count_rows(builder *b, int idx, const char *path)
{
    nb_schema_check(b->L, idx, ROW_FIELDS, path);
    size_t n = array_len(b, idx, "children"), total = 1;
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.children[%d]", path, (int)i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        total += count_rows(b, lua_gettop(b->L), sub);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    return total;
}

static void fill_rows(builder *b, int idx, nb_table *t, size_t block, int depth, int parent, const char *path)
{
    nb_row *r = &t->rows[t->nrows];
    int me = (int)t->nrows++;
    size_t n = array_len(b, idx, "children");
    r->id = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "id"));
    r->label = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "label"));
    snprintf(b->path, sizeof b->path, "%s", path);
    r->match = strings_norm(b, idx, "aliases", r->label, &r->nmatch);
    r->depth = depth;
    r->parent = parent;
    r->block = block;
    r->data = nb_schema_bool(b->L, idx, "data", n == 0);
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        snprintf(sub, sizeof sub, "%s.children[%d]", path, (int)i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        fill_rows(b, lua_gettop(b->L), t, block, depth + 1, me, sub);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
}

static void build_table(builder *b, int idx, nb_table *t, const char *path)
{
    lua_State *L = b->L;
    nb_schema_check(L, idx, TABLE_FIELDS, path);
    t->id = nb_arena_strdup(&b->f->arena, nb_schema_string(L, idx, "id"));
    t->label = nb_arena_strdup(&b->f->arena, nb_schema_string(L, idx, "label"));
    t->section = nb_arena_strdup(&b->f->arena, nb_schema_string(L, idx, "section"));
    size_t nblocks = array_len(b, idx, "blocks"), ncols = 0, nrows = 0;
    if (nblocks == 0)
        luaL_error(L, "%s: 'blocks' must list at least one block", path);
    lua_getfield(L, idx, "blocks");
    int blocks = lua_gettop(L);
    for (size_t i = 1; i <= nblocks; i++) { /* first pass: check and count */
        char bp[256];
        snprintf(bp, sizeof bp, "%s.blocks[%d]", path, (int)i);
        lua_rawgeti(L, blocks, (lua_Integer)i);
        int bl = lua_gettop(L);
        nb_schema_check(L, bl, BLOCK_FIELDS, bp);
        for (int pass = 0; pass < 2; pass++) {
            const char *key = pass ? "rows" : "columns";
            size_t n = array_len(b, bl, key);
            if (n == 0)
                luaL_error(L, "%s: '%s' must not be empty", bp, key);
            lua_getfield(L, bl, key);
            for (size_t k = 1; k <= n; k++) {
                char sub[256];
                snprintf(sub, sizeof sub, "%s.%s[%d]", bp, key, (int)k);
                lua_rawgeti(L, -1, (lua_Integer)k);
                if (pass) {
                    nrows += count_rows(b, lua_gettop(L), sub);
                } else {
                    nb_schema_check(L, -1, COLUMN_FIELDS, sub);
                    ncols += count_columns(b, lua_gettop(L), sub);
                }
                lua_pop(L, 1);
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    t->blocks = nb_arena_alloc(&b->f->arena, nblocks * sizeof *t->blocks);
    t->cols = nb_arena_alloc(&b->f->arena, ncols * sizeof *t->cols);
    const char **heads = nb_arena_alloc(&b->f->arena, ncols * sizeof *heads);
    t->rows = nb_arena_alloc(&b->f->arena, nrows * sizeof *t->rows);
    t->nblocks = nblocks;
    size_t k = 0;
    for (size_t i = 1; i <= nblocks; i++) { /* second pass: fill */
        char bp[256];
        snprintf(bp, sizeof bp, "%s.blocks[%d]", path, (int)i);
        lua_rawgeti(L, blocks, (lua_Integer)i);
        int bl = lua_gettop(L);
        nb_block *blk = &t->blocks[i - 1];
        blk->id = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "id"));
        blk->label = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "label"));
        blk->corner = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "corner"));
        blk->col_first = k;
        size_t n = array_len(b, bl, "columns"), block_cols = 0;
        lua_getfield(L, bl, "columns");
        for (size_t c = 1; c <= n; c++) {
            lua_rawgeti(L, -1, (lua_Integer)c);
            block_cols += count_columns(b, lua_gettop(L), bp);
            lua_pop(L, 1);
        }
        for (size_t c = 1; c <= n; c++) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s.columns[%d]", bp, (int)c);
            lua_rawgeti(L, -1, (lua_Integer)c);
            fill_columns(b, lua_gettop(L), t->cols, &k, sub, "", block_cols, heads);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        blk->ncols = k - blk->col_first;
        disambiguate_columns(b, t->cols + blk->col_first, heads + blk->col_first, blk->ncols);
        n = array_len(b, bl, "rows");
        lua_getfield(L, bl, "rows");
        for (size_t r = 1; r <= n; r++) {
            char sub[256];
            snprintf(sub, sizeof sub, "%s.rows[%d]", bp, (int)r);
            lua_rawgeti(L, -1, (lua_Integer)r);
            fill_rows(b, lua_gettop(L), t, i - 1, 1, -1, sub);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        lua_pop(L, 1);
    }
    t->ncols = k;
    lua_pop(L, 1);
}

static int section_index(const nb_format *f, const char *id)
{
    for (size_t s = 0; s < f->nsections; s++)
        if (strcmp(f->sections[s].id, id) == 0)
            return (int)s;
    return -1;
}

static int cmp_str(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

/* Reads rule.each into variables, sorted by name for a stable order. */
static size_t rule_vars(builder *b, int idx, nb_rule_var *vars, size_t cap, const char *path)
{
    lua_State *L = b->L;
    if (lua_getfield(L, idx, "each") == LUA_TNIL) {
        lua_pop(L, 1);
        return 0;
    }
    const char *names[8];
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        if (lua_type(L, -2) != LUA_TSTRING || n == cap)
            luaL_error(L, "%s: 'each' maps up to 8 variable names to ranges", path);
        names[n++] = lua_tostring(L, -2);
        lua_pop(L, 1);
    }
    qsort(names, n, sizeof *names, cmp_str);
    for (size_t v = 0; v < n; v++) {
        vars[v].name = nb_arena_strdup(&b->f->arena, names[v]);
        lua_getfield(L, -1, names[v]);
        char err[256];
        if (lua_type(L, -1) == LUA_TSTRING) {
            if (!nb_rule_var_range(b->f, lua_tostring(L, -1), &vars[v], err, sizeof err))
                luaL_error(L, "%s: %s", path, err);
            vars[v].range = nb_arena_strdup(&b->f->arena, lua_tostring(L, -1));
        } else if (lua_istable(L, -1) && lua_rawlen(L, -1) > 0) {
            size_t m = lua_rawlen(L, -1);
            vars[v].values = nb_arena_alloc(&b->f->arena, m * sizeof *vars[v].values);
            vars[v].nvalues = m;
            for (size_t i = 1; i <= m; i++) {
                if (lua_rawgeti(L, -1, (lua_Integer)i) != LUA_TSTRING)
                    luaL_error(L, "%s: each.%s[%d] must be a string", path, names[v], (int)i);
                vars[v].values[i - 1] = nb_arena_strdup(&b->f->arena, lua_tostring(L, -1));
                lua_pop(L, 1);
            }
        } else {
            luaL_error(L, "%s: each.%s must be 'TABLE.rows', 'TABLE.columns' or a list of ids", path, names[v]);
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
static void compile_asserts(builder *b, int idx, nb_rule *rule, const char *path)
{
    lua_State *L = b->L;
    nb_rule_var vars[8];
    memset(vars, 0, sizeof vars);
    size_t nv = rule_vars(b, idx, vars, 8, path);
    rule->each = each_text(b->f, vars, nv);
    const char *at = nb_schema_string(L, idx, "at");
    lua_getfield(L, idx, "assert");
    int list = lua_istable(L, -1) ? lua_gettop(L) : 0;
    size_t n = list ? lua_rawlen(L, list) : 1;
    if (!list && lua_type(L, -1) != LUA_TSTRING)
        luaL_error(L, "%s: 'assert' must be a string or a list of strings", path);
    if (n == 0)
        luaL_error(L, "%s: 'assert' must not be an empty list", path);
    for (size_t i = 1; i <= n; i++) {
        if (list && lua_rawgeti(L, list, (lua_Integer)i) != LUA_TSTRING)
            luaL_error(L, "%s: assert[%d] must be a string", path, (int)i);
        char err[512];
        if (!nb_rule_compile(b->f, rule, lua_tostring(L, -1), at, vars, nv, err, sizeof err))
            luaL_error(L, "%s: %s", path, err);
        if (list)
            lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

static void build_rule(builder *b, int idx, nb_rule *rule, const char *path)
{
    lua_State *L = b->L;
    nb_format *f = b->f;
    nb_schema_check(L, idx, RULE_FIELDS, path);
    rule->id = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "id"));
    rule->message = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "message"));
    rule->source = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "source"));
    rule->lua_ref = LUA_NOREF;
    rule->section = -1;
    if (strcmp(rule->source, "stated") != 0 && strcmp(rule->source, "inferred") != 0)
        luaL_error(L, "%s: source must be 'stated' (in the notice) or 'inferred', not '%s'", path, rule->source);
    if (!nb_severity_parse(nb_schema_string(L, idx, "severity"), &rule->severity))
        luaL_error(L, "%s: severity must be error, warning or info", path);
    lua_getfield(L, idx, "assert");
    bool has_assert = !lua_isnil(L, -1);
    lua_pop(L, 1);
    const char *kind = nb_schema_string(L, idx, "kind");
    if (!kind)
        kind = has_assert ? "assert" : NULL;
    if (!kind)
        luaL_error(L, "%s: give 'assert' or a 'kind'", path);
    if (!nb_rule_kind_parse(kind, &rule->kind))
        luaL_error(L, "%s: unknown kind '%s'", path, kind);
    rule->cross_year = nb_schema_bool(L, idx, "cross_year", false);
    size_t nt = nb_schema_strings(L, idx, "tables", path);
    rule->tables = nb_arena_alloc(&f->arena, (nt + 1) * sizeof *rule->tables);
    lua_getfield(L, idx, "tables");
    for (size_t i = 1; i <= nt; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        if (!nb_format_table(f, lua_tostring(L, -1)))
            luaL_error(L, "%s: unknown table '%s'", path, lua_tostring(L, -1));
        rule->tables[rule->ntables++] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    const char *section = nb_schema_string(L, idx, "section");
    if (section && (rule->section = section_index(f, section)) < 0)
        luaL_error(L, "%s: unknown section '%s'", path, section);
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
            luaL_error(L, "%s: an assert rule needs 'assert'", path);
        compile_asserts(b, idx, rule, path);
        break;
    case NB_RULE_TEXT_LENGTH:
    case NB_RULE_TEXT_MENTIONS:
    case NB_RULE_TEXT_SIMILAR:
        if (rule->section < 0)
            luaL_error(L, "%s: a %s rule needs 'section'", path, kind);
        if (rule->kind == NB_RULE_TEXT_LENGTH && rule->max_chars <= 0)
            luaL_error(L, "%s: a text_length rule needs 'max' > 0", path);
        if (rule->kind == NB_RULE_TEXT_MENTIONS && rule->nwords == 0)
            luaL_error(L, "%s: a text_mentions rule needs 'words'", path);
        if (rule->kind == NB_RULE_TEXT_SIMILAR)
            rule->cross_year = true;
        break;
    case NB_RULE_LUA:
        if (lua_getfield(L, idx, "fn") != LUA_TFUNCTION)
            luaL_error(L, "%s: a lua rule needs 'fn'", path);
        rule->lua_ref = luaL_ref(L, LUA_REGISTRYINDEX);
        break;
    default:
        break;
    }
}

nb_format *nb_lua_build_format(lua_State *L, int idx, const char *plugin_file)
{
    idx = lua_absindex(L, idx);
    nb_format **ud = lua_newuserdatauv(L, sizeof *ud, 0);
    *ud = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, format_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    *ud = nb_format_new();
    builder b = {.L = L, .f = *ud};
    nb_format *f = b.f;

    nb_schema_check(L, idx, FORMAT_FIELDS, "format");
    f->id = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "id"));
    char path[256];
    snprintf(path, sizeof path, "format '%s'", f->id);
    f->name = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "name"));
    f->notice = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "notice"));
    f->source_file = nb_arena_strdup(&f->arena, plugin_file);
    f->year_from = (int)nb_schema_int(L, idx, "year_from", 0);
    f->year_to = (int)nb_schema_int(L, idx, "year_to", 0);
    snprintf(b.path, sizeof b.path, "%s", path);
    f->marks = strings_norm(&b, idx, "marks", NULL, &f->nmarks);

    size_t n = array_len(&b, idx, "sections");
    f->sections = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->sections);
    lua_getfield(L, idx, "sections");
    for (size_t i = 1; i <= n; i++) {
        snprintf(b.path, sizeof b.path, "%s: sections[%d]", path, (int)i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        nb_schema_check(L, -1, SECTION_FIELDS, b.path);
        nb_section_def *s = &f->sections[f->nsections++];
        s->id = nb_arena_strdup(&f->arena, nb_schema_string(L, -1, "id"));
        s->label = nb_arena_strdup(&f->arena, nb_schema_string(L, -1, "label"));
        s->match = strings_norm(&b, lua_gettop(L), "match", NULL, &s->nmatch);
        if (s->nmatch == 0)
            luaL_error(L, "%s: 'match' must list at least one word", b.path);
        if (section_index(f, s->id) != (int)f->nsections - 1)
            luaL_error(L, "%s: section id '%s' is declared twice", b.path, s->id);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    n = array_len(&b, idx, "tables");
    f->tables = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->tables);
    lua_getfield(L, idx, "tables");
    for (size_t i = 1; i <= n; i++) {
        char tp[256];
        snprintf(tp, sizeof tp, "%s: tables[%d]", path, (int)i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        build_table(&b, lua_gettop(L), &f->tables[f->ntables++], tp);
        if (section_index(f, f->tables[i - 1].section) < 0)
            luaL_error(L, "%s: unknown section '%s'", tp, f->tables[i - 1].section);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    char err[256];
    if (!nb_format_finish(f, err, sizeof err))
        luaL_error(L, "%s: %s", path, err);

    n = array_len(&b, idx, "rules");
    f->rules = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->rules);
    lua_getfield(L, idx, "rules");
    for (size_t i = 1; i <= n; i++) {
        char rp[256];
        snprintf(rp, sizeof rp, "%s: rules[%d]", path, (int)i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        build_rule(&b, lua_gettop(L), &f->rules[f->nrules], rp);
        for (size_t k = 0; k < f->nrules; k++)
            if (strcmp(f->rules[k].id, f->rules[f->nrules].id) == 0)
                luaL_error(L, "%s: rule id '%s' is declared twice", rp, f->rules[k].id);
        f->nrules++;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    *ud = NULL; /* ownership passes to the caller */
    lua_pop(L, 1);
    return f;
}
