/* See lua_report.h.  Reading the importer's table runs as a protected C
 * function: the report under construction is owned by a userdata, so a
 * raise (a bad key, a metamethod, out of memory) cannot leak it. */
#include "lua/lua_report.h"
#include "lua/lua_values.h"
#include "lua/lua_format_late.h"
#include "lua/cell_bundle.h"
#include "lua/section_bundle.h"
#include "model/decimal.h"
#include "lua/lua_schema.h"
#include "base/xalloc.h"
#include <lauxlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const nb_field REPORT_FIELDS[] = {
    {"format", LUA_TSTRING, false}, {"meta", LUA_TTABLE, false}, {"preamble", LUA_TSTRING, false},
    {"sections", LUA_TNONE, false}, {"tables", LUA_TTABLE, false}, {"statistics", LUA_TTABLE, false},
    {"marks", LUA_TTABLE, false},   {"notes", LUA_TTABLE, false},  {"tables_only", LUA_TBOOLEAN, false},
    {"cells", LUA_TUSERDATA, false}, {NULL, 0, false}};
static const nb_field META_FIELDS[] = {
    {"title", LUA_TSTRING, false},     {"agency", LUA_TSTRING, false},  {"year", LUA_TNUMBER, false},
    {"title_year", LUA_TNUMBER, false}, {"period_year", LUA_TNUMBER, false}, {"published", LUA_TSTRING, false},
    {"address", LUA_TSTRING, false},   {"phone", LUA_TSTRING, false},   {"postcode", LUA_TSTRING, false},
    {NULL, 0, false}};
static const nb_field NOTE_FIELDS[] = {
    {"rule", LUA_TSTRING, true},     {"severity", LUA_TSTRING, true}, {"message", LUA_TSTRING, true},
    {"line", LUA_TNUMBER, false},    {"table", LUA_TSTRING, false},   {"row", LUA_TSTRING, false},
    {"column", LUA_TSTRING, false},  {"expected", LUA_TSTRING, false}, {"actual", LUA_TSTRING, false},
    {NULL, 0, false}};
/* read with nb_schema_read: the places of its fields */
enum { SEC_HEADING, SEC_LEVEL, SEC_TEXT, SEC_LINE, SECTION_NFIELDS };
static const nb_field SECTION_FIELDS[] = {
    [SEC_HEADING] = {"heading", LUA_TSTRING, true}, [SEC_LEVEL] = {"level", LUA_TNUMBER, true},
    [SEC_TEXT] = {"text", LUA_TSTRING, false},      [SEC_LINE] = {"line", LUA_TNUMBER, false},
    [SECTION_NFIELDS] = {NULL, 0, false}};

static const nb_field STAT_FIELDS[] = {
    {"label", LUA_TSTRING, true}, {"unit", LUA_TSTRING, false}, {"values", LUA_TTABLE, false},
    {"line", LUA_TNUMBER, false}, {NULL, 0, false}};
static const nb_field MARK_FIELDS[] = {
    {"label", LUA_TSTRING, true}, {"format", LUA_TSTRING, true}, {"values", LUA_TSTRING, false},
    {"line", LUA_TNUMBER, false}, {NULL, 0, false}};

enum { MAX_CELL_ERRORS = 20 };

typedef struct {
    nb_host *h;
    const char *source, *format_id;
    nb_strbuf *err;
    nb_report *report; /* result, owned by the caller once returned */
    bool input_failed;
} convert_ctx;

static int report_gc(lua_State *L)
{
    nb_report **ud = lua_touserdata(L, 1);
    nb_report_free(*ud);
    *ud = NULL;
    return 0;
}

static const char *opt_str_max(nb_report *r, lua_State *L, int idx, const char *key, size_t max)
{
    const char *s = nb_schema_string(L, idx, key);
    if (s && strlen(s) > max)
        luaL_error(L, "report: '%s' 长 %I 字节，超过了 %I 字节：不像是这一项的内容", key, (lua_Integer)strlen(s),
                   (lua_Integer)max);
    return s ? nb_arena_strdup(&r->arena, s) : NULL;
}

static const char *opt_str(nb_report *r, lua_State *L, int idx, const char *key)
{
    return opt_str_max(r, L, idx, key, SIZE_MAX);
}

static const char *meta_str(nb_report *r, lua_State *L, int idx, const char *key)
{
    return opt_str_max(r, L, idx, key, NB_META_MAX);
}

static const nb_format *choose_format(convert_ctx *c, lua_State *L, int idx, int year)
{
    const char *id = c->format_id ? c->format_id : nb_schema_string(L, idx, "format");
    if (id) {
        const nb_format_entry *e = nb_host_format(c->h, id);
        if (!e) {
            nb_sb_printf(c->err, "%s: 没有格式 '%s'（nianbao formats 列出全部）\n", c->source, id);
            return NULL;
        }
        return e->format;
    }
    const nb_format_entry *e = year ? nb_host_format_for_year(c->h, year) : NULL;
    if (!e) {
        if (year)
            nb_sb_printf(c->err, "%s: 没有适用于 %d 年度报告的格式，请用 --format 指定\n", c->source, year);
        else
            nb_sb_printf(c->err, "%s: 看不出报告年度（没有“2023年…年度报告”这样的标题）："
                                 "请用 --format 指定格式\n", c->source);
        return NULL;
    }
    return e->format;
}

static void store_cell(convert_ctx *c, nb_report *r, const nb_table *tb, const nb_row *row, size_t k,
                       const char *text, size_t len, uint32_t line, size_t *nerr)
{
    const nb_column *col = &tb->cols[tb->blocks[row->block].col_first + k];
    nb_set_result res = nb_report_set_cell(r, row->cell_first + k, text, len, line);
    if (res != NB_SET_OK) {
        if ((*nerr)++ < MAX_CELL_ERRORS) {
            nb_sb_printf(c->err, "%s:", c->source);
            if (line) /* JSON and other sources without lines */
                nb_sb_printf(c->err, "%u:", line);
            nb_sb_printf(c->err, " %s“%s”行“%s”列：“%.*s”%s\n", tb->label, row->label, col->label, (int)len, text,
                         nb_set_result_message(res, col->type));
        }
        c->input_failed = true;
    }
}

/* A row given in report.cells (a cell bundle); false when it is not there.
 * ti: the table's Lua rows, or 0 (also when it has none and no metatable: the text importer
 * gives an empty table for each table it read, and looking every bundled
 * row up in it was a tenth of reading a report in). */
static bool bundle_row(convert_ctx *c, lua_State *L, int ti, const nb_cell_bundle *bundle, nb_report *r,
                       const nb_table *tb, const nb_row *row, size_t *nerr)
{
    const char *text;
    size_t len;
    uint32_t line;
    if (!nb_cell_bundle_get(bundle, row->cell_first, &text, &len, &line))
        return false;
    if (ti && lua_getfield(L, ti, row->id) != LUA_TNIL)
        luaL_error(L, "导入插件把 %s.%s 既放在 report.tables 又放在 report.cells 中", tb->id, row->id);
    if (ti)
        lua_pop(L, 1);
    for (size_t k = 0; k < tb->blocks[row->block].ncols; k++) {
        if (!nb_cell_bundle_get(bundle, row->cell_first + k, &text, &len, &line))
            luaL_error(L, "导入插件在 report.cells 中给了 %s.%s，但缺少它的部分格", tb->id, row->id);
        store_cell(c, r, tb, row, k, text, len, line, nerr);
    }
    return true;
}

static void read_cells(convert_ctx *c, lua_State *L, int tables, const nb_cell_bundle *bundle, nb_report *r)
{
    const nb_format *f = r->format;
    size_t nerr = 0;
    for (size_t t = 0; t < f->ntables; t++) {
        const nb_table *tb = &f->tables[t];
        int ti = 0;
        if (lua_getfield(L, tables, tb->id) == LUA_TTABLE)
            ti = lua_gettop(L);
        else
            lua_pop(L, 1);
        if (!ti && !(bundle && nb_cell_bundle_given(bundle, t)))
            continue;
        r->table_given[t] = true;
        if (ti && lua_getmetatable(L, ti)) {
            lua_pop(L, 1); /* with a metatable: every row asked for, as it may answer */
        } else if (ti) { /* an empty table: no row of it to read or to refuse */
            lua_pushnil(L);
            if (lua_next(L, ti))
                lua_pop(L, 2);
            else
                ti = 0, lua_pop(L, 1);
        }
        for (size_t ri = 0; ri < tb->nrows; ri++) {
            const nb_row *row = &tb->rows[ri];
            if (!row->data)
                continue;
            if (bundle && bundle_row(c, L, ti, bundle, r, tb, row, &nerr))
                continue;
            if (!ti)
                continue;
            if (lua_getfield(L, ti, row->id) != LUA_TTABLE) {
                lua_pop(L, 1);
                continue;
            }
            int rr = lua_gettop(L);
            uint32_t row_line = (uint32_t)nb_schema_int(L, rr, "_line", 0);
            lua_getfield(L, rr, "_lines");
            int lines = lua_istable(L, -1) ? lua_gettop(L) : 0;
            const nb_block *b = &tb->blocks[row->block];
            for (size_t k = 0; k < b->ncols; k++) {
                const nb_column *col = &tb->cols[b->col_first + k];
                uint32_t line = row_line;
                if (lines) {
                    lua_rawgeti(L, lines, (lua_Integer)k + 1);
                    if (lua_isinteger(L, -1))
                        line = (uint32_t)lua_tointeger(L, -1);
                    lua_pop(L, 1);
                }
                lua_getfield(L, rr, col->id);
                size_t len = 0;
                const char *text = "";
                if (lua_type(L, -1) == LUA_TSTRING) {
                    text = lua_tolstring(L, -1, &len);
                } else if (!lua_isnil(L, -1) && !nb_is_json_null(L, -1)) {
                    luaL_error(L, "导入插件给 %s.%s.%s 的是 %s；格应是原样的字符串（空格为 nil）",
                               tb->id, row->id, col->id, luaL_typename(L, -1));
                }
                store_cell(c, r, tb, row, k, text, len, line, &nerr);
                lua_pop(L, 1);
            }
            /* ids the format does not know are an importer bug */
            lua_pushnil(L);
            while (lua_next(L, rr)) {
                const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
                if (!k || (k[0] != '_' && nb_table_block_col(tb, row->block, k) < 0))
                    luaL_error(L, "导入插件给 %s.%s 的列 '%s' 不存在", tb->id, row->id, k ? k : "?");
                lua_pop(L, 1);
            }
            lua_pop(L, 2);
        }
        if (!ti)
            continue;
        lua_pushnil(L);
        while (lua_next(L, ti)) {
            const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : NULL;
            int ri = k ? nb_table_row(tb, k) : -1;
            if (ri < 0 || !tb->rows[ri].data)
                luaL_error(L, "导入插件给表 %s 的行 '%s' 不存在", tb->id, k ? k : "?");
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    if (nerr > MAX_CELL_ERRORS)
        nb_sb_printf(c->err, "%s: ……另有 %zu 个单元格无法读取（只列出前 %d 个）\n", c->source, nerr - MAX_CELL_ERRORS,
                     MAX_CELL_ERRORS);
    lua_pushnil(L);
    while (lua_next(L, tables)) {
        const char *k = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "?";
        if (!nb_format_table(f, k))
            luaL_error(L, "导入插件给的表 '%s' 不在格式 %s 中", k, f->id);
        lua_pop(L, 1);
    }
}

/* path = "LIST[i]", an entry's name for messages: made for every entry of
 * every report, so without snprintf (a tenth of reading the sections) */
static void entry_path(char path[64], const char *list, size_t i)
{
    char digits[20];
    size_t nd = 0, k = strlen(list); /* a short literal */
    do
        digits[nd++] = (char)('0' + i % 10);
    while ((i /= 10) > 0);
    memcpy(path, list, k);
    path[k++] = '[';
    while (nd)
        path[k++] = digits[--nd];
    path[k++] = ']';
    path[k] = '\0';
}

/* report.sections as host.text_place gave them (a section bundle) */
static void read_section_bundle(const nb_section_bundle *b, nb_report *r)
{
    size_t n = nb_section_bundle_count(b);
    r->sections = nb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->sections);
    for (size_t i = 0; i < n; i++) {
        const nb_bundle_section *bs = nb_section_bundle_get(b, i);
        r->sections[r->nsections++] = (nb_section){.heading = nb_arena_strndup(&r->arena, bs->heading, bs->nheading),
                                                   .text = nb_arena_strndup(&r->arena, bs->text, bs->ntext),
                                                   .level = bs->level, .line = bs->line, .def = -1};
    }
}

static void read_sections(lua_State *L, int idx, nb_report *r)
{
    int type = lua_getfield(L, idx, "sections");
    const nb_section_bundle *b = type == LUA_TUSERDATA ? nb_section_bundle_test(L, -1) : NULL;
    if (b)
        read_section_bundle(b, r);
    else if (type != LUA_TTABLE && type != LUA_TNIL)
        luaL_error(L, "report：'sections' 应为 table，而不是 %s", luaL_typename(L, -1));
    if (type != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int secs = lua_gettop(L);
    size_t n = lua_rawlen(L, secs);
    r->sections = nb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->sections);
    for (size_t i = 1; i <= n; i++) {
        char path[64];
        entry_path(path, "report.sections", i);
        lua_rawgeti(L, secs, (lua_Integer)i);
        nb_schema_value v[SECTION_NFIELDS];
        nb_schema_read(L, -1, SECTION_FIELDS, path, v);
        nb_section *s = &r->sections[r->nsections++];
        s->heading = v[SEC_HEADING].type == LUA_TSTRING ? nb_arena_strdup(&r->arena, v[SEC_HEADING].s) : NULL;
        s->text = v[SEC_TEXT].type == LUA_TSTRING ? nb_arena_strdup(&r->arena, v[SEC_TEXT].s) : NULL;
        s->level = v[SEC_LEVEL].type == LUA_TNUMBER ? (int)v[SEC_LEVEL].i : 1;
        s->line = v[SEC_LINE].type == LUA_TNUMBER ? (uint32_t)v[SEC_LINE].i : 0;
        s->def = -1;
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* report.statistics: free-form rows (label, unit, values as written) */
static void read_statistics(lua_State *L, int idx, nb_report *r)
{
    if (lua_getfield(L, idx, "statistics") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int list = lua_gettop(L);
    size_t n = lua_rawlen(L, list);
    r->stats = nb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->stats);
    for (size_t i = 1; i <= n; i++) {
        char path[64];
        entry_path(path, "report.statistics", i);
        lua_rawgeti(L, list, (lua_Integer)i);
        int row = lua_gettop(L);
        nb_schema_check(L, row, STAT_FIELDS, path);
        size_t nv = nb_schema_strings(L, row, "values", path);
        nb_stat_row *s = &r->stats[r->nstats++];
        s->label = opt_str(r, L, row, "label");
        s->unit = opt_str(r, L, row, "unit");
        s->line = (uint32_t)nb_schema_int(L, row, "line", 0);
        s->values = nb_arena_alloc(&r->arena, (nv ? nv : 1) * sizeof *s->values);
        lua_getfield(L, row, "values");
        for (size_t k = 1; k <= nv; k++) {
            lua_rawgeti(L, -1, (lua_Integer)k);
            s->values[s->nvalues++] = nb_arena_strdup(&r->arena, lua_tostring(L, -1));
            lua_pop(L, 1);
        }
        lua_pop(L, 2);
    }
    lua_pop(L, 1);
}

/* report.marks: labels of other formats the importer recognised */
static void read_marks(lua_State *L, int idx, nb_report *r)
{
    if (lua_getfield(L, idx, "marks") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int list = lua_gettop(L);
    size_t n = lua_rawlen(L, list);
    r->marks = nb_arena_alloc(&r->arena, (n ? n : 1) * sizeof *r->marks);
    for (size_t i = 1; i <= n; i++) {
        char path[64];
        entry_path(path, "report.marks", i);
        lua_rawgeti(L, list, (lua_Integer)i);
        nb_schema_check(L, -1, MARK_FIELDS, path);
        nb_mark_seen *m = &r->marks[r->nmarks++];
        m->label = opt_str(r, L, -1, "label");
        m->format = opt_str(r, L, -1, "format");
        m->values = opt_str(r, L, -1, "values");
        m->line = (uint32_t)nb_schema_int(L, -1, "line", 0);
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* report.notes: what the importer noticed, reported as findings by check */
static void read_notes(lua_State *L, int idx, nb_report *r)
{
    if (lua_getfield(L, idx, "notes") != LUA_TTABLE) {
        lua_pop(L, 1);
        return;
    }
    int notes = lua_gettop(L);
    size_t n = lua_rawlen(L, notes);
    for (size_t i = 1; i <= n; i++) {
        char path[64];
        entry_path(path, "report.notes", i);
        lua_rawgeti(L, notes, (lua_Integer)i);
        nb_schema_check(L, -1, NOTE_FIELDS, path);
        nb_severity sev;
        if (!nb_severity_parse(nb_schema_string(L, -1, "severity"), &sev))
            luaL_error(L, "%s.severity 应为 error、warning 或 info", path);
        const char *t = nb_schema_string(L, -1, "table"), *row = nb_schema_string(L, -1, "row"),
                   *col = nb_schema_string(L, -1, "column");
        long cell = -1;
        if (t || row || col) {
            cell = t && row && col ? nb_format_cell(r->format, t, row, col) : -1;
            if (cell < 0)
                luaL_error(L, "%s 所指的格不在格式 %s 中：%s.%s.%s", path, r->format->id, t ? t : "?",
                           row ? row : "?", col ? col : "?");
        }
        uint32_t line = (uint32_t)nb_schema_int(L, -1, "line", cell >= 0 ? r->cells[cell].line : 0);
        nb_report_add_note(r, sev, nb_schema_string(L, -1, "rule"), nb_schema_string(L, -1, "message"), cell, line,
                           nb_schema_string(L, -1, "expected"), nb_schema_string(L, -1, "actual"));
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
}

/* a year an importer read: whole, four digits (an (int) cast of 4294969319 gave 2023) */
static int meta_year(lua_State *L, int meta, const char *key)
{
    long long y = nb_schema_int(L, meta, key, 0);
    if (y != 0 && (y < 1000 || y > 9999)) {
        char msg[160];
        snprintf(msg, sizeof msg, "年份“%lld”（%s）不是四位数的年份：请检查", y, key);
        nb_raise_input_error(L, 0, msg);
    }
    return (int)y;
}

static int convert(lua_State *L)
{
    convert_ctx *c = lua_touserdata(L, 1);
    int idx = 2;
    nb_schema_check(L, idx, REPORT_FIELDS, "report");
    int meta = 0, year = 0;
    if (lua_getfield(L, idx, "meta") == LUA_TTABLE) {
        meta = lua_gettop(L);
        nb_schema_check(L, meta, META_FIELDS, "report.meta");
        int y[3] = {meta_year(L, meta, "year"), meta_year(L, meta, "title_year"), meta_year(L, meta, "period_year")};
        year = y[0] ? y[0] : y[1] ? y[1] : y[2];
    }
    const nb_format *f = choose_format(c, L, idx, year);
    if (!f)
        return 0;
    nb_report **ud = lua_newuserdatauv(L, sizeof *ud, 0);
    *ud = NULL;
    lua_newtable(L);
    lua_pushcfunction(L, report_gc);
    lua_setfield(L, -2, "__gc");
    lua_setmetatable(L, -2);
    nb_report *r = *ud = nb_report_new(f, c->source);
    r->year = year;
    if (meta) {
        r->title = meta_str(r, L, meta, "title");
        r->agency = meta_str(r, L, meta, "agency");
        r->published = meta_str(r, L, meta, "published");
        r->address = meta_str(r, L, meta, "address");
        r->phone = meta_str(r, L, meta, "phone");
        r->postcode = meta_str(r, L, meta, "postcode");
        r->title_year = meta_year(L, meta, "title_year");
        r->period_year = meta_year(L, meta, "period_year");
    }
    r->preamble = opt_str(r, L, idx, "preamble");
    r->tables_only = nb_schema_bool(L, idx, "tables_only", false);
    read_sections(L, idx, r);
    read_statistics(L, idx, r);
    read_marks(L, idx, r);
    const nb_cell_bundle *bundle = NULL;
    if (lua_getfield(L, idx, "cells") != LUA_TNIL) {
        if (!(bundle = nb_cell_bundle_test(L, -1)))
            luaL_error(L, "report.cells 应是 host.text_place 给出的格");
        if (nb_cell_bundle_format(bundle) != f)
            luaL_error(L, "report.cells 是按格式 %s 放置的，而报告是 %s", nb_cell_bundle_format(bundle)->id,
                       f->id);
    }
    if (lua_getfield(L, idx, "tables") != LUA_TTABLE && bundle) {
        lua_pop(L, 1);
        lua_newtable(L);
    }
    if (lua_istable(L, -1))
        read_cells(c, L, lua_gettop(L), bundle, r);
    lua_pop(L, 2);
    read_notes(L, idx, r);
    nb_report_bind_sections(r);
    c->report = r;
    *ud = NULL;
    return 0;
}

nb_report *nb_lua_to_report(nb_host *h, const char *source, const char *format_id, nb_strbuf *err)
{
    lua_State *L = h->sb->L;
    convert_ctx c = {.h = h, .source = source, .format_id = format_id, .err = err};
    lua_pushcfunction(L, convert);
    lua_insert(L, -2);
    lua_pushlightuserdata(L, &c);
    lua_insert(L, -2);
    if (nb_sandbox_call(h->sb, 2, 0) != LUA_OK) {
        nb_sb_printf(err, "导入插件交回的报告有误（%s）：", source);
        nb_host_error(h, source, err);
        nb_report_free(c.report);
        return NULL;
    }
    if (c.input_failed || (c.report && !nb_host_format_rules(h, c.report->format, err))) {
        nb_report_free(c.report);
        return NULL;
    }
    return c.report;
}
