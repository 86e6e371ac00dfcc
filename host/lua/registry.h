/* What the plugins registered — formats, importers, renderers — and the
 * sandbox they live in: the one nb_host that every later call into a
 * plugin (import, render, Lua rules) goes through.  Filled by the loader
 * (plugin/plugin_host.c) through the registration functions of the host
 * API (api/registration.c); this file only holds and looks up. */
#ifndef NB_REGISTRY_H
#define NB_REGISTRY_H
#include "base/strbuf.h"
#include "lua/lua_builtin.h"
#include "lua/lua_sandbox.h"
#include "model/format.h"
#include <stdbool.h>

typedef struct {
    const char *id, *description, *file;
    char **extensions;
    size_t nextensions;
    int fn_ref, detect_ref;
    bool by_content; /* its detect is asked before the extension decides */
    int rank;        /* its file's place in the loading order (importers stay in it) */
} nb_importer;

typedef struct {
    const char *id, *description, *file, *extension;
    int fn_ref;
    bool publish; /* a document for publication: not made of a report with errors unless forced */
} nb_renderer;

typedef struct {
    nb_format *format;
    /* under check and render, a built-in format file as built: its sketch
     * (lua_format_sketch.h), format until the entry is first looked up by
     * nb_host_format or nb_host_format_for_year, which build it in full;
     * kept for the host's life, since a text placer holds its labels */
    nb_format *sketch;
    int decl_ref; /* the declaration table, lent to importers and renderers */
    /* rules not compiled yet (lua_format_late.c): where host.format was
     * called and the traceback from there, else NULL */
    char *rules_where, *rules_trace;
    /* under check and render, a built-in format file as built whose sketch
     * was made at build time: the file, not run yet (decl_ref LUA_NOREF),
     * run by the host's run_late when the entry is first looked up */
    const nb_builtin_chunk *unrun;
} nb_format_entry;

typedef struct nb_host_s {
    nb_sandbox *sb;
    bool registration_open;
    const char *current_file;
    nb_format_entry *formats;
    size_t nformats;
    nb_importer *importers;
    size_t nimporters;
    nb_renderer *renderers;
    size_t nrenderers;
    char **plugin_files;
    size_t nplugin_files;
    char **template_dirs; /* searched in order: user first, then built-in */
    size_t ntemplate_dirs;
    bool share_reports; /* nb_lua_rule_share: rules of one validation share the report tables */
    int current_rank; /* the place of the file being loaded */
    void *lazy;       /* built-in files left unloaded (plugin/plugin_lazy.c), or NULL */
    void (*lazy_free)(void *lazy);
    /* under check, the built-in files as built: host.format keeps no copy of
     * the declaration and leaves its rules to nb_host_format_rules
     * (lua/lua_format_late.c); late_format for the file being loaded */
    bool late_formats, late_format;
    /* runs an unrun entry's file (plugin/plugin_late.c), raising on a
     * failure; late_entry: the entry whose file is running, which its
     * host.format fills instead of adding one */
    void (*run_late)(struct nb_host_s *h, nb_format_entry *e);
    nb_format_entry *late_entry;
} nb_host;

/* Frees everything registered and closes the sandbox. */
void nb_host_free(nb_host *h);

/* The format id, built in full (from its sketch, if it was one: a memory
 * error of that build is raised), or NULL. */
const nb_format_entry *nb_host_format(const nb_host *h, const char *id);
/* The format id as it stands, perhaps its sketch only, its file perhaps
 * not run (what registration needs), or NULL. */
const nb_format_entry *nb_host_format_entry(const nb_host *h, const char *id);
/* The format id with its declaration (its file run, if it had not: a
 * failure is raised as nb_host_format raises), perhaps its sketch only
 * (what lending a declaration needs), or NULL. */
const nb_format_entry *nb_host_format_declared(const nb_host *h, const char *id);
/* The format for a report year (of those covering it, the one starting
 * latest), built in full as nb_host_format builds it, or NULL. */
const nb_format_entry *nb_host_format_for_year(const nb_host *h, int year);
const nb_importer *nb_host_importer(const nb_host *h, const char *id);
const nb_renderer *nb_host_renderer(const nb_host *h, const char *id);

/* Formats a Lua error at the top of the stack into err and pops it.
 * Structured input errors become "source:line: message". */
void nb_host_error(nb_host *h, const char *source, nb_strbuf *err);

#endif
