/* See lib_alloc.h.  Sizes come from malloc_usable_size, so a block made
 * before the meter was set, or by the C library for a library, may be freed
 * here or by free() alike; what is released from a meter never exceeds what
 * was counted to it. */
#include "io/lib_alloc.h"
#include "base/xalloc.h"
#include <cjson/cJSON.h>
#include <csv.h>
#include <libxml/xmlmemory.h>
#include <malloc.h>
#include <stdint.h>
#include <string.h>

static nb_alloc_meter meter;
static size_t metered; /* bytes counted to the meter and not yet released */

static void counted(size_t made, size_t freed)
{
    if (freed > metered + made)
        freed = metered + made;
    metered = metered + made - freed;
    if (meter.count && (made || freed))
        meter.count(meter.ud, made, freed);
}

/* realloc(old, n) under the hook and the meter; NULL when refused inside a
 * plugin call, the process's end (exit 2) when refused outside one */
static void *lib_realloc(void *old, size_t n)
{
    size_t before = old ? malloc_usable_size(old) : 0;
    size_t more = n > before ? n - before : 0;
    int call = meter.admit ? meter.admit(meter.ud, more) : -1;
    void *p = NULL;
    if (call != 0 && !(more && nb_alloc_fails()))
        p = realloc(old, n ? n : 1);
    if (!p) {
        if (call < 0)
            nb_out_of_memory();
        if (call > 0)
            meter.admit(meter.ud, SIZE_MAX); /* the call's memory error */
        return NULL;
    }
    counted(malloc_usable_size(p), before);
    return p;
}

static void *lib_malloc(size_t n) { return lib_realloc(NULL, n); }

static void lib_free(void *p)
{
    if (!p)
        return;
    counted(0, malloc_usable_size(p));
    free(p);
}

static char *lib_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = lib_malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

/* the block header, rounded to the alignment of what cJSON puts in a block */
#define ARENA_ALIGN 16
#define ARENA_HEAD ARENA_ALIGN
#define ARENA_FIRST 16384
#define ARENA_MOST ((size_t)1 << 20) /* blocks grow by doubling up to this */

static nb_lib_arena *arena_now;

static void *arena_malloc(size_t n)
{
    nb_lib_arena *a = arena_now;
    if (n > SIZE_MAX / 4)
        return NULL;
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if ((size_t)(a->end - a->at) < n) {
        size_t size = a->grow ? a->grow : ARENA_FIRST;
        while (size - ARENA_HEAD < n)
            size *= 2;
        char *b = lib_malloc(size);
        if (!b)
            return NULL;
        memcpy(b, &a->blocks, sizeof a->blocks);
        a->blocks = b;
        a->at = b + ARENA_HEAD;
        a->end = b + size;
        a->grow = size < ARENA_MOST ? size * 2 : size;
    }
    void *p = a->at;
    a->at += n;
    return p;
}

static void arena_free(void *p) { (void)p; }

void nb_lib_json_arena_begin(nb_lib_arena *a)
{
    arena_now = a;
    cJSON_InitHooks(&(cJSON_Hooks){.malloc_fn = arena_malloc, .free_fn = arena_free});
}

void nb_lib_json_arena_end(void)
{
    arena_now = NULL;
    nb_lib_alloc_init();
}

void nb_lib_arena_free(nb_lib_arena *a)
{
    while (a->blocks) {
        void *next;
        memcpy(&next, a->blocks, sizeof next);
        lib_free(a->blocks);
        a->blocks = next;
    }
    a->at = a->end = NULL;
}

void nb_lib_alloc_xml(int (*mem_setup)(xmlFreeFunc, xmlMallocFunc, xmlReallocFunc, xmlStrdupFunc))
{
    mem_setup(lib_free, lib_malloc, lib_realloc, lib_strdup);
}

void nb_lib_alloc_init(void)
{
    cJSON_Hooks hooks = {.malloc_fn = lib_malloc, .free_fn = lib_free};
    cJSON_InitHooks(&hooks);
}

void nb_lib_alloc_csv(struct csv_parser *p)
{
    csv_set_realloc_func(p, lib_realloc);
    csv_set_free_func(p, lib_free);
}

void nb_lib_alloc_set_meter(const nb_alloc_meter *m)
{
    meter = *m;
    metered = 0;
}

void nb_lib_alloc_clear_meter(void *ud)
{
    if (meter.ud == ud) {
        meter = (nb_alloc_meter){0};
        metered = 0;
    }
}
