/* See dec_sum.h. */
#include "model/dec_sum.h"
#include "model/decimal.h"
#include <string.h>

bool nb_dec_sum_add(nb_dec_sum *acc, int64_t micro, int64_t coef)
{
    nb_dec_sum term = (nb_dec_sum)micro * (nb_dec_sum)coef; /* |term| ≤ 2^126: exact */
    nb_dec_sum out;
    if (__builtin_add_overflow(*acc, term, &out))
        return false;
    *acc = out;
    return true;
}

void nb_dec_sum_format(nb_dec_sum v, char *buf, size_t size)
{
    __extension__ typedef unsigned __int128 u128;
    char tmp[64], *p = tmp + sizeof tmp;
    u128 m = v < 0 ? (u128)0 - (u128)v : (u128)v;
    u128 whole = m / NB_DEC_SCALE;
    unsigned frac = (unsigned)(m % NB_DEC_SCALE);
    if (frac) {
        int digits = NB_DEC_DIGITS;
        for (; frac % 10 == 0; frac /= 10)
            digits--;
        for (; digits > 0; digits--, frac /= 10)
            *--p = (char)('0' + frac % 10);
        *--p = '.';
    }
    do
        *--p = (char)('0' + (int)(whole % 10));
    while ((whole /= 10) != 0);
    if (v < 0)
        *--p = '-';
    if (size == 0)
        return;
    size_t n = (size_t)(tmp + sizeof tmp - p);
    if (n >= size)
        n = size - 1;
    memcpy(buf, p, n);
    buf[n] = '\0';
}
