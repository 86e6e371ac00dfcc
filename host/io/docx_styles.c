/* See docx_styles.h. */
#include "io/docx_styles.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <string.h>

nb_docx_styles *nb_docx_styles_new(void) { return nb_xcalloc(1, sizeof(nb_docx_styles)); }

void nb_docx_styles_forget(nb_docx_styles *st)
{
    for (size_t i = 0; i < st->n; i++)
        free(st->styles[i].id);
    st->n = 0;
    free(st->xml);
    st->xml = NULL;
    st->len = 0;
}

void nb_docx_styles_free(nb_docx_styles *st)
{
    if (!st)
        return;
    nb_docx_styles_forget(st);
    free(st->styles);
    free(st);
}

bool nb_docx_styles_are_of(const nb_docx_styles *st, const char *xml, size_t len)
{
    return st->xml && len == st->len && memcmp(xml, st->xml, len) == 0;
}

void nb_docx_styles_keep(nb_docx_styles *st, char *xml, size_t len)
{
    free(st->xml);
    st->xml = NULL, st->len = 0;
    if (len <= NB_DOCX_STYLES_KEPT)
        st->xml = xml, st->len = len;
    else
        free(xml);
}

void nb_docx_styles_add(nb_docx_styles *st, nb_docx_style style)
{
    if (st->n == st->cap)
        st->styles = nb_xrealloc(st->styles, (st->cap = st->cap ? st->cap * 2 : 16) * sizeof *st->styles);
    st->styles[st->n++] = style;
}

const nb_docx_style *nb_docx_style_of(const nb_docx_styles *st, const char *id)
{
    for (size_t i = 0; id && i < st->n; i++)
        if (strcmp(st->styles[i].id, id) == 0)
            return &st->styles[i];
    return NULL;
}

size_t nb_docx_styles_bytes(const nb_docx_styles *st)
{
    if (!st->xml)
        return 0;
    size_t n = st->len + st->cap * sizeof *st->styles;
    for (size_t i = 0; i < st->n; i++)
        n += strlen(st->styles[i].id) + 1;
    return n;
}
