/* Moving a report between Lua and C: the table an importer returns becomes
 * an nb_report (cells read against their column types, errors with line
 * numbers), and an nb_report becomes the table a renderer receives.
 * The table's shape is documented in docs/plugins.md. */
#ifndef NB_LUA_REPORT_H
#define NB_LUA_REPORT_H
#include "lua/registry.h"
#include "model/report.h"

/* A metadata text longer than this is no title, agency or address: the
 * host refuses it from an importer (a hostile importer's 60 MB agency name
 * kept every renderer busy past its time limit); importers that read
 * metadata as written check it first (host.meta_max_bytes), so a damaged
 * input is an input error, not a plugin's.  A section's text or the
 * preamble is bounded only by the plugin's memory ceiling. */
enum { NB_META_MAX = 4096 };

/* Reads the report table at the top of the stack (and pops it).  The format
 * is format_id if given, else the table's, else the one for its year.
 * Returns NULL with messages in err (input errors as "source:line: …"). */
nb_report *nb_lua_to_report(nb_host *h, const char *source, const char *format_id, nb_strbuf *err);

/* Pushes the renderer's view of r.  It allocates: call it only in
 * protected mode (inside a C function run by nb_sandbox_call). */
void nb_lua_push_report(nb_host *h, const nb_report *r);

/* The same table with the value at stack index tables as its "tables"
 * (0: every table filled), for lua_report_view.c. */
void nb_lua_push_report_with(lua_State *L, const nb_report *r, int tables);
/* Pushes one data row of tb: {column id = the cell as written}. */
void nb_lua_push_row(lua_State *L, const nb_report *r, const nb_table *tb, const nb_row *row);

/* The Lua rules' view of r: a handle (full userdata) whose report table
 * (nb_lua_view_table) is the renderer's, except that report.tables and
 * each report.tables[t] are filled when first read (indexing or pairs).
 * Both allocate: protected mode only. */
void nb_lua_view_push(lua_State *L, const nb_report *r);
void nb_lua_view_table(lua_State *L, int handle);
/* r is going away: reading a table not filled yet raises a plugin error
 * from now on.  Allocates nothing, cannot raise. */
void nb_lua_view_close(lua_State *L, int handle);

#endif
