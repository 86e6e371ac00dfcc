/* See check_json.h. */
#include "cli/check_json.h"
#include "base/xalloc.h"
#include <string.h>

struct nb_check_json {
    FILE *out;
    size_t nreports;
    cJSON *unreadable;
};

nb_check_json *nb_check_json_begin(FILE *out)
{
    nb_check_json *j = nb_xcalloc(1, sizeof *j);
    j->out = out;
    j->unreadable = cJSON_CreateArray();
    fputs("{\n\t\"reports\":\t[", out);
    return j;
}

void nb_check_json_report(nb_check_json *j, cJSON *report)
{
    char *s = cJSON_Print(report);
    fputs(j->nreports++ ? ", " : "", j->out);
    fputs(s, j->out);
    cJSON_free(s);
    cJSON_Delete(report);
    fflush(j->out); /* the report is out: a reader may go on while the next is checked */
}

void nb_check_json_unreadable(nb_check_json *j, const char *file, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "file", file);
    /* the reason as told on standard error, without its closing newline */
    size_t n = reason ? strlen(reason) : 0;
    while (n && (reason[n - 1] == '\n' || reason[n - 1] == '\r'))
        n--;
    char *r = nb_xmalloc(n + 1);
    memcpy(r, reason ? reason : "", n);
    r[n] = '\0';
    cJSON_AddStringToObject(o, "reason", r);
    free(r);
    cJSON_AddItemToArray(j->unreadable, o);
}

void nb_check_json_end(nb_check_json *j, cJSON *summary)
{
    char *u = cJSON_Print(j->unreadable), *s = cJSON_Print(summary);
    fprintf(j->out, "],\n\t\"unreadable_files\":\t%s,\n\t\"summary\":\t%s\n}\n", u, s);
    cJSON_free(u);
    cJSON_free(s);
    cJSON_Delete(summary);
    cJSON_Delete(j->unreadable);
    free(j);
}

void nb_check_json_discard(nb_check_json *j)
{
    if (!j)
        return;
    cJSON_Delete(j->unreadable);
    free(j);
}
