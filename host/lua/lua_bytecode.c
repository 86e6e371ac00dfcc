/* See lua_bytecode.h.  The splice is read in three parts through a
 * lua_Reader, so no buffer is made for it. */
#include "lua/lua_bytecode.h"
#include <string.h>

size_t nb_bc_size_code(unsigned char out[NB_BC_SIZE_MAX], size_t size)
{
    unsigned char buf[NB_BC_SIZE_MAX];
    size_t n = 0, x = size + 1;
    do {
        buf[sizeof buf - ++n] = (unsigned char)(x & 0x7f);
        x >>= 7;
    } while (x != 0);
    buf[sizeof buf - 1] |= 0x80;
    memcpy(out, buf + sizeof buf - n, n);
    return n;
}

typedef struct {
    const char *part[4];
    size_t len[4];
    int next;
} splice;

static const char *read_part(lua_State *L, void *ud, size_t *size)
{
    (void)L;
    splice *s = ud;
    while (s->next < 4) {
        int k = s->next++;
        if (s->len[k]) {
            *size = s->len[k];
            return s->part[k];
        }
    }
    *size = 0;
    return NULL;
}

int nb_bc_load(lua_State *L, const unsigned char *dump, size_t len, size_t name_at, size_t name_end,
               const char *chunkname)
{
    unsigned char code[NB_BC_SIZE_MAX];
    size_t n = strlen(chunkname);
    splice s = {.part = {(const char *)dump, (const char *)code, chunkname, (const char *)dump + name_end},
                .len = {name_at, nb_bc_size_code(code, n), n, len - name_end}};
    return lua_load(L, read_part, &s, chunkname, "b");
}
