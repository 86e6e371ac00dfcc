/* Fuzz targets: each target file defines nb_fuzz_one, which feeds one input
 * to the real code (the Lua host with the real plugins for importers).  The
 * same file builds two ways: with libFuzzer (fuzz_main.c, scripts/fuzz) and
 * as a replay program of the normal build (replay_main.c) that meson test
 * runs over the committed corpus tests/fuzz/corpus/TARGET/. */
#ifndef NB_FUZZ_H
#define NB_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/* One input; returns 0 (libFuzzer's convention).  A crash, a leak or a
 * sanitizer report is the failure; refused input is not. */
int nb_fuzz_one(const uint8_t *data, size_t size);

/* Set up once per process (the Lua host: its state is made once and reused
 * across inputs).  Called before the first input by both mains. */
void nb_fuzz_init(void);

/* Imports data through importer via as the file name (its extension
 * matters to some importers) and checks the report; year 0 = as stated. */
void nb_fuzz_import(const char *via, const char *name, const uint8_t *data, size_t size, int year);

/* The same through a temporary file of that extension (importers that read
 * the file by its path: the register's SQLite). */
void nb_fuzz_import_file(const char *via, const char *ext, const uint8_t *data, size_t size, int year);

/* Sets name in the host table that importer's plugin file was given (its
 * import function's upvalue) to fn: a target feeding the importer's own
 * code through a stand-in for a reader in C (pdf_layout: the words of a
 * PDF without poppler).  Aborts when the importer or the name is not
 * there. */
struct lua_State;
void nb_fuzz_replace_api(const char *importer, const char *name, int (*fn)(struct lua_State *L));

/* CPU seconds so far of this process and its children, live (the PDF
 * reader) or waited for (fuzz_clock.c): an input's cost is the difference
 * around it. */
double nb_fuzz_cpu_seconds(void);

/* Prints what the imports ended with (reports, refused inputs, plugin
 * errors) to stderr. */
void nb_fuzz_summary(void);

#endif
