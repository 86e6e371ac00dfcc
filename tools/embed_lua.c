/* Build tool: embeds the built-in plugin and lib files, each with its
 * bytecode, in a C file (host/lua/lua_builtin.h's table), so that starting
 * nianbao does not compile them (host/lua/lua_builtin.c).  The bytecode is
 * the one liblua makes of the text, with its line information (messages
 * name the line); where the dump codes the chunk name is found here and a
 * splice under another name is loaded back and checked, so a liblua whose
 * dumps differ stops the build rather than a run.
 *
 * A format file (plugins/formats/) is also run here, with a host that
 * lends it host.lib and host.format only, and its format's sketch
 * (host/lua/lua_format_sketch.c) embedded as bytes
 * (host/model/format_sketch_bytes.h): check reads the sketches and runs a
 * format file when its format is first looked up (host/plugin/plugin_late.c),
 * so a check of a 2024 report never runs the 2019 one.  The lib modules it
 * used are named with it: an edit of one runs the file at start again.
 *
 * usage: embed_lua OUT.c ROOT REL...   (REL: a file's path under ROOT) */
#include "lua/lua_bytecode.h"
#include "lua/lua_format_sketch.h"
#include "model/format_sketch_bytes.h"
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    unsigned char *data;
    size_t len, cap;
} buf;

static int add(lua_State *L, const void *p, size_t n, void *ud)
{
    (void)L;
    buf *b = ud;
    if (b->len + n > b->cap) {
        b->cap = (b->len + n) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data)
            return 1;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static void die(const char *rel, const char *why)
{
    fprintf(stderr, "embed_lua: %s: %s\n", rel, why);
    exit(1);
}

static buf read_file(const char *root, const char *rel)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        die(rel, "cannot open");
    buf b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if (add(NULL, chunk, n, &b))
            die(rel, "out of memory");
    fclose(fp);
    return b;
}

static void put_bytes(FILE *out, const char *what, size_t i, const unsigned char *p, size_t n)
{
    fprintf(out, "static const unsigned char %s_%zu[] = {", what, i);
    for (size_t k = 0; k < n; k++)
        fprintf(out, "%s%u,", k % 24 ? "" : "\n", p[k]);
    fprintf(out, "%s};\n", n ? "" : "0");
}

/* (chunk, root) → the declaration it registered, the lib modules it used
 * (a list) */
static const char RUN_FORMAT[] =
    "local chunk, root = ...\n"
    "local host, decls, libs, used = {}, {}, {}, {}\n"
    "function host.lib(name)\n"
    "  if libs[name] == nil then\n"
    "    used[#used + 1] = 'lib/' .. name .. '.lua'\n"
    "    libs[name] = assert(loadfile(root .. '/' .. used[#used], 't'))(host) or true\n"
    "  end\n"
    "  return libs[name]\n"
    "end\n"
    "function host.format(t) decls[#decls + 1] = t end\n"
    "chunk(host)\n"
    "assert(#decls == 1, 'a format file registers one format and nothing else')\n"
    "return decls[1], used\n";

/* (declaration, strbuf): its sketch appended as bytes */
static int sketch_bytes(lua_State *L)
{
    nb_format *f = nb_lua_sketch_format(L, 1, "");
    nb_sketch_to_bytes(f, lua_touserdata(L, 2));
    nb_format_free(f);
    return 0;
}

/* Runs the format file whose chunk is on top (popped) and writes its
 * sketch into *sketch; the lib modules it used are written out as libs_I. */
static void sketch_format(lua_State *L, FILE *out, const char *root, const char *rel, int i, nb_strbuf *sketch)
{
    if (luaL_loadbufferx(L, RUN_FORMAT, sizeof RUN_FORMAT - 1, "=embed_lua", "t") != LUA_OK)
        die(rel, lua_tostring(L, -1));
    lua_insert(L, -2);
    lua_pushstring(L, root);
    if (lua_pcall(L, 2, 2, 0) != LUA_OK)
        die(rel, lua_tostring(L, -1));
    lua_pushcfunction(L, sketch_bytes);
    lua_pushvalue(L, -3);
    lua_pushlightuserdata(L, sketch);
    if (lua_pcall(L, 2, 0, 0) != LUA_OK)
        die(rel, lua_tostring(L, -1));
    fprintf(out, "static const char *const libs_%d[] = {", i);
    for (lua_Integer k = 1; k <= (lua_Integer)lua_rawlen(L, -1); k++) {
        lua_rawgeti(L, -1, k);
        const char *lib = lua_tostring(L, -1);
        if (strpbrk(lib, "\"\\\n"))
            die(rel, "a lib module's name with a quote, backslash or line break");
        fprintf(out, "\"%s\", ", lib);
        lua_pop(L, 1);
    }
    fprintf(out, "NULL};\n");
    lua_pop(L, 2);
}

/* Where in the dump d the chunk name name is coded: *at, *end. */
static void find_name(const buf *d, const char *name, const char *rel, size_t *at, size_t *end)
{
    unsigned char coded[NB_BC_SIZE_MAX + 4096];
    size_t n = strlen(name), k = nb_bc_size_code(coded, n);
    memcpy(coded + k, name, n);
    for (size_t i = 0; i + k + n <= d->len; i++)
        if (memcmp(d->data + i, coded, k + n) == 0) {
            *at = i;
            *end = i + k + n;
            return;
        }
    die(rel, "the chunk name is not in its dump (a liblua that dumps otherwise: see host/lua/lua_bytecode.h)");
}

/* Loads the dump back under another name and checks the function is named so. */
static void check_splice(lua_State *L, const buf *d, size_t at, size_t end, const char *rel)
{
    char other[4096];
    snprintf(other, sizeof other, "@/a/longer/directory/than/at/build/time/%s", rel);
    if (nb_bc_load(L, d->data, d->len, at, end, other) != LUA_OK)
        die(rel, lua_tostring(L, -1));
    lua_Debug ar;
    lua_getinfo(L, ">S", &ar); /* pops the function */
    if (strcmp(ar.source, other) != 0)
        die(rel, "the spliced dump keeps another name (see host/lua/lua_bytecode.h)");
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: embed_lua OUT.c ROOT REL...\n");
        return 2;
    }
    FILE *out = fopen(argv[1], "w");
    lua_State *L = luaL_newstate();
    if (!out || !L)
        die(argv[1], "cannot write");
    luaL_openlibs(L); /* the format files run here (sketch_format) */
    fprintf(out, "/* Generated by tools/embed_lua.c at build time: do not edit. */\n"
                 "#include \"lua/lua_builtin.h\"\n");
    for (int i = 3; i < argc; i++) {
        const char *rel = argv[i];
        if (strpbrk(rel, "\"\\\n"))
            die(rel, "a path with a quote, backslash or line break");
        buf src = read_file(argv[2], rel), dump = {0};
        nb_strbuf sketch;
        nb_sb_init(&sketch);
        char name[4096];
        snprintf(name, sizeof name, "@%s", rel);
        if (luaL_loadbufferx(L, src.len ? (char *)src.data : "", src.len, name, "t") != LUA_OK)
            die(rel, lua_tostring(L, -1));
        if (lua_dump(L, add, &dump, 0) != 0)
            die(rel, "lua_dump failed");
        if (strncmp(rel, "plugins/formats/", 16) == 0)
            sketch_format(L, out, argv[2], rel, i, &sketch); /* pops the chunk */
        else
            lua_pop(L, 1);
        size_t at, end;
        find_name(&dump, name, rel, &at, &end);
        check_splice(L, &dump, at, end, rel);
        put_bytes(out, "src", (size_t)i, src.data, src.len);
        put_bytes(out, "dump", (size_t)i, dump.data, dump.len);
        fprintf(out, "#define CHUNK_%d {\"%s\", src_%d, dump_%d, %zu, %zu, %zu, %zu", i, rel, i, i, src.len,
                dump.len, at, end);
        if (sketch.len) {
            fprintf(out, ", sketch_%d, %zu, libs_%d}\n", i, sketch.len, i);
            put_bytes(out, "sketch", (size_t)i, (const unsigned char *)sketch.data, sketch.len);
        } else {
            fprintf(out, ", NULL, 0, NULL}\n");
        }
        free(src.data);
        free(dump.data);
        nb_sb_free(&sketch);
    }
    fprintf(out, "const nb_builtin_chunk nb_builtin_chunks[] = {\n");
    for (int i = 3; i < argc; i++)
        fprintf(out, "    CHUNK_%d,\n", i);
    fprintf(out, "    {0}};\nconst size_t nb_builtin_nchunks = %d;\n", argc - 3);
    lua_close(L);
    return fclose(out) == 0 ? 0 : 1;
}
