/* See section_bundle.h. */
#include "lua/section_bundle.h"
#include <lauxlib.h>
#include <string.h>

static const char BUNDLE_META[] = "nianbao.section_bundle";

struct nb_section_bundle {
    size_t n, cap;    /* sections added, room for */
    char *pool, *end; /* the next free byte, and the end of the space */
    nb_bundle_section sections[];
};

nb_section_bundle *nb_section_bundle_push(lua_State *L, size_t n, size_t bytes)
{
    size_t head = sizeof(nb_section_bundle) + n * sizeof(nb_bundle_section);
    size_t pool = bytes + 2 * n; /* each heading's and text's NUL */
    if (n > SIZE_MAX / 4 / sizeof(nb_bundle_section) || bytes > SIZE_MAX / 4)
        luaL_error(L, "sections: too large");
    nb_section_bundle *b = lua_newuserdatauv(L, head + pool, 0);
    b->n = 0;
    b->cap = n;
    b->pool = (char *)b + head;
    b->end = b->pool + pool;
    if (luaL_newmetatable(L, BUNDLE_META)) {
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    return b;
}

static char *take(nb_section_bundle *b, const char *s, size_t n)
{
    char *at = b->pool;
    memcpy(at, s, n);
    at[n] = '\0';
    b->pool += n + 1;
    return at;
}

void nb_section_bundle_add(nb_section_bundle *b, const char *heading, size_t n, int level, uint32_t line)
{
    nb_bundle_section *s = &b->sections[b->n++];
    s->heading = take(b, heading, n);
    s->nheading = n;
    s->level = level;
    s->line = line;
    s->text = take(b, "", 0);
    s->ntext = 0;
}

void nb_section_bundle_text(nb_section_bundle *b, const char *s, size_t n)
{
    nb_bundle_section *sec = &b->sections[b->n - 1];
    char *at = (char *)sec->text + sec->ntext; /* its NUL, the last byte used */
    memcpy(at, s, n);
    at[n] = '\0';
    sec->ntext += n;
    b->pool = at + n + 1;
}

nb_section_bundle *nb_section_bundle_test(lua_State *L, int idx) { return luaL_testudata(L, idx, BUNDLE_META); }

size_t nb_section_bundle_count(const nb_section_bundle *b) { return b->n; }

const nb_bundle_section *nb_section_bundle_get(const nb_section_bundle *b, size_t k) { return &b->sections[k]; }

/* last_section_text(sections) -> the text of its last section, or nil */
static int last_text(lua_State *L)
{
    const nb_section_bundle *b = luaL_checkudata(L, 1, BUNDLE_META);
    if (b->n == 0)
        return 0;
    lua_pushlstring(L, b->sections[b->n - 1].text, b->sections[b->n - 1].ntext);
    return 1;
}

/* cut_last_section(sections, n): its last section's text cut to its first n bytes */
static int cut_last(lua_State *L)
{
    nb_section_bundle *b = luaL_checkudata(L, 1, BUNDLE_META);
    lua_Integer n = luaL_checkinteger(L, 2);
    luaL_argcheck(L, b->n > 0 && n >= 0 && (lua_Unsigned)n <= b->sections[b->n - 1].ntext, 2,
                  "不在最后一节文字的长度之内");
    nb_bundle_section *s = &b->sections[b->n - 1];
    s->ntext = (size_t)n;
    ((char *)s->text)[n] = '\0';
    return 0;
}

void nb_section_bundle_register(lua_State *L)
{
    static const luaL_Reg fns[] = {{"last_section_text", last_text}, {"cut_last_section", cut_last}, {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
