/* host.xlsx_book and host.xlsx_sheets: a workbook for a renderer to lay out
 * (libxlsxwriter) and the cells of a .xlsx for an importer to read
 * (io/xlsx_reader.h).  The layout and the meaning of cells live in the Lua
 * plugins (plugins/renderers/xlsx.lua, plugins/importers/xlsx.lua). */
#ifndef NB_XLSX_API_H
#define NB_XLSX_API_H
#include <lua.h>

/* Adds xlsx_book and xlsx_sheets to the host table at the top of the stack. */
void nb_xlsx_register(lua_State *L);

#endif
