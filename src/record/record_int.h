/* SPDX-License-Identifier: MIT */
/*
 * Record module internals shared with the rest of the library: global
 * set-up of the JSON library it wraps (jansson), done once from tts_init().
 */
#ifndef TTS_RECORD_INTERNAL_H
#define TTS_RECORD_INTERNAL_H

/* Route jansson's allocations through tts_malloc/tts_free. */
void tts_record_global_init(void);

/* 1 when s is a valid record id: 1-128 of letters, digits, '.', '_', '-'. */
int tts_record_id_is_valid(const char *s);

/* The version of jansson linked at run time, into out[cap] (for --version). */
#include <stddef.h>
void tts_record_lib_version(char *out, size_t cap);

#endif
