/* See api_modules.h. */
#include "api/api_modules.h"
#include "api/bundle_api.h"
#include "api/csv_place.h"
#include "api/doc_api.h"
#include "api/host_api.h"
#include "api/json_cells_api.h"
#include "api/lua_import_api.h"
#include "api/lua_lib.h"
#include "api/pdf_api.h"
#include "api/pipe_api.h"
#include "api/registration.h"
#include "api/zip_writer.h"
#include "api/xlsx_api.h"
#include "text/text_clauses.h"
#include "text/text_place.h"
#include "text/text_layout.h"
#include "text/text_scan.h"

/* a module adds its functions to the table at the top of the stack; those
 * that read what plugins registered are given the host */
static const struct {
    void (*add)(lua_State *L);
    void (*add_with_host)(lua_State *L, nb_host *h);
} MODULES[] = {
    {NULL, nb_registration_register},  /* format, importer, renderer, format_decl, template … */
    {nb_host_api_register, NULL},      /* lines, norm, input_error, json, find_first … */
    {nb_import_api_register, NULL},    /* csv_rows, decode, sqlite_rows */
    {nb_text_layout_register, NULL},   /* text_layout */
    {nb_text_scan_register, NULL},     /* text_scan, utf8_valid … */
    {NULL, nb_text_place_register},    /* text_placer, text_place, text_marks … */
    {nb_text_clauses_register, NULL},  /* clauses */
    {nb_zip_register, NULL},           /* zip */
    {nb_xlsx_register, NULL},          /* xlsx_book, xlsx_sheets */
    {nb_lib_register, NULL},           /* lib */
    {NULL, nb_doc_api_register},       /* docx_blocks, html_blocks, importer_of */
    {nb_pdf_api_register, NULL},       /* pdf_words */
    {nb_pipe_api_register, NULL},      /* pipe_cells */
    {NULL, nb_bundle_api_register},    /* cell_bundle, bundle_row */
    {NULL, nb_json_cells_api_register}, /* json_apart, json_cells */
    {NULL, nb_csv_place_register},     /* csv_place */
};

void nb_api_push(lua_State *L, nb_host *h)
{
    lua_newtable(L);
    for (size_t i = 0; i < sizeof MODULES / sizeof MODULES[0]; i++) {
        if (MODULES[i].add)
            MODULES[i].add(L);
        else
            MODULES[i].add_with_host(L, h);
    }
    lua_pushstring(L, NB_VERSION);
    lua_setfield(L, -2, "version");
}
