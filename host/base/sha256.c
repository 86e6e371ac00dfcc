/* See sha256.h.  OpenSSL's libcrypto computes it: it uses the processor's
 * SHA instructions where there are some (about ten times the speed of a
 * portable C loop, which was a tenth of `nianbao add`'s time). */
#include "base/sha256.h"
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>

void nb_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    if (!SHA256(data, len, md)) {
        fputs("nianbao: 内存不足（计算 SHA-256）\n", stderr);
        exit(2);
    }
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}
