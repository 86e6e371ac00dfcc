/* See findings.h. */
#include "model/findings.h"
#include "base/xalloc.h"
#include <string.h>

void nb_findings_init(nb_findings *fs)
{
    memset(fs, 0, sizeof *fs);
    nb_arena_init(&fs->arena);
}

void nb_findings_free(nb_findings *fs)
{
    free(fs->items);
    nb_arena_free(&fs->arena);
    memset(fs, 0, sizeof *fs);
}

nb_finding *nb_findings_add(nb_findings *fs, const nb_rule *rule, const char *message)
{
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 16;
        fs->items = nb_xrealloc(fs->items, fs->cap * sizeof *fs->items);
    }
    nb_finding *f = &fs->items[fs->n++];
    memset(f, 0, sizeof *f);
    f->rule = rule->id;
    f->severity = rule->severity;
    f->message = nb_arena_strdup(&fs->arena, message ? message : rule->message);
    return f;
}

void nb_finding_at_cell(nb_findings *fs, nb_finding *f, const nb_format *fmt, size_t cell)
{
    (void)fs;
    const nb_cell_addr *a = nb_format_cell_addr(fmt, cell);
    f->table = a->table->id;
    f->table_label = a->table->label;
    f->row = a->row->id;
    f->row_label = a->row->label;
    f->col = a->col->id;
    f->col_label = a->col->label;
}

void nb_finding_set(nb_findings *fs, const char **field, const char *value)
{
    *field = value ? nb_arena_strdup(&fs->arena, value) : NULL;
}

size_t nb_findings_count(const nb_findings *fs, nb_severity sev)
{
    size_t n = 0;
    for (size_t i = 0; i < fs->n; i++)
        n += fs->items[i].severity == sev && !fs->items[i].accepted;
    return n;
}
