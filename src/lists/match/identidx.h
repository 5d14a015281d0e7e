/* SPDX-License-Identifier: MIT */
/*
 * Identifier index of the lists: every identifier a list publishes for
 * its entries (tax, registration, passport, IMO, SWIFT numbers ...), by its
 * normalised form (spaces, hyphens and dots removed, ASCII lower case),
 * for exact whole-identifier lookups. Built from the store in one pass.
 */
#ifndef TTS_IDENTIDX_H
#define TTS_IDENTIDX_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct tts_identidx tts_identidx;

/* Identifiers shorter than this (normalised) are neither indexed nor looked up. */
#define TTS_IDENT_MIN 4

/*
 * The identifier spans of one ids or remarks text: items separated by ';',
 * fields by ','; in each field, without parenthesised notes and anything
 * from " issued " or " expires " on, every ending run of words ("IMO
 * 9187629" gives "IMO 9187629" and "9187629"), so that whatever label
 * precedes a value, the value itself is a whole identifier. cb gets each
 * span (borrowed for the call) and its length. The index keeps the spans
 * with a digit, and single words of 8 or 11 capitals (SWIFT/BIC codes).
 */
void tts_identidx_spans(const char *text, void (*cb)(void *user, const char *span, size_t len),
                        void *user);

/* Normalise s[0..n) into out (cap bytes, NUL-terminated); its length, 0 when it does not fit. */
size_t tts_identidx_normalize(const char *s, size_t n, char *out, size_t cap);

/* Build the index from the store's entries. *out caller-owned (tts_identidx_free). */
tts_status tts_identidx_build(tts_store *s, tts_identidx **out /* OUT */, tts_error *err);
void tts_identidx_free(tts_identidx *x);

/* Number of identifiers indexed and bytes used (for measurements). */
size_t tts_identidx_count(const tts_identidx *x);
size_t tts_identidx_memory(const tts_identidx *x);

/*
 * The identifiers equal to `value` once normalised: *first is the first
 * of the returned count, read with tts_identidx_get.
 */
size_t tts_identidx_find(const tts_identidx *x, const char *value, size_t *first /* OUT */);

/* Identifier i: its entry's rowid, source and id, and the identifier as written (borrowed). */
void tts_identidx_get(const tts_identidx *x, size_t i, int64_t *entry, const char **source,
                      const char **entry_id, const char **matched);

/*
 * The record's identifier `value` of `scheme` ("lei", "duns", "cn-uscc",
 * "jp-corporate-number") against the identifiers the list labels with that
 * scheme for the entry of rowid `entry`: 1 when one is the same (*listed:
 * it as the list writes it); -1 when the entry has identifiers of the
 * scheme, none the same, and the scheme gives an entity one number (*listed:
 * the first); 0 when there is nothing to compare (another scheme, a value
 * not of the scheme's shape, none of the scheme listed, or a scheme such as
 * DUNS that numbers locations, not entities).
 */
int tts_identidx_compare(const tts_identidx *x, int64_t entry, const char *scheme,
                         const char *value, const char **listed /* OUT */);

#endif
