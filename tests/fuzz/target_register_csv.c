/* Fuzz target: the application register importer (plugins/importers/
 * register.lua) reading a .csv file written from the input, for 2023. */
#include "fuzz.h"

int nb_fuzz_one(const uint8_t *data, size_t size)
{
    nb_fuzz_import_file("register", "csv", data, size, 2023);
    return 0;
}
