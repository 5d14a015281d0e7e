/* SPDX-License-Identifier: MIT */
/*
 * Candidate index and scoring for normalised names (see names.h).
 *
 * Scoring, in [0,1]: token-pair Jaro-Winkler (first-letter, short-token and
 * length penalties, pairs under 0.8 count as nothing) with a greedy best
 * assignment, weighted by token length so unmatched tokens on either side
 * pull the score down (list tokens little when every query token has a
 * close pair: namescore.c, token_score); the glued whole strings compared by edit distance
 * (catches "JSCARGUMENT" vs "JSC ARGUMENT"); the better of the two, minus a
 * penalty when both names carry different legal forms (sister entities).
 *
 * Index: a dictionary of distinct tokens (and glued forms) with padded
 * character trigram postings over the dictionary, and token -> name
 * postings. A query finds similar dictionary tokens through shared
 * trigrams, accumulates an upper bound of each name's token score through
 * the postings, and scores exactly only names whose bound reaches the
 * threshold (plus names reached through glued forms). The exhaustive mode
 * scores every name and is the reference for recall.
 */
#ifndef TTS_NAMEIDX_H
#define TTS_NAMEIDX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "lists/match/names.h"
#include "ttscreen/status.h"

typedef struct tts_nameidx tts_nameidx;

typedef struct tts_nameidx_hit {
    uint32_t name;  /* name number, in order of tts_nameidx_add */
    uint32_t entry; /* the entry number given with the name */
    double score;   /* in [0,1] */
} tts_nameidx_hit;

/* New empty index; NULL when out of memory. Free with tts_nameidx_free. */
tts_nameidx *tts_nameidx_new(void);
/* Accepts NULL. */
void tts_nameidx_free(tts_nameidx *x);

/*
 * Add one normalised name (the three strings of a tts_nname, copied)
 * belonging to entry `entry`. Names are numbered 0, 1, ... in the order
 * added. Only before tts_nameidx_finish.
 */
tts_status tts_nameidx_add(tts_nameidx *x, uint32_t entry, const char *tokens, const char *legal,
                           const char *glued, tts_error *err);

/* Build the postings; after this the index only answers queries. */
tts_status tts_nameidx_finish(tts_nameidx *x, tts_error *err);

/* Number of names added. */
size_t tts_nameidx_count(const tts_nameidx *x);

/* The entry number name number `name` (under tts_nameidx_count) was added with. */
uint32_t tts_nameidx_entry(const tts_nameidx *x, uint32_t name);

/* Optional filter: return nonzero to consider names of `entry`. */
typedef int (*tts_nameidx_filter)(void *user, uint32_t entry);

/*
 * What a search writes (marks and accumulators sized to the index, the
 * candidate lists and token cache kept between queries): one per thread.
 * A finished index is never written by a search through
 * tts_nameidx_search_with, so one index may serve many threads, each with
 * its own scratch. new: NULL when out of memory; free accepts NULL.
 */
typedef struct tts_nameidx_scratch tts_nameidx_scratch;
tts_nameidx_scratch *tts_nameidx_scratch_new(const tts_nameidx *x);
void tts_nameidx_scratch_free(tts_nameidx_scratch *sc);

/*
 * Names scoring at least `threshold` against query q, at most one per
 * entry (its best name), best first (ties: lower entry first). *hits is
 * caller-owned (tts_free), *n_hits its length; both written on success.
 * tts_nameidx_search uses the scratch the index keeps for it, so one
 * query at a time per index; tts_nameidx_search_with uses sc (made by
 * tts_nameidx_scratch_new for x) and writes nothing of x.
 * exhaustive != 0 scores every name instead of using the postings.
 */
tts_status tts_nameidx_search(tts_nameidx *x, const tts_nname *q, double threshold,
                              int exhaustive, tts_nameidx_filter filter, void *user,
                              tts_nameidx_hit **hits /* OUT */, size_t *n_hits /* OUT */,
                              tts_error *err);
tts_status tts_nameidx_search_with(const tts_nameidx *x, tts_nameidx_scratch *sc,
                                   const tts_nname *q, double threshold, int exhaustive,
                                   tts_nameidx_filter filter, void *user,
                                   tts_nameidx_hit **hits /* OUT */, size_t *n_hits /* OUT */,
                                   tts_error *err);

/*
 * The indexed search keeps the similar dictionary tokens of recent query
 * tokens (slots growing from 1,024 to 65,536 with the number of queries,
 * bounded memory) so that tokens recurring across a batch are looked up
 * once: results are the same with or without. This fixes the slots
 * (rounded up to a power of two; 0: keep nothing; TTS_NAMEIDX_TC_DEFAULT:
 * back to the growing default) and drops what is kept. Stats: query
 * tokens looked up in what is kept, and found there.
 */
#define TTS_NAMEIDX_TC_DEFAULT ((size_t)-1)
void tts_nameidx_set_token_cache(tts_nameidx *x, size_t slots);
void tts_nameidx_scratch_set_token_cache(tts_nameidx_scratch *sc, size_t slots);
void tts_nameidx_token_cache_stats(const tts_nameidx *x, size_t *lookups, size_t *found);

/* Score of q against name number `name` (exact scoring, no index). */
double tts_nameidx_score(const tts_nameidx *x, const tts_nname *q, uint32_t name);

/*
 * Append to b why q scored what it did against `name`: token pairs with
 * their scores, unmatched tokens, the glued comparison and legal forms.
 */
void tts_nameidx_explain(const tts_nameidx *x, const tts_nname *q, uint32_t name, tts_buf *b);

/* Score of two normalised names (no index), for tests and tools. */
double tts_nameidx_score_pair(const tts_nname *a, const tts_nname *b);

/* Approximate bytes held by the index. */
size_t tts_nameidx_memory(const tts_nameidx *x);

/*
 * Version of the stored form; a stored index of another version is rebuilt.
 * 4: names normalised with the legal-forms table and transliteration, the
 * covered token score (the names stored in older databases were normalised
 * by the code of their import: import the lists again to get the new forms).
 * 5: the consonant-skeleton tables are stored too (a loaded index builds nothing).
 */
#define TTS_NAMEIDX_FORMAT 5

/* Append the finished index x to out in its stored form (tts_nameidx_load reads it back). */
tts_status tts_nameidx_serialize(const tts_nameidx *x, tts_buf *out, tts_error *err);

/*
 * The same bytes handed to sink in order, a section at a time, so that a
 * large index can go to a file (or be counted) without a copy of it in
 * memory. The first status other than TTS_OK that sink returns (with err
 * set by it) stops the writing and is returned.
 */
typedef tts_status (*tts_nameidx_sink)(void *user, const void *p, size_t n, tts_error *err);
tts_status tts_nameidx_write(const tts_nameidx *x, tts_nameidx_sink sink, void *user,
                             tts_error *err);

/*
 * A finished index from the n bytes at blob + off that
 * tts_nameidx_serialize wrote (off a multiple of 8, blob from tts_malloc).
 * The index uses them in place and on success owns blob (freed with the
 * index); on failure blob stays the caller's. Every entry number must be
 * < max_entry. TTS_ERR_DB when the bytes are of another version or
 * damaged (then build the index again), TTS_ERR_NOMEM when out of memory.
 */
tts_status tts_nameidx_adopt(void *blob, size_t off, size_t n, uint32_t max_entry,
                             tts_nameidx **out, tts_error *err);

/*
 * A finished index over the n bytes at base (8-byte aligned) that
 * tts_nameidx_serialize wrote, read in place and never written (a
 * read-only mapping): borrowed, they must stay valid until
 * tts_nameidx_free. Only the header and the section sizes are checked,
 * in time independent of the index's size: the caller must know by other
 * means (a content hash recorded when the bytes were written) that they
 * are what tts_nameidx_serialize wrote. TTS_ERR_DB for another version or
 * a size that does not add up, TTS_ERR_NOMEM.
 */
tts_status tts_nameidx_adopt_mapped(const void *base, size_t n, tts_nameidx **out,
                                    tts_error *err);

#endif
