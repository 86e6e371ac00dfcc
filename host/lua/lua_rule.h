/* Running a format's Lua-function rules (the escape hatch for what an
 * assertion cannot say) from the validator. */
#ifndef NB_LUA_RULE_H
#define NB_LUA_RULE_H
#include "lua/registry.h"
#include "rules/validator.h"

/* An nb_check_ctx.lua_rule callback; ud is the nb_host.  The function gets
 * (report, prev) as renderers see them, their tables filled when first
 * read (nb_lua_view_push), and returns a list of findings
 * {message=, table=, row=, column=, expected=, actual=}.  A failing rule is
 * reported as an error finding naming the plugin error. */
void nb_lua_rule_run(void *ud, const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out);

/* While on, the views of a report and its prev are made once and shared
 * by every Lua rule that receives them (rules must not change them; none
 * does).  The caller turns it off again before r or prev is freed or
 * changed: the views are keyed by the reports' addresses, and turning it
 * off closes them (a rule that kept one can no longer read through it). */
void nb_lua_rule_share(nb_host *h, bool on);
/* Closes and drops r's shared view (call it before r is freed while sharing is on). */
void nb_lua_rule_unshare(nb_host *h, const nb_report *r);

#endif
