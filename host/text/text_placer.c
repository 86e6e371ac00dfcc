/* See text_placer.h. */
#include "text/text_placer.h"
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

static const char PLACER_META[] = "nianbao.text_placer";

bool nb_all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return n > 0;
}

/* Eight bytes a step (a byte a step was a third of looking a label up),
 * the last word padded with zeros, the length mixed in; the high bits
 * folded down, as the slot is taken from the low ones. */
static size_t hash(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ n;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
        h ^= h >> 32;
    }
    if (i < n) {
        uint64_t w = 0;
        memcpy(&w, s + i, n - i);
        h = (h ^ w) * 0xFF51AFD7ED558CCDu;
    }
    h ^= h >> 29;
    h *= 0xC4CEB9FE1A85EC53u;
    return (size_t)(h ^ (h >> 32));
}

static void set_init(nb_arena *a, nb_label_set *set, size_t count)
{
    size_t size = 8;
    while (size < 2 * count)
        size *= 2;
    set->slots = nb_arena_alloc(a, size * sizeof *set->slots);
    set->mask = size - 1;
}

static nb_label_slot *set_find(const nb_label_set *set, const char *s, size_t n)
{
    for (size_t i = hash(s, n) & set->mask;; i = (i + 1) & set->mask) {
        nb_label_slot *slot = &set->slots[i];
        if (!slot->key || (slot->n == n && memcmp(slot->key, s, n) == 0))
            return slot;
    }
}

/* key must live as long as the set; an existing key keeps its row */
static void set_add(nb_placer *p, nb_label_set *set, const char *key, size_t n, int row)
{
    p->digit_labels = p->digit_labels || nb_all_digits(key, n);
    nb_label_slot *slot = set_find(set, key, n);
    if (!slot->key)
        *slot = (nb_label_slot){.key = key, .n = n, .row = row};
}

const nb_label_slot *nb_label_get(const nb_label_set *set, const char *s, size_t n)
{
    const nb_label_slot *slot = set_find(set, s, n);
    return slot->key ? slot : NULL;
}

static int placer_gc(lua_State *L)
{
    nb_placer *p = luaL_checkudata(L, 1, PLACER_META);
    nb_arena_free(&p->arena);
    return 0;
}

static size_t table_len(lua_State *L, int idx)
{
    size_t n = 0;
    lua_pushnil(L);
    while (lua_next(L, idx)) {
        n++;
        lua_pop(L, 1);
    }
    return n;
}

/* The index of row `id` if text_place may place it: a data row whose block
 * has as many columns as the importer counts (cols[id]); else NB_NOT_HERE. */
static int placeable(lua_State *L, const nb_placer_table *pt, const char *id, int cols)
{
    int r = nb_table_row(pt->tb, id);
    lua_getfield(L, cols, id);
    bool ok = r >= 0 && pt->tb->rows[r].data && lua_isinteger(L, -1) &&
              lua_tointeger(L, -1) == (lua_Integer)pt->tb->blocks[pt->tb->rows[r].block].ncols;
    lua_pop(L, 1);
    return ok ? r : NB_NOT_HERE;
}

/* labels = { [normalised label] = row id (a data row) or false }, cols = { [row id] = columns } */
static void read_labels(lua_State *L, nb_placer *p, nb_placer_table *pt, int labels, int cols)
{
    set_init(&p->arena, &pt->labels, table_len(L, labels));
    lua_pushnil(L);
    while (lua_next(L, labels)) {
        size_t n;
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "host.text_placer：labels 的键应为字符串（行的标签）");
        const char *label = lua_tolstring(L, -2, &n);
        const char *key = nb_arena_strndup(&p->arena, label, n);
        int row = lua_type(L, -1) == LUA_TSTRING ? placeable(L, pt, lua_tostring(L, -1), cols) : NB_NOT_HERE;
        set_add(p, &pt->labels, key, n, row);
        lua_pop(L, 1);
    }
}

/* tables[k] = { id =, labels =, cols =, unlabelled = { row id, … }, required = { row id, … } } */
static void read_table(lua_State *L, nb_placer *p, nb_placer_table *pt, int t)
{
    if (lua_getfield(L, t, "id") != LUA_TSTRING || !(pt->tb = nb_format_table(p->format, lua_tostring(L, -1))))
        luaL_error(L, "host.text_placer：表 %s 不在格式 %s 中", luaL_tolstring(L, -1, NULL), p->format->id);
    lua_pop(L, 1);
    pt->row_base = p->nrows;
    p->nrows += pt->tb->nrows;
    luaL_checktype(L, (lua_getfield(L, t, "labels"), -1), LUA_TTABLE);
    luaL_checktype(L, (lua_getfield(L, t, "cols"), -1), LUA_TTABLE);
    int cols = lua_absindex(L, -1);
    read_labels(L, p, pt, lua_absindex(L, -2), cols);
    luaL_checktype(L, (lua_getfield(L, t, "unlabelled"), -1), LUA_TTABLE);
    size_t n = lua_rawlen(L, -1);
    pt->unlabelled = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *pt->unlabelled);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        int r = lua_type(L, -1) == LUA_TSTRING ? placeable(L, pt, lua_tostring(L, -1), cols) : NB_NOT_HERE;
        pt->unlabelled[pt->nunlabelled++] = r;
        lua_pop(L, 1);
    }
    lua_pop(L, 3); /* unlabelled, cols, labels */
    luaL_checktype(L, (lua_getfield(L, t, "required"), -1), LUA_TTABLE);
    n = lua_rawlen(L, -1);
    pt->required = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *pt->required);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        int r = lua_type(L, -1) == LUA_TSTRING ? nb_table_row(pt->tb, lua_tostring(L, -1)) : -1;
        pt->required[pt->nrequired++] = r >= 0 ? r : NB_NOT_HERE;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* sections[i] = { words = { normalised word, … }, table = k (into tables) or 0 } */
static void read_section(lua_State *L, nb_placer *p, nb_placer_section *ps, int s)
{
    lua_getfield(L, s, "table");
    lua_Integer t = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
    ps->table = t >= 1 && (size_t)t <= p->ntables ? (int)t - 1 : -1;
    lua_pop(L, 1);
    luaL_checktype(L, (lua_getfield(L, s, "words"), -1), LUA_TTABLE);
    size_t n = lua_rawlen(L, -1);
    ps->words = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *ps->words);
    ps->lens = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *ps->lens);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        size_t len;
        const char *w = luaL_checklstring(L, -1, &len);
        ps->words[ps->nwords] = nb_arena_strndup(&p->arena, w, len);
        ps->lens[ps->nwords++] = len;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* every row label and alias of every format, normalised */
static void read_all_labels(nb_placer *p, const nb_host *h)
{
    size_t count = 0;
    for (size_t i = 0; i < h->nformats; i++)
        for (size_t t = 0; t < h->formats[i].format->ntables; t++) {
            const nb_table *tb = &h->formats[i].format->tables[t];
            for (size_t r = 0; r < tb->nrows; r++)
                count += tb->rows[r].nmatch;
        }
    set_init(&p->arena, &p->all, count);
    for (size_t i = 0; i < h->nformats; i++)
        for (size_t t = 0; t < h->formats[i].format->ntables; t++) {
            const nb_table *tb = &h->formats[i].format->tables[t];
            for (size_t r = 0; r < tb->nrows; r++)
                for (size_t m = 0; m < tb->rows[r].nmatch; m++)
                    set_add(p, &p->all, tb->rows[r].match[m], strlen(tb->rows[r].match[m]), 0);
        }
}

/* text_placer(format_id, spec) -> nb_placer: the importer's label index of a
 * format, for text_place.  spec = { tables = { … }, sections = { … } } as
 * read_table and read_section describe, tables in the format's order. */
int nb_text_placer_new(lua_State *L, const nb_host *h)
{
    const nb_format_entry *e = nb_host_format(h, luaL_checkstring(L, 1));
    if (!e)
        return luaL_error(L, "host.text_placer：未知的格式 %s", lua_tostring(L, 1));
    luaL_checktype(L, 2, LUA_TTABLE);
    nb_placer *p = lua_newuserdatauv(L, sizeof *p, 1);
    int self = lua_gettop(L);
    memset(p, 0, sizeof *p);
    nb_arena_init(&p->arena);
    if (luaL_newmetatable(L, PLACER_META)) {
        lua_pushcfunction(L, placer_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    p->format = e->format;
    read_all_labels(p, h);
    luaL_checktype(L, (lua_getfield(L, 2, "tables"), -1), LUA_TTABLE);
    size_t n = lua_rawlen(L, -1);
    p->tables = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *p->tables);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        luaL_checktype(L, -1, LUA_TTABLE);
        read_table(L, p, &p->tables[i - 1], lua_gettop(L));
        p->ntables = i;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    luaL_checktype(L, (lua_getfield(L, 2, "noise"), -1), LUA_TTABLE);
    set_init(&p->arena, &p->noise, table_len(L, lua_gettop(L)));
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        size_t len;
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tolstring(L, -2, &len) : NULL;
        if (key)
            set_add(p, &p->noise, nb_arena_strndup(&p->arena, key, len), len, 0);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    luaL_checktype(L, (lua_getfield(L, 2, "sections"), -1), LUA_TTABLE);
    n = lua_rawlen(L, -1);
    p->sections = nb_arena_alloc(&p->arena, (n ? n : 1) * sizeof *p->sections);
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, -1, (lua_Integer)i);
        luaL_checktype(L, -1, LUA_TTABLE);
        read_section(L, p, &p->sections[i - 1], lua_gettop(L));
        p->nsections = i;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    /* its user value: the id of each row of its tables as a Lua string, in
     * row_base order, so text_place keys a row it places without making
     * the string again */
    lua_createtable(L, (int)p->nrows, 0);
    for (size_t t = 0; t < p->ntables; t++)
        for (size_t r = 0; r < p->tables[t].tb->nrows; r++) {
            lua_pushstring(L, p->tables[t].tb->rows[r].id);
            lua_rawseti(L, -2, (lua_Integer)(p->tables[t].row_base + r) + 1);
        }
    lua_setiuservalue(L, self, 1);
    return 1;
}

const nb_placer *nb_placer_check(lua_State *L, int idx) { return luaL_checkudata(L, idx, PLACER_META); }
