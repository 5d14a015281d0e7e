/* SPDX-License-Identifier: MIT */
/*
 * The built-in function table of the rule language: one entry per function
 * with its parameter and result types, a one-line description and the C
 * function that evaluates it. The type checker, the evaluator,
 * `ttscreen rules functions` and the reference in docs/rule-language.md all
 * come from this one table.
 */
#ifndef TTS_OPS_H
#define TTS_OPS_H

#include <stddef.h>

#include "rules/ast.h"
#include "ttscreen/status.h"

typedef struct tts_eval tts_eval;

/* Evaluate a call: args[0..n) are evaluated arguments; write the result to *out. */
typedef tts_status (*tts_builtin_fn)(tts_eval *ev, const tts_node *call, const tts_val *args,
                                     size_t n, tts_val *out);

typedef struct tts_builtin {
    const char *name;
    tts_type params[3]; /* parameter types */
    size_t min_args;    /* required arguments */
    size_t max_args;    /* SIZE_MAX: the last parameter repeats */
    tts_type result;
    const char *signature; /* for listings */
    const char *doc;       /* one line */
    tts_builtin_fn fn;
    const char *needs; /* a rule-file definition the function reads, or NULL */
    int fact;          /* 1: a call states its own evidence "name(args) = result" */
} tts_builtin;

/* Apply classification table d to a string value: the labels whose pattern matches. */
tts_status tts_ops_classify(tts_eval *ev, const tts_def *d, const tts_val *text, tts_val *out);

/*
 * A string argument of listed() / listed_at() that is an option rather than
 * a source: "algorithm=default" or "algorithm=ofac" (TTS_ALGORITHM_* of
 * ttscreen/lists.h). 0: not an option (a source name); 1: *algorithm set;
 * -1: "algorithm=" with another name.
 */
int tts_ops_listed_option(const char *s, int *algorithm);

/* Built-in named `name`, or NULL. */
const tts_builtin *tts_ops_find(const char *name);
/* The whole table; *n receives its length. */
const tts_builtin *tts_ops_all(size_t *n);

#endif
