/* DRAFT-TODO (kind "placeholder"): the places a draft of `nianbao new`
 * leaves to fill, marked by words the format declares ("（请填写"), are
 * listed one finding a line, with the placeholder quoted; and a line holding
 * one satisfies no text rule. */
#ifndef NB_DRAFT_RULE_H
#define NB_DRAFT_RULE_H
#include "model/findings.h"
#include "model/report.h"

void nb_placeholder_rule(const nb_rule *rule, const nb_report *r, nb_findings *out);

/* text less its lines that hold a placeholder mark of the format (any
 * rule of kind placeholder declares them); caller frees. */
char *nb_text_drop_placeholders(const nb_format *fmt, const char *text);

#endif
