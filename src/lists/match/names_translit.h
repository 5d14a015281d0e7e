/* SPDX-License-Identifier: MIT */
/*
 * Transliteration of names into Latin letters (the only ICU user). ICU's
 * own transforms do the work: "Any-Latin" (Cyrillic, Greek, Arabic,
 * Hebrew, Thai, Hangul, kana, Han to pinyin and the other scripts ICU
 * knows), then "Latin-ASCII" and lower case. The transliterator is opened
 * once per process on first use and shared behind a mutex, so callers on
 * several threads get the same answers. The output is deterministic for a
 * given ICU version: list names and queries meet in the same Latin form.
 */
#ifndef TTS_NAMES_TRANSLIT_H
#define TTS_NAMES_TRANSLIT_H

#include <stddef.h>

#include "util/buf.h"
#include "ttscreen/status.h"

/*
 * Append the Latin form of s (len bytes of valid UTF-8) to out. Han comes
 * out as pinyin syllables separated by spaces, other scripts as words;
 * marks and letters ICU cannot map are kept as they are. TTS_ERR_INTERNAL
 * when ICU cannot be opened or fails, TTS_ERR_NOMEM when out of memory.
 */
tts_status tts_names_translit(const char *s, size_t len, tts_buf *out, tts_error *err);

/* 1 when ICU's transliterator has been opened in this process (tests). */
int tts_names_translit_opened(void);

/* The version of ICU linked at run time, into out[cap] (for --version). */
void tts_translit_lib_version(char *out, size_t cap);

#endif
