/* SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits: the
 * store's identity of a source file. */
#ifndef NB_SHA256_H
#define NB_SHA256_H
#include <stddef.h>

void nb_sha256_hex(const void *data, size_t len, char out[65]);

#endif
