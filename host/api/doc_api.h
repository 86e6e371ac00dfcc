/* host.docx_blocks, host.html_blocks and host.importer_of: documents read
 * in C (io/docx_reader.c, io/html_reader.c) handed to importer plugins as
 * neutral blocks, and the import function of another importer, so that an
 * importer can hand text on to the text importer instead of copying it. */
#ifndef NB_DOC_API_H
#define NB_DOC_API_H
#include "lua/registry.h"
#include <lua.h>

/* Adds docx_blocks, html_blocks and importer_of to the host table at the top of the stack. */
void nb_doc_api_register(lua_State *L, nb_host *h);

#endif
