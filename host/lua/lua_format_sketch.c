/* See lua_format_sketch.h.  A check reads one format whole, the one its
 * report is in; building the others in full at each start (their columns,
 * cell indices, every key checked) was a quarter of a one-report check. */
#include "lua/lua_format_sketch.h"
#include "base/text_norm.h"
#include <lauxlib.h>
#include <string.h>

static const char *norm_dup(nb_format *f, const char *s)
{
    size_t n = strlen(s);
    char *out = nb_arena_alloc(&f->arena, n + 1);
    nb_norm_label(s, n, out);
    return out;
}

const char **nb_lua_strings_norm(lua_State *L, nb_format *f, int idx, const char *key, const char *first,
                                 size_t *count, const char *path)
{
    size_t n = nb_schema_strings(L, idx, key, path);
    const char **out = nb_arena_alloc(&f->arena, (n + 1) * sizeof *out);
    size_t k = 0;
    if (first)
        out[k++] = norm_dup(f, first);
    lua_getfield(L, idx, key);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        out[k++] = norm_dup(f, lua_tostring(L, -1));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    *count = k;
    return out;
}

/* the length of the list t.key, 0 when there is none */
static size_t list_len(lua_State *L, int t, const char *key)
{
    lua_getfield(L, t, key);
    size_t n = lua_istable(L, -1) ? lua_rawlen(L, -1) : 0;
    lua_pop(L, 1);
    return n;
}

/* The rows under the list t.key (the rows of a block, a row's children),
 * depth first as the full build flattens them: counted (rows NULL) or
 * filled, their label and aliases normalised. */
static size_t walk_rows(lua_State *L, nb_format *f, int t, const char *key, nb_table *tb, int depth)
{
    if (depth > 12) /* as the full build's limit: a declaration as built never nears it */
        luaL_error(L, "格式 '%s'：行嵌套过深", f->id);
    luaL_checkstack(L, 4, "format sketch");
    size_t n = list_len(L, t, key), total = 0;
    lua_getfield(L, t, key);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        int row = lua_gettop(L);
        if (tb->rows) {
            nb_row *r = &tb->rows[tb->nrows++];
            lua_getfield(L, row, "id");
            r->id = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
            lua_getfield(L, row, "label");
            r->label = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
            lua_pop(L, 2);
            r->match = nb_lua_strings_norm(L, f, row, "aliases", r->label, &r->nmatch, f->id);
        }
        total += 1 + walk_rows(L, f, row, "children", tb, depth + 1);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    return total;
}

/* a table's id and its rows' labels */
static void sketch_table(lua_State *L, nb_format *f, int t, nb_table *tb)
{
    lua_getfield(L, t, "id");
    tb->id = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
    lua_pop(L, 1);
    size_t nblocks = list_len(L, t, "blocks"), nrows = 0;
    lua_getfield(L, t, "blocks");
    for (int pass = 0; pass < 2; pass++) {
        if (pass)
            tb->rows = nb_arena_alloc(&f->arena, (nrows + 1) * sizeof *tb->rows);
        for (size_t i = 1; i <= nblocks; i++) {
            lua_rawgeti(L, -1, (lua_Integer)i);
            nrows += walk_rows(L, f, lua_gettop(L), "rows", tb, 1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
}

static int sketch_gc(lua_State *L)
{
    nb_format **ud = lua_touserdata(L, 1);
    nb_format_free(*ud);
    *ud = NULL;
    return 0;
}

nb_format *nb_lua_sketch_format(lua_State *L, int idx, const char *plugin_file)
{
    idx = lua_absindex(L, idx);
    luaL_checkstack(L, 6, "format sketch");
    nb_format **ud = lua_newuserdatauv(L, sizeof *ud, 0); /* owns it until returned */
    *ud = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, sketch_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    nb_format *f = *ud = nb_format_new();
    lua_getfield(L, idx, "id");
    f->id = nb_arena_strdup(&f->arena, luaL_checkstring(L, -1));
    lua_pop(L, 1);
    f->source_file = nb_arena_strdup(&f->arena, plugin_file);
    f->year_from = (int)nb_schema_int(L, idx, "year_from", 0);
    f->year_to = (int)nb_schema_int(L, idx, "year_to", 0);
    f->marks = nb_lua_strings_norm(L, f, idx, "marks", NULL, &f->nmarks, f->id);
    size_t n = list_len(L, idx, "sections");
    f->sections = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->sections);
    lua_getfield(L, idx, "sections");
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        nb_section_def *s = &f->sections[f->nsections++];
        lua_getfield(L, -1, "id");
        s->id = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_getfield(L, -2, "label");
        s->label = nb_arena_strdup(&f->arena, lua_tostring(L, -1));
        lua_pop(L, 2);
        s->match = nb_lua_strings_norm(L, f, lua_gettop(L), "match", NULL, &s->nmatch, f->id);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    n = list_len(L, idx, "tables");
    f->tables = nb_arena_alloc(&f->arena, (n + 1) * sizeof *f->tables);
    lua_getfield(L, idx, "tables");
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        sketch_table(L, f, lua_gettop(L), &f->tables[f->ntables++]);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    *ud = NULL; /* ownership passes to the caller */
    lua_pop(L, 1);
    return f;
}
