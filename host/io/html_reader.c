/* See html_reader.h. */
#include "io/html_reader.h"
#include "base/arena.h"
#include "base/strbuf.h"
#include "base/text_norm.h"
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 200

/* The page as libxml2's HTML parser shapes it (implied and auto-closed
 * elements, entities), kept in an arena of the reader's own: elements with
 * what the walk asks of them decided once, text nodes as libxml2's tree
 * would join them.  libxml2's own tree cost a third of a page's import in
 * node and property allocations, text appended by realloc, and the free. */
enum {
    K_TEXT, K_OTHER, /* a text node; an inline element (span, font, a, b, …) */
    K_SKIPPED,       /* script, style, forms, navigation: left out */
    K_BLOCK,         /* a block element: a paragraph boundary (td, tr … among them) */
};
typedef struct hnode hnode;
struct hnode {
    hnode *parent, *children, *last, *next;
    const char *text; /* a text node's content */
    unsigned char kind, heading; /* heading: h1…h6 → 1…6 */
    unsigned char table, tr, cell, section; /* table; tr; td or th; thead, tbody or tfoot */
    int colspan, rowspan; /* a cell's attributes (1 when absent) */
};

static const char *const SKIPPED[] = {"script", "style", "noscript", "head", "template", "iframe", "object",
                                      "select", "button", "input", "textarea", "svg", "nav", "map", NULL};
static const char *const BLOCKS[] = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
                                     "section", "article", "header", "footer", "main", "center", "form",
                                     "fieldset", "address", "hr", "br", "aside", "figure", "figcaption",
                                     "caption", "tr", "td", "th", "table", "tbody", "thead", "tfoot", NULL};

/* Whether lc (a lower-case name) is one of names. */
static bool name_in(const char *lc, const char *const *names)
{
    for (; *names; names++)
        if ((*names)[0] == lc[0] && strcmp(lc, *names) == 0)
            return true;
    return false;
}

/* An attribute's number as xmlGetProp and atoi read it: absent 1, without a value 0. */
static int int_attr(const xmlChar **atts, const char *name)
{
    for (; atts && atts[0]; atts += 2)
        if (strcmp((const char *)atts[0], name) == 0)
            return atts[1] ? atoi((const char *)atts[1]) : 0;
    return 1;
}

/* What an element's name makes of it, decided once per name in a parse. */
typedef struct {
    const xmlChar *name; /* as the parser passed it (interned, or a literal for implied elements) */
    unsigned char kind, heading, table, tr, cell, section;
} name_class;
#define NAME_BITS 6

typedef struct {
    nb_arena arena;
    nb_doc *doc;     /* its room bounds the tree too */
    name_class names[1u << NAME_BITS]; /* by the name's pointer */
    size_t bytes;    /* the tree's size */
    hnode top;       /* the document: its element children, in order */
    hnode *cur;      /* the open element, or NULL */
    bool strays_in_root; /* no DOCTYPE, comment or PI before the root: an element after it goes inside it */
    bool any;        /* a node was added to the document */
    nb_strbuf text;  /* the text node being read */
} tree;

static hnode *new_node(tree *t, hnode *parent, unsigned char kind)
{
    if (t->doc->max_bytes && (t->bytes += sizeof(hnode)) + t->doc->bytes > t->doc->max_bytes) {
        t->doc->too_big = true;
        return NULL;
    }
    hnode *n = nb_arena_alloc(&t->arena, sizeof *n);
    n->kind = kind;
    n->parent = parent;
    if (parent->last)
        parent->last->next = n;
    else
        parent->children = n;
    parent->last = n;
    return n;
}

/* The text read since the last node, as one text node (libxml2 joins adjacent text). */
static void end_text(tree *t)
{
    if (t->text.len == 0)
        return;
    if (t->cur && !t->doc->too_big) {
        t->bytes += t->text.len + 1;
        hnode *n = new_node(t, t->cur, K_TEXT);
        if (n)
            n->text = nb_arena_strndup(&t->arena, t->text.data, t->text.len);
    }
    t->text.len = 0;
}

/* Another node that is not text (a comment, a PI, a DOCTYPE): it ends the
 * text node; before the root, strays after the root go beside it. */
static void other_node(void *ctx)
{
    tree *t = ctx;
    end_text(t);
    if (!t->cur && !t->any)
        t->strays_in_root = false;
    t->any = t->any || !t->cur;
}

static void on_comment(void *ctx, const xmlChar *value)
{
    (void)value;
    other_node(ctx);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)target, (void)data;
    other_node(ctx);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    tree *t = ctx;
    end_text(t);
    t->strays_in_root = false; /* libxml2 puts the DTD first among the document's children */
    t->any = true;
}

/* The class of an element's name; cached by pointer, as the parser's dictionary interns names. */
static const name_class *class_of(tree *t, const xmlChar *xname)
{
    uint64_t h = (uint64_t)(uintptr_t)xname * UINT64_C(0x9E3779B97F4A7C15);
    name_class *nc = &t->names[h >> (64 - NAME_BITS)];
    if (nc->name == xname)
        return nc;
    const char *name = (const char *)xname;
    char lc[16] = ""; /* the name in lower case (libxml2 lowers it already); a longer one is none of ours */
    for (size_t i = 0; name[i] && i < sizeof lc; i++)
        lc[i] = i + 1 < sizeof lc ? (char)tolower((unsigned char)name[i]) : '\0';
    nc->name = xname;
    nc->kind = name_in(lc, SKIPPED) ? K_SKIPPED : name_in(lc, BLOCKS) ? K_BLOCK : K_OTHER;
    nc->heading = lc[0] == 'h' && lc[1] >= '1' && lc[1] <= '6' && !lc[2] ? (unsigned char)(lc[1] - '0') : 0;
    nc->table = strcmp(lc, "table") == 0;
    nc->tr = strcmp(lc, "tr") == 0;
    nc->cell = strcmp(lc, "td") == 0 || strcmp(lc, "th") == 0;
    nc->section = strcmp(lc, "thead") == 0 || strcmp(lc, "tbody") == 0 || strcmp(lc, "tfoot") == 0;
    return nc;
}

static void on_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
    tree *t = ctx;
    end_text(t);
    if (t->doc->too_big)
        return;
    hnode *parent = t->cur;
    if (!parent) /* the root, or an element after it closed (libxml2's xmlSAX2StartElement) */
        parent = t->any && t->strays_in_root && t->top.children ? t->top.children : &t->top;
    const name_class *nc = class_of(t, xname);
    hnode *n = new_node(t, parent, nc->kind);
    t->any = true;
    if (!n)
        return;
    n->heading = nc->heading, n->table = nc->table, n->tr = nc->tr, n->cell = nc->cell, n->section = nc->section;
    if (n->cell)
        n->colspan = int_attr(atts, "colspan"), n->rowspan = int_attr(atts, "rowspan");
    t->cur = n;
}

static void on_end(void *ctx, const xmlChar *name)
{
    (void)name;
    tree *t = ctx;
    end_text(t);
    if (t->cur && !t->doc->too_big)
        t->cur = t->cur->parent == &t->top ? NULL : t->cur->parent;
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
    tree *t = ctx;
    if (t->cur && len > 0)
        nb_sb_append(&t->text, (const char *)s, (size_t)len);
}

static void on_cdata(void *ctx, const xmlChar *s, int len)
{
    (void)s, (void)len;
    other_node(ctx); /* a script's or style's content: a node of its own, not text */
}

/* Appends a text node: runs of white space (and U+00A0) as one space; a run
 * holding a line break between two non-ASCII characters dropped, since
 * Word and editors wrap Chinese text at any character. */
static void add_text(nb_strbuf *sb, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (u[i]) {
        if (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r') || (u[i] == 0xC2 && u[i + 1] == 0xA0)) {
            bool nl = false;
            while (u[i] == ' ' || (u[i] >= '\t' && u[i] <= '\r') || (u[i] == 0xC2 && u[i + 1] == 0xA0)) {
                nl = nl || u[i] == '\n' || u[i] == '\r';
                i += u[i] == 0xC2 ? 2 : 1;
            }
            bool cjk_before = sb->len > 0 && (unsigned char)sb->data[sb->len - 1] >= 0x80;
            if (nl && cjk_before && u[i] >= 0x80)
                continue;
            if (sb->len > 0 && sb->data[sb->len - 1] != ' ' && sb->data[sb->len - 1] != '\n')
                nb_sb_append(sb, " ", 1);
            continue;
        }
        size_t j = i;
        while (u[j] && !(u[j] == ' ' || (u[j] >= '\t' && u[j] <= '\r') || (u[j] == 0xC2 && u[j + 1] == 0xA0)))
            j++;
        nb_sb_append(sb, s + i, j - i);
        i = j;
    }
}

static bool has_table(const hnode *n, int depth)
{
    for (const hnode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (c->table || (c->kind != K_TEXT && has_table(c, depth + 1)))
            return true;
    }
    return false;
}

/* The text of a table cell; block boundaries as line breaks. */
static void cell_text(const hnode *n, nb_strbuf *sb, int depth)
{
    for (const hnode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (c->kind == K_TEXT)
            add_text(sb, c->text);
        else if (c->kind == K_SKIPPED)
            continue;
        else {
            bool block = c->kind == K_BLOCK || c->heading;
            if (block && sb->len > 0 && sb->data[sb->len - 1] != '\n')
                nb_sb_append(sb, "\n", 1);
            cell_text(c, sb, depth + 1);
            if (block && sb->len > 0 && sb->data[sb->len - 1] != '\n')
                nb_sb_append(sb, "\n", 1);
        }
    }
}

typedef struct {
    nb_doc *doc;
    nb_strbuf para, cell;
    int heading;
} walk;

static void flush(walk *w)
{
    if (w->para.len > 0)
        nb_doc_para(w->doc, w->para.data, w->para.len, -1, w->heading);
    w->para.len = 0;
}

static void data_rows(walk *w, const hnode *n, int depth)
{
    for (const hnode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (c->tr) {
            nb_doc_row(w->doc);
            for (const hnode *td = c->children; td; td = td->next) {
                if (!td->cell)
                    continue;
                w->cell.len = 0;
                nb_sb_puts(&w->cell, "");
                cell_text(td, &w->cell, 0);
                nb_doc_cell_add(w->doc, w->cell.data, w->cell.len, td->colspan, td->rowspan, false);
            }
        } else if (c->section)
            data_rows(w, c, depth + 1);
    }
}

static void flow(walk *w, const hnode *n, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const hnode *c = n->children; c; c = c->next) {
        if (c->kind == K_TEXT) {
            add_text(&w->para, c->text);
            continue;
        }
        if (c->kind == K_SKIPPED)
            continue;
        if (c->table && !has_table(c, 0)) {
            flush(w);
            nb_doc_table_begin(w->doc);
            data_rows(w, c, 0);
            nb_doc_table_end(w->doc);
        } else if (c->heading) {
            flush(w);
            w->heading = c->heading;
            flow(w, c, depth + 1);
            flush(w);
            w->heading = 0;
        } else if (c->kind == K_BLOCK) {
            flush(w);
            flow(w, c, depth + 1);
            flush(w);
        } else
            flow(w, c, depth + 1); /* span, font, a, b, … */
    }
}

/* The charset a <meta> of the page's head names, or NULL. */
static const char *meta_charset(const char *data, size_t len, char *buf, size_t bufsz)
{
    size_t n = len < 8192 ? len : 8192;
    for (size_t i = 0; i + 8 < n; i++) {
        if (strncasecmp(data + i, "charset=", 8) != 0)
            continue;
        size_t j = i + 8, k = 0;
        while (j < n && (data[j] == '"' || data[j] == '\'' || data[j] == ' '))
            j++;
        while (j < n && k + 1 < bufsz &&
               ((data[j] >= 'a' && data[j] <= 'z') || (data[j] >= 'A' && data[j] <= 'Z') ||
                (data[j] >= '0' && data[j] <= '9') || data[j] == '-' || data[j] == '_'))
            buf[k++] = data[j++];
        buf[k] = '\0';
        if (k > 0)
            return buf;
    }
    return NULL;
}

static const char *choose_encoding(const char *data, size_t len)
{
    const unsigned char *u = (const unsigned char *)data;
    if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF)
        return "UTF-8";
    if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE)
        return "UTF-16LE";
    if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF)
        return "UTF-16BE";
    /* bytes that are valid UTF-8 are UTF-8 whatever the page declares
     * (portals re-encode pages and keep the old <meta>; Chinese text in
     * GBK is almost never valid UTF-8 by chance) */
    if (nb_utf8_valid(data, len))
        return "UTF-8";
    char buf[32];
    const char *meta = meta_charset(data, len, buf, sizeof buf);
    if (meta && (strcasecmp(meta, "gb2312") == 0 || strcasecmp(meta, "gbk") == 0 || strcasecmp(meta, "gb18030") == 0 ||
                 strcasecmp(meta, "x-gbk") == 0))
        return "GB18030";
    if (meta && strcasecmp(meta, "big5") == 0)
        return "BIG5";
    return "GB18030";
}

/* libxml2's messages (a byte the encoding cannot hold) are not for the user */
static void quiet(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

bool nb_html_read(const char *data, size_t len, nb_doc *doc, const char **encoding, char *err, size_t errsz)
{
    xmlSetGenericErrorFunc(NULL, quiet);
    *encoding = choose_encoding(data, len);
    if (len > 0x7fffffff) {
        snprintf(err, errsz, "网页文件太大");
        return false;
    }
    if (doc->max_bytes && len > doc->max_bytes / NB_DOC_TREE_FACTOR) {
        doc->too_big = true;
        snprintf(err, errsz, "网页文件太大，解析它所需的内存超过了上限");
        return false;
    }
    htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(data, (int)len);
    if (!ctxt) {
        snprintf(err, errsz, "无法解析网页（%s 编码）：文件可能损坏或不是 HTML", *encoding);
        return false;
    }
    /* htmlReadMemory's steps, with SAX callbacks of our own instead of its tree's */
    htmlCtxtUseOptions(ctxt, HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
                                 HTML_PARSE_RECOVER);
    xmlCharEncodingHandlerPtr enc = xmlFindCharEncodingHandler(*encoding);
    if (enc)
        xmlSwitchToEncoding(ctxt, enc);
    htmlSAXHandler *h = ctxt->sax;
    memset(h, 0, sizeof *h);
    h->initialized = 1;
    h->startElement = on_start;
    h->endElement = on_end;
    h->characters = on_text;
    h->cdataBlock = on_cdata;
    h->comment = on_comment;
    h->processingInstruction = on_pi;
    h->internalSubset = on_doctype;
    tree t = {.doc = doc, .strays_in_root = true};
    nb_arena_init(&t.arena);
    nb_sb_init(&t.text);
    ctxt->userData = &t;
    htmlParseDocument(ctxt);
    end_text(&t);
    htmlFreeParserCtxt(ctxt);
    nb_sb_free(&t.text);
    walk w = {.doc = doc};
    nb_sb_init(&w.para);
    nb_sb_init(&w.cell);
    nb_sb_puts(&w.para, "");
    if (!doc->too_big) {
        flow(&w, &t.top, 0);
        flush(&w);
    }
    nb_sb_free(&w.para);
    nb_sb_free(&w.cell);
    nb_arena_free(&t.arena);
    if (doc->too_big) {
        snprintf(err, errsz, "网页的文字太多，超过了内存上限");
        return false;
    }
    return true;
}
