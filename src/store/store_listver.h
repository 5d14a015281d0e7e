/* SPDX-License-Identifier: MIT */
/*
 * The store module's side of continuous screening: list versions and their
 * changes, the marks left by completed `rescreen` runs, and the reads a
 * delta rescreen needs over the case file. Versions, changes and marks are
 * history: triggers refuse UPDATE and DELETE on them. Strings handed to
 * callbacks are borrowed for the duration of the call.
 */
#ifndef TTS_STORE_LISTVER_H
#define TTS_STORE_LISTVER_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

/*
 * Migration 5. A version row per import of a source (version 1, 2, ... per
 * source) with its content hash and counts; a change row per entry that the
 * import added, removed or changed (content hash before and after, NULL on
 * the side where it is absent). rescreen_run: one row per completed
 * rescreen; every case whose latest screening is at most last_screening was
 * checked against lists_json, rules_sha256 and the as-of of that run.
 */
#define TTS_STORE_LISTVER_SCHEMA                                                               \
    "CREATE TABLE list_version ("                                                              \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  source TEXT NOT NULL, version INTEGER NOT NULL,"                                        \
    "  sha256 TEXT NOT NULL, imported_at TEXT NOT NULL, entries INTEGER NOT NULL,"             \
    "  added INTEGER NOT NULL, removed INTEGER NOT NULL, changed INTEGER NOT NULL,"            \
    "  UNIQUE(source, version));"                                                              \
    "CREATE INDEX list_version_sha ON list_version(source, sha256);"                           \
    "CREATE TABLE list_change ("                                                               \
    "  version_id INTEGER NOT NULL REFERENCES list_version(id),"                               \
    "  entry_id TEXT NOT NULL,"                                                                \
    "  change TEXT NOT NULL CHECK(change IN ('added','removed','changed')),"                   \
    "  old_sha256 TEXT, new_sha256 TEXT, name TEXT NOT NULL,"                                  \
    "  PRIMARY KEY(version_id, entry_id)) WITHOUT ROWID;"                                      \
    "CREATE TABLE rescreen_run ("                                                              \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  at TEXT NOT NULL, actor TEXT NOT NULL,"                                                 \
    "  mode TEXT NOT NULL CHECK(mode IN ('full','changed-lists')),"                            \
    "  lists_json TEXT NOT NULL, rules_sha256 TEXT NOT NULL,"                                  \
    "  as_of TEXT, today TEXT NOT NULL, last_screening INTEGER NOT NULL,"                      \
    "  cases INTEGER NOT NULL, rescreened INTEGER NOT NULL, changed INTEGER NOT NULL,"         \
    "  report_sha256 TEXT NOT NULL);"                                                          \
    "CREATE TRIGGER list_version_no_update BEFORE UPDATE ON list_version"                      \
    "  BEGIN SELECT RAISE(ABORT, 'list versions are never changed'); END;"                     \
    "CREATE TRIGGER list_version_no_delete BEFORE DELETE ON list_version"                      \
    "  BEGIN SELECT RAISE(ABORT, 'list versions are never deleted'); END;"                     \
    "CREATE TRIGGER list_change_no_update BEFORE UPDATE ON list_change"                        \
    "  BEGIN SELECT RAISE(ABORT, 'list changes are never changed'); END;"                      \
    "CREATE TRIGGER list_change_no_delete BEFORE DELETE ON list_change"                        \
    "  BEGIN SELECT RAISE(ABORT, 'list changes are never deleted'); END;"                      \
    "CREATE TRIGGER rescreen_run_no_update BEFORE UPDATE ON rescreen_run"                      \
    "  BEGIN SELECT RAISE(ABORT, 'rescreen runs are never changed'); END;"                     \
    "CREATE TRIGGER rescreen_run_no_delete BEFORE DELETE ON rescreen_run"                      \
    "  BEGIN SELECT RAISE(ABORT, 'rescreen runs are never deleted'); END;"

/* ---- the entries of a source as stored now ---- */

typedef int (*tts_store_entry_id_cb)(void *user, const char *entry_id, const char *name);
/*
 * Each distinct entry id of source `source` (its first row, the one the
 * content hash reads) with its primary name, by entry id. Nothing when the
 * source does not exist. A nonzero return stops (TTS_ERR_INTERNAL).
 */
tts_status tts_store_source_ids_each(tts_store *s, const char *source, tts_store_entry_id_cb cb,
                                     void *user, tts_error *err);

/* The stored content hash of source `source` ("" and *found 0 when there is no source). */
tts_status tts_store_source_sha256(tts_store *s, const char *source, char out[65],
                                   int *found /* OUT */, tts_error *err);

/* Every normalised name of entry `entry_id` of `source` (tts_store_name fields). */
tts_status tts_store_entry_names_each(tts_store *s, const char *source, const char *entry_id,
                                      tts_store_name_cb cb, void *user, tts_error *err);

/* ---- versions and changes ---- */

typedef struct tts_store_version {
    int64_t id;
    const char *source;
    long version;
    const char *sha256, *imported_at;
    long entries, added, removed, changed;
} tts_store_version;

typedef int (*tts_store_version_cb)(void *user, const tts_store_version *v);
/* Versions of one source (source NULL: of all), oldest first. */
tts_status tts_store_versions_each(tts_store *s, const char *source, tts_store_version_cb cb,
                                   void *user, tts_error *err);

/* Inside the caller's transaction: append a version; *id its row id. */
tts_status tts_store_version_add(tts_store *s, const tts_store_version *v, int64_t *id /* OUT */,
                                 tts_error *err);

typedef struct tts_store_change {
    long version;           /* the version that made the change */
    const char *entry_id;
    const char *change;     /* "added", "removed", "changed" */
    const char *old_sha256; /* NULL for added */
    const char *new_sha256; /* NULL for removed */
    const char *name;       /* the entry's primary name (as it was, for removed) */
} tts_store_change;

/* Inside the caller's transaction: one change row of version row `version_id`. */
tts_status tts_store_change_add(tts_store *s, int64_t version_id, const tts_store_change *c,
                                tts_error *err);

typedef int (*tts_store_change_cb)(void *user, const tts_store_change *c);
/* Changes of source with from < version <= to, by version then entry id. */
tts_status tts_store_changes_each(tts_store *s, const char *source, long from, long to,
                                  tts_store_change_cb cb, void *user, tts_error *err);

/* ---- rescreen runs ---- */

typedef struct tts_store_run {
    int64_t id;
    const char *at, *actor, *mode; /* mode "full" or "changed-lists" */
    const char *lists_json;        /* the list versions of the run */
    const char *rules_sha256;
    const char *as_of;             /* --as-of of the run, or NULL */
    const char *today;             /* the run's date */
    int64_t last_screening;        /* the newest screening id when the run ended */
    long cases, rescreened, changed;
    const char *report_sha256;     /* SHA-256 of the change report */
} tts_store_run;

/*
 * One transaction: append a run (last_screening is read here: the newest
 * screening) and its audit row ("rescreen-run", "rescreen-run:ID").
 */
tts_status tts_store_run_add(tts_store *s, tts_store_run *r, tts_error *err);

/* The newest run; *found 0 when none. Strings copied into caller-owned *lists etc. */
typedef int (*tts_store_run_cb)(void *user, const tts_store_run *r);
tts_status tts_store_run_last(tts_store *s, tts_store_run_cb cb, void *user, int *found,
                              tts_error *err);

/* ---- reads over the case file ---- */

typedef struct tts_store_latest {
    const char *record_id;
    int64_t screening;
    const char *as_of, *rules_sha256, *lists_json, *record_json;
    const char *screened_at; /* RFC 3339 */
    const char *decided_at;  /* the case's newest decision, or NULL */
    const char *verdict;
} tts_store_latest;

typedef int (*tts_store_latest_cb)(void *user, const tts_store_latest *l);
/* The latest screening of every case, by record id. */
tts_status tts_store_latest_each(tts_store *s, tts_store_latest_cb cb, void *user,
                                 tts_error *err);

/*
 * The latest screening of case record_id (through the record id's unique
 * index: one case costs the same whatever the store holds); *found 0 when
 * there is no such case.
 */
tts_status tts_store_latest_get(tts_store *s, const char *record_id, tts_store_latest_cb cb,
                                void *user, int *found /* OUT */, tts_error *err);

typedef int (*tts_store_held_cb)(void *user, const char *record_id, const char *entries);
/* How many cases the file holds. */
tts_status tts_store_cases_count(tts_store *s, size_t *n, tts_error *err);

typedef int (*tts_store_case_id_cb)(void *user, const char *record_id);
/*
 * A page of the cases' record ids in order: the first `limit` after
 * `after` (NULL: from the first), each through cb; *n counts them. Paged
 * by the record id's unique index, so walking all cases page by page is
 * linear and holds one page in memory.
 */
tts_status tts_store_case_ids_page(tts_store *s, const char *after, size_t limit,
                                   tts_store_case_id_cb cb, void *user, size_t *n,
                                   tts_error *err);

/*
 * Every list entry a case's latest screening holds a finding on (raised or
 * cleared; `entries` is the finding's "source:id,source:id" list), then
 * every entry a decision of the case names.
 */
tts_status tts_store_held_each(tts_store *s, tts_store_held_cb cb, void *user, tts_error *err);

#endif
