/* host.text_marks: which formats' marks (labels only that format prints) a
 * report shows, for the text importer's choice of format and for FMT-VER.
 * In C because it looks at every short cell and line of every report. */
#include "text/text_marks.h"
#include "base/text_norm.h"
#include "text/text_scan.h"
#include <lauxlib.h>
#include <string.h>


/* A mark of a format, for text_marks. */
typedef struct {
    const nb_format *format;
    const char *text; /* normalised */
    size_t n;
    size_t next;      /* the next mark of its length's chain, or NONE */
    bool seen;        /* already found in this report (the first of equal marks) */
} mark_entry;

enum { FOUND = 4, COUNT }; /* the stack of text_marks */
enum { CHAINS = 64 };      /* marks chained by their length (mod CHAINS), in load order */
#define NONE ((size_t)-1)

/* What text_marks looks for: the marks, and the format whose marks need no
 * entry in found.  A cell is compared with the marks of its normalised
 * length only: a report's ~70 label cells against every mark were a
 * tenth of reading its text. */
typedef struct {
    mark_entry *marks;
    size_t nmarks;
    size_t chain[CHAINS];
    const char *except;
} search;

static bool is_mark(const mark_entry *q, const char *s, size_t n) { return q->n == n && memcmp(q->text, s, n) == 0; }

/* Counts the marks `s` is (buf, m bytes: s normalised), the first time,
 * and records it as found[#found + 1] unless one of its formats is the
 * exception. */
static void look(lua_State *L, const search *f, const char *buf, size_t m, const char *s, size_t n, lua_Integer line)
{
    if (m == 0)
        return;
    mark_entry *first = NULL;
    for (size_t i = f->chain[m % CHAINS]; i != NONE && !first; i = f->marks[i].next)
        if (is_mark(&f->marks[i], buf, m))
            first = &f->marks[i];
    if (!first || first->seen)
        return;
    first->seen = true;
    bool own = false;
    for (mark_entry *q = first; q; q = q->next == NONE ? NULL : &f->marks[q->next])
        if (is_mark(q, buf, m)) {
            own = own || (f->except && strcmp(q->format->id, f->except) == 0);
            lua_getfield(L, COUNT, q->format->id);
            lua_Integer c = lua_isinteger(L, -1) ? lua_tointeger(L, -1) : 0;
            lua_pop(L, 1);
            lua_pushinteger(L, c + 1);
            lua_setfield(L, COUNT, q->format->id);
        }
    if (own)
        return;
    lua_createtable(L, 0, 3);
    nb_scan_trim(&s, &n);
    lua_pushlstring(L, s, n);
    lua_setfield(L, -2, "label");
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "line");
    lua_newtable(L);
    int nowners = 0;
    for (mark_entry *q = first; q; q = q->next == NONE ? NULL : &f->marks[q->next])
        if (is_mark(q, buf, m)) {
            lua_pushstring(L, q->format->id);
            lua_rawseti(L, -2, ++nowners);
        }
    lua_setfield(L, -2, "owners");
    lua_rawseti(L, FOUND, (lua_Integer)lua_rawlen(L, FOUND) + 1);
}

/* text_marks(scan, from [, except]) -> found, count: the formats' marks the
 * scan's items from number `from` on show, as whole table cells or short text lines (shorter than the
 * layout's mark_cell_bytes and mark_line_bytes): found = { { label = as written,
 * trimmed, line =, owners = { format id, … } }, … } once per normalised
 * label, less those one of whose owners is format `except`; count = {
 * [format id] = distinct marks seen }. */
int nb_text_marks(lua_State *L, const nb_host *h)
{
    nb_text_scan *sc = nb_scan_check(L, 1);
    lua_Integer from = luaL_checkinteger(L, 2);
    search f = {.except = luaL_optstring(L, 3, NULL)}; /* kept alive at slot 3 */
    size_t shortest = (size_t)-1;
    for (size_t i = 0; i < h->nformats; i++)
        f.nmarks += h->formats[i].format->nmarks;
    lua_settop(L, 3);
    lua_newtable(L); /* FOUND */
    lua_newtable(L); /* COUNT */
    f.marks = lua_newuserdatauv(L, (f.nmarks ? f.nmarks : 1) * sizeof *f.marks, 0);
    f.nmarks = 0;
    for (size_t i = 0; i < h->nformats; i++) /* in load order: owners are listed so */
        for (size_t q = 0; q < h->formats[i].format->nmarks; q++) {
            const char *text = h->formats[i].format->marks[q];
            f.marks[f.nmarks] = (mark_entry){.format = h->formats[i].format, .text = text, .n = strlen(text)};
            shortest = f.marks[f.nmarks].n < shortest ? f.marks[f.nmarks].n : shortest;
            f.nmarks++;
        }
    for (size_t c = 0; c < CHAINS; c++)
        f.chain[c] = NONE;
    for (size_t i = f.nmarks; i-- > 0;) {
        f.marks[i].next = f.chain[f.marks[i].n % CHAINS];
        f.chain[f.marks[i].n % CHAINS] = i;
    }
    for (size_t k = from > 1 ? (size_t)from - 1 : 0; k < sc->nitems; k++) {
        const nb_scan_item *it = &sc->items[k];
        if (!it->row) {
            if (it->ntext < sc->layout->mark_line_bytes && it->ntext >= shortest) { /* normalising never lengthens */
                char buf[4096]; /* the layout's mark_line_bytes is at most 4096 and ntext below it */
                look(L, &f, buf, nb_norm_label(it->text, it->ntext, buf), it->text, it->ntext, it->line);
            }
            continue;
        }
        for (size_t j = 0; j < it->ncells; j++) {
            const nb_scan_cell *c = &sc->cells[it->first + j];
            if (c->n < sc->layout->mark_cell_bytes && c->n >= shortest) {
                size_t m;
                const char *norm = nb_scan_cell_norm(sc, it->first + j, &m);
                look(L, &f, norm, m, c->s, c->n, c->line);
            }
        }
    }
    lua_settop(L, COUNT);
    return 2;
}
