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

static nb_docx_name id_of(const char *local)
{
    for (size_t i = 1; i < sizeof NAMES / sizeof *NAMES; i++)
        if (NAMES[i][0] == local[0] && strcmp(local, NAMES[i]) == 0)
            return (nb_docx_name)i;
    return N_NONE;
}

/* The xmlns and xmlns:P attributes of the element opening at c->depth. */
static void declare(nb_docx_names *c, const xmlChar **atts)
{
    for (; atts[0]; atts += 2) {
        const char *a = (const char *)atts[0];
        if (a[0] != 'x' || strncmp(a, "xmlns", 5) != 0 || (a[5] != '\0' && a[5] != ':'))
            continue;
        c->gen++;
        if (c->nns == NB_DOCX_MAX_NS)
            continue;
        nb_docx_ns *ns = &c->ns[c->nns++];
        ns->prefix = a[5] ? atts[0] + 6 : NULL;
        ns->plen = a[5] ? strlen(a + 6) : 0;
        ns->depth = c->depth;
        /* xmlns="" undeclares the default: no namespace, so not ours */
        ns->wml = atts[1] && strstr((const char *)atts[1], "wordprocessingml") != NULL;
    }
}

/* Whether the prefix of qname (local: after it) is bound to WordprocessingML. */
static bool in_wml(const nb_docx_names *c, const xmlChar *qname, const char *local)
{
    size_t plen = local == (const char *)qname ? 0 : (size_t)(local - (const char *)qname) - 1;
    for (int i = c->nns - 1; i >= 0; i--) {
        const nb_docx_ns *ns = &c->ns[i];
        if (plen == 0 ? ns->prefix == NULL : ns->prefix && ns->plen == plen && memcmp(ns->prefix, qname, plen) == 0)
            return ns->wml;
    }
    return false; /* undeclared: no namespace (or an error libxml2 lets pass) */
}

nb_docx_name nb_docx_element(nb_docx_names *c, const xmlChar *qname, const xmlChar **atts, bool *wml)
{
    c->depth++;
    if (atts && atts[0])
        declare(c, atts);
    /* the dictionary packs names byte by byte ("w:p" and "w:pPr" 4 bytes
     * apart): the pointer's every bit mixed, the top bits taken */
    uint64_t h = (uint64_t)(uintptr_t)qname * UINT64_C(0x9E3779B97F4A7C15);
    nb_docx_name_slot *slot = &c->slot[h >> (64 - NB_DOCX_NAME_BITS)];
    if (slot->name == qname && slot->gen == c->gen) {
        *wml = slot->wml;
        return (nb_docx_name)slot->id;
    }
    const char *colon = strchr((const char *)qname, ':');
    const char *local = colon ? colon + 1 : (const char *)qname;
    nb_docx_name id = slot->name == qname ? (nb_docx_name)slot->id : id_of(local);
    slot->name = qname, slot->gen = c->gen, slot->id = (unsigned char)id;
    slot->wml = *wml = in_wml(c, qname, local);
    return id;
}

void nb_docx_element_end(nb_docx_names *c)
{
    c->depth--;
    while (c->nns > 0 && c->ns[c->nns - 1].depth > c->depth) {
        c->nns--;
        c->gen++;
    }
}

const char *nb_docx_attr(const xmlChar **atts, const char *name, char *buf, size_t bufsz)
{
    for (; atts && atts[0]; atts += 2) {
        const char *a = (const char *)atts[0], *colon = strchr(a, ':');
        if (strcmp(colon ? colon + 1 : a, name) != 0 || strncmp(a, "xmlns", 5) == 0 || !atts[1])
            continue;
        size_t len = strlen((const char *)atts[1]);
        if (len >= bufsz)
            len = bufsz - 1;
        memcpy(buf, atts[1], len);
        buf[len] = '\0';
        return buf;
    }
    return NULL;
}

int nb_docx_int_attr(const xmlChar **atts, const char *name, int dflt)
{
    char buf[32];
    return nb_docx_attr(atts, name, buf, sizeof buf) ? atoi(buf) : dflt;
}
