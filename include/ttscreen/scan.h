/* SPDX-License-Identifier: MIT */
/*
 * Evaluating a compiled rule set over one record. The result is a list of
 * findings in plain-data structs that the caller owns as a whole (free with
 * tts_findings_free). Findings are sorted most severe first, then by rule id
 * and subject, so output is deterministic.
 */
#ifndef TTS_SCAN_H
#define TTS_SCAN_H

#include "ttscreen/record.h"
#include "ttscreen/rules.h"
#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tts_severity {
    TTS_SEV_INFO = 0,
    TTS_SEV_LOW = 1,
    TTS_SEV_MEDIUM = 2,
    TTS_SEV_HIGH = 3,
    TTS_SEV_CRITICAL = 4
} tts_severity;

/* "info" ... "critical"; static. */
TTS_API const char *tts_severity_name(tts_severity sev);
/* Parse a severity name; TTS_ERR_ARG when unknown. */
TTS_API tts_status tts_severity_parse(const char *name, tts_severity *out /* OUT */);

typedef struct tts_match {
    char *source;   /* list source name, e.g. "us-csl" */
    char *entry_id; /* the list's own id for the entry */
    char *name;     /* the entry's primary name */
    char *matched;  /* the name or alias that matched */
    double score;   /* in [0,1] */
    char *entry_sha256; /* content hash of the list entry, or NULL */
    char *sublist;  /* the CSL sub-list code of the entry (EL, SDN, DPL, MEU, ...), or NULL */
    /* Fields below were added later; lookups fill them, NULL when unknown. */
    char *entry_type; /* what the entry is: "person", "organisation", "vessel", "aircraft" */
    char *kind;       /* the source's kind (tts_lists_kind_*): "restricted-party", "sanctions",
                         "military-end-user", "end-user-concern", "forced-labour", "watch-list",
                         "other" */
    char *severity;   /* the source's default severity name ("critical" ... "info") */
    char *query;      /* set by the evaluator: JSON path of the record's name or identifier
                         that matched, e.g. "$.parties[2].aliases[0]" */
    char *queried;    /* set by the evaluator: that name or identifier as the record wrote it */
    /* Fields below were added when the list search and the rules' lookup came to share this
       type; the search fills them, NULL when unknown. */
    char *name_kind;  /* which of the entry's names matched: "primary", "aka", "fka", "nka",
                         "derived" */
    char *country;    /* the entry's ISO codes ';'-separated */
    char *programs;   /* the entry's programmes, ';'-separated as the list gives them (OFAC
                         programme tags, End User List concern codes) */
    char *why;        /* the score explained (tts_search_opts.explain) */
    char *listed_on;  /* the date the list gives for the entry, as it gives it */
    char *source_url; /* the entry's page at its publisher */
    char *citation;   /* the law the entry rests on, from data/list-citations.tsv by source,
                         sub-list and programmes, or NULL when the table has no row for it */
    /* The secondary facts that moved `score` (name lookups; 0 for identifier hits). */
    double name_score;    /* the name's own score */
    double country_delta; /* what the country or nationality added (> 0) or took (< 0) */
    int exact_kept;       /* 1: an exact name kept at the threshold, not hidden by the country
                             or an identifier */
    double ident_delta;   /* what the party's identifiers added (the same one listed: up to 1)
                             or took (another of the scheme listed); 0: not moved */
} tts_match;

typedef struct tts_finding {
    char *rule;         /* dotted rule id */
    int revision;       /* rule revision */
    tts_severity severity;
    char *title;
    char *citation;
    char *message;      /* one sentence, interpolated */
    char *subject;      /* JSON path of the element, e.g. "$.transfers[3]" */
    char **path;        /* chain findings: party ids from screened_for on (the ids are
                           stored in the array's own allocation) */
    size_t n_path;
    tts_match *matches; /* list hits */
    size_t n_matches;
    char **evidence;    /* "path = value" facts */
    size_t n_evidence;
    char *cleared;      /* set when a reviewer's standing decision clears this finding:
                           "cleared by NAME on DATE: REASON"; it is then shown, not raised */
} tts_finding;

/* The findings of one scan, in report order; opaque (tts_findings_count, tts_findings_get). */
typedef struct tts_findings tts_findings;

/* The number of findings; 0 for NULL. */
TTS_API size_t tts_findings_count(const tts_findings *f);
/* Finding i (0-based), or NULL when i is out of range; borrowed from f. */
TTS_API const tts_finding *tts_findings_get(const tts_findings *f, size_t i);
/*
 * Finding i for its owner to change in place (a reviewer's decision clears it
 * or drops cleared matches), or NULL when i is out of range.
 */
TTS_API tts_finding *tts_findings_edit(tts_findings *f, size_t i);

/*
 * Denied-party lookup used by the rule language's list functions. Fills
 * *hits (the caller frees them with tts_matches_free)
 * with candidates for `name` scoring at least `threshold`, best first.
 * `country` may be NULL; `sources` (n_sources entries) restricts the lists
 * consulted, none = every list.
 */
typedef tts_status (*tts_lookup_fn)(void *user, const char *name, const char *country,
                                    const char *const *sources, size_t n_sources,
                                    double threshold, tts_match **hits, size_t *n_hits,
                                    tts_error *err);

/*
 * Evaluation trace (`rules test --explain`): one call per evaluated
 * condition, `depth` its nesting, `text` e.g. "t.licence == null => true"
 * (borrowed for the call).
 */
/*
 * Identifier lookup: list entries whose identifiers (tax, registration,
 * LEI, ... numbers the list publishes) include `value` of `scheme` (the
 * record's key: "lei", "duns", "jp-corporate-number", "cn-uscc", ...).
 * Values compare without spaces, hyphens and dots, case-insensitively.
 * Hits score 1; the caller frees them with tts_matches_free.
 */
typedef tts_status (*tts_ident_lookup_fn)(void *user, const char *scheme, const char *value,
                                          tts_match **hits, size_t *n_hits, tts_error *err);

/*
 * As tts_lookup_fn, scoring with `algorithm` (TTS_ALGORITHM_DEFAULT or
 * TTS_ALGORITHM_OFAC of ttscreen/lists.h): the lookup a rule's
 * listed(..., "algorithm=ofac") asks through.
 */
typedef tts_status (*tts_lookup_algo_fn)(void *user, const char *name, const char *country,
                                         const char *const *sources, size_t n_sources,
                                         double threshold, int algorithm, tts_match **hits,
                                         size_t *n_hits, tts_error *err);

/*
 * A name lookup with everything the record says about the party: the
 * lookup a screening asks through when tts_scan_opts.lookup_query is set
 * (in place of lookup and lookup_algo). Fields may be added at the end;
 * `size` is sizeof(tts_lookup_query) of the caller.
 */
typedef struct tts_lookup_query {
    size_t size;
    const char *name;
    const char *country; /* the party's country or the person's nationalities, ';'-separated,
                            or NULL */
    const char *const *sources; /* the sources asked; n_sources 0 = every source */
    size_t n_sources;
    double threshold;
    int algorithm; /* TTS_ALGORITHM_DEFAULT or TTS_ALGORITHM_OFAC (ttscreen/lists.h) */
    const char *const *id_schemes; /* the party's identifiers: scheme and value of n_ids */
    const char *const *id_values;
    size_t n_ids;
    /* Added later (a query of the older size reads it as 0). */
    int skip_entry_hash; /* the asker keeps no content hash of the entries matched: each
                            tts_match.entry_sha256 may be left NULL (a screening that stores
                            nothing and applies no reviewer's decision) */
} tts_lookup_query;

typedef tts_status (*tts_lookup_query_fn)(void *user, const tts_lookup_query *q,
                                          tts_match **hits, size_t *n_hits, tts_error *err);

typedef void (*tts_trace_fn)(void *user, int depth, const char *text);

typedef struct tts_scan_opts {
    size_t size;          /* sizeof(tts_scan_opts) */
    const char *as_of;    /* "YYYY-MM-DD" the screening treats as today; required */
    tts_lookup_fn lookup; /* optional: denied-party lists; NULL = no lists loaded */
    void *lookup_user;    /* passed to lookup */
    /* Fields below were added later; a smaller `size` leaves them unset. */
    const char *only_rule; /* optional: evaluate only the rule with this id */
    tts_trace_fn trace;    /* optional: evaluation trace */
    void *trace_user;      /* passed to trace */
    tts_ident_lookup_fn lookup_ident; /* optional: identifiers against the lists */
    void *lookup_ident_user;          /* passed to lookup_ident */
    tts_lookup_algo_fn lookup_algo;   /* optional: lookups naming an algorithm (lookup_user);
                                         NULL: a rule asking another algorithm is an error */
    tts_lookup_query_fn lookup_query; /* optional: when set, every name lookup asks it
                                         (lookup_user), with the party's identifiers */
    int skip_entry_hash; /* passed in each tts_lookup_query (see there) */
} tts_scan_opts;

/*
 * Evaluate every rule of `rules` (borrowed) over `rec` (borrowed).
 * On success *out is a new list the caller owns (free with tts_findings_free).
 */
TTS_API tts_status tts_scan_record(const tts_rules *rules, const tts_record *rec,
                                   const tts_scan_opts *opts, tts_findings **out,
                                   tts_error *err);

/* Accepts NULL. */
TTS_API void tts_findings_free(tts_findings *f);

/* Free n matches' strings and the array (as a tts_lookup_fn fills it). Accepts NULL. */
TTS_API void tts_matches_free(tts_match *m, size_t n);

/* Highest severity among raised (not cleared) findings, or -1 when there is none. */
TTS_API int tts_findings_max_severity(const tts_findings *f);

/* Over raised findings: "blocked" (critical), "review" (high or medium), "clear". Static. */
TTS_API const char *tts_findings_verdict(const tts_findings *f);

#ifdef __cplusplus
}
#endif
#endif
