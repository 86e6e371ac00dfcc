/* A test shim (LD_PRELOAD) that hides libqpdf: dlopen of it fails, as on
 * a machine without it, so that poppler reads a PDF as it is (libqpdf is
 * optional: io/pdf_unpack.h) and a damaged file's claims reach poppler
 * (tests/cases/pdf.sh, the PDF reader's memory limit). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <string.h>

void *dlopen(const char *name, int flags)
{
    if (name && strstr(name, "libqpdf"))
        return NULL;
    void *(*real)(const char *, int) = (void *(*)(const char *, int))dlsym(RTLD_NEXT, "dlopen");
    if (!real)
        __builtin_trap();
    return real(name, flags);
}
