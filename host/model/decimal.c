/* See decimal.h.  The parser walks UTF-8 once and maps the full-width forms
 * Chinese office software produces onto ASCII before reading digits. */
#include "model/decimal.h"
#include <string.h>

/* Returns the ASCII equivalent of a full-width or typographic character at s,
 * or 0; *adv receives the byte length consumed. */
static int ascii_of(const unsigned char *s, size_t len, size_t *adv)
{
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBC && s[2] >= 0x90 && s[2] <= 0x99) {
        *adv = 3; /* ０-９ U+FF10..FF19 */
        return '0' + (s[2] - 0x90);
    }
    if (len >= 3 && s[0] == 0xEF && s[1] == 0xBC) {
        *adv = 3;
        switch (s[2]) {
        case 0x8D: return '-'; /* － */
        case 0x8B: return '+'; /* ＋ */
        case 0x8E: return '.'; /* ． */
        case 0x8C: return ','; /* ， */
        }
    }
    if (len >= 3 && s[0] == 0xE3 && s[1] == 0x80 && s[2] == 0x80) {
        *adv = 3; /* ideographic space */
        return ' ';
    }
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0) {
        *adv = 2; /* no-break space */
        return ' ';
    }
    *adv = 1;
    return s[0] < 0x80 ? s[0] : 0;
}

static bool is_na_mark(const char *t, size_t n)
{
    static const char *const marks[] = {"/", "-", "—", "——", "－", "／", "–", "-—", "—-", "\\", NULL};
    for (size_t i = 0; marks[i]; i++)
        if (strlen(marks[i]) == n && memcmp(marks[i], t, n) == 0)
            return true;
    return false;
}

static bool is_space_byte(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

nb_parsed nb_parse_cell(const char *text, size_t len)
{
    nb_parsed r;
    memset(&r, 0, sizeof r);
    const unsigned char *s = (const unsigned char *)text;
    size_t i = 0, end = len, adv;

    /* most cells are a few ASCII digits: read them at once (the result is
     * what the general reading below gives; 11 digits cannot overflow) */
    while (i < len && i < 11 && s[i] >= '0' && s[i] <= '9')
        r.micro = r.micro * 10 + (s[i++] - '0');
    if (i == len && len > 0) {
        r.micro *= NB_DEC_SCALE;
        r.status = NB_PARSE_VALUE;
        return r;
    }
    r.micro = 0;
    i = 0;

    /* trim ASCII and wide spaces at both ends */
    while (i < end && (is_space_byte(ascii_of(s + i, end - i, &adv)) && ascii_of(s + i, end - i, &adv) != 0))
        i += adv;
    while (end > i) {
        if (is_space_byte(s[end - 1])) { end--; continue; }
        if (end - i >= 3 && s[end - 3] == 0xE3 && s[end - 2] == 0x80 && s[end - 1] == 0x80) { end -= 3; continue; }
        if (end - i >= 2 && s[end - 2] == 0xC2 && s[end - 1] == 0xA0) { end -= 2; continue; }
        break;
    }
    if (i == end) {
        r.status = NB_PARSE_BLANK;
        return r;
    }
    if (is_na_mark(text + i, end - i)) {
        r.status = NB_PARSE_NA;
        return r;
    }
    if (i != 0 || end != len)
        r.nonstandard = true;

    int c = ascii_of(s + i, end - i, &adv);
    if (c == '-' || c == '+') {
        r.negative = c == '-';
        if (c == '+' || adv > 1)
            r.nonstandard = true;
        i += adv;
    }
    int64_t whole = 0, frac = 0;
    int ndigits = 0, nfrac = 0;
    int group = -1; /* digits since the last thousands separator; -1: none yet */
    bool in_frac = false;
    while (i < end) {
        c = ascii_of(s + i, end - i, &adv);
        if (adv > 1)
            r.nonstandard = true;
        if (c >= '0' && c <= '9') {
            if (in_frac) {
                if (nfrac >= NB_DEC_DIGITS) {
                    if (c != '0') {
                        r.status = NB_PARSE_TOO_PRECISE;
                        return r;
                    }
                    r.nonstandard = true;
                } else {
                    frac = frac * 10 + (c - '0');
                    nfrac++;
                }
            } else {
                if (whole > (INT64_MAX / NB_DEC_SCALE - 9) / 10) {
                    r.status = NB_PARSE_OVERFLOW;
                    return r;
                }
                whole = whole * 10 + (c - '0');
                if (group >= 0)
                    group++;
            }
            ndigits++;
        } else if (c == '.' && !in_frac && ndigits > 0) {
            if (group >= 0 && group != 3)
                break; /* "1,23.5": not a thousands separator */
            in_frac = true;
        } else if (c == ',' && !in_frac && ndigits > 0) {
            /* a thousands separator: 1 to 3 digits before the first, 3 between */
            if (group < 0 ? ndigits > 3 : group != 3)
                break;
            group = 0;
            r.nonstandard = true;
        } else {
            break;
        }
        i += adv;
    }
    if (ndigits == 0 || (!in_frac && group >= 0 && group != 3)) {
        r.status = NB_PARSE_NOT_NUMBER; /* no digits, or "1,2": two numbers or a typo, not 12 */
        return r;
    }
    /* what follows the digits may only be a short unit */
    while (i < end && s[i] == ' ')
        i++;
    if (i < end) {
        size_t ulen = end - i;
        static const char *const units[] = {"元", "万元", "件", "个", "项", "条", "次", NULL};
        bool known = false;
        for (size_t k = 0; units[k]; k++)
            if (strlen(units[k]) == ulen && memcmp(units[k], s + i, ulen) == 0)
                known = true;
        if (!known) {
            r.status = NB_PARSE_NOT_NUMBER;
            return r;
        }
        memcpy(r.unit, s + i, ulen);
        r.unit[ulen] = '\0';
        r.nonstandard = true;
    }
    while (nfrac < NB_DEC_DIGITS) {
        frac *= 10;
        nfrac++;
    }
    r.has_fraction = frac != 0;
    r.micro = whole * NB_DEC_SCALE + frac;
    if (r.negative)
        r.micro = -r.micro;
    if (r.negative && r.micro == 0)
        r.negative = false;
    r.status = NB_PARSE_VALUE;
    return r;
}

void nb_dec_format(int64_t micro, char *buf, size_t size)
{
    /* written backwards into tmp: this runs for every cell of every report */
    char tmp[32], *p = tmp + sizeof tmp;
    uint64_t m = micro < 0 ? (uint64_t)0 - (uint64_t)micro : (uint64_t)micro;
    uint64_t whole = m / NB_DEC_SCALE, frac = m % NB_DEC_SCALE;
    if (frac) {
        int digits = 6;
        for (; frac % 10 == 0; frac /= 10)
            digits--; /* no trailing zeros */
        for (; digits > 0; digits--, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do
        *--p = (char)('0' + whole % 10);
    while ((whole /= 10) != 0);
    if (micro < 0)
        *--p = '-';
    if (size == 0)
        return;
    size_t n = (size_t)(tmp + sizeof tmp - p);
    if (n >= size)
        n = size - 1; /* cut as snprintf would */
    memcpy(buf, p, n);
    buf[n] = '\0';
}

