/* nb_lua_push_report (lua_report.h): an nb_report becomes the table a
 * renderer receives — metadata, sections, every cell as written, and the
 * statistics and marks when there are any.  The Lua rules' view
 * (lua_report_view.c) is the same table with its tables filled on demand. */
#include "lua/lua_report.h"
#include <lauxlib.h>
#include <stdio.h>

static void set_str(lua_State *L, const char *key, const char *v)
{
    if (!v)
        return;
    lua_pushstring(L, v);
    lua_setfield(L, -2, key);
}

static void set_int(lua_State *L, const char *key, int v)
{
    if (!v)
        return;
    lua_pushinteger(L, v);
    lua_setfield(L, -2, key);
}

/* statistics and marks, present only when the report has some */
static void push_extras(lua_State *L, const nb_report *r)
{
    if (r->nstats) {
        lua_createtable(L, (int)r->nstats, 0);
        for (size_t i = 0; i < r->nstats; i++) {
            const nb_stat_row *s = &r->stats[i];
            lua_createtable(L, 0, 4);
            set_str(L, "label", s->label);
            set_str(L, "unit", s->unit);
            set_int(L, "line", (int)s->line);
            lua_createtable(L, (int)s->nvalues, 0);
            for (size_t k = 0; k < s->nvalues; k++) {
                lua_pushstring(L, s->values[k]);
                lua_rawseti(L, -2, (lua_Integer)k + 1);
            }
            lua_setfield(L, -2, "values");
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "statistics");
    }
    if (r->nmarks) {
        lua_createtable(L, (int)r->nmarks, 0);
        for (size_t i = 0; i < r->nmarks; i++) {
            const nb_mark_seen *m = &r->marks[i];
            lua_createtable(L, 0, 4);
            set_str(L, "label", m->label);
            set_str(L, "format", m->format);
            set_str(L, "values", m->values);
            set_int(L, "line", (int)m->line);
            lua_rawseti(L, -2, (lua_Integer)i + 1);
        }
        lua_setfield(L, -2, "marks");
    }
}

void nb_lua_push_row(lua_State *L, const nb_report *r, const nb_table *tb, const nb_row *row)
{
    const nb_block *b = &tb->blocks[row->block];
    luaL_checkstack(L, 3, "report row");
    lua_createtable(L, 0, (int)b->ncols);
    for (size_t k = 0; k < b->ncols; k++) {
        char buf[32];
        lua_pushstring(L, nb_cell_text(&r->cells[row->cell_first + k], buf, sizeof buf));
        lua_setfield(L, -2, tb->cols[b->col_first + k].id);
    }
}

/* every table, every data row */
static void push_all_tables(lua_State *L, const nb_report *r)
{
    const nb_format *f = r->format;
    lua_createtable(L, 0, (int)f->ntables);
    for (size_t t = 0; t < f->ntables; t++) {
        const nb_table *tb = &f->tables[t];
        lua_createtable(L, 0, (int)tb->nrows);
        for (size_t ri = 0; ri < tb->nrows; ri++) {
            const nb_row *row = &tb->rows[ri];
            if (!row->data)
                continue;
            nb_lua_push_row(L, r, tb, row);
            lua_setfield(L, -2, row->id);
        }
        lua_setfield(L, -2, tb->id);
    }
}

void nb_lua_push_report_with(lua_State *L, const nb_report *r, int tables)
{
    const nb_format *f = r->format;
    tables = tables ? lua_absindex(L, tables) : 0;
    luaL_checkstack(L, 6, "report table");
    lua_createtable(L, 0, 5);
    set_str(L, "format", f->id);
    set_str(L, "preamble", r->preamble);
    if (r->tables_only) {
        lua_pushboolean(L, 1);
        lua_setfield(L, -2, "tables_only");
    }
    lua_createtable(L, 0, 9);
    set_str(L, "title", r->title);
    set_str(L, "agency", r->agency);
    set_int(L, "year", r->year);
    set_int(L, "title_year", r->title_year);
    set_int(L, "period_year", r->period_year);
    set_str(L, "published", r->published);
    set_str(L, "address", r->address);
    set_str(L, "phone", r->phone);
    set_str(L, "postcode", r->postcode);
    lua_setfield(L, -2, "meta");
    lua_createtable(L, (int)r->nsections, 0);
    for (size_t i = 0; i < r->nsections; i++) {
        const nb_section *s = &r->sections[i];
        lua_createtable(L, 0, 4); /* sized for all four: a table grown by one key is rehashed */
        set_str(L, "heading", s->heading);
        set_str(L, "text", s->text);
        lua_pushinteger(L, s->level);
        lua_setfield(L, -2, "level");
        if (s->line) { /* for rules that quote the text (TXT-NUM) */
            lua_pushinteger(L, s->line);
            lua_setfield(L, -2, "line");
        }
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "sections");
    if (tables)
        lua_pushvalue(L, tables);
    else
        push_all_tables(L, r);
    lua_setfield(L, -2, "tables");
    push_extras(L, r);
}

void nb_lua_push_report(nb_host *h, const nb_report *r) { nb_lua_push_report_with(h->sb->L, r, 0); }
