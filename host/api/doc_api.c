/* See doc_api.h.  The blocks are owned by a userdata with a __gc while they
 * are pushed, so a raise (memory ceiling, instruction budget) frees them. */
#include "api/doc_api.h"
#include "io/docx_reader.h"
#include "io/html_reader.h"
#include "lua/lua_sandbox.h"
#include "lua/lua_values.h"
#include "text/text_scan.h"
#include <lauxlib.h>
#include <stdint.h>
#include <string.h>

/* The blocks count against the plugin's memory ceiling while they live, as
 * host.csv_rows's rows do: a reader stops at the room the plugin has left
 * (and refuses an input whose parse tree would not fit), and what it made
 * is charged until the userdata is collected. */
typedef struct {
    nb_doc d;
    size_t charged;
} doc_box;

static int doc_gc(lua_State *L)
{
    doc_box *box = lua_touserdata(L, 1);
    if (box->charged)
        nb_sandbox_release(L, box->charged);
    box->charged = 0;
    nb_doc_free(&box->d);
    return 0;
}

/* The memory ceiling reached: the sandbox reports it as its own error. */
static int raise_memory(lua_State *L)
{
    nb_sandbox_charge(L, SIZE_MAX); /* marks the ceiling as reached */
    return luaL_error(L, "文档读取器的 C 缓冲区达到了内存上限");
}

/* after a read: the memory limit, an input error, or the blocks charged */
static int finish_read(lua_State *L, nb_doc *d, bool ok, const char *err)
{
    doc_box *box = (doc_box *)d;
    if (d->too_big)
        return raise_memory(L);
    if (!ok)
        return nb_raise_input_error(L, 0, err);
    if (!nb_sandbox_charge(L, d->bytes))
        return raise_memory(L);
    box->charged = d->bytes;
    return 0;
}

static nb_doc *new_doc(lua_State *L)
{
    doc_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    nb_doc *d = &box->d;
    nb_doc_init(d);
    box->charged = 0;
    size_t room = nb_sandbox_room(L);
    d->max_bytes = room ? room : 1;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, doc_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    return d;
}

/* one_line(s) -> s with every run of white space (Lua's %s: space, \t, \n,
 * \v, \f, \r) as one space, as gsub(s, "%s+", " ") writes it: a paragraph or
 * a cell of a document on one line.  In C since every byte of a document's
 * text passes through it (in Lua it was a fifth of a .docx's import). */
static bool is_ws(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* s[0..n) from its first byte that needs a change (at i) into b, each white space run as one space */
static void add_one_line(luaL_Buffer *b, const char *s, size_t n, size_t i)
{
    luaL_addlstring(b, s, i);
    while (i < n) {
        if (is_ws((unsigned char)s[i])) {
            luaL_addchar(b, ' ');
            while (i < n && is_ws((unsigned char)s[i]))
                i++;
            continue;
        }
        size_t j = i;
        while (j < n && !is_ws((unsigned char)s[j]))
            j++;
        luaL_addlstring(b, s + i, j - i);
        i = j;
    }
}

/* the first byte of s[0..n) one_line changes, or n.  Eight bytes are
 * passed over at once when none is below '!' (white space is; Chinese text
 * has little of it): the word test is the exact "has a byte less than n"
 * of bit twiddling (n <= 128). */
static size_t first_change(const char *s, size_t n)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    size_t i = 0;
    while (i < n) {
        if (n - i >= 8) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if (((x - ones * '!') & ~x & highs) == 0) {
                i += 8;
                continue;
            }
        }
        for (size_t end = n - i >= 8 ? i + 8 : n; i < end; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c > ' ' || !is_ws(c))
                continue;
            if (c != ' ' || (i + 1 < n && is_ws((unsigned char)s[i + 1])))
                return i;
        }
    }
    return n;
}

/* A table block's rows as the text importer reads a table (the layout of
 * render --to txt), its lines joined by "\n": each own field "\t" ..
 * trim(one_line(text)), a field covered from above "\t" (as Word's own
 * rows have it), the others left out, an empty line after each row.  In C
 * since a report's tables are most of a document's lines (in Lua, three
 * strings were made per field). */
static void push_table_text(lua_State *L, const nb_doc_block *b)
{
    luaL_Buffer buf;
    luaL_buffinit(L, &buf);
    for (size_t r = 0; r < b->rows; r++) {
        if (r > 0)
            luaL_addchar(&buf, '\n'); /* the empty line after the row above */
        for (size_t c = 0; c < b->cols; c++) {
            const nb_doc_cell *cell = &b->cells[r * b->cols + c];
            if (cell->covered != 0 && cell->covered != NB_CELL_V)
                continue; /* part of a cell already written, or beyond the row */
            luaL_addchar(&buf, '\t');
            if (cell->covered == 0) { /* its text trimmed as read (nb_doc_trim: more than host.trim) */
                size_t len = strlen(cell->text);
                add_one_line(&buf, cell->text, len, first_change(cell->text, len));
            }
            luaL_addchar(&buf, '\n');
        }
    }
    luaL_pushresult(&buf);
}

/* { kind = "p", text =, level = (numbered), heading = } or { kind =
 * "table", text = (push_table_text), rows = { { cell, …, covered = "..h" },
 * … } } (rows left out when with_rows is false): covered holds one
 * character per grid column: "." the cell's own field, "h" covered from the
 * left, "v" from above, "b" both, "p" beyond a short row. */
static void push_blocks(lua_State *L, const nb_doc *d, bool with_rows)
{
    luaL_checkstack(L, 8, "document blocks");
    lua_createtable(L, (int)(d->n < 1000000 ? d->n : 0), 0);
    char cov[NB_DOC_MAX_COLS + 1];
    for (size_t i = 0; i < d->n; i++) {
        const nb_doc_block *b = &d->blocks[i];
        if (!b->table) {
            lua_createtable(L, 0, 4);
            lua_pushliteral(L, "p");
            lua_setfield(L, -2, "kind");
            lua_pushstring(L, b->text);
            lua_setfield(L, -2, "text");
            if (b->level >= 0) {
                lua_pushinteger(L, b->level);
                lua_setfield(L, -2, "level");
            }
            if (b->heading > 0) {
                lua_pushinteger(L, b->heading);
                lua_setfield(L, -2, "heading");
            }
        } else {
            lua_createtable(L, 0, 3);
            lua_pushliteral(L, "table");
            lua_setfield(L, -2, "kind");
            push_table_text(L, b);
            lua_setfield(L, -2, "text");
            if (!with_rows) {
                lua_rawseti(L, -2, (lua_Integer)i + 1);
                continue;
            }
            lua_createtable(L, (int)b->rows, 0);
            for (size_t r = 0; r < b->rows; r++) {
                lua_createtable(L, (int)b->cols, 1);
                for (size_t c = 0; c < b->cols; c++) {
                    const nb_doc_cell *cell = &b->cells[r * b->cols + c];
                    lua_pushstring(L, cell->text);
                    lua_rawseti(L, -2, (lua_Integer)c + 1);
                    unsigned f = cell->covered;
                    cov[c] = (f & NB_CELL_PAD)                      ? 'p'
                             : (f & NB_CELL_H) && (f & NB_CELL_V) ? 'b'
                             : (f & NB_CELL_H)                      ? 'h'
                             : (f & NB_CELL_V)                      ? 'v'
                                                                    : '.';
                }
                lua_pushlstring(L, cov, b->cols);
                lua_setfield(L, -2, "covered");
                lua_rawseti(L, -2, (lua_Integer)r + 1);
            }
            lua_setfield(L, -2, "rows");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
}

/* The styles a plugin's docx_blocks read last (io/docx_reader.h), owned by
 * a userdata, its upvalue, made at the first call; what it keeps counts
 * against the plugin's memory ceiling while it is kept (dropped when it
 * does not fit). */
typedef struct {
    nb_docx_styles *styles;
    size_t charged;
} styles_box;

static int styles_gc(lua_State *L)
{
    styles_box *box = lua_touserdata(L, 1);
    if (box->charged)
        nb_sandbox_release(L, box->charged);
    box->charged = 0;
    nb_docx_styles_free(box->styles);
    box->styles = NULL;
    return 0;
}

static styles_box *styles_of(lua_State *L)
{
    styles_box *box = lua_touserdata(L, lua_upvalueindex(1));
    if (box)
        return box;
    box = lua_newuserdatauv(L, sizeof *box, 0);
    box->styles = NULL, box->charged = 0;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, styles_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    box->styles = nb_docx_styles_new();
    lua_replace(L, lua_upvalueindex(1));
    return box;
}

/* the styles kept charged anew after a read (dropped when they do not fit) */
static void charge_styles(lua_State *L, styles_box *box)
{
    nb_sandbox_release(L, box->charged);
    box->charged = nb_docx_styles_bytes(box->styles);
    if (box->charged > nb_sandbox_room(L)) {
        nb_docx_styles_free(box->styles);
        box->styles = nb_docx_styles_new();
        box->charged = 0;
    }
    if (box->charged)
        nb_sandbox_charge(L, box->charged);
}

/* docx_blocks(bytes [, "lines"]) -> blocks; "lines": tables as their text only */
static int api_docx_blocks(lua_State *L)
{
    static const char *const TABLES[] = {"rows", "lines", NULL};
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    bool with_rows = luaL_checkoption(L, 2, "rows", TABLES) == 0;
    lua_settop(L, 1);
    styles_box *sbox = styles_of(L);
    nb_doc *d = new_doc(L);
    char err[512];
    bool ok = nb_docx_read(data, len, d, sbox->styles, err, sizeof err);
    charge_styles(L, sbox);
    finish_read(L, d, ok, err);
    push_blocks(L, d, with_rows);
    return 1;
}

/* html_blocks(bytes) -> blocks, encoding */
static int api_html_blocks(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    nb_doc *d = new_doc(L);
    char err[512];
    const char *encoding;
    bool ok = nb_html_read(data, len, d, &encoding, err, sizeof err);
    finish_read(L, d, ok, err);
    push_blocks(L, d, true);
    lua_pushstring(L, encoding);
    return 2;
}

static int api_one_line(lua_State *L)
{
    size_t n;
    const char *s = luaL_checklstring(L, 1, &n);
    size_t i = first_change(s, n);
    if (i == n) { /* already one line, single spaces only */
        lua_settop(L, 1);
        return 1;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    add_one_line(&b, s, n, i);
    luaL_pushresult(&b);
    return 1;
}

/* importer_of(id) -> the import function of a registered importer, or nil */
static int api_importer_of(lua_State *L)
{
    const nb_host *h = lua_touserdata(L, lua_upvalueindex(1));
    const nb_importer *imp = nb_host_importer(h, luaL_checkstring(L, 1));
    if (!imp)
        return lua_pushnil(L), 1;
    lua_rawgeti(L, LUA_REGISTRYINDEX, imp->fn_ref);
    return 1;
}

void nb_doc_api_register(lua_State *L, nb_host *h)
{
    lua_pushnil(L); /* the styles read last, made at the first call */
    lua_pushcclosure(L, api_docx_blocks, 1);
    lua_setfield(L, -2, "docx_blocks");
    lua_pushcfunction(L, api_html_blocks);
    lua_setfield(L, -2, "html_blocks");
    lua_pushcfunction(L, api_one_line);
    lua_setfield(L, -2, "one_line");
    lua_pushlightuserdata(L, h);
    lua_pushcclosure(L, api_importer_of, 1);
    lua_setfield(L, -2, "importer_of");
}
