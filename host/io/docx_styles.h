/* The paragraph styles of a .docx that its reader needs (word/styles.xml:
 * a style's heading level, from a "heading N" name or an outline level, and
 * its automatic numbering level), kept with the bytes of the styles.xml
 * they were read from: the next document whose styles.xml is the same,
 * byte for byte (a batch made from one template), has them without a parse
 * (a tenth of a .docx's instructions).  io/docx_reader.c fills them. */
#ifndef NB_DOCX_STYLES_H
#define NB_DOCX_STYLES_H
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *id;
    int heading; /* 1…9, else 0 */
    int level;   /* automatic numbering level, else -1 */
} nb_docx_style;

typedef struct nb_docx_styles {
    char *xml; /* the styles.xml they were read from, NULL when none is kept */
    size_t len;
    nb_docx_style *styles;
    size_t n, cap;
} nb_docx_styles;

/* a styles.xml larger than this is not kept */
#define NB_DOCX_STYLES_KEPT (1u << 20)

nb_docx_styles *nb_docx_styles_new(void);
void nb_docx_styles_free(nb_docx_styles *st);
/* Drops the styles and the bytes kept. */
void nb_docx_styles_forget(nb_docx_styles *st);
/* Whether st holds the styles of this very styles.xml. */
bool nb_docx_styles_are_of(const nb_docx_styles *st, const char *xml, size_t len);
/* Keeps xml (read into st) as theirs, or frees it when it is too large. */
void nb_docx_styles_keep(nb_docx_styles *st, char *xml, size_t len);
/* Adds a style (taking its id). */
void nb_docx_styles_add(nb_docx_styles *st, nb_docx_style style);
/* The style of that id, or NULL (id NULL: none). */
const nb_docx_style *nb_docx_style_of(const nb_docx_styles *st, const char *id);
/* The bytes it holds between documents: 0 unless a styles.xml is kept. */
size_t nb_docx_styles_bytes(const nb_docx_styles *st);

#endif
