/* nianbao overview --year Y -o overview.html: one self-contained page on the
 * region's year.  C gathers the data from the store — the roster, each
 * unit's report of the year checked against its own previous year (with
 * DATE-DL against its 层级), and every year's cells summed over the units —
 * and hands it to lib/overview.lua, which draws the page (status table,
 * findings by rule, SVG charts) from templates/overview/. */
#include "cli/cli_lib_call.h"
#include "cli/cli_region.h"
#include "cli/cli_store.h"
#include "cli/cli_usage.h"
#include "io/atomic_write.h"
#include <getopt.h>
#include <lauxlib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char HELP[] =
    "用法：nianbao overview --year Y [--db FILE] [-o OUT [--force]]\n"
    "\n"
    "为地区的 Y 年度生成一个概览网页（单个 HTML 文件，不引用任何网络资源，离线可看）：\n"
    "  · 名册上每个单位的报送情况：是否报送、是否按时（按名册层级的报送期限，DATE-DL）、\n"
    "    错误数和警告数（每份报告与本单位上一年度报告比对检查）；名册外报送的单位也列出；\n"
    "  · 按规则统计的问题数；\n"
    "  · 统计图（SVG）：历年收到的政府信息公开申请数、本年办理结果、\n"
    "    行政复议和行政诉讼结果、各单位问题数排名。\n"
    "图中用哪些单元格由 lib/overview.lua 按格式说明；网页模板在 templates/overview/。\n"
    "\n"
    "选项：\n"
    "  --year Y          年度（必须给出）\n"
    "  --db FILE         数据库文件（默认 $NIANBAO_DB，再默认 ./nianbao.db）\n"
    "  -o, --output OUT  写入文件 OUT（默认标准输出）；OUT 已存在时不替换，除非加 --force\n"
    "  --force           替换已有的 OUT\n"
    "  --plugin-dir DIR  另从目录 DIR 加载插件\n"
    "\n"
    "退出状态：0 完成；2 用法错误或数据库不可用。\n";

/* one current report (the newest of its unit and year) */
typedef struct {
    int64_t id;
    char *unit, *format;
    int year;
    size_t copies; /* current reports of this unit and year */
} rep;

typedef struct {
    char *rule, *message;
    nb_severity sev;
} hit;

/* what the page says of one report of the year */
typedef struct {
    const rep *r;
    char *published, *source, *late_msg;
    bool late, paired;
    int errors, warnings, infos;
    hit *hits;
    size_t nhits;
} unit_year;

typedef struct {
    char *table, *row, *col;
    int64_t micro;
} sum_cell;

typedef struct {
    int year;
    const char *format;
    size_t reports;
    sum_cell *cells;
    size_t ncells, cap;
} year_sum;

typedef struct {
    nb_host *h;
    nb_store *s;
    int year;
    rep *reps;
    size_t nreps, capreps;
    nb_roster_row *roster;
    size_t nroster, caproster;
    unit_year *uy;
    size_t nuy;
    year_sum *sums;
    size_t nsums;
} ov;

static void *grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return p;
    *cap = *cap ? *cap * 2 : 64;
    p = realloc(p, *cap * size);
    if (!p)
        abort();
    return p;
}

static char *dup(const char *s) { return s ? strdup(s) : NULL; }

/* the listing is by unit, year, then the order added: the last one of a
 * unit and year is the newest */
static bool collect(void *ud, const nb_store_entry *e)
{
    ov *o = ud;
    if (o->nreps && o->reps[o->nreps - 1].year == e->year && strcmp(o->reps[o->nreps - 1].unit, e->unit) == 0) {
        rep *last = &o->reps[o->nreps - 1];
        free(last->format);
        last->id = e->id;
        last->format = dup(e->format);
        last->copies++;
        return true;
    }
    o->reps = grow(o->reps, &o->capreps, o->nreps, sizeof *o->reps);
    o->reps[o->nreps++] = (rep){e->id, dup(e->unit), dup(e->format), e->year, 1};
    return true;
}

static bool add_roster(void *ud, const nb_roster_row *row)
{
    ov *o = ud;
    o->roster = grow(o->roster, &o->caproster, o->nroster, sizeof *o->roster);
    o->roster[o->nroster++] = (nb_roster_row){dup(row->unit), dup(row->parent), dup(row->level)};
    return true;
}

static const char *level_of(const ov *o, const char *unit)
{
    for (size_t i = 0; i < o->nroster; i++)
        if (strcmp(o->roster[i].unit, unit) == 0)
            return o->roster[i].level && *o->roster[i].level ? o->roster[i].level : NULL;
    return NULL;
}

/* a unit some roster unit reports to: its own report is its region's 汇总 (AGG-SUM) */
static bool is_parent(const ov *o, const char *unit)
{
    for (size_t i = 0; i < o->nroster; i++)
        if (o->roster[i].parent && strcmp(o->roster[i].parent, unit) == 0)
            return true;
    return false;
}

static const rep *find_rep(const ov *o, const char *unit, int year)
{
    for (size_t i = 0; i < o->nreps; i++)
        if (o->reps[i].year == year && strcmp(o->reps[i].unit, unit) == 0)
            return &o->reps[i];
    return NULL;
}

/* checks one report of the year, as check --db does (paired with the
 * unit's previous year, DATE-DL by its roster level, AGG-SUM for a
 * region's own report) */
static bool check_one(ov *o, const rep *r, unit_year *u, nb_strbuf *err)
{
    nb_report *rp = nb_store_load(o->s, r->id, nb_cli_store_format, o->h, err);
    if (!rp)
        return false;
    const rep *p = find_rep(o, r->unit, r->year - 1);
    nb_report *prev = p ? nb_store_load(o->s, p->id, nb_cli_store_format, o->h, err) : NULL;
    if (p && !prev) {
        nb_report_free(rp);
        return false;
    }
    nb_findings fs;
    nb_findings_init(&fs);
    nb_cli_validate(o->h, rp, prev, &fs);
    if (is_parent(o, r->unit) && !nb_cli_agg_check(o->h, o->s, rp, &fs, err)) {
        nb_findings_free(&fs);
        nb_report_free(prev);
        nb_report_free(rp);
        return false;
    }
    char msg[512];
    u->r = r;
    u->paired = prev != NULL;
    u->published = dup(rp->published);
    u->source = dup(rp->source);
    if (nb_cli_date_late(rp, level_of(o, r->unit), msg, sizeof msg)) {
        nb_rule rule = {.id = "DATE-DL", .severity = NB_SEV_WARNING};
        nb_findings_add(&fs, &rule, msg);
        u->late = true;
        u->late_msg = strdup(msg);
    }
    u->errors = (int)nb_findings_count(&fs, NB_SEV_ERROR);
    u->warnings = (int)nb_findings_count(&fs, NB_SEV_WARNING);
    u->infos = (int)nb_findings_count(&fs, NB_SEV_INFO);
    u->hits = calloc(fs.n ? fs.n : 1, sizeof *u->hits);
    if (!u->hits)
        abort();
    for (size_t i = 0; i < fs.n; i++)
        if (!fs.items[i].accepted)
            u->hits[u->nhits++] = (hit){strdup(fs.items[i].rule), dup(fs.items[i].message), fs.items[i].severity};
    nb_findings_free(&fs);
    nb_report_free(prev);
    nb_report_free(rp);
    return true;
}

static bool add_sum(void *ud, const nb_store_sum_cell *c)
{
    year_sum *y = ud;
    if (!c->nvalue)
        return true;
    y->cells = grow(y->cells, &y->cap, y->ncells, sizeof *y->cells);
    y->cells[y->ncells++] = (sum_cell){strdup(c->table), strdup(c->row), strdup(c->col), c->micro};
    return true;
}

/* every year's cells summed over its reports, one sum per year and format;
 * the reports of regions (roster parents) are left out: their 汇总 would
 * count their units twice */
static bool sum_years(ov *o, nb_strbuf *err)
{
    int64_t *ids = malloc((o->nreps ? o->nreps : 1) * sizeof *ids);
    bool *done = calloc(o->nreps ? o->nreps : 1, sizeof *done);
    if (!ids || !done)
        abort();
    o->sums = calloc(o->nreps ? o->nreps : 1, sizeof *o->sums);
    if (!o->sums)
        abort();
    bool ok = true;
    for (size_t i = 0; ok && i < o->nreps; i++) {
        if (done[i] || !o->reps[i].format || is_parent(o, o->reps[i].unit))
            continue; /* a region's own 汇总 already holds its units' numbers */
        size_t n = 0;
        for (size_t k = i; k < o->nreps; k++)
            if (!done[k] && o->reps[k].year == o->reps[i].year && o->reps[k].format &&
                strcmp(o->reps[k].format, o->reps[i].format) == 0 && !is_parent(o, o->reps[k].unit)) {
                ids[n++] = o->reps[k].id;
                done[k] = true;
            }
        year_sum *y = &o->sums[o->nsums++];
        y->year = o->reps[i].year;
        y->format = o->reps[i].format;
        y->reports = n;
        ok = nb_store_sum(o->s, ids, n, add_sum, y, err);
    }
    free(ids);
    free(done);
    return ok;
}

static void set_s(lua_State *L, const char *k, const char *v)
{
    if (v) {
        lua_pushstring(L, v);
        lua_setfield(L, -2, k);
    }
}

static void set_i(lua_State *L, const char *k, lua_Integer v)
{
    lua_pushinteger(L, v);
    lua_setfield(L, -2, k);
}

static const char *SEV[] = {"info", "warning", "error", "verify"};

static void push_micro(lua_State *L, int64_t m)
{
    if (m % 1000000 == 0)
        lua_pushinteger(L, m / 1000000);
    else
        lua_pushnumber(L, (double)m / 1e6);
}

/* data = { year, roster = { {unit, parent, level} }, reports = { … },
 *          sums = { {year, format, reports, cells = { ["t3.new.total"] = n } } } } */
static int push_data(lua_State *L, nb_host *h, void *ud)
{
    (void)h;
    const ov *o = ud;
    luaL_checkstack(L, 8, "overview data"); /* data, list, item, findings, finding, key, value */
    lua_createtable(L, 0, 4);
    set_i(L, "year", o->year);
    lua_createtable(L, (int)o->nroster, 0);
    for (size_t i = 0; i < o->nroster; i++) {
        lua_createtable(L, 0, 3);
        set_s(L, "unit", o->roster[i].unit);
        set_s(L, "parent", o->roster[i].parent);
        set_s(L, "level", o->roster[i].level);
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "roster");
    lua_createtable(L, (int)o->nuy, 0);
    for (size_t i = 0; i < o->nuy; i++) {
        const unit_year *u = &o->uy[i];
        lua_createtable(L, 0, 12);
        set_s(L, "unit", u->r->unit);
        set_s(L, "format", u->r->format);
        set_s(L, "published", u->published);
        set_s(L, "source", u->source);
        set_s(L, "late_msg", u->late_msg);
        set_s(L, "level", level_of(o, u->r->unit));
        lua_pushboolean(L, u->late);
        lua_setfield(L, -2, "late");
        lua_pushboolean(L, u->paired);
        lua_setfield(L, -2, "paired");
        set_i(L, "errors", u->errors);
        set_i(L, "warnings", u->warnings);
        set_i(L, "infos", u->infos);
        set_i(L, "copies", (lua_Integer)u->r->copies);
        lua_createtable(L, (int)u->nhits, 0);
        for (size_t k = 0; k < u->nhits; k++) {
            lua_createtable(L, 0, 2);
            set_s(L, "rule", u->hits[k].rule);
            set_s(L, "severity", SEV[u->hits[k].sev < 4 ? u->hits[k].sev : 0]);
            set_s(L, "message", u->hits[k].message);
            lua_rawseti(L, -2, (lua_Integer)k + 1);
        }
        lua_setfield(L, -2, "findings");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "reports");
    lua_createtable(L, (int)o->nsums, 0);
    for (size_t i = 0; i < o->nsums; i++) {
        const year_sum *y = &o->sums[i];
        lua_createtable(L, 0, 4);
        set_i(L, "year", y->year);
        set_s(L, "format", y->format);
        set_i(L, "reports", (lua_Integer)y->reports);
        lua_createtable(L, 0, (int)y->ncells);
        for (size_t k = 0; k < y->ncells; k++) {
            lua_pushfstring(L, "%s.%s.%s", y->cells[k].table, y->cells[k].row, y->cells[k].col);
            push_micro(L, y->cells[k].micro);
            lua_settable(L, -3);
        }
        lua_setfield(L, -2, "cells");
        lua_rawseti(L, -2, (lua_Integer)i + 1);
    }
    lua_setfield(L, -2, "sums");
    return 1;
}

static void ov_free(ov *o)
{
    for (size_t i = 0; i < o->nreps; i++) {
        free(o->reps[i].unit);
        free(o->reps[i].format);
    }
    free(o->reps);
    for (size_t i = 0; i < o->nroster; i++) {
        free((char *)o->roster[i].unit);
        free((char *)o->roster[i].parent);
        free((char *)o->roster[i].level);
    }
    free(o->roster);
    for (size_t i = 0; i < o->nuy; i++) {
        unit_year *u = &o->uy[i];
        free(u->published);
        free(u->source);
        free(u->late_msg);
        for (size_t k = 0; k < u->nhits; k++) {
            free(u->hits[k].rule);
            free(u->hits[k].message);
        }
        free(u->hits);
    }
    free(o->uy);
    for (size_t i = 0; i < o->nsums; i++) {
        year_sum *y = &o->sums[i];
        for (size_t k = 0; k < y->ncells; k++) {
            free(y->cells[k].table);
            free(y->cells[k].row);
            free(y->cells[k].col);
        }
        free(y->cells);
    }
    free(o->sums);
}

static bool gather(ov *o, nb_strbuf *err)
{
    nb_store_filter f = {0};
    if (!nb_store_roster_each(o->s, add_roster, o, err) || !nb_store_list(o->s, &f, collect, o, err))
        return false;
    o->uy = calloc(o->nreps ? o->nreps : 1, sizeof *o->uy);
    if (!o->uy)
        abort();
    for (size_t i = 0; i < o->nreps; i++)
        if (o->reps[i].year == o->year && !check_one(o, &o->reps[i], &o->uy[o->nuy++], err))
            return false;
    return sum_years(o, err);
}

int nb_cmd_overview(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, 0, 'b'},     {"year", required_argument, 0, 'y'},
                                         {"output", required_argument, 0, 'o'}, {"force", no_argument, 0, 'F'},
                                         {"plugin-dir", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'},
                                         {0, 0, 0, 0}};
    const char *db = NULL, *out = NULL, *plugin_dir = NULL;
    bool force = false;
    ov o = {0};
    int c;
    nb_cli_getopt_reset();
    while ((c = getopt_long(argc, argv, NB_OPTSTRING("o:h"), opts, NULL)) != -1) {
        switch (c) {
        case 'b': db = optarg; break;
        case 'y':
            if (!nb_cli_year(optarg, &o.year))
                return NB_EXIT_FAIL;
            break;
        case 'o': out = optarg; break;
        case 'F': force = true; break;
        case 'd': plugin_dir = optarg; break;
        case 'h': fputs(HELP, stdout); return NB_EXIT_OK;
        default: return nb_cli_bad_option("overview", argv, c, HELP);
        }
    }
    if (optind != argc)
        return nb_cli_usage_error("overview", "多余的参数：年度用 --year 给出");
    if (!o.year)
        return nb_cli_usage_error("overview", "请用 --year 给出年度，如 nianbao overview --year 2023 -o 概览.html");
    if (!nb_cli_may_write("overview", out, force))
        return NB_EXIT_FAIL;
    o.h = nb_cli_open_host(plugin_dir);
    if (!o.h)
        return NB_EXIT_FAIL;
    int status = NB_EXIT_FAIL;
    o.s = nb_cli_store_open("overview", db, false);
    nb_strbuf err;
    nb_sb_init(&err);
    if (o.s && !gather(&o, &err)) {
        fprintf(stderr, "nianbao overview: %s", err.data ? err.data : "数据库出错\n");
    } else if (o.s) {
        size_t len;
        char *page = nb_cli_lib_string(o.h, "overview", "page", push_data, &o, &len, &err);
        if (!page)
            fprintf(stderr, "nianbao overview: 生成网页出错：%s", err.data ? err.data : "\n");
        else if (nb_write_file_atomic(out, page, len, &err))
            status = NB_EXIT_OK;
        else
            fprintf(stderr, "nianbao overview: %s", err.data ? err.data : "无法写出\n");
        if (status == NB_EXIT_OK && out && strcmp(out, "-") != 0)
            fprintf(stderr, "已写入 %s\n", out);
        free(page);
    }
    nb_sb_free(&err);
    ov_free(&o);
    nb_store_close(o.s);
    nb_host_free(o.h);
    return status;
}
