/* A format's rules compiled when a report of it is first checked: under
 * `check` the built-in formats are registered without them (compiling every
 * format's rule expressions was a third of its start), and the format a
 * report uses gets them here, with the errors its registration would have
 * raised, word for word. */
#ifndef NB_LUA_FORMAT_LATE_H
#define NB_LUA_FORMAT_LATE_H
#include "lua/registry.h"

/* Compiles f's rules if they are not yet.  False, with the message its
 * registration would have given in err, on a fault of the declaration. */
bool nb_host_format_rules(nb_host *h, const nb_format *f, nb_strbuf *err);

#endif
