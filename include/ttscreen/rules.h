/* SPDX-License-Identifier: MIT */
/*
 * Rule sets: every *.rules file under a directory, compiled once into an
 * immutable tts_rules that many scans (and threads) may share. The set's
 * SHA-256 covers the loaded files in sorted path order, so a report names
 * exactly which rules judged it.
 */
#ifndef TTS_RULES_H
#define TTS_RULES_H

#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_rules tts_rules;

enum { TTS_DIAG_ERROR = 0, TTS_DIAG_WARNING = 1 };

/* Called for each diagnostic while compiling; `e` is borrowed for the call. */
typedef void (*tts_diag_fn)(int level, const tts_error *e, void *user);

typedef struct tts_rules_opts {
    size_t size;       /* sizeof(tts_rules_opts) */
    tts_diag_fn diag;  /* optional: receives every error and warning */
    void *user;        /* passed to diag */
    size_t max_errors; /* stop after this many errors; 0 = default (100) */
} tts_rules_opts;

/*
 * Load and compile every *.rules file below `dir` (recursively, sorted by
 * path). A directory with no rule files gives an empty, valid set.
 * opts may be NULL. On success the caller owns *out (tts_rules_free).
 */
TTS_API tts_status tts_rules_load_dir(const char *dir, const tts_rules_opts *opts,
                                      tts_rules **out, tts_error *err);

/* Accepts NULL. */
TTS_API void tts_rules_free(tts_rules *rules);

/* Number of rules in the set. */
TTS_API size_t tts_rules_count(const tts_rules *rules);

/* Number of rule files loaded. */
TTS_API size_t tts_rules_n_files(const tts_rules *rules);

/* Lower-case hex SHA-256 of the rule set; borrowed, valid until free. */
TTS_API const char *tts_rules_sha256(const tts_rules *rules);


/*
 * Compile rule text held in memory (one file's worth) into a new set;
 * `name` is used in messages. For embedding, tests and fuzzing. The set's
 * sha256 is that of the text. opts may be NULL. Caller owns *out.
 */
TTS_API tts_status tts_rules_compile_string(const char *text, size_t len, const char *name,
                                            const tts_rules_opts *opts, tts_rules **out,
                                            tts_error *err);

/* Metadata of one rule; every pointer is borrowed, valid until tts_rules_free. */
typedef struct tts_rule_info {
    const char *id;               /* dotted id */
    int revision;
    int severity;                 /* tts_severity value (0 info ... 4 critical) */
    const char *severity_name;    /* "info" ... "critical" */
    const char *title;
    const char *citation;
    const char *status;           /* stable, test, experimental, deprecated */
    const char *description;      /* NULL when absent */
    const char *const *tags;
    size_t n_tags;
    const char *const *references;
    size_t n_references;
    const char *const *false_positives;
    size_t n_false_positives;
    char effective_from[11];      /* "YYYY-MM-DD" or "" */
    char effective_until[11];     /* "YYYY-MM-DD" or "" */
    const char *file;             /* rule file it came from */
    int line;                     /* line of its `rule` keyword */
    size_t n_examples;
} tts_rule_info;

/* Rule i (0 <= i < tts_rules_count) in load order. TTS_ERR_ARG when out of range. */
TTS_API tts_status tts_rules_info(const tts_rules *rules, size_t i, tts_rule_info *out /* OUT */);

/* One example of a rule: a record file and the outcome the rule must give for it. */
typedef struct tts_rule_example {
    const char *file;    /* path relative to the fixtures root; borrowed */
    int expect_hit;      /* 1: the rule must fire; 0: it must not */
    const char *message; /* expected message of the (first) finding, or NULL */
    int line;            /* line of the example clause */
} tts_rule_example;

/* Example j of rule i. TTS_ERR_ARG when out of range. */
TTS_API tts_status tts_rules_example(const tts_rules *rules, size_t i, size_t j,
                                     tts_rule_example *out /* OUT */);

/* Built-in functions of the rule language, for `ttscreen rules functions` and the docs. */
typedef struct tts_function_info {
    const char *name;      /* static */
    const char *signature; /* e.g. "days_between(date, date) -> number"; static */
    const char *doc;       /* one line; static */
} tts_function_info;

/* Number of built-in functions. */
TTS_API size_t tts_rules_n_functions(void);
/* Built-in i; TTS_ERR_ARG when out of range. */
TTS_API tts_status tts_rules_function(size_t i, tts_function_info *out /* OUT */);

/* Fields rules can read, for `ttscreen rules fields` and the docs. */
typedef struct tts_field_info {
    const char *owner; /* "party", "transfer", ...; static */
    const char *name;  /* static */
    const char *type;  /* "string", "list of party", ...; static storage of the library */
    const char *doc;   /* static */
} tts_field_info;

TTS_API size_t tts_rules_n_fields(void);
TTS_API tts_status tts_rules_field(size_t i, tts_field_info *out /* OUT */);

#ifdef __cplusplus
}
#endif
#endif
