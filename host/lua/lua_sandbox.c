/* See lua_sandbox.h.  Budget and memory errors set a flag; the pcall,
 * xpcall and coroutine.resume lent to plugins re-raise when a flag is set, so
 * a plugin cannot catch its way past a limit (the approach Redis takes). */
#include "lua/lua_sandbox.h"
#include "base/xalloc.h"
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

enum { NB_HOOK_STEP = 1000 };
static const char SANDBOX_KEY = 'S';
/* the memory-ceiling message, made once so reporting it never allocates */
static const char MEM_MSG_KEY = 'M';

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    nb_sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old && sb->mem_used - old + nsize > sb->call_mem_limit) {
        sb->mem_exceeded = true;
        return NULL;
    }
    void *p = realloc(ptr, nsize);
    if (p)
        sb->mem_used = sb->mem_used - old + nsize;
    return p;
}

/* the sandbox whose call is running, for the time limit's signal */
static nb_sandbox *volatile running;

static void count_hook(lua_State *L, lua_Debug *ar)
{
    (void)ar;
    nb_sandbox *sb = nb_sandbox_of(L);
    if (sb->time_exceeded) {
        luaL_where(L, 0);
        lua_pushfstring(L, "插件超出了时间限制（%d 秒）：已停止（环境变量 NIANBAO_LUA_SECONDS 可调高）",
                        (int)sb->seconds);
        lua_concat(L, 2);
        lua_error(L);
    }
    if (--sb->budget <= 0) {
        sb->budget_exceeded = true;
        luaL_where(L, 0); /* the hooked function: where the loop is */
        lua_pushfstring(L, "插件超出了指令预算（%I 百万条指令）：是否陷入了死循环？"
                           "（环境变量 NIANBAO_LUA_INSTRUCTIONS 可调高预算）",
                        (lua_Integer)(sb->budget_total * NB_HOOK_STEP / 1000000));
        lua_concat(L, 2);
        lua_error(L);
    }
}

nb_sandbox *nb_sandbox_of(lua_State *L)
{
    lua_rawgetp(L, LUA_REGISTRYINDEX, &SANDBOX_KEY);
    nb_sandbox *sb = lua_touserdata(L, -1);
    lua_pop(L, 1);
    return sb;
}

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
 * the resumer when it yields or ends, so no thread escapes it. */
static void pass_hook(lua_State *from, lua_State *to)
{
    lua_sethook(to, lua_gethook(from), lua_gethookmask(from), lua_gethookcount(from));
}

static int resume_hooked(lua_State *co, lua_State *L, int narg, int *nres)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    lua_State *outer = sb->current;
    pass_hook(L, co);
    sb->current = co;
    int status = lua_resume(co, L, narg, nres);
    sb->current = outer;
    pass_hook(co, L);
    return status;
}

static int safe_resume(lua_State *L)
{
    lua_State *co = lua_tothread(L, 1);
    luaL_argexpected(L, co, 1, "coroutine");
    int narg = lua_gettop(L) - 1;
    if (!lua_checkstack(co, narg))
        return luaL_error(L, "too many arguments to resume");
    lua_xmove(L, co, narg);
    int nres;
    int status = resume_hooked(co, L, narg, &nres);
    if (status == LUA_OK || status == LUA_YIELD) {
        if (!lua_checkstack(L, nres + 1))
            return luaL_error(L, "too many results to resume");
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
    int status = resume_hooked(co, L, narg, &nres);
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
    if (co) { /* its __close functions run in it */
        pass_hook(L, co);
        sb->current = co;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET); /* a suspended or failed co: returns */
    if (co) {
        sb->current = outer;
        pass_hook(co, L);
    }
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
            return luaL_error(L, "插件不能使用 __gc 终结器（finalizers run outside the plugin's limits）");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

static int strict_index(lua_State *L)
{
    return luaL_error(L, "未知的全局变量 '%s'（插件只能用宿主提供的内容；变量请用 local 声明）",
                      lua_tostring(L, 2));
}

static int strict_newindex(lua_State *L)
{
    return luaL_error(L, "给全局变量 '%s' 赋值：插件中的变量必须用 local 声明", lua_tostring(L, 2));
}

static void copy_lib(lua_State *L, const char *name, lua_CFunction open)
{
    luaL_requiref(L, name, open, 0); /* the real library, kept out of reach */
    lua_newtable(L);
    lua_pushnil(L);
    while (lua_next(L, -3)) {
        lua_pushvalue(L, -2);
        lua_insert(L, -2);
        lua_rawset(L, -4);
    }
    lua_remove(L, -2);
}

/* The instruction budget cannot stop C code a plugin started (a pattern
 * match with heavy backtracking runs inside string.find); a wall-clock limit
 * per call does.  Nothing is half-written when it fires: outputs are only
 * written, atomically, after plugin calls return. */
static void arm_time_limit(long seconds);

/* First the hook is armed, as lua.c arms its interrupt, so that Lua code
 * stops at its next instruction with an error for this call only (a batch
 * goes on with the next file); if C code does not come back to Lua within
 * NB_TIME_GRACE seconds, the process ends. */
enum { NB_TIME_GRACE = 2 };

static void time_limit_hit(int sig)
{
    (void)sig;
    nb_sandbox *sb = running;
    if (sb && !sb->time_exceeded) {
        sb->time_exceeded = true;
        lua_sethook(sb->current, count_hook, LUA_MASKCOUNT | LUA_MASKCALL | LUA_MASKRET, 1);
        arm_time_limit(NB_TIME_GRACE);
        return;
    }
    static const char msg[] = "nianbao: 插件超出了时间限制（NIANBAO_LUA_SECONDS）："
                              "是否有失控的模式匹配或 C 代码中的循环？已停止\n";
    ssize_t ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(2);
}

/* The instruction budget without a hook on every instruction: Lua 5.4
 * steps through its hook dispatch on every instruction while a count hook
 * is set, which cost 11-14 % of a batch check.  A call starts without a
 * hook; after NB_HOOK_DELAY_US of CPU time (most calls are over by then) a
 * SIGPROF arms the count hook, as lua.c arms its interrupt, and from then
 * on every NB_HOOK_STEP instructions are counted.  A loop is stopped by the
 * same budget, at most that much CPU time later. */
enum { NB_HOOK_DELAY_US = 20000 };

static void arm_hook_hit(int sig)
{
    (void)sig;
    nb_sandbox *sb = running;
    if (sb && !sb->time_exceeded && !lua_gethookmask(sb->current))
        lua_sethook(sb->current, count_hook, LUA_MASKCOUNT, NB_HOOK_STEP);
}

static void arm_hook_timer(long usec)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_usec = usec;
    setitimer(ITIMER_PROF, &t, NULL);
}

static void arm_time_limit(long seconds)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = seconds;
    setitimer(ITIMER_REAL, &t, NULL);
}

nb_sandbox *nb_sandbox_new(void)
{
    nb_sandbox *sb = nb_xcalloc(1, sizeof *sb);
    const char *mb = getenv("NIANBAO_LUA_MEMORY_MB");
    const char *mi = getenv("NIANBAO_LUA_INSTRUCTIONS");
    const char *ms = getenv("NIANBAO_LUA_SECONDS");
    sb->seconds = ms && atol(ms) > 0 ? atol(ms) : 60;
    sb->mem_limit = (size_t)(mb && atol(mb) > 0 ? atol(mb) : 256) << 20;
    sb->budget_total = (mi && atoll(mi) > 0 ? atoll(mi) : 500) * (1000000 / NB_HOOK_STEP);
    sb->call_mem_limit = sb->mem_limit;
    signal(SIGALRM, time_limit_hit); /* once: each call only arms the timers */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = arm_hook_hit;
    sa.sa_flags = SA_RESTART;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPROF, &sa, NULL);
    sb->L = lua_newstate(limited_alloc, sb);
    if (!sb->L) {
        free(sb);
        return NULL;
    }
    lua_State *L = sb->L;
    lua_pushlightuserdata(L, sb);
    lua_rawsetp(L, LUA_REGISTRYINDEX, &SANDBOX_KEY);
    lua_pushfstring(L, "插件超出了内存上限（%d MiB）：是否在无休止地分配内存？"
                       "（环境变量 NIANBAO_LUA_MEMORY_MB 可调高上限）", (int)(sb->mem_limit >> 20));
    lua_rawsetp(L, LUA_REGISTRYINDEX, &MEM_MSG_KEY);
    /* hide the string metatable so plugins cannot alter the shared string library */
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 0);
    lua_pop(L, 1);
    lua_pushliteral(L, "");
    lua_getmetatable(L, -1);
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_pop(L, 2);
    sb->current = L;
    if (getenv("NIANBAO_LUA_HOOK_ALWAYS")) /* the budget exact from the first instruction */
        sb->hook_always = true;
    return sb;
}

void nb_sandbox_free(nb_sandbox *sb)
{
    if (!sb)
        return;
    lua_close(sb->L);
    free(sb);
}

void nb_sandbox_push_env(nb_sandbox *sb)
{
    lua_State *L = sb->L;
    static const char *const base_names[] = {"assert", "error", "ipairs", "next", "pairs", "rawequal", "rawget",
                                             "rawlen", "select", "getmetatable", "tonumber",
                                             "tostring", "type", NULL};
    lua_newtable(L);
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
    copy_lib(L, LUA_STRLIBNAME, luaopen_string);
    lua_pushnil(L); /* bytecode is of no use to a plugin: load reads text only */
    lua_setfield(L, -2, "dump");
    lua_setfield(L, env, "string");
    copy_lib(L, LUA_TABLIBNAME, luaopen_table);
    lua_setfield(L, env, "table");
    copy_lib(L, LUA_MATHLIBNAME, luaopen_math);
    lua_setfield(L, env, "math");
    copy_lib(L, LUA_UTF8LIBNAME, luaopen_utf8);
    lua_setfield(L, env, "utf8");
    copy_lib(L, LUA_COLIBNAME, luaopen_coroutine);
    lua_pushcfunction(L, safe_resume);
    lua_setfield(L, -2, "resume");
    lua_pushcfunction(L, safe_wrap);
    lua_setfield(L, -2, "wrap");
    lua_getfield(L, -1, "close");
    lua_pushcclosure(L, safe_close, 1);
    lua_setfield(L, -2, "close");
    lua_setfield(L, env, "coroutine");
    lua_newtable(L);
    lua_pushcfunction(L, strict_index);
    lua_setfield(L, -2, "__index");
    lua_pushcfunction(L, strict_newindex);
    lua_setfield(L, -2, "__newindex");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, env);
}

bool nb_is_input_error(lua_State *L, int idx)
{
    if (lua_type(L, idx) != LUA_TTABLE)
        return false;
    idx = lua_absindex(L, idx);
    lua_pushliteral(L, "input_error");
    lua_rawget(L, idx);
    bool yes = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return yes;
}

static int traceback_handler(lua_State *L)
{
    if (nb_is_input_error(L, 1))
        return 1; /* a structured input error: no traceback needed */
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "（错误对象是 %s 值，没有说明）", luaL_typename(L, 1));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

bool nb_sandbox_charge(lua_State *L, size_t bytes)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    if (bytes > sb->call_mem_limit - sb->mem_used || sb->mem_used > sb->call_mem_limit) {
        sb->mem_exceeded = true;
        return false;
    }
    sb->mem_used += bytes;
    sb->c_bytes += bytes;
    return true;
}

void nb_sandbox_release(lua_State *L, size_t bytes)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    sb->mem_used -= bytes;
    sb->c_bytes -= bytes;
}

size_t nb_sandbox_room(lua_State *L)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    return sb->mem_used < sb->call_mem_limit ? sb->call_mem_limit - sb->mem_used : 0;
}

int nb_sandbox_call_small(nb_sandbox *sb, int nargs, int nresults, long long budget_millions, size_t mem_bytes)
{
    long long total = sb->budget_total;
    size_t ceiling = sb->mem_limit;
    long long small = budget_millions * (1000000 / NB_HOOK_STEP);
    if (small < total)
        sb->budget_total = small;
    if (sb->mem_used + mem_bytes < ceiling)
        sb->mem_limit = sb->mem_used + mem_bytes;
    size_t small_mem = sb->mem_limit;
    int status = nb_sandbox_call(sb, nargs, nresults);
    if (status == LUA_ERRMEM && small_mem < ceiling) {
        lua_pop(sb->L, 1); /* the ceiling of this call, not the plugin's */
        lua_pushfstring(sb->L, "插件超出了内存上限（%d MiB）：是否在无休止地分配内存？", (int)(mem_bytes >> 20));
    }
    sb->budget_total = total;
    sb->mem_limit = sb->call_mem_limit = ceiling;
    return status;
}

int nb_sandbox_call(nb_sandbox *sb, int nargs, int nresults)
{
    lua_State *L = sb->L;
    sb->call_mem_limit = sb->mem_limit;
    int base = lua_gettop(L) - nargs;
    arm_time_limit(sb->seconds);
    lua_pushcfunction(L, traceback_handler);
    lua_insert(L, base);
    sb->budget = sb->budget_total;
    sb->budget_exceeded = sb->mem_exceeded = sb->overflow = false;
    sb->time_exceeded = 0;
    sb->current = L;
    if (sb->hook_always)
        lua_sethook(L, count_hook, LUA_MASKCOUNT, NB_HOOK_STEP);
    running = sb;
    arm_hook_timer(NB_HOOK_DELAY_US);
    int status = lua_pcall(L, nargs, nresults, base);
    arm_hook_timer(0);
    arm_time_limit(0);
    running = NULL;
    lua_sethook(L, NULL, 0, 0);
    lua_remove(L, base);
    if (status == LUA_OK && sb->budget_exceeded) {
        /* the budget ran out, the error was swallowed (a C function that
         * catches), and the call returned before the next hook */
        lua_pop(L, nresults == LUA_MULTRET ? lua_gettop(L) - base + 1 : nresults);
        lua_pushfstring(L, "插件超出了指令预算（%I 百万条指令）：是否陷入了死循环？"
                           "（环境变量 NIANBAO_LUA_INSTRUCTIONS 可调高预算）",
                        (lua_Integer)(sb->budget_total * NB_HOOK_STEP / 1000000));
        status = LUA_ERRRUN;
    }
    /* mem_exceeded alone is no failure: an emergency collection may have
     * satisfied the allocation, and then the results are on the stack */
    if (status != LUA_OK && (status == LUA_ERRMEM || sb->mem_exceeded)) {
        lua_pop(L, 1);
        lua_gc(L, LUA_GCCOLLECT);
        lua_rawgetp(L, LUA_REGISTRYINDEX, &MEM_MSG_KEY);
        status = LUA_ERRMEM;
    }
    sb->budget_exceeded = sb->mem_exceeded = sb->overflow = false;
    sb->time_exceeded = 0;
    return status;
}
