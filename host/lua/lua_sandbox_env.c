/* The libraries lent to a plugin (see lua_sandbox.h): pcall, xpcall,
 * coroutine.resume/wrap/close that do not catch a limit, load of text only,
 * setmetatable without finalizers, and an environment with no globals. */
#include "lua/lua_sandbox.h"
#include <lauxlib.h>
#include <lualib.h>
#include <string.h>

static bool limit_hit(lua_State *L)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    return sb->budget_exceeded || sb->mem_exceeded || sb->overflow || sb->time_exceeded;
}

/* A stack overflow caught in a loop costs far more than its instructions
 * (the thread's whole stack is walked by the collector), so it is a limit
 * like the others: no pcall catches it. */
static bool is_overflow(lua_State *L, int status)
{
    if (status == LUA_ERRERR)
        return true;
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    size_t n = msg ? strlen(msg) : 0;
    return n >= 14 && strcmp(msg + n - 14, "stack overflow") == 0;
}

static int raise_limit(lua_State *L, int status)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    if (!sb->overflow && !sb->budget_exceeded && !sb->mem_exceeded && is_overflow(L, status)) {
        sb->overflow = true;
        lua_pushfstring(L, "%s（插件递归太深，栈已用尽：是否有无穷递归？）", luaL_tolstring(L, -1, NULL));
    }
    return lua_error(L);
}

/* a limit reached, or a stack overflow (which becomes one) */
static bool must_raise(lua_State *L, int status)
{
    return limit_hit(L) || is_overflow(L, status);
}

/* pcall / xpcall / coroutine.resume that do not catch limit errors */
static int finish_pcall(lua_State *L, int status, lua_KContext extra)
{
    if (status != LUA_OK && status != LUA_YIELD) {
        if (must_raise(L, status))
            return raise_limit(L, status);
        lua_pushboolean(L, 0);
        lua_pushvalue(L, -2);
        return 2;
    }
    return lua_gettop(L) - (int)extra;
}

static int safe_pcall(lua_State *L)
{
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    int status = lua_pcallk(L, lua_gettop(L) - 2, LUA_MULTRET, 0, 0, finish_pcall);
    return finish_pcall(L, status, 0);
}

/* The plugin's message handler, not run once a limit is reached: Lua calls
 * it with hooks off when the error comes from the count hook, where a loop
 * in it would escape the budget. */
static int guarded_handler(lua_State *L)
{
    if (limit_hit(L))
        return 1; /* the limit's message, unchanged */
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int safe_xpcall(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_checktype(L, 2, LUA_TFUNCTION);
    lua_pushvalue(L, 2);
    lua_pushcclosure(L, guarded_handler, 1);
    lua_replace(L, 2);
    lua_pushboolean(L, 1);
    lua_pushvalue(L, 1);
    lua_rotate(L, 3, 2);
    int status = lua_pcallk(L, n - 2, LUA_MULTRET, 2, 2, finish_pcall);
    return finish_pcall(L, status, 2);
}

/* The count hook is armed by a CPU timer on the running thread only (see
 * nb_sandbox_call): it is handed to a coroutine when resumed and back to
 * the resumer when it yields or ends, so no thread escapes it.  The thread
 * running changes first: a timer firing before arms `from` and is handed
 * on, one firing after arms `to` itself; a hook is never taken away. */
static void switch_thread(nb_sandbox *sb, lua_State *from, lua_State *to)
{
    sb->current = to;
    int mask = lua_gethookmask(from), count = lua_gethookcount(from);
    lua_Hook hook = lua_gethook(from);
    /* setting a hook restarts its count: set only when it differs, or
     * threads switching every few instructions are never counted */
    if (mask && (lua_gethook(to) != hook || lua_gethookmask(to) != mask || lua_gethookcount(to) != count))
        lua_sethook(to, hook, mask, count);
}

int nb_sandbox_resume(lua_State *co, lua_State *L, int narg, int *nres)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    lua_State *outer = sb->current;
    switch_thread(sb, L, co);
    int status = lua_resume(co, L, narg, nres);
    switch_thread(sb, co, outer);
    return status;
}

static int safe_resume(lua_State *L)
{
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    int narg = lua_gettop(L) - 1;
    if (!lua_checkstack(co, narg))
        return luaL_error(L, "coroutine.resume：参数太多，协程的栈放不下");
    lua_xmove(L, co, narg);
    int nres;
    int status = nb_sandbox_resume(co, L, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1))
            return luaL_error(L, "coroutine.resume：协程返回的值太多，栈放不下");
        lua_pushboolean(L, 1);
        lua_xmove(co, L, nres);
        return nres + 1;
    }
    if (must_raise(co, status)) {
        lua_xmove(co, L, 1);
        return raise_limit(L, status);
    }
    lua_pushboolean(L, 0);
    lua_xmove(co, L, 1);
    return 2;
}

static int wrap_aux(lua_State *L)
{
    lua_State *co = lua_tothread(L, lua_upvalueindex(1));
    int narg = lua_gettop(L);
    lua_xmove(L, co, narg);
    int nres;
    int status = nb_sandbox_resume(co, L, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        lua_xmove(co, L, nres);
        return nres;
    }
    lua_xmove(co, L, 1);
    return must_raise(L, status) ? raise_limit(L, status) : lua_error(L);
}

/* coroutine.close returns the error of a to-be-closed variable's __close
 * instead of raising it: a limit reached there is raised on. */
static int safe_close(lua_State *L)
{
    lua_State *co = lua_tothread(L, 1);
    if (co && (co == L || lua_status(co) == LUA_OK))
        co = NULL; /* dead (nothing to close) or running (an error): nothing runs in it */
    nb_sandbox *sb = nb_sandbox_of(L);
    lua_State *outer = sb->current;
    if (co) /* its __close functions run in it */
        switch_thread(sb, L, co);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET); /* a suspended or failed co: returns */
    if (co)
        switch_thread(sb, co, outer);
    if (limit_hit(L))
        return lua_error(L);
    return lua_gettop(L);
}

static int safe_wrap(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TFUNCTION);
    lua_State *co = lua_newthread(L);
    lua_pushvalue(L, 1);
    lua_xmove(L, co, 1);
    lua_pushcclosure(L, wrap_aux, 1);
    return 1;
}

/* load(chunk [, name [, mode [, env]]]): text only; env defaults to the caller's plugin env */
static int safe_load(lua_State *L)
{
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    const char *name = luaL_optstring(L, 2, "=(load)");
    int has_env = !lua_isnone(L, 4);
    int status = luaL_loadbufferx(L, s, len, name, "t");
    if (status != LUA_OK && limit_hit(L))
        return lua_error(L); /* out of memory while compiling: not a syntax error to return */
    if (status != LUA_OK) {
        lua_pushnil(L);
        lua_insert(L, -2);
        return 2;
    }
    if (has_env)
        lua_pushvalue(L, 4);
    else
        lua_pushvalue(L, lua_upvalueindex(1));
    if (!lua_setupvalue(L, -2, 1))
        lua_pop(L, 1);
    return 1;
}

/* setmetatable without finalizers: Lua runs __gc with hooks off (no
 * instruction budget), during any call and at lua_close, so a looping
 * finalizer would escape every limit; a plugin holds no resource to free. */
static int safe_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "插件不能使用 __gc 终结器（终结器在插件的限制之外运行）");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* Every plugin file and lib module gets an environment: its tables are
 * made at their size (size: the library's in Lua 5.4; only speed depends
 * on it), not grown a rehash at a time. */
static void copy_lib(lua_State *L, const char *name, lua_CFunction open, int size)
{
    luaL_requiref(L, name, open, 0); /* the real library, kept out of reach */
    lua_createtable(L, 0, size);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, -2);
}

/* The libraries an environment holds, each copied when the plugin first
 * names it (most files use two or three of the five; copying all of them
 * was most of the cost of an environment, made for each file a command
 * loads).  Copied on first use, each is still the file's own. */
static const struct {
    const char *name;
    lua_CFunction open;
    int size;
} LIBS[] = {{LUA_STRLIBNAME, luaopen_string, 17}, {LUA_TABLIBNAME, luaopen_table, 7},
            {LUA_MATHLIBNAME, luaopen_math, 35},  {LUA_UTF8LIBNAME, luaopen_utf8, 6},
            {LUA_COLIBNAME, luaopen_coroutine, 8}};

/* Pushes the environment's copy of library i, with the sandbox's changes. */
static void push_lib(lua_State *L, size_t i)
{
    copy_lib(L, LIBS[i].name, LIBS[i].open, LIBS[i].size);
    if (LIBS[i].open == luaopen_string) {
        lua_pushnil(L); /* bytecode is of no use to a plugin: load reads text only */
        lua_setfield(L, -2, "dump");
    } else if (LIBS[i].open == luaopen_coroutine) {
        lua_pushcfunction(L, safe_resume);
        lua_setfield(L, -2, "resume");
        lua_pushcfunction(L, safe_wrap);
        lua_setfield(L, -2, "wrap");
        lua_getfield(L, -1, "close");
        lua_pushcclosure(L, safe_close, 1);
        lua_setfield(L, -2, "close");
    }
}

/* The index of a library not yet copied into the environment, or -1. */
static int lib_of(lua_State *L, int key)
{
    const char *k = lua_type(L, key) == LUA_TSTRING ? lua_tostring(L, key) : NULL;
    for (size_t i = 0; k && i < sizeof LIBS / sizeof *LIBS; i++)
        if (strcmp(k, LIBS[i].name) == 0)
            return (int)i;
    return -1;
}

/* env[k] for a k the environment does not hold: a library copied now and
 * kept, else an error */
static int strict_index(lua_State *L)
{
    int i = lib_of(L, 2);
    if (i >= 0) {
        push_lib(L, (size_t)i);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, -2);
        lua_rawset(L, 1);
        return 1;
    }
    return luaL_error(L, "未知的全局变量 '%s'（插件只能用宿主提供的内容；变量请用 local 声明）",
                      lua_tostring(L, 2));
}

/* a library's name may be assigned, as when it was there from the start */
static int strict_newindex(lua_State *L)
{
    if (lib_of(L, 2) >= 0) {
        lua_settop(L, 3);
        lua_rawset(L, 1);
        return 0;
    }
    return luaL_error(L, "给全局变量 '%s' 赋值：插件中的变量必须用 local 声明", lua_tostring(L, 2));
}

void nb_sandbox_push_env(lua_State *L)
{
    static const char *const base_names[] = {"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget",
                                             "rawlen", "select", "getmetatable", "tonumber",
                                             "tostring", "type", NULL};
    lua_createtable(L, 0, 24); /* base_names, the rest set below and the libraries */
    int env = lua_gettop(L);
    luaL_requiref(L, "_G", luaopen_base, 0);
    for (size_t i = 0; base_names[i]; i++) {
        lua_getfield(L, -1, base_names[i]);
        lua_setfield(L, env, base_names[i]);
    }
    lua_getfield(L, -1, "_VERSION");
    lua_setfield(L, env, "_VERSION");
    lua_getfield(L, -1, "setmetatable");
    lua_pushcclosure(L, safe_setmetatable, 1);
    lua_setfield(L, env, "setmetatable");
    lua_pop(L, 1);
    lua_pushcfunction(L, safe_pcall);
    lua_setfield(L, env, "pcall");
    lua_pushcfunction(L, safe_xpcall);
    lua_setfield(L, env, "xpcall");
    lua_pushvalue(L, env);
    lua_pushcclosure(L, safe_load, 1);
    lua_setfield(L, env, "load");
    lua_createtable(L, 0, 3);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
}
