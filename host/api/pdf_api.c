/* See pdf_api.h.  The pages are owned by a userdata with a __gc while they
 * are pushed, so a raise (memory ceiling, instruction budget) frees them. */
#include "api/pdf_api.h"
#include "io/pdf_apart.h"
#include "lua/lua_sandbox.h"
#include "lua/lua_values.h"
#include <lauxlib.h>
#include <stdint.h>

/* The pages count against the plugin's memory ceiling while they live, as
 * host.csv_rows's rows do: the reader stops at the room the plugin has
 * left, and what it read is charged until the userdata is collected. */
typedef struct {
    nb_pdf p;
    size_t charged;
} pdf_box;

static int pdf_gc(lua_State *L)
{
    pdf_box *box = lua_touserdata(L, 1);
    if (box->charged)
        nb_sandbox_release(L, box->charged);
    box->charged = 0;
    nb_pdf_free(&box->p);
    return 0;
}

static int raise_memory(lua_State *L)
{
    nb_sandbox_charge(L, SIZE_MAX); /* marks the ceiling as reached */
    return luaL_error(L, "PDF 读取器的 C 缓冲区达到了内存上限");
}

static void set_num(lua_State *L, const char *k, double v)
{
    lua_pushnumber(L, v);
    lua_setfield(L, -2, k);
}

/* pdf_words(bytes) -> pages: { width =, height =, lines = { text, … },
 * words = { { text =, x0 =, y0 =, x1 =, y1 =, line = }, … } }, each page in
 * order; points, the origin at the page's top left; line indexes lines. */
static int api_pdf_words(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    pdf_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    nb_pdf *p = &box->p;
    nb_pdf_init(p);
    box->charged = 0;
    size_t room = nb_sandbox_room(L);
    p->max_bytes = room ? room : 1;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, pdf_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    char err[512];
    bool ok = nb_pdf_read_apart(data, len, p, nb_sandbox_seconds_left(L), err, sizeof err);
    nb_sandbox_c_work_done(L);
    if (p->too_big)
        return raise_memory(L);
    if (!ok)
        return nb_raise_input_error(L, 0, err);
    if (!nb_sandbox_charge(L, p->bytes))
        return raise_memory(L);
    box->charged = p->bytes;
    luaL_checkstack(L, 8, "PDF pages");
    lua_createtable(L, (int)p->npages, 0);
    for (size_t i = 0; i < p->npages; i++) {
        const nb_pdf_page *pg = &p->pages[i];
        lua_createtable(L, 0, 4);
        set_num(L, "width", pg->width);
        set_num(L, "height", pg->height);
        lua_createtable(L, (int)pg->nlines, 0);
        for (size_t l = 0; l < pg->nlines; l++) {
            lua_pushstring(L, pg->lines[l]);
            lua_rawseti(L, -2, (lua_Integer)l + 1);
        }
        lua_setfield(L, -2, "lines");
        lua_createtable(L, (int)pg->nwords, 0);
        for (size_t w = 0; w < pg->nwords; w++) {
            const nb_pdf_word *wd = &pg->words[w];
            /* room for the fields the importer adds to a word (page, cy, n,
             * em, han, at_top, at_foot, joined: up to 14 in all), so that
             * none of the document's words is rehashed on the way */
            lua_createtable(L, 0, 14);
            lua_pushstring(L, wd->text);
            lua_setfield(L, -2, "text");
            set_num(L, "x0", wd->x0);
            set_num(L, "y0", wd->y0);
            set_num(L, "x1", wd->x1);
            set_num(L, "y1", wd->y1);
            lua_pushinteger(L, (lua_Integer)wd->line + 1);
            lua_setfield(L, -2, "line");
            lua_rawseti(L, -2, (lua_Integer)w + 1);
        }
        lua_setfield(L, -2, "words");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

void nb_pdf_api_register(lua_State *L)
{
    lua_pushcfunction(L, api_pdf_words);
    lua_setfield(L, -2, "pdf_words");
}
