/* Fuzz target: the json importer (plugins/importers/json.lua) in the real Lua
 * host, and the checks of the report it makes. */
#include "fuzz.h"

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    nb_fuzz_import("json", "fuzz.json", data, size, 0);
    return 0;
}
