/* check --json, streamed: each report's object is printed as soon as it is
 * checked and freed, so memory stays flat however many reports there are.
 *   {"reports": [ {...}, ... ],
 *    "unreadable_files": [ {"file": PATH, "reason": TEXT}, ... ],
 *    "summary": {...}}
 * The unreadable files are kept until the end (one name and reason each). */
#ifndef NB_CHECK_JSON_H
#define NB_CHECK_JSON_H
#include <cjson/cJSON.h>
#include <stdio.h>

typedef struct nb_check_json nb_check_json;

/* Starts the document on out ("{"reports":["). */
nb_check_json *nb_check_json_begin(FILE *out);
/* Prints one report object and deletes it. */
void nb_check_json_report(nb_check_json *j, cJSON *report);
/* Records a file that could not be read or imported, with the reason given. */
void nb_check_json_unreadable(nb_check_json *j, const char *file, const char *reason);
/* Ends the document with the unreadable files and summary (deleted), frees j. */
void nb_check_json_end(nb_check_json *j, cJSON *summary);
/* Frees j without printing (a check -j worker, which prints nothing). */
void nb_check_json_discard(nb_check_json *j);

#endif
