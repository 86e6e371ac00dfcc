/* Exact sums of cell terms for assertions.  A cell holds at most about
 * 9.2·10^12 (int64 millionths), so a sum of several cells can pass INT64_MAX;
 * sums are kept in 128 bits, where a product of a cell and a whole
 * coefficient always fits and an addition is checked.  A rule is never
 * skipped because its numbers are large. */
#ifndef NB_DEC_SUM_H
#define NB_DEC_SUM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

__extension__ typedef __int128 nb_dec_sum;

/* *acc += micro × coef; false (acc unchanged) only if 128 bits overflow. */
bool nb_dec_sum_add(nb_dec_sum *acc, int64_t micro, int64_t coef);

/* Canonical text of a sum, like nb_dec_format: "12", "-3", "1.5". buf ≥ 48 bytes. */
void nb_dec_sum_format(nb_dec_sum v, char *buf, size_t size);

#endif
