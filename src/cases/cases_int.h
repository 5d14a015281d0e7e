/* SPDX-License-Identifier: MIT */
/*
 * What the re-screening (rescreen.c, caseidx.c) needs of the case file
 * (cases.c): its store, the identity of a finding across screenings, and
 * the stored form of the lists consulted.
 */
#ifndef TTS_CASES_INT_H
#define TTS_CASES_INT_H

#include "util/buf.h"
#include "store/store.h"
#include "ttscreen/cases.h"

/* The case file's store (borrowed, valid until tts_cases_close). */
tts_store *tts_cases_db(tts_cases *c);

/* The lock on that handle, held by every use of it that may meet a worker thread's
 * (decisions read by tts_screen_evaluate while screenings are stored). */
void tts_cases_lock(tts_cases *c);
void tts_cases_unlock(tts_cases *c);

/*
 * tts_cases_apply_decisions in two steps, so that a screening knows before
 * it looks a name up whether any decision will want the entries' content
 * hashes: the case's decisions loaded (none: an empty set), then applied.
 */
typedef struct tts_case_decisions tts_case_decisions;
tts_status tts_cases_decisions_load(tts_cases *c, const char *record_id,
                                    tts_case_decisions **out, tts_error *err);
size_t tts_case_decisions_count(const tts_case_decisions *d);
tts_status tts_case_decisions_apply(const tts_case_decisions *d, tts_findings *f, tts_error *err);
void tts_case_decisions_free(tts_case_decisions *d);

/* A finding's identity across screenings (rule, subject, list entries), appended to b. */
void tts_cases_finding_key(tts_buf *b, const tts_finding *f);

/*
 * The lists consulted as the JSON array a screening row and a rescreen run
 * store: [{"source":S,"entries":N,"sha256":H,"version":V},...], the version
 * only when known; appended to b.
 */
void tts_cases_lists_json(tts_buf *b, const tts_list_info *l, size_t n);

#endif
