/* What a built-in plugin file declares about itself in its first lines, so
 * that the loader can leave it unloaded until a command needs it:
 *
 *   --: importer ID                 the file registers importer ID
 *   --: renderer ID                 the file registers renderer ID
 *   --: extensions EXT...           the importer's extensions
 *   --: content prefix "BYTES"      detect can say yes only when the file
 *   --: content within N [nocase] "BYTES"...   starts with BYTES, or has one
 *                                   of them in its first N bytes
 *                                   (by_content importers)
 *   --: marks EXT within N "BYTES"...  for a file named *.EXT whose head is
 *                                   UTF-8: detect can say yes only when one
 *                                   of them is in its first N bytes (an
 *                                   importer with a detect)
 *   --: headings EXT within N "ANCHOR"   for a file named *.EXT whose head
 *                                   is UTF-8: detect can say yes only when a
 *                                   section heading of a format, one holding
 *                                   ANCHOR, stands after other text on its
 *                                   line in the first N bytes (the labels are
 *                                   the formats' own, read when asked)
 *   --: uses ID...                  importers it calls through importer_of
 *   --: libraries NAME...           the shared libraries its host functions
 *                                   open on first use (xml2, zip, poppler):
 *                                   `check -j` and `add -j` open them in the
 *                                   parent before the workers fork when the
 *                                   first file is the importer's, so that
 *                                   the workers share one load
 *
 * BYTES is written as in Lua ("\3", "\\", "\""), read by C without running
 * the file.  After the file runs, the loader checks that it registered
 * what it declared (plugin_host.c), so a declaration cannot drift. */
#ifndef NB_PLUGIN_DECL_H
#define NB_PLUGIN_DECL_H
#include "base/strbuf.h"
#include "lua/registry.h"
#include "text/text_inline.h"
#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *bytes;
    size_t len, within; /* within 0: a prefix */
    bool nocase;
} nb_decl_mark;

/* Marks chained by the byte each is searched by (plugin_decl.c's any_mark),
 * made once when the declaration is read: the gates are asked about every
 * file, and making these chains and the headings' words (below) for each
 * was 6 K of the gates' 23 K instructions a .txt report. */
typedef struct {
    size_t *at, *next;   /* per mark: where its search byte is; the next mark of its chain (SIZE_MAX: none) */
    size_t head[256];    /* per chain, its first mark */
    unsigned char key[256]; /* per chain, its search byte (a letter's lower case) */
    size_t nkeys, reach; /* chains; the farthest any mark but a prefix may stand */
} nb_mark_index;

/* The section headings of the formats that hold a declaration's heading
 * anchor, as the headings gate looks for them: copied when first asked for
 * and again when the formats registered have changed in number. */
typedef struct {
    nb_inline_word *words; /* each word's s its own copy */
    size_t nwords, nformats;
    bool made;
} nb_heading_words;

typedef struct {
    char *importer, *renderer;
    char **extensions, **uses, **libraries;
    size_t nextensions, nuses, nlibraries;
    nb_decl_mark *marks; /* content */
    size_t nmarks;
    char *gate_ext; /* marks EXT, headings EXT */
    nb_decl_mark *gates;
    size_t ngates;
    char *heading_anchor; /* headings: NULL, or what a heading holds */
    size_t heading_within;
    nb_mark_index marks_index, gates_index;
    nb_heading_words headings;
} nb_plugin_decl;

/* Reads the declaration at the head of text; false with the reason in err
 * (naming path and line) when a "--:" line is malformed. */
bool nb_plugin_decl_read(nb_plugin_decl *d, const char *path, const char *text, size_t len, nb_strbuf *err);
void nb_plugin_decl_free(nb_plugin_decl *d);
/* True when the declaration lets the loader defer the file. */
bool nb_plugin_decl_deferrable(const nb_plugin_decl *d);
/* True when path's extension is one of d's (case-insensitive). */
bool nb_plugin_decl_has_extension(const nb_plugin_decl *d, const char *path);
/* True when the head of a file (data, len) matches one of d's content marks. */
bool nb_plugin_decl_content(const nb_plugin_decl *d, const char *data, size_t len);
/* False when d's marks and headings say its detect cannot take the file
 * path with head (data, len): its extension is d's gate_ext, the head is
 * UTF-8 (a cut last character allowed) without NUL, none of the marks is in
 * it and no heading of h's formats that holds the anchor stands after other
 * text on its line.  *utf8 keeps the UTF-8 verdict for the other
 * declarations asked about the same head: -1 before the first. */
bool nb_plugin_decl_may_detect(nb_plugin_decl *d, const nb_host *h, const char *path, const char *data,
                               size_t len, int *utf8);

#endif
