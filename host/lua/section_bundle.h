/* A section bundle: a report's sections (heading, level, line, text) held
 * in one Lua userdata.  host.text_place gathers a report's sections in C;
 * handing them over as a Lua table of tables and strings, only for
 * host/lua/lua_report.c to read every one back, was a tenth of importing a
 * .txt report.  The importer gives the bundle as report.sections, and may
 * read and shorten the last section's text (its 落款) through
 * host.last_section_text / host.cut_last_section.  The bundle owns no C
 * memory: its strings live in the userdata, each ending in a NUL. */
#ifndef NB_SECTION_BUNDLE_H
#define NB_SECTION_BUNDLE_H
#include <lua.h>
#include <stddef.h>
#include <stdint.h>

typedef struct nb_section_bundle nb_section_bundle;

typedef struct {
    const char *heading, *text; /* NUL-terminated, in the bundle */
    size_t nheading, ntext;
    int level;
    uint32_t line;
} nb_bundle_section;

/* Pushes a bundle for n sections whose headings and texts take at most
 * `bytes` bytes (their NULs not counted). */
nb_section_bundle *nb_section_bundle_push(lua_State *L, size_t n, size_t bytes);
/* Section k (in order from 0): its heading, level and line; its text is
 * then written with nb_section_bundle_text and nb_section_bundle_end. */
void nb_section_bundle_add(nb_section_bundle *b, const char *heading, size_t n, int level, uint32_t line);
/* Appends bytes to the text of the last section added. */
void nb_section_bundle_text(nb_section_bundle *b, const char *s, size_t n);

/* The bundle at idx, or NULL when the value there is not one. */
nb_section_bundle *nb_section_bundle_test(lua_State *L, int idx);
size_t nb_section_bundle_count(const nb_section_bundle *b);
const nb_bundle_section *nb_section_bundle_get(const nb_section_bundle *b, size_t k);

/* Adds last_section_text and cut_last_section to the table on top. */
void nb_section_bundle_register(lua_State *L);

#endif
