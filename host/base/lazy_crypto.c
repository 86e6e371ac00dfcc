/* libcrypto, opened when the first SHA-256 is computed (`nianbao add`):
 * linked in, its thousands of relocations were paid at every start
 * (base/lazy_lib.h).  SHA256 is defined here and binds libcrypto's own on
 * its first call. */
#include "base/lazy_lib.h"
#include <openssl/sha.h>

static nb_lazy_lib crypto = {.sonames = {"libcrypto.so.3", "libcrypto.so", NULL}, .package = "libssl3"};

NB_LAZY_FN(crypto, unsigned char *, SHA256, (const unsigned char *data, size_t len, unsigned char *md),
           (data, len, md))
