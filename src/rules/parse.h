/* SPDX-License-Identifier: MIT */
/*
 * Parser of rule files: builds definitions and rules (ast.h) into a rule
 * set. It reports every syntax error it finds (recovering at the next rule
 * clause or top-level item) through the set's diagnostics.
 */
#ifndef TTS_PARSE_H
#define TTS_PARSE_H

#include "rules/ruleset.h"

/*
 * Parse src (owned by the set's arena) into set. Returns TTS_OK, or the
 * status of the first error (all errors were reported through opts->diag).
 */
tts_status tts_parse_file(tts_rules *set, const tts_src *src, const tts_rules_opts *opts,
                          tts_error *err);

#endif
