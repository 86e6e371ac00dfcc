/* The small blocks of the plugins' Lua state, kept in free lists by size
 * (see lua_sandbox_pool.c). */
#ifndef NB_LUA_SANDBOX_POOL_H
#define NB_LUA_SANDBOX_POOL_H
#include <stddef.h>

/* Under AddressSanitizer every block is malloc's, so that its checks still
 * see each Lua block. */
#if defined(__SANITIZE_ADDRESS__)
#define NB_POOL_OFF 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NB_POOL_OFF 1
#endif
#endif

enum { NB_POOL_CLASSES = 8, NB_POOL_STEP = 16 }; /* blocks of 16, 32, … 128 bytes */

typedef struct {
    void *free[NB_POOL_CLASSES]; /* each free block holds the next */
    char *bump, *end;            /* the unused rest of the newest chunk */
    void *chunks;                /* every chunk, each holding the previous */
} nb_pool;

/* What realloc(ptr, nsize) and free(ptr) (nsize 0) do, for a block of
 * osize bytes (0 when ptr is NULL): a block of at most the largest class
 * comes from the pool, a larger one from malloc, and a block moves between
 * them when its size crosses; NULL when memory ran out, ptr untouched. */
void *nb_pool_realloc_any(nb_pool *p, void *ptr, size_t osize, size_t nsize);

/* The same; a new small block and a small block freed, Lua's usual calls,
 * inline (a list's head pushed or popped, or the chunk's rest cut). */
static inline void *nb_pool_realloc(nb_pool *p, void *ptr, size_t osize, size_t nsize)
{
#ifndef NB_POOL_OFF
    size_t c = nsize ? nsize - 1 : osize - 1; /* the class, times 16 */
    if ((ptr == NULL) != (nsize == 0) && c < NB_POOL_CLASSES * NB_POOL_STEP) {
        void **head = &p->free[c / NB_POOL_STEP];
        if (nsize == 0) {
            *(void **)ptr = *head;
            *head = ptr;
            return NULL;
        }
        void *b = *head;
        if (b) {
            *head = *(void **)b;
            return b;
        }
        size_t size = (c / NB_POOL_STEP + 1) * NB_POOL_STEP;
        if ((size_t)(p->end - p->bump) >= size) {
            b = p->bump;
            p->bump += size;
            return b;
        }
    }
#endif
    return nb_pool_realloc_any(p, ptr, osize, nsize);
}

/* Frees the chunks: every block of the pool is gone. */
void nb_pool_free_all(nb_pool *p);

#endif
