/* SPDX-License-Identifier: MIT */
/*
 * Denied-party lists: import published lists into the database, keep them
 * current over HTTPS, and screen names against them with script-aware
 * fuzzy matching through an index. A tts_lists is one open database; its
 * name index is built from the stored, already normalised names on the
 * first search and kept for the life of the handle. One thread at a time
 * per handle. The library never reads the clock: callers pass times.
 */
#ifndef TTS_LISTS_H
#define TTS_LISTS_H

#include <stddef.h>

#include "ttscreen/report.h"
#include "ttscreen/scan.h"
#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_lists tts_lists;

#define TTS_LISTS_READONLY 1u /* the database must exist; nothing is written */
/* With TTS_LISTS_READONLY: everything read through the handle (tts_lists_info, every
 * search) reads one snapshot of the database, taken by tts_lists_open and held until
 * tts_lists_close, so the list versions a report names and the lookups of a batch agree
 * with each other and with the loaded index, and lookups pay no read transaction each. For a process that does not write
 * the file meanwhile (a writer elsewhere keeps its WAL until the snapshot ends). */
#define TTS_LISTS_SNAPSHOT 2u

/* Default score threshold of a search. */
#define TTS_LISTS_THRESHOLD 0.85

/*
 * Open the database at path (created and migrated unless read-only).
 * *out is caller-owned (tts_lists_close); NULL on failure.
 */
TTS_API tts_status tts_lists_open(const char *path, unsigned flags, tts_lists **out /* OUT */,
                                  tts_error *err);
/* Accepts NULL. */
TTS_API void tts_lists_close(tts_lists *l);

/* Who imports and updates lists through this handle, for the audit log (copied). */
TTS_API tts_status tts_lists_set_actor(tts_lists *l, const char *actor, tts_error *err);

typedef struct tts_import_result {
    long entries;    /* entries imported */
    long aliases;    /* names beyond each entry's primary name */
    char sha256[65]; /* SHA-256 of the imported bytes (files in the order given) */
    /* Fields below were added later. */
    long warnings;      /* rows imported with a warning or left out with one (e.g. an OFAC
                           alt.csv alias of an entity sdn.csv does not list) */
    char warning[256];  /* the first of them: "FILE:LINE: what", "" when none */
} tts_import_result;

/*
 * Replace source `source` with the contents of files (borrowed) in
 * `format` ("csl-csv", "csl-json", "sdn-csv", "dpl-tsv", "ttscreen-csv"), in one
 * transaction: on any error the previous version stays untouched.
 * imported_at is RFC 3339. *res is written on success (may be NULL).
 */
TTS_API tts_status tts_lists_import(tts_lists *l, const char *source, const char *format,
                                    const char *const *files, size_t n_files,
                                    const char *imported_at, tts_import_result *res /* OUT */,
                                    tts_error *err);

/*
 * What a list is. Each source has a kind, a jurisdiction and a default
 * severity of a match on it, stored with it and set at import; the rules
 * read the kind, never the source name. Kinds: "restricted-party",
 * "sanctions", "military-end-user", "end-user-concern", "forced-labour",
 * "watch-list" (in-house lists), "other".
 */
TTS_API int tts_lists_kind_is_valid(const char *kind);

/*
 * The built-in kind, jurisdiction and severity of source `source` imported
 * from `format` (either may be NULL): us-csl restricted-party/US/critical,
 * ofac-sdn sanctions/US/critical, us-dpl restricted-party/US/critical,
 * jp-eul end-user-concern/JP/high, us-1260h military-end-user/US/high,
 * us-uflpa forced-labour/US/high; any other name by its format (sdn-csv
 * sanctions/US/critical, dpl-tsv and csl-* restricted-party/US/critical),
 * else watch-list/internal/high. Strings are static. Always TTS_OK.
 */
TTS_API tts_status tts_lists_kind_default(const char *source, const char *format,
                                          const char **kind /* OUT */,
                                          const char **jurisdiction /* OUT */,
                                          const char **severity /* OUT */);

typedef struct tts_import_opts {
    size_t size;              /* sizeof(tts_import_opts) */
    const char *kind;         /* tts_lists_kind_is_valid; NULL = keep the stored one (or the
                                 default of a new source: tts_lists_kind_default) */
    const char *jurisdiction; /* 1 to 32 letters, digits, '-': "US", "internal"; NULL = keep */
    const char *severity;     /* "critical", "high" or "medium"; NULL = keep */
    /* Fields below were added later (a smaller `size` leaves them unset). */
    void (*progress)(void *user, long entries); /* every 1,000 entries imported, or NULL */
    void *progress_user;
} tts_import_opts;

/*
 * tts_lists_import that also sets what the list is (opts may be NULL: keep
 * or default everything). A kind given without a severity takes the
 * default severity of that kind (critical for sanctions and
 * restricted-party, else high). Bad values: TTS_ERR_ARG before anything is
 * written.
 */
TTS_API tts_status tts_lists_import_with(tts_lists *l, const char *source, const char *format,
                                         const char *const *files, size_t n_files,
                                         const char *imported_at, const tts_import_opts *opts,
                                         tts_import_result *res /* OUT */, tts_error *err);

typedef struct tts_search_opts {
    size_t size;                 /* sizeof(tts_search_opts) */
    const char *country;         /* ISO alpha-2 of the party (or several, ';'-separated), or NULL */
    const char *const *sources;  /* restrict to these sources; NULL/0 = all */
    size_t n_sources;
    double threshold;            /* minimum score, e.g. TTS_LISTS_THRESHOLD */
    size_t limit;                /* at most this many hits; 0 = no limit */
    int exhaustive;              /* score every name instead of using the index */
    int explain;                 /* fill tts_match.why */
    /* Fields below were added later. */
    int algorithm;               /* TTS_ALGORITHM_DEFAULT (0) or TTS_ALGORITHM_OFAC */
    /* The party's identifiers, n_ids pairs (scheme as a record keys it: "lei", "duns",
       "cn-uscc", "jp-corporate-number"; value as written): an entry that lists the same one
       scores 1, one that lists another of a scheme that numbers entities loses
       TTS_IDENT_PENALTY (see tts_lists_search). NULL/0: not looked at. */
    const char *const *id_schemes;
    const char *const *id_values;
    size_t n_ids;
} tts_search_opts;

/* What a different identifier of the same scheme takes from a name's score. */
#define TTS_IDENT_PENALTY 0.10

/*
 * Scoring algorithms of tts_search_opts.algorithm. TTS_ALGORITHM_OFAC
 * emulates the score of OFAC's Sanctions List Search from its published
 * description (OFAC FAQ 249): every list name is compared as written, by
 * whole-string Jaro-Winkler and by name parts (Jaro-Winkler and Soundex),
 * in whole points; the country does not change it (as in OFAC's tool).
 */
#define TTS_ALGORITHM_DEFAULT 0
#define TTS_ALGORITHM_OFAC 1

/* The algorithm named `name` ("default", "ofac") into *out; TTS_ERR_ARG for another name. */
TTS_API tts_status tts_algorithm_parse(const char *name, int *out /* OUT */, tts_error *err);


/* A search's candidates: list hits (tts_match, scan.h), filled but for the evaluator's fields. */
typedef struct tts_search_result {
    tts_match *hits; /* best first */
    size_t n;
} tts_search_result;

/*
 * Screen `name` against the lists. Scores are the best over each entry's
 * names, then qualified by the country: opts.country is one ISO code or
 * several ';'-separated (a person's nationalities); one of them among an
 * entry's countries raises the score by 0.02 (at most to 1), an entry with
 * countries and none of them lowers it by 0.05, but an exact name is never
 * taken under the threshold by it (kept at the threshold). Hits say the
 * name's score and the country's amount. On success *out is caller-owned
 * (tts_search_result_free).
 */
TTS_API tts_status tts_lists_search(tts_lists *l, const char *name, const tts_search_opts *opts,
                                    tts_search_result **out /* OUT */, tts_error *err);
/* Accepts NULL. */
TTS_API void tts_search_result_free(tts_search_result *r);

/*
 * tts_lookup_fn for tts_scan_opts.lookup: `user` is a tts_lists*. Hits are
 * tts_match arrays as scan.h documents (caller frees each string and the
 * array with tts_free).
 */
TTS_API tts_status tts_lists_lookup(void *user, const char *name, const char *country,
                                    const char *const *sources, size_t n_sources,
                                    double threshold, tts_match **hits, size_t *n_hits,
                                    tts_error *err);
/* tts_lookup_algo_fn for tts_scan_opts.lookup_algo: as tts_lists_lookup, scored by `algorithm`. */
TTS_API tts_status tts_lists_lookup_algo(void *user, const char *name, const char *country,
                                         const char *const *sources, size_t n_sources,
                                         double threshold, int algorithm, tts_match **hits,
                                         size_t *n_hits, tts_error *err);
/* tts_lookup_query_fn for tts_scan_opts.lookup_query: as tts_lists_lookup_algo, with the
   party's identifiers qualifying the scores (tts_search_opts.id_schemes). */
TTS_API tts_status tts_lists_lookup_query(void *user, const tts_lookup_query *q,
                                          tts_match **hits, size_t *n_hits, tts_error *err);

/*
 * tts_ident_lookup_fn for tts_scan_opts.lookup_ident: `user` is a
 * tts_lists*. Entries of every source whose published identifiers contain
 * `value` as a whole identifier (compared without spaces, hyphens and
 * dots, case-insensitively; values of fewer than 4 such characters, and
 * values without a digit other than SWIFT/BIC-like codes of 8 or 11
 * capitals, match nothing); each hit carries the same fields as tts_lists_lookup's, score
 * 1, `matched` the identifier as the list writes it. `scheme` is not
 * compared (lists label identifiers inconsistently). Identifiers are read
 * from the `ids` of CSL entries and the remarks of OFAC SDN entries, into
 * an index built on the first call and kept for the life of the handle.
 */
TTS_API tts_status tts_lists_lookup_ident(void *user, const char *scheme, const char *value,
                                          tts_match **hits, size_t *n_hits, tts_error *err);

/*
 * The lists consulted, for reports: one tts_list_info per source in the
 * database, by name. *out is caller-owned (tts_list_info_free).
 */
TTS_API tts_status tts_lists_info(tts_lists *l, tts_list_info **out /* OUT */,
                                  size_t *n /* OUT */, tts_error *err);
TTS_API void tts_list_info_free(tts_list_info *info, size_t n);

typedef struct tts_list_status {
    char *source, *format, *file, *imported_at, *sha256; /* NULL when unknown */
    char *url;           /* configured or default feed URL, or NULL */
    char *fetched_at;    /* last download that changed the list, or NULL */
    char *checked_at;    /* last successful check (200 or 304), or NULL */
    char *etag, *last_modified;
    long entries, aliases;
    /* Fields below were added later. */
    char *kind;         /* never NULL: tts_lists_kind_is_valid */
    char *jurisdiction; /* or NULL when unknown */
    char *severity;     /* never NULL: "critical", "high" or "medium" */
    char *dated;        /* RFC 3339: the date the list's age counts from, or NULL */
    char *dated_by;     /* "published" (the list's own date), "last-modified" (the feed's
                           HTTP Last-Modified) or "imported"; NULL with dated */
    char *content_sha256; /* hash of the stored rows as the audit log holds it (what
                             `audit verify` recomputes; reports name the list by it), or NULL
                             for a list imported by an earlier version */
    char *transport;      /* how its last download travelled: "https", "http" (plain, with
                             --allow-insecure-http), "file"; NULL when not downloaded */
    long version;         /* its newest version (1, 2, ...), 0 for a database without
                             versions */
    int names_current;    /* 1 when its stored names were normalised by this version's name
                             matcher; 0: imported by an earlier ttscreen whose matching differs,
                             and refused for screening until imported again */
} tts_list_status;

/* Every source with its counts and fetch metadata, by name. Caller-owned. */
TTS_API tts_status tts_lists_status(tts_lists *l, tts_list_status **out /* OUT */,
                                    size_t *n /* OUT */, tts_error *err);
TTS_API void tts_list_status_free(tts_list_status *st, size_t n);

/*
 * Default feed of a well-known source (compiled in): us-csl is trade.gov's
 * consolidated.csv. *url and *format are static; TTS_ERR_ARG when there is
 * none (jp-eul, us-1260h, us-uflpa are published as xlsx/PDF: convert them
 * to ttscreen-csv and use tts_lists_import).
 */
TTS_API tts_status tts_lists_default_url(const char *source, const char **url /* OUT */,
                                         const char **format /* OUT */);

/* Record the feed URL and format of source in the database (overrides the default). */
TTS_API tts_status tts_lists_set_url(tts_lists *l, const char *source, const char *url,
                                     const char *format, tts_error *err);

typedef void (*tts_progress_fn)(void *user, const char *source, long long done,
                                long long total /* -1 when unknown */);

typedef struct tts_update_opts {
    size_t size;               /* sizeof(tts_update_opts) */
    const char *url;           /* override the configured URL (not stored), or NULL */
    const char *format;        /* with url: its format; NULL = the source's */
    const char *now;           /* RFC 3339 time of the update; required */
    const char *tmp_dir;       /* where the download goes; NULL = the database's directory */
    long connect_timeout_ms;   /* 0 = 10 s */
    long timeout_ms;           /* whole transfer; 0 = 300 s */
    long long max_bytes;       /* 0 = 256 MiB */
    int max_redirects;         /* 0 = 5 */
    int retries;               /* on 5xx and timeouts; 0 = 3, -1 = none */
    long retry_delay_ms;       /* first back-off, doubled each time; 0 = 1000 */
    const char *ca_file;       /* extra CA bundle (PEM) for private mirrors, or NULL */
    tts_progress_fn progress;  /* or NULL */
    void *progress_user;
    /* Fields below were added later (size tells which a caller knows). */
    int allow_insecure_http;   /* accept http:// feeds and redirects to http:// (this call) */
    double max_drop;           /* refuse a version with more than this percentage of the
                                  stored entries gone; 0 = 10, negative = never refuse */
    int accept_drop;           /* take such a version all the same */
    int remember_url;          /* record `url` (and `format`) as the source's feed, in the
                                  transaction of the update */
} tts_update_opts;

typedef enum tts_update_outcome {
    TTS_UPDATE_UNCHANGED = 0, /* 304 Not Modified, or identical content */
    TTS_UPDATE_IMPORTED = 1   /* new content imported */
} tts_update_outcome;

/*
 * Fetch source's feed (conditional GET with the stored ETag and
 * Last-Modified), write the body to a temporary file, import it, and only
 * then replace the stored version. TLS certificates are always verified.
 * *outcome and *res (may be NULL) are written on success.
 */
TTS_API tts_status tts_lists_update(tts_lists *l, const char *source, const tts_update_opts *opts,
                                    tts_update_outcome *outcome /* OUT */,
                                    tts_import_result *res /* OUT */, tts_error *err);

/*
 * Compare the stored search index with one built from the list rows.
 * *ok = 0 (and problem[cap] says how) when a stored index the lists would
 * use differs from the rows: searches would then show what the lists do
 * not hold (also when the index file no longer has the hash recorded
 * when it was written). No stored index, or one the lists would not use
 * (missing file, truncated, of another format or of other list versions),
 * is fine: *ok stays 1 and problem says so, as a note (searches then build
 * the index from the rows until the next import); else problem is empty.
 */
TTS_API tts_status tts_lists_check_index(tts_lists *l, int *ok /* OUT */, char *problem,
                                         size_t cap, tts_error *err);

/*
 * Whether searches of l use the stored search index (the file DB-index
 * next to the database) or build the index from the rows: note[cap] is
 * empty when the file is used, else says why not (none stored for these
 * lists, missing, truncated, another format, other list versions). Cheap:
 * the checks a search makes when it opens the file, not its whole hash
 * (tts_lists_check_index).
 */
TTS_API tts_status tts_lists_index_note(tts_lists *l, char *note, size_t cap, tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
