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

#ifdef __cplusplus
}
#endif
#endif
