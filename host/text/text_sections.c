/* See text_sections.h.  Headings and the publication date are told by the
 * importer's layout (text_layout.h), as the importer's own loop tells them. */
#include "text/text_sections.h"
#include "base/text_norm.h"
#include "base/xalloc.h"
#include "lua/section_bundle.h"
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

struct nb_text_piece {
    const char *s; /* a line of text, trimmed */
    size_t n;
    size_t row;    /* or a row item whose cells are joined by TABs (SIZE_MAX: none) */
    int owner;     /* its section, or -1 for the preamble */
};

struct nb_text_heading {
    const char *s;
    size_t n;
    int level;
    lua_Integer line;
};


size_t nb_text_sections_size(size_t n) { return n * (sizeof(nb_text_piece) + sizeof(nb_text_heading)); }

void nb_text_sections_init(nb_text_sections *ts, void *mem, size_t n)
{
    memset(ts, 0, sizeof *ts);
    ts->pieces = mem;
    ts->headings = (nb_text_heading *)(ts->pieces + n);
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

/* The section a level-1 heading opens (index into p->sections), or -1 */
static int section_of(const nb_placer *p, int level, const char *t, size_t n)
{
    if (level != 1 || n >= 4096)
        return -1;
    char buf[4096]; /* a heading's max_bytes is at most 4096 */
    size_t m = nb_norm_label(t, n, buf);
    for (size_t i = 0; i < p->nsections; i++) {
        const nb_placer_section *s = &p->sections[i];
        size_t w = 0;
        while (w < s->nwords && contains(buf, m, s->words[w], s->lens[w]))
            w++;
        if (w == s->nwords)
            return (int)i;
    }
    return -1;
}

/* idx.noise[norm(t)]: a table's header text written as a line */
static bool noise(const nb_placer *p, const char *t, size_t n)
{
    char small[256];
    char *buf = n < sizeof small ? small : nb_xmalloc(n + 1);
    size_t m = nb_norm_label(t, n, buf);
    bool yes = nb_label_get(&p->noise, buf, m) != NULL;
    if (buf != small)
        free(buf);
    return yes;
}

static void add_piece(nb_text_sections *ts, const char *s, size_t n, size_t row)
{
    ts->pieces[ts->npieces++] = (nb_text_piece){.s = s, .n = n, .row = row, .owner = (int)ts->nheadings - 1};
}

int nb_text_sections_text(nb_text_sections *ts, const nb_placer *p, const nb_text_layout *l, const nb_scan_item *it,
                          int cur)
{
    const char *t = it->text;
    size_t n = it->ntext;
    nb_scan_trim(&t, &n);
    int level = nb_layout_heading(l, t, n);
    int def = section_of(p, level, t, n);
    if (def >= 0 || (ts->nheadings > 0 && level == 2)) {
        ts->headings[ts->nheadings++] = (nb_text_heading){.s = t, .n = n, .level = def >= 0 ? 1 : 2, .line = it->line};
        return def >= 0 ? p->sections[def].table : cur;
    }
    if (n == 0)
        return cur;
    if (ts->nheadings > 0) {
        if (!(cur >= 0 && noise(p, t, n)))
            add_piece(ts, t, n, SIZE_MAX);
    } else if (!ts->has_published && nb_layout_published(l, t, n, &ts->published, &ts->npublished)) {
        ts->has_published = true;
    } else {
        add_piece(ts, t, n, SIZE_MAX);
    }
    return cur;
}

void nb_text_sections_row(nb_text_sections *ts, size_t item) { add_piece(ts, NULL, 0, item); }

/* A piece's bytes: a line, or a row's cells joined by TABs. */
static size_t piece_len(const nb_text_piece *pc, const nb_text_scan *sc)
{
    if (pc->row == SIZE_MAX)
        return pc->n;
    const nb_scan_item *it = &sc->items[pc->row];
    size_t n = it->ncells ? it->ncells - 1 : 0;
    for (size_t c = 0; c < it->ncells; c++)
        n += sc->cells[it->first + c].n;
    return n;
}

static void piece_write(nb_section_bundle *b, const nb_text_piece *pc, const nb_text_scan *sc)
{
    if (pc->row == SIZE_MAX) {
        nb_section_bundle_text(b, pc->s, pc->n);
        return;
    }
    const nb_scan_item *it = &sc->items[pc->row];
    for (size_t c = 0; c < it->ncells; c++) {
        if (c > 0)
            nb_section_bundle_text(b, "\t", 1);
        nb_section_bundle_text(b, sc->cells[it->first + c].s, sc->cells[it->first + c].n);
    }
}

/* The preamble: its lines (the pieces before the first heading, which come
 * first) joined by \n, pushed. */
static void push_preamble(lua_State *L, const nb_text_sections *ts, const nb_text_scan *sc)
{
    size_t count = 0;
    while (count < ts->npieces && ts->pieces[count].owner < 0)
        count++;
    if (count == 0 || (count == 1 && ts->pieces[0].row == SIZE_MAX)) { /* one line, or none: no buffer needed */
        lua_pushlstring(L, count ? ts->pieces[0].s : "", count ? ts->pieces[0].n : 0);
        return;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < count; i++) {
        const nb_text_piece *pc = &ts->pieces[i];
        if (i > 0)
            luaL_addchar(&b, '\n');
        if (pc->row == SIZE_MAX) {
            luaL_addlstring(&b, pc->s, pc->n);
            continue;
        }
        const nb_scan_item *it = &sc->items[pc->row];
        for (size_t c = 0; c < it->ncells; c++) {
            if (c > 0)
                luaL_addchar(&b, '\t');
            luaL_addlstring(&b, sc->cells[it->first + c].s, sc->cells[it->first + c].n);
        }
    }
    luaL_pushresult(&b);
}

/* The pieces' owners never decrease (a piece belongs to the last heading
 * before it), so each section's lines are the run of pieces after the
 * last one's. */
void nb_text_sections_push(lua_State *L, const nb_text_sections *ts, const nb_text_scan *sc)
{
    size_t bytes = 0;
    for (size_t i = 0; i < ts->nheadings; i++)
        bytes += ts->headings[i].n;
    for (size_t i = 0; i < ts->npieces; i++)
        if (ts->pieces[i].owner >= 0)
            bytes += piece_len(&ts->pieces[i], sc) + 1; /* and its \n */
    nb_section_bundle *b = nb_section_bundle_push(L, ts->nheadings, bytes);
    size_t p = 0;
    while (p < ts->npieces && ts->pieces[p].owner < 0)
        p++;
    for (size_t i = 0; i < ts->nheadings; i++) {
        const nb_text_heading *h = &ts->headings[i];
        nb_section_bundle_add(b, h->s, h->n, h->level, (uint32_t)h->line);
        for (size_t first = p; p < ts->npieces && ts->pieces[p].owner == (int)i; p++) {
            if (p > first)
                nb_section_bundle_text(b, "\n", 1);
            piece_write(b, &ts->pieces[p], sc);
        }
    }
    push_preamble(L, ts, sc);
    if (ts->has_published)
        lua_pushlstring(L, ts->published, ts->npublished);
    else
        lua_pushnil(L);
}
