/* Bump allocator in growing blocks; see arena.h for why. */
#include "base/arena.h"
#include "base/xalloc.h"
#include <string.h>

struct nb_arena_block {
    nb_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

enum { NB_ARENA_MIN = 16 * 1024 };

void nb_arena_init(nb_arena *a) { a->head = NULL; }

void nb_arena_free(nb_arena *a)
{
    nb_arena_block *b = a->head;
    while (b) {
        nb_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
}

/* size bytes, not cleared */
static void *arena_raw(nb_arena *a, size_t size)
{
    size_t align = sizeof(max_align_t);
    size = (size + align - 1) / align * align;
    nb_arena_block *b = a->head;
    if (!b || b->cap - b->used < size) {
        size_t cap = size > NB_ARENA_MIN ? size : NB_ARENA_MIN;
        b = nb_xmalloc(sizeof *b + cap);
        b->used = 0;
        b->cap = cap;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    return p;
}

void *nb_arena_alloc(nb_arena *a, size_t size)
{
    void *p = arena_raw(a, size);
    memset(p, 0, size);
    return p;
}

char *nb_arena_strndup(nb_arena *a, const char *s, size_t n)
{
    char *p = arena_raw(a, n + 1); /* every byte written below: a string's room is not cleared first */
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *nb_arena_strdup(nb_arena *a, const char *s)
{
    return s ? nb_arena_strndup(a, s, strlen(s)) : NULL;
}
