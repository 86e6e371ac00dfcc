/* The names rules are written with in declarations and shown in findings
 * and the catalogue: kinds and severities (model/rules.h). */
#include "model/rules.h"
#include <string.h>

const char *nb_severity_name(nb_severity s)
{
    switch (s) {
    case NB_SEV_INFO: return "info";
    case NB_SEV_WARNING: return "warning";
    case NB_SEV_ERROR: return "error";
    case NB_SEV_VERIFY: return "verify";
    }
    return "?";
}

static const char *const KIND_NAMES[] = {
    [NB_RULE_ASSERT] = "assert",          [NB_RULE_BLANK] = "blank",
    [NB_RULE_TYPE] = "type",              [NB_RULE_SECTIONS] = "sections",
    [NB_RULE_TEXT_LENGTH] = "text_length", [NB_RULE_TEXT_MENTIONS] = "text_mentions",
    [NB_RULE_YEAR] = "year",              [NB_RULE_TEXT_SIMILAR] = "text_similar",
    [NB_RULE_LUA] = "lua",                [NB_RULE_VERSION] = "version",
    [NB_RULE_PLACEHOLDER] = "placeholder", [NB_RULE_JUMP] = "jump",
    [NB_RULE_BACKLOG] = "backlog", [NB_RULE_NARRATIVE] = "narrative"};

const char *nb_rule_kind_name(nb_rule_kind k)
{
    return (size_t)k < sizeof KIND_NAMES / sizeof KIND_NAMES[0] && KIND_NAMES[k] ? KIND_NAMES[k] : "?";
}

bool nb_rule_kind_parse(const char *s, nb_rule_kind *out)
{
    for (size_t k = 0; k < sizeof KIND_NAMES / sizeof KIND_NAMES[0]; k++)
        if (KIND_NAMES[k] && strcmp(KIND_NAMES[k], s) == 0) {
            *out = (nb_rule_kind)k;
            return true;
        }
    return false;
}

bool nb_severity_parse(const char *s, nb_severity *out)
{
    if (strcmp(s, "info") == 0) *out = NB_SEV_INFO;
    else if (strcmp(s, "warning") == 0) *out = NB_SEV_WARNING;
    else if (strcmp(s, "error") == 0) *out = NB_SEV_ERROR;
    else if (strcmp(s, "verify") == 0) *out = NB_SEV_VERIFY;
    else return false;
    return true;
}
