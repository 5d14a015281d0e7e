/* SPDX-License-Identifier: MIT */
/*
 * Content hash of one stored list entry: what a reviewer's clearance of a
 * list hit is tied to, so that a changed entry (new alias, address,
 * programme) is raised again.
 */
#ifndef TTS_STORE_DIGEST_H
#define TTS_STORE_DIGEST_H

#include "util/buf.h"
#include "store/store.h"

/* The SHA-256 of b's bytes into out[65] (TTS_ERR_NOMEM when b ran out of memory); frees b. */
tts_status tts_store_digest(tts_buf *b, char out[65], tts_error *err);

/*
 * SHA-256 over every stored field of entry `entry_id` of list `source` and
 * all its names, into out[65]. *found is 0 (and out "") when there is no
 * such entry. When `sublist` is not NULL it receives the entry's CSL
 * sub-list code ("" when it has none; TTS_SUBLIST_MAX bytes at most), and
 * `type` the entry's type as stored ("" when none; TTS_ENTRY_TYPE_MAX bytes
 * at most): one query gives a lookup all it needs of the entry. With out
 * NULL only sublist, type and *found are read (the names and the hash are
 * skipped: for a caller that keeps no content hash).
 */
#define TTS_SUBLIST_MAX 32
#define TTS_ENTRY_TYPE_MAX 32
tts_status tts_store_entry_sha256(tts_store *s, const char *source, const char *entry_id,
                                  char out[65], char *sublist, char *type, int *found,
                                  tts_error *err);

/*
 * One field of a hash preimage: "LEN:VALUE\n" with LEN the value's length
 * in bytes (decimal), or "-\n" for NULL. No two different sequences of
 * fields encode the same (a newline inside a value cannot move a boundary).
 */
void tts_store_field(tts_buf *b, const char *v);
/* The same for an integer ("LEN:DIGITS\n"). */
void tts_store_field_int(tts_buf *b, long long v);

/*
 * SHA-256 of everything stored about list `source`, from its rows, into
 * out[65] ("ttscreen-list/2" preimage, docs/audit-trail.md): the
 * list_source row (all but content_sha256), every entry in entry_id order
 * with all its columns and its names (sorted), the list_fetch and the
 * list_config rows. *found is 0 when no table holds anything of it.
 */
tts_status tts_store_list_sha256(tts_store *s, const char *source, char out[65],
                                 int *found /* OUT */, tts_error *err);

/* Record the content hash of source as last logged (inside the caller's transaction). */
tts_status tts_store_list_content_set(tts_store *s, const char *source, const char *sha256,
                                      tts_error *err);
/*
 * The content hash recorded for source into out[65] ("" when none, also on a
 * schema before 5) and the transport of its last download into transport[8]
 * ("https", "http", "file"; "" when none).
 */
tts_status tts_store_list_content_get(tts_store *s, const char *source, char out[65],
                                      char transport[8], tts_error *err);
/* Record how the last download of source travelled (after tts_store_fetch_put). */
tts_status tts_store_fetch_transport_set(tts_store *s, const char *source, const char *transport,
                                         tts_error *err);

/*
 * The content hash of stored run `id` as its audit row holds it:
 * SHA-256 of "ttscreen-rescreen-run/2\n" and every column but the id as a
 * length-prefixed field; *missing 1 when there is no such run.
 */
tts_status tts_store_run_sha256(tts_store *s, int64_t id, char out[65], int *missing,
                                tts_error *err);

#endif
