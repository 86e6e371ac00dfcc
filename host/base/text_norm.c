/* See text_norm.h. */
#include "base/text_norm.h"
#include <stdint.h>
#include <string.h>

static size_t seq_len(unsigned char c)
{
    if (c < 0x80) return 1;
    if ((c & 0xE0) == 0xC0) return 2;
    if ((c & 0xF0) == 0xE0) return 3;
    if ((c & 0xF8) == 0xF0) return 4;
    return 1;
}

static unsigned decode(const unsigned char *s, size_t n)
{
    switch (n) {
    case 2: return ((s[0] & 0x1Fu) << 6) | (s[1] & 0x3Fu);
    case 3: return ((s[0] & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
    case 4: return ((s[0] & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
    default: return s[0];
    }
}

static int is_dropped(unsigned cp)
{
    switch (cp) {
    case ' ': case '\t': case '\r': case '\n': case 0xA0: case 0x3000:
    case '"': case '\'': case 0x201C: case 0x201D: case 0x2018: case 0x2019:
    case 0x300C: case 0x300D: case 0x300E: case 0x300F: case 0xFEFF:
        return 1;
    }
    return 0;
}

size_t nb_norm_label(const char *str, size_t len, char *out)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, o = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c >= 0xE4 && c <= 0xE9 && len - i >= 3) { /* U+4000–U+9FFF: CJK, copied as is */
            memcpy(out + o, s + i, 3);
            o += 3;
            i += 3;
            continue;
        }
        if (c < 0x80 && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '"' && c != '\'') {
            out[o++] = (char)c;
            i++;
            continue;
        }
        size_t n = seq_len(c);
        if (i + n > len)
            n = len - i;
        unsigned cp = decode(s + i, n);
        if (is_dropped(cp)) {
            i += n;
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E) {        /* full-width ASCII */
            out[o++] = (char)(cp - 0xFF01 + 0x21);
        } else if (cp == 0x3010 || cp == 0x3014) { /* 【 〔 */
            out[o++] = '[';
        } else if (cp == 0x3011 || cp == 0x3015) { /* 】 〕 */
            out[o++] = ']';
        } else {
            memcpy(out + o, s + i, n);
            o += n;
        }
        i += n;
    }
    out[o] = '\0';
    return o;
}

size_t nb_utf8_visible_chars(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, count = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) { /* ASCII and the common Chinese characters (U+4000 on) without decoding */
            count += !(c == ' ' || c == '\t' || c == '\r' || c == '\n');
            i++;
            continue;
        }
        if (c >= 0xE4 && c <= 0xEF && i + 3 <= len) {
            count++;
            i += 3;
            continue;
        }
        size_t n = seq_len(s[i]);
        if (i + n > len)
            n = len - i;
        unsigned cp = decode(s + i, n);
        if (!(cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0x3000 || cp == 0xA0))
            count++;
        i += n;
    }
    return count;
}

size_t nb_utf8_valid_prefix(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < len) {
        unsigned char c = s[i];
        if (c < 0x80) { /* most of a report: ASCII and three-byte characters */
            i++;
            /* a run of ASCII (a web page's markup) eight bytes at a time */
            for (uint64_t w; i + sizeof w <= len; i += sizeof w) {
                memcpy(&w, s + i, sizeof w);
                if (w & UINT64_C(0x8080808080808080))
                    break;
            }
            continue;
        }
        if ((c & 0xF0) == 0xE0 && i + 2 < len && ((s[i + 1] ^ 0x80u) | (s[i + 2] ^ 0x80u)) < 0x40u) {
            i += 3;
            continue;
        }
        size_t n = seq_len(c);
        if (n == 1 || c == 0xC0 || c == 0xC1 || c > 0xF4 || i + n > len)
            return i;
        for (size_t k = 1; k < n; k++)
            if ((s[i + k] & 0xC0) != 0x80)
                return i;
        i += n;
    }
    return len;
}

int nb_utf8_valid(const char *str, size_t len)
{
    return nb_utf8_valid_prefix(str, len) == len;
}

size_t nb_utf8_strict_seq(const char *str, size_t n)
{
    static const uint32_t limits[] = {~(uint32_t)0, 0x80, 0x800, 0x10000u, 0x200000u, 0x4000000u};
    const unsigned char *s = (const unsigned char *)str;
    unsigned c = s[0];
    uint32_t res = 0;
    size_t k = 0;
    if (c < 0x80)
        return 1;
    for (; c & 0x40; c <<= 1) {
        k++;
        if (k > 5 || k >= n || (s[k] & 0xC0) != 0x80)
            return 0;
        res = (res << 6) | (s[k] & 0x3F);
    }
    res |= (uint32_t)(c & 0x7F) << (k * 5);
    if (res > 0x7FFFFFFFu || res < limits[k] || res > 0x10FFFFu || (res >= 0xD800u && res <= 0xDFFFu))
        return 0;
    return k + 1;
}

static inline bool plain_lead3(unsigned c) { return c - 0xE1u < 15u && c != 0xED; }

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
/* The bytes of a report are runs of ASCII (line ends, tabs, digits) and runs
 * of three-byte characters whose lead byte alone rules out overlong forms and
 * surrogates (E1–EC, EE, EF).  A step takes eight bytes of ASCII, the ASCII
 * up to the next other byte, or four such characters (twelve bytes); else
 * one of them, else it stops where the byte loop must look.  Byte by byte it
 * was 4.4 instructions a byte of the generated reports, 6 % of a check. */
/* The four leads (bytes 0, 3, 6 and 9 of w and v, each 0xE?) are none of
 * E0 and ED: their low halves, with 1 in the other bytes, hold no 0 and no D. */
static inline bool plain_leads(uint64_t w, uint64_t v)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    uint64_t x = (w & 0x000F00000F00000Fu) | (v & 0x0F00u) | 0x0100010100010000u, y = x ^ (ones * 0x0D);
    return !(((x - ones) & ~x & highs) | ((y - ones) & ~y & highs));
}

static size_t plain_run(const unsigned char *s, size_t i, size_t n)
{
    while (i + 16 <= n) {
        uint64_t w, v;
        memcpy(&w, s + i, 8);
        uint64_t high = w & 0x8080808080808080u;
        if (!high) {
            i += 8;
            continue;
        }
        if (!(w & 0x80)) {
            i += (size_t)__builtin_ctzll(high) >> 3;
            continue;
        }
        memcpy(&v, s + i + 8, 8);
        /* lead, two continuation bytes, four times over; no lead E0 or ED */
        if ((w & 0xC0F0C0C0F0C0C0F0u) == 0x80E08080E08080E0u && (v & 0xC0C0F0C0u) == 0x8080E080u &&
            plain_leads(w, v)) {
            i += 12;
            continue;
        }
        if (plain_lead3(s[i]) && ((s[i + 1] ^ 0x80u) | (s[i + 2] ^ 0x80u)) < 0x40u) {
            i += 3;
            continue;
        }
        break;
    }
    return i;
}
#else
static size_t plain_run(const unsigned char *s, size_t i, size_t n)
{
    (void)s, (void)n;
    return i;
}
#endif

size_t nb_utf8_strict_prefix(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    for (;;) {
        i = plain_run(s, i, n);
        while (i + 16 > n && i + 2 < n) { /* the last bytes, and where there is no word step */
            unsigned c = s[i];
            if (c < 0x80)
                i++;
            else if (plain_lead3(c) && ((s[i + 1] ^ 0x80u) | (s[i + 2] ^ 0x80u)) < 0x40u)
                i += 3;
            else
                break;
        }
        if (i >= n)
            return n;
        size_t k = nb_utf8_strict_seq(str + i, n - i); /* anything else, and the last two bytes */
        if (k == 0)
            return i;
        i += k;
    }
}
