/* SPDX-License-Identifier: MIT */
/*
 * A fast path in front of jansson's parser for one record's JSON text.
 * jansson 2.14 reads its input through a per-character stream, checking
 * UTF-8 and growing its string buffer one character at a time (about 120
 * instructions a byte, some 16 % of a screening run). This parser scans
 * runs of plain bytes a word at a time and hands whole strings to jansson's
 * constructors, building the same jansson tree (json_equal, and the same
 * integer/real types) that json_loadb(data, len, JSON_REJECT_DUPLICATES |
 * JSON_DECODE_ANY, ...) builds.
 *
 * It takes valid input only. Whatever it is not sure of (invalid UTF-8, a
 * control character or \u0000 in a string, an unpaired surrogate, a
 * duplicate key, a number jansson would refuse or that strtod does not read
 * whole in the current locale, nesting deeper than TTS_FASTJSON_MAX_DEPTH,
 * any syntax error, a leading UTF-8 BOM, an allocation failure) makes it
 * give up. The contract: NULL means "ask jansson", which then gives either
 * the same tree or its own error message; a tree is only ever returned when
 * jansson would have returned an equal one.
 */
#ifndef TTS_FASTJSON_H
#define TTS_FASTJSON_H

#include <stddef.h>

#include "record/record_jansson.h"

/* Arrays and objects nested deeper than this are left to jansson (its own bound is 2048). */
#define TTS_FASTJSON_MAX_DEPTH 64

/*
 * Parse data[0..len) as JSON with JSON_REJECT_DUPLICATES | JSON_DECODE_ANY
 * semantics: any value at the top, whitespace around it, nothing else.
 * Returns a new reference (free with json_decref), or NULL: ask jansson.
 */
json_t *tts_json_fast_parse(const char *data, size_t len);

#endif
