/* Strict checking of plugin declarations: every table a plugin registers is
 * compared with a list of known fields, so a misspelt or missing key is
 * reported with its path instead of being silently ignored. */
#ifndef NB_LUA_SCHEMA_H
#define NB_LUA_SCHEMA_H
#include <lua.h>
#include <stdbool.h>

typedef struct {
    const char *key;
    int type;      /* LUA_TSTRING, LUA_TNUMBER, LUA_TTABLE, LUA_TFUNCTION, LUA_TBOOLEAN;
                      LUA_TNONE: any type, the caller checks it */
    bool required;
} nb_field;

/* Raises a Lua error naming path when the table at idx has an unknown key,
 * lacks a required one, or holds a value of the wrong type.  fields: at
 * most 64, ended by a NULL key. */
void nb_schema_check(lua_State *L, int idx, const nb_field *fields, const char *path);

/* What nb_schema_read found of a field: type LUA_TNIL when it is not there;
 * s for a string (valid while the table holds it), i for an integer. */
typedef struct {
    int type;
    const char *s;
    long long i;
} nb_schema_value;

/* nb_schema_check, keeping each field's value in out[k] (k its place in
 * fields) as the walk meets it: a table read whole (every section of every
 * report) needs no lookup of its keys after the check. */
void nb_schema_read(lua_State *L, int idx, const nb_field *fields, const char *path, nb_schema_value *out);

/* Field accessors for checked tables (leave the stack unchanged). */
const char *nb_schema_string(lua_State *L, int idx, const char *key);
long long nb_schema_int(lua_State *L, int idx, const char *key, long long dflt);
bool nb_schema_bool(lua_State *L, int idx, const char *key, bool dflt);
/* Raises unless every element of the array at idx.key is a string; returns its length. */
size_t nb_schema_strings(lua_State *L, int idx, const char *key, const char *path);

#endif
