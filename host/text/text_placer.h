/* The text importer's label index of a format, for host.text_place: each
 * table's labels with the rows they name (as the importer's own Lua index
 * matches them), its blocks without labels, the sections with their heading
 * words and tables, the lines that are only table headers ("noise"), and
 * every row label of every format, the rows each table requires — built once per format from a spec the
 * importer gives (host.text_placer) and kept in a userdata, whose user value
 * holds its rows' ids as Lua strings (in row_base order) for text_place to
 * key the rows it places.  See text_place.c. */
#ifndef NB_TEXT_PLACER_H
#define NB_TEXT_PLACER_H
#include "base/arena.h"
#include "model/format.h"
#include "lua/registry.h"
#include <lua.h>
#include <stdbool.h>
#include <stddef.h>

enum { NB_NOT_HERE = -1 }; /* a label the importer knows, of a row text_place leaves to it */

/* An open-addressing set of normalised labels, each with a row index. */
typedef struct {
    const char *key; /* NULL: empty slot */
    size_t n;
    int row;
} nb_label_slot;

typedef struct {
    nb_label_slot *slots;
    size_t mask;
} nb_label_set;

typedef struct {
    const nb_table *tb;
    nb_label_set labels; /* the importer's labels of this table */
    int *unlabelled;     /* the row of each block without labels, in block order (NB_NOT_HERE: never placed in C) */
    size_t nunlabelled;
    int *required;       /* the rows the importer requires once the table has begun (NB_NOT_HERE: not a row of it) */
    size_t nrequired;
    size_t row_base;     /* its first row among all tables' rows */
} nb_placer_table;

typedef struct {
    const char **words; /* normalised; all must appear in a heading */
    size_t *lens, nwords;
    int table;          /* its table, or -1 */
} nb_placer_section;

typedef struct {
    nb_arena arena;
    const nb_format *format;
    nb_placer_table *tables;
    size_t ntables, nrows;
    nb_placer_section *sections;
    size_t nsections;
    nb_label_set noise;  /* header text of the tables, normalised */
    nb_label_set all;    /* every row label and alias of every format */
    bool digit_labels;   /* is one of those labels all ASCII digits? */
} nb_placer;

/* text_placer(format_id, spec) with h the host: pushes the placer. */
int nb_text_placer_new(lua_State *L, const nb_host *h);
/* The placer at idx (raises if it is none). */
const nb_placer *nb_placer_check(lua_State *L, int idx);

/* The slot of label s[0..n) in set, or NULL. */
const nb_label_slot *nb_label_get(const nb_label_set *set, const char *s, size_t n);

/* Lua's find(s, "^%d+$"). */
bool nb_all_digits(const char *s, size_t n);

#endif
