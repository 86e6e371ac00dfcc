/* The allocations of the parsing libraries (libxml2, cJSON, libcsv) made
 * through the program's own rules: counted by the test hook of
 * base/xalloc.h (NIANBAO_FAIL_ALLOC) and, while a plugin call runs, against
 * that call's memory ceiling (the meter the Lua sandbox sets).  libzip and
 * poppler offer no allocator hooks: theirs stay outside (docs/architecture.md). */
#ifndef NB_LIB_ALLOC_H
#define NB_LIB_ALLOC_H
#include <libxml/xmlmemory.h>
#include <stdbool.h>
#include <stddef.h>

struct csv_parser;

/* At the start of the program, before cJSON allocates anything: cJSON
 * (cJSON_InitHooks) allocates through here. */
void nb_lib_alloc_init(void);

/* A bump arena of blocks from the allocator here (counted and metered as
 * the rest): a parse allocates a node and a string or two for every value,
 * and making and freeing them one by one through malloc was a third of
 * importing a JSON report (bench (h)). */
typedef struct {
    void *blocks;    /* the newest first, each pointing to the one before */
    char *at, *end;  /* the free part of the newest */
    size_t grow;     /* the size of the next block */
} nb_lib_arena;

/* cJSON allocates from a, and frees nothing, until nb_lib_json_arena_end:
 * what it parses between them is freed with nb_lib_arena_free, never with
 * cJSON_Delete.  Nothing else may use cJSON in between. */
void nb_lib_json_arena_begin(nb_lib_arena *a);
void nb_lib_json_arena_end(void);
void nb_lib_arena_free(nb_lib_arena *a);

/* libxml2 allocates through here: mem_setup is libxml2's xmlMemSetup,
 * called as soon as the library is opened (io/lazy_xml2.c), before it
 * allocates anything for nianbao. */
void nb_lib_alloc_xml(int (*mem_setup)(xmlFreeFunc, xmlMallocFunc, xmlReallocFunc, xmlStrdupFunc));

/* libcsv's allocator is set per parser: call after csv_init. */
void nb_lib_alloc_csv(struct csv_parser *p);

/* Who is charged for the libraries' memory.  admit(ud, n): -1 when no
 * plugin call is running (a failure is then out of memory: exit 2, as in
 * the C core), 1 when the running call may have n more bytes, 0 when it may
 * not (the call ends with its memory error; n = SIZE_MAX only marks that).
 * count(ud, made, freed): bytes made and freed, freed never more than was
 * counted.  NULL functions: no meter. */
typedef struct {
    int (*admit)(void *ud, size_t n);
    void (*count)(void *ud, size_t made, size_t freed);
    void *ud;
} nb_alloc_meter;

void nb_lib_alloc_set_meter(const nb_alloc_meter *m);
/* Removes the meter if it is ud's (its owner is going away). */
void nb_lib_alloc_clear_meter(void *ud);

#endif
