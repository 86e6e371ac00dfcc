/* A Lua state makes and frees small blocks all the time (strings, tables,
 * closures, a table's nodes): glibc's malloc and free took a fifth of the
 * instructions the plugins' allocator spent, and 7 % of a .txt report's
 * check.  Lua tells the size of every block it frees or resizes, so the
 * pool needs no header: a block of at most 128 bytes always lives in the
 * pool, in the free list of its 16-byte class, and a larger one is
 * malloc's.  Chunks are never given back before the state is closed; what
 * the plugins free is used again by the next report. */
#include "lua/lua_sandbox_pool.h"
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#ifdef NB_POOL_OFF
enum { POOL_OFF = 1 };
#else
enum { POOL_OFF = 0 };
#endif

enum { MAX_POOLED = NB_POOL_CLASSES * NB_POOL_STEP, CHUNK = 64 * 1024 };

static size_t class_of(size_t n) { return (n - 1) / NB_POOL_STEP; }

static bool pooled(size_t n) { return !POOL_OFF && n > 0 && n <= MAX_POOLED; }

static void give(nb_pool *p, void *b, size_t c)
{
    memcpy(b, &p->free[c], sizeof(void *));
    p->free[c] = b;
}

static void *take(nb_pool *p, size_t c)
{
    void *b = p->free[c];
    if (b) {
        memcpy(&p->free[c], b, sizeof(void *));
        return b;
    }
    size_t size = (c + 1) * NB_POOL_STEP;
    size_t rest = (size_t)(p->end - p->bump);
    if (rest < size) {
        if (rest) /* a multiple of 16 below size: the rest of the old chunk is one block */
            give(p, p->bump, class_of(rest));
        char *chunk = malloc(CHUNK);
        if (!chunk)
            return NULL;
        memcpy(chunk, &p->chunks, sizeof(void *));
        p->chunks = chunk;
        p->bump = chunk + NB_POOL_STEP; /* the first 16 bytes link the chunks */
        p->end = chunk + CHUNK;
    }
    b = p->bump;
    p->bump += size;
    return b;
}

void *nb_pool_realloc_any(nb_pool *p, void *ptr, size_t osize, size_t nsize)
{
    bool small_old = ptr && pooled(osize), small_new = pooled(nsize);
    if (nsize == 0) {
        if (small_old)
            give(p, ptr, class_of(osize));
        else
            free(ptr);
        return NULL;
    }
    if (!small_old && !small_new)
        return ptr ? realloc(ptr, nsize) : malloc(nsize); /* glibc's realloc(NULL) goes the long way */
    if (small_old && small_new && class_of(osize) == class_of(nsize))
        return ptr;
    void *b = small_new ? take(p, class_of(nsize)) : malloc(nsize);
    if (!b || !ptr)
        return b;
    memcpy(b, ptr, osize < nsize ? osize : nsize);
    if (small_old)
        give(p, ptr, class_of(osize));
    else
        free(ptr);
    return b;
}

void nb_pool_free_all(nb_pool *p)
{
    while (p->chunks) {
        void *next;
        memcpy(&next, p->chunks, sizeof next);
        free(p->chunks);
        p->chunks = next;
    }
    memset(p, 0, sizeof *p);
}
