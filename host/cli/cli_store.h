/* What the store commands (cli_store*.c: add, ls, show, check --db, roster,
 * missing, sum) share: opening the store with a Chinese error, finding a
 * stored report's format, checking a report against last year's. */
#ifndef NB_CLI_STORE_H
#define NB_CLI_STORE_H
#include "cli/cli.h"
#include "model/findings.h"
#include "store/store.h"

int nb_cmd_add(int argc, char **argv);
int nb_cmd_ls(int argc, char **argv);
int nb_cmd_show(int argc, char **argv);
int nb_cmd_check_store(int argc, char **argv);
int nb_cmd_roster(int argc, char **argv);
int nb_cmd_missing(int argc, char **argv);
int nb_cmd_sum(int argc, char **argv);

/* True when argv holds --db (check then reads the store). */
bool nb_cli_wants_store(int argc, char **argv);

/* Opens the store named by --db (db may be NULL), $NIANBAO_DB or
 * ./nianbao.db, printing why not; NULL means exit 2. */
nb_store *nb_cli_store_open(const char *cmd, const char *db, bool create);

/* nb_store_format_fn over an nb_host. */
const nb_format *nb_cli_store_format(void *host, const char *format_id);

/* The id of the newest current report of unit for year, or 0 (-1 on a
 * store error, printed). */
int64_t nb_cli_store_find(nb_store *s, const char *unit, int year, size_t *count);

/* AGG-SUM: compares sum (the region's 汇总 just built; its agency is the
 * region) with the region's own published report of that year, when stored;
 * adds an error note per cell that differs.  Returns how many differ, -1 on
 * a store error (printed). */
int nb_cli_agg_sum(nb_host *h, nb_store *s, nb_report *sum);

/* The 汇总 of region for year (nianbao sum) into *out, or *out = NULL when
 * the roster has no unit below region.  false on a store error (in err). */
bool nb_cli_sum_region(nb_host *h, nb_store *s, const char *region, int year, nb_report **out, nb_strbuf *err);

/* AGG-SUM for check --db: when pub (a stored report) is of a region with
 * units on the roster, its cells against their sum, as findings in fs. */
bool nb_cli_agg_check(nb_host *h, nb_store *s, const nb_report *pub, nb_findings *fs, nb_strbuf *err);

/* DATE-DL: true (with a Chinese message) when r's publication date is known
 * and later than the deadline its format declares for level (the unit's
 * 层级 on the roster). */
bool nb_cli_date_late(const nb_report *r, const char *level, char *msg, size_t size);
bool nb_cli_date_late_at(const nb_format *f, int year, const char *published, const char *level, char *msg,
                         size_t size);

#endif
