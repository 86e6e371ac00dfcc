/* Fuzz target: the html importer (plugins/importers/html.lua) in the real Lua
 * host, and the checks of the report it makes. */
#include "fuzz.h"

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    nb_fuzz_import("html", "fuzz.html", data, size, 0);
    return 0;
}
