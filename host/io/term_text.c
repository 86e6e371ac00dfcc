/* See term_text.h. */
#include "io/term_text.h"
#include "base/xalloc.h"
#include <stdlib.h>
#include <stdarg.h>

void nb_fputs_term(const char *s, FILE *out)
{
    const unsigned char *p = (const unsigned char *)s, *run = p;
    for (; *p; p++) {
        /* C0 controls, DEL, and C1 controls (U+0080–U+009F: C2 80–9F in UTF-8) */
        int c1 = p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F;
        if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7F || c1) {
            fwrite(run, 1, (size_t)(p - run), out);
            if (c1)
                p++;
            fprintf(out, "\\x%02x", *p);
            run = p + 1;
        }
    }
    fwrite(run, 1, (size_t)(p - run), out);
}

void nb_printf_term(FILE *out, const char *fmt, ...)
{
    va_list ap, copy;
    va_start(ap, fmt);
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n >= 0) {
        char *buf = nb_xmalloc((size_t)n + 1);
        vsnprintf(buf, (size_t)n + 1, fmt, ap);
        nb_fputs_term(buf, out);
        free(buf);
    }
    va_end(ap);
}
