/* Unit tests of the Lua state's small-block pool (host/lua/lua_sandbox_pool.c):
 * a block keeps its bytes when it is resized within its class, into another
 * class, out of the pool into malloc's and back; a freed block is the next
 * one of its class; blocks never overlap, across chunks too. */
#include "lua/lua_sandbox_pool.h"
#include "check.h"
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

static bool filled(const unsigned char *b, size_t n, unsigned char v)
{
    for (size_t i = 0; i < n; i++)
        if (b[i] != v)
            return false;
    return true;
}

static void test_resizes_keep_bytes(void)
{
    nb_pool p = {0};
    const size_t sizes[] = {1, 16, 17, 40, 100, 128, 129, 500, 128, 33, 7, 4000, 24};
    size_t n = sizes[0];
    unsigned char *b = nb_pool_realloc(&p, NULL, 0, n);
    CHECK(b != NULL);
    memset(b, 0xA5, n);
    for (size_t k = 1; k < sizeof sizes / sizeof *sizes; k++) {
        size_t m = sizes[k];
        b = nb_pool_realloc(&p, b, n, m);
        CHECK(b != NULL);
        CHECK(filled(b, n < m ? n : m, 0xA5));
        memset(b, 0xA5, m);
        n = m;
    }
    CHECK(nb_pool_realloc(&p, b, n, 0) == NULL);
    nb_pool_free_all(&p);
    CHECK(p.chunks == NULL);
}

/* (not under AddressSanitizer, where every block is malloc's) */
static void test_freed_block_is_reused(void)
{
#ifndef NB_POOL_OFF
    nb_pool p = {0};
    void *a = nb_pool_realloc(&p, NULL, 0, 56), *b = nb_pool_realloc(&p, NULL, 0, 56);
    CHECK(a != b);
    nb_pool_realloc(&p, a, 56, 0);
    CHECK(nb_pool_realloc(&p, NULL, 0, 50) == a); /* the same 64-byte class */
    void *c = nb_pool_realloc(&p, b, 56, 60); /* resized within its class: where it was */
    CHECK(c == b);
    nb_pool_free_all(&p);
#endif
}

static void test_blocks_never_overlap(void)
{
    nb_pool p = {0};
    enum { N = 20000 }; /* some megabytes: many chunks */
    static unsigned char *blocks[N];
    static size_t sizes[N];
    for (size_t i = 0; i < N; i++) {
        sizes[i] = 1 + (i * 37) % 128;
        blocks[i] = nb_pool_realloc(&p, NULL, 0, sizes[i]);
        CHECK(blocks[i] != NULL && (uintptr_t)blocks[i] % 16 == 0);
        memset(blocks[i], (int)(i & 0xFF), sizes[i]);
    }
    for (size_t i = 0; i < N; i++)
        if (!filled(blocks[i], sizes[i], (unsigned char)(i & 0xFF))) { /* another block overlaps it */
            CHECK(!"a block was written over");
            break;
        }
    nb_pool_free_all(&p);
}

int main(void)
{
    test_resizes_keep_bytes();
    test_freed_block_is_reused();
    test_blocks_never_overlap();
    return check_report();
}
