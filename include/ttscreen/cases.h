/* SPDX-License-Identifier: MIT */
/*
 * The case file: every screening of a record id kept forever in the
 * database, reviewer decisions (never changed; a later one supersedes),
 * false-positive memory for cleared list hits, re-screening of every case,
 * and the hash-chained audit log that proves nobody edited the history.
 */
#ifndef TTS_CASES_H
#define TTS_CASES_H

#include <stddef.h>

#include "ttscreen/record.h"
#include "ttscreen/report.h"
#include "ttscreen/rules.h"
#include "ttscreen/scan.h"
#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_cases tts_cases;
struct tts_lists; /* ttscreen/lists.h */

/*
 * Open the case file of the database at db_path (created and migrated on
 * first use unless read_only). Caller owns *out (tts_cases_close). A
 * read-only case file reads one snapshot, taken at open and held until
 * close: the reviewers' decisions of a batch are those of its start (a
 * decision recorded meanwhile elsewhere applies from the next run), and a
 * lookup pays no read transaction of its own.
 */
TTS_API tts_status tts_cases_open(const char *db_path, int read_only, tts_cases **out,
                                  tts_error *err);
/* Accepts NULL. */
TTS_API void tts_cases_close(tts_cases *c);

/*
 * Group commit for a batch of screenings (`screen` of many records,
 * rescreen): with on, the screenings stored next are committed together,
 * TTS_CASES_GROUP_RECORDS at most or TTS_CASES_GROUP_MS milliseconds after
 * the group's first, each still one audit row of its own, in order; a
 * crash (kill -9, power loss under --sync full) loses only the open
 * group's screenings, each case keeping its previous screening and the
 * chain verifying. With on 0 the open group is committed: call it at the
 * end of the batch and report its error (a close commits too, silently).
 */
#define TTS_CASES_GROUP_RECORDS 512
#define TTS_CASES_GROUP_MS 200
TTS_API tts_status tts_cases_batch(tts_cases *c, int on, tts_error *err);

/*
 * How commits reach the disk: full (1, the default) returns from each
 * commit once the write-ahead log is on disk (fsync); normal (0) skips
 * that fsync: a process crash still loses nothing committed, but a power
 * loss or operating-system crash may undo the last commits (never leaving
 * a half-written one).
 */
TTS_API tts_status tts_cases_sync(tts_cases *c, int full, tts_error *err);

/*
 * False-positive memory: for each list match in f that a reviewer's newest
 * decision on this case cleared while the entry's content hash is still the
 * same, drop the match; a finding left without matches is marked cleared
 * ("cleared by NAME on DATE: REASON") and no longer counts. A case with no
 * history leaves f unchanged.
 */
TTS_API tts_status tts_cases_apply_decisions(tts_cases *c, const char *record_id,
                                             tts_findings *f, tts_error *err);

typedef struct tts_screening_info {
    size_t size;                 /* sizeof(tts_screening_info) */
    const char *at;              /* RFC 3339 time of the screening */
    const char *actor;           /* who ran it */
    const char *as_of;           /* YYYY-MM-DD */
    const tts_record *record;    /* borrowed */
    const tts_rules *rules;      /* borrowed */
    const tts_findings *findings;/* borrowed, after tts_cases_apply_decisions */
    const tts_list_info *lists;  /* lists consulted */
    size_t n_lists;
    const char *report_jsonl;    /* the report as rendered with TTS_FORMAT_JSONL */
    int rescreen;                /* 1 for `rescreen`, 0 for `screen` */
} tts_screening_info;

/* Store one screening (and its audit row) in one transaction. */
TTS_API tts_status tts_cases_store(tts_cases *c, const tts_screening_info *in, tts_error *err);

/*
 * The one way a record is screened: `screen`, `rescreen` and any batch
 * call this, so they cannot drift apart. It evaluates the rules with the
 * lists (every name of the record against every list, identifiers too),
 * applies the reviewers' standing decisions, and stores the screening when
 * asked, exactly the same way for each caller.
 */
typedef struct tts_screen_opts {
    size_t size;                 /* sizeof(tts_screen_opts) */
    const tts_rules *rules;      /* required */
    struct tts_lists *lists;     /* the lists to consult; NULL only with no_lists */
    int no_lists;                /* consult no list on purpose: the report says so */
    const tts_list_info *list_info; /* the versions of `lists`, named in the report */
    size_t n_lists;
    tts_cases *cases;            /* reviewers' decisions to apply, and where to store; or NULL */
    int store;                   /* store the screening in `cases` */
    int rescreen;                /* stored as a re-screening */
    const char *as_of;           /* YYYY-MM-DD override, or NULL: controls.as_of, else today */
    const char *today;           /* YYYY-MM-DD, required */
    const char *at;              /* RFC 3339 time of the screening, required */
    const char *actor;           /* who screens (stored), required when store */
    const char *tool_version;    /* for the report */
} tts_screen_opts;

typedef struct tts_screen_result {
    tts_findings *findings;   /* owned: free with tts_screen_result_clear */
    char as_of[11];           /* the date the screening treated as today */
    tts_report_input report;  /* ready for tts_report_render (borrows opts, record, findings) */
    char *stored_jsonl;       /* owned: the report as it will be stored (opts.store), or NULL */
    size_t stored_len;
} tts_screen_result;

/*
 * Screen rec (borrowed) as o says. On success *res holds the findings and
 * the report input; the caller frees it with tts_screen_result_clear.
 */
TTS_API tts_status tts_screen_record(const tts_screen_opts *o, const tts_record *rec,
                                     tts_screen_result *res /* OUT */, tts_error *err);
/* Accepts a zeroed or failed result. */
TTS_API void tts_screen_result_clear(tts_screen_result *res);

/*
 * tts_screen_record in its two steps, for batches on several threads
 * (ttscreen/jobs.h): tts_screen_evaluate (rules, lists, reviewers' decisions,
 * report input, the report text to store) only reads and may run on many
 * threads at once over the same rules, lists and case file;
 * tts_screen_complete (the stored screening) runs on one thread, in input
 * order, and so stores the screenings in that order. tts_screen_record is
 * the one followed by the other.
 */
TTS_API tts_status tts_screen_evaluate(const tts_screen_opts *o, const tts_record *rec,
                                       tts_screen_result *res /* OUT */, tts_error *err);
TTS_API tts_status tts_screen_complete(const tts_screen_opts *o, const tts_record *rec,
                                       tts_screen_result *res /* IN, OUT */, tts_error *err);

typedef struct tts_decision_input {
    size_t size;             /* sizeof(tts_decision_input) */
    const char *record_id;   /* the case */
    const char *disposition; /* cleared, escalated, licence-required, rejected */
    const char *by;          /* reviewer */
    const char *reason;      /* free text, required */
    const char *finding;     /* NULL (whole case), "RULE", or "RULE:SOURCE:ENTRY_ID" */
    const char *at;          /* RFC 3339 */
} tts_decision_input;

/*
 * Record a decision. TTS_ERR_ARG (message names what) for an unknown case,
 * disposition or a finding the case's latest screening does not hold.
 */
TTS_API tts_status tts_cases_decide(tts_cases *c, const tts_decision_input *d, tts_error *err);

/* `cases list` as text or json; caller owns *out (tts_free). */
TTS_API tts_status tts_cases_render_list(tts_cases *c, tts_format fmt, char **out, size_t *len,
                                         tts_error *err);
/*
 * The same for the cases of one kind: "deal", or "counterparty" (the rows
 * `search --batch --store` keeps; their record carries a top-level
 * "counterparty" object, and the case takes its kind from the record that
 * created it); NULL for all. TTS_ERR_ARG for another kind. `cases show`
 * (tts_cases_render_show) names the kind too.
 */
TTS_API tts_status tts_cases_render_list_of(tts_cases *c, tts_format fmt, const char *kind,
                                            char **out, size_t *len, tts_error *err);

/* `cases show ID` as text or json; TTS_ERR_ARG when there is no such case. */
TTS_API tts_status tts_cases_render_show(tts_cases *c, const char *record_id, tts_format fmt,
                                         char **out, size_t *len, tts_error *err);

typedef struct tts_rescreen_opts {
    size_t size;                /* sizeof(tts_rescreen_opts) */
    const tts_rules *rules;     /* current rules */
    tts_scan_opts scan;         /* as_of NULL: each case's record controls.as_of, else today */
    const char *today;          /* YYYY-MM-DD */
    const tts_list_info *lists; /* current list versions */
    size_t n_lists;
    const char *at, *actor;     /* time and actor of the re-screening */
    const char *tool_version;
    tts_format format;          /* text or json */
    tts_severity fail_on;       /* threshold over new findings */
    int no_lists;               /* no list consulted on purpose: each report says so */
    struct tts_lists *lists_db; /* the lists to consult (each case goes through
                                   tts_screen_record, as `screen` does); scan.lookup is unused */
    /* Fields below were added later; a smaller `size` leaves them unset. */
    int changed_lists;          /* only the cases a change since each case was last checked
                                   can affect (list entries by name, identifier or held
                                   finding; rules; as-of): the same findings as a full run */
    /* Called after each case with the cases done and the cases to do, or NULL. */
    void (*progress)(void *user, long done, long total);
    void *progress_user;
    /* Threads evaluating cases (ttscreen/jobs.h; 0 or 1: the caller's alone); the cases are
     * stored and rendered in the same order whatever the number. */
    unsigned jobs;
} tts_rescreen_opts;

/*
 * Screen every case's latest record again (with o->changed_lists: only the
 * cases a change can affect), store each outcome, and render per case the
 * new and gone findings with the list entry and list version behind each,
 * and the verdict change. A completed run is recorded, with its audit row,
 * as the mark the next --changed-lists run starts from. *failed is set to
 * 1 when a new finding is at or above o->fail_on.
 */
TTS_API tts_status tts_cases_rescreen(tts_cases *c, const tts_rescreen_opts *o, char **out,
                                      size_t *len, int *failed, tts_error *err);

typedef struct tts_audit_result {
    long rows;         /* rows checked */
    char head[65];     /* hash of the last row, "" when the log is empty */
    long broken_row;   /* first broken row, 0 when the chain holds */
    char problem[256]; /* what is wrong with it */
    /* Fields below were added later. */
    int damaged;       /* SQLite's check of the file failed (problem says how); broken_row 0 */
    long legacy_lists; /* lists whose newest import was logged by an earlier version: their
                          rows are not under the chain until they are imported again */
} tts_audit_result;

#define TTS_AUDIT_FULL 1u /* tts_cases_audit_check: PRAGMA integrity_check, not quick_check */

/*
 * Verify the audit chain; with head (non-NULL) also that it ends at that
 * hash. TTS_OK with r->broken_row == 0 when intact.
 */
TTS_API tts_status tts_cases_audit_verify(tts_cases *c, const char *head, tts_audit_result *r,
                                          tts_error *err);

/*
 * tts_cases_audit_verify with flags (TTS_AUDIT_FULL). Both first run
 * SQLite's check of the file (r->damaged), then walk the chain, recompute
 * every screening's, decision's and list's content hash from its rows.
 */
TTS_API tts_status tts_cases_audit_check(tts_cases *c, const char *head, unsigned flags,
                                         tts_audit_result *r, tts_error *err);

/* Called with each line of an export (NUL-terminated, ending in '\n'); nonzero stops. */
typedef int (*tts_line_fn)(void *user, const char *line, size_t len);

/*
 * Export the audit log as JSON Lines: one object per row, then a final
 * {"head": HASH, "rows": N} line.
 */
TTS_API tts_status tts_cases_audit_export(tts_cases *c, tts_line_fn fn, void *user,
                                          tts_error *err);

/*
 * Append an audit row for an action outside the case file (a list import):
 * within its own transaction.
 */
TTS_API tts_status tts_cases_audit_note(tts_cases *c, const char *at, const char *actor,
                                        const char *action, const char *object,
                                        const char *content_sha256, tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
