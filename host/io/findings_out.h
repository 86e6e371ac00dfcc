/* Printing findings: one line each for people, or JSON for scripts. */
#ifndef NB_FINDINGS_OUT_H
#define NB_FINDINGS_OUT_H
#include "model/findings.h"
#include "model/report.h"
#include <cjson/cJSON.h>
#include <stdio.h>

void nb_findings_print(FILE *out, const char *source, const nb_findings *fs);
/* {"file", "format", "agency", "year", "findings": [...]} */
cJSON *nb_findings_json(const char *source, const nb_report *r, const nb_findings *fs);

#endif
