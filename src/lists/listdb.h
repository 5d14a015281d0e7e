/* SPDX-License-Identifier: MIT */
/*
 * The tts_lists handle (public API in ttscreen/lists.h) and what the update
 * module needs of it: the store, and an import that also records fetch
 * metadata in the same transaction.
 */
#ifndef TTS_LISTDB_H
#define TTS_LISTDB_H

#include <stddef.h>

#include "store/store.h"
#include "ttscreen/lists.h"

/* The handle's store (borrowed). */
tts_store *tts_listdb_store(tts_lists *l);

/* The search index once a search has loaded it, else NULL (borrowed). */
struct tts_nameidx *tts_listdb_index(tts_lists *l);

/* 1 when the loaded search view is the mapped index file, not built from the rows. */
int tts_listdb_from_file(const tts_lists *l);

/* The database path given to tts_lists_open (borrowed). */
const char *tts_listdb_path(const tts_lists *l);

/*
 * Search indexes larger than `bytes` are not stored (by default every one
 * is, in its file next to the database): each process then builds the
 * index from the rows.
 */
void tts_listdb_set_index_limit(tts_lists *l, size_t bytes);

/*
 * Import like tts_lists_import; `label` is recorded as the imported file
 * (a URL for downloads) and, when fetch is not NULL, the fetch metadata is
 * written in the same transaction; opts (may be NULL) as for
 * tts_lists_import_with. The new version is dated by the feed's
 * Last-Modified when fetch has one, else by imported_at.
 */
/* Where a downloaded version came from and what an update also records. */
typedef struct tts_listdb_feed {
    const tts_store_fetch *fetch; /* fetch metadata, written with the import */
    const char *transport;        /* "https", "http" or "file" */
    const char *config_url;       /* remembered as the source's feed (with config_format) */
    const char *config_format;    /* or NULL: the configuration is left as it is */
    double max_drop;              /* refuse a version with more than this share of the stored
                                     entries gone (0..1); negative: no such check */
} tts_listdb_feed;

tts_status tts_listdb_import(tts_lists *l, const char *source, const char *format,
                             const char *const *files, size_t n_files, const char *imported_at,
                             const char *label, const tts_listdb_feed *feed,
                             const tts_import_opts *opts, tts_import_result *res,
                             tts_error *err);

/*
 * Inside the caller's transaction: hash everything stored of source
 * (tts_store_list_sha256), record the hash with it and append the audit
 * row `action` for "list:SOURCE" at time `at`. On a database before audit
 * format 2, logs `file_sha256` instead (may be NULL: then nothing).
 */
tts_status tts_listdb_log(tts_lists *l, const char *at, const char *action, const char *source,
                          const char *file_sha256, tts_error *err);

#endif
