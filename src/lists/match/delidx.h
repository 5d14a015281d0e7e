/* SPDX-License-Identifier: MIT */
/*
 * Deletion-neighbourhood index for fuzzy token lookup (the SymSpell idea):
 * every dictionary token is stored under its own hash and the hashes of
 * its copies with one byte removed (tokens of DELIDX_MIN1..DELIDX_MAX1
 * bytes) and with two bytes removed (DELIDX_MIN2..DELIDX_MAX2 bytes). A
 * query token probing the same neighbourhood meets every token within two
 * edits (insertions, deletions, substitutions, adjacent transpositions)
 * with exact hash lookups, no posting lists. Hash collisions only add
 * candidates; callers verify each one.
 */
#ifndef TTS_DELIDX_H
#define TTS_DELIDX_H

#include <stddef.h>
#include <stdint.h>

#define DELIDX_MIN1 3
#define DELIDX_MAX1 24
#define DELIDX_MIN2 5
#define DELIDX_MAX2 12

typedef struct tts_delidx tts_delidx;

/* Keys a token of n bytes contributes with at most max_del deletions (0, 1, 2). */
size_t tts_delidx_keys(size_t n, int max_del);

/* New index sized for `keys` keys; NULL when out of memory. */
tts_delidx *tts_delidx_new(size_t keys);
/* Accepts NULL. */
void tts_delidx_free(tts_delidx *d);

/*
 * Add token number tok (its bytes s[0..n)) with its variants of up to
 * max_del deletions. Keys past the number announced to tts_delidx_new
 * still fit (the table grows past its end) but make probes longer. 0 when
 * out of memory (the table may then hold some of the variants: free it).
 */
int tts_delidx_add(tts_delidx *d, const char *s, size_t n, int max_del, uint32_t tok);

/*
 * Most probes one string needs: 1 + 14 + 14 * 13 / 2 for two deletions of
 * up to DELIDX_MAX2 + 2 bytes, which is more than 1 + (DELIDX_MAX1 + 1)
 * for one deletion.
 */
#define DELIDX_MAX_PROBES (1 + (DELIDX_MAX2 + 2) + (DELIDX_MAX2 + 2) * (DELIDX_MAX2 + 1) / 2)

typedef void (*tts_delidx_fn)(void *user, uint32_t tok);

/*
 * The probes of s[0..n)'s neighbourhood (max_del as for tts_delidx_probe)
 * into hs, their table slots asked for ahead of use; returns how many.
 * tts_delidx_lookup then reads them: work done in between hides the
 * memory latency.
 */
size_t tts_delidx_prepare(const tts_delidx *d, const char *s, size_t n, int max_del,
                          uint64_t hs[DELIDX_MAX_PROBES]);
/* Call fn for every token stored under one of the nh probes (possibly repeatedly). */
void tts_delidx_lookup(const tts_delidx *d, const uint64_t *hs, size_t nh, tts_delidx_fn fn,
                       void *user);

/*
 * Call fn for every token sharing a neighbourhood key with s[0..n)
 * (possibly repeatedly); max_del 1 probes one-deletion variants only.
 */
void tts_delidx_probe(const tts_delidx *d, const char *s, size_t n, int max_del, tts_delidx_fn fn,
                      void *user);

/* Bytes held. */
size_t tts_delidx_memory(const tts_delidx *d);

/* The table as bytes (for storing a built index): *n bytes at *data, borrowed. */
void tts_delidx_bytes(const tts_delidx *d, const void **data, size_t *n);

/*
 * An index over n bytes tts_delidx_bytes gave, used in place (they must
 * outlive it and be 4-byte aligned). NULL when they cannot be a table (a
 * header that does not match the size) or out of memory
 * (*nomem = 1). Probes stay bounded whatever the bytes hold; callers
 * check the token numbers they are given.
 */
tts_delidx *tts_delidx_borrow(void *data, size_t n, int *nomem);

#endif
