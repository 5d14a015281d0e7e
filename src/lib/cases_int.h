/* SPDX-License-Identifier: MIT */
/*
 * What the re-screening (rescreen.c, caseidx.c) needs of the case file
 * (cases.c): its store and the identity of a finding across screenings.
 */
#ifndef TTS_CASES_INT_H
#define TTS_CASES_INT_H

#include "buf.h"
#include "store.h"
#include "ttscreen/cases.h"

/* The case file's store (borrowed, valid until tts_cases_close). */
tts_store *tts_cases_db(tts_cases *c);

/* A finding's identity across screenings (rule, subject, list entries), appended to b. */
void tts_cases_finding_key(tts_buf *b, const tts_finding *f);

#endif
