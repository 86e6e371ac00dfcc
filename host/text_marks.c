/* host.text_marks: which formats' marks (labels only that format prints) a
 * report shows, for the text importer's choice of format and for FMT-VER.
 * In C because it looks at every short cell and line of every report. */
#include "text_marks.h"
#include "text_norm.h"
#include "text_scan.h"
#include <lauxlib.h>
#include <string.h>

enum { MARK_CELL_MAX = 160, MARK_TEXT_MAX = 64 };

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
int nb_text_marks(lua_State *L, const nb_host *h)
{
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

