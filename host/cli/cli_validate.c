/* See cli.h: the one way a command runs a report's rules.  The Lua rules of
 * a validation share the Lua tables of the report and its prev, built once
 * (nb_lua_rule_share): every Lua rule of a report comes from its format's
 * own plugin, so no other plugin sees what one of them does to the tables. */
#include "cli/cli.h"
#include "lua/lua_rule.h"
#include "rules/validator.h"

void nb_cli_validate(nb_host *h, const nb_report *r, const nb_report *prev, nb_findings *fs)
{
    const nb_format_entry *by_year = r->year ? nb_host_format_for_year(h, r->year) : NULL;
    nb_check_ctx ctx = {.prev = prev, .year_format = by_year ? by_year->format : NULL, .lua_rule = nb_lua_rule_run,
                        .ud = h};
    bool mine = !h->share_reports; /* check --db shares them over its whole walk */
    if (mine)
        nb_lua_rule_share(h, true); /* each Lua rule would rebuild both reports' tables */
    nb_validate(r, &ctx, fs);
    if (mine)
        nb_lua_rule_share(h, false);
}
