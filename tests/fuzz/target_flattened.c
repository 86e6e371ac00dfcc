/* Fuzz target: the flattened importer (plugins/importers/flattened.lua) in the real Lua
 * host, and the checks of the report it makes. */
#include "fuzz.h"

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    nb_fuzz_import("flattened", "fuzz.txt", data, size, 0);
    return 0;
}
