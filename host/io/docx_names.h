/* The elements and attributes of WordprocessingML as the .docx reader's
 * SAX2 callbacks see them: an element's local name as an id, found once per
 * name (libxml2's dictionary interns names, so a name comes back as the
 * same pointer within a parse), and an
 * attribute's value by its local name. */
#ifndef NB_DOCX_NAMES_H
#define NB_DOCX_NAMES_H
#include <libxml/xmlstring.h>
#include <stddef.h>

/* The element names the reader knows, by local name (N_NONE: another). */
typedef enum {
    N_NONE,
    N_body, N_br, N_cr, N_customXml, N_del, N_delText, N_drawing, N_gridBefore,
    N_gridSpan, N_ilvl, N_ins, N_instrText, N_moveFrom, N_moveTo, N_name, N_noBreakHyphen,
    N_numId, N_numPr, N_object, N_outlineLvl, N_p, N_pPr, N_pStyle, N_pict,
    N_ptab, N_rPr, N_sdt, N_sdtContent, N_style, N_t, N_tab, N_tbl,
    N_tc, N_tcPr, N_tr, N_trPr, N_vMerge, N_Fallback,
} nb_docx_name;

#define NB_DOCX_NAME_BITS 8
#define NB_DOCX_NAME_CACHE (1 << NB_DOCX_NAME_BITS)
/* A parse's names met so far, by pointer (zeroed before each parse). */
typedef struct {
    const xmlChar *name;
    nb_docx_name id;
} nb_docx_name_slot;
typedef struct {
    nb_docx_name_slot slot[NB_DOCX_NAME_CACHE];
} nb_docx_names;

/* The id of the local name l, an interned pointer of the parse. */
nb_docx_name nb_docx_name_of(nb_docx_names *c, const xmlChar *l);

/* The attribute NAME (by local name, any namespace) of a SAX2 attribute
 * array of n attributes, copied into buf; NULL when absent. */
const char *nb_docx_attr(int n, const xmlChar **at, const char *name, char *buf, size_t bufsz);
/* The same read as a number (atoi), dflt when absent. */
int nb_docx_int_attr(int n, const xmlChar **at, const char *name, int dflt);

#endif
