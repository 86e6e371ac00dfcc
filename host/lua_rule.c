/* See lua_rule.h. */
#include "lua_rule.h"
#include "lua_report.h"
#include <lauxlib.h>
#include <string.h>

/* raw access: a plugin's metatable must not run outside protected mode */
static const char *field(lua_State *L, int idx, const char *key)
{
    idx = lua_absindex(L, idx);
    lua_pushstring(L, key);
    lua_rawget(L, idx);
    const char *s = lua_isstring(L, -1) ? lua_tostring(L, -1) : NULL;
    lua_pop(L, 1);
    return s;
}

void nb_lua_rule_run(void *ud, const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    nb_host *h = ud;
    lua_State *L = h->sb->L;
    lua_rawgeti(L, LUA_REGISTRYINDEX, rule->lua_ref);
    nb_lua_push_report(h, r);
    if (prev)
        nb_lua_push_report(h, prev);
    else
        lua_pushnil(L);
    if (nb_sandbox_call(h->sb, 2, 1) != LUA_OK) {
        nb_strbuf msg;
        nb_sb_init(&msg);
        nb_sb_puts(&msg, "规则插件出错，未能检查（plugin error）：");
        nb_host_error(h, r->format->source_file, &msg);
        nb_rule broken = *rule;
        broken.severity = NB_SEV_ERROR;
        nb_findings_add(out, &broken, msg.data);
        nb_sb_free(&msg);
        return;
    }
    int list = lua_gettop(L);
    size_t n = lua_istable(L, list) ? lua_rawlen(L, list) : 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, list, (lua_Integer)i);
        if (lua_istable(L, -1)) {
            nb_finding *f = nb_findings_add(out, rule, field(L, -1, "message"));
            const char *t = field(L, -1, "table"), *row = field(L, -1, "row"), *col = field(L, -1, "column");
            long cell = t && row && col ? nb_format_cell(r->format, t, row, col) : -1;
            if (cell >= 0) {
                nb_finding_at_cell(out, f, r->format, (size_t)cell);
                f->line = r->cells[cell].line;
            }
            nb_finding_set(out, &f->expected, field(L, -1, "expected"));
            nb_finding_set(out, &f->actual, field(L, -1, "actual"));
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}
