/* SPDX-License-Identifier: MIT */
/*
 * Evaluator of compiled rules over one typed record: expressions and rules,
 * with the per-scan state of evalctx.h. The rule set itself is never
 * written, so many scans may share it.
 */
#ifndef TTS_EVAL_H
#define TTS_EVAL_H

#include "rules/evalctx.h"

/* 1 when as_of falls inside r's effective_from / effective_until (both inclusive). */
int tts_eval_rule_applies(const tts_rule *r, tts_date as_of);

/* Evaluate rule r, appending one finding per match to out. */
tts_status tts_eval_rule(tts_eval *ev, const tts_rule *r, tts_findings *out);

/* Evaluate expression n into *out (values live in ev's arena). */
tts_status tts_eval_node(tts_eval *ev, const tts_node *n, tts_val *out);


#endif
