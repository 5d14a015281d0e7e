/* SPDX-License-Identifier: MIT */
/*
 * Syntax tree of rule files and the compiled pieces of a rule set:
 * expression nodes, top-level definitions (sets, predicates, classification
 * tables) and rules. Everything is allocated in the rule set's arena and is
 * immutable once tts_rules_finish has type-checked and resolved it.
 */
#ifndef TTS_AST_H
#define TTS_AST_H

#include <stddef.h>

#include "util/mem.h"
#include "rules/val.h"

typedef enum tts_nkind {
    TTS_N_LIT,     /* literal value */
    TTS_N_LIST,    /* [a, b, ...] */
    TTS_N_NAME,    /* identifier; resolved to VAR, GLOBAL or SET */
    TTS_N_VAR,     /* local variable: slot */
    TTS_N_GLOBAL,  /* record-level name: op = tts_global */
    TTS_N_SET,     /* named constant set: ref = tts_def */
    TTS_N_FIELD,   /* a.name: ref = tts_field */
    TTS_N_CALL,    /* name(args); resolved to BUILTIN, PRED or TABLE */
    TTS_N_BUILTIN, /* ref = tts_builtin */
    TTS_N_PRED,    /* ref = tts_def (predicate or def) */
    TTS_N_TABLE,   /* ref = tts_def (classification table) */
    TTS_N_NOT,
    TTS_N_NEG,
    TTS_N_AND,
    TTS_N_OR,
    TTS_N_CMP,   /* op = tts_cmp */
    TTS_N_IN,    /* op = 1 for "not in" */
    TTS_N_ARITH, /* op = '+' or '-' */
    TTS_N_QUANT, /* op = tts_quant; name = variable; a = collection; b = body */
    TTS_N_IF     /* if args[0] then a else b */
} tts_nkind;

typedef enum tts_cmp {
    TTS_CMP_EQ,
    TTS_CMP_NE,
    TTS_CMP_LT,
    TTS_CMP_LE,
    TTS_CMP_GT,
    TTS_CMP_GE
} tts_cmp;
typedef enum tts_quant { TTS_Q_ANY, TTS_Q_ALL, TTS_Q_COUNT, TTS_Q_FILTER } tts_quant;
typedef enum tts_global {
    TTS_G_RECORD, /* the record itself */
    TTS_G_FIELD,  /* a record field used bare: parties, transfers, ...; ref = tts_field */
    TTS_G_AS_OF,  /* the screening's as-of date */
    TTS_G_CHAIN   /* parties reachable from screened_for */
} tts_global;

typedef struct tts_src {
    const char *path; /* as given to the compiler */
    const char *text; /* NUL-terminated copy */
    size_t len;
} tts_src;

typedef struct tts_node tts_node;
struct tts_node {
    unsigned char kind;   /* tts_nkind */
    unsigned char op;     /* tts_cmp, tts_quant, tts_global, '+', '-', not-in flag */
    unsigned short depth; /* height of the tree below (bounded by TTS_RULES_MAX_TREE) */
    tts_type type;        /* set by the checker */
    int line, col;        /* start of the expression */
    size_t off, len;      /* source span (bytes) */
    const char *name;     /* identifier / field / variable (NUL-terminated) */
    int nline, ncol;      /* position of the name token (fields: the name after '.') */
    size_t noff, nlen;
    tts_node *a, *b; /* operands */
    tts_node **args; /* call arguments, list items */
    size_t n_args;
    tts_val lit;     /* TTS_N_LIT value (regex: u.rx) */
    int slot;        /* TTS_N_VAR and TTS_N_QUANT: variable slot */
    const void *ref; /* resolved field, builtin or definition */
};

typedef enum tts_defkind { TTS_DEF_SET, TTS_DEF_PRED, TTS_DEF_FUNC, TTS_DEF_TABLE } tts_defkind;

typedef struct tts_param {
    const char *name;
    tts_type type;
    int line, col;
    size_t off, len;
} tts_param;

typedef struct tts_table_entry {
    const char *label;
    const void *rx; /* compiled regex (rx.h) */
} tts_table_entry;

typedef struct tts_def {
    tts_defkind kind;
    const char *name;
    const tts_src *src;
    int line, col;
    size_t off, len;   /* the name */
    tts_param *params; /* predicates */
    size_t n_params;
    tts_node *body;           /* predicates */
    size_t n_slots;           /* variables used by the body, params first */
    tts_val value;            /* sets: a list value */
    tts_type type;            /* sets: list type; predicates: result type */
    tts_table_entry *entries; /* tables */
    size_t n_entries;
    int state;      /* checker: 0 new, 1 in progress, 2 done */
    int broken;     /* a syntax error was reported inside: references are silent */
    int used;       /* referenced somewhere */
    int call_depth; /* 1 + the deepest chain of definitions its body calls */
} tts_def;

typedef struct tts_example {
    const char *file;    /* relative to the fixtures root */
    int expect_hit;      /* 1 hit, 0 clear */
    const char *message; /* expected message, or NULL */
    int line;
} tts_example;

typedef struct tts_part {
    const char *text; /* literal text, or NULL for an expression */
    tts_node *expr;
} tts_part;

typedef struct tts_strs {
    const char **items;
    size_t n;
} tts_strs;

typedef struct tts_rule {
    const char *id;
    const tts_src *src;
    int line, col;       /* the `rule` keyword */
    int id_line, id_col; /* the id */
    size_t off, len;     /* the id */
    int broken;          /* a syntax error was reported inside: not type-checked */
    int revision;
    int severity; /* tts_severity */
    const char *title;
    const char *citation;
    const char *status; /* stable, test, experimental, deprecated */
    const char *description;
    tts_strs tags, references, false_positives;
    tts_date effective_from, effective_until; /* y == 0: unbounded */
    const char *var;                          /* for-variable name, or NULL */
    int var_line, var_col;
    size_t var_off, var_len;
    tts_node *collection;
    tts_node *when;
    tts_part *message;
    size_t n_message;
    int message_line;
    tts_node *subject, *path, *matches;
    tts_example *examples;
    size_t n_examples;
    size_t n_slots; /* variables used by the rule */
    unsigned seen;  /* clauses given (bit per clause, parser) */
    int list_citation; /* `list_citation`: the finding cites its matches' citations */
} tts_rule;

/* New zeroed node in arena a, positioned at the given span; NULL when out of memory. */
tts_node *tts_ast_node(tts_arena *a, tts_nkind kind, int line, int col, size_t off, size_t len);

#endif
