/* SPDX-License-Identifier: MIT */
/*
 * Name resolution and type checking of a parsed rule set against the
 * record schema (schema.h) and the built-in table (ops.h). Every error is
 * reported with its position; checking carries on after an error (the
 * offending expression gets the "unknown" type, which is compatible with
 * everything, so one mistake yields one message).
 */
#ifndef TTS_CHECK_H
#define TTS_CHECK_H

#include "rules/ruleset.h"

/* Check every definition and rule of set. Returns the first error's status or TTS_OK. */
tts_status tts_check_set(tts_rules *set, const tts_rules_opts *opts, tts_error *err);

#endif
