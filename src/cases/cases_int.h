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

/* A finding's identity across screenings (rule, subject, list entries), appended to b. */
void tts_cases_finding_key(tts_buf *b, const tts_finding *f);

/*
 * The lists consulted as the JSON array a screening row and a rescreen run
 * store: [{"source":S,"entries":N,"sha256":H,"version":V},...], the version
 * only when known; appended to b.
 */
void tts_cases_lists_json(tts_buf *b, const tts_list_info *l, size_t n);

#endif
