/* See docx_reader.h.  libxml2 was chosen over expat because one parser then
 * reads both the XML of Office files and HTML (its HTML parser copes with
 * the tag soup of portal pages); it builds a tree, which makes tables and
 * their merged cells simple to walk. */
#include "io/docx_reader.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MAX_PART (64u << 20) /* a document.xml larger than this is refused */
#define MAX_DEPTH 64         /* nesting followed inside paragraphs and tables */

typedef struct {
    char *id;
    int heading; /* 1…9, else 0 */
    int level;   /* automatic numbering level, else -1 */
} style_info;

typedef struct {
    style_info *styles;
    size_t nstyles;
} docx_ctx;

/* An element of the WordprocessingML namespace (transitional or strict) named name. */
static bool is_w(const xmlNode *n, const char *name)
{
    if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, name) != 0 || !n->ns || !n->ns->href)
        return false;
    const char *href = (const char *)n->ns->href;
    return strstr(href, "wordprocessingml") != NULL;
}

static const xmlNode *child_w(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_w(c, name))
            return c;
    return NULL;
}

/* The attribute w:NAME (by local name), or NULL. */
static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static int int_attr(const xmlNode *n, const char *name, int dflt)
{
    const char *v = attr(n, name);
    return v ? atoi(v) : dflt;
}

static char *read_part(zip_t *za, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(za, name, 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE) || st.size > MAX_PART)
        return NULL;
    zip_file_t *f = zip_fopen(za, name, 0);
    if (!f)
        return NULL;
    char *buf = nb_xmalloc((size_t)st.size + 1);
    zip_int64_t got = zip_fread(f, buf, st.size);
    zip_fclose(f);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(buf);
        return NULL;
    }
    buf[st.size] = '\0';
    *len = (size_t)st.size;
    return buf;
}

static xmlDoc *parse_xml(const char *data, size_t len, const char *name)
{
    if (len > (size_t)0x7fffffff)
        return NULL;
    return xmlReadMemory(data, (int)len, name, NULL,
                         XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
}

/* styles.xml: heading and numbering levels of paragraph styles. */
static void read_styles(zip_t *za, docx_ctx *cx)
{
    size_t len;
    char *xml = read_part(za, "word/styles.xml", &len);
    if (!xml)
        return;
    xmlDoc *doc = parse_xml(xml, len, "styles.xml");
    free(xml);
    if (!doc)
        return;
    const xmlNode *root = xmlDocGetRootElement(doc);
    size_t cap = 0;
    for (const xmlNode *s = root ? root->children : NULL; s; s = s->next) {
        if (!is_w(s, "style") || !attr(s, "styleId"))
            continue;
        const char *type = attr(s, "type");
        if (type && strcmp(type, "paragraph") != 0)
            continue;
        style_info si = {.heading = 0, .level = -1};
        const char *name = attr(child_w(s, "name"), "val");
        if (name && strncasecmp(name, "heading ", 8) == 0)
            si.heading = atoi(name + 8);
        const xmlNode *ppr = child_w(s, "pPr");
        const xmlNode *ol = child_w(ppr, "outlineLvl");
        if (ol && int_attr(ol, "val", 9) < 9)
            si.heading = int_attr(ol, "val", 0) + 1;
        const xmlNode *num = child_w(ppr, "numPr");
        if (num && int_attr(child_w(num, "numId"), "val", 0) != 0)
            si.level = int_attr(child_w(num, "ilvl"), "val", 0);
        if (si.heading == 0 && si.level < 0)
            continue;
        if (cx->nstyles == cap)
            cx->styles = nb_xrealloc(cx->styles, (cap = cap ? cap * 2 : 16) * sizeof *cx->styles);
        si.id = nb_xstrdup(attr(s, "styleId"));
        cx->styles[cx->nstyles++] = si;
    }
    xmlFreeDoc(doc);
}

static const style_info *style_of(const docx_ctx *cx, const char *id)
{
    for (size_t i = 0; id && i < cx->nstyles; i++)
        if (strcmp(cx->styles[i].id, id) == 0)
            return &cx->styles[i];
    return NULL;
}

static void add_text(nb_strbuf *sb, const xmlNode *t)
{
    for (const xmlNode *c = t->children; c; c = c->next)
        if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
            nb_sb_puts(sb, (const char *)c->content);
}

static void table_text(const xmlNode *tbl, nb_strbuf *sb, int depth);

/* The text of a paragraph's content: runs, insertions, hyperlinks, fields,
 * content controls; deletions and the fallback of alternate content left out. */
static void inline_text(const xmlNode *n, nb_strbuf *sb, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE)
            continue;
        const char *name = (const char *)c->name;
        if (is_w(c, "t"))
            add_text(sb, c);
        else if (is_w(c, "tab") || is_w(c, "ptab"))
            nb_sb_puts(sb, " ");
        else if (is_w(c, "br") || is_w(c, "cr"))
            nb_sb_puts(sb, "\n");
        else if (is_w(c, "noBreakHyphen"))
            nb_sb_puts(sb, "-");
        else if (is_w(c, "del") || is_w(c, "moveFrom") || is_w(c, "pPr") || is_w(c, "rPr") ||
                 is_w(c, "delText") || is_w(c, "instrText") || is_w(c, "drawing") || is_w(c, "pict") ||
                 is_w(c, "object") || strcmp(name, "Fallback") == 0)
            continue;
        else if (is_w(c, "p")) { /* a paragraph inside a content control of a cell */
            if (sb->len > 0)
                nb_sb_puts(sb, "\n");
            inline_text(c, sb, depth + 1);
        } else if (is_w(c, "tbl"))
            table_text(c, sb, depth + 1);
        else
            inline_text(c, sb, depth + 1); /* r, ins, moveTo, hyperlink, smartTag, fldSimple, sdt, … */
    }
}

/* A table inside a table cell: its cells' text, one a line. */
static void table_text(const xmlNode *tbl, nb_strbuf *sb, int depth)
{
    if (sb->len > 0)
        nb_sb_puts(sb, "\n");
    inline_text(tbl, sb, depth + 1);
}

static void paragraph(const docx_ctx *cx, nb_doc *doc, const xmlNode *p, nb_strbuf *sb)
{
    sb->len = 0;
    nb_sb_puts(sb, "");
    inline_text(p, sb, 0);
    int level = -1, heading = 0;
    const xmlNode *ppr = child_w(p, "pPr");
    const style_info *st = style_of(cx, attr(child_w(ppr, "pStyle"), "val"));
    if (st)
        level = st->level, heading = st->heading;
    const xmlNode *num = child_w(ppr, "numPr");
    if (num) {
        if (int_attr(child_w(num, "numId"), "val", 1) == 0)
            level = -1; /* numbering switched off */
        else
            level = int_attr(child_w(num, "ilvl"), "val", level >= 0 ? level : 0);
    }
    const xmlNode *ol = child_w(ppr, "outlineLvl");
    if (ol && int_attr(ol, "val", 9) < 9)
        heading = int_attr(ol, "val", 0) + 1;
    nb_doc_para(doc, sb->data, sb->len, level, heading);
}

static void cell(nb_doc *doc, const xmlNode *tc, nb_strbuf *sb)
{
    const xmlNode *pr = child_w(tc, "tcPr");
    int span = int_attr(child_w(pr, "gridSpan"), "val", 1);
    const xmlNode *vm = child_w(pr, "vMerge");
    const char *vval = attr(vm, "val");
    bool vcont = vm && (!vval || strcmp(vval, "continue") == 0);
    sb->len = 0;
    nb_sb_puts(sb, "");
    inline_text(tc, sb, 0);
    nb_doc_cell_add(doc, sb->data, sb->len, span, 1, vcont);
}

static void row_cells(nb_doc *doc, const xmlNode *n, nb_strbuf *sb, int depth)
{
    for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (is_w(c, "tc"))
            cell(doc, c, sb);
        else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml"))
            row_cells(doc, c, sb, depth + 1);
    }
}

static void table_rows(nb_doc *doc, const xmlNode *n, nb_strbuf *sb, int depth)
{
    for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (is_w(c, "tr")) {
            nb_doc_row(doc);
            int before = int_attr(child_w(child_w(c, "trPr"), "gridBefore"), "val", 0);
            if (before > 0)
                nb_doc_cell_add(doc, "", 0, before, 1, false);
            row_cells(doc, c, sb, 0);
        } else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml"))
            table_rows(doc, c, sb, depth + 1);
    }
}

static void body(const docx_ctx *cx, nb_doc *doc, const xmlNode *n, nb_strbuf *sb, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (is_w(c, "p"))
            paragraph(cx, doc, c, sb);
        else if (is_w(c, "tbl")) {
            nb_doc_table_begin(doc);
            table_rows(doc, c, sb, 0);
            nb_doc_table_end(doc);
        } else if (is_w(c, "sdt") || is_w(c, "sdtContent") || is_w(c, "customXml") || is_w(c, "ins") ||
                   is_w(c, "moveTo"))
            body(cx, doc, c, sb, depth + 1);
    }
}

static zip_t *open_zip(const char *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za && src)
        zip_source_free(src);
    zip_error_fini(&ze);
    return za;
}

bool nb_docx_sniff(const char *data, size_t len)
{
    if (len < 4 || memcmp(data, "PK\3\4", 4) != 0)
        return false;
    zip_t *za = open_zip(data, len);
    if (!za)
        return false;
    bool yes = zip_name_locate(za, "word/document.xml", 0) >= 0;
    zip_discard(za);
    return yes;
}

bool nb_docx_read(const char *data, size_t len, nb_doc *doc, char *err, size_t errsz)
{
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        snprintf(err, errsz, "这是旧的 Word 97-2003 文档（.doc）或加密的文档，不是 .docx：请用 Word 或 WPS 去掉密码后另存为 .docx");
        return false;
    }
    zip_t *za = open_zip(data, len);
    if (!za) {
        snprintf(err, errsz, "不是完整的 .docx 文件（zip 压缩包损坏或被截断）：请重新下载或从 Word 重新保存");
        return false;
    }
    zip_stat_t st; /* its size unpacked, known before it is unpacked */
    if (doc->max_bytes && zip_stat(za, "word/document.xml", 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE) &&
        st.size > doc->max_bytes / NB_DOC_TREE_FACTOR) {
        doc->too_big = true;
        snprintf(err, errsz, "word/document.xml 太大，解析它所需的内存超过了上限");
        zip_discard(za);
        return false;
    }
    size_t xlen;
    char *xml = read_part(za, "word/document.xml", &xlen);
    if (!xml) {
        bool present = zip_name_locate(za, "word/document.xml", 0) >= 0;
        snprintf(err, errsz, present ? "无法读出 word/document.xml（压缩包损坏或被截断）：请重新下载或从 Word 重新保存"
                                     : "压缩包里没有 word/document.xml：这不是 Word 文档（.docx）");
        zip_discard(za);
        return false;
    }
    docx_ctx cx = {0};
    read_styles(za, &cx);
    zip_discard(za);
    xmlDoc *x = parse_xml(xml, xlen, "document.xml");
    free(xml);
    bool ok = x != NULL;
    if (!ok)
        snprintf(err, errsz, "word/document.xml 不是完好的 XML（文件损坏）：请从 Word 重新保存");
    else {
        const xmlNode *root = xmlDocGetRootElement(x);
        const xmlNode *b = child_w(root, "body");
        nb_strbuf sb;
        nb_sb_init(&sb);
        if (b)
            body(&cx, doc, b, &sb, 0);
        nb_sb_free(&sb);
        xmlFreeDoc(x);
    }
    for (size_t i = 0; i < cx.nstyles; i++)
        free(cx.styles[i].id);
    free(cx.styles);
    if (ok && doc->too_big) {
        snprintf(err, errsz, "文档的文字太多，超过了内存上限");
        ok = false;
    }
    return ok;
}
