/* See cell_bundle.h. */
#include "lua/cell_bundle.h"
#include <lauxlib.h>
#include <string.h>

static const char BUNDLE_META[] = "nianbao.cell_bundle";

typedef struct {
    const char *s; /* NULL: not in the bundle */
    size_t n;
    uint32_t line;
} bundle_cell;

struct nb_cell_bundle {
    const nb_format *format;
    size_t ncells, extra;
    bundle_cell cells[]; /* format->ncells of them, then the scratch space */
};

nb_cell_bundle *nb_cell_bundle_push(lua_State *L, const nb_format *f, int anchor, size_t extra)
{
    anchor = lua_absindex(L, anchor);
    size_t size = sizeof(nb_cell_bundle) + f->ncells * sizeof(bundle_cell) + extra;
    nb_cell_bundle *b = lua_newuserdatauv(L, size, 1);
    memset(b, 0, size);
    b->format = f;
    b->ncells = f->ncells;
    b->extra = extra;
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
}

nb_cell_bundle *nb_cell_bundle_test(lua_State *L, int idx) { return luaL_testudata(L, idx, BUNDLE_META); }

const nb_format *nb_cell_bundle_format(const nb_cell_bundle *b) { return b->format; }

bool nb_cell_bundle_get(const nb_cell_bundle *b, size_t cell, const char **s, size_t *n, uint32_t *line)
{
    if (cell >= b->ncells || !b->cells[cell].s)
        return false;
    *s = b->cells[cell].s;
    *n = b->cells[cell].n;
    *line = b->cells[cell].line;
    return true;
}
