/* See pdf_reader.h.  poppler_page_get_text gives the page's text and
 * poppler_page_get_text_layout one box per character of it (line breaks
 * included), so the words and the lines come from one walk. */
#include "io/pdf_reader.h"
#include "base/xalloc.h"
#include <glib.h>
#include <poppler.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void nb_pdf_init(nb_pdf *p)
{
    p->pages = NULL;
    p->npages = 0;
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
static bool is_space(gunichar c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0 || c == 0x3000;
}

static void read_page(PopplerPage *page, nb_pdf_page *pg)
{
    poppler_page_get_size(page, &pg->width, &pg->height);
    char *text = poppler_page_get_text(page);
    PopplerRectangle *rects = NULL;
    guint nrects = 0;
    if (!text)
        return;
    if (!poppler_page_get_text_layout(page, &rects, &nrects))
        nrects = 0;
    const char *line_start = text;
    word_acc w = {.start = NULL};
    guint k = 0;
    for (const char *p = text; *p && pg->nwords < NB_PDF_MAX_WORDS; p = g_utf8_next_char(p), k++) {
        gunichar c = g_utf8_get_char(p);
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
        /* a gap wider than a character's height, or a step back or down: another word */
        if (w.start && (r->x1 - w.x1 > (h > 0 ? h : 1) || r->x1 < w.x0 || r->y1 > w.y1 || r->y2 < w.y0))
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
        w.end = g_utf8_next_char(p);
    }
    end_word(pg, &w);
    if (*line_start)
        add_line(pg, line_start, strlen(line_start));
    g_free(rects);
    g_free(text);
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
    if (len < 8 || memcmp(data, "%PDF", 4) != 0) {
        snprintf(err, errsz, "不是 PDF 文件（文件开头没有 %%PDF 标记）");
        return false;
    }
    if (!has_eof(data, len)) {
        snprintf(err, errsz, "PDF 文件不完整（缺少结尾的 %%%%EOF，可能下载或复制时被截断）：请重新获取完整的文件");
        return false;
    }
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *gerr = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &gerr);
    g_bytes_unref(bytes);
    if (!doc) {
        bool encrypted = gerr && gerr->domain == POPPLER_ERROR && gerr->code == POPPLER_ERROR_ENCRYPTED;
        snprintf(err, errsz, "%s",
                 encrypted ? "PDF 文件已加密（需要密码才能打开）：请取得未加密的版本，或在阅读器中去除密码后另存"
                           : "PDF 文件已损坏，无法读取：请重新获取完整的文件");
        if (gerr)
            g_error_free(gerr);
        return false;
    }
    int n = poppler_document_get_n_pages(doc);
    if (n < 0 || n > NB_PDF_MAX_PAGES) {
        snprintf(err, errsz, "PDF 文件页数过多（%d 页，最多 %d 页）", n, NB_PDF_MAX_PAGES);
        g_object_unref(doc);
        return false;
    }
    pdf->pages = nb_xcalloc(n > 0 ? (size_t)n : 1, sizeof *pdf->pages);
    for (int i = 0; i < n; i++) {
        PopplerPage *page = poppler_document_get_page(doc, i);
        pdf->npages++;
        if (!page)
            continue;
        read_page(page, &pdf->pages[i]);
        g_object_unref(page);
    }
    g_object_unref(doc);
    return true;
}
