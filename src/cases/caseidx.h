/* SPDX-License-Identifier: MIT */
/*
 * Delta rescreen: which stored cases a change can affect since each was
 * last checked (its latest screening, or the mark of the last completed
 * rescreen run when that is newer). A case is affected when the rules or
 * its as-of date differ, when a reviewer decided on it since, when its list versions cannot be
 * followed, when it holds a finding or a decision on an entry removed or changed since, or when one
 * of its names or identifiers matches an entry added or changed since. Names are found through an
 * index over every case's names built like the list index (names.c normalisation, nameidx.c
 * scoring), queried with the changed entries' stored names.
 */
#ifndef TTS_CASEIDX_H
#define TTS_CASEIDX_H

#include <stddef.h>

#include "util/mem.h"
#include "ttscreen/cases.h"

/*
 * Candidate threshold of the case-name index: below listed()'s default of
 * 0.85 (scores are symmetric but for ties and token caps: the margin
 * covers those), so that any name a lookup would match is found whichever side
 * asks. Rules asking listed_at() for less should not be served by a delta
 * run (docs/continuous-screening.md).
 */
#define TTS_CASEIDX_THRESHOLD 0.75

typedef struct tts_caseidx_plan {
    char **ids; /* record ids of the affected cases, sorted */
    size_t n;
    size_t total; /* cases in the store */
} tts_caseidx_plan;

/*
 * The cases o (rules, lists, as-of) can affect; lists_now is the JSON of
 * the current lists as screenings store it. *plan zeroed first;
 * tts_caseidx_plan_free.
 */
tts_status tts_caseidx_affected(tts_cases *c, const tts_rescreen_opts *o, const char *lists_now,
                                tts_caseidx_plan *plan, tts_error *err);
/* Accepts a zeroed plan. */
void tts_caseidx_plan_free(tts_caseidx_plan *plan);

/*
 * The lists of a stored lists JSON
 * ([{"source":S,"entries":N,"sha256":H,"version":V},...]), strings in
 * arena a; version 0 when the screening did not store it (before versions
 * were kept with the list). Returns the number of pairs, or -1 when it
 * cannot be read.
 */
typedef struct tts_caseidx_pair {
    const char *source, *sha256;
    long version;
} tts_caseidx_pair;
long tts_caseidx_parse_lists(const char *json, tts_arena *a, tts_caseidx_pair **pairs);

#endif
