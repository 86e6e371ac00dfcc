/* Rules as data (the format owns them; rules/ compiles and runs them).  A format plugin declares its rules; the host turns each into
 * an nb_rule once per format: assertions over cell ids are compiled here into
 * linear sums of cells (one instance per binding of their variables), and the
 * other kinds are generic checks parameterised by the plugin. */
#ifndef NB_RULES_H
#define NB_RULES_H
#include "model/format.h"
#include "base/text_cut.h"
#include <stdbool.h>
#include <stdint.h>

/* NB_SEV_VERIFY ("verify", 核实): an outlier that needs an explanation, below
 * warning; it never sets the exit status.  It comes last so that arrays
 * indexed by the first three stay valid. */
typedef enum { NB_SEV_INFO = 0, NB_SEV_WARNING, NB_SEV_ERROR, NB_SEV_VERIFY } nb_severity;

typedef enum {
    NB_RULE_ASSERT,        /* arithmetic over cells */
    NB_RULE_BLANK,         /* no blank cells */
    NB_RULE_TYPE,          /* values fit their cell type (whole counts) */
    NB_RULE_SECTIONS,      /* the format's headings present, in order */
    NB_RULE_TEXT_LENGTH,   /* a section's text not longer than max */
    NB_RULE_TEXT_MENTIONS, /* a section mentions one of some words */
    NB_RULE_YEAR,          /* title year = 统计期限 year = report year */
    NB_RULE_TEXT_SIMILAR,  /* a section not near-identical to last year's */
    NB_RULE_LUA,           /* a plugin function (escape hatch) */
    NB_RULE_VERSION,       /* the report's year and labels fit its format */
    NB_RULE_PLACEHOLDER,   /* no placeholder of a draft left (words: its marks) */
    NB_RULE_JUMP,          /* a quantity grew or fell by a factor since last year (核实) */
    NB_RULE_BACKLOG,       /* the carry-over grew and is a large share of the year's applications (核实) */
    NB_RULE_NARRATIVE      /* numbers the text states for a quantity agree with the table (TXT-NUM) */
} nb_rule_kind;

typedef enum { NB_OP_EQ, NB_OP_NE, NB_OP_LE, NB_OP_GE, NB_OP_LT, NB_OP_GT } nb_op;

typedef struct {
    int64_t coef;      /* whole multiplier, sign included */
    int32_t cell;      /* cell index in the report (current format), -1 = constant */
    bool prev;         /* refers to last year's report */
    const char *table, *row, *col; /* ids, for resolving last year's cells */
} nb_term;

/* A quantity of JUMP, BACKLOG and NARRATIVE: the sum of some cells (terms
 * with coef 1, ids kept for last year's report in another format). */
typedef struct {
    const char *what;  /* for the message ("本年新收申请") */
    nb_term *cells;
    size_t ncells;
    /* NARRATIVE: the wording that states it (Lua patterns, rules/text_pattern.h),
     * words that make a clause not this quantity, a word its sentence must hold */
    const char **patterns, **needles, **unless, *sentence; /* needles: each pattern's required bytes */
    size_t npatterns, nunless;
} nb_quantity;

/* NARRATIVE: how the text is cut and which clauses speak of another period. */
typedef struct {
    nb_word *sentences, *clauses; /* separators, cut in this order */
    size_t nsentences, nclauses;
    const char **skip;            /* a clause holding one is skipped */
    size_t nskip;
    const char *placeholder;      /* a line holding it is skipped, or NULL */
    bool needed;                  /* every pattern requires some bytes without "#" (nb_quantity.needles): a
                                   * clause, and a line, without any of them mentions nothing */
    const char **any;             /* when needed: the needles holding no other one (a text holding any
                                   * needle holds one of these) */
    size_t nany;
} nb_narrative;

typedef struct {
    nb_term *terms;    /* left side first, then right side */
    size_t nterms, nlhs;
    nb_op op;
    int32_t at;        /* cell the finding is pinned to */
    bool at_prev;
} nb_rule_instance;

struct nb_rule {
    const char *id, *message, *source, *severity_name;
    nb_severity severity;
    nb_rule_kind kind;
    bool cross_year;
    const char *expr;        /* ASSERT: the declared assertions ("; " between), for the catalogue */
    const char *each;        /* ASSERT: its variables and their ranges, in words, or NULL */
    nb_rule_instance *inst;
    size_t ninst;
    const char **tables;     /* BLANK, TYPE: table ids in scope (none = all) */
    size_t ntables;
    int section;             /* TEXT_*: index into format sections */
    long max_chars;          /* TEXT_LENGTH */
    long threshold_pct;      /* TEXT_SIMILAR: score at or above which it fires */
    const char **words;      /* TEXT_MENTIONS */
    size_t nwords;
    int lua_ref;             /* LUA: registry reference held by the Lua host */
    nb_quantity *quantities; /* JUMP: the quantities; BACKLOG: [0] the carry-over, [1] the year's applications */
    size_t nquantities;
    long factor;             /* JUMP: ×factor or ÷factor is a jump */
    long min_cases;          /* JUMP, BACKLOG: the larger year (JUMP), the carry-over (BACKLOG) at least this */
    long share_pct;          /* BACKLOG: the carry-over at least this share of the year's applications */
    nb_narrative *narrative; /* NARRATIVE (its quantities in quantities) */
};

/* A variable of an assertion and the values it takes. */
typedef struct {
    const char *name;
    const char *range;   /* as declared ("t3.columns"), or NULL for a list */
    const char **values;
    size_t nvalues;
} nb_rule_var;

/* Compiles assertion text (with $var / ${var} placeholders) for every binding
 * of the variables it uses, appending the instances to rule->inst (in f's
 * arena): a rule may hold several assertions.  at (may be NULL) names the
 * cell to pin findings to; default is the first cell of the left side.
 * Returns false with a message in err on a syntax error or an unknown id. */
bool nb_rule_compile(nb_format *f, nb_rule *rule, const char *text, const char *at,
                     const nb_rule_var *vars, size_t nvars, char *err, size_t errsize);

/* Values for a variable given as "TABLE.rows" or "TABLE.columns". */
bool nb_rule_var_range(nb_format *f, const char *spec, nb_rule_var *var, char *err, size_t errsize);

const char *nb_severity_name(nb_severity s);
bool nb_severity_parse(const char *s, nb_severity *out);
/* The kind's name as plugins write it ("assert", "blank", …). */
const char *nb_rule_kind_name(nb_rule_kind k);
bool nb_rule_kind_parse(const char *s, nb_rule_kind *out);

#endif
