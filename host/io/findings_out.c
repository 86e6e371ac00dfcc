/* See findings_out.h. */
#include "io/findings_out.h"
#include "io/term_text.h"

static const char *sev_zh(nb_severity s)
{
    switch (s) {
    case NB_SEV_ERROR: return "错误";
    case NB_SEV_WARNING: return "警告";
    case NB_SEV_INFO: return "提示";
    case NB_SEV_VERIFY: return "核实";
    }
    return "?";
}

/* Every text from a report or a plugin goes through nb_fputs_term. */
void nb_findings_print(FILE *out, const char *source, const nb_findings *fs)
{
    for (size_t i = 0; i < fs->n; i++) {
        const nb_finding *f = &fs->items[i];
        nb_fputs_term(source, out);
        if (f->line)
            fprintf(out, ":%u", f->line);
        fputs(": ", out);
        fprintf(out, "%s %s [", sev_zh(f->severity), nb_severity_name(f->severity));
        nb_fputs_term(f->rule, out);
        fputs("] ", out);
        if (f->table_label) {
            nb_fputs_term(f->table_label, out);
            if (f->row_label) {
                fputs("“", out);
                nb_fputs_term(f->row_label, out);
                fputs("”", out);
            }
            if (f->col_label) {
                fputs("×“", out);
                nb_fputs_term(f->col_label, out);
                fputs("”", out);
            }
            fputs("：", out);
        }
        nb_fputs_term(f->message, out);
        if (f->expected || f->actual) {
            fputs("（应为 ", out);
            nb_fputs_term(f->expected ? f->expected : "—", out);
            fputs("，实际 ", out);
            nb_fputs_term(f->actual ? f->actual : "—", out);
            fputs("）", out);
        }
        if (f->accepted) {
            fputs("〔已接受：", out);
            nb_fputs_term(f->accepted, out);
            fputs("〕", out);
        }
        fputc('\n', out);
    }
}

static void add_str(cJSON *o, const char *k, const char *v)
{
    if (v)
        cJSON_AddStringToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

cJSON *nb_findings_json(const char *source, const nb_report *r, const nb_findings *fs)
{
    cJSON *o = cJSON_CreateObject();
    add_str(o, "file", source);
    add_str(o, "format", r ? r->format->id : NULL);
    add_str(o, "agency", r ? r->agency : NULL);
    if (r && r->year)
        cJSON_AddNumberToObject(o, "year", r->year);
    else
        cJSON_AddNullToObject(o, "year");
    cJSON *arr = cJSON_AddArrayToObject(o, "findings");
    for (size_t i = 0; fs && i < fs->n; i++) {
        const nb_finding *f = &fs->items[i];
        cJSON *j = cJSON_CreateObject();
        add_str(j, "rule", f->rule);
        add_str(j, "severity", nb_severity_name(f->severity));
        add_str(j, "message", f->message);
        add_str(j, "table", f->table);
        add_str(j, "table_label", f->table_label);
        add_str(j, "row", f->row);
        add_str(j, "row_label", f->row_label);
        add_str(j, "column", f->col);
        add_str(j, "column_label", f->col_label);
        add_str(j, "expected", f->expected);
        add_str(j, "actual", f->actual);
        add_str(j, "accepted", f->accepted);
        if (f->line)
            cJSON_AddNumberToObject(j, "line", f->line);
        else
            cJSON_AddNullToObject(j, "line");
        cJSON_AddItemToArray(arr, j);
    }
    return o;
}
