/* host.text_place (and the registration of host.text_placer and
 * host.text_marks): the text importer's loop over a report's lines, in C,
 * for what it reads without a question.
 *
 * Checking thousands of reports is a batch job, and building a Lua table
 * for every row and a string for every cell, then matching each label and
 * testing each line in Lua, was most of its cost.  text_place walks a
 * host.text_scan the way the importer's loop does: lines of text make the
 * sections, the preamble and the date (text_sections.c), and level-1
 * headings choose the current table.  A row goes into a cell bundle
 * (cell_bundle.h) only when the importer would place it without a
 * question: its label is one of the current table's data rows in the
 * importer's own label index (text_placer.c), no cell to its right could be
 * a label of any format, its value count is the block's, and the importer
 * could not have placed that row before.  A row the importer would ignore
 * is dropped.  Every other row comes back as the Lua table host.text_rows
 * gives, in order, for the importer's place_row — so its messages, its
 * handling of other formats' rows and everything unusual stay its own.  The
 * C core names no row: the labels come from the importer and the formats'
 * declarations. */
#include "text/text_place.h"
#include "lua/cell_bundle.h"
#include "lua/section_bundle.h"
#include "lua/registry.h"
#include "text/text_marks.h"
#include "base/text_norm.h"
#include "text/text_placer.h"
#include "text/text_scan.h"
#include "text/text_sections.h"
#include <lauxlib.h>
#include <stdlib.h>
#include <string.h>

enum { ROW_SEEN = 1, ROW_POISONED = 2 };

static nb_host *host_of(lua_State *L) { return lua_touserdata(L, lua_upvalueindex(1)); }

/* The label of a row as the importer finds it: the last written cell
 * (from the right) that is one of the table's labels.  *uncertain is set
 * when a cell on the way could be a label of some format, so the importer
 * might read the row otherwise. */
static const nb_label_slot *find_label(const nb_placer *p, const nb_placer_table *pt, nb_text_scan *sc, size_t first,
                                       size_t n, size_t *at, bool *uncertain)
{
    const nb_scan_cell *c = sc->cells + first;
    for (size_t k = n; k-- > 0;) {
        if (c[k].n == 0 || (!p->digit_labels && nb_all_digits(c[k].s, c[k].n)))
            continue; /* blank, or a number no label can be */
        size_t m;
        const char *norm = nb_scan_cell_norm(sc, first + k, &m);
        const nb_label_slot *hit = nb_label_get(&pt->labels, norm, m);
        if (!hit && nb_label_get(&p->all, norm, m))
            *uncertain = true;
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
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n; i++)
        if ((u[i] >= '0' && u[i] <= '9') || (i + 2 < n && u[i] == 0xEF && u[i + 1] == 0xBC && u[i + 2] >= 0x90 &&
                                             u[i + 2] <= 0x99))
            return true;
    return false;
}

/* A row without a label, as the importer reads it when none of its cells
 * could be a label of any format: with no digit in it, nothing (unless it
 * is blank where a block has no labels); with a number written as digits,
 * the first block without labels. */
static decision unlabelled_row(const nb_placer_table *pt, const nb_scan_cell *c, size_t n, const uint8_t *state)
{
    bool digits = false, number = false;
    size_t written = 0;
    for (size_t k = 0; k < n; k++) {
        digits = digits || has_digit(c[k].s, c[k].n);
        number = number || nb_all_digits(c[k].s, c[k].n);
        written += c[k].n > 0;
    }
    if (!digits && !(pt->nunlabelled && written == 0))
        return (decision){.what = DROP};
    if (!number || !pt->nunlabelled || pt->unlabelled[0] == NB_NOT_HERE)
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
static decision decide(const nb_placer *p, const nb_placer_table *pt, nb_text_scan *sc, size_t first, size_t n,
                       uint8_t *state)
{
    const nb_scan_cell *c = sc->cells + first;
    bool uncertain = false;
    size_t at = 0;
    const nb_label_slot *hit = find_label(p, pt, sc, first, n, &at, &uncertain);
    if (!hit) {
        decision d = uncertain ? (decision){.what = LEAVE} : unlabelled_row(pt, c, n, state);
        if (d.what == LEAVE) /* the importer may read it as a row of a block without labels */
            for (size_t i = 0; i < pt->nunlabelled; i++)
                if (pt->unlabelled[i] != NB_NOT_HERE)
                    state[pt->unlabelled[i]] |= ROW_POISONED;
        return d;
    }
    if (hit->row == NB_NOT_HERE)
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

/* the stack of text_place: IDS the placer's row ids (text_placer.c), then
 * each table's seen table, once made, from SEEN_OF on */
enum { SCAN = 1, FROM, PLACER, ROWS, SEEN, LAST, BUNDLE, SCRATCH, IDS, SEEN_OF };

static void place(lua_State *L, const nb_placer_table *pt, decision d, const nb_scan_cell *c, nb_cell_bundle *b,
                  int seen)
{
    const nb_row *r = &pt->tb->rows[d.row];
    size_t ncols = pt->tb->blocks[r->block].ncols;
    for (size_t j = 0; j < ncols; j++) {
        const nb_scan_cell *v = &c[d.first + j];
        nb_cell_bundle_set(b, r->cell_first + j, v->s, v->n, (uint32_t)v->line);
    }
    lua_rawgeti(L, IDS, (lua_Integer)(pt->row_base + (size_t)d.row) + 1);
    lua_pushinteger(L, c[d.at].line);
    lua_rawset(L, seen);
}

/* NIANBAO_TEXT_PLACE=0 turns text_place off, so that tests can compare the
 * importer's results with and without it. */
static bool placing_off(void)
{
    const char *v = getenv("NIANBAO_TEXT_PLACE");
    return v && strcmp(v, "0") == 0;
}

/* Has table t every row it requires placed (so the importer need not look)? */
static bool complete(const nb_placer *p, size_t t, const uint8_t *state)
{
    const nb_placer_table *pt = &p->tables[t];
    for (size_t i = 0; i < pt->nrequired; i++)
        if (pt->required[i] == NB_NOT_HERE || !(state[pt->row_base + (size_t)pt->required[i]] & ROW_SEEN))
            return false;
    return true;
}

/* text_place(scan, from, placer) -> rows, cells, seen, last, sections,
 * preamble, published, complete: the scan's items from number `from` on, read as
 * the text importer's loop reads them when its format has tables and the
 * text marks its rows.  cells: the rows placed (a cell bundle); rows: the
 * row items left to the importer, as host.text_rows gives them, each with
 * `table` = the id of the table it came under; seen = { [table id] = {
 * [row id] = line of its label } } and last = { [table id] = last line of
 * its rows } for each table whose rows were read; sections (a section
 * bundle, for report.sections), preamble and published as text_sections.h
 * says; complete = { [table id] = true } for each table read whose required
 * rows (the placer's) were all placed here: the rows the importer places
 * only add to them, so its check that none is missing would find none.
 * Nothing when turned off. */
static int api_text_place(lua_State *L)
{
    nb_text_scan *sc = nb_scan_check(L, SCAN);
    lua_Integer from = luaL_checkinteger(L, FROM);
    const nb_placer *p = nb_placer_check(L, PLACER);
    if (placing_off())
        return 0;
    size_t k0 = from > 1 ? (size_t)from - 1 : 0, nitems = k0 < sc->nitems ? sc->nitems - k0 : 0;
    lua_settop(L, PLACER);
    lua_newtable(L); /* ROWS */
    lua_newtable(L); /* SEEN */
    lua_newtable(L); /* LAST */
    size_t extra = p->ntables * sizeof(lua_Integer) + p->nrows + p->ntables;
    nb_cell_bundle *b = nb_cell_bundle_push(L, p->format, SCAN, extra, true); /* BUNDLE */
    lua_Integer *last = nb_cell_bundle_scratch(b);
    uint8_t *state = (uint8_t *)(last + p->ntables); /* per row, then per table: read? */
    nb_text_sections ts;
    nb_text_sections_init(&ts, lua_newuserdatauv(L, nb_text_sections_size(nitems), 0), nitems); /* SCRATCH */
    luaL_checkstack(L, (int)p->ntables + 8, "text_place");
    lua_getiuservalue(L, PLACER, 1); /* IDS */
    for (size_t t = 0; t < p->ntables; t++)
        lua_pushnil(L); /* SEEN_OF + t */
    lua_Integer nrows = 0;
    int cur = -1;
    for (size_t k = k0; k < sc->nitems; k++) {
        const nb_scan_item *it = &sc->items[k];
        if (!it->row) {
            cur = nb_text_sections_text(&ts, p, sc->layout, it, cur);
            continue;
        }
        if (cur < 0) {
            nb_text_sections_row(&ts, k);
            continue;
        }
        const nb_placer_table *pt = &p->tables[cur];
        const nb_scan_cell *c = sc->cells + it->first;
        uint8_t *read = state + p->nrows + cur;
        if (!*read) {
            *read = 1;
            lua_createtable(L, 0, (int)pt->tb->nrows);
            lua_pushvalue(L, -1);
            lua_setfield(L, SEEN, pt->tb->id);
            lua_replace(L, SEEN_OF + cur);
        }
        last[cur] = c[it->ncells - 1].line;
        decision d = decide(p, pt, sc, it->first, it->ncells, state + pt->row_base);
        if (d.what == PLACE) {
            state[pt->row_base + (size_t)d.row] |= ROW_SEEN;
            place(L, pt, d, c, b, SEEN_OF + cur);
        } else if (d.what == LEAVE) {
            nb_scan_push_item(L, sc, k);
            lua_pushstring(L, pt->tb->id);
            lua_setfield(L, -2, "table");
            lua_rawseti(L, ROWS, ++nrows);
        }
    }
    lua_createtable(L, 0, (int)p->ntables); /* complete */
    for (size_t t = 0; t < p->ntables; t++)
        if (state[p->nrows + t]) {
            lua_pushinteger(L, last[t]);
            lua_setfield(L, LAST, p->tables[t].tb->id);
            if (complete(p, t, state)) {
                lua_pushboolean(L, 1);
                lua_setfield(L, -2, p->tables[t].tb->id);
            }
        }
    int done = lua_gettop(L);
    lua_pushvalue(L, ROWS);
    lua_pushvalue(L, BUNDLE);
    lua_pushvalue(L, SEEN);
    lua_pushvalue(L, LAST);
    nb_text_sections_push(L, &ts, sc);
    lua_pushvalue(L, done);
    return 8;
}

static int api_text_placer(lua_State *L) { return nb_text_placer_new(L, host_of(L)); }

static int api_text_marks(lua_State *L) { return nb_text_marks(L, host_of(L)); }

void nb_text_place_register(lua_State *L, nb_host *h)
{
    static const luaL_Reg fns[] = {
        {"text_placer", api_text_placer}, {"text_place", api_text_place}, {"text_marks", api_text_marks}, {NULL, NULL}};
    nb_section_bundle_register(L);
    lua_pushlightuserdata(L, h);
    luaL_setfuncs(L, fns, 1);
}
