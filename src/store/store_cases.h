/* SPDX-License-Identifier: MIT */
/*
 * The store module's case file: screenings of each record id, their
 * findings, reviewer decisions and the hash-chained audit log. Every write
 * runs in one explicit transaction together with its audit row, so a
 * crash leaves all or nothing of an operation. Strings handed to callbacks
 * are borrowed for the duration of the call.
 */
#ifndef TTS_STORE_CASES_H
#define TTS_STORE_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"

typedef struct tts_store_screening {
    int64_t id;              /* set when read back */
    const char *record_id;
    const char *screened_at; /* RFC 3339 */
    const char *as_of;       /* YYYY-MM-DD */
    const char *actor;
    const char *kind;        /* "screen" or "rescreen" */
    const char *record_json; /* canonical */
    const char *record_sha256;
    const char *rules_sha256;
    long rules_count;
    const char *lists_json;  /* JSON array of the list versions consulted */
    const char *verdict;
    const char *report_json; /* the report, one JSON line */
    const char *case_kind;   /* adding: the kind of a new case ("deal" or "counterparty";
                                NULL: deal); a case of another kind refuses the screening */
} tts_store_screening;

typedef struct tts_store_finding {
    const char *fkey;         /* stable identity: rule, subject and list entry */
    const char *rule;
    const char *severity;
    const char *subject;
    const char *entry;        /* "source:entry_id" for a list hit, else NULL */
    const char *entry_sha256; /* content hash of that list entry, or NULL */
    const char *message;
    const char *cleared;      /* "cleared by NAME on DATE: REASON" when not raised, or NULL */
} tts_store_finding;

/*
 * One transaction: create the case for sc->record_id if new, store the
 * screening and its findings, and append the audit row. *id receives the
 * screening's id.
 */
tts_status tts_store_screening_add(tts_store *s, const tts_store_screening *sc,
                                   const tts_store_finding *f, size_t n, int64_t *id /* OUT */,
                                   tts_error *err);

typedef struct tts_store_decision {
    int64_t id;               /* set when read back */
    const char *record_id;
    const char *decided_at;   /* RFC 3339 */
    const char *decided_by;
    const char *disposition;  /* cleared, escalated, licence-required, rejected */
    const char *reason;
    const char *rule;         /* NULL: the decision covers the whole case */
    const char *entry;        /* "source:entry_id" for one list entry, or NULL */
    const char *entry_sha256; /* that entry's content hash when decided, or NULL */
} tts_store_decision;

/*
 * One transaction: store a decision and its audit row. TTS_ERR_ARG with a
 * message when the case does not exist.
 */
tts_status tts_store_decision_add(tts_store *s, const tts_store_decision *d, int64_t *id /* OUT */,
                                  tts_error *err);

typedef int (*tts_store_decision_cb)(void *user, const tts_store_decision *d);
/* Decisions of one case, oldest first (later ones supersede earlier ones). */
tts_status tts_store_decisions_each(tts_store *s, const char *record_id, tts_store_decision_cb cb,
                                    void *user, tts_error *err);

typedef struct tts_store_case {
    const char *record_id;
    const char *created_at;
    long n_screenings;
    tts_store_screening latest; /* the newest screening */
    long n_findings;            /* findings raised by it (cleared ones excluded) */
    const char *disposition;    /* newest whole-case decision, or NULL */
    const char *kind;           /* "deal" or "counterparty" */
} tts_store_case;

typedef int (*tts_store_case_cb)(void *user, const tts_store_case *c);
/* Every case (record_id NULL) or one, by record id. *found counts the cases seen. */
tts_status tts_store_cases_each(tts_store *s, const char *record_id, tts_store_case_cb cb,
                                void *user, size_t *found /* OUT */, tts_error *err);

typedef int (*tts_store_screening_cb)(void *user, const tts_store_screening *sc);
/* Screenings of one case, oldest first. */
tts_status tts_store_screenings_each(tts_store *s, const char *record_id,
                                     tts_store_screening_cb cb, void *user, tts_error *err);

typedef int (*tts_store_finding_cb)(void *user, const tts_store_finding *f);
/* Findings stored with one screening, in stored order. */
tts_status tts_store_findings_each(tts_store *s, int64_t screening_id, tts_store_finding_cb cb,
                                   void *user, tts_error *err);

/* ---- audit log ---- */

/*
 * Inside the caller's transaction: append a row whose hash chains to the
 * previous row's. `content_sha256` is the SHA-256 of what the row stands for.
 */
tts_status tts_store_audit_append(tts_store *s, const char *at, const char *actor,
                                  const char *action, const char *object,
                                  const char *content_sha256, tts_error *err);

typedef struct tts_store_audit {
    int64_t seq;
    const char *at, *actor, *action, *object, *content_sha256, *prev_hash, *hash;
    int format; /* 1: rows of earlier versions (newline-joined preimage); 2: length-prefixed */
} tts_store_audit;

typedef int (*tts_store_audit_cb)(void *user, const tts_store_audit *row);
tts_status tts_store_audit_each(tts_store *s, tts_store_audit_cb cb, void *user, tts_error *err);

typedef struct tts_store_audit_result {
    long rows;          /* rows checked */
    char head[65];      /* hash of the last row ("" when empty) */
    long broken_seq;    /* first broken row, 0 when the chain holds */
    char problem[256];  /* what is wrong with it (or with the file, when damaged) */
    int damaged;        /* SQLite's check of the file failed: problem says how */
    long legacy_lists;  /* lists last imported by an earlier version (not hashed by rows) */
} tts_store_audit_result;

#define TTS_STORE_VERIFY_FULL 1u /* PRAGMA integrity_check instead of quick_check */

/*
 * Check the file (PRAGMA quick_check, or integrity_check with
 * TTS_STORE_VERIFY_FULL; r->damaged), then walk the chain: sequence without
 * gaps, each prev_hash equal to the previous row's hash, each hash
 * recomputed in the row's format, the content hash of every screening
 * (row, findings, case) and decision recomputed from its tables, and of
 * every list against its newest audit row. With `head` (non-NULL) the last
 * row's hash must equal it (detects removed newest rows). Returns TTS_OK
 * with r->broken_seq set when broken.
 */
tts_status tts_store_audit_verify(tts_store *s, const char *head, unsigned flags,
                                  tts_store_audit_result *r, tts_error *err);

/*
 * The hash of one audit row in `format` (1 or 2, docs/audit-trail.md) into
 * out[65]; exposed for tests.
 */
tts_status tts_store_audit_hash(int format, int64_t seq, const char *at, const char *actor,
                                const char *action, const char *object, const char *content,
                                const char *prev, char out[65], tts_error *err);

/* SHA-256 of a decision's content, as the audit log records it, into out[65]. */
tts_status tts_store_decision_sha256(const tts_store_decision *d, char out[65], tts_error *err);

#endif
