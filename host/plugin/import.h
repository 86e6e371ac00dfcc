/* From a file to a report: read it, pick the importer (--via, extension,
 * the importers' detect functions, else "text"), run it, build the model. */
#ifndef NB_IMPORT_H
#define NB_IMPORT_H
#include "lua/registry.h"
#include "model/report.h"

typedef struct {
    const char *via;       /* importer id, or NULL to choose */
    const char *format_id; /* format id, or NULL to choose by year */
    int year;              /* --year: the report year for sources that do not state it; 0 = none */
    const char *agency;    /* --agency: the unit, for sources that do not name it; NULL = none */
} nb_import_opts;

/* "-" reads standard input.  Returns NULL with the reason in err. */
nb_report *nb_import_file(nb_host *h, const char *path, const nb_import_opts *opts, nb_strbuf *err);

/* Imports data (len bytes, read from path) as nb_import_file does; when
 * importer is not NULL it receives the id of the importer chosen. */
nb_report *nb_import_data(nb_host *h, const char *path, const char *data, size_t len, const nb_import_opts *opts,
                          const char **importer, nb_strbuf *err);

/* Reads a whole file ("-" = stdin); NULL with a message in err. */
char *nb_read_file(const char *path, size_t *len, nb_strbuf *err);

#endif
