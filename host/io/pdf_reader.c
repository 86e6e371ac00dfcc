/* See pdf_reader.h.  poppler_page_get_text gives the page's text and
 * poppler_page_get_text_layout one box per character of it (line breaks
 * included), so the words and the lines come from one walk.
 * libpoppler-glib is loaded with dlopen when the first PDF is read: linked
 * in, it and the libraries it needs (glib, cairo, fontconfig …) would add
 * tens of milliseconds to the start of every nianbao command.
 * poppler builds its global parameters (tables of glyph names, encodings:
 * 3.4 M instructions) when a document is opened while none is, and drops
 * them with the last one: an empty document held open from the load on
 * keeps them for the process (built once, before check's workers fork). */
#include "io/pdf_reader.h"
#include "base/lazy_lib.h"
#include "io/lazy_open.h"
#include "io/pdf_unpack.h"
#include "base/xalloc.h"
#include <dlfcn.h>
#include <poppler.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct {
    bool tried, ok;
    GBytes *(*bytes_new_static)(gconstpointer, gsize);
    void (*bytes_unref)(GBytes *);
    void (*error_free)(GError *);
    void (*free)(gpointer);
    void (*object_unref)(gpointer);
    GQuark (*error_quark)(void);
    PopplerDocument *(*doc_new)(GBytes *, const char *, GError **);
    int (*n_pages)(PopplerDocument *);
    PopplerPage *(*get_page)(PopplerDocument *, int);
    void (*page_size)(PopplerPage *, double *, double *);
    char *(*page_text)(PopplerPage *);
    gboolean (*page_layout)(PopplerPage *, PopplerRectangle **, guint *);
    PopplerDocument *keeper; /* see keeper_pdf */
} P;

static bool sym(void *lib, const char *name, void *fp)
{
    void *s = dlsym(lib, name);
    memcpy(fp, &s, sizeof s); /* POSIX: a function's address through void * */
    return s != NULL;
}

/* One empty page (offsets counted for the xref table: poppler opens it
 * without repairing it); held open, never read. */
static const char keeper_pdf[] = "%PDF-1.4\n"
                                 "1 0 obj<</Type/Catalog/Pages 2 0 R>> endobj\n"
                                 "2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>> endobj\n"
                                 "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 1 1]>> endobj\n"
                                 "xref\n"
                                 "0 4\n"
                                 "0000000000 65535 f \n"
                                 "0000000009 00000 n \n"
                                 "0000000053 00000 n \n"
                                 "0000000103 00000 n \n"
                                 "trailer<</Size 4/Root 1 0 R>>\n"
                                 "startxref\n"
                                 "163\n"
                                 "%%EOF\n";

static bool load_poppler(void)
{
    if (P.tried)
        return P.ok;
    P.tried = true;
    static nb_lazy_lib poppler = {.sonames = {"libpoppler-glib.so.8", "libpoppler-glib.so", NULL},
                                  .package = "libpoppler-glib8"};
    void *lib = nb_lazy_open(&poppler); /* missing: the PDF importer says so itself */
    if (!lib)
        return false;
    P.ok = sym(lib, "g_bytes_new_static", &P.bytes_new_static) && sym(lib, "g_bytes_unref", &P.bytes_unref) &&
           sym(lib, "g_error_free", &P.error_free) && sym(lib, "g_free", &P.free) &&
           sym(lib, "g_object_unref", &P.object_unref) && sym(lib, "poppler_error_quark", &P.error_quark) &&
           sym(lib, "poppler_document_new_from_bytes", &P.doc_new) &&
           sym(lib, "poppler_document_get_n_pages", &P.n_pages) &&
           sym(lib, "poppler_document_get_page", &P.get_page) && sym(lib, "poppler_page_get_size", &P.page_size) &&
           sym(lib, "poppler_page_get_text", &P.page_text) && sym(lib, "poppler_page_get_text_layout", &P.page_layout);
    if (P.ok) {
        /* the library stays loaded for the process, and the keeper open (a
         * failure to open it costs only the speed) */
        GBytes *bytes = P.bytes_new_static(keeper_pdf, sizeof keeper_pdf - 1);
        P.keeper = P.doc_new(bytes, NULL, NULL);
        P.bytes_unref(bytes);
    }
    return P.ok;
}

bool nb_lazy_open_poppler(void)
{
    (void)nb_lazy_open_qpdf(); /* read with it (io/pdf_unpack.h); optional */
    return load_poppler();
}

/* The code point at p (UTF-8 as poppler writes it) and the next character's start. */
static const char *next_char(const char *p, uint32_t *c)
{
    const unsigned char *u = (const unsigned char *)p;
    int n = u[0] < 0x80 ? 1 : (u[0] & 0xE0) == 0xC0 ? 2 : (u[0] & 0xF0) == 0xE0 ? 3 : (u[0] & 0xF8) == 0xF0 ? 4 : 1;
    uint32_t v = n == 1 ? u[0] : n == 2 ? (u[0] & 0x1Fu) : n == 3 ? (u[0] & 0x0Fu) : (u[0] & 0x07u);
    for (int i = 1; i < n; i++) {
        if ((u[i] & 0xC0) != 0x80) /* cut short (or the NUL): one byte */
            return *c = u[0], p + 1;
        v = (v << 6) | (u[i] & 0x3Fu);
    }
    *c = v;
    return p + n;
}

void nb_pdf_init(nb_pdf *p)
{
    p->pages = NULL;
    p->npages = 0;
    p->bytes = p->max_bytes = 0;
    p->too_big = false;
}

static size_t page_bytes(const nb_pdf_page *pg)
{
    size_t n = pg->capwords * sizeof *pg->words + pg->caplines * sizeof *pg->lines;
    for (size_t w = 0; w < pg->nwords; w++)
        n += strlen(pg->words[w].text) + 1;
    for (size_t l = 0; l < pg->nlines; l++)
        n += strlen(pg->lines[l]) + 1;
    return n;
}

void nb_pdf_free(nb_pdf *p)
{
    for (size_t i = 0; i < p->npages; i++) {
        nb_pdf_page *pg = &p->pages[i];
        for (size_t w = 0; w < pg->nwords; w++)
            free(pg->words[w].text);
        for (size_t l = 0; l < pg->nlines; l++)
            free(pg->lines[l]);
        free(pg->words);
        free(pg->lines);
    }
    free(p->pages);
    nb_pdf_init(p);
}

static void add_line(nb_pdf_page *pg, const char *s, size_t n)
{
    if (pg->nlines == pg->caplines)
        pg->lines = nb_xrealloc(pg->lines, (pg->caplines = pg->caplines ? pg->caplines * 2 : 64) * sizeof *pg->lines);
    char *t = nb_xmalloc(n + 1);
    memcpy(t, s, n);
    t[n] = '\0';
    pg->lines[pg->nlines++] = t;
}

typedef struct {
    const char *start; /* the word's first byte in the page's text, or NULL */
    const char *end;
    double x0, y0, x1, y1;
} word_acc;

static void end_word(nb_pdf_page *pg, word_acc *w)
{
    if (!w->start)
        return;
    if (pg->nwords == pg->capwords)
        pg->words = nb_xrealloc(pg->words, (pg->capwords = pg->capwords ? pg->capwords * 2 : 256) * sizeof *pg->words);
    size_t n = (size_t)(w->end - w->start);
    nb_pdf_word *o = &pg->words[pg->nwords++];
    o->text = nb_xmalloc(n + 1);
    memcpy(o->text, w->start, n);
    o->text[n] = '\0';
    o->x0 = w->x0, o->y0 = w->y0, o->x1 = w->x1, o->y1 = w->y1;
    o->line = pg->nlines;
    w->start = NULL;
}

/* White space of a text layer: ASCII, U+00A0, U+3000. */
static bool is_space(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x3000;
}

static void read_page(PopplerPage *page, nb_pdf_page *pg)
{
    P.page_size(page, &pg->width, &pg->height);
    char *text = P.page_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!text)
        return;
    if (!P.page_layout(page, &rects, &nrects))
        nrects = 0;
    const char *line_start = text;
    word_acc w = {.start = NULL};
    guint k = 0;
    const char *nx;
    for (const char *p = text; *p && pg->nwords < NB_PDF_MAX_WORDS; p = nx, k++) {
        uint32_t c;
        nx = next_char(p, &c);
        if (c == '\n') {
            end_word(pg, &w);
            add_line(pg, line_start, (size_t)(p - line_start));
            line_start = p + 1;
            continue;
        }
        if (is_space(c) || k >= nrects) {
            end_word(pg, &w);
            continue;
        }
        const PopplerRectangle *r = &rects[k];
        double h = r->y2 - r->y1;
        /* a gap wider than half a character's height, a step back, or a
         * step up or down by more than 0.4 of it (a table's cells centred
         * at other heights: "审结" "总计" "结果" side by side, one line of
         * the text): another word */
        double hh = h > 0 ? h : 1;
        double shift = (r->y1 + r->y2) / 2 - (w.y0 + w.y1) / 2;
        if (w.start && (r->x1 - w.x1 > 0.5 * hh || r->x1 < w.x0 || shift > 0.4 * hh || shift < -0.4 * hh))
            end_word(pg, &w);
        if (!w.start) {
            w.start = p;
            w.x0 = r->x1, w.y0 = r->y1, w.x1 = r->x2, w.y1 = r->y2;
        } else {
            if (r->x2 > w.x1)
                w.x1 = r->x2;
            if (r->y1 < w.y0)
                w.y0 = r->y1;
            if (r->y2 > w.y1)
                w.y1 = r->y2;
        }
        w.end = nx;
    }
    end_word(pg, &w);
    if (*line_start)
        add_line(pg, line_start, strlen(line_start));
    P.free(rects);
    P.free(text);
}

static PopplerDocument *open_doc(const char *data, size_t len, GError **gerr)
{
    GBytes *bytes = P.bytes_new_static(data, len);
    PopplerDocument *doc = P.doc_new(bytes, NULL, gerr);
    P.bytes_unref(bytes);
    return doc;
}

/* A PDF ends with %%EOF (trailing blanks or a few bytes of junk allowed);
 * a file cut off lacks it, though poppler would rebuild what is left. */
static bool has_eof(const char *data, size_t len)
{
    size_t from = len > 1024 ? len - 1024 : 0;
    for (size_t i = from; i + 5 <= len; i++)
        if (memcmp(data + i, "%%EOF", 5) == 0)
            return true;
    return false;
}

bool nb_pdf_read(const char *data, size_t len, nb_pdf *pdf, char *err, size_t errsz)
{
    /* readers accept the header at a line's start anywhere in the first
     * 1024 bytes (a mail gateway's or a portal's junk before it) */
    bool header = false;
    for (size_t i = 0; i + 5 <= len && i < 1024 && !header; i++)
        header = (i == 0 || data[i - 1] == '\n' || data[i - 1] == '\r') && memcmp(data + i, "%PDF-", 5) == 0;
    if (len < 8 || !header) {
        snprintf(err, errsz, "不是 PDF 文件（文件开头没有 %%PDF 标记）");
        return false;
    }
    if (!has_eof(data, len)) {
        snprintf(err, errsz, "PDF 文件不完整（缺少结尾的 %%%%EOF，可能下载或复制时被截断）：请重新获取完整的文件");
        return false;
    }
    if (!load_poppler()) {
        snprintf(err, errsz, "无法加载读取 PDF 所需的库 libpoppler-glib：请安装 Debian 软件包 libpoppler-glib8");
        return false;
    }
    /* poppler reads the file as qpdf rewrote it, its font streams decoded
     * once (pdf_unpack.h), or as it is when there is no libqpdf or it is
     * encrypted; the bytes it reads live as long as the document */
    size_t ulen = 0;
    char *unpacked = NULL;
    nb_unpack_result unpack = nb_pdf_unpack(data, len, pdf->max_bytes, &unpacked, &ulen);
    GError *gerr = NULL;
    PopplerDocument *doc = unpack == NB_UNPACK_REWRITTEN ? open_doc(unpacked, ulen, &gerr)
                           : unpack == NB_UNPACK_AS_IS   ? open_doc(data, len, &gerr)
                                                         : NULL;
    if (!doc) {
        bool encrypted = gerr && gerr->domain == P.error_quark() && gerr->code == POPPLER_ERROR_ENCRYPTED;
        snprintf(err, errsz, "%s",
                 encrypted ? "PDF 文件已加密（需要密码才能打开）：请取得未加密的版本，或在阅读器中去除密码后另存"
                           : "PDF 文件已损坏，无法读取：请重新获取完整的文件");
        if (gerr)
            P.error_free(gerr);
        free(unpacked);
        return false;
    }
    int n = P.n_pages(doc);
    if (n < 0 || n > NB_PDF_MAX_PAGES) {
        snprintf(err, errsz, "PDF 文件页数过多（%d 页，最多 %d 页）", n, NB_PDF_MAX_PAGES);
        P.object_unref(doc);
        free(unpacked);
        return false;
    }
    pdf->pages = nb_xcalloc(n > 0 ? (size_t)n : 1, sizeof *pdf->pages);
    for (int i = 0; i < n; i++) {
        PopplerPage *page = P.get_page(doc, i);
        pdf->npages++;
        if (!page)
            continue;
        read_page(page, &pdf->pages[i]);
        P.object_unref(page);
        pdf->bytes += page_bytes(&pdf->pages[i]);
        if (pdf->max_bytes && pdf->bytes > pdf->max_bytes) {
            pdf->too_big = true;
            break;
        }
    }
    P.object_unref(doc);
    free(unpacked);
    return true;
}
