/* host.pipe_cells(line): a Markdown table row ("| a | b \| c |") cut into
 * its cells in C.  The md importer cut each row with string calls per cell
 * in Lua, which was most of a Markdown import (bench (h)); the cutting is
 * Markdown's, not a report format's: which row a label names stays with
 * the importer.
 *
 * As the importer did it: white space and a "|" at the row's start and a
 * "|" with only white space after it at its end are dropped; the row is cut
 * at each "|" that is not written "\|" (which, like a NUL byte, stands for a
 * "|" inside the cell); one space on each side of a cell is dropped, any
 * other kept (" 3 " written "|  3  |"), and a cell of white space alone is
 * empty.  A row without any "|" is one cell. */
#include "api/pipe_api.h"
#include <lauxlib.h>
#include <stdbool.h>

/* Lua's %s in the C locale */
static bool space(unsigned char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* Pushes the cell s[0..n) with "\|" and NUL read as "|". */
static void push_cell(lua_State *L, const char *s, size_t n)
{
    if (n && s[0] == ' ')
        s++, n--;
    if (n && s[n - 1] == ' ')
        n--;
    size_t k = 0;
    while (k < n && space((unsigned char)s[k]))
        k++;
    if (k == n) {
        lua_pushliteral(L, "");
        return;
    }
    bool plain = true;
    for (size_t i = 0; i < n && plain; i++)
        plain = s[i] != '\0' && !(s[i] == '\\' && i + 1 < n && s[i + 1] == '|');
    if (plain) {
        lua_pushlstring(L, s, n);
        return;
    }
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\\' && i + 1 < n && s[i + 1] == '|')
            i++;
        luaL_addchar(&b, s[i] == '\0' ? '|' : s[i]);
    }
    luaL_pushresult(&b);
}

static int api_pipe_cells(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    size_t a = 0, e = len;
    while (a < len && space((unsigned char)s[a]))
        a++;
    if (a < len && s[a] == '|')
        a++;
    else
        a = 0; /* no "|" after the white space: nothing dropped */
    while (e > a && space((unsigned char)s[e - 1]))
        e--;
    if (e > a && s[e - 1] == '|') /* also that of a final "\\|" */
        e--;
    else
        e = len; /* no last "|": the white space stays with the last cell */
    lua_createtable(L, 16, 0);
    lua_Integer n = 0;
    size_t from = a;
    for (size_t i = a; i <= e; i++) {
        if (i < e && s[i] == '\\' && i + 1 < e && s[i + 1] == '|') {
            i++;
            continue;
        }
        if (i == e || s[i] == '|') {
            push_cell(L, s + from, i - from);
            lua_rawseti(L, -2, ++n);
            from = i + 1;
        }
    }
    return 1;
}

void nb_pipe_api_register(lua_State *L)
{
    lua_pushcfunction(L, api_pipe_cells);
    lua_setfield(L, -2, "pipe_cells");
}
