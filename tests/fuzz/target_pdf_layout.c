/* Fuzz target: the PDF importer's own part (plugins/importers/pdf.lua,
 * lib/pdf_tables.lua: lines, running headers, sections, placing numbers by
 * row labels and column headers) without poppler, which costs the pdf
 * target ~13 ms an input.  The pdf plugin's host.pdf_words is replaced by
 * a reader of the fuzz input as words with their boxes, in the shape
 * host/api/pdf_api.c gives (pages of width, height, lines, words).
 *
 * The input, one text line a line (pdf_words_dump writes it from a PDF):
 *   @ W H                       a new page, W × H points (before the first
 *                               "@" line a 595.28 × 841.89 page is open)
 *   X0 Y0 X1 Y1 TEXT<TAB>…      any other line: one text line of the page,
 *                               each tab-separated field a word, its box
 *                               and its text (no space in it)
 * A field that is not a word is left out (numbers as strtod reads them,
 * finite only); the line's text is its words' texts joined by spaces, as
 * poppler's text of a line holds its words: what the reader guarantees
 * (words without white space, finite boxes, each word on a line of its
 * page) holds for every input. */
#include "fuzz.h"
#include "io/pdf_reader.h"
#include "lua/lua_values.h"
#include <lauxlib.h>
#include <lua.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One finite number of the field at *p (before end), spaces before it
 * skipped; *p is left after it. */
static bool number(const char **p, const char *end, double *v)
{
    while (*p < end && **p == ' ')
        (*p)++;
    char tok[48];
    size_t n = 0;
    while (*p < end && **p != ' ' && n < sizeof tok - 1)
        tok[n++] = *(*p)++;
    if (n == 0 || (*p < end && **p != ' '))
        return false;
    tok[n] = '\0';
    char *stop;
    *v = strtod(tok, &stop);
    return *stop == '\0' && isfinite(*v);
}

/* The word of field [s, e): its box and its text [*text, e). */
static bool word_of(const char *s, const char *e, double box[4], const char **text)
{
    for (int i = 0; i < 4; i++)
        if (!number(&s, e, &box[i]))
            return false;
    if (s == e || *s != ' ' || ++s == e)
        return false;
    for (const char *c = s; c < e; c++)
        if (*c == ' ' || *c == '\r' || *c == '\0')
            return false;
    *text = s;
    return true;
}

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* Stack while reading: 1 the input, 2 pages, 3 the page, 4 its lines, 5 its words. */
static void open_page(lua_State *L, lua_Integer n, double w, double h)
{
    lua_settop(L, 2);
    lua_createtable(L, 0, 4);
    set_num(L, "width", w);
    set_num(L, "height", h);
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, 3, "lines");
    lua_newtable(L);
    lua_pushvalue(L, -1);
    lua_setfield(L, 3, "words");
    lua_pushvalue(L, 3);
    lua_rawseti(L, 2, n);
}

/* One text line [s, e) of the page: its words, then its text. */
static void add_line(lua_State *L, const char *s, const char *e, lua_Integer line, lua_Integer *nwords)
{
    double box[4];
    const char *text;
    for (const char *f = s; f <= e;) {
        const char *tab = memchr(f, '\t', (size_t)(e - f));
        const char *fe = tab ? tab : e;
        if (*nwords < NB_PDF_MAX_WORDS && word_of(f, fe, box, &text)) {
            lua_createtable(L, 0, 14); /* as pdf_api.c: room for the importer's fields */
            lua_pushlstring(L, text, (size_t)(fe - text));
            lua_setfield(L, -2, "text");
            set_num(L, "x0", box[0]);
            set_num(L, "y0", box[1]);
            set_num(L, "x1", box[2]);
            set_num(L, "y1", box[3]);
            lua_pushinteger(L, line);
            lua_setfield(L, -2, "line");
            lua_rawseti(L, 5, ++*nwords);
        }
        f = fe + 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    bool first = true;
    for (const char *f = s; f <= e;) {
        const char *tab = memchr(f, '\t', (size_t)(e - f));
        const char *fe = tab ? tab : e;
        if (word_of(f, fe, box, &text)) {
            if (!first)
                luaL_addchar(&b, ' ');
            luaL_addlstring(&b, text, (size_t)(fe - text));
            first = false;
        }
        f = fe + 1;
    }
    luaL_pushresult(&b);
    lua_rawseti(L, 4, line);
}

/* pdf_words(bytes) -> pages, read from the input as the file's top says. */
static int input_words(lua_State *L)
{
    size_t len;
    const char *p = luaL_checklstring(L, 1, &len), *end = p + len;
    lua_settop(L, 1);
    luaL_checkstack(L, 12, "PDF pages");
    lua_newtable(L);
    lua_Integer npages = 0, nlines = 0, nwords = 0;
    if (p == end || *p != '@')
        open_page(L, ++npages, 595.28, 841.89);
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        if (*p == '@') {
            if (npages >= NB_PDF_MAX_PAGES) {
                char msg[96];
                snprintf(msg, sizeof msg, "PDF 文件页数过多（最多 %d 页）", NB_PDF_MAX_PAGES);
                return nb_raise_input_error(L, 0, msg);
            }
            double w = 595.28, h = 841.89;
            const char *q = p + 1;
            if (!number(&q, e, &w) || !number(&q, e, &h))
                w = 595.28, h = 841.89;
            open_page(L, ++npages, w, h);
            nlines = nwords = 0;
        } else {
            add_line(L, p, e, ++nlines, &nwords);
        }
        p = nl ? nl + 1 : end;
    }
    lua_settop(L, 2);
    return 1;
}

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    static bool replaced;
    if (!replaced) {
        nb_fuzz_replace_api("pdf", "pdf_words", input_words);
        replaced = true;
    }
    nb_fuzz_import("pdf", "fuzz.pdf", data, size, 0);
    return 0;
}
