/* Host functions for importers that read tabular sources: CSV files in the
 * encodings agencies have (csv_reader.c), text decoding for detect
 * functions, and one read-only SQLite table of the input the user named. */
#ifndef NB_LUA_IMPORT_API_H
#define NB_LUA_IMPORT_API_H
#include <lua.h>

/* Adds csv_rows, decode and sqlite_rows to the table at the top of the stack. */
void nb_import_api_register(lua_State *L);

/* The file being imported (NULL: none, or standard input): the only file
 * sqlite_rows may open.  import.c sets it inside the protected import call
 * (setting a path allocates) and clears it after. */
void nb_import_api_set_input(lua_State *L, const char *path);

#endif
