/* See lua_format.h.  The declaration's shape is documented in docs/formats.md. */
#include "lua/lua_format.h"
#include "lua/lua_schema.h"
#include "lua/lua_format_rules.h"
#include "lua/lua_format_sketch.h"
#include "model/rules.h"
#include "base/text_norm.h"
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* parts joined into out, cut to size as snprintf cuts: the path of every
 * node of a declaration is made at each start (printf's time, a byte at a time slower still) */
static void join_cut(char *out, size_t size, const char *const parts[], size_t nparts)
{
    size_t len = 0;
    for (size_t p = 0; p < nparts && len + 1 < size; p++) {
        size_t n = strlen(parts[p]);
        n = n < size - 1 - len ? n : size - 1 - len;
        memcpy(out + len, parts[p], n);
        len += n;
    }
    out[len] = '\0';
}

/* path sep key "[i]" into out, cut to size as snprintf cuts */
static void item_path(char *out, size_t size, const char *path, const char *sep, const char *key, size_t i)
{
    char num[24], *d = num + sizeof num;
    *--d = '\0';
    *--d = ']';
    do
        *--d = (char)('0' + i % 10);
    while ((i /= 10) != 0);
    *--d = '[';
    join_cut(out, size, (const char *const[]){path, sep, key, d}, 4);
}

static const nb_field FORMAT_FIELDS[] = {
    {"id", LUA_TSTRING, true},      {"name", LUA_TSTRING, true},    {"notice", LUA_TSTRING, false},
    {"year_from", LUA_TNUMBER, false}, {"year_to", LUA_TNUMBER, false}, {"sections", LUA_TTABLE, true},
    {"tables", LUA_TTABLE, true},   {"rules", LUA_TTABLE, false},   {"marks", LUA_TTABLE, false},
    {"description", LUA_TSTRING, false}, {"title", LUA_TSTRING, false}, {"deadlines", LUA_TTABLE, false}, {NULL, 0, false}};
static const nb_field SECTION_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"match", LUA_TTABLE, true},
    {"note", LUA_TSTRING, false}, {NULL, 0, false}};
static const nb_field TABLE_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"section", LUA_TSTRING, true},
    {"blocks", LUA_TTABLE, true}, {"instructions", LUA_TTABLE, false}, {NULL, 0, false}};
static const nb_field BLOCK_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, false}, {"corner", LUA_TSTRING, false},
    {"caption", LUA_TSTRING, false}, {"labels", LUA_TBOOLEAN, false}, {"columns", LUA_TTABLE, true}, {"rows", LUA_TTABLE, true}, {NULL, 0, false}};
static const nb_field COLUMN_FIELDS[] = {
    {"id", LUA_TSTRING, false}, {"label", LUA_TSTRING, true}, {"type", LUA_TSTRING, false},
    {"unit", LUA_TSTRING, false}, {"children", LUA_TTABLE, false}, {"aliases", LUA_TTABLE, false},
    {"additive", LUA_TBOOLEAN, false}, {NULL, 0, false}};
static const nb_field ROW_FIELDS[] = {
    {"id", LUA_TSTRING, true}, {"label", LUA_TSTRING, true}, {"aliases", LUA_TTABLE, false},
    {"children", LUA_TTABLE, false}, {"data", LUA_TBOOLEAN, false}, {"instruction", LUA_TSTRING, false},
    {NULL, 0, false}};
typedef struct {
    lua_State *L;
    nb_format *f;
    char path[256];
    size_t rows_cap, cols_cap; /* counted in the first pass; the second may not pass them */
} builder;

static int format_gc(lua_State *L)
{
    nb_format **ud = lua_touserdata(L, 1);
    nb_format_free(*ud);
    *ud = NULL;
    return 0;
}

static const char **strings_norm(builder *b, int idx, const char *key, const char *first, size_t *count,
                                 const char *path)
{
    return nb_lua_strings_norm(b->L, b->f, idx, key, first, count, path);
}

static size_t array_len(builder *b, int idx, const char *key)
{
    lua_getfield(b->L, idx, key);
    size_t n = lua_istable(b->L, -1) ? lua_rawlen(b->L, -1) : 0;
    lua_pop(b->L, 1);
    return n;
}

/* Rows and columns are trees the plugin builds; the walks below recurse in C,
 * so each level checks the Lua stack and the depth against a declared limit
 * (a cycle of tables ends here too). */
#define NB_DECL_DEPTH_MAX 12

static void enter_level(builder *b, int depth, const char *path)
{
    if (depth > NB_DECL_DEPTH_MAX)
        luaL_error(b->L, "%s：行或栏嵌套超过%d层", path, NB_DECL_DEPTH_MAX);
    luaL_checkstack(b->L, 8, "declaration nesting");
}

/* ---- columns: leaves of the header tree, in order ---- */
static size_t count_columns(builder *b, int idx, const char *path, int depth)
{
    enter_level(b, depth, path);
    size_t n = array_len(b, idx, "children"), total = 0;
    if (n == 0) {
        if (!nb_schema_string(b->L, idx, "id"))
            luaL_error(b->L, "%s：没有 children 的栏需要 'id'", path);
        return 1;
    }
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        item_path(sub, sizeof sub, path, ".", "children", i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        nb_schema_check(b->L, -1, COLUMN_FIELDS, sub);
        total += count_columns(b, lua_gettop(b->L), sub, depth + 1);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    return total;
}

/* The leaves under a column count_columns has checked, its depth within
 * the limit (the fill pass asks of every header cell: checking and naming
 * each again cost a sixth of building a format). */
static size_t leaf_columns(builder *b, int idx)
{
    luaL_checkstack(b->L, 8, "declaration nesting");
    size_t n = array_len(b, idx, "children"), total = 0;
    if (n == 0)
        return 1;
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        total += leaf_columns(b, lua_gettop(b->L));
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    return total;
}

/* parents: the labels of the header cells above, each followed by "／"
 * (a label spanning the whole block is left out); heads[k] receives the
 * column's label with them, used where its own label is ambiguous. */
static void fill_columns(builder *b, int idx, nb_column *cols, size_t *k, const char *path, const char *parents,
                         size_t block_cols, const char **heads, int depth)
{
    enter_level(b, depth, path);
    size_t n = array_len(b, idx, "children");
    const char *label = nb_schema_string(b->L, idx, "label");
    if (n == 0) {
        if (*k >= b->cols_cap)
            luaL_error(b->L, "%s：声明在读取过程中被改动了（声明表不能在读取时修改）", path);
        heads[*k] = nb_arena_strdup(&b->f->arena, parents);
        nb_column *c = &cols[(*k)++];
        c->id = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "id"));
        c->label = nb_arena_strdup(&b->f->arena, label);
        c->unit = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "unit"));
        lua_getfield(b->L, idx, "additive"); /* a stock (现行有效) is not summed over units */
        c->not_additive = lua_type(b->L, -1) == LUA_TBOOLEAN && !lua_toboolean(b->L, -1);
        lua_pop(b->L, 1);
        const char *type = nb_schema_string(b->L, idx, "type");
        if (!type || strcmp(type, "count") == 0)
            c->type = NB_TYPE_COUNT;
        else if (strcmp(type, "signed") == 0)
            c->type = NB_TYPE_SIGNED;
        else if (strcmp(type, "amount") == 0)
            c->type = NB_TYPE_AMOUNT;
        else
            luaL_error(b->L, "%s：type '%s' 应为 count、signed 或 amount 之一", path, type);
        return;
    }
    char below[512];
    const char *parts[] = {parents, label, "／"};
    join_cut(below, sizeof below, parts, leaf_columns(b, idx) < block_cols ? 3 : 1);
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        item_path(sub, sizeof sub, path, ".", "children", i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        fill_columns(b, lua_gettop(b->L), cols, k, sub, below, block_cols, heads, depth + 1);
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
static size_t count_rows(builder *b, int idx, const char *path, int depth)
{
    enter_level(b, depth, path);
    nb_schema_check(b->L, idx, ROW_FIELDS, path);
    size_t n = array_len(b, idx, "children"), total = 1;
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        item_path(sub, sizeof sub, path, ".", "children", i);
        lua_rawgeti(b->L, -1, (lua_Integer)i);
        total += count_rows(b, lua_gettop(b->L), sub, depth + 1);
        lua_pop(b->L, 1);
    }
    lua_pop(b->L, 1);
    return total;
}

static void fill_rows(builder *b, int idx, nb_table *t, size_t block, int depth, int parent, const char *path)
{
    enter_level(b, depth, path);
    if (t->nrows >= b->rows_cap)
        luaL_error(b->L, "%s：声明在读取过程中被改动了（声明表不能在读取时修改）", path);
    nb_row *r = &t->rows[t->nrows];
    int me = (int)t->nrows++;
    size_t n = array_len(b, idx, "children");
    r->id = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "id"));
    r->label = nb_arena_strdup(&b->f->arena, nb_schema_string(b->L, idx, "label"));
    r->match = strings_norm(b, idx, "aliases", r->label, &r->nmatch, path);
    r->depth = depth;
    r->parent = parent;
    r->block = block;
    r->data = nb_schema_bool(b->L, idx, "data", n == 0);
    const char *instruction = nb_schema_string(b->L, idx, "instruction");
    r->instruction = instruction ? nb_arena_strdup(&b->f->arena, instruction) : NULL;
    lua_getfield(b->L, idx, "children");
    for (size_t i = 1; i <= n; i++) {
        char sub[256];
        item_path(sub, sizeof sub, path, ".", "children", i);
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
    t->ninstructions = nb_schema_strings(L, idx, "instructions", path);
    t->instructions = nb_arena_alloc(&b->f->arena, (t->ninstructions + 1) * sizeof *t->instructions);
    lua_getfield(L, idx, "instructions");
    for (size_t i = 0; i < t->ninstructions; i++) {
        lua_rawgeti(L, -1, (lua_Integer)(i + 1));
        t->instructions[i] = nb_arena_strdup(&b->f->arena, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    size_t nblocks = array_len(b, idx, "blocks"), ncols = 0, nrows = 0;
    if (nblocks == 0)
        luaL_error(L, "%s：'blocks' 应至少列出一个块", path);
    size_t *block_cols = nb_arena_alloc(&b->f->arena, nblocks * sizeof *block_cols);
    lua_getfield(L, idx, "blocks");
    int blocks = lua_gettop(L);
    for (size_t i = 1; i <= nblocks; i++) { /* first pass: check and count */
        char bp[256];
        item_path(bp, sizeof bp, path, ".", "blocks", i);
        lua_rawgeti(L, blocks, (lua_Integer)i);
        int bl = lua_gettop(L);
        nb_schema_check(L, bl, BLOCK_FIELDS, bp);
        for (int pass = 0; pass < 2; pass++) {
            const char *key = pass ? "rows" : "columns";
            size_t n = array_len(b, bl, key);
            if (n == 0)
                luaL_error(L, "%s：'%s' 不能为空", bp, key);
            lua_getfield(L, bl, key);
            for (size_t k = 1; k <= n; k++) {
                char sub[256];
                item_path(sub, sizeof sub, bp, ".", key, k);
                lua_rawgeti(L, -1, (lua_Integer)k);
                if (pass) {
                    nrows += count_rows(b, lua_gettop(L), sub, 1);
                } else {
                    nb_schema_check(L, -1, COLUMN_FIELDS, sub);
                    size_t c = count_columns(b, lua_gettop(L), sub, 1);
                    block_cols[i - 1] = (k > 1 ? block_cols[i - 1] : 0) + c;
                    ncols += c;
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
    b->rows_cap = nrows;
    b->cols_cap = ncols;
    size_t k = 0;
    for (size_t i = 1; i <= nblocks; i++) { /* second pass: fill */
        char bp[256];
        item_path(bp, sizeof bp, path, ".", "blocks", i);
        lua_rawgeti(L, blocks, (lua_Integer)i);
        int bl = lua_gettop(L);
        nb_block *blk = &t->blocks[i - 1];
        blk->id = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "id"));
        blk->label = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "label"));
        blk->corner = nb_arena_strdup(&b->f->arena, nb_schema_string(L, bl, "corner"));
        blk->col_first = k;
        size_t n = array_len(b, bl, "columns");
        lua_getfield(L, bl, "columns");
        for (size_t c = 1; c <= n; c++) {
            char sub[256];
            item_path(sub, sizeof sub, bp, ".", "columns", c);
            lua_rawgeti(L, -1, (lua_Integer)c);
            fill_columns(b, lua_gettop(L), t->cols, &k, sub, "", block_cols[i - 1], heads, 1);
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
        blk->ncols = k - blk->col_first;
        disambiguate_columns(b, t->cols + blk->col_first, heads + blk->col_first, blk->ncols);
        n = array_len(b, bl, "rows");
        lua_getfield(L, bl, "rows");
        for (size_t r = 1; r <= n; r++) {
            char sub[256];
            item_path(sub, sizeof sub, bp, ".", "rows", r);
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

/* deadlines = { { levels = { "部门", … }, month = 1, day = 31 }, … } (DATE-DL) */
static void deadlines(builder *b, int idx)
{
    lua_State *L = b->L;
    nb_format *f = b->f;
    luaL_checkstack(L, 4, "deadlines");
    lua_getfield(L, idx, "deadlines");
    if (lua_istable(L, -1)) {
        size_t n = (size_t)lua_rawlen(L, -1);
        f->deadlines = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->deadlines);
        for (size_t i = 1; i <= n && n < 64; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i);
            if (!lua_istable(L, -1))
                luaL_error(L, "%s：deadlines[%d] 应为表（table）", b->path, (int)i);
            struct nb_deadline *d = &f->deadlines[f->ndeadlines++];
            d->month = (int)nb_schema_int(L, -1, "month", 0);
            d->day = (int)nb_schema_int(L, -1, "day", 0);
            if (d->month < 1 || d->month > 12 || d->day < 1 || d->day > 31)
                luaL_error(L, "%s：deadlines[%d] 需要 month（1–12）和 day（1–31）", b->path, (int)i);
            lua_getfield(L, -1, "levels");
            size_t m = lua_istable(L, -1) ? (size_t)lua_rawlen(L, -1) : 0;
            d->levels = nb_arena_alloc(&f->arena, (m + 1) * sizeof *d->levels);
            for (size_t k = 1; k <= m && m < 64; k++) {
                lua_rawgeti(L, -1, (lua_Integer)k);
                if (lua_type(L, -1) != LUA_TSTRING)
                    luaL_error(L, "%s：deadlines[%d].levels 应为字符串列表", b->path, (int)i);
                d->levels[d->nlevels++] = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
                lua_pop(L, 1);
            }
            lua_pop(L, 2);
        }
    }
    lua_pop(L, 1);
}

void nb_lua_build_format_rules(lua_State *L, int idx, nb_format *f)
{
    char path[256];
    snprintf(path, sizeof path, "格式 '%s'", f->id);
    idx = lua_absindex(L, idx);
    f->nrules = 0; /* a build raised half-way is started again */
    size_t n = array_len(&(builder){.L = L, .f = f}, idx, "rules");
    f->rules = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->rules);
    lua_getfield(L, idx, "rules");
    for (size_t i = 1; i <= n; i++) {
        char rp[256];
        item_path(rp, sizeof rp, path, " 的 ", "rules", i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        nb_lua_build_rule(L, f, lua_gettop(L), &f->rules[f->nrules], rp);
        for (size_t k = 0; k < f->nrules; k++)
            if (strcmp(f->rules[k].id, f->rules[f->nrules].id) == 0)
                luaL_error(L, "%s：规则 id '%s' 声明了两次", rp, f->rules[k].id);
        f->nrules++;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

nb_format *nb_lua_build_format(lua_State *L, int idx, const char *plugin_file, bool rules)
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
    snprintf(path, sizeof path, "格式 '%s'", f->id);
    f->name = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "name"));
    f->notice = nb_arena_strdup(&f->arena, nb_schema_string(L, idx, "notice"));
    f->source_file = nb_arena_strdup(&f->arena, plugin_file);
    f->year_from = (int)nb_schema_int(L, idx, "year_from", 0);
    f->year_to = (int)nb_schema_int(L, idx, "year_to", 0);
    snprintf(b.path, sizeof b.path, "%s", path);
    f->marks = strings_norm(&b, idx, "marks", NULL, &f->nmarks, b.path);
    deadlines(&b, idx);

    size_t n = array_len(&b, idx, "sections");
    f->sections = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->sections);
    lua_getfield(L, idx, "sections");
    for (size_t i = 1; i <= n; i++) {
        item_path(b.path, sizeof b.path, path, " 的 ", "sections", i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        nb_schema_check(L, -1, SECTION_FIELDS, b.path);
        nb_section_def *s = &f->sections[f->nsections++];
        s->id = nb_arena_strdup(&f->arena, nb_schema_string(L, -1, "id"));
        s->label = nb_arena_strdup(&f->arena, nb_schema_string(L, -1, "label"));
        s->match = strings_norm(&b, lua_gettop(L), "match", NULL, &s->nmatch, b.path);
        if (s->nmatch == 0)
            luaL_error(L, "%s：'match' 应至少列出一个词", b.path);
        if (nb_format_section(f, s->id) != (int)f->nsections - 1)
            luaL_error(L, "%s：部分 id '%s' 声明了两次", b.path, s->id);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);

    n = array_len(&b, idx, "tables");
    f->tables = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->tables);
    lua_getfield(L, idx, "tables");
    for (size_t i = 1; i <= n; i++) {
        char tp[256];
        item_path(tp, sizeof tp, path, " 的 ", "tables", i);
        lua_rawgeti(L, -1, (lua_Integer)i);
        build_table(&b, lua_gettop(L), &f->tables[f->ntables++], tp);
        if (nb_format_section(f, f->tables[i - 1].section) < 0)
            luaL_error(L, "%s：未知的部分 '%s'", tp, f->tables[i - 1].section);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    char err[256];
    if (!nb_format_finish(f, err, sizeof err))
        luaL_error(L, "%s：%s", path, err);

    if (rules)
        nb_lua_build_format_rules(L, idx, f);
    *ud = NULL; /* ownership passes to the caller */
    lua_pop(L, 1);
    return f;
}
