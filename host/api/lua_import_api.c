/* See lua_import_api.h.  C results are owned by userdata with __gc while
 * they are pushed into Lua, so a raise (out of memory, instruction budget)
 * cannot leak a parsed file or an open database. */
#include "api/lua_import_api.h"
#include "lua/lua_values.h"
#include "io/csv_reader.h"
#include "api/host_api.h"
#include "lua/lua_sandbox.h"
#include <lauxlib.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char INPUT_KEY = 'I'; /* registry key: its address */

/* Raises a structured input error (file:line: message, exit 2), the same
 * shape as host.input_error. */
static int raise_input(lua_State *L, long line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int raise_input(lua_State *L, long line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return nb_raise_input_error(L, line, msg);
}

static int raise_csv_error(lua_State *L, const nb_csv_error *e)
{
    if (e->column)
        return raise_input(L, e->line, "第%u列：%s", e->column, e->message);
    return raise_input(L, e->line, "%s", e->message);
}

/* The memory ceiling reached by C memory made for the plugin: the sandbox
 * reports it as its own memory error. */
static int raise_memory(lua_State *L)
{
    nb_sandbox_charge(L, SIZE_MAX); /* marks the ceiling as reached */
    return luaL_error(L, "宿主的 C 缓冲区达到了内存上限");
}

/* ---- csv_rows(text) -> rows, { encoding =, delimiter = } ---- */

/* The parsed rows count against the plugin's memory ceiling while they live
 * (a CSV of tiny cells takes many times its size in C). */
static int csv_gc(lua_State *L)
{
    nb_csv **box = lua_touserdata(L, 1);
    if (*box)
        nb_sandbox_release(L, (*box)->bytes);
    nb_csv_free(*box);
    *box = NULL;
    return 0;
}

static nb_csv **new_csv_box(lua_State *L)
{
    nb_csv **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, csv_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    return box;
}

static int api_csv_rows(lua_State *L)
{
    size_t len;
    const char *data = luaL_checklstring(L, 1, &len);
    nb_csv **box = new_csv_box(L);
    nb_csv_error err = {0};
    size_t room = nb_sandbox_room(L);
    if (len > room / 2 || !nb_sandbox_charge(L, 0)) /* the decoded copy, before parsing */
        return raise_memory(L);
    nb_csv *csv = nb_csv_read_capped(data, len, room, &err);
    if (!csv)
        return err.too_big ? raise_memory(L) : raise_csv_error(L, &err);
    if (!nb_sandbox_charge(L, csv->bytes)) {
        nb_csv_free(csv);
        return raise_memory(L);
    }
    *box = csv;
    lua_createtable(L, (int)csv->nrows, 0);
    for (size_t i = 0; i < csv->nrows; i++) {
        const nb_csv_row *r = &csv->rows[i];
        lua_createtable(L, (int)r->ncells, 1);
        for (size_t k = 0; k < r->ncells; k++) {
            lua_pushstring(L, r->cells[k]);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_pushinteger(L, r->line);
        lua_setfield(L, -2, "line");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_createtable(L, 0, 2);
    lua_pushstring(L, csv->encoding);
    lua_setfield(L, -2, "encoding");
    lua_pushlstring(L, &csv->delimiter, 1);
    lua_setfield(L, -2, "delimiter");
    return 2;
}

/* ---- decode(text) -> utf8_text, encoding ---- */

static int text_gc(lua_State *L)
{
    char **box = lua_touserdata(L, 1);
    free(*box);
    *box = NULL;
    return 0;
}

static int api_decode(lua_State *L)
{
    size_t len, outlen;
    const char *data = luaL_checklstring(L, 1, &len);
    char **box = lua_newuserdatauv(L, sizeof *box, 0);
    *box = NULL;
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, text_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    const char *encoding;
    nb_csv_error err = {0};
    *box = nb_text_to_utf8(data, len, &outlen, &encoding, &err);
    if (!*box)
        return raise_csv_error(L, &err);
    lua_pushlstring(L, *box, outlen);
    lua_pushstring(L, encoding);
    return 2;
}

/* ---- sqlite_rows(path, table) -> columns, rows ---- */

/* Bounded reading: a view can make rows without end (WITH RECURSIVE), so
 * SQLite's virtual machine runs under a step limit (checked every
 * NB_SQL_TICK steps) and a register has at most NB_SQL_MAX_ROWS rows. */
enum { NB_SQL_TICK = 1000, NB_SQL_MAX_TICKS = 30000, NB_SQL_MAX_ROWS = 200000 };

typedef struct {
    sqlite3 *db;
    sqlite3_stmt *stmt;
    long ticks;
} db_box;

static int sql_progress(void *ud)
{
    db_box *b = ud;
    return ++b->ticks > NB_SQL_MAX_TICKS;
}

static int db_gc(lua_State *L)
{
    db_box *b = lua_touserdata(L, 1);
    sqlite3_finalize(b->stmt);
    sqlite3_close(b->db);
    b->stmt = NULL;
    b->db = NULL;
    return 0;
}

static void prepare(lua_State *L, db_box *b, const char *sql)
{
    sqlite3_finalize(b->stmt);
    b->stmt = NULL;
    if (sqlite3_prepare_v2(b->db, sql, -1, &b->stmt, NULL) != SQLITE_OK)
        raise_input(L, 0, "无法读取 SQLite 数据库（%s）：文件可能损坏、加密或不是数据库", sqlite3_errmsg(b->db));
}

/* Names of the user tables, joined with "、" (on the Lua stack). */
static void push_table_names(lua_State *L, db_box *b, int *count)
{
    prepare(L, b, "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' "
                  "ORDER BY name");
    luaL_Buffer names;
    luaL_buffinit(L, &names);
    *count = 0;
    int rc;
    while ((rc = sqlite3_step(b->stmt)) == SQLITE_ROW) {
        if ((*count)++)
            luaL_addstring(&names, "、");
        luaL_addstring(&names, (const char *)sqlite3_column_text(b->stmt, 0));
    }
    if (rc != SQLITE_DONE)
        raise_input(L, 0, "无法读取 SQLite 数据库（%s）：文件可能损坏、加密或不是数据库", sqlite3_errmsg(b->db));
    luaL_pushresult(&names);
}

static int too_many_rows(lua_State *L, const char *table)
{
    return raise_input(L, 0, "SQLite 表“%s”超过 %d 行：这不像一个单位一年的登记台账（是否是无穷的递归视图？）", table,
                       NB_SQL_MAX_ROWS);
}

/* A step that ended neither with a row nor done: the step limit or an
 * error at line (the row being read). */
static int step_failed(lua_State *L, db_box *b, int rc, const char *table, long line)
{
    if (rc == SQLITE_INTERRUPT)
        return raise_input(L, 0, "读取 SQLite 表“%s”用了超过 %d 万步仍未读完：表或视图的计算太大（是否是递归视图？），请导出为普通表再导入",
                           table, NB_SQL_TICK * NB_SQL_MAX_TICKS / 10000);
    return raise_input(L, line, "读取 SQLite 表“%s”出错：%s", table, sqlite3_errmsg(b->db));
}

static int api_sqlite_rows(lua_State *L)
{
    const char *path = luaL_checkstring(L, 1);
    const char *table = luaL_optstring(L, 2, NULL);
    lua_rawgetp(L, LUA_REGISTRYINDEX, &INPUT_KEY);
    const char *input = lua_tostring(L, -1);
    if (!input)
        return raise_input(L, 0, "SQLite 数据库只能从文件读取，不能从标准输入读取：请给出数据库文件名");
    if (strcmp(input, path) != 0)
        return luaL_error(L, "host.sqlite_rows：只能打开正在导入的文件（%s），不能打开 %s", input, path);
    lua_pop(L, 1);
    db_box *b = lua_newuserdatauv(L, sizeof *b, 0);
    memset(b, 0, sizeof *b);
    lua_createtable(L, 0, 1);
    lua_pushcfunction(L, db_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    if (sqlite3_open_v2(path, &b->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        return raise_input(L, 0, "无法打开 SQLite 数据库：%s", b->db ? sqlite3_errmsg(b->db) : "out of memory");
    sqlite3_busy_timeout(b->db, 2000);
    sqlite3_progress_handler(b->db, NB_SQL_TICK, sql_progress, b);
    int count;
    push_table_names(L, b, &count);
    const char *names = lua_tostring(L, -1);
    if (!table) {
        if (count != 1)
            return raise_input(L, 0, "数据库中有 %d 张表（%s）：请在登记台账映射中用 sqlite_table 指明哪一张是登记台账", count,
                               count ? names : "无");
        prepare(L, b, "SELECT name FROM sqlite_master WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%'");
        sqlite3_step(b->stmt);
        lua_pushstring(L, (const char *)sqlite3_column_text(b->stmt, 0));
        table = lua_tostring(L, -1);
    } else {
        prepare(L, b, "SELECT 1 FROM sqlite_master WHERE type IN ('table','view') AND name = ?1");
        sqlite3_bind_text(b->stmt, 1, table, -1, SQLITE_STATIC);
        if (sqlite3_step(b->stmt) != SQLITE_ROW)
            return raise_input(L, 0, "数据库中没有表“%s”（有：%s）：请检查登记台账映射中的 sqlite_table", table,
                               count ? names : "无");
    }
    luaL_Buffer q;
    luaL_buffinit(L, &q);
    luaL_addchar(&q, '"');
    for (const char *p = table; *p; p++) {
        if (*p == '"')
            luaL_addchar(&q, '"');
        luaL_addchar(&q, *p);
    }
    luaL_addchar(&q, '"');
    luaL_pushresult(&q);
    const char *quoted = lua_tostring(L, -1);
    /* counted first (one more than allowed at most), so a view of endless
     * rows is refused before 200,000 rows are made into Lua tables */
    long ticks = b->ticks;
    prepare(L, b, lua_pushfstring(L, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT %d)", quoted, NB_SQL_MAX_ROWS + 1));
    int rc = sqlite3_step(b->stmt);
    if (rc == SQLITE_ROW && sqlite3_column_int64(b->stmt, 0) > NB_SQL_MAX_ROWS)
        return too_many_rows(L, table);
    if (rc == SQLITE_INTERRUPT)
        return step_failed(L, b, rc, table, 0);
    /* another error is said by the reading below, with the row it is at */
    b->ticks = ticks; /* the reading gets the steps it had before the count */
    prepare(L, b, lua_pushfstring(L, "SELECT * FROM %s", quoted));
    int ncols = sqlite3_column_count(b->stmt);
    lua_createtable(L, ncols, 0);
    for (int k = 0; k < ncols; k++) {
        lua_pushstring(L, sqlite3_column_name(b->stmt, k));
        lua_rawseti(L, -2, k + 1);
    }
    lua_newtable(L);
    lua_Integer n = 0;
    while ((rc = sqlite3_step(b->stmt)) == SQLITE_ROW) {
        if (n == NB_SQL_MAX_ROWS)
            return too_many_rows(L, table);
        lua_createtable(L, ncols, 1);
        for (int k = 0; k < ncols; k++) {
            const unsigned char *v = sqlite3_column_text(b->stmt, k);
            lua_pushstring(L, v ? (const char *)v : "");
            lua_rawseti(L, -2, k + 1);
        }
        lua_pushinteger(L, n + 1);
        lua_setfield(L, -2, "line");
        lua_rawseti(L, -2, ++n);
    }
    if (rc != SQLITE_DONE)
        return step_failed(L, b, rc, table, (long)n + 1);
    return 2;
}

void nb_import_api_set_input(lua_State *L, const char *path)
{
    if (path)
        lua_pushstring(L, path);
    else
        lua_pushnil(L); /* clearing allocates nothing: safe outside a protected call */
    lua_rawsetp(L, LUA_REGISTRYINDEX, &INPUT_KEY);
}

/* ---- row_cells(ids, values, offset, line) -> { [ids[j]] = values[offset + j] or "", _line = line } ----
 * A table row's cells keyed by column id, as an importer hands them to the
 * model, made at its size in one call: set one by one in Lua, the table
 * grew a rehash at a time (the costliest line of the CSV and Markdown
 * importers). */
static int api_row_cells(lua_State *L)
{
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_checktype(L, 2, LUA_TTABLE);
    lua_Integer off = luaL_checkinteger(L, 3), line = luaL_checkinteger(L, 4);
    lua_Integer n = (lua_Integer)lua_rawlen(L, 1);
    luaL_argcheck(L, n < 4096, 1, "a row has fewer than 4096 columns");
    lua_createtable(L, 0, (int)n + 1);
    for (lua_Integer j = 1; j <= n; j++) {
        lua_rawgeti(L, 1, j);
        if (lua_rawgeti(L, 2, off + j) == LUA_TNIL) {
            lua_pop(L, 1);
            lua_pushliteral(L, "");
        }
        lua_rawset(L, -3);
    }
    lua_pushinteger(L, line);
    lua_setfield(L, -2, "_line");
    return 1;
}

void nb_import_api_register(lua_State *L)
{
    static const luaL_Reg fns[] = {{"csv_rows", api_csv_rows},   {"decode", api_decode},
                                   {"sqlite_rows", api_sqlite_rows}, {"row_cells", api_row_cells},
                                   {NULL, NULL}};
    luaL_setfuncs(L, fns, 0);
}
