/* See docx_names.h. */
#include "io/docx_names.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const NAMES[] = {
    NULL,
    "body", "br", "cr", "customXml", "del", "delText", "drawing", "gridBefore",
    "gridSpan", "ilvl", "ins", "instrText", "moveFrom", "moveTo", "name", "noBreakHyphen",
    "numId", "numPr", "object", "outlineLvl", "p", "pPr", "pStyle", "pict",
    "ptab", "rPr", "sdt", "sdtContent", "style", "t", "tab", "tbl",
    "tc", "tcPr", "tr", "trPr", "vMerge", "Fallback",
};

nb_docx_name nb_docx_name_of(nb_docx_names *c, const xmlChar *l)
{
    /* the dictionary packs names byte by byte ("p" and "pPr" a few bytes
     * apart): the pointer's every bit mixed, the top bits taken */
    uint64_t h = (uint64_t)(uintptr_t)l * UINT64_C(0x9E3779B97F4A7C15);
    nb_docx_name_slot *slot = &c->slot[h >> (64 - NB_DOCX_NAME_BITS)];
    if (slot->name == l)
        return slot->id;
    nb_docx_name id = N_NONE;
    for (size_t i = 1; i < sizeof NAMES / sizeof *NAMES && id == N_NONE; i++)
        if (NAMES[i][0] == l[0] && strcmp((const char *)l, NAMES[i]) == 0)
            id = (nb_docx_name)i;
    slot->name = l, slot->id = id;
    return id;
}

const char *nb_docx_attr(int n, const xmlChar **at, const char *name, char *buf, size_t bufsz)
{
    for (int i = 0; i < n; i++, at += 5) {
        if (strcmp((const char *)at[0], name) != 0)
            continue;
        size_t len = (size_t)(at[4] - at[3]);
        if (len >= bufsz)
            len = bufsz - 1;
        memcpy(buf, at[3], len);
        buf[len] = '\0';
        return buf;
    }
    return NULL;
}

int nb_docx_int_attr(int n, const xmlChar **at, const char *name, int dflt)
{
    char buf[32];
    return nb_docx_attr(n, at, name, buf, sizeof buf) ? atoi(buf) : dflt;
}
