/* Reading the CSV files agencies actually have: saved by Excel or WPS in
 * UTF-8 (with or without a byte-order mark), in GBK/GB18030 (the default of
 * Chinese office software), or as "Unicode text" (UTF-16).  The encoding is
 * decided here and the text converted to UTF-8 with iconv; a file in no
 * encoding we can tell is an error naming the line, never mojibake.  Parsing
 * goes through libcsv in strict mode; every record keeps its source line.
 * Plain C: the Lua glue is in lua_import_api.c. */
#ifndef NB_CSV_READER_H
#define NB_CSV_READER_H
#include "base/arena.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
    uint32_t line;    /* 1-based; the first line of a record spanning lines */
    uint32_t column;  /* 1-based field number; 0 when about the whole line */
    char message[320];/* Chinese, for the user */
    bool too_big;     /* the parsed rows would pass the max_bytes given */
} nb_csv_error;

typedef struct {
    const char **cells; /* UTF-8, NUL-terminated, surrounding spaces trimmed */
    size_t ncells;
    uint32_t line;
} nb_csv_row;

typedef struct {
    nb_arena arena;       /* owns every row and cell */
    nb_csv_row *rows;
    size_t nrows, cap;
    const char *encoding; /* "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", "UTF-16BE" */
    char delimiter;       /* ',' or '\t' */
    size_t bytes;         /* memory held by the rows and cells, about */
    size_t max_bytes;
} nb_csv;

/* Decides the encoding of data and returns it as UTF-8 (malloc'd, caller
 * frees; NUL-terminated, no byte-order mark), its length in *outlen and the
 * encoding's name in *encoding.  NULL with err filled when the bytes are in
 * no encoding we can tell. */
char *nb_text_to_utf8(const char *data, size_t len, size_t *outlen, const char **encoding, nb_csv_error *err);

/* Decodes and parses a whole CSV file.  Every record must have as many
 * fields as the first (Excel and WPS always write them so; a record with
 * more or fewer is a misplaced comma).  NULL with err filled on failure. */
nb_csv *nb_csv_read(const char *data, size_t len, nb_csv_error *err);
/* The same, failing with err->too_big once the rows would hold more than
 * max_bytes (a plugin's memory ceiling); csv->bytes says what they hold. */
nb_csv *nb_csv_read_capped(const char *data, size_t len, size_t max_bytes, nb_csv_error *err);
void nb_csv_free(nb_csv *csv);

#endif
