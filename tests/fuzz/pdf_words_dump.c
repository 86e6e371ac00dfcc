/* Writes a PDF's words (io/pdf_reader.c, poppler) in the input form of the
 * pdf_layout fuzz target (target_pdf_layout.c): its seeds are the words of
 * real PDFs.   pdf_words_dump FILE.pdf > corpus/pdf_layout/NAME */
#include "io/pdf_reader.h"
#include "plugin/import.h"
#include "base/strbuf.h"
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "用法：%s FILE.pdf\n", argv[0]);
        return 2;
    }
    nb_strbuf err;
    nb_sb_init(&err);
    size_t len;
    char *data = nb_read_file(argv[1], &len, &err);
    if (!data) {
        fprintf(stderr, "%s", err.data);
        return 2;
    }
    nb_pdf p;
    nb_pdf_init(&p);
    char msg[512];
    if (!nb_pdf_read(data, len, &p, msg, sizeof msg)) {
        fprintf(stderr, "%s：%s\n", argv[1], msg);
        return 2;
    }
    for (size_t i = 0; i < p.npages; i++) {
        const nb_pdf_page *pg = &p.pages[i];
        printf("@ %.2f %.2f\n", pg->width, pg->height);
        size_t w = 0;
        for (size_t l = 0; l < pg->nlines; l++) {
            for (const char *sep = ""; w < pg->nwords && pg->words[w].line == l; w++, sep = "\t") {
                const nb_pdf_word *wd = &pg->words[w];
                printf("%s%.2f %.2f %.2f %.2f %s", sep, wd->x0, wd->y0, wd->x1, wd->y1, wd->text);
            }
            putchar('\n');
        }
    }
    nb_pdf_free(&p);
    free(data);
    nb_sb_free(&err);
    return 0;
}
