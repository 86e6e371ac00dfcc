/* Fuzz target: the application register importer (plugins/importers/
 * register.lua) reading the input as a .csv, for 2023: in memory, as a CSV
 * register needs no path (a temporary file per input was a tenth of the
 * time; the SQLite one is register_sqlite's). */
#include "fuzz.h"

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    nb_fuzz_import("register", "fuzz.csv", data, size, 2023);
    return 0;
}
