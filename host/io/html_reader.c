/* See html_reader.h. */
#include "io/html_reader.h"
#include "base/strbuf.h"
#include "base/text_norm.h"
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 200

static bool name_is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcasecmp((const char *)n->name, name) == 0;
}

static bool name_in(const xmlNode *n, const char *const *names)
{
    for (; *names; names++)
        if (name_is(n, *names))
            return true;
    return false;
}

static const char *const SKIPPED[] = {"script", "style", "noscript", "head", "template", "iframe", "object",
                                      "select", "button", "input", "textarea", "svg", "nav", "map", NULL};
static const char *const BLOCKS[] = {"p", "div", "li", "ul", "ol", "dl", "dt", "dd", "blockquote", "pre",
                                     "section", "article", "header", "footer", "main", "center", "form",
                                     "fieldset", "address", "hr", "br", "aside", "figure", "figcaption",
                                     "caption", "tr", "td", "th", "table", "tbody", "thead", "tfoot", NULL};

static int heading_of(const xmlNode *n)
{
    const char *s = (const char *)n->name;
    if (n->type == XML_ELEMENT_NODE && (s[0] == 'h' || s[0] == 'H') && s[1] >= '1' && s[1] <= '6' && !s[2])
        return s[1] - '0';
    return 0;
}

static int int_attr(const xmlNode *n, const char *name)
{
    xmlChar *v = xmlGetProp(n, (const xmlChar *)name);
    int k = v ? atoi((const char *)v) : 1;
    xmlFree(v);
    return k;
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

static bool has_table(const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (name_is(c, "table") || (c->type == XML_ELEMENT_NODE && has_table(c, depth + 1)))
            return true;
    }
    return false;
}

/* The text of a table cell; block boundaries as line breaks. */
static void cell_text(const xmlNode *n, nb_strbuf *sb, int depth)
{
    for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content)
            add_text(sb, (const char *)c->content);
        else if (c->type != XML_ELEMENT_NODE || name_in(c, SKIPPED))
            continue;
        else {
            bool block = name_in(c, BLOCKS) || heading_of(c);
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

static void data_rows(walk *w, const xmlNode *n, int depth)
{
    for (const xmlNode *c = n->children; c && depth < MAX_DEPTH; c = c->next) {
        if (name_is(c, "tr")) {
            nb_doc_row(w->doc);
            for (const xmlNode *td = c->children; td; td = td->next) {
                if (!name_is(td, "td") && !name_is(td, "th"))
                    continue;
                w->cell.len = 0;
                nb_sb_puts(&w->cell, "");
                cell_text(td, &w->cell, 0);
                nb_doc_cell_add(w->doc, w->cell.data, w->cell.len, int_attr(td, "colspan"), int_attr(td, "rowspan"),
                                false);
            }
        } else if (name_is(c, "thead") || name_is(c, "tbody") || name_is(c, "tfoot"))
            data_rows(w, c, depth + 1);
    }
}

static void flow(walk *w, const xmlNode *n, int depth)
{
    if (depth > MAX_DEPTH)
        return;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (c->type == XML_TEXT_NODE && c->content) {
            add_text(&w->para, (const char *)c->content);
            continue;
        }
        if (c->type != XML_ELEMENT_NODE || name_in(c, SKIPPED))
            continue;
        int h = heading_of(c);
        if (name_is(c, "table") && !has_table(c, 0)) {
            flush(w);
            nb_doc_table_begin(w->doc);
            data_rows(w, c, 0);
            nb_doc_table_end(w->doc);
        } else if (h) {
            flush(w);
            w->heading = h;
            flow(w, c, depth + 1);
            flush(w);
            w->heading = 0;
        } else if (name_in(c, BLOCKS)) {
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
    htmlDocPtr x = htmlReadMemory(data, (int)len, NULL, *encoding,
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                      HTML_PARSE_IGNORE_ENC | HTML_PARSE_RECOVER);
    if (!x) {
        snprintf(err, errsz, "无法解析网页（%s 编码）：文件可能损坏或不是 HTML", *encoding);
        return false;
    }
    walk w = {.doc = doc};
    nb_sb_init(&w.para);
    nb_sb_init(&w.cell);
    nb_sb_puts(&w.para, "");
    const xmlNode *root = xmlDocGetRootElement(x);
    if (root) {
        xmlNode holder = {0};
        holder.children = (xmlNode *)root;
        flow(&w, &holder, 0);
        flush(&w);
    }
    nb_sb_free(&w.para);
    nb_sb_free(&w.cell);
    xmlFreeDoc(x);
    if (doc->too_big) {
        snprintf(err, errsz, "网页的文字太多，超过了内存上限");
        return false;
    }
    return true;
}
