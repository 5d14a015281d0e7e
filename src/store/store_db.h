/* SPDX-License-Identifier: MIT */
/*
 * Inside the store module: what its files (store.c, store_cases.c,
 * store_digest.c) share.
 * Nothing outside the store module includes this header; it is the only
 * place besides those files that names SQLite.
 */
#ifndef TTS_STORE_DB_H
#define TTS_STORE_DB_H

#include <sqlite3.h>

#include "store/store.h"

/* The connection behind a store; borrowed, valid until tts_store_close. */
sqlite3 *tts_store_sqlite(tts_store *s);

/* Record SQLite's current message as TTS_ERR_DB naming the database and `what`. */
tts_status tts_store_db_error(tts_store *s, tts_error *err, const char *what);

/*
 * Statements prepared once per handle: the statement of `sql` (text of the
 * caller; a copy is kept), prepared on first use and kept until
 * tts_store_close. Give it back with tts_store_stmt_end (reset, bindings
 * cleared), on every path. A statement still in use further up the stack
 * (a nested read of the same SQL) gets a fresh one, finalised at its end.
 */
tts_status tts_store_stmt(tts_store *s, const char *sql, sqlite3_stmt **st, tts_error *err);
void tts_store_stmt_end(tts_store *s, sqlite3_stmt *st);

/*
 * The SQL of every statement the handle holds: those prepared at open and
 * every one tts_store_stmt has prepared since (for the query-plan test).
 */
void tts_store_sql_each(tts_store *s, void (*cb)(void *user, const char *sql), void *user);

/* Bind text, or NULL when v is NULL (SQLITE_TRANSIENT). */
int tts_store_bind(sqlite3_stmt *st, int i, const char *v);

/* Column i as text (NULL for NULL). */
const char *tts_store_col(sqlite3_stmt *st, int i);

/* Step a statement that returns no rows (or whose rows are not wanted). */
tts_status tts_store_step_done(tts_store *s, sqlite3_stmt *st, tts_error *err, const char *what);

/* Step st to its end, calling row(user, st) per row; a nonzero return stops (an error). */
tts_status tts_store_rows(tts_store *s, sqlite3_stmt *st, int (*row)(void *, sqlite3_stmt *),
                          void *user, tts_error *err, const char *what);

/* tts_store_rows over the cached statement of sql, ?1 bound to text when it has one. */
tts_status tts_store_query(tts_store *s, const char *sql, const char *text,
                           int (*row)(void *, sqlite3_stmt *), void *user, tts_error *err,
                           const char *what);

/*
 * SQL for the kind of a case whose record (canonical JSON) is the
 * expression `json`: "counterparty" when it carries the top-level
 * "counterparty" object that `search --batch --store` writes, else "deal".
 */
#define TTS_STORE_KIND_OF_RECORD(json)                                                         \
    "(CASE json_type(" json ", '$.counterparty') WHEN 'object' THEN 'counterparty'"            \
    " ELSE 'deal' END)"

/*
 * Migration 2: cases, screenings, findings, reviewer decisions and the
 * append-only, hash-chained audit log. Triggers refuse UPDATE and DELETE
 * on every history table, so only a deliberate schema change can alter
 * history, and `audit verify` detects it.
 */
#define TTS_STORE_CASES_SCHEMA                                                                 \
    "CREATE TABLE case_file ("                                                                 \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  record_id TEXT NOT NULL UNIQUE,"                                                        \
    "  created_at TEXT NOT NULL);"                                                             \
    "CREATE TABLE screening ("                                                                 \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"                                     \
    "  screened_at TEXT NOT NULL, as_of TEXT NOT NULL, actor TEXT NOT NULL,"                   \
    "  kind TEXT NOT NULL CHECK(kind IN ('screen','rescreen')),"                               \
    "  record_json TEXT NOT NULL, record_sha256 TEXT NOT NULL,"                                \
    "  rules_sha256 TEXT NOT NULL, rules_count INTEGER NOT NULL,"                              \
    "  lists_json TEXT NOT NULL, verdict TEXT NOT NULL, report_json TEXT NOT NULL);"           \
    "CREATE INDEX screening_case ON screening(case_id, id);"                                   \
    "CREATE TABLE finding ("                                                                   \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  screening_id INTEGER NOT NULL REFERENCES screening(id),"                                \
    "  fkey TEXT NOT NULL, rule TEXT NOT NULL, severity TEXT NOT NULL,"                        \
    "  subject TEXT NOT NULL, entry TEXT, entry_sha256 TEXT, message TEXT NOT NULL,"           \
    "  cleared TEXT);"                                           \
    "CREATE INDEX finding_screening ON finding(screening_id);"                                 \
    "CREATE TABLE decision ("                                                                  \
    "  id INTEGER PRIMARY KEY,"                                                                \
    "  case_id INTEGER NOT NULL REFERENCES case_file(id),"                                     \
    "  decided_at TEXT NOT NULL, decided_by TEXT NOT NULL,"                                    \
    "  disposition TEXT NOT NULL CHECK(disposition IN "                                        \
    "    ('cleared','escalated','licence-required','rejected')),"                              \
    "  reason TEXT NOT NULL, rule TEXT, entry TEXT, entry_sha256 TEXT);"                       \
    "CREATE INDEX decision_case ON decision(case_id, id);"                                     \
    "CREATE TABLE audit_log ("                                                                 \
    "  seq INTEGER PRIMARY KEY,"                                                               \
    "  at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, object TEXT NOT NULL,"     \
    "  content_sha256 TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"            \
    "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"                            \
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"                        \
    "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"                            \
    "  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"                        \
    "CREATE TRIGGER decision_no_update BEFORE UPDATE ON decision"                              \
    "  BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;"                         \
    "CREATE TRIGGER decision_no_delete BEFORE DELETE ON decision"                              \
    "  BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;"                         \
    "CREATE TRIGGER screening_no_update BEFORE UPDATE ON screening"                            \
    "  BEGIN SELECT RAISE(ABORT, 'screenings are never changed'); END;"                        \
    "CREATE TRIGGER screening_no_delete BEFORE DELETE ON screening"                            \
    "  BEGIN SELECT RAISE(ABORT, 'screenings are never deleted'); END;"                        \
    "CREATE TRIGGER finding_no_update BEFORE UPDATE ON finding"                                \
    "  BEGIN SELECT RAISE(ABORT, 'findings are never changed'); END;"                          \
    "CREATE TRIGGER finding_no_delete BEFORE DELETE ON finding"                                \
    "  BEGIN SELECT RAISE(ABORT, 'findings are never deleted'); END;"

#endif
