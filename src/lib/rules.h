/* SPDX-License-Identifier: MIT */
/*
 * Internal view of a rule set, shared by the loader (rules.c), the compiler
 * and the evaluator. A tts_rules is immutable once tts_rules_load_dir
 * returns it.
 */
#ifndef TTS_RULES_INTERNAL_H
#define TTS_RULES_INTERNAL_H

#include <stddef.h>

#include "ttscreen/rules.h"
#include "limits.h"

struct tts_rules {
    char sha256[65];  /* hash of the loaded files */
    size_t n_files;   /* rule files loaded */
    size_t n_rules;   /* compiled rules */
};

/* New empty set; NULL when out of memory. */
tts_rules *tts_rules_new(void);

/* Read a whole file (bounded by TTS_RULES_MAX_FILE); caller owns *text (tts_free). */
tts_status tts_rules_read_file(const char *path, char **text, size_t *len, tts_error *err);

/* Compile one file's text into the set. `path` is the name used in messages. */
tts_status tts_rules_compile_text(tts_rules *set, const char *path, const char *text, size_t len,
                                  const tts_rules_opts *opts, tts_error *err);

/* Called once after the last file: resolve cross-file references, etc. */
tts_status tts_rules_finish(tts_rules *set, const tts_rules_opts *opts, tts_error *err);

#endif
