/* host.clauses: a text cut into lines, sentences and clauses at separators
 * a plugin gives, keeping only the clauses that can matter to it (with an
 * ASCII digit, holding one of some words, none of others).  For Lua rules
 * that read numbers out of the narrative, as TXT-NUM did before it became
 * the rule kind narrative (which cuts alike, base/text_cut.h): cutting
 * every section in Lua cost more than all the other rules together, and
 * nearly every clause is then thrown away.  See docs/plugins.md. */
#ifndef NB_TEXT_CLAUSES_H
#define NB_TEXT_CLAUSES_H
#include <lua.h>

/* Adds clauses to the host table on the top of the stack. */
void nb_text_clauses_register(lua_State *L);

#endif
