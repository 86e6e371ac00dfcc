/* Arena allocation: a report or a format owns one arena, and everything it
 * points to (strings, cells, sections) lives there and dies with it.  This
 * keeps ownership obvious and makes importing thousands of reports cheap. */
#ifndef NB_ARENA_H
#define NB_ARENA_H
#include <stddef.h>

typedef struct nb_arena_block nb_arena_block;
typedef struct {
    nb_arena_block *head;
} nb_arena;

void nb_arena_init(nb_arena *a);
void nb_arena_free(nb_arena *a);
/* Zeroed memory, aligned for any type; aborts on out-of-memory. */
void *nb_arena_alloc(nb_arena *a, size_t size);
char *nb_arena_strndup(nb_arena *a, const char *s, size_t n);
char *nb_arena_strdup(nb_arena *a, const char *s);

#endif
