/* See strbuf.h. */
#include "base/strbuf.h"
#include "base/xalloc.h"
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void nb_sb_init(nb_strbuf *sb) { sb->data = NULL; sb->len = sb->cap = 0; }
void nb_sb_free(nb_strbuf *sb) { free(sb->data); nb_sb_init(sb); }

static void reserve(nb_strbuf *sb, size_t extra)
{
    if (sb->len + extra + 1 <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap * 2 : 64;
    while (cap < sb->len + extra + 1)
        cap *= 2;
    sb->data = nb_xrealloc(sb->data, cap);
    sb->cap = cap;
}

void nb_sb_append(nb_strbuf *sb, const char *s, size_t n)
{
    reserve(sb, n);
    memcpy(sb->data + sb->len, s, n);
    sb->len += n;
    sb->data[sb->len] = '\0';
}

char *nb_sb_room(nb_strbuf *sb, size_t n)
{
    reserve(sb, n);
    return sb->data + sb->len;
}

void nb_sb_puts(nb_strbuf *sb, const char *s) { nb_sb_append(sb, s, strlen(s)); }

void nb_sb_printf(nb_strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n > 0) {
        reserve(sb, (size_t)n);
        vsnprintf(sb->data + sb->len, (size_t)n + 1, fmt, ap2);
        sb->len += (size_t)n;
    }
    va_end(ap2);
}

char *nb_sb_take(nb_strbuf *sb)
{
    reserve(sb, 0);
    sb->data[sb->len] = '\0'; /* an empty buffer was never written: terminate it */
    char *p = sb->data;
    nb_sb_init(sb);
    return p;
}
