/* host.text_placer, host.text_place and host.text_marks: the per-row work of
 * the text importer, in C, for the rows whose reading is certain.
 *
 * Checking thousands of reports is a batch job, and building a Lua table
 * for every row and a string for every cell, then matching each label in
 * Lua, was most of its cost.  text_place walks a host.text_scan the way the
 * importer's loop does (level-1 headings choose the current table) and
 * places a row into a cell bundle (host/cell_bundle.h) only when the
 * importer would place it without a question: its label is one of the
 * current table's data rows in the importer's own label index, no cell to
 * its right could be a label of any format, its value count is the block's,
 * and the importer could not have placed that row before.  Every other item
 * comes back as the Lua table host.text_rows gives, in order, for the
 * importer to read as before — so its messages, its handling of other
 * formats' rows and everything unusual stay its own.  The C core names no
 * row: the labels come from the importer and the formats' declarations. */
#include "text_place.h"
#include "cell_bundle.h"
#include "plugin_host.h"
#include "text_norm.h"
#include "text_scan.h"
#include "xalloc.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

static const char PLACER_META[] = "nianbao.text_placer";

enum { MARK_CELL_MAX = 160, MARK_TEXT_MAX = 64, HEADING_MAX = 120 };
enum { ROW_SEEN = 1, ROW_POISONED = 2 };
enum { NOT_HERE = -1 }; /* a label the importer knows, of a row text_place leaves to it */

/* An open-addressing set of normalised labels, each with a row index. */
typedef struct {
    const char *key; /* NULL: empty slot */
    size_t n;
    int row;
} label_slot;

typedef struct {
    label_slot *slots;
    size_t mask;
} label_set;

typedef struct {
    const nb_table *tb;
    label_set labels;  /* the importer's labels of this table */
    int *unlabelled;   /* the row of each block without labels, in block order (-1: never placed here) */
    size_t nunlabelled;
    size_t row_base;   /* its first row among all rows' states */
} placer_table;

typedef struct {
    const char **words; /* normalised; all must appear in a heading */
    size_t *lens, nwords;
    int table;          /* its table, or -1 */
} placer_section;

typedef struct {
    nb_arena arena;
    const nb_format *format;
    placer_table *tables;
    size_t ntables, nrows;
    placer_section *sections;
    size_t nsections;
    label_set all; /* every row label and alias of every format */
    bool digit_labels; /* is one of them all ASCII digits? */
} placer;

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

static bool is_digit(char c) { return c >= '0' && c <= '9'; }

/* Lua's find(s, "^%d+$") */
static bool all_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!is_digit(s[i]))
            return false;
    return n > 0;
}

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

static void set_init(nb_arena *a, label_set *set, size_t count)
{
    size_t size = 8;
    while (size < 2 * count)
        size *= 2;
    set->slots = nb_arena_alloc(a, size * sizeof *set->slots);
    set->mask = size - 1;
}

static label_slot *set_find(const label_set *set, const char *s, size_t n)
{
    for (size_t i = hash(s, n) & set->mask;; i = (i + 1) & set->mask) {
        label_slot *slot = &set->slots[i];
        if (!slot->key || (slot->n == n && memcmp(slot->key, s, n) == 0))
            return slot;
    }
}

/* key must live as long as the set; an existing key keeps its row */
static void set_add(placer *p, label_set *set, const char *key, size_t n, int row)
{
    p->digit_labels = p->digit_labels || all_digits(key, n);
    label_slot *slot = set_find(set, key, n);
    if (!slot->key)
        *slot = (label_slot){.key = key, .n = n, .row = row};
}

static const label_slot *set_get(const label_set *set, const char *s, size_t n)
{
    const label_slot *slot = set_find(set, s, n);
    return slot->key ? slot : NULL;
}

static int placer_gc(lua_State *L)
{
    placer *p = luaL_checkudata(L, 1, PLACER_META);
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
 * has as many columns as the importer counts (cols[id]); else NOT_HERE. */
static int placeable(lua_State *L, const placer_table *pt, const char *id, int cols)
{
    int r = nb_table_row(pt->tb, id);
    lua_getfield(L, cols, id);
    bool ok = r >= 0 && pt->tb->rows[r].data && lua_isinteger(L, -1) &&
              lua_tointeger(L, -1) == (lua_Integer)pt->tb->blocks[pt->tb->rows[r].block].ncols;
    lua_pop(L, 1);
    return ok ? r : NOT_HERE;
}

/* labels = { [normalised label] = row id (a data row) or false }, cols = { [row id] = columns } */
static void read_labels(lua_State *L, placer *p, placer_table *pt, int labels, int cols)
{
    set_init(&p->arena, &pt->labels, table_len(L, labels));
    lua_pushnil(L);
    while (lua_next(L, labels)) {
        size_t n;
        if (lua_type(L, -2) != LUA_TSTRING)
            luaL_error(L, "text_placer: label keys must be strings");
        const char *label = lua_tolstring(L, -2, &n);
        const char *key = nb_arena_strndup(&p->arena, label, n);
        int row = lua_type(L, -1) == LUA_TSTRING ? placeable(L, pt, lua_tostring(L, -1), cols) : NOT_HERE;
        set_add(p, &pt->labels, key, n, row);
        lua_pop(L, 1);
    }
}

/* tables[k] = { id =, labels =, cols =, unlabelled = { row id, … } } */
static void read_table(lua_State *L, placer *p, placer_table *pt, int t)
{
    if (lua_getfield(L, t, "id") != LUA_TSTRING || !(pt->tb = nb_format_table(p->format, lua_tostring(L, -1))))
        luaL_error(L, "text_placer: table %s is not in format %s", luaL_tolstring(L, -1, NULL), p->format->id);
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
        pt->unlabelled[pt->nunlabelled++] = lua_type(L, -1) == LUA_TSTRING ? placeable(L, pt, lua_tostring(L, -1), cols) : -1;
        lua_pop(L, 1);
    }
    lua_pop(L, 3); /* unlabelled, cols, labels */
}

/* sections[i] = { words = { normalised word, … }, table = k (into tables) or 0 } */
static void read_section(lua_State *L, placer *p, placer_section *ps, int s)
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
static void read_all_labels(placer *p, const nb_host *h)
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

/* text_placer(format_id, spec) -> placer: the importer's label index of a
 * format, for text_place.  spec = { tables = { … }, sections = { … } } as
 * read_table and read_section describe, tables in the format's order. */
static int api_text_placer(lua_State *L)
{
    const nb_format_entry *e = nb_host_format(host_of(L), luaL_checkstring(L, 1));
    if (!e)
        return luaL_error(L, "text_placer: unknown format %s", lua_tostring(L, 1));
    luaL_checktype(L, 2, LUA_TTABLE);
    placer *p = lua_newuserdatauv(L, sizeof *p, 0);
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
    read_all_labels(p, host_of(L));
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
    return 1;
}

static bool contains(const char *s, size_t n, const char *w, size_t wn)
{
    if (wn == 0)
        return true;
    for (const char *p = s, *end = s + n; (size_t)(end - p) >= wn; p++) {
        p = memchr(p, w[0], (size_t)(end - p) - wn + 1);
        if (!p)
            return false;
        if (memcmp(p, w, wn) == 0)
            return true;
    }
    return false;
}

/* The table a text line makes current, as the importer reads headings:
 * *cur is left alone unless the line is a level-1 heading of a section. */
static void follow_heading(const placer *p, const nb_scan_item *it, int *cur)
{
    const char *t = it->text;
    size_t n = it->ntext;
    nb_scan_trim(&t, &n);
    if (n >= HEADING_MAX || !nb_scan_heading1(t, n))
        return;
    char buf[HEADING_MAX];
    size_t m = nb_norm_label(t, n, buf);
    for (size_t i = 0; i < p->nsections; i++) {
        const placer_section *s = &p->sections[i];
        size_t w = 0;
        while (w < s->nwords && contains(buf, m, s->words[w], s->lens[w]))
            w++;
        if (w == s->nwords) {
            *cur = s->table;
            return;
        }
    }
}

/* The label of a row as the importer finds it: the last written cell
 * (from the right) that is one of the table's labels.  *uncertain is set
 * when a cell on the way could be a label of some format, so the importer
 * might read the row otherwise. */
static const label_slot *find_label(const placer *p, const placer_table *pt, const nb_scan_cell *c, size_t n,
                                    size_t *at, bool *uncertain)
{
    char small[256];
    for (size_t k = n; k-- > 0;) {
        if (c[k].n == 0 || (!p->digit_labels && all_digits(c[k].s, c[k].n)))
            continue; /* blank, or a number no label can be */
        char *buf = c[k].n < sizeof small ? small : nb_xmalloc(c[k].n + 1);
        size_t m = nb_norm_label(c[k].s, c[k].n, buf);
        const label_slot *hit = set_get(&pt->labels, buf, m);
        if (!hit && set_get(&p->all, buf, m))
            *uncertain = true;
        if (buf != small)
            free(buf);
        if (hit) {
            *at = k;
            return hit;
        }
    }
    return NULL;
}

/* What text_place does with a row item: place `row` (its values from cell
 * `first` on, the line of cell `at` as where it was seen), drop it (the
 * importer would ignore it), or leave it to the importer. */
typedef enum { LEAVE, DROP, PLACE } verdict;
typedef struct {
    verdict what;
    int row;
    size_t first, at;
} decision;

/* Lua's find(s, "%d") or find(s, "\239\188[\144-\153]"): a digit, ASCII or full-width */
static bool has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_digit(s[i]) || (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
                               (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99))
            return true;
    return false;
}

/* A row without a label, as the importer reads it when none of its cells
 * could be a label of any format: with no digit in it, nothing (unless it
 * is blank where a block has no labels); with a number written as digits,
 * the first block without labels. */
static decision unlabelled_row(const placer_table *pt, const nb_scan_cell *c, size_t n, const uint8_t *state)
{
    bool digits = false, number = false;
    size_t written = 0;
    for (size_t k = 0; k < n; k++) {
        digits = digits || has_digit(c[k].s, c[k].n);
        number = number || all_digits(c[k].s, c[k].n);
        written += c[k].n > 0;
    }
    if (!digits && !(pt->nunlabelled && written == 0))
        return (decision){.what = DROP};
    if (!number || !pt->nunlabelled || pt->unlabelled[0] == NOT_HERE)
        return (decision){.what = LEAVE};
    int row = pt->unlabelled[0];
    size_t ncols = pt->tb->blocks[pt->tb->rows[row].block].ncols, at = 0;
    while (n - at > ncols && c[at].n == 0) /* empty cells before the values: the label column */
        at++;
    size_t nv = n - at;
    while (nv > ncols && c[at + nv - 1].n == 0)
        nv--;
    if (nv != ncols || state[row])
        return (decision){.what = LEAVE};
    return (decision){.what = PLACE, .row = row, .first = at, .at = at > 0 ? at - 1 : 0};
}

/* What to do with a row item of table pt.  A row the importer might still
 * place is marked so that text_place never places it after that. */
static decision decide(const placer *p, const placer_table *pt, const nb_scan_cell *c, size_t n, uint8_t *state)
{
    bool uncertain = false;
    size_t at = 0;
    const label_slot *hit = find_label(p, pt, c, n, &at, &uncertain);
    if (!hit) {
        decision d = uncertain ? (decision){.what = LEAVE} : unlabelled_row(pt, c, n, state);
        if (d.what == LEAVE) /* the importer may read it as a row of a block without labels */
            for (size_t i = 0; i < pt->nunlabelled; i++)
                if (pt->unlabelled[i] != NOT_HERE)
                    state[pt->unlabelled[i]] |= ROW_POISONED;
        return d;
    }
    if (hit->row == NOT_HERE)
        return (decision){.what = LEAVE};
    if (uncertain) {
        state[hit->row] |= ROW_POISONED;
        return (decision){.what = LEAVE};
    }
    size_t ncols = pt->tb->blocks[pt->tb->rows[hit->row].block].ncols, nv = n - at - 1;
    while (nv > ncols && c[at + nv].n == 0) /* empty cells beyond the columns end the line */
        nv--;
    if (nv != ncols || state[hit->row])
        return (decision){.what = LEAVE};
    return (decision){.what = PLACE, .row = hit->row, .first = at + 1, .at = at};
}

/* the stack of text_place */
enum { SCAN = 1, FROM, PLACER, ITEMS, SEEN, LAST, BUNDLE };

static void place(lua_State *L, const placer_table *pt, decision d, const nb_scan_cell *c, nb_cell_bundle *b)
{
    const nb_row *r = &pt->tb->rows[d.row];
    size_t ncols = pt->tb->blocks[r->block].ncols;
    for (size_t j = 0; j < ncols; j++) {
        const nb_scan_cell *v = &c[d.first + j];
        nb_cell_bundle_set(b, r->cell_first + j, v->s, v->n, (uint32_t)v->line);
    }
    lua_getfield(L, SEEN, pt->tb->id);
    lua_pushinteger(L, c[d.at].line);
    lua_setfield(L, -2, r->id);
    lua_pop(L, 1);
}

/* NIANBAO_TEXT_PLACE=0 turns placing off, so that tests can compare the
 * importer's results with and without it. */
static bool placing_off(void)
{
    const char *v = getenv("NIANBAO_TEXT_PLACE");
    return v && strcmp(v, "0") == 0;
}

/* text_place(scan, from, placer) -> items, cells, seen, last: the scan's
 * items from number `from` on, less the rows placed into `cells` (a cell
 * bundle) and those the importer would ignore; seen = { [table id] = {
 * [row id] = line of its label } } and last = { [table id] = last line of
 * its rows } for each table whose rows text_place read.  Without a placer
 * (or with placing off) every item comes back. */
static int api_text_place(lua_State *L)
{
    const nb_text_scan *sc = nb_scan_check(L, SCAN);
    lua_Integer from = luaL_checkinteger(L, FROM);
    const placer *p = lua_isnil(L, PLACER) ? NULL : luaL_checkudata(L, PLACER, PLACER_META);
    if (placing_off())
        p = NULL;
    lua_settop(L, PLACER);
    lua_newtable(L); /* ITEMS */
    lua_newtable(L); /* SEEN */
    lua_newtable(L); /* LAST */
    nb_cell_bundle *b = NULL;
    lua_Integer *last = NULL;
    uint8_t *state = NULL;
    if (p) {
        size_t extra = p->ntables * sizeof *last + p->nrows + p->ntables;
        b = nb_cell_bundle_push(L, p->format, SCAN, extra); /* BUNDLE */
        last = nb_cell_bundle_scratch(b);
        state = (uint8_t *)(last + p->ntables); /* per row, then per table: read? */
    } else {
        lua_pushnil(L);
    }
    lua_Integer nout = 0;
    int cur = -1;
    for (size_t k = from > 1 ? (size_t)from - 1 : 0; k < sc->nitems; k++) {
        const nb_scan_item *it = &sc->items[k];
        if (p && !it->row)
            follow_heading(p, it, &cur);
        if (p && it->row && cur >= 0) {
            const placer_table *pt = &p->tables[cur];
            const nb_scan_cell *c = sc->cells + it->first;
            uint8_t *read = state + p->nrows + cur;
            if (!*read) {
                *read = 1;
                lua_newtable(L);
                lua_setfield(L, SEEN, pt->tb->id);
            }
            last[cur] = c[it->ncells - 1].line;
            decision d = decide(p, pt, c, it->ncells, state + pt->row_base);
            if (d.what == PLACE) {
                state[pt->row_base + (size_t)d.row] |= ROW_SEEN;
                place(L, pt, d, c, b);
            }
            if (d.what != LEAVE)
                continue;
        }
        nb_scan_push_item(L, sc, k);
        lua_rawseti(L, ITEMS, ++nout);
    }
    for (size_t t = 0; p && t < p->ntables; t++)
        if (state[p->nrows + t]) {
            lua_pushinteger(L, last[t]);
            lua_setfield(L, LAST, p->tables[t].tb->id);
        }
    lua_pushvalue(L, ITEMS);
    lua_pushvalue(L, BUNDLE);
    lua_pushvalue(L, SEEN);
    lua_pushvalue(L, LAST);
    return 4;
}

/* A mark of a format, for text_marks. */
typedef struct {
    const nb_format *format;
    const char *text; /* normalised */
    size_t n;
    bool seen;        /* already found in this report (the first of equal marks) */
} mark_entry;

/* Records the marks `s` is (as found[#found + 1]) and counts them; found
 * and count at stack slots 3 and 4. */
static void look(lua_State *L, mark_entry *marks, size_t nmarks, const char *s, size_t n, lua_Integer line)
{
    char buf[MARK_CELL_MAX];
    size_t m = nb_norm_label(s, n, buf);
    if (m == 0)
        return;
    mark_entry *first = NULL;
    for (size_t q = 0; q < nmarks && !first; q++)
        if (marks[q].n == m && memcmp(marks[q].text, buf, m) == 0)
            first = &marks[q];
    if (!first || first->seen)
        return;
    first->seen = true;
    lua_createtable(L, 0, 3);
    nb_scan_trim(&s, &n);
    lua_pushlstring(L, s, n);
    lua_setfield(L, -2, "label");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_newtable(L);
    int nowners = 0;
    for (mark_entry *q = first; q < marks + nmarks; q++)
        if (q->n == m && memcmp(q->text, buf, m) == 0) {
            lua_pushstring(L, q->format->id);
            lua_rawseti(L, -2, ++nowners);
            lua_getfield(L, 4, q->format->id);
            lua_Integer c = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
            lua_pop(L, 1);
            lua_pushinteger(L, c + 1);
            lua_setfield(L, 4, q->format->id);
        }
    lua_setfield(L, -2, "owners");
    lua_rawseti(L, 3, (lua_Integer)lua_rawlen(L, 3) + 1);
}

/* text_marks(scan, from) -> found, count: the formats' marks the scan's
 * items from number `from` on show, as whole table cells (under 160 bytes)
 * or short text lines (under 64): found = { { label = as written, trimmed,
 * line =, owners = { format id, … } }, … } once per normalised label, count
 * = { [format id] = distinct marks seen }. */
static int api_text_marks(lua_State *L)
{
    const nb_host *h = host_of(L);
    const nb_text_scan *sc = nb_scan_check(L, 1);
    lua_Integer from = luaL_checkinteger(L, 2);
    size_t nmarks = 0, shortest = (size_t)-1;
    for (size_t i = 0; i < h->nformats; i++)
        nmarks += h->formats[i].format->nmarks;
    lua_settop(L, 2);
    lua_newtable(L); /* 3: found */
    lua_newtable(L); /* 4: count */
    mark_entry *marks = lua_newuserdatauv(L, (nmarks ? nmarks : 1) * sizeof *marks, 0); /* 5 */
    nmarks = 0;
    for (size_t i = 0; i < h->nformats; i++) /* in load order: owners are listed so */
        for (size_t q = 0; q < h->formats[i].format->nmarks; q++) {
            const char *text = h->formats[i].format->marks[q];
            marks[nmarks] = (mark_entry){.format = h->formats[i].format, .text = text, .n = strlen(text)};
            shortest = marks[nmarks].n < shortest ? marks[nmarks].n : shortest;
            nmarks++;
        }
    for (size_t k = from > 1 ? (size_t)from - 1 : 0; k < sc->nitems; k++) {
        const nb_scan_item *it = &sc->items[k];
        if (!it->row) {
            if (it->ntext < MARK_TEXT_MAX && it->ntext >= shortest) /* normalising never lengthens */
                look(L, marks, nmarks, it->text, it->ntext, it->line);
            continue;
        }
        for (size_t j = 0; j < it->ncells; j++) {
            const nb_scan_cell *c = &sc->cells[it->first + j];
            if (c->n < MARK_CELL_MAX && c->n >= shortest)
                look(L, marks, nmarks, c->s, c->n, c->line);
        }
    }
    lua_settop(L, 4);
    return 2;
}

void nb_text_place_register(lua_State *L, nb_host *h)
{
    static const luaL_Reg fns[] = {
        {"text_placer", api_text_placer}, {"text_place", api_text_place}, {"text_marks", api_text_marks}, {NULL, NULL}};
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, fns, 1);
}
