/* See xlsx_reader.h.  The parts read: xl/workbook.xml (sheet names and
 * their relationship ids), xl/_rels/workbook.xml.rels (where each sheet's
 * part is), xl/sharedStrings.xml, and each sheet's sheetData and
 * mergeCells.  Elements are matched by local name, so the transitional and
 * the strict namespaces read alike. */
#include "io/xlsx_reader.h"
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define MAX_PART (64u << 20)
#define MAX_SHEETS 256u
#define MAX_STRINGS 1000000u

typedef struct {
    char **s;
    size_t n;
} shared_strings;

static bool is_el(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0;
}

static const xmlNode *child_el(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name))
            return c;
    return NULL;
}

static const char *attr(const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n ? n->properties : NULL; a; a = a->next)
        if (strcmp((const char *)a->name, name) == 0 && a->children && a->children->content)
            return (const char *)a->children->content;
    return NULL;
}

static xmlDoc *read_xml(zip_t *za, const char *name)
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
    xmlDoc *doc = NULL;
    if (got >= 0 && (zip_uint64_t)got == st.size)
        doc = xmlReadMemory(buf, (int)st.size, name, NULL,
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_COMPACT | XML_PARSE_HUGE);
    free(buf);
    return doc;
}

/* The text of the t elements below n (a rich string's runs joined; the
 * phonetic rPh runs left out). */
static void text_of(const xmlNode *n, nb_strbuf *sb, int depth)
{
    for (const xmlNode *c = n->children; c && depth < 8; c = c->next) {
        if (is_el(c, "rPh"))
            continue;
        if (is_el(c, "t")) {
            xmlChar *t = xmlNodeGetContent(c);
            if (t)
                nb_sb_puts(sb, (const char *)t);
            xmlFree(t);
        } else if (c->type == XML_ELEMENT_NODE) {
            text_of(c, sb, depth + 1);
        }
    }
}

static char *take(nb_strbuf *sb)
{
    char *s = nb_xstrdup(sb->data ? sb->data : "");
    nb_sb_free(sb);
    nb_sb_init(sb);
    return s;
}

static void read_shared(zip_t *za, shared_strings *ss)
{
    xmlDoc *doc = read_xml(za, "xl/sharedStrings.xml");
    const xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    size_t cap = 0;
    nb_strbuf sb;
    nb_sb_init(&sb);
    for (const xmlNode *si = root ? root->children : NULL; si && ss->n < MAX_STRINGS; si = si->next) {
        if (!is_el(si, "si"))
            continue;
        if (ss->n == cap) {
            cap = cap ? 2 * cap : 64;
            ss->s = nb_xrealloc(ss->s, cap * sizeof *ss->s);
        }
        text_of(si, &sb, 0);
        ss->s[ss->n++] = take(&sb);
    }
    nb_sb_free(&sb);
    if (doc)
        xmlFreeDoc(doc);
}

/* "BC12" -> row 12, column 55; false when it is no cell reference in range */
static bool cell_ref(const char *r, unsigned *row, unsigned *col)
{
    unsigned c = 0, n = 0;
    while (*r >= 'A' && *r <= 'Z' && c <= NB_XLSX_MAX_COL)
        c = c * 26 + (unsigned)(*r++ - 'A' + 1);
    while (*r >= '0' && *r <= '9' && n <= NB_XLSX_MAX_ROW)
        n = n * 10 + (unsigned)(*r++ - '0');
    if (*r || c == 0 || n == 0 || c > NB_XLSX_MAX_COL || n > NB_XLSX_MAX_ROW)
        return false;
    *row = n;
    *col = c;
    return true;
}

static void add_cell(nb_xlsx_sheet *s, const nb_xlsx_cell *c)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->cells = nb_xrealloc(s->cells, s->cap * sizeof *s->cells);
    }
    s->cells[s->n++] = *c;
}

static void read_cell(const xmlNode *c, unsigned row, unsigned *next_col, const shared_strings *ss,
                      nb_xlsx_sheet *s, nb_strbuf *sb)
{
    nb_xlsx_cell cell = {.row = row, .col = *next_col, .type = ' '};
    const char *r = attr(c, "r");
    unsigned rr;
    if (r && (!cell_ref(r, &rr, &cell.col) || rr != row))
        return; /* a reference out of range or in another row: not read */
    *next_col = cell.col + 1;
    const char *t = attr(c, "t");
    const xmlNode *f = child_el(c, "f"), *v = child_el(c, "v"), *is = child_el(c, "is");
    if (f) {
        xmlChar *ft = xmlNodeGetContent(f);
        cell.formula = nb_xstrdup(ft ? (const char *)ft : "");
        xmlFree(ft);
        cell.cached = v != NULL;
    }
    if (t && strcmp(t, "inlineStr") == 0) {
        if (is)
            text_of(is, sb, 0);
        cell.type = 's';
    } else if (v) {
        xmlChar *vt = xmlNodeGetContent(v);
        const char *val = vt ? (const char *)vt : "";
        if (t && strcmp(t, "s") == 0) {
            char *end;
            unsigned long k = strtoul(val, &end, 10);
            if (!*end && end != val && k < ss->n)
                nb_sb_puts(sb, ss->s[k]);
            cell.type = 's';
        } else {
            nb_sb_puts(sb, val);
            cell.type = !t || strcmp(t, "n") == 0 ? 'n' : t[0] == 'b' ? 'b' : t[0] == 'e' ? 'e' : 's';
        }
        xmlFree(vt);
    }
    cell.value = take(sb);
    if (!cell.value[0] && !cell.formula) {
        free(cell.value); /* a formatted empty cell */
        return;
    }
    add_cell(s, &cell);
}

static void read_merges(const xmlNode *mc, nb_xlsx_sheet *s)
{
    for (const xmlNode *m = mc->children; m; m = m->next) {
        const char *ref = is_el(m, "mergeCell") ? attr(m, "ref") : NULL;
        const char *colon = ref ? strchr(ref, ':') : NULL;
        char a[16], b[16];
        if (!colon || (size_t)(colon - ref) >= sizeof a || strlen(colon + 1) >= sizeof b)
            continue;
        memcpy(a, ref, (size_t)(colon - ref));
        a[colon - ref] = '\0';
        strcpy(b, colon + 1);
        nb_xlsx_merge g;
        if (!cell_ref(a, &g.r1, &g.c1) || !cell_ref(b, &g.r2, &g.c2) || g.r2 < g.r1 || g.c2 < g.c1)
            continue;
        if (s->nmerges == s->capm) {
            s->capm = s->capm ? 2 * s->capm : 16;
            s->merges = nb_xrealloc(s->merges, s->capm * sizeof *s->merges);
        }
        s->merges[s->nmerges++] = g;
    }
}

static bool read_sheet(zip_t *za, const char *part, const shared_strings *ss, nb_xlsx_sheet *s, size_t *total)
{
    xmlDoc *doc = read_xml(za, part);
    if (!doc)
        return false;
    const xmlNode *root = xmlDocGetRootElement(doc);
    nb_strbuf sb;
    nb_sb_init(&sb);
    unsigned next_row = 1;
    for (const xmlNode *n = root ? root->children : NULL; n; n = n->next) {
        if (is_el(n, "mergeCells"))
            read_merges(n, s);
        if (!is_el(n, "sheetData"))
            continue;
        for (const xmlNode *row = n->children; row; row = row->next) {
            if (!is_el(row, "row"))
                continue;
            const char *r = attr(row, "r");
            unsigned rn = r ? (unsigned)strtoul(r, NULL, 10) : next_row;
            if (rn == 0 || rn > NB_XLSX_MAX_ROW)
                continue;
            next_row = rn + 1;
            unsigned next_col = 1;
            for (const xmlNode *c = row->children; c && *total < NB_XLSX_MAX_CELLS; c = c->next) {
                if (is_el(c, "c")) {
                    read_cell(c, rn, &next_col, ss, s, &sb);
                    (*total)++;
                }
            }
        }
    }
    nb_sb_free(&sb);
    xmlFreeDoc(doc);
    return true;
}

/* The part of the sheet with relationship id rid: xl/TARGET or /TARGET. */
static void sheet_part(xmlDoc *rels, const char *rid, size_t index, char *out, size_t outsz)
{
    snprintf(out, outsz, "xl/worksheets/sheet%zu.xml", index + 1);
    const xmlNode *root = rels ? xmlDocGetRootElement(rels) : NULL;
    for (const xmlNode *r = root ? root->children : NULL; r && rid; r = r->next) {
        const char *id = attr(r, "Id"), *target = attr(r, "Target");
        if (is_el(r, "Relationship") && id && target && strcmp(id, rid) == 0) {
            if (target[0] == '/')
                snprintf(out, outsz, "%s", target + 1);
            else
                snprintf(out, outsz, "xl/%s", target);
            return;
        }
    }
}

static bool read_book(zip_t *za, nb_xlsx_book *book, char *err, size_t errsz)
{
    xmlDoc *wbdoc = read_xml(za, "xl/workbook.xml");
    if (!wbdoc) {
        snprintf(err, errsz, "压缩包中没有可读的 xl/workbook.xml：这不是 Excel 工作簿（.xlsx），请用 Excel 或 WPS 另存为 .xlsx");
        return false;
    }
    xmlDoc *rels = read_xml(za, "xl/_rels/workbook.xml.rels");
    shared_strings ss = {0};
    read_shared(za, &ss);
    const xmlNode *sheets = child_el(xmlDocGetRootElement(wbdoc), "sheets");
    size_t total = 0;
    bool ok = true;
    book->sheets = nb_xcalloc(MAX_SHEETS, sizeof *book->sheets);
    for (const xmlNode *sh = sheets ? sheets->children : NULL; sh && book->n < MAX_SHEETS; sh = sh->next) {
        if (!is_el(sh, "sheet"))
            continue;
        char part[512];
        sheet_part(rels, attr(sh, "id"), book->n, part, sizeof part);
        nb_xlsx_sheet *s = &book->sheets[book->n++];
        s->name = nb_xstrdup(attr(sh, "name") ? attr(sh, "name") : "");
        if (!read_sheet(za, part, &ss, s, &total)) {
            snprintf(err, errsz, "无法读出工作表“%s”（%s）：文件损坏或被截断，请从 Excel 或 WPS 重新保存", s->name, part);
            ok = false;
            break;
        }
    }
    for (size_t i = 0; i < ss.n; i++)
        free(ss.s[i]);
    free(ss.s);
    if (rels)
        xmlFreeDoc(rels);
    xmlFreeDoc(wbdoc);
    if (ok && book->n == 0) {
        snprintf(err, errsz, "工作簿中没有工作表");
        ok = false;
    }
    return ok;
}

bool nb_xlsx_read(const char *data, size_t len, nb_xlsx_book *book, char *err, size_t errsz)
{
    if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
        snprintf(err, errsz, "这是旧的 Excel 97-2003 工作簿（.xls）或加密的文件，不是 .xlsx：请用 Excel 或 WPS 去掉密码后另存为 .xlsx");
        return false;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za && src)
        zip_source_free(src);
    zip_error_fini(&ze);
    if (!za) {
        snprintf(err, errsz, "不是完整的 .xlsx 文件（zip 压缩包损坏或被截断）：请重新下载或从 Excel 重新保存");
        return false;
    }
    if (book->max_bytes) { /* the parts' size unpacked, known before they are unpacked */
        zip_uint64_t total = 0;
        zip_int64_t n = zip_get_num_entries(za, 0);
        zip_stat_t st;
        for (zip_int64_t i = 0; i < n; i++)
            if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE))
                total += st.size;
        if (total > book->max_bytes / NB_XLSX_TREE_FACTOR) {
            book->too_big = true;
            snprintf(err, errsz, "工作簿解压后太大，解析它所需的内存超过了上限");
            zip_discard(za);
            return false;
        }
    }
    bool ok = read_book(za, book, err, errsz);
    zip_discard(za);
    for (size_t i = 0; book->sheets && i < book->n; i++) {
        const nb_xlsx_sheet *s = &book->sheets[i];
        book->bytes += s->cap * sizeof *s->cells + s->capm * sizeof *s->merges;
        for (size_t k = 0; k < s->n; k++)
            book->bytes += strlen(s->cells[k].value) + 1 + (s->cells[k].formula ? strlen(s->cells[k].formula) + 1 : 0);
    }
    return ok;
}

void nb_xlsx_free(nb_xlsx_book *book)
{
    for (size_t i = 0; book->sheets && i < book->n; i++) {
        nb_xlsx_sheet *s = &book->sheets[i];
        for (size_t k = 0; k < s->n; k++) {
            free(s->cells[k].value);
            free(s->cells[k].formula);
        }
        free(s->cells);
        free(s->merges);
        free(s->name);
    }
    free(book->sheets);
    book->sheets = NULL;
    book->n = 0;
}
