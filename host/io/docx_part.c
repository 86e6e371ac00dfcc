/* See docx_part.h. */
#include "io/docx_part.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <string.h>

bool nb_docx_part_open(zip_t *za, const char *name, nb_docx_part *p)
{
    zip_stat_t st;
    memset(p, 0, sizeof *p);
    if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > NB_DOCX_MAX_PART)
        return false;
    p->size = st.size;
    p->zf = zip_fopen(za, name, 0);
    return p->zf != NULL;
}

void nb_docx_part_mem(nb_docx_part *p, const char *mem, size_t len)
{
    memset(p, 0, sizeof *p);
    p->mem = mem, p->size = len;
}

int nb_docx_part_read(void *ctx, char *buf, int len)
{
    nb_docx_part *p = ctx;
    zip_uint64_t left = p->size - p->got;
    if (p->failed || len < 0)
        return -1;
    if (!p->zf) {
        size_t n = left < (zip_uint64_t)len ? (size_t)left : (size_t)len;
        memcpy(buf, p->mem + p->got, n);
        p->got += n;
        return (int)n;
    }
    zip_int64_t n = zip_fread(p->zf, buf, (zip_uint64_t)len);
    if (n < 0 || (zip_uint64_t)n > left) {
        p->failed = true;
        return -1;
    }
    p->got += (zip_uint64_t)n;
    return (int)n;
}

bool nb_docx_part_close(nb_docx_part *p)
{
    char rest[512];
    while (p->zf && nb_docx_part_read(p, rest, sizeof rest) > 0)
        ;
    if (p->zf)
        zip_fclose(p->zf);
    p->zf = NULL;
    return !p->failed && p->got == p->size;
}

char *nb_docx_part_bytes(zip_t *za, const char *name, size_t *len)
{
    nb_docx_part p;
    if (!nb_docx_part_open(za, name, &p))
        return NULL;
    char *buf = nb_xmalloc((size_t)p.size + 1);
    zip_int64_t got = zip_fread(p.zf, buf, p.size);
    p.got = got < 0 ? 0 : (zip_uint64_t)got;
    p.failed = got < 0;
    if (!nb_docx_part_close(&p)) {
        free(buf);
        return NULL;
    }
    buf[p.size] = '\0';
    *len = (size_t)p.size;
    return buf;
}
