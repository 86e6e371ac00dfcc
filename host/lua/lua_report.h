/* Moving a report between Lua and C: the table an importer returns becomes
 * an nb_report (cells read against their column types, errors with line
 * numbers), and an nb_report becomes the table a renderer receives.
 * The table's shape is documented in docs/plugins.md. */
#ifndef NB_LUA_REPORT_H
#define NB_LUA_REPORT_H
#include "lua/registry.h"
#include "model/report.h"

/* Reads the report table at the top of the stack (and pops it).  The format
 * is format_id if given, else the table's, else the one for its year.
 * Returns NULL with messages in err (input errors as "source:line: …"). */
nb_report *nb_lua_to_report(nb_host *h, const char *source, const char *format_id, nb_strbuf *err);

/* Pushes the renderer's view of r.  It allocates: call it only in
 * protected mode (inside a C function run by nb_sandbox_call). */
void nb_lua_push_report(nb_host *h, const nb_report *r);

#endif
