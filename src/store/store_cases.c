/* SPDX-License-Identifier: MIT */
/*
 * The case file inside the store module: screenings, findings, decisions
 * and the audit log (schema: migration 2 in store_db.h). Each public write
 * is one BEGIN IMMEDIATE transaction holding the change and its audit row.
 * Audit rows chain: hash = SHA-256 over the row's fields and the previous
 * row's hash, so editing, deleting or reordering rows breaks the chain.
 * Format 2 (schema 5 on) writes every preimage field length-prefixed and
 * hashes a screening with its row, findings and case; rows of format 1,
 * written by earlier versions, keep their newline-joined preimage and
 * report-only content hash. Verification also recomputes each list's hash
 * from its rows (store_digest.c) and runs SQLite's check of the file.
 */
#include "store/store_cases.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/mem.h"
#include "sign/ossl.h"
#include "store/store_db.h"
#include "store/store_digest.h"

#define GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

#define prepare tts_store_stmt
#define bind_text tts_store_bind
#define col tts_store_col
#define step_done tts_store_step_done

/*
 * Hash of one audit row: its fields and the previous hash. Format 1 (rows
 * of earlier versions) joins them with newlines; format 2 writes each one
 * length-prefixed (tts_store_field), so no newline in a value can move a
 * field boundary and keep the hash.
 */
static tts_status row_hash(int format, int64_t seq, const char *at, const char *actor,
                           const char *action, const char *object, const char *content,
                           const char *prev, char out[65], tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    if (format == 1) {
        tts_buf_printf(&b, "ttscreen-audit/1\n%lld\n%s\n%s\n%s\n%s\n%s\n%s\n", (long long)seq,
                       at, actor, action, object, content, prev);
    } else {
        const char *f[] = {at, actor, action, object, content, prev};
        tts_buf_puts(&b, "ttscreen-audit/2\n");
        tts_store_field_int(&b, seq);
        for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
            tts_store_field(&b, f[i]);
    }
    return tts_store_digest(&b, out, err);
}

tts_status tts_store_audit_hash(int format, int64_t seq, const char *at, const char *actor,
                                const char *action, const char *object, const char *content,
                                const char *prev, char out[65], tts_error *err)
{
    return row_hash(format, seq, at, actor, action, object, content, prev, out, err);
}

tts_status tts_store_audit_append(tts_store *s, const char *at, const char *actor,
                                  const char *action, const char *object,
                                  const char *content_sha256, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    char prev[65] = GENESIS, hash[65];
    int64_t seq = 1;
    tts_status rc;
    size_t bad;
    int format = tts_store_has_audit2(s) ? 2 : 1;

    if (actor == NULL || actor[0] == '\0')
        return tts_err_set(err, TTS_ERR_ARG, "the actor (who acts, --by) is empty");
    if ((bad = tts_text_unfit(actor)) != 0)
        return tts_err_set(err, TTS_ERR_ARG,
                           "the actor (who acts, --by) holds a control character or invalid "
                           "UTF-8 at byte %zu: names are stored and shown as one line of text",
                           bad);
    TTS_TRY(prepare(s, "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", &st, err));
    if (sqlite3_step(st) == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0) + 1;
        snprintf(prev, sizeof(prev), "%s", col(st, 1) ? col(st, 1) : "");
    }
    tts_store_stmt_end(s, st);
    st = NULL;
    TTS_TRY(row_hash(format, seq, at, actor, action, object, content_sha256, prev, hash, err));
    TTS_TRY(prepare(s,
                    format == 1 ? "INSERT INTO audit_log(seq, at, actor, action, object, "
                                  "content_sha256, prev_hash, hash) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
                                : "INSERT INTO audit_log(seq, at, actor, action, object, "
                                  "content_sha256, prev_hash, hash, format) "
                                  "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 2)",
                    &st, err));
    sqlite3_bind_int64(st, 1, seq);
    bind_text(st, 2, at);
    bind_text(st, 3, actor);
    bind_text(st, 4, action);
    bind_text(st, 5, object);
    bind_text(st, 6, content_sha256);
    bind_text(st, 7, prev);
    bind_text(st, 8, hash);
    rc = step_done(s, st, err, "appending to the audit log");
out:
    tts_store_stmt_end(s, st);
    return rc;
}

/*
 * Id of the case for record_id, creating it when `create` (of `kind`, NULL
 * for a deal); 0 when absent. A case of another kind than `kind` is refused:
 * a deal record never lands in a counterparty's case, nor the reverse.
 */
static tts_status case_id(tts_store *s, const char *record_id, const char *now, int create,
                          const char *kind, int64_t *id, char *created, size_t cap,
                          tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    int kinds = tts_store_has_case_kind(s), step;
    *id = 0;
    if (kind == NULL)
        kind = "deal";
    /* the case as it is, looked up first (a rescreen's cases all exist); created when
       missing, inside the caller's write transaction, so no other writer comes between */
    TTS_TRY(prepare(s,
                    kinds ? "SELECT id, kind, created_at FROM case_file WHERE record_id = ?1"
                          : "SELECT id, 'deal', created_at FROM case_file WHERE record_id = ?1",
                    &st, err));
    bind_text(st, 1, record_id);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *was = col(st, 1);
        if (create && kinds && was != NULL && strcmp(was, kind) != 0) {
            rc = tts_err_set(err, TTS_ERR_ARG,
                             "case %s is a %s case: a %s record is not stored in it (give the "
                             "record another id)",
                             record_id, was, kind);
            goto out;
        }
        *id = sqlite3_column_int64(st, 0);
        if (created != NULL) {
            const char *at = col(st, 2);
            if (at == NULL || strlen(at) >= cap)
                rc = tts_err_set(err, TTS_ERR_DB, "case %s: no creation time", record_id);
            else
                memcpy(created, at, strlen(at) + 1);
        }
        goto out;
    }
    if (step != SQLITE_DONE) {
        rc = tts_store_db_error(s, err, "reading a case");
        goto out;
    }
    if (!create)
        goto out;
    tts_store_stmt_end(s, st);
    st = NULL;
    TTS_TRY(prepare(s,
                    kinds ? "INSERT INTO case_file(record_id, created_at, kind) VALUES(?1, ?2, ?3)"
                          : "INSERT INTO case_file(record_id, created_at) VALUES(?1, ?2)",
                    &st, err));
    bind_text(st, 1, record_id);
    bind_text(st, 2, now);
    if (kinds)
        bind_text(st, 3, kind);
    TTS_TRY(step_done(s, st, err, "creating a case"));
    *id = sqlite3_last_insert_rowid(tts_store_sqlite(s));
    if (created != NULL) {
        if (strlen(now) >= cap)
            rc = tts_err_set(err, TTS_ERR_DB, "case %s: no creation time", record_id);
        else
            memcpy(created, now, strlen(now) + 1);
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

static tts_status insert_findings(tts_store *s, int64_t screening, const tts_store_finding *f,
                                  size_t n, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    TTS_TRY(prepare(s,
                    "INSERT INTO finding(screening_id, fkey, rule, severity, subject, entry, "
                    "entry_sha256, message, cleared) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                    &st, err));
    for (size_t i = 0; i < n; i++) {
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, screening);
        bind_text(st, 2, f[i].fkey);
        bind_text(st, 3, f[i].rule);
        bind_text(st, 4, f[i].severity);
        bind_text(st, 5, f[i].subject);
        bind_text(st, 6, f[i].entry);
        bind_text(st, 7, f[i].entry_sha256);
        bind_text(st, 8, f[i].message);
        bind_text(st, 9, f[i].cleared);
        TTS_TRY(step_done(s, st, err, "storing a finding"));
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

/*
 * Content hash of screening `id` in audit format 2, from its rows: the
 * case (record id, creation time), every column of the screening and every
 * finding in stored order ("ttscreen-screening/2", each field
 * length-prefixed). *missing = 1 when the screening or its case is gone.
 */
/* The screening's fields in the digest's order: case record id and creation time, then the
 * screening's columns (screened_at, as_of, actor, kind, record_json, record_sha256,
 * rules_sha256, rules_count, lists_json, verdict, report_json). */
#define SCREENING_FIELDS 13
#define FINDING_FIELDS 8

static void finding_digest(tts_buf *b, const char *const v[FINDING_FIELDS])
{
    tts_store_field(b, "finding");
    for (int i = 0; i < FINDING_FIELDS; i++)
        tts_store_field(b, v[i]);
}

/*
 * The content hash of a screening as tts_store_screening_add stores it,
 * from the values it binds (the same bytes screening_sha256 reads back).
 */
static tts_status screening_sha256_of(const tts_store_screening *sc, const char *created,
                                      const tts_store_finding *f, size_t n, char out[65],
                                      tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    char count[32];
    snprintf(count, sizeof(count), "%ld", sc->rules_count);
    {
        const char *v[SCREENING_FIELDS] = {sc->record_id,     created,          sc->screened_at,
                                           sc->as_of,         sc->actor,        sc->kind,
                                           sc->record_json,   sc->record_sha256, sc->rules_sha256,
                                           count,             sc->lists_json,   sc->verdict,
                                           sc->report_json};
        tts_buf_puts(&b, "ttscreen-screening/2\n");
        for (int i = 0; i < SCREENING_FIELDS; i++)
            tts_store_field(&b, v[i]);
    }
    for (size_t i = 0; i < n; i++) {
        const char *v[FINDING_FIELDS] = {f[i].fkey,    f[i].rule,         f[i].severity,
                                         f[i].subject, f[i].entry,        f[i].entry_sha256,
                                         f[i].message, f[i].cleared};
        finding_digest(&b, v);
    }
    tts_store_field_int(&b, (long long)n);
    return tts_store_digest(&b, out, err);
}

static tts_status screening_sha256(tts_store *s, int64_t id, char out[65], int *missing,
                                   tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    long n = 0;
    int step, cols;
    *missing = 0;
    tts_buf_puts(&b, "ttscreen-screening/2\n");
    TTS_TRY(prepare(s,
                    "SELECT c.record_id, c.created_at, s.screened_at, s.as_of, s.actor, s.kind, "
                    "s.record_json, s.record_sha256, s.rules_sha256, s.rules_count, "
                    "s.lists_json, s.verdict, s.report_json FROM screening s JOIN case_file c "
                    "ON c.id = s.case_id WHERE s.id = ?1",
                    &st, err));
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        *missing = 1;
        goto out;
    }
    cols = sqlite3_column_count(st);
    for (int i = 0; i < cols; i++)
        tts_store_field(&b, col(st, i));
    tts_store_stmt_end(s, st);
    TTS_TRY(prepare(s,
                    "SELECT fkey, rule, severity, subject, entry, entry_sha256, message, cleared "
                    "FROM finding WHERE screening_id = ?1 ORDER BY id",
                    &st, err));
    sqlite3_bind_int64(st, 1, id);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *v[FINDING_FIELDS];
        for (int i = 0; i < FINDING_FIELDS; i++)
            v[i] = col(st, i);
        finding_digest(&b, v);
        n++;
    }
    if (step != SQLITE_DONE) {
        rc = tts_store_db_error(s, err, "reading findings");
        goto out;
    }
    tts_store_field_int(&b, n);
    if (tts_buf_failed(&b)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = tts_sha256_hex(b.data, b.len, out, err);
out:
    tts_store_stmt_end(s, st);
    tts_buf_free(&b);
    return rc;
}

tts_status tts_store_screening_add(tts_store *s, const tts_store_screening *sc,
                                   const tts_store_finding *f, size_t n, int64_t *id,
                                   tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t cid = 0;
    char content[65], object[64], created[64] = "";
    tts_status rc;

    *id = 0;
    TTS_TRY(tts_store_begin(s, err));
    TTS_TRY(case_id(s, sc->record_id, sc->screened_at, 1, sc->case_kind, &cid, created,
                    sizeof(created), err));
    TTS_TRY(prepare(s,
                    "INSERT INTO screening(case_id, screened_at, as_of, actor, kind, record_json, "
                    "record_sha256, rules_sha256, rules_count, lists_json, verdict, report_json) "
                    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    &st, err));
    sqlite3_bind_int64(st, 1, cid);
    bind_text(st, 2, sc->screened_at);
    bind_text(st, 3, sc->as_of);
    bind_text(st, 4, sc->actor);
    bind_text(st, 5, sc->kind);
    bind_text(st, 6, sc->record_json);
    bind_text(st, 7, sc->record_sha256);
    bind_text(st, 8, sc->rules_sha256);
    sqlite3_bind_int64(st, 9, sc->rules_count);
    bind_text(st, 10, sc->lists_json);
    bind_text(st, 11, sc->verdict);
    bind_text(st, 12, sc->report_json);
    TTS_TRY(step_done(s, st, err, "storing a screening"));
    *id = sqlite3_last_insert_rowid(tts_store_sqlite(s));
    TTS_TRY(insert_findings(s, *id, f, n, err));
    if (tts_store_has_audit2(s)) {
        /* from the values bound, not read back: the verifier reads the rows and must agree */
        TTS_TRY(screening_sha256_of(sc, created, f, n, content, err));
    } else {
        TTS_TRY(tts_sha256_hex(sc->report_json, strlen(sc->report_json), content, err));
    }
    snprintf(object, sizeof(object), "screening:%lld", (long long)*id);
    TTS_TRY(tts_store_audit_append(s, sc->screened_at, sc->actor, sc->kind, object, content, err));
    rc = tts_store_commit(s, err);
out:
    tts_store_stmt_end(s, st);
    if (rc != TTS_OK) {
        tts_store_rollback_report(s, err);
        *id = 0;
    }
    return rc;
}

tts_status tts_store_decision_sha256(const tts_store_decision *d, char out[65], tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    const char *fields[] = {d->record_id,   d->decided_at, d->decided_by, d->disposition,
                            d->reason,      d->rule,       d->entry,      d->entry_sha256};
    tts_buf_puts(&b, "ttscreen-decision/1\n");
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
        /* length-prefixed so no field can run into the next */
        if (fields[i] == NULL)
            tts_buf_puts(&b, "-\n");
        else
            tts_buf_printf(&b, "%zu:%s\n", strlen(fields[i]), fields[i]);
    }
    return tts_store_digest(&b, out, err);
}

tts_status tts_store_decision_add(tts_store *s, const tts_store_decision *d, int64_t *id,
                                  tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int64_t cid = 0;
    char content[65], object[64];
    tts_status rc;

    *id = 0;
    TTS_TRY(tts_store_begin(s, err));
    TTS_TRY(case_id(s, d->record_id, d->decided_at, 0, NULL, &cid, NULL, 0, err));
    if (cid == 0) {
        rc = tts_err_set(err, TTS_ERR_ARG, "no case \"%s\" in the database (screen it first)",
                         d->record_id);
        goto out;
    }
    TTS_TRY(prepare(s,
                    "INSERT INTO decision(case_id, decided_at, decided_by, disposition, reason, "
                    "rule, entry, entry_sha256) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    &st, err));
    sqlite3_bind_int64(st, 1, cid);
    bind_text(st, 2, d->decided_at);
    bind_text(st, 3, d->decided_by);
    bind_text(st, 4, d->disposition);
    bind_text(st, 5, d->reason);
    bind_text(st, 6, d->rule);
    bind_text(st, 7, d->entry);
    bind_text(st, 8, d->entry_sha256);
    TTS_TRY(step_done(s, st, err, "storing a decision"));
    *id = sqlite3_last_insert_rowid(tts_store_sqlite(s));
    TTS_TRY(tts_store_decision_sha256(d, content, err));
    snprintf(object, sizeof(object), "decision:%lld", (long long)*id);
    TTS_TRY(tts_store_audit_append(s, d->decided_at, d->decided_by, "decide", object, content,
                                   err));
    rc = tts_store_commit(s, err);
out:
    tts_store_stmt_end(s, st);
    if (rc != TTS_OK) {
        tts_store_rollback_report(s, err);
        *id = 0;
    }
    return rc;
}

static void read_decision(sqlite3_stmt *st, tts_store_decision *d)
{
    d->id = sqlite3_column_int64(st, 0);
    d->record_id = col(st, 1);
    d->decided_at = col(st, 2);
    d->decided_by = col(st, 3);
    d->disposition = col(st, 4);
    d->reason = col(st, 5);
    d->rule = col(st, 6);
    d->entry = col(st, 7);
    d->entry_sha256 = col(st, 8);
}

#define DECISION_COLS                                                                          \
    "d.id, c.record_id, d.decided_at, d.decided_by, d.disposition, d.reason, d.rule, d.entry, " \
    "d.entry_sha256"

/*
 * Call row() for every result row of sql, ?1 bound to text, or to num when
 * use_int.
 */
static tts_status query_each(tts_store *s, const char *sql, const char *text, int use_int,
                             int64_t num, int (*row)(void *, sqlite3_stmt *), void *user,
                             tts_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    tts_status rc;
    if (!use_int)
        return tts_store_query(s, sql, text, row, user, err, what);
    TTS_TRY(prepare(s, sql, &st, err));
    sqlite3_bind_int64(st, 1, num);
    rc = tts_store_rows(s, st, row, user, err, what);
out:
    tts_store_stmt_end(s, st);
    return rc;
}

typedef struct decision_ctx {
    tts_store_decision_cb cb;
    void *user;
} decision_ctx;

static int decision_row(void *p, sqlite3_stmt *st)
{
    decision_ctx *c = p;
    tts_store_decision d;
    read_decision(st, &d);
    return c->cb(c->user, &d);
}

tts_status tts_store_decisions_each(tts_store *s, const char *record_id, tts_store_decision_cb cb,
                                    void *user, tts_error *err)
{
    decision_ctx c = {cb, user};
    return query_each(s,
                      "SELECT " DECISION_COLS " FROM decision d JOIN case_file c ON "
                      "c.id = d.case_id WHERE c.record_id = ?1 ORDER BY d.id",
                      record_id, 0, 0, decision_row, &c, err, "decisions");
}

#define SCREENING_COLS                                                                         \
    "s.id, c.record_id, s.screened_at, s.as_of, s.actor, s.kind, s.record_json, "              \
    "s.record_sha256, s.rules_sha256, s.rules_count, s.lists_json, s.verdict, s.report_json"

static void read_screening(sqlite3_stmt *st, int at, tts_store_screening *sc)
{
    sc->id = sqlite3_column_int64(st, at);
    sc->record_id = col(st, at + 1);
    sc->screened_at = col(st, at + 2);
    sc->as_of = col(st, at + 3);
    sc->actor = col(st, at + 4);
    sc->kind = col(st, at + 5);
    sc->record_json = col(st, at + 6);
    sc->record_sha256 = col(st, at + 7);
    sc->rules_sha256 = col(st, at + 8);
    sc->rules_count = (long)sqlite3_column_int64(st, at + 9);
    sc->lists_json = col(st, at + 10);
    sc->verdict = col(st, at + 11);
    sc->report_json = col(st, at + 12);
    sc->case_kind = NULL; /* not read back with a screening: tts_store_case.kind has it */
}

typedef struct case_ctx {
    tts_store_case_cb cb;
    void *user;
    size_t n;
} case_ctx;

static int case_row(void *p, sqlite3_stmt *st)
{
    case_ctx *c = p;
    tts_store_case k;
    memset(&k, 0, sizeof(k));
    k.record_id = col(st, 0);
    k.created_at = col(st, 1);
    k.n_screenings = (long)sqlite3_column_int64(st, 2);
    k.n_findings = (long)sqlite3_column_int64(st, 3);
    k.disposition = col(st, 4);
    k.kind = col(st, 5);
    read_screening(st, 6, &k.latest);
    c->n++;
    return c->cb(c->user, &k);
}

/* The cases query; `kind_col` is the column or expression of each case's kind. */
#define CASES_SQL(kind_col)                                                                    \
    "SELECT c.record_id, c.created_at,"                                                        \
    " (SELECT count(*) FROM screening x WHERE x.case_id = c.id),"                              \
    " (SELECT count(*) FROM finding f WHERE f.screening_id = s.id AND f.cleared IS NULL),"     \
    " (SELECT d.disposition FROM decision d WHERE d.case_id = c.id AND d.rule IS NULL"         \
    "  ORDER BY d.id DESC LIMIT 1), " kind_col ", " SCREENING_COLS                             \
    " FROM case_file c JOIN screening s ON s.id ="                                             \
    " (SELECT max(id) FROM screening x WHERE x.case_id = c.id)"
/* every case in record id order (one walk of the record id's index), or one case by its id */
#define CASES_ALL " ORDER BY c.record_id"
#define CASES_ONE " WHERE c.record_id = ?1"

tts_status tts_store_cases_each(tts_store *s, const char *record_id, tts_store_case_cb cb,
                                void *user, size_t *found, tts_error *err)
{
    case_ctx c = {cb, user, 0};
    /* a read-only file from before migration 8 has no kind column: read it from the record */
    const char *sql;
    tts_status rc;
    if (tts_store_has_case_kind(s))
        sql = record_id == NULL ? CASES_SQL("c.kind") CASES_ALL : CASES_SQL("c.kind") CASES_ONE;
    else
        sql = record_id == NULL ? CASES_SQL(TTS_STORE_KIND_OF_RECORD("s.record_json")) CASES_ALL
                                : CASES_SQL(TTS_STORE_KIND_OF_RECORD("s.record_json")) CASES_ONE;
    rc = query_each(s, sql, record_id, 0, 0, case_row, &c, err, "cases");
    if (found != NULL)
        *found = c.n;
    return rc;
}

typedef struct screening_ctx {
    tts_store_screening_cb cb;
    void *user;
} screening_ctx;

static int screening_row(void *p, sqlite3_stmt *st)
{
    screening_ctx *c = p;
    tts_store_screening sc;
    read_screening(st, 0, &sc);
    return c->cb(c->user, &sc);
}

tts_status tts_store_screenings_each(tts_store *s, const char *record_id,
                                     tts_store_screening_cb cb, void *user, tts_error *err)
{
    screening_ctx c = {cb, user};
    return query_each(s,
                      "SELECT " SCREENING_COLS " FROM screening s JOIN case_file c ON "
                      "c.id = s.case_id WHERE c.record_id = ?1 ORDER BY s.id",
                      record_id, 0, 0, screening_row, &c, err, "screenings");
}

typedef struct finding_ctx {
    tts_store_finding_cb cb;
    void *user;
} finding_ctx;

static int finding_row(void *p, sqlite3_stmt *st)
{
    finding_ctx *c = p;
    tts_store_finding f;
    f.fkey = col(st, 0);
    f.rule = col(st, 1);
    f.severity = col(st, 2);
    f.subject = col(st, 3);
    f.entry = col(st, 4);
    f.entry_sha256 = col(st, 5);
    f.message = col(st, 6);
    f.cleared = col(st, 7);
    return c->cb(c->user, &f);
}

tts_status tts_store_findings_each(tts_store *s, int64_t screening_id, tts_store_finding_cb cb,
                                   void *user, tts_error *err)
{
    finding_ctx c = {cb, user};
    return query_each(s,
                      "SELECT fkey, rule, severity, subject, entry, entry_sha256, message, "
                      "cleared FROM finding WHERE screening_id = ?1 ORDER BY id",
                      NULL, 1, screening_id, finding_row, &c, err, "findings");
}

typedef struct audit_ctx {
    tts_store_audit_cb cb;
    void *user;
} audit_ctx;

static void read_audit(sqlite3_stmt *st, tts_store_audit *a)
{
    a->seq = sqlite3_column_int64(st, 0);
    a->at = col(st, 1);
    a->actor = col(st, 2);
    a->action = col(st, 3);
    a->object = col(st, 4);
    a->content_sha256 = col(st, 5);
    a->prev_hash = col(st, 6);
    a->hash = col(st, 7);
    a->format = sqlite3_column_int(st, 8);
}

static int audit_row(void *p, sqlite3_stmt *st)
{
    audit_ctx *c = p;
    tts_store_audit a;
    read_audit(st, &a);
    return c->cb(c->user, &a);
}

#define AUDIT_SELECT                                                                           \
    "SELECT seq, at, actor, action, object, content_sha256, prev_hash, hash, format "          \
    "FROM audit_log ORDER BY seq"
#define AUDIT_SELECT_OLD                                                                       \
    "SELECT seq, at, actor, action, object, content_sha256, prev_hash, hash, 1 "               \
    "FROM audit_log ORDER BY seq"

tts_status tts_store_audit_each(tts_store *s, tts_store_audit_cb cb, void *user, tts_error *err)
{
    audit_ctx c = {cb, user};
    return query_each(s, tts_store_has_audit2(s) ? AUDIT_SELECT : AUDIT_SELECT_OLD, NULL, 0, 0,
                      audit_row, &c, err, "the audit log");
}

/*
 * Recompute the content hash of the screening or decision an audit row
 * names, by the row's format: format 1 hashed a screening's report alone,
 * format 2 its row, findings and case. Lists are checked after the walk
 * (only the newest row of each list describes what is stored now).
 */
static tts_status content_of(tts_store *s, const char *object, int format, char out[65],
                             int *known, int *missing, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    long long id = 0;
    char tail;
    tts_status rc = TTS_OK;
    *known = *missing = 0;
    if (sscanf(object, "screening:%lld%c", &id, &tail) == 1) {
        *known = 1;
        if (format >= 2)
            return screening_sha256(s, id, out, missing, err);
        TTS_TRY(prepare(s, "SELECT report_json FROM screening WHERE id = ?1", &st, err));
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_ROW || col(st, 0) == NULL)
            *missing = 1;
        else
            rc = tts_sha256_hex(col(st, 0), strlen(col(st, 0)), out, err);
    } else if (sscanf(object, "rescreen-run:%lld%c", &id, &tail) == 1 &&
               tts_store_has_listver(s)) {
        *known = 1;
        return tts_store_run_sha256(s, id, out, missing, err);
    } else if (sscanf(object, "decision:%lld%c", &id, &tail) == 1) {
        tts_store_decision d;
        *known = 1;
        TTS_TRY(prepare(s,
                        "SELECT " DECISION_COLS " FROM decision d JOIN case_file c ON "
                        "c.id = d.case_id WHERE d.id = ?1",
                        &st, err));
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_ROW) {
            *missing = 1;
        } else {
            read_decision(st, &d);
            rc = tts_store_decision_sha256(&d, out, err);
        }
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

/* Check one row against its predecessor; fills r->problem when broken. */
static tts_status check_row(tts_store *s, const tts_store_audit *a, int64_t want_seq,
                            const char *prev, int prev_format, tts_store_audit_result *r,
                            tts_error *err)
{
    char hash[65], content[65];
    int known = 0, missing = 0;
    tts_status rc;
    if (a->seq != want_seq) {
        snprintf(r->problem, sizeof(r->problem),
                 a->seq > want_seq ? "row %lld is missing before it" : "row out of order",
                 (long long)want_seq);
        return TTS_OK;
    }
    if (a->prev_hash == NULL || strcmp(a->prev_hash, prev) != 0) {
        snprintf(r->problem, sizeof(r->problem),
                 "its previous-row hash does not match the row before it");
        return TTS_OK;
    }
    if (a->format != 1 && a->format != 2) {
        snprintf(r->problem, sizeof(r->problem), "unknown audit format %d", a->format);
        return TTS_OK;
    }
    if (a->format < prev_format) {
        /* rows of the old format only ever come before the first row of the new one */
        snprintf(r->problem, sizeof(r->problem),
                 "the row was edited (format %d after a row of format %d)", a->format,
                 prev_format);
        return TTS_OK;
    }
    rc = row_hash(a->format, a->seq, a->at ? a->at : "", a->actor ? a->actor : "",
                  a->action ? a->action : "", a->object ? a->object : "",
                  a->content_sha256 ? a->content_sha256 : "", prev, hash, err);
    if (rc != TTS_OK)
        return rc;
    if (a->hash == NULL || strcmp(a->hash, hash) != 0) {
        snprintf(r->problem, sizeof(r->problem), "the row was edited (its hash does not match)");
        return TTS_OK;
    }
    rc = content_of(s, a->object ? a->object : "", a->format, content, &known, &missing, err);
    if (rc != TTS_OK)
        return rc;
    if (known && missing)
        snprintf(r->problem, sizeof(r->problem), "%s it stands for was deleted", a->object);
    else if (known && strcmp(content, a->content_sha256 ? a->content_sha256 : "") != 0)
        snprintf(r->problem, sizeof(r->problem),
                 a->format >= 2 && strncmp(a->object, "screening:", 10) == 0
                     ? "%s was edited after it was logged (its row, findings or case)"
                     : "%s was edited after it was logged",
                 a->object);
    return TTS_OK;
}

/*
 * Each list against the newest audit row that logged it: a list whose
 * newest row has format 2 must hash (tts_store_list_sha256) to that row's
 * content and to the hash recorded with it; a list with rows only of
 * format 1 is counted in r->legacy_lists (its import hashed the file, not
 * the rows); a list in no row was written outside ttscreen.
 */
static tts_status check_lists(tts_store *s, tts_store_audit_result *r, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    int step;
    TTS_TRY(prepare(s,
                    "WITH names(n) AS (SELECT name FROM list_source UNION "
                    "SELECT source FROM list_fetch UNION SELECT source FROM list_config UNION "
                    "SELECT substr(object, 6) FROM audit_log WHERE object LIKE 'list:%') "
                    "SELECT n, (SELECT seq FROM audit_log WHERE object = 'list:' || n "
                    "ORDER BY seq DESC LIMIT 1), (SELECT format FROM audit_log WHERE object = "
                    "'list:' || n ORDER BY seq DESC LIMIT 1), (SELECT content_sha256 FROM "
                    "audit_log WHERE object = 'list:' || n ORDER BY seq DESC LIMIT 1), "
                    "(SELECT content_sha256 FROM list_source WHERE name = n) FROM names "
                    "ORDER BY n",
                    &st, err));
    while (r->broken_seq == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *name = col(st, 0), *logged = col(st, 3), *kept = col(st, 4);
        char now[65];
        int found = 0;
        if (name == NULL)
            continue;
        if (sqlite3_column_type(st, 1) == SQLITE_NULL) {
            r->broken_seq = r->rows + 1;
            snprintf(r->problem, sizeof(r->problem),
                     "list:%.200s has no audit row (written outside ttscreen)", name);
            break;
        }
        if (sqlite3_column_int(st, 2) < 2) {
            r->legacy_lists++;
            continue;
        }
        TTS_TRY(tts_store_list_sha256(s, name, now, &found, err));
        if (!found || strcmp(now, logged != NULL ? logged : "") != 0 ||
            (kept != NULL && strcmp(kept, now) != 0) || (found && kept == NULL)) {
            r->broken_seq = (long)sqlite3_column_int64(st, 1);
            snprintf(r->problem, sizeof(r->problem),
                     !found ? "list:%.200s was deleted after it was logged"
                            : "list:%.200s was edited after it was logged (its entries, names, "
                              "import or feed record)",
                     name);
        }
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

/*
 * SQLite's own check of the file (PRAGMA quick_check, or integrity_check
 * when `full`): damaged pages, broken indexes. Fills r->problem and sets
 * r->damaged when it reports anything but "ok" or cannot run.
 */
static void check_file(tts_store *s, int full, tts_store_audit_result *r)
{
    sqlite3_stmt *st = NULL;
    int step;
    const char *sql = full ? "PRAGMA integrity_check(1)" : "PRAGMA quick_check(1)";
    if (sqlite3_prepare_v2(tts_store_sqlite(s), sql, -1, &st, NULL) != SQLITE_OK) {
        r->damaged = 1;
        snprintf(r->problem, sizeof(r->problem), "%s", sqlite3_errmsg(tts_store_sqlite(s)));
        sqlite3_finalize(st);
        return;
    }
    step = sqlite3_step(st);
    if (step == SQLITE_ROW && col(st, 0) != NULL && strcmp(col(st, 0), "ok") == 0) {
        sqlite3_finalize(st);
        return;
    }
    r->damaged = 1;
    if (step == SQLITE_ROW && col(st, 0) != NULL) {
        /* one line: the first finding, without SQLite's "*** in database main ***" heading */
        const char *m = col(st, 0), *nl = strchr(m, '\n');
        if (strncmp(m, "*** ", 4) == 0 && nl != NULL && nl[1] != '\0')
            m = nl + 1;
        snprintf(r->problem, sizeof(r->problem), "%s", m);
        r->problem[strcspn(r->problem, "\n")] = '\0';
    } else {
        snprintf(r->problem, sizeof(r->problem), "%s", sqlite3_errmsg(tts_store_sqlite(s)));
    }
    sqlite3_finalize(st);
}

/*
 * A case's kind (migration 8) is not hashed itself: it rests on the hashed
 * records of its screenings, which must all make it that kind. One that
 * does not was edited behind the log's back (the row of that screening).
 */
static tts_status check_kinds(tts_store *s, tts_store_audit_result *r, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    TTS_TRY(prepare(s,
                    "SELECT c.record_id, c.kind, " TTS_STORE_KIND_OF_RECORD("s.record_json") ", "
                    "(SELECT seq FROM audit_log WHERE object = 'screening:' || s.id) "
                    "FROM screening s JOIN case_file c ON c.id = s.case_id "
                    "WHERE c.kind IS NOT " TTS_STORE_KIND_OF_RECORD("s.record_json") " LIMIT 1",
                    &st, err));
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->broken_seq = sqlite3_column_type(st, 3) == SQLITE_NULL
                            ? r->rows + 1
                            : (long)sqlite3_column_int64(st, 3);
        snprintf(r->problem, sizeof(r->problem),
                 "case %.120s: its kind was changed to %.20s, but its records make it a %.20s "
                 "case",
                 col(st, 0), col(st, 1) ? col(st, 1) : "nothing", col(st, 2));
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

/* A screening or decision with no audit row was inserted behind the log's back. */
static tts_status find_unlogged(tts_store *s, tts_store_audit_result *r, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    /* rescreen runs exist from schema 6 (store_listver.h) */
    TTS_TRY(prepare(s,
                    tts_store_has_listver(s)
                        ? "SELECT 'screening:' || id FROM screening WHERE 'screening:' || id "
                          "NOT IN (SELECT object FROM audit_log) UNION ALL "
                          "SELECT 'decision:' || id FROM decision WHERE 'decision:' || id NOT IN "
                          "(SELECT object FROM audit_log) UNION ALL "
                          "SELECT 'rescreen-run:' || id FROM rescreen_run WHERE "
                          "'rescreen-run:' || id NOT IN (SELECT object FROM audit_log) LIMIT 1"
                        : "SELECT 'screening:' || id FROM screening WHERE 'screening:' || id "
                          "NOT IN (SELECT object FROM audit_log) UNION ALL "
                          "SELECT 'decision:' || id FROM decision WHERE 'decision:' || id NOT IN "
                          "(SELECT object FROM audit_log) LIMIT 1",
                    &st, err));
    if (sqlite3_step(st) == SQLITE_ROW) {
        r->broken_seq = r->rows + 1;
        snprintf(r->problem, sizeof(r->problem), "%s has no audit row (inserted outside ttscreen)",
                 col(st, 0));
    }
out:
    tts_store_stmt_end(s, st);
    return rc;
}

tts_status tts_store_audit_verify(tts_store *s, const char *head, unsigned flags,
                                  tts_store_audit_result *r, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    char prev[65] = GENESIS;
    int64_t want = 1;
    int step, prev_format = 1, own;
    tts_status rc = TTS_OK;

    memset(r, 0, sizeof(*r));
    /* one snapshot for the walk: the handle's own (a read-only case file holds one), or this */
    own = !tts_store_in_transaction(s);
    if (own && sqlite3_exec(tts_store_sqlite(s), "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return tts_store_db_error(s, err, "reading the audit log");
    check_file(s, (flags & TTS_STORE_VERIFY_FULL) != 0, r);
    if (r->damaged)
        goto out;
    TTS_TRY(prepare(s, tts_store_has_audit2(s) ? AUDIT_SELECT : AUDIT_SELECT_OLD, &st, err));
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        tts_store_audit a;
        read_audit(st, &a);
        TTS_TRY(check_row(s, &a, want, prev, prev_format, r, err));
        if (r->problem[0] != '\0') {
            r->broken_seq = a.seq;
            goto out;
        }
        snprintf(prev, sizeof(prev), "%s", a.hash);
        prev_format = a.format;
        want++;
        r->rows++;
    }
    if (step != SQLITE_DONE) {
        rc = tts_store_db_error(s, err, "reading the audit log");
        goto out;
    }
    snprintf(r->head, sizeof(r->head), "%s", r->rows > 0 ? prev : "");
    TTS_TRY(find_unlogged(s, r, err));
    if (r->broken_seq == 0 && tts_store_has_audit2(s))
        TTS_TRY(check_lists(s, r, err));
    if (r->broken_seq == 0 && tts_store_has_case_kind(s))
        TTS_TRY(check_kinds(s, r, err));
    if (r->broken_seq == 0 && head != NULL && strcmp(head, r->head) != 0) {
        r->broken_seq = r->rows + 1;
        snprintf(r->problem, sizeof(r->problem),
                 "the chain ends at a different head than expected: rows after %ld were removed "
                 "or replaced",
                 r->rows);
    }
out:
    tts_store_stmt_end(s, st);
    if (own)
        sqlite3_exec(tts_store_sqlite(s), "COMMIT", NULL, NULL, NULL);
    return rc;
}
