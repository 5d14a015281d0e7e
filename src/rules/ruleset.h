/* SPDX-License-Identifier: MIT */
/*
 * Internal view of a rule set, shared by the loader (rules.c), the parser,
 * the checker and the evaluator. A tts_rules owns one arena holding every
 * source text, syntax tree, definition and rule, plus the compiled regular
 * expressions (freed with the set). It is immutable once tts_rules_load_dir
 * (or tts_rules_compile_string) returns it.
 */
#ifndef TTS_RULES_INTERNAL_H
#define TTS_RULES_INTERNAL_H

#include <stddef.h>

#include "rules/ast.h"
#include "util/limits.h"
#include "util/mem.h"
#include "ttscreen/rules.h"

struct tts_rules {
    char sha256[65];  /* hash of the loaded files */
    size_t n_files;   /* rule files loaded */
    size_t n_rules;   /* compiled rules */
    tts_arena *arena; /* owns sources, trees, definitions, rules */
    tts_rule **rules; /* in file order, then source order */
    size_t cap_rules;
    tts_def **defs; /* sets, predicates, tables of every file */
    size_t n_defs, cap_defs;
    void *regexes;   /* chain of compiled regexes (rx.c) */
    size_t n_errors; /* errors reported so far */
    size_t n_warnings;
    tts_status first; /* status of the first error */
    int finished;     /* tts_rules_finish ran */
};

/* New empty set; NULL when out of memory. */
tts_rules *tts_rules_new(void);

/* Read a whole file (bounded by TTS_RULES_MAX_FILE); caller owns *text (tts_free). */
tts_status tts_rules_read_file(const char *path, char **text, size_t *len, tts_error *err);

/*
 * Parse one file's text into the set (copied). `path` is the name used in
 * messages. Syntax errors go to opts->diag; the first one also to err.
 */
tts_status tts_rules_compile_text(tts_rules *set, const char *path, const char *text, size_t len,
                                  const tts_rules_opts *opts, tts_error *err);

/* Called once after the last file: resolve names across files and type-check. */
tts_status tts_rules_finish(tts_rules *set, const tts_rules_opts *opts, tts_error *err);

/*
 * Report a diagnostic at src:line:col (span off/len): formats
 * "FILE:LINE:COL: error: message", passes it to opts->diag, records the
 * first error in err and counts it. level is TTS_DIAG_ERROR or _WARNING.
 * Returns the status for errors (TTS_OK for warnings).
 */
tts_status tts_rules_diag(tts_rules *set, const tts_rules_opts *opts, tts_error *err, int level,
                          tts_status status, const tts_src *src, int line, int col, size_t off,
                          size_t len, const char *fmt, ...) __attribute__((format(printf, 11, 12)));

/* 1 once the error cap (opts->max_errors) is reached. */
int tts_rules_too_many(const tts_rules *set, const tts_rules_opts *opts);

/* Append a definition / rule (arrays owned by the set). */
tts_status tts_rules_add_def(tts_rules *set, tts_def *d);
tts_status tts_rules_add_rule(tts_rules *set, tts_rule *r);
/* Definition named `name`, or NULL. */
tts_def *tts_rules_find_def(const tts_rules *set, const char *name, size_t len);

#endif
