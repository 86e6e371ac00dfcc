/* See cli_store.h: helpers the store commands share. */
#include "cli/cli_store.h"
#include "io/term_text.h"
#include <stdio.h>
#include <string.h>

bool nb_cli_wants_store(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return false;
        if (strcmp(argv[i], "--db") == 0 || strncmp(argv[i], "--db=", 5) == 0)
            return true;
    }
    return false;
}

nb_store *nb_cli_store_open(const char *cmd, const char *db, bool create)
{
    nb_strbuf err;
    nb_sb_init(&err);
    nb_store *s = nb_store_open(nb_store_location(db), create, &err);
    if (!s)
        nb_printf_term(stderr, "nianbao %s: %s", cmd, err.data ? err.data : "无法打开数据库\n");
    nb_sb_free(&err);
    return s;
}

const nb_format *nb_cli_store_format(void *host, const char *format_id)
{
    const nb_format_entry *e = nb_host_format(host, format_id);
    return e ? e->format : NULL;
}

int64_t nb_cli_store_find(nb_store *s, const char *unit, int year, size_t *count)
{
    int64_t id = 0;
    size_t n = 0;
    nb_strbuf err;
    nb_sb_init(&err);
    if (!nb_store_find(s, unit, year, &id, &n, &err)) {
        nb_printf_term(stderr, "nianbao: %s", err.data);
        nb_sb_free(&err);
        return -1;
    }
    nb_sb_free(&err);
    if (count)
        *count = n;
    return id;
}
