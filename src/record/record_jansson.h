/* SPDX-License-Identifier: MIT */
/*
 * The record module's jansson loader, shared by its own files only
 * (record.c, record_json.c): allocations go through tts_malloc, and an
 * allocation failure during parsing is told apart from bad input.
 */
#ifndef TTS_RECORD_JANSSON_H
#define TTS_RECORD_JANSSON_H

#include <jansson.h>
#include <stddef.h>

/*
 * json_loadb with the error struct cleared first; *oom = 1 when the NULL
 * result came from an allocation failure.
 */
json_t *tts_record_jload(const char *data, size_t len, size_t flags, json_error_t *jerr, int *oom);

/* "an object", "an array", "a string", "a number", "a boolean", "null": for messages. */
const char *tts_record_json_type(const json_t *v);

#endif
