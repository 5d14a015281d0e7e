/* SPDX-License-Identifier: MIT */
/*
 * Internal helpers for building a findings list (used by the evaluator).
 */
#ifndef TTS_SCAN_INTERNAL_H
#define TTS_SCAN_INTERNAL_H

#include "ttscreen/scan.h"

/* The list behind the opaque public type: the rules module alone sees it. */
struct tts_findings {
    tts_finding *items;
    size_t n;
    size_t cap;
};

tts_findings *tts_findings_new(void);
/* Append a zeroed finding; NULL when out of memory. Owned by the list. */
tts_finding *tts_findings_add(tts_findings *f);
/* Remove and free the last finding (after a failed fill-in). */
void tts_findings_drop_last(tts_findings *f);
/* Free m's strings and zero it (the struct itself is the caller's). */
void tts_match_clear(tts_match *m);
/* Deep copy of src into dst (zeroed first; "" sublists become NULL); -1 out of memory, with
 * dst cleared. */
int tts_match_copy(tts_match *dst, const tts_match *src);
/* The same copy with another allocator (the evaluator's arena): dup returns NULL when out of
 * memory, and then so does this (-1), leaving what it copied to dst's allocator. */
int tts_match_copy_to(tts_match *dst, const tts_match *src, char *(*dup)(void *ctx, const char *s),
                      void *ctx);

/* Most severe first, then rule id, then subject. */
void tts_findings_sort(tts_findings *f);

#endif
