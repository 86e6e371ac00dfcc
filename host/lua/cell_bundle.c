/* See cell_bundle.h. */
#include "lua/cell_bundle.h"
#include <lauxlib.h>
#include <string.h>

static const char BUNDLE_META[] = "nianbao.cell_bundle";

typedef struct {
    const char *s;
    size_t n;
    uint32_t line;
} bundle_cell;

/* Which cells are set is kept in a bit set, cleared when the bundle is
 * made: clearing every cell (a format has hundreds) was most of making it.
 * Which tables the source had likewise, unless every table counts. */
struct nb_cell_bundle {
    const nb_format *format;
    size_t ncells, extra;
    bool every_table;
    unsigned char *set;   /* a bit a cell, after the scratch space */
    unsigned char *given; /* a bit a table, after those of the cells */
    bundle_cell cells[];  /* format->ncells of them, then the scratch space */
};

nb_cell_bundle *nb_cell_bundle_push(lua_State *L, const nb_format *f, int anchor, size_t extra, bool every_table)
{
    anchor = lua_absindex(L, anchor);
    size_t cells = sizeof(nb_cell_bundle) + f->ncells * sizeof(bundle_cell), bits = (f->ncells + 7) / 8,
           tbits = (f->ntables + 7) / 8;
    nb_cell_bundle *b = lua_newuserdatauv(L, cells + extra + bits + tbits, 1);
    b->format = f;
    b->ncells = f->ncells;
    b->extra = extra;
    b->every_table = every_table;
    b->set = (unsigned char *)b + cells + extra;
    b->given = b->set + bits;
    memset((unsigned char *)b + cells, 0, extra + bits + tbits);
    if (luaL_newmetatable(L, BUNDLE_META)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    lua_pushvalue(L, anchor);
    lua_setiuservalue(L, -2, 1);
    return b;
}

void *nb_cell_bundle_scratch(nb_cell_bundle *b) { return b->cells + b->ncells; }

void nb_cell_bundle_set(nb_cell_bundle *b, size_t cell, const char *s, size_t n, uint32_t line)
{
    b->cells[cell] = (bundle_cell){.s = s, .n = n, .line = line};
    b->set[cell / 8] |= (unsigned char)(1u << (cell % 8));
}

void nb_cell_bundle_give(nb_cell_bundle *b, size_t table) { b->given[table / 8] |= (unsigned char)(1u << (table % 8)); }

bool nb_cell_bundle_given(const nb_cell_bundle *b, size_t table)
{
    return b->every_table || (table < b->format->ntables && (b->given[table / 8] & (1u << (table % 8))));
}

nb_cell_bundle *nb_cell_bundle_test(lua_State *L, int idx) { return luaL_testudata(L, idx, BUNDLE_META); }

const nb_format *nb_cell_bundle_format(const nb_cell_bundle *b) { return b->format; }

bool nb_cell_bundle_get(const nb_cell_bundle *b, size_t cell, const char **s, size_t *n, uint32_t *line)
{
    if (cell >= b->ncells || !(b->set[cell / 8] & (1u << (cell % 8))))
        return false;
    *s = b->cells[cell].s;
    *n = b->cells[cell].n;
    *line = b->cells[cell].line;
    return true;
}
