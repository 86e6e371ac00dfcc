/* Exact decimals for cell values.  Counts and amounts (万元 with up to six
 * decimals) are held as integers in millionths, so sums and comparisons are
 * exact; binary floating point never touches a value. */
#ifndef NB_DECIMAL_H
#define NB_DECIMAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NB_DEC_SCALE 1000000LL
#define NB_DEC_DIGITS 6

typedef enum {
    NB_PARSE_VALUE,      /* a number was written */
    NB_PARSE_BLANK,      /* nothing was written */
    NB_PARSE_NA,         /* a "not applicable" mark: / — - */
    NB_PARSE_NOT_NUMBER, /* something else: letters, two numbers, ... */
    NB_PARSE_TOO_PRECISE,/* more than six decimals */
    NB_PARSE_OVERFLOW    /* beyond what a report can hold */
} nb_parse_status;

typedef struct {
    nb_parse_status status;
    int64_t micro;       /* value × 10^6 */
    bool has_fraction;   /* a non-zero fractional part was written */
    bool negative;
    bool nonstandard;    /* full-width digits, separators, spaces: text ≠ canonical form */
    char unit[16];       /* a unit written after the number (元, 万元, 件…), UTF-8 */
} nb_parsed;

/* Reads one cell as written.  Accepts full-width digits and signs,
 * thousands separators, surrounding spaces and a trailing unit. */
nb_parsed nb_parse_cell(const char *text, size_t len);

/* Canonical text of a value: "12", "-3", "24252.311082". buf ≥ 32 bytes. */
void nb_dec_format(int64_t micro, char *buf, size_t size);

/* a*b/scale is not needed: rules multiply by whole constants only.  Inline:
 * an assertion's every term goes through both. */
static inline bool nb_dec_add(int64_t a, int64_t b, int64_t *out) { return !__builtin_add_overflow(a, b, out); }
static inline bool nb_dec_mul_int(int64_t a, int64_t k, int64_t *out) { return !__builtin_mul_overflow(a, k, out); }

#endif
