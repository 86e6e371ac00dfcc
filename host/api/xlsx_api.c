/* See xlsx_api.h.  host.xlsx_book() lends a renderer a workbook of
 * libxlsxwriter (Debian's libxlsxwriter): the layout lives in the Lua
 * renderer, which calls book:format, book:sheet, book:text, book:number,
 * book:formula, book:merge, book:validation, book:comment, book:column,
 * book:row, book:freeze and finally book:close, which returns the bytes.
 * Rows and columns are 1-based, as in Lua.
 *
 * libxlsxwriter 1.1.4 writes only to a file: the book writes to a private
 * temporary file, reads it back and removes it.  The workbook and the file
 * are owned by the userdata (its __gc frees the one and removes the other),
 * so a raise at any point leaks neither.  Options are read with raw access:
 * no plugin code runs while C holds anything. */
#include "api/xlsx_api.h"
#include "io/xlsx_reader.h"
#include "lua/lua_sandbox.h"
#include "lua/lua_values.h"
#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

enum { MAX_FORMATS = 64, MAX_SHEETS = 32, MAX_ROWS = 100000, MAX_COLS = 1000 };
#define BOOK "nianbao.xlsx_book"

typedef struct {
    lxw_workbook *wb;
    char path[256]; /* the temporary file, "" once removed */
    lxw_format *formats[MAX_FORMATS];
    int nformats;
    lxw_worksheet *sheets[MAX_SHEETS];
    int nsheets;
} xlsx_book;

static void book_release(xlsx_book *b)
{
    if (b->wb)
        lxw_workbook_free(b->wb);
    b->wb = NULL;
    if (b->path[0])
        unlink(b->path);
    b->path[0] = '\0';
}

static int book_gc(lua_State *L)
{
    book_release(luaL_checkudata(L, 1, BOOK));
    return 0;
}

static xlsx_book *open_book(lua_State *L)
{
    xlsx_book *b = luaL_checkudata(L, 1, BOOK);
    if (!b->wb)
        luaL_error(L, "host.xlsx_book：工作簿已经关闭，不能再使用");
    return b;
}

static lxw_worksheet *sheet_arg(lua_State *L, xlsx_book *b, int arg)
{
    lua_Integer s = luaL_checkinteger(L, arg);
    if (s < 1 || s > b->nsheets)
        luaL_error(L, "host.xlsx_book：没有第 %d 个工作表", (int)s);
    return b->sheets[s - 1];
}

static lxw_row_t row_arg(lua_State *L, int arg)
{
    lua_Integer r = luaL_checkinteger(L, arg);
    if (r < 1 || r > MAX_ROWS)
        luaL_error(L, "host.xlsx_book：行 %d 超出范围 1…%d", (int)r, MAX_ROWS);
    return (lxw_row_t)(r - 1);
}

static lxw_col_t col_arg(lua_State *L, int arg)
{
    lua_Integer c = luaL_checkinteger(L, arg);
    if (c < 1 || c > MAX_COLS)
        luaL_error(L, "host.xlsx_book：列 %d 超出范围 1…%d", (int)c, MAX_COLS);
    return (lxw_col_t)(c - 1);
}

static lxw_format *format_arg(lua_State *L, xlsx_book *b, int arg)
{
    if (lua_isnoneornil(L, arg))
        return NULL;
    lua_Integer f = luaL_checkinteger(L, arg);
    if (f < 1 || f > b->nformats)
        luaL_error(L, "host.xlsx_book：没有第 %d 个格式", (int)f);
    return b->formats[f - 1];
}

static int check(lua_State *L, lxw_error e, const char *what)
{
    if (e != LXW_NO_ERROR)
        return luaL_error(L, "host.xlsx_book：%s 出错：%s", what, lxw_strerror(e));
    return 0;
}

/* A string option of the table at idx (raw), or NULL. */
static const char *opt_str(lua_State *L, int idx, const char *key)
{
    lua_pushstring(L, key);
    int t = lua_rawget(L, idx);
    const char *s = t == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
    if (t != LUA_TNIL && t != LUA_TSTRING)
        luaL_error(L, "host.xlsx_book：选项 %s 应为字符串", key);
    lua_pop(L, 1); /* the string stays alive in the option table */
    return s;
}

static lua_Number opt_num(lua_State *L, int idx, const char *key, lua_Number dflt)
{
    lua_pushstring(L, key);
    int t = lua_rawget(L, idx);
    lua_Number n = dflt;
    if (t == LUA_TNUMBER)
        n = lua_tonumber(L, -1);
    else if (t == LUA_TBOOLEAN)
        n = lua_toboolean(L, -1) ? 1 : 0;
    else if (t != LUA_TNIL)
        luaL_error(L, "host.xlsx_book：选项 %s 应为数或布尔值", key);
    lua_pop(L, 1);
    return n;
}

/* book:format{ bold =, wrap =, align = "left"|"center"|"right", valign =
 * "top"|"center", border = 1, bg = 0xRRGGBB, color = 0xRRGGBB, size =,
 * font =, num = "0", unlocked = true } -> format id */
static int book_format(lua_State *L)
{
    xlsx_book *b = open_book(L);
    luaL_checktype(L, 2, LUA_TTABLE);
    if (b->nformats == MAX_FORMATS)
        return luaL_error(L, "host.xlsx_book：格式数超过 %d", MAX_FORMATS);
    lxw_format *f = workbook_add_format(b->wb);
    if (!f)
        return luaL_error(L, "host.xlsx_book：内存不足");
    b->formats[b->nformats++] = f;
    if (opt_num(L, 2, "bold", 0))
        format_set_bold(f);
    if (opt_num(L, 2, "wrap", 0))
        format_set_text_wrap(f);
    const char *align = opt_str(L, 2, "align"), *valign = opt_str(L, 2, "valign");
    if (align)
        format_set_align(f, strcmp(align, "center") == 0  ? LXW_ALIGN_CENTER
                            : strcmp(align, "right") == 0 ? LXW_ALIGN_RIGHT
                                                          : LXW_ALIGN_LEFT);
    if (valign)
        format_set_align(f, strcmp(valign, "top") == 0 ? LXW_ALIGN_VERTICAL_TOP : LXW_ALIGN_VERTICAL_CENTER);
    int border = (int)opt_num(L, 2, "border", 0);
    if (border > 0 && border < 14)
        format_set_border(f, (uint8_t)border);
    lua_Number bg = opt_num(L, 2, "bg", -1), color = opt_num(L, 2, "color", -1), size = opt_num(L, 2, "size", 0);
    if (bg >= 0 && bg <= 0xffffff)
        format_set_bg_color(f, (lxw_color_t)bg);
    if (color >= 0 && color <= 0xffffff)
        format_set_font_color(f, (lxw_color_t)color);
    if (size > 0 && size < 400)
        format_set_font_size(f, size);
    const char *font = opt_str(L, 2, "font"), *num = opt_str(L, 2, "num");
    if (font)
        format_set_font_name(f, font);
    if (num)
        format_set_num_format(f, num);
    if (opt_num(L, 2, "unlocked", 0))
        format_set_unlocked(f);
    lua_pushinteger(L, b->nformats);
    return 1;
}

/* book:sheet(name) -> sheet id */
static int book_sheet(lua_State *L)
{
    xlsx_book *b = open_book(L);
    const char *name = luaL_checkstring(L, 2);
    if (b->nsheets == MAX_SHEETS)
        return luaL_error(L, "host.xlsx_book：工作表数超过 %d", MAX_SHEETS);
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, name);
    if (!ws)
        return luaL_error(L, "host.xlsx_book：无法添加工作表 '%s'（名称太长或重复了？）", name);
    b->sheets[b->nsheets++] = ws;
    lua_pushinteger(L, b->nsheets);
    return 1;
}

/* book:column(sheet, first, last, width [, format]) */
static int book_column(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_col_t c1 = col_arg(L, 3), c2 = col_arg(L, 4);
    return check(L, worksheet_set_column(ws, c1, c2, luaL_checknumber(L, 5), format_arg(L, b, 6)), "column");
}

/* book:row(sheet, row, height) */
static int book_row(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    return check(L, worksheet_set_row(ws, row_arg(L, 3), luaL_checknumber(L, 4), NULL), "row");
}

/* book:text(sheet, row, col, text [, format]); an empty text writes a blank cell */
static int book_text(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r = row_arg(L, 3);
    lxw_col_t c = col_arg(L, 4);
    const char *s = luaL_checkstring(L, 5);
    lxw_format *f = format_arg(L, b, 6);
    return check(L, s[0] ? worksheet_write_string(ws, r, c, s, f) : worksheet_write_blank(ws, r, c, f), "text");
}

/* book:number(sheet, row, col, n [, format]) */
static int book_number(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r = row_arg(L, 3);
    lxw_col_t c = col_arg(L, 4);
    return check(L, worksheet_write_number(ws, r, c, luaL_checknumber(L, 5), format_arg(L, b, 6)), "number");
}

/* book:formula(sheet, row, col, "=SUM(B3:G3)", format, cached): cached (a
 * number or a string) is the value a reader sees before recalculating */
static int book_formula(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r = row_arg(L, 3);
    lxw_col_t c = col_arg(L, 4);
    const char *formula = luaL_checkstring(L, 5);
    lxw_format *f = format_arg(L, b, 6);
    if (lua_type(L, 7) == LUA_TNUMBER)
        return check(L, worksheet_write_formula_num(ws, r, c, formula, f, lua_tonumber(L, 7)), "formula");
    return check(L, worksheet_write_formula_str(ws, r, c, formula, f, luaL_optstring(L, 7, "")), "formula");
}

/* book:merge(sheet, row1, col1, row2, col2, text [, format]) */
static int book_merge(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r1 = row_arg(L, 3), r2 = row_arg(L, 5);
    lxw_col_t c1 = col_arg(L, 4), c2 = col_arg(L, 6);
    const char *s = luaL_checkstring(L, 7);
    if (r2 < r1 || c2 < c1)
        return luaL_error(L, "host.xlsx_book：合并区域的终点在起点之前");
    return check(L, worksheet_merge_range(ws, r1, c1, r2, c2, s, format_arg(L, b, 8)), "merge");
}

/* book:validation(sheet, row1, col1, row2, col2, { formula = "=…" (custom,
 * relative to the first cell), title =, message = (shown on entry),
 * error_title =, error = (shown on a refused entry) }) */
static int book_validation(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r1 = row_arg(L, 3), r2 = row_arg(L, 5);
    lxw_col_t c1 = col_arg(L, 4), c2 = col_arg(L, 6);
    luaL_checktype(L, 7, LUA_TTABLE);
    lxw_data_validation v;
    memset(&v, 0, sizeof v);
    v.validate = LXW_VALIDATION_TYPE_CUSTOM_FORMULA;
    v.value_formula = (char *)opt_str(L, 7, "formula");
    if (!v.value_formula)
        return luaL_error(L, "host.xlsx_book：数据验证需要 formula");
    v.ignore_blank = LXW_VALIDATION_ON;
    v.show_input = LXW_VALIDATION_ON;
    v.show_error = LXW_VALIDATION_ON;
    v.error_type = LXW_VALIDATION_ERROR_TYPE_STOP;
    v.input_title = (char *)opt_str(L, 7, "title");
    v.input_message = (char *)opt_str(L, 7, "message");
    v.error_title = (char *)opt_str(L, 7, "error_title");
    v.error_message = (char *)opt_str(L, 7, "error");
    return check(L, worksheet_data_validation_range(ws, r1, c1, r2, c2, &v), "validation");
}

/* book:comment(sheet, row, col, text [, { author =, width =, height = }]) */
static int book_comment(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lxw_row_t r = row_arg(L, 3);
    lxw_col_t c = col_arg(L, 4);
    const char *text = luaL_checkstring(L, 5);
    lxw_comment_options o;
    memset(&o, 0, sizeof o);
    if (lua_istable(L, 6)) {
        o.author = (char *)opt_str(L, 6, "author");
        o.width = (uint16_t)opt_num(L, 6, "width", 0);
        o.height = (uint16_t)opt_num(L, 6, "height", 0);
    }
    return check(L, worksheet_write_comment_opt(ws, r, c, text, &o), "comment");
}

/* book:freeze(sheet, row, col): rows above and columns left stay in view */
static int book_freeze(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_worksheet *ws = sheet_arg(L, b, 2);
    lua_Integer r = luaL_checkinteger(L, 3), c = luaL_checkinteger(L, 4);
    if (r < 0 || r > MAX_ROWS || c < 0 || c > MAX_COLS)
        return luaL_error(L, "host.xlsx_book：冻结位置超出范围");
    worksheet_freeze_panes(ws, (lxw_row_t)r, (lxw_col_t)c);
    return 0;
}

/* book:close() -> the bytes of the .xlsx */
static int book_close(lua_State *L)
{
    xlsx_book *b = open_book(L);
    lxw_workbook *wb = b->wb;
    b->wb = NULL; /* workbook_close frees it, whatever it returns */
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR)
        return luaL_error(L, "host.xlsx_book：无法写出工作簿：%s", lxw_strerror(e));
    struct stat st;
    if (stat(b->path, &st) != 0 || st.st_size <= 0 || st.st_size > (64 << 20))
        return luaL_error(L, "host.xlsx_book：无法读回写好的工作簿");
    size_t n = (size_t)st.st_size;
    /* the buffer is a userdata made before the file is opened: nothing C
     * owns is held across a call that can raise */
    char *ud = lua_newuserdatauv(L, n, 0);
    FILE *f = fopen(b->path, "rb");
    size_t got = f ? fread(ud, 1, n, f) : 0;
    if (f)
        fclose(f);
    book_release(b);
    if (got != n)
        return luaL_error(L, "host.xlsx_book：无法读回写好的工作簿");
    lua_pushlstring(L, ud, n);
    return 1;
}

/* host.xlsx_book() -> a workbook */
static int api_xlsx_book(lua_State *L)
{
    xlsx_book *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    if (luaL_newmetatable(L, BOOK)) {
        static const luaL_Reg methods[] = {
            {"format", book_format}, {"sheet", book_sheet},   {"column", book_column},
            {"row", book_row},       {"text", book_text},     {"number", book_number},
            {"formula", book_formula}, {"merge", book_merge}, {"validation", book_validation},
            {"comment", book_comment}, {"freeze", book_freeze}, {"close", book_close},
            {NULL, NULL}};
        luaL_newlib(L, methods);
        lua_setfield(L, -2, "__index");
        lua_pushcfunction(L, book_gc);
        lua_setfield(L, -2, "__gc");
        lua_pushboolean(L, 0);
        lua_setfield(L, -2, "__metatable");
    }
    lua_setmetatable(L, -2);
    const char *dir = getenv("TMPDIR");
    snprintf(b->path, sizeof b->path, "%s/nianbao-xlsx-XXXXXX", dir && *dir && strlen(dir) < 200 ? dir : "/tmp");
    int fd = mkstemp(b->path);
    if (fd < 0) {
        b->path[0] = '\0';
        return luaL_error(L, "host.xlsx_book：无法创建临时文件（请检查 TMPDIR）");
    }
    close(fd);
    lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = NULL};
    b->wb = workbook_new_opt(b->path, &opt);
    if (!b->wb)
        return luaL_error(L, "host.xlsx_book：无法创建工作簿");
    return 1;
}

/* The cells count against the plugin's memory ceiling while they live, as
 * host.csv_rows's rows do. */
typedef struct {
    nb_xlsx_book book;
    size_t charged;
} sheets_box;

static int sheets_gc(lua_State *L)
{
    sheets_box *box = lua_touserdata(L, 1);
    if (box->charged)
        nb_sandbox_release(L, box->charged);
    box->charged = 0;
    nb_xlsx_free(&box->book);
    return 0;
}

static int raise_memory(lua_State *L)
{
    nb_sandbox_charge(L, SIZE_MAX); /* marks the ceiling as reached */
    return luaL_error(L, "电子表格读取器的 C 缓冲区达到了内存上限");
}

static void set_int(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

/* host.xlsx_sheets(bytes) -> { { name =, cells = { { row =, col =, value =,
 * type = "s"|"n"|"b"|"e"|" ", formula =, cached = }, … }, merges = { { r1 =,
 * c1 =, r2 =, c2 = }, … } }, … }; a file that is no readable .xlsx is an
 * input error.  The C structure is owned by a userdata while it is pushed. */
static int api_xlsx_sheets(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    sheets_box *box = lua_newuserdatauv(L, sizeof *box, 0);
    memset(box, 0, sizeof *box);
    nb_xlsx_book *book = &box->book;
    size_t room = nb_sandbox_room(L);
    book->max_bytes = room ? room : 1;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, sheets_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    char err[512];
    bool ok = nb_xlsx_read(data, len, book, err, sizeof err);
    if (book->too_big)
        return raise_memory(L);
    if (!ok)
        return nb_raise_input_error(L, 0, err);
    if (!nb_sandbox_charge(L, book->bytes))
        return raise_memory(L);
    box->charged = book->bytes;
    luaL_checkstack(L, 8, "xlsx sheets");
    lua_createtable(L, (int)book->n, 0);
    for (size_t i = 0; i < book->n; i++) {
        const nb_xlsx_sheet *s = &book->sheets[i];
        lua_createtable(L, 0, 3);
        lua_pushstring(L, s->name);
        lua_setfield(L, -2, "name");
        lua_createtable(L, (int)(s->n < 1000000 ? s->n : 0), 0);
        for (size_t k = 0; k < s->n; k++) {
            const nb_xlsx_cell *c = &s->cells[k];
            lua_createtable(L, 0, 6);
            set_int(L, "row", c->row);
            set_int(L, "col", c->col);
            lua_pushstring(L, c->value);
            lua_setfield(L, -2, "value");
            lua_pushlstring(L, &c->type, 1);
            lua_setfield(L, -2, "type");
            if (c->formula) {
                lua_pushstring(L, c->formula);
                lua_setfield(L, -2, "formula");
                lua_pushboolean(L, c->cached);
                lua_setfield(L, -2, "cached");
            }
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "cells");
        lua_createtable(L, (int)(s->nmerges < 100000 ? s->nmerges : 0), 0);
        for (size_t k = 0; k < s->nmerges; k++) {
            const nb_xlsx_merge *m = &s->merges[k];
            lua_createtable(L, 0, 4);
            set_int(L, "r1", m->r1);
            set_int(L, "c1", m->c1);
            set_int(L, "r2", m->r2);
            set_int(L, "c2", m->c2);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "merges");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    return 1;
}

void nb_xlsx_register(lua_State *L)
{
    lua_pushcfunction(L, api_xlsx_book);
    lua_setfield(L, -2, "xlsx_book");
    lua_pushcfunction(L, api_xlsx_sheets);
    lua_setfield(L, -2, "xlsx_sheets");
}
