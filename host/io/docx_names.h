/* The elements and attributes of WordprocessingML as the .docx reader's
 * SAX callbacks see them.  The reader takes libxml2's SAX1 calls (a
 * qualified name and the attributes as written: a fifth fewer instructions
 * than SAX2's namespace work on a report's document.xml), so the namespaces
 * are resolved here from the xmlns declarations: an element's local name
 * as an id and whether its namespace is WordprocessingML's, both found once
 * per name while the declarations in scope stay the same (libxml2's
 * dictionary interns names, so a name comes back as the same pointer
 * within a parse); an attribute's value by its local name. */
#ifndef NB_DOCX_NAMES_H
#define NB_DOCX_NAMES_H
#include <libxml/xmlstring.h>
#include <stdbool.h>
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
#define NB_DOCX_NAME_CACHE (1u << NB_DOCX_NAME_BITS)
#define NB_DOCX_MAX_NS 64      /* declarations in scope followed (more are left out) */

typedef struct {
    const xmlChar *name; /* the qualified name, as interned */
    unsigned gen;        /* the declarations in scope when wml was decided */
    unsigned char id;    /* nb_docx_name of the local name */
    bool wml;            /* its namespace is WordprocessingML's */
} nb_docx_name_slot;

typedef struct {
    const xmlChar *prefix; /* NULL: the default namespace */
    size_t plen;
    int depth; /* the element declaring it */
    bool wml;
} nb_docx_ns;

/* A parse's names and declarations (zeroed before each parse). */
typedef struct {
    nb_docx_name_slot slot[NB_DOCX_NAME_CACHE];
    nb_docx_ns ns[NB_DOCX_MAX_NS];
    int nns;
    int depth;    /* open elements passed to nb_docx_element and not yet ended */
    unsigned gen; /* changed whenever the declarations in scope change */
} nb_docx_names;

/* An element opens (qname and SAX1 attributes as libxml2 passes them): its
 * declarations taken in scope; its id, and in *wml whether it is in the
 * WordprocessingML namespace (any URI holding "wordprocessingml":
 * transitional or strict). */
nb_docx_name nb_docx_element(nb_docx_names *c, const xmlChar *qname, const xmlChar **atts, bool *wml);
/* The element last opened by nb_docx_element (and not ended) closes. */
void nb_docx_element_end(nb_docx_names *c);

/* The attribute NAME (by local name, any namespace; declarations aside) of
 * SAX1 attributes, copied into buf; NULL when absent. */
const char *nb_docx_attr(const xmlChar **atts, const char *name, char *buf, size_t bufsz);
/* The same read as a number (atoi), dflt when absent. */
int nb_docx_int_attr(const xmlChar **atts, const char *name, int dflt);

#endif
