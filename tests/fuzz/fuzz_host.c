/* See fuzz.h: the Lua host shared by the importer targets, opened once per
 * process and reset between inputs (stack emptied, garbage collected). */
#include "fuzz.h"
#include "base/strbuf.h"
#include "io/lazy_open.h"
#include "io/lib_alloc.h"
#include "lua/lua_rule.h"
#include "model/findings.h"
#include "plugin/import.h"
#include "plugin/plugin_host.h"
#include "rules/validator.h"
#include <lua.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static nb_host *host;
static unsigned long nreports, nrefused, nplugin_errors, ninputs;
static char first_plugin_error[600];

static void close_host(void)
{
    nb_fuzz_summary();
    nb_host_free(host);
    host = NULL;
}

void nb_fuzz_init(void)
{
    if (host)
        return;
    nb_lib_alloc_init(); /* as main does: the libraries' memory counted against the plugins' ceiling */
    /* the plugins of this source tree, nothing of the user's */
    setenv("NIANBAO_DATA_DIR", NB_SOURCE_DIR, 0);
    setenv("XDG_DATA_HOME", "/nonexistent-nianbao-fuzz", 1);
    nb_strbuf err;
    nb_sb_init(&err);
    host = nb_host_open(NULL, &err);
    if (!host) {
        fprintf(stderr, "fuzz: 无法加载插件：%s", err.data ? err.data : "\n");
        exit(2);
    }
    nb_sb_free(&err);
    /* the document libraries loaded before any exit handler is registered:
     * a library loaded later has its C++ objects destroyed at exit before
     * the handlers registered ahead of it run, and fuzz_main's handler
     * reads its slowest input again (qpdf's, destroyed, crashed there) */
    (void)nb_lazy_open_poppler();
    (void)nb_lazy_open_xml2();
    (void)nb_lazy_open_zip();
    atexit(close_host);
}

/* A plugin error (a traceback) on an input is an importer that should have
 * said "input error" instead; counted, and with NB_FUZZ_STRICT=1 fatal. */
/* does data hold the n bytes of s? (a loop of its own: memmem is GNU) */
static int holds(const uint8_t *data, size_t size, const char *s, size_t n)
{
    for (size_t i = 0; i + n <= size; i++)
        if (memcmp(data + i, s, n) == 0)
            return 1;
    return 0;
}

static void refused(const char *msg, const uint8_t *data, size_t size)
{
    static const char mark[] = "stack traceback:";
    nrefused++;
    if (!msg || !strstr(msg, mark) || holds(data, size, mark, sizeof mark - 1))
        return; /* an input error, or one quoting an input that holds the words */
    nplugin_errors++;
    if (!first_plugin_error[0])
        snprintf(first_plugin_error, sizeof first_plugin_error, "%s", msg);
    if (getenv("NB_FUZZ_STRICT")) {
        fprintf(stderr, "fuzz: 插件错误而不是输入错误：\n%s", msg);
        abort();
    }
}

void nb_fuzz_import(const char *via, const char *name, const uint8_t *data, size_t size, int year)
{
    nb_fuzz_init();
    ninputs++;
    nb_import_opts opts = {.via = via, .year = year};
    nb_strbuf err;
    nb_sb_init(&err);
    nb_report *r = nb_import_data(host, name, (const char *)data, size, &opts, NULL, &err);
    if (r) {
        nreports++;
        nb_findings fs;
        nb_findings_init(&fs);
        const nb_format_entry *by_year = r->year ? nb_host_format_for_year(host, r->year) : NULL;
        nb_check_ctx ctx = {.year_format = by_year ? by_year->format : NULL, .lua_rule = nb_lua_rule_run,
                            .ud = host};
        nb_validate(r, &ctx, &fs);
        nb_findings_free(&fs);
        nb_report_free(r);
    } else {
        refused(err.data, data, size);
    }
    nb_sb_free(&err);
    /* reset: nothing may stay on the stack between inputs */
    lua_State *L = host->sb->L;
    if (lua_gettop(L) != 0) {
        fprintf(stderr, "fuzz: %d values left on the Lua stack after an input\n", lua_gettop(L));
        abort();
    }
    if (ninputs % 64 == 0)
        lua_gc(L, LUA_GCCOLLECT);
}

void nb_fuzz_import_file(const char *via, const char *ext, const uint8_t *data, size_t size, int year)
{
    /* in memory (/dev/shm) where there is one: a file on disk per input was
     * a write, a close and an unlink through the disk's journal */
    static const char *dir;
    if (!dir)
        dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    char path[64];
    snprintf(path, sizeof path, "%s/nb-fuzz-XXXXXX.%s", dir, ext);
    int fd = mkstemps(path, (int)strlen(ext) + 1);
    if (fd < 0) {
        perror("fuzz: mkstemps");
        abort();
    }
    size_t done = 0;
    while (done < size) {
        ssize_t n = write(fd, data + done, size - done);
        if (n <= 0) {
            perror("fuzz: write");
            abort();
        }
        done += (size_t)n;
    }
    close(fd);
    nb_fuzz_import(via, path, data, size, year);
    unlink(path);
}

void nb_fuzz_replace_api(const char *importer, const char *name, int (*fn)(struct lua_State *L))
{
    nb_fuzz_init();
    const nb_importer *imp = nb_host_importer(host, importer);
    if (!imp) {
        fprintf(stderr, "fuzz: 没有导入插件 %s\n", importer);
        abort();
    }
    lua_State *L = host->sb->L;
    bool done = false;
    lua_rawgeti(L, LUA_REGISTRYINDEX, imp->fn_ref);
    /* the host table: the upvalue that holds a function of that name (the
     * names of upvalues are gone from built-in plugins' bytecode) */
    for (int i = 1; !done && lua_getupvalue(L, -1, i); i++) {
        if (lua_type(L, -1) == LUA_TTABLE) {
            lua_pushstring(L, name);
            if (lua_rawget(L, -2) == LUA_TFUNCTION) {
                lua_pushstring(L, name);
                lua_pushcfunction(L, fn);
                lua_rawset(L, -4);
                done = true;
            }
            lua_pop(L, 1);
        }
        lua_pop(L, 1);
    }
    lua_pop(L, 1);
    if (!done) {
        fprintf(stderr, "fuzz: 导入插件 %s 的 host 表里没有 %s\n", importer, name);
        abort();
    }
}

void nb_fuzz_summary(void)
{
    if (!ninputs)
        return;
    fprintf(stderr, "fuzz: %lu inputs: %lu reports, %lu refused (%lu as plugin errors)\n", ninputs, nreports,
            nrefused, nplugin_errors);
    if (first_plugin_error[0] && getenv("NB_FUZZ_VERBOSE"))
        fprintf(stderr, "fuzz: first plugin error: %s\n", first_plugin_error);
}
