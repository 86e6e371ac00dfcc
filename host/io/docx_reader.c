/* See docx_reader.h.  The parts are streamed through SAX2 callbacks straight
 * into the blocks: no tree is built (building, walking and freeing one was
 * two thirds of a .docx's import) by libxml2 (one parser for Office XML and
 * HTML's tag soup; half expat's instructions: docs/importers.md), which
 * pulls document.xml out of the zip (io/docx_part.h).  A stack of frames says,
 * for each open element, what its children mean. */
#include "io/docx_reader.h"
#include "io/docx_names.h"
#include "io/docx_part.h"
#include "io/docx_styles.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#define MAX_DEPTH 64         /* nesting followed inside paragraphs and tables */
#define MAX_FRAMES 400       /* open elements followed (libxml2 stops at 256) */

/* What an open element's children mean. */
typedef enum {
    F_ROOT,  /* the root: its first w:body is read */
    F_BODY,  /* the body, or a content control / insertion in it */
    F_TABLE, /* w:tbl of the body, or a content control in it: rows */
    F_ROW,   /* w:tr, or a content control in it: cells */
    F_TRPR,  /* a row's first w:trPr: w:gridBefore */
    F_TEXT,  /* inside a paragraph or a cell: runs, text, nested paragraphs */
    F_T,     /* w:t: its text */
    F_PPR,   /* a paragraph's first w:pPr: style, numbering, outline level */
    F_NUMPR, /* that w:pPr's first w:numPr */
    F_STYLES, F_STYLE, F_STYLEPPR, /* styles.xml: its root, a paragraph style, the style's first w:pPr */
} frame_kind;

enum { ROOT_PARA = 1, ROOT_CELL = 2, TCPR = 4 }; /* flags of a frame */
enum { SEEN_A = 1, SEEN_B = 2, SEEN_C = 4 };     /* bits of frame.seen */

typedef struct {
    unsigned char kind, flags;
    short depth;   /* nesting of containers (body, table, row) or below the paragraph or cell */
    unsigned seen; /* the children of one name met once already (bits of first_of) */
} frame;

/* The properties of the paragraph, cell or style being read. */
typedef struct {
    const nb_docx_style *style;
    bool numpr, outline, numid_set, ilvl_set, vcont; /* *_set: the attribute was there */
    int numid, ilvl, outline_val, span, heading;
    char *style_id;
} props;

typedef struct {
    nb_docx_styles *cx;
    nb_doc *doc; /* NULL while styles.xml is read */
    nb_strbuf sb; /* the text of the paragraph or cell being read */
    frame stack[MAX_FRAMES];
    int top;      /* the innermost open element followed, -1 before the root */
    int skipping; /* open elements of a subtree left out */
    const xmlChar *wml; /* the WordprocessingML namespace's URI (transitional or strict) as the parser interned it */
    props pr;
    nb_docx_names names; /* a parse's names met so far, by pointer */
    bool cut;            /* the parse stopped for want of memory */
} sax_state;

/* An element named id, its uri the WordprocessingML namespace's (on_start passes NULL for any other). */
static bool is_w(nb_docx_name id, const xmlChar *uri, nb_docx_name name) { return uri && id == name; }

/* Whether this is the first child named by bit `bit` of frame f (and marks it met). */
static bool first_of(frame *f, unsigned bit)
{
    return (f->seen & bit) ? false : (f->seen |= bit, true);
}

static void push(sax_state *s, frame_kind kind, int depth, unsigned char flags)
{
    if (s->top + 1 >= MAX_FRAMES) {
        s->skipping = 1;
        return;
    }
    frame *f = &s->stack[++s->top];
    f->kind = (unsigned char)kind, f->flags = flags, f->depth = (short)depth, f->seen = 0;
}

/* a paragraph or a cell begins: its text and properties */
static void start_text(sax_state *s)
{
    s->sb.len = 0;
    s->sb.data[0] = '\0'; /* made when the part's parse began */
    memset(&s->pr, 0, sizeof s->pr);
    s->pr.span = 1;
}

/* What a WordprocessingML child of a paragraph or a cell (or of something
 * inside one) is, by its name: text, a character written for it, left out,
 * a paragraph or table inside (on a line of its own), or something whose
 * text is read through (r, ins, moveTo, hyperlink, smartTag, fldSimple,
 * sdt, …).  Deletions and the fallback of alternate content (any
 * namespace's Fallback) are left out. */
enum { C_THROUGH, C_TEXT, C_SPACE, C_NEWLINE, C_HYPHEN, C_LEFT_OUT, C_PARA, C_TABLE };
static const unsigned char TEXT_CHILD[N_Fallback + 1] = {
    [N_t] = C_TEXT, [N_tab] = C_SPACE, [N_ptab] = C_SPACE, [N_br] = C_NEWLINE, [N_cr] = C_NEWLINE,
    [N_noBreakHyphen] = C_HYPHEN, [N_del] = C_LEFT_OUT, [N_moveFrom] = C_LEFT_OUT, [N_pPr] = C_LEFT_OUT,
    [N_rPr] = C_LEFT_OUT, [N_delText] = C_LEFT_OUT, [N_instrText] = C_LEFT_OUT, [N_drawing] = C_LEFT_OUT,
    [N_pict] = C_LEFT_OUT, [N_object] = C_LEFT_OUT, [N_Fallback] = C_LEFT_OUT, [N_p] = C_PARA, [N_tbl] = C_TABLE,
};

/* A child of a paragraph or cell at nesting depth (its uri NULL when it is
 * not WordprocessingML's). */
static void text_child(sax_state *s, nb_docx_name id, const xmlChar *u, int depth)
{
    unsigned what = u ? TEXT_CHILD[id] : id == N_Fallback ? C_LEFT_OUT : C_THROUGH;
    if (depth > MAX_DEPTH + 1)
        what = C_LEFT_OUT;
    switch (what) {
    case C_TEXT:
        push(s, F_T, depth, 0);
        return;
    case C_SPACE:
    case C_NEWLINE:
    case C_HYPHEN:
        nb_sb_append(&s->sb, what == C_HYPHEN ? "-" : what == C_NEWLINE ? "\n" : " ", 1);
        s->skipping = 1;
        return;
    case C_LEFT_OUT:
        s->skipping = 1;
        return;
    case C_PARA: /* a paragraph inside a content control of a cell */
    case C_TABLE: /* a table inside a cell: its cells' text one a line, followed one level less deep */
        if (s->sb.len > 0)
            nb_sb_append(&s->sb, "\n", 1);
        push(s, F_TEXT, what == C_TABLE ? depth + 1 : depth, 0);
        return;
    default:
        push(s, F_TEXT, depth, 0);
    }
}

static bool is_control(nb_docx_name id, const xmlChar *u)
{
    return is_w(id, u, N_sdt) || is_w(id, u, N_sdtContent) || is_w(id, u, N_customXml);
}

static void on_start(void *ctx, const xmlChar *l, const xmlChar *prefix, const xmlChar *u, int nns,
                     const xmlChar **ns, int n, int ndefaulted, const xmlChar **at)
{
    (void)prefix, (void)nns, (void)ns, (void)ndefaulted;
    sax_state *s = ctx;
    if (s->skipping > 0) {
        s->skipping++;
        return;
    }
    if (u != s->wml) {
        if (u && strstr((const char *)u, "wordprocessingml"))
            s->wml = u;
        else
            u = NULL;
    }
    if (s->top < 0) {
        push(s, s->doc ? F_ROOT : F_STYLES, 0, 0);
        return;
    }
    nb_docx_name id = nb_docx_name_of(&s->names, l);
    frame *f = &s->stack[s->top];
    props *pr = &s->pr;
    char buf[256];
    switch ((frame_kind)f->kind) {
    case F_ROOT:
        if (is_w(id, u, N_body) && first_of(f, SEEN_A))
            { push(s, F_BODY, 0, 0); return; }
        break;
    case F_BODY:
        if (f->depth > MAX_DEPTH)
            break;
        if (is_w(id, u, N_p)) {
            start_text(s);
            { push(s, F_TEXT, 0, ROOT_PARA); return; }
        }
        if (is_w(id, u, N_tbl)) {
            nb_doc_table_begin(s->doc);
            { push(s, F_TABLE, 0, 0); return; }
        }
        if (is_control(id, u) || is_w(id, u, N_ins) || is_w(id, u, N_moveTo))
            { push(s, F_BODY, f->depth + 1, 0); return; }
        break;
    case F_TABLE:
        if (f->depth >= MAX_DEPTH)
            break;
        if (is_w(id, u, N_tr)) {
            nb_doc_row(s->doc);
            { push(s, F_ROW, 0, 0); return; }
        }
        if (is_control(id, u))
            { push(s, F_TABLE, f->depth + 1, 0); return; }
        break;
    case F_ROW:
        if (f->depth >= MAX_DEPTH)
            break;
        if (is_w(id, u, N_tc)) {
            start_text(s);
            { push(s, F_TEXT, 0, ROOT_CELL); return; }
        }
        if (is_control(id, u))
            { push(s, F_ROW, f->depth + 1, 0); return; }
        if (f->depth == 0 && is_w(id, u, N_trPr) && first_of(f, SEEN_A))
            { push(s, F_TRPR, 0, 0); return; }
        break;
    case F_TRPR:
        if (is_w(id, u, N_gridBefore) && first_of(f, SEEN_A)) {
            int before = nb_docx_int_attr(n, at, "val", 0);
            if (before > 0)
                nb_doc_cell_add(s->doc, "", 0, before, 1, false);
        }
        break;
    case F_TEXT:
        if ((f->flags & ROOT_PARA) && is_w(id, u, N_pPr) && first_of(f, SEEN_A))
            { push(s, F_PPR, 1, 0); return; }
        if ((f->flags & ROOT_CELL) && is_w(id, u, N_tcPr) && first_of(f, SEEN_A))
            { push(s, F_TEXT, 1, TCPR); return; }
        if ((f->flags & TCPR) && is_w(id, u, N_gridSpan) && first_of(f, SEEN_A))
            pr->span = nb_docx_int_attr(n, at, "val", 1);
        if ((f->flags & TCPR) && is_w(id, u, N_vMerge) && first_of(f, SEEN_B)) {
            const char *v = nb_docx_attr(n, at, "val", buf, sizeof buf);
            pr->vcont = !v || strcmp(v, "continue") == 0;
        }
        return text_child(s, id, u, f->depth + 1);
    case F_PPR:
    case F_STYLEPPR:
        if (is_w(id, u, N_numPr) && first_of(f, SEEN_B)) {
            pr->numpr = true;
            { push(s, F_NUMPR, 0, 0); return; }
        }
        if (is_w(id, u, N_outlineLvl) && first_of(f, SEEN_C)) {
            pr->outline = true;
            pr->outline_val = nb_docx_int_attr(n, at, "val", 9);
        }
        if (f->kind == F_PPR && is_w(id, u, N_pStyle) && first_of(f, SEEN_A))
            pr->style = nb_docx_style_of(s->cx, nb_docx_attr(n, at, "val", buf, sizeof buf));
        break;
    case F_NUMPR:
        if (is_w(id, u, N_numId) && first_of(f, SEEN_A) && nb_docx_attr(n, at, "val", buf, sizeof buf))
            pr->numid_set = true, pr->numid = atoi(buf);
        if (is_w(id, u, N_ilvl) && first_of(f, SEEN_B) && nb_docx_attr(n, at, "val", buf, sizeof buf))
            pr->ilvl_set = true, pr->ilvl = atoi(buf);
        break;
    case F_STYLES: {
        const char *type = nb_docx_attr(n, at, "type", buf, sizeof buf);
        if (!is_w(id, u, N_style) || (type && strcmp(type, "paragraph") != 0) ||
            !nb_docx_attr(n, at, "styleId", buf, sizeof buf))
            break;
        memset(pr, 0, sizeof *pr);
        pr->style_id = nb_xstrdup(buf);
        { push(s, F_STYLE, 0, 0); return; }
    }
    case F_STYLE:
        if (is_w(id, u, N_name) && first_of(f, SEEN_A)) {
            const char *name = nb_docx_attr(n, at, "val", buf, sizeof buf);
            if (name && strncasecmp(name, "heading ", 8) == 0)
                pr->heading = atoi(name + 8);
        }
        if (is_w(id, u, N_pPr) && first_of(f, SEEN_B))
            { push(s, F_STYLEPPR, 0, 0); return; }
        break;
    case F_T: /* its children's text is not its own */
        break;
    }
    s->skipping = 1;
}

/* A paragraph's level and heading: its style's, then its own numbering and outline level. */
static void end_paragraph(sax_state *s)
{
    const props *pr = &s->pr;
    int level = -1, heading = 0;
    if (pr->style)
        level = pr->style->level, heading = pr->style->heading;
    if (pr->numpr) {
        if ((pr->numid_set ? pr->numid : 1) == 0)
            level = -1; /* numbering switched off */
        else
            level = pr->ilvl_set ? pr->ilvl : level >= 0 ? level : 0;
    }
    if (pr->outline && pr->outline_val < 9)
        heading = pr->outline_val + 1;
    nb_doc_para(s->doc, s->sb.data, s->sb.len, level, heading);
}

/* styles.xml: a paragraph style with a heading or a numbering level is kept. */
static void end_style(sax_state *s)
{
    props *pr = &s->pr;
    nb_docx_style si = {.id = pr->style_id, .heading = pr->heading, .level = -1};
    pr->style_id = NULL;
    if (pr->outline && pr->outline_val < 9)
        si.heading = pr->outline_val + 1;
    if (pr->numpr && pr->numid_set && pr->numid != 0)
        si.level = pr->ilvl_set ? pr->ilvl : 0;
    if (si.heading == 0 && si.level < 0) {
        free(si.id);
        return;
    }
    nb_docx_styles_add(s->cx, si);
}

static void on_end(void *ctx, const xmlChar *l, const xmlChar *prefix, const xmlChar *u)
{
    (void)l, (void)prefix, (void)u;
    sax_state *s = ctx;
    if (s->skipping > 0) {
        s->skipping--;
        return;
    }
    if (s->top < 0)
        return;
    frame *f = &s->stack[s->top--];
    if (f->kind == F_TEXT && (f->flags & ROOT_PARA))
        end_paragraph(s);
    else if (f->kind == F_TEXT && (f->flags & ROOT_CELL))
        nb_doc_cell_add(s->doc, s->sb.data, s->sb.len, s->pr.span, 1, s->pr.vcont);
    else if (f->kind == F_TABLE && f->depth == 0)
        nb_doc_table_end(s->doc);
    else if (f->kind == F_STYLE)
        end_style(s);
}

static void on_text(void *ctx, const xmlChar *text, int len)
{
    sax_state *s = ctx;
    if (s->skipping == 0 && s->top >= 0 && s->stack[s->top].kind == F_T)
        nb_sb_append(&s->sb, (const char *)text, (size_t)len);
}

/* Parses one part, pulled from src, through the callbacks above; false
 * when it is not well-formed XML. */
static bool parse_part(nb_docx_part *src, sax_state *s)
{
    xmlSAXHandler h; /* only these callbacks: no tree, no entity declared */
    memset(&h, 0, sizeof h);
    h.initialized = XML_SAX2_MAGIC;
    h.startElementNs = on_start;
    h.endElementNs = on_end;
    h.characters = h.ignorableWhitespace = h.cdataBlock = on_text;
    xmlParserCtxtPtr ctxt = xmlCreateIOParserCtxt(&h, s, nb_docx_part_read, NULL, src, XML_CHAR_ENCODING_NONE);
    if (!ctxt)
        return false;
    xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    s->top = -1, s->skipping = 0, s->wml = NULL;
    memset(&s->names, 0, sizeof s->names);
    nb_sb_init(&s->sb);
    nb_sb_puts(&s->sb, "");
    xmlParseDocument(ctxt);
    bool ok = ctxt->wellFormed != 0;
    s->cut = ctxt->errNo == XML_ERR_NO_MEMORY; /* stopped, not always told as not well-formed */
    xmlFreeParserCtxt(ctxt);
    nb_sb_free(&s->sb);
    free(s->pr.style_id); /* a style cut off by an error */
    s->pr.style_id = NULL;
    return ok;
}

/* styles.xml: heading and numbering levels of paragraph styles, parsed
 * unless they are those of the styles.xml read last; kept only when the
 * parse ended well (one cut short by the memory ceiling or a failing
 * allocation is not what the bytes say). */
static void read_styles(zip_t *za, nb_docx_styles *cx)
{
    size_t len;
    char *xml = nb_docx_part_bytes(za, "word/styles.xml", &len);
    if (xml && nb_docx_styles_are_of(cx, xml, len)) {
        free(xml);
        return;
    }
    nb_docx_styles_forget(cx);
    if (!xml)
        return;
    sax_state *s = nb_xcalloc(1, sizeof *s);
    s->cx = cx;
    nb_docx_part src;
    nb_docx_part_mem(&src, xml, len);
    bool ok = parse_part(&src, s) && !s->cut;
    free(s);
    if (ok)
        nb_docx_styles_keep(cx, xml, len);
    else
        free(xml);
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

bool nb_docx_read(const char *data, size_t len, nb_doc *doc, nb_docx_styles *cx, char *err, size_t errsz)
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
    nb_docx_part src;
    if (!nb_docx_part_open(za, "word/document.xml", &src)) {
        bool present = zip_name_locate(za, "word/document.xml", 0) >= 0;
        snprintf(err, errsz, present ? "无法读出 word/document.xml（压缩包损坏或被截断）：请重新下载或从 Word 重新保存"
                                     : "压缩包里没有 word/document.xml：这不是 Word 文档（.docx）");
        zip_discard(za);
        return false;
    }
    read_styles(za, cx);
    sax_state *s = nb_xcalloc(1, sizeof *s);
    s->cx = cx;
    s->doc = doc;
    bool ok = parse_part(&src, s);
    free(s);
    bool read = nb_docx_part_close(&src);
    zip_discard(za);
    if (!cx->xml) /* styles not kept are not held between documents */
        nb_docx_styles_forget(cx);
    if (!read || !ok)
        doc->too_big = false; /* what was read before the error is not kept: the error is the reason */
    if (!read)
        snprintf(err, errsz, "无法读出 word/document.xml（压缩包损坏或被截断）：请重新下载或从 Word 重新保存");
    else if (!ok)
        snprintf(err, errsz, "word/document.xml 不是完好的 XML（文件损坏）：请从 Word 重新保存");
    if (read && ok && doc->too_big) {
        snprintf(err, errsz, "文档的文字太多，超过了内存上限");
        ok = false;
    }
    return read && ok;
}
