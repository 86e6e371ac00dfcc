/* Unit test of io/pdf_unpack.c: the file poppler reads in place of a PDF
 * holds its font streams decoded (poppler would inflate them again for
 * every page), its pages' content decoded, and its other objects in
 * object streams (poppler parses each
 * object stream once and keeps its objects, where a plain object is parsed
 * again for every page that names it: a font's dictionary, its /Widths and
 * /Encoding arrays).  argv[1]: a PDF LibreOffice printed. */
#include "io/lazy_open.h"
#include "io/pdf_unpack.h"
#include "check.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (n == cap && !(buf = realloc(buf, cap = cap ? 2 * cap : 65536)))
            break;
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

static size_t count(const char *s, size_t len, const char *what)
{
    size_t k = 0, w = strlen(what);
    for (size_t i = 0; i + w <= len; i++)
        k += memcmp(s + i, what, w) == 0;
    return k;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.pdf\n", argv[0]);
        return 2;
    }
    size_t len = 0, ulen = 0;
    char *pdf = slurp(argv[1], &len);
    CHECK(pdf != NULL && len > 0);
    if (!pdf)
        return check_report();
    if (!nb_lazy_open_qpdf()) {
        printf("skipped: no libqpdf\n");
        free(pdf);
        return 77;
    }
    CHECK(count(pdf, len, "/ObjStm") == 0); /* LibreOffice writes none */
    CHECK(count(pdf, len, "/FontFile") > 0);
    char *out = NULL;
    CHECK(nb_pdf_unpack(pdf, len, 0, &out, &ulen) == NB_UNPACK_REWRITTEN);
    CHECK(out != NULL);
    if (out) {
        CHECK(ulen > len);                        /* the font programs stored plain */
        CHECK(count(out, ulen, "/ObjStm") > 0); /* the dictionaries in object streams */
        /* the pages' content decoded: what is left compressed is what qpdf
         * made, the object streams and the cross-reference stream (this file
         * has no image) */
        CHECK(count(out, ulen, "/FlateDecode") == count(out, ulen, "/ObjStm") + count(out, ulen, "/XRef"));
    }
    free(out);
    /* a room too small for the decoded streams: rewritten with its streams
     * as they were (compressed), its objects still in object streams */
    CHECK(nb_pdf_unpack(pdf, len, 16, &out, &ulen) == NB_UNPACK_REWRITTEN);
    if (out) {
        CHECK(count(out, ulen, "/ObjStm") > 0);
        CHECK(count(out, ulen, "/FlateDecode") > count(out, ulen, "/ObjStm") + count(out, ulen, "/XRef"));
    }
    free(out);
    /* a file qpdf cannot read (no catalogue, no pages): refused */
    static const char broken[] = "%PDF-1.7\n1 0 obj\n<< /Type /Foo >>\nendobj\nxref\nbroken\n%%EOF\n";
    CHECK(nb_pdf_unpack(broken, sizeof broken - 1, 0, &out, &ulen) == NB_UNPACK_DAMAGED);
    CHECK(out == NULL);
    free(pdf);
    return check_report();
}
