/* SPDX-License-Identifier: MIT */
/*
 * Content hash of one stored list entry: what a reviewer's clearance of a
 * list hit is tied to, so that a changed entry (new alias, address,
 * programme) is raised again.
 */
#ifndef TTS_STORE_DIGEST_H
#define TTS_STORE_DIGEST_H

#include "store.h"

/*
 * SHA-256 over every stored field of entry `entry_id` of list `source` and
 * all its names, into out[65]. *found is 0 (and out "") when there is no
 * such entry. When `sublist` is not NULL it receives the entry's CSL
 * sub-list code ("" when it has none; TTS_SUBLIST_MAX bytes at most), and
 * `type` the entry's type as stored ("" when none; TTS_ENTRY_TYPE_MAX bytes
 * at most): one query gives a lookup all it needs of the entry.
 */
#define TTS_SUBLIST_MAX 32
#define TTS_ENTRY_TYPE_MAX 32
tts_status tts_store_entry_sha256(tts_store *s, const char *source, const char *entry_id,
                                  char out[65], char *sublist, char *type, int *found,
                                  tts_error *err);

#endif
