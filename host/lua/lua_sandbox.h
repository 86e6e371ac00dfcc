/* The Lua state plugins run in: only safe libraries, an instruction budget
 * and a memory ceiling that a plugin's pcall cannot swallow, and errors
 * reported with file, line and traceback. */
#ifndef NB_LUA_SANDBOX_H
#define NB_LUA_SANDBOX_H
#include "lua/lua_sandbox_pool.h"
#include <lua.h>
#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

typedef struct {
    lua_State *L;
    /* The blocks of Lua threads are pointed to inside only (past
     * LUA_EXTRASPACE): leak checkers would call a state left unfreed for the
     * process's exit possibly lost.  The state's own block is kept here;
     * once a coroutine's has been made, the state is to be freed. */
    void *state_block;
    bool made_coroutine;
    /* nb_sandbox_thread's thread and its block, kept as the state's is */
    lua_State *thread;
    void *thread_block;
    size_t mem_used, mem_limit;
    long long budget;       /* instructions left, in units of NB_HOOK_STEP */
    long long budget_total;
    long seconds;           /* wall-clock limit of one call */
    size_t call_mem_limit;  /* the ceiling of the running call (≤ mem_limit) */
    size_t c_bytes;         /* C buffers made for plugins, counted in mem_used */
    bool budget_exceeded, mem_exceeded, overflow;
    bool lib_refused;       /* a parsing library was refused memory in this call */
    volatile sig_atomic_t time_exceeded;
    lua_State *volatile current; /* the thread running plugin code */
    const char *volatile reading; /* the input an importer reads, named if the time limit ends the process */
    bool hook_always;
    nb_pool pool; /* the state's small blocks */
} nb_sandbox;

/* Creates the state; limits from NIANBAO_LUA_MEMORY_MB,
 * NIANBAO_LUA_INSTRUCTIONS (millions) and NIANBAO_LUA_SECONDS when set. */
nb_sandbox *nb_sandbox_new(void);
void nb_sandbox_free(nb_sandbox *sb);
nb_sandbox *nb_sandbox_of(lua_State *L);

/* Pushes onto L (the running thread: a plugin file may run in one of its
 * own, plugin/plugin_late.c) a fresh environment table for one plugin:
 * safe libraries, no globals to create or read beyond them. */
void nb_sandbox_push_env(lua_State *L);

/* Calls the function below nargs arguments with a fresh budget and a
 * traceback handler.  Returns a lua_pcall status; on error the message
 * (string or structured input error) is on the stack. */
int nb_sandbox_call(nb_sandbox *sb, int nargs, int nresults);

/* nb_sandbox_call under smaller limits: a budget of budget_millions
 * million instructions and mem_bytes more memory than is in use now (an
 * importer's detect, asked about every file, must be cheap). */
int nb_sandbox_call_small(nb_sandbox *sb, int nargs, int nresults, long long budget_millions, size_t mem_bytes);

/* C memory made for the running plugin counts against its ceiling: charge
 * before or as it is made (false, and the memory limit reached, when it
 * does not fit: raise a memory error then), release when it is freed. */
bool nb_sandbox_charge(lua_State *L, size_t bytes);
void nb_sandbox_release(lua_State *L, size_t bytes);
/* Bytes the running call may still use. */
size_t nb_sandbox_room(lua_State *L);
/* Seconds the running call has left before its time limit. */
double nb_sandbox_seconds_left(lua_State *L);
/* after a host function's long C work: the count hook's delay starts again */
void nb_sandbox_c_work_done(lua_State *L);
/* lua_resume(co, L, narg, nres) with the count hook handed to co while it
 * runs and back after: within the running call's budget and time limit. */
int nb_sandbox_resume(lua_State *co, lua_State *L, int narg, int *nres);
/* The sandbox's own thread, its stack empty: where the host runs a plugin
 * file within a call (plugin/plugin_late.c), the stack under it not the
 * call's.  Made on first use (raising on a memory error) and kept for the
 * state's life; no plugin's coroutine, so it does not make the state one to
 * free (made_coroutine). */
lua_State *nb_sandbox_thread(lua_State *L);

/* Is the value at idx a structured input error made by host.input_error?
 * Raw access, so a plugin's metatable never runs; call in protected mode. */
bool nb_is_input_error(lua_State *L, int idx);

#endif
