/* See lua_rule.h. */
#include "lua/lua_rule.h"
#include "lua/lua_report.h"
#include <lauxlib.h>
#include <stdint.h>
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

/* The registry key of the shared views: {[lightuserdata report] = view
 * handle} (lua_report_view.c). */
static const char SHARED = 0;

/* Closes every shared view and forgets them.  Walking a table and setting
 * a key to nil allocate nothing: cannot raise. */
static void close_all(lua_State *L)
{
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARED) == LUA_TTABLE) {
        lua_pushnil(L);
        while (lua_next(L, -2)) {
            nb_lua_view_close(L, -1);
            lua_pop(L, 1);
        }
    }
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SHARED);
}

void nb_lua_rule_share(nb_host *h, bool on)
{
    h->share_reports = on;
    if (!on)
        close_all(h->sb->L);
}

void nb_lua_rule_unshare(nb_host *h, const nb_report *r)
{
    lua_State *L = h->sb->L;
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARED) == LUA_TTABLE) {
        if (lua_rawgetp(L, -1, r) == LUA_TUSERDATA)
            nb_lua_view_close(L, -1);
        lua_pop(L, 1);
        lua_pushnil(L); /* a key set to nil: nothing allocated, cannot raise */
        lua_rawsetp(L, -2, r);
    }
    lua_pop(L, 1);
}

/* Pushes r's view: the one shared since nb_lua_rule_share, or made now
 * (and kept until the sharing ends). */
static void push_report(lua_State *L, const nb_report *r)
{
    luaL_checkstack(L, 4, "report tables");
    if (lua_rawgetp(L, LUA_REGISTRYINDEX, &SHARED) != LUA_TTABLE) {
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, LUA_REGISTRYINDEX, &SHARED);
    }
    if (lua_rawgetp(L, -1, r) != LUA_TUSERDATA) {
        lua_pop(L, 1);
        nb_lua_view_push(L, r);
        lua_pushvalue(L, -1);
        lua_rawsetp(L, -3, r);
    }
    nb_lua_view_table(L, -1);
    lua_replace(L, -3);
    lua_pop(L, 1);
}

typedef struct {
    const nb_rule *rule;
    const nb_report *r, *prev;
    nb_findings *out;
} rule_call;

/* Runs protected: pushes the report views, calls the rule and turns what
 * it returns into findings (owned by out, so a raise part-way leaks nothing). */
static int call_rule(lua_State *L)
{
    const rule_call *c = lua_touserdata(L, 1);
    const nb_report *r = c->r;
    nb_findings *out = c->out;
    lua_rawgeti(L, LUA_REGISTRYINDEX, c->rule->lua_ref);
    push_report(L, r);
    if (c->prev)
        push_report(L, c->prev);
    else
        lua_pushnil(L);
    lua_call(L, 2, 1);
    int list = lua_gettop(L);
    size_t n = lua_istable(L, list) ? lua_rawlen(L, list) : 0;
    for (size_t i = 1; i <= n; i++) {
        lua_rawgeti(L, list, (lua_Integer)i);
        if (lua_istable(L, -1)) {
            nb_finding *f = nb_findings_add(out, c->rule, field(L, -1, "message"));
            const char *t = field(L, -1, "table"), *row = field(L, -1, "row"), *col = field(L, -1, "column");
            long cell = t && row && col ? nb_format_cell(r->format, t, row, col) : -1;
            if (cell >= 0) {
                nb_finding_at_cell(out, f, r->format, (size_t)cell);
                f->line = r->cells[cell].line;
            }
            lua_pushliteral(L, "line"); /* the source line, when the rule knows it (text rules) */
            lua_rawget(L, -2);
            if (lua_isinteger(L, -1) && lua_tointeger(L, -1) > 0 && lua_tointeger(L, -1) <= UINT32_MAX)
                f->line = (uint32_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
            nb_finding_set(out, &f->expected, field(L, -1, "expected"));
            nb_finding_set(out, &f->actual, field(L, -1, "actual"));
        }
        lua_pop(L, 1);
    }
    return 0;
}

void nb_lua_rule_run(void *ud, const nb_rule *rule, const nb_report *r, const nb_report *prev, nb_findings *out)
{
    nb_host *h = ud;
    lua_State *L = h->sb->L;
    rule_call c = {.rule = rule, .r = r, .prev = prev, .out = out};
    lua_pushcfunction(L, call_rule);
    lua_pushlightuserdata(L, &c);
    int status = nb_sandbox_call(h->sb, 1, 0);
    if (!h->share_reports) /* the views made for this call end with it */
        close_all(L);
    if (status != LUA_OK) {
        nb_strbuf msg;
        nb_sb_init(&msg);
        nb_sb_puts(&msg, "规则插件出错，未能检查：");
        nb_host_error(h, r->format->source_file, &msg);
        char *nl = strchr(msg.data, '\n'); /* a finding is one line: no traceback */
        if (nl)
            *nl = '\0';
        nb_rule broken = *rule;
        broken.severity = NB_SEV_ERROR;
        nb_findings_add(out, &broken, msg.data);
        nb_sb_free(&msg);
    }
}
