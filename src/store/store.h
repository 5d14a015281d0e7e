/* SPDX-License-Identifier: MIT */
/*
 * The database (the only SQLite user). One SQLite file holds the lists and,
 * through later migrations, cases and the audit log. Opening applies the
 * schema migrations in order (PRAGMA user_version), turns on WAL, foreign
 * keys and a busy timeout. Writers group their work in explicit
 * transactions (tts_store_begin/commit/rollback); statements are prepared
 * once in tts_store_open and finalised in tts_store_close. Strings handed
 * to callbacks are borrowed for the duration of the call.
 */
#ifndef TTS_STORE_H
#define TTS_STORE_H

#include <stdint.h>

#include "ttscreen/status.h"

typedef struct tts_store tts_store;

#define TTS_STORE_READONLY 1u /* open an existing database for reading only */

/* Schema version this build writes (the last migration). */
int tts_store_schema_version(void);

/*
 * Open (and, unless read-only, create and migrate) the database at path.
 * Read-only: the file must exist and be at the current schema version.
 * *out is owned by the caller (tts_store_close); NULL on failure.
 */
tts_status tts_store_open(const char *path, unsigned flags, tts_store **out /* OUT */,
                          tts_error *err);
/* Accepts NULL. */
void tts_store_close(tts_store *s);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK (rollback never fails visibly). */
tts_status tts_store_begin(tts_store *s, tts_error *err);
tts_status tts_store_commit(tts_store *s, tts_error *err);
void tts_store_rollback(tts_store *s);

/*
 * Group commit: with max_units > 0, each tts_store_begin .. commit is a
 * unit (a savepoint) inside one outer transaction, committed once it holds
 * max_units units or max_ms milliseconds after it began (checked as each
 * unit ends); a rolled-back unit leaves the others of its group. Each
 * unit keeps its own audit row, in order. A crash loses the units of the
 * open group, never part of one. With max_units 0 the open group is
 * committed and every unit is its own transaction again; that call
 * reports a commit that failed, and a group SQLite rolled back by itself
 * (the units released into it are then lost). tts_store_close commits an
 * open group without a report: end it with max_units 0 first.
 */
tts_status tts_store_group(tts_store *s, size_t max_units, long max_ms, tts_error *err);

/*
 * tts_store_rollback after the error in *err: when SQLite had rolled back
 * the whole group (a full disk, an I/O error), the message says how many
 * earlier units went with it, and tts_store_group no longer reports them.
 */
void tts_store_rollback_report(tts_store *s, tts_error *err);

/*
 * PRAGMA synchronous: full (1) makes each commit durable on return (an
 * fsync of the WAL per commit); normal (0) keeps the file consistent but
 * a power loss or OS crash may undo the last commits (never a process
 * crash: those are safe in both).
 */
tts_status tts_store_sync(tts_store *s, int full, tts_error *err);

/* ---- list sources and entries ---- */

typedef struct tts_store_source {
    int64_t id;
    const char *name;        /* "us-csl", ... */
    const char *format;      /* importer used */
    const char *file;        /* file or URL imported */
    const char *imported_at; /* RFC 3339 */
    const char *sha256;      /* content hash of the imported bytes */
    long entries, aliases;
    /* schema 4; NULL in earlier rows */
    const char *kind;         /* "sanctions", ... */
    const char *jurisdiction; /* "US", "internal", ... */
    const char *severity;     /* default severity of a match */
    const char *dated;        /* the date the list's age counts from */
    const char *dated_by;     /* "published", "last-modified", "imported" */
    /* schema 7; 0 for lists imported before it was kept */
    long names_version; /* TTS_NAMES_VERSION of the normaliser that made the stored tokens */
} tts_store_source;

/* What is stored about a source before an import replaces it (caller owns strings). */
typedef struct tts_store_meta {
    char *kind, *jurisdiction, *severity; /* NULL when not recorded */
    char *format;                         /* importer of the stored version */
    long aliases;                         /* aliases of the stored version */
    long entries;                         /* entries of the stored version */
} tts_store_meta;

/* The stored kind, jurisdiction, severity, format and alias count of source `name`. */
tts_status tts_store_source_meta_get(tts_store *s, const char *name, tts_store_meta *m /* OUT */,
                                     int *found /* OUT */, tts_error *err);
void tts_store_meta_clear(tts_store_meta *m);

/* Within an import's transaction: record what source `id` is and its date. */
tts_status tts_store_source_meta_set(tts_store *s, int64_t id, const char *kind,
                                     const char *jurisdiction, const char *severity,
                                     const char *dated, const char *dated_by, tts_error *err);

/*
 * Date source `name` by a feed's Last-Modified `dated` (RFC 3339): a
 * download identical to the stored version confirms it as of that date. A
 * list dated by its own publication keeps that date.
 */
tts_status tts_store_source_redate(tts_store *s, const char *name, const char *dated,
                                   tts_error *err);

/* 1 when the file has the columns of schema 4 (a read-only older file has not). */
int tts_store_has_meta(tts_store *s);

/* 1 when the file has audit format 2 and its columns (schema 5). */
int tts_store_has_audit2(tts_store *s);

/* Whether the schema has list versions and rescreen runs (migration 6). */
int tts_store_has_listver(tts_store *s);

/* Whether the schema keeps each case's kind (migration 8). */
int tts_store_has_case_kind(tts_store *s);

/* Record the name normaliser's version of source `id`'s stored tokens (no-op before schema 7). */
tts_status tts_store_source_names_version_set(tts_store *s, int64_t id, long version,
                                              tts_error *err);

typedef struct tts_store_ident {
    int64_t entry;
    const char *source, *entry_id;
    const char *ids;     /* the entry's identifiers as imported, or NULL */
    const char *remarks; /* remarks of sdn-csv entries (where OFAC writes them), else NULL */
} tts_store_ident;
typedef int (*tts_store_ident_cb)(void *user, const tts_store_ident *row);
/* Every entry that may carry identifiers, by rowid. A nonzero return stops (INTERNAL). */
tts_status tts_store_idents_each(tts_store *s, tts_store_ident_cb cb, void *user,
                                 tts_error *err);

/*
 * Within a transaction: make sure source `name` exists, delete its entries
 * (names and aliases go with them) and return its id in *id.
 */
tts_status tts_store_source_replace(tts_store *s, const char *name, const char *format,
                                    int64_t *id /* OUT */, tts_error *err);

/* Within the same transaction: record counts, hash, time and file of the import. */
tts_status tts_store_source_finish(tts_store *s, int64_t id, long entries, long aliases,
                                   const char *sha256, const char *imported_at,
                                   const char *file, tts_error *err);

typedef struct tts_store_entry {
    const char *entry_id;   /* the list's own id */
    const char *name;       /* primary name as published */
    const char *type;       /* entity, individual, vessel, aircraft, or NULL */
    const char *country;    /* ISO codes separated by ';', or NULL */
    const char *programs;   /* ';'-separated, or NULL */
    const char *listed_on;  /* date as published, or NULL */
    const char *end_date;   /* or NULL */
    const char *addresses;  /* ';'-separated, or NULL */
    const char *ids;        /* identifiers as published, or NULL */
    const char *remarks;    /* or NULL */
    const char *source_url; /* or NULL */
    const char *sublist;    /* CSL source list code (DPL, EL, SDN, ...), or NULL */
} tts_store_entry;

tts_status tts_store_entry_add(tts_store *s, int64_t source_id, const tts_store_entry *e,
                               int64_t *rowid /* OUT */, tts_error *err);

/* *exists = 1 when source `source_id` already holds an entry with this id. */
/* The listed-on date and source URL of entry rowid `entry` (each NULL when absent; caller frees). */
tts_status tts_store_entry_shown(tts_store *s, int64_t entry, char **listed_on, char **source_url,
                                 tts_error *err);
tts_status tts_store_entry_exists(tts_store *s, int64_t source_id, const char *entry_id,
                                  int *exists /* OUT */, tts_error *err);

/* A name of an entry: kind "primary", "aka", "fka", "nka", with its normalised form. */
tts_status tts_store_name_add(tts_store *s, int64_t entry, const char *kind, const char *name,
                              const char *tokens, const char *legal, const char *glued,
                              tts_error *err);

typedef int (*tts_store_source_cb)(void *user, const tts_store_source *src);
/* Every source, by name. A nonzero return from cb stops with TTS_ERR_INTERNAL. */
tts_status tts_store_sources_each(tts_store *s, tts_store_source_cb cb, void *user,
                                  tts_error *err);

typedef struct tts_store_row {
    int64_t entry, source_id;
    const char *entry_id, *name, *country, *programs, *type;
} tts_store_row;
typedef int (*tts_store_entry_cb)(void *user, const tts_store_row *row);
/* Every entry, by rowid. */
tts_status tts_store_entries_each(tts_store *s, tts_store_entry_cb cb, void *user,
                                  tts_error *err);

typedef struct tts_store_name {
    int64_t entry;
    const char *kind, *name, *tokens, *legal, *glued;
} tts_store_name;
typedef int (*tts_store_name_cb)(void *user, const tts_store_name *n);
/* Every name, by entry rowid then name rowid. */
tts_status tts_store_names_each(tts_store *s, tts_store_name_cb cb, void *user, tts_error *err);

/* ---- fetch metadata and configured URLs ---- */

typedef struct tts_store_fetch {
    char *url, *etag, *last_modified, *fetched_at, *checked_at; /* caller owns */
    long http_status;
    long long bytes;
} tts_store_fetch;

/* *found = 0 when nothing was fetched for source yet (then *f is zeroed). */
tts_status tts_store_fetch_get(tts_store *s, const char *source, tts_store_fetch *f /* OUT */,
                               int *found /* OUT */, tts_error *err);
tts_status tts_store_fetch_put(tts_store *s, const char *source, const tts_store_fetch *f,
                               tts_error *err);
void tts_store_fetch_clear(tts_store_fetch *f);

/* Configured feed URL and format of a source; *found = 0 when none. Caller owns strings. */
tts_status tts_store_config_get(tts_store *s, const char *source, char **url /* OUT */,
                                char **format /* OUT */, int *found /* OUT */, tts_error *err);
tts_status tts_store_config_set(tts_store *s, const char *source, const char *url,
                                const char *format, tts_error *err);

/*
 * The stored search index (one row, schema 3): its format version, the key
 * of the list versions it was built from, and its bytes (*data
 * caller-owned, tts_free). *found = 0 when there is none, also when the
 * database predates the table or the row cannot be read (it is a cache:
 * the caller builds the index instead); errors only for lack of memory.
 */
tts_status tts_store_index_get(tts_store *s, int *format, char **key, void **data, size_t *len,
                               int *found, tts_error *err);

/*
 * Replace the stored search index; call inside the transaction that
 * changed the lists. TTS_ERR_LIMIT when it is larger than the database
 * takes.
 */
tts_status tts_store_index_put(tts_store *s, int format, const char *key, const void *data,
                               size_t len, tts_error *err);

/*
 * A read transaction: every read until tts_store_end_read sees one
 * snapshot of the database, the one of this call (no write lock is taken).
 */
tts_status tts_store_begin_read(tts_store *s, tts_error *err);
void tts_store_end_read(tts_store *s);

/* Remove the stored search index (inside the transaction that changed the lists). */
tts_status tts_store_index_clear(tts_store *s, tts_error *err);

/* 1 while a transaction is open on s. */
int tts_store_in_transaction(tts_store *s);

/* 1 when s cannot be written (opened read-only). */
int tts_store_read_only(tts_store *s);

/* The version of SQLite linked at run time, into out[cap] (for --version). */
void tts_store_lib_version(char *out, size_t cap);

#endif
