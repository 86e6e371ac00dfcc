/* See lua_sandbox.h.  Budget and memory errors set a flag; the pcall,
 * xpcall and coroutine.resume lent to plugins re-raise when a flag is set, so
 * a plugin cannot catch its way past a limit (the approach Redis takes). */
#include "lua/lua_sandbox.h"
#include "base/xalloc.h"
#include "io/lib_alloc.h"
#include <lauxlib.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/time.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

enum { NB_HOOK_STEP = 1000 };
static const char SANDBOX_KEY = 'S';
/* the memory-ceiling message, made once so reporting it never allocates */
static const char MEM_MSG_KEY = 'M';
/* registry key of nb_sandbox_thread's thread */
static const char THREAD_KEY = 'T';

static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    nb_sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        if (ptr) /* Lua frees a table's empty array part, NULL */
            nb_pool_realloc(&sb->pool, ptr, old, 0);
        sb->mem_used -= old;
        return NULL;
    }
    if (nsize > old && sb->mem_used - old + nsize > sb->call_mem_limit) {
        sb->mem_exceeded = true;
        return NULL;
    }
    if (nsize > old && nb_alloc_fails()) /* the test hook; never when shrinking, which Lua assumes succeeds */
        return NULL;
    void *p = nb_pool_realloc(&sb->pool, ptr, old, nsize);
    if (p)
        sb->mem_used = sb->mem_used - old + nsize;
    if (!ptr && osize == LUA_TTHREAD && p) { /* Lua gives a new object's type as osize */
        if (sb->state_block)
            sb->made_coroutine = true;
        else
            sb->state_block = p;
    }
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


/* The instruction budget cannot stop C code a plugin started (a pattern
 * match with heavy backtracking runs inside string.find); a wall-clock limit
 * per call does.  Nothing is half-written when it fires: outputs are only
 * written, atomically, after plugin calls return.
 *
 * The timers are not set around every call: four setitimer calls a call
 * were most of the system calls of checking a report.  Each call notes its
 * deadline (CLOCK_MONOTONIC, read without a system call) and its start in
 * CPU ticks; the timers stay set between calls and their handlers compare
 * against the running call: the wall-clock timer, when it fires before the
 * running call's deadline (it was set for an earlier call), is set again
 * for the time left, and with no call running it is left off until the next
 * call sets it. */
static volatile long long deadline_ns;  /* of the running call */
static volatile long long real_expiry_ns; /* when the wall-clock timer fires */
static volatile sig_atomic_t real_armed;  /* is it set? */
static volatile sig_atomic_t prof_ticks;  /* CPU ticks seen by the running call */
static volatile sig_atomic_t ticking;     /* is the CPU tick set in this process? (fork clears timers) */

static long long now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000000000LL + t.tv_nsec;
}

/* sets the wall-clock timer to fire in ns (also from its signal handler) */
static void arm_time_limit(long long ns)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_sec = (time_t)(ns / 1000000000LL);
    t.it_value.tv_usec = (suseconds_t)(ns % 1000000000LL / 1000 + 1);
    real_expiry_ns = now_ns() + ns;
    real_armed = 1;
    setitimer(ITIMER_REAL, &t, NULL);
}

/* First the hook is armed, as lua.c arms its interrupt, so that Lua code
 * stops at its next instruction with an error for this call only (a batch
 * goes on with the next file); if C code does not come back to Lua within
 * NB_TIME_GRACE seconds, the process ends. */
enum { NB_TIME_GRACE = 2 };

static void time_limit_hit(int sig)
{
    (void)sig;
    nb_sandbox *sb = running;
    if (!sb) {
        real_armed = 0; /* between calls: the next call sets it */
        return;
    }
    long long left = deadline_ns - now_ns();
    if (left > 0) {
        arm_time_limit(left); /* set for an earlier call */
        return;
    }
    if (!sb->time_exceeded) {
        sb->time_exceeded = true;
        lua_sethook(sb->current, count_hook, LUA_MASKCOUNT | LUA_MASKCALL | LUA_MASKRET, 1);
        deadline_ns = now_ns() + NB_TIME_GRACE * 1000000000LL;
        arm_time_limit(NB_TIME_GRACE * 1000000000LL);
        return;
    }
    /* write() only: this runs in a signal handler */
    static const char head[] = "nianbao: ", at[] = "读 ", at_end[] = " 时：",
                      msg[] = "插件超出了时间限制（NIANBAO_LUA_SECONDS），C 代码中失控的模式匹配或循环没能停下："
                              "已结束检查它的进程\n";
    const char *reading = sb->reading;
    ssize_t ignored = write(STDERR_FILENO, head, sizeof head - 1);
    if (reading) {
        ignored = write(STDERR_FILENO, at, sizeof at - 1);
        ignored = write(STDERR_FILENO, reading, strlen(reading));
        ignored = write(STDERR_FILENO, at_end, sizeof at_end - 1);
    }
    ignored = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)ignored;
    _exit(2);
}

/* The instruction budget without a hook on every instruction: Lua 5.4
 * steps through its hook dispatch on every instruction while a count hook
 * is set, which cost 11-14 % of a batch check.  A call starts without a
 * hook; a SIGPROF every NB_HOOK_DELAY_US of CPU time ticks, and the second
 * tick a call sees (so after at least that much CPU time in it; most calls
 * are over by then) arms the count hook, as lua.c arms its interrupt, and
 * from then on every NB_HOOK_STEP instructions are counted.  A loop is
 * stopped by the same budget, at most twice that CPU time later. */
enum { NB_HOOK_DELAY_US = 20000 };

static void arm_hook_hit(int sig)
{
    (void)sig;
    nb_sandbox *sb = running;
    if (!sb || ++prof_ticks < 2)
        return;
    if (!sb->time_exceeded && !lua_gethookmask(sb->current))
        lua_sethook(sb->current, count_hook, LUA_MASKCOUNT, NB_HOOK_STEP);
}

/* A host function that ran long in C (poppler laying out a PDF's pages)
 * restarts the delay: the ticks it took were not the plugin's Lua, and the
 * hook they armed would tax the rest of the call (8 M instructions, 4 %, of
 * a PDF's import).  A loop after it is stopped as before, the hook armed
 * again at the second tick from here; the wall-clock limit runs on. */
void nb_sandbox_c_work_done(lua_State *L)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    if (sb != running || sb->time_exceeded || sb->hook_always)
        return;
    prof_ticks = 0;
    if (lua_gethook(sb->current) == count_hook && lua_gethookmask(sb->current) == LUA_MASKCOUNT)
        lua_sethook(sb->current, NULL, 0, 0);
}

static void start_ticking(void)
{
    struct itimerval t;
    memset(&t, 0, sizeof t);
    t.it_value.tv_usec = t.it_interval.tv_usec = NB_HOOK_DELAY_US;
    setitimer(ITIMER_PROF, &t, NULL);
    ticking = 1;
}

/* a forked worker has no timers: its first call sets them */
static void timers_gone(void)
{
    ticking = real_armed = 0;
}

/* Starts the time limit and the hook's delay for a call of sb. */
static void start_call_timers(nb_sandbox *sb)
{
    long long limit = (long long)sb->seconds * 1000000000LL;
    deadline_ns = now_ns() + limit;
    prof_ticks = 0;
    running = sb;
    if (!ticking)
        start_ticking();
    if (!real_armed || real_expiry_ns > deadline_ns)
        arm_time_limit(limit);
}

/* An error outside every protected call (the host pushing a string when
 * memory has run out) ends the process with a message and exit 2, as the C
 * core does when malloc fails, instead of Lua's abort. */
static int unprotected_error(lua_State *L)
{
    const char *msg = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (!msg || strcmp(msg, "not enough memory") == 0)
        fputs("nianbao: 内存不足\n", stderr);
    else
        fprintf(stderr, "nianbao: Lua 状态出错，无法继续：%s\n", msg);
    exit(2);
}

/* may the running call have bytes more?  (if not, its memory error is noted) */
static bool fits(nb_sandbox *sb, size_t bytes)
{
    if (bytes > sb->call_mem_limit - sb->mem_used || sb->mem_used > sb->call_mem_limit) {
        sb->mem_exceeded = true;
        return false;
    }
    return true;
}

/* The parsing libraries' memory (io/lib_alloc.h) is part of mem_used; a
 * call that passes its ceiling with it ends with its memory error.  The
 * library itself is refused only at twice the ceiling: libxml2 2.9, refused
 * part-way through a page, can loop until the time limit or leak, so below
 * that it finishes (or fails on its own) and the call fails after it. */
static int lib_admit(void *ud, size_t n)
{
    nb_sandbox *sb = ud;
    if (running != sb)
        return -1;
    if (!n || fits(sb, n))
        return 1;
    sb->lib_refused = true;
    return n <= sb->call_mem_limit && sb->mem_used <= 2 * sb->call_mem_limit - n;
}

static void lib_count(void *ud, size_t made, size_t freed)
{
    nb_sandbox *sb = ud;
    sb->mem_used = sb->mem_used + made - freed;
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
    static bool atfork_set;
    if (!atfork_set && pthread_atfork(NULL, NULL, timers_gone) == 0)
        atfork_set = true;
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
    /* generational: what a call makes (an import's report table, a rule's
     * view) is young garbage once it returns, what the plugins registered
     * stays; the incremental collector went over all of it again and again
     * (check -j 1: a fifth of the CPU time of a .txt report) */
    lua_gc(L, LUA_GCGEN, 0, 0);
    lua_atpanic(L, unprotected_error);
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
    nb_lib_alloc_set_meter(&(nb_alloc_meter){.admit = lib_admit, .count = lib_count, .ud = sb});
    return sb;
}

void nb_sandbox_free(nb_sandbox *sb)
{
    if (!sb)
        return;
    nb_lib_alloc_clear_meter(sb);
    lua_close(sb->L);
    nb_pool_free_all(&sb->pool);
    free(sb);
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

/* Lua's own English messages for the limits it keeps itself, said in
 * Chinese after them (a plugin's author still sees Lua's words). */
static const char *lua_limit_gloss(const char *msg)
{
    static const char *const gloss[][2] = {
        {"C stack overflow", "（插件递归太深，栈已用尽：是否有无穷递归？）"},
        {"stack overflow", "（插件递归太深，栈已用尽：是否有无穷递归？）"},
        {"chain too long; possible loop", "（元表的 __index/__newindex 链太长：是否指回了自己？）"},
        {"string too large", "（字符串过大，超出了 Lua 的限制）"},
        {"string length overflow", "（字符串过大，超出了 Lua 的限制）"},
        {"table overflow", "（表过大，超出了 Lua 的限制）"},
        {"too many results", "（结果太多，超出了 Lua 的限制）"},
    };
    size_t n = strlen(msg);
    for (size_t i = 0; i < sizeof gloss / sizeof gloss[0]; i++) {
        size_t k = strlen(gloss[i][0]);
        if (strstr(msg, "（插件递归太深") || strstr(msg, gloss[i][1]))
            return NULL; /* said already */
        if (n >= k && strstr(msg, gloss[i][0]))
            return gloss[i][1];
    }
    return NULL;
}

static int traceback_handler(lua_State *L)
{
    if (nb_is_input_error(L, 1))
        return 1; /* a structured input error: no traceback needed */
    const char *msg = lua_tostring(L, 1);
    if (!msg)
        msg = lua_pushfstring(L, "（错误对象是 %s 值，没有说明）", luaL_typename(L, 1));
    else if (lua_limit_gloss(msg))
        msg = lua_pushfstring(L, "%s%s", msg, lua_limit_gloss(msg));
    luaL_traceback(L, L, msg, 1);
    return 1;
}

bool nb_sandbox_charge(lua_State *L, size_t bytes)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    if (!fits(sb, bytes))
        return false;
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

double nb_sandbox_seconds_left(lua_State *L)
{
    (void)L; /* one call runs at a time: its deadline is the process's */
    long long left = deadline_ns - now_ns();
    return left > 0 ? (double)left / 1e9 : 0;
}

lua_State *nb_sandbox_thread(lua_State *L)
{
    nb_sandbox *sb = nb_sandbox_of(L);
    if (!sb->thread) {
        bool made = sb->made_coroutine;
        lua_State *t = lua_newthread(L);
        sb->made_coroutine = made;
        sb->thread_block = lua_getextraspace(t); /* the block's start (lua_State past LUA_EXTRASPACE) */
        lua_rawsetp(L, LUA_REGISTRYINDEX, &THREAD_KEY);
        sb->thread = t;
    } else if (lua_status(sb->thread) != LUA_OK) {
        lua_resetthread(sb->thread); /* dead of an error */
    }
    lua_settop(sb->thread, 0);
    return sb->thread;
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
    lua_pushcfunction(L, traceback_handler);
    lua_insert(L, base);
    sb->budget = sb->budget_total;
    sb->budget_exceeded = sb->mem_exceeded = sb->overflow = sb->lib_refused = false;
    sb->time_exceeded = 0;
    sb->current = L;
    if (sb->hook_always)
        lua_sethook(L, count_hook, LUA_MASKCOUNT, NB_HOOK_STEP);
    start_call_timers(sb);
    int status = lua_pcall(L, nargs, nresults, base);
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
    if (status == LUA_OK && sb->lib_refused) {
        /* a library that was refused memory may have carried on without a
         * part (a .docx's styles): the results would depend on the memory */
        lua_pop(L, nresults == LUA_MULTRET ? lua_gettop(L) - base + 1 : nresults);
        lua_pushnil(L); /* replaced by the message below */
        status = LUA_ERRMEM;
    }
    /* mem_exceeded alone is no failure: an emergency collection may have
     * satisfied the allocation, and then the results are on the stack */
    if (status != LUA_OK && (status == LUA_ERRMEM || sb->mem_exceeded)) {
        lua_pop(L, 1);
        lua_gc(L, LUA_GCCOLLECT);
        lua_rawgetp(L, LUA_REGISTRYINDEX, &MEM_MSG_KEY);
        status = LUA_ERRMEM;
    }
    sb->budget_exceeded = sb->mem_exceeded = sb->overflow = sb->lib_refused = false;
    sb->time_exceeded = 0;
    return status;
}
