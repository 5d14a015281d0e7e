/* SPDX-License-Identifier: MIT */
/*
 * SQL of list versions, their changes, rescreen runs and the case-file
 * reads of a delta rescreen (see store_listver.h). Part of the store
 * module: statements come from the handle's cache (tts_store_stmt in
 * store_db.h, shared with store.c and store_cases.c); text is bound
 * SQLITE_TRANSIENT; SQLite's messages are copied into tts_error.
 */
#include "store/store_listver.h"

#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "sign/ossl.h"
#include "store/store_cases.h"
#include "store/store_db.h"
#include "store/store_digest.h"

#define prep tts_store_stmt
#define bind tts_store_bind
#define col tts_store_col

/* Step st to the end, calling row(user, st) for each row; gives st back. */
static tts_status each(tts_store *s, sqlite3_stmt *st, int (*row)(void *, sqlite3_stmt *),
                       void *user, tts_error *err, const char *what)
{
    tts_status rc = tts_store_rows(s, st, row, user, err, what);
    tts_store_stmt_end(s, st);
    return rc;
}

/* Step a write to its end; gives st back. */
static tts_status done(tts_store *s, sqlite3_stmt *st, tts_error *err, const char *what)
{
    tts_status rc = sqlite3_step(st) == SQLITE_DONE ? TTS_OK : tts_store_db_error(s, err, what);
    tts_store_stmt_end(s, st);
    return rc;
}

/* ---- entries of a source ---- */

typedef struct ids_ctx {
    tts_store_entry_id_cb cb;
    void *user;
} ids_ctx;

static int ids_row(void *u, sqlite3_stmt *st)
{
    ids_ctx *c = u;
    return c->cb(c->user, col(st, 0), col(st, 1));
}

tts_status tts_store_source_ids_each(tts_store *s, const char *source, tts_store_entry_id_cb cb,
                                     void *user, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    ids_ctx c = {cb, user};
    tts_status rc;
    /* the first row of each id: the one tts_store_entry_sha256 hashes */
    TTS_TRY(prep(s,
                 "SELECT e.entry_id, e.name FROM list_entry e JOIN list_source s ON "
                 "s.id = e.source_id WHERE s.name = ?1 AND e.id = (SELECT min(x.id) FROM "
                 "list_entry x WHERE x.source_id = e.source_id AND x.entry_id = e.entry_id) "
                 "ORDER BY e.entry_id",
                 &st, err));
    bind(st, 1, source);
    rc = each(s, st, ids_row, &c, err, "the entries of a list");
out:
    return rc;
}

tts_status tts_store_source_sha256(tts_store *s, const char *source, char out[65], int *found,
                                   tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    int step;
    out[0] = '\0';
    *found = 0;
    TTS_TRY(prep(s, "SELECT sha256 FROM list_source WHERE name = ?1", &st, err));
    bind(st, 1, source);
    step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        *found = 1;
        snprintf(out, 65, "%s", col(st, 0) != NULL ? col(st, 0) : "");
    } else if (step != SQLITE_DONE) {
        rc = tts_store_db_error(s, err, "reading a list");
    }
    tts_store_stmt_end(s, st);
out:
    return rc;
}

typedef struct names_ctx {
    tts_store_name_cb cb;
    void *user;
} names_ctx;

static int names_row(void *u, sqlite3_stmt *st)
{
    names_ctx *c = u;
    tts_store_name n;
    n.entry = sqlite3_column_int64(st, 0);
    n.kind = col(st, 1);
    n.name = col(st, 2);
    n.tokens = col(st, 3);
    n.legal = col(st, 4);
    n.glued = col(st, 5);
    return c->cb(c->user, &n);
}

tts_status tts_store_entry_names_each(tts_store *s, const char *source, const char *entry_id,
                                      tts_store_name_cb cb, void *user, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    names_ctx c = {cb, user};
    tts_status rc;
    TTS_TRY(prep(s,
                 "SELECT n.entry, n.kind, n.name, n.tokens, n.legal, n.glued FROM list_name n "
                 "JOIN list_entry e ON e.id = n.entry JOIN list_source s ON s.id = e.source_id "
                 "WHERE s.name = ?1 AND e.entry_id = ?2 ORDER BY n.entry, n.id",
                 &st, err));
    bind(st, 1, source);
    bind(st, 2, entry_id);
    rc = each(s, st, names_row, &c, err, "the names of a list entry");
out:
    return rc;
}

/* ---- versions and changes ---- */

typedef struct ver_ctx {
    tts_store_version_cb cb;
    void *user;
} ver_ctx;

static int ver_row(void *u, sqlite3_stmt *st)
{
    ver_ctx *c = u;
    tts_store_version v;
    v.id = sqlite3_column_int64(st, 0);
    v.source = col(st, 1);
    v.version = (long)sqlite3_column_int64(st, 2);
    v.sha256 = col(st, 3);
    v.imported_at = col(st, 4);
    v.entries = (long)sqlite3_column_int64(st, 5);
    v.added = (long)sqlite3_column_int64(st, 6);
    v.removed = (long)sqlite3_column_int64(st, 7);
    v.changed = (long)sqlite3_column_int64(st, 8);
    return c->cb(c->user, &v);
}

tts_status tts_store_versions_each(tts_store *s, const char *source, tts_store_version_cb cb,
                                   void *user, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    ver_ctx c = {cb, user};
    tts_status rc;
    /* one source by its (source, version) index, or all of them */
    TTS_TRY(prep(s,
                 source != NULL
                     ? "SELECT id, source, version, sha256, imported_at, entries, added, "
                       "removed, changed FROM list_version WHERE source = ?1 ORDER BY version"
                     : "SELECT id, source, version, sha256, imported_at, entries, added, "
                       "removed, changed FROM list_version ORDER BY source, version",
                 &st, err));
    if (source != NULL)
        bind(st, 1, source);
    rc = each(s, st, ver_row, &c, err, "the list versions");
out:
    return rc;
}

tts_status tts_store_version_add(tts_store *s, const tts_store_version *v, int64_t *id,
                                 tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc;
    *id = 0;
    TTS_TRY(prep(s,
                 "INSERT INTO list_version(source, version, sha256, imported_at, entries, added, "
                 "removed, changed) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                 &st, err));
    bind(st, 1, v->source);
    sqlite3_bind_int64(st, 2, v->version);
    bind(st, 3, v->sha256);
    bind(st, 4, v->imported_at);
    sqlite3_bind_int64(st, 5, v->entries);
    sqlite3_bind_int64(st, 6, v->added);
    sqlite3_bind_int64(st, 7, v->removed);
    sqlite3_bind_int64(st, 8, v->changed);
    TTS_TRY(done(s, st, err, "storing a list version"));
    *id = sqlite3_last_insert_rowid(tts_store_sqlite(s));
out:
    return rc;
}

tts_status tts_store_change_add(tts_store *s, int64_t version_id, const tts_store_change *c,
                                tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc;
    TTS_TRY(prep(s,
                 "INSERT INTO list_change(version_id, entry_id, change, old_sha256, new_sha256, "
                 "name) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
                 &st, err));
    sqlite3_bind_int64(st, 1, version_id);
    bind(st, 2, c->entry_id);
    bind(st, 3, c->change);
    bind(st, 4, c->old_sha256);
    bind(st, 5, c->new_sha256);
    bind(st, 6, c->name);
    rc = done(s, st, err, "storing a list change");
out:
    return rc;
}

typedef struct chg_ctx {
    tts_store_change_cb cb;
    void *user;
} chg_ctx;

static int chg_row(void *u, sqlite3_stmt *st)
{
    chg_ctx *c = u;
    tts_store_change ch;
    ch.version = (long)sqlite3_column_int64(st, 0);
    ch.entry_id = col(st, 1);
    ch.change = col(st, 2);
    ch.old_sha256 = col(st, 3);
    ch.new_sha256 = col(st, 4);
    ch.name = col(st, 5);
    return c->cb(c->user, &ch);
}

tts_status tts_store_changes_each(tts_store *s, const char *source, long from, long to,
                                  tts_store_change_cb cb, void *user, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    chg_ctx c = {cb, user};
    tts_status rc;
    TTS_TRY(prep(s,
                 "SELECT v.version, c.entry_id, c.change, c.old_sha256, c.new_sha256, c.name "
                 "FROM list_change c JOIN list_version v ON v.id = c.version_id "
                 "WHERE v.source = ?1 AND v.version > ?2 AND v.version <= ?3 "
                 "ORDER BY v.version, c.entry_id",
                 &st, err));
    bind(st, 1, source);
    sqlite3_bind_int64(st, 2, from);
    sqlite3_bind_int64(st, 3, to);
    rc = each(s, st, chg_row, &c, err, "the list changes");
out:
    return rc;
}

/* ---- rescreen runs ---- */

#define RUN_COLS                                                                                   \
    "id, at, actor, mode, lists_json, rules_sha256, as_of, today, last_screening, cases, "         \
    "rescreened, changed, report_sha256"

tts_status tts_store_run_add(tts_store *s, tts_store_run *r, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    char object[64], content[65];
    int missing = 0;
    tts_status rc;
    TTS_TRY(tts_store_begin(s, err));
    TTS_TRY(prep(s, "SELECT coalesce(max(id), 0) FROM screening", &st, err));
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = tts_store_db_error(s, err, "reading the screenings");
        goto out;
    }
    r->last_screening = sqlite3_column_int64(st, 0);
    tts_store_stmt_end(s, st);
    TTS_TRY(prep(s,
                 "INSERT INTO rescreen_run(at, actor, mode, lists_json, rules_sha256, as_of, "
                 "today, last_screening, cases, rescreened, changed, report_sha256) "
                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                 &st, err));
    bind(st, 1, r->at);
    bind(st, 2, r->actor);
    bind(st, 3, r->mode);
    bind(st, 4, r->lists_json);
    bind(st, 5, r->rules_sha256);
    bind(st, 6, r->as_of);
    bind(st, 7, r->today);
    sqlite3_bind_int64(st, 8, r->last_screening);
    sqlite3_bind_int64(st, 9, r->cases);
    sqlite3_bind_int64(st, 10, r->rescreened);
    sqlite3_bind_int64(st, 11, r->changed);
    bind(st, 12, r->report_sha256);
    rc = done(s, st, err, "storing a rescreen run");
    st = NULL;
    if (rc != TTS_OK)
        goto out;
    r->id = sqlite3_last_insert_rowid(tts_store_sqlite(s));
    /* the run's content, recomputed from the row as `audit verify` does */
    TTS_TRY(tts_store_run_sha256(s, r->id, content, &missing, err));
    if (missing) {
        rc = tts_err_set(err, TTS_ERR_INTERNAL, "the stored rescreen run cannot be read back");
        goto out;
    }
    snprintf(object, sizeof(object), "rescreen-run:%lld", (long long)r->id);
    TTS_TRY(tts_store_audit_append(s, r->at, r->actor, "rescreen-run", object, content, err));
    rc = tts_store_commit(s, err);
out:
    tts_store_stmt_end(s, st);
    if (rc != TTS_OK)
        tts_store_rollback_report(s, err);
    return rc;
}

typedef struct run_ctx {
    tts_store_run_cb cb;
    void *user;
    int *found;
} run_ctx;

static int run_row(void *u, sqlite3_stmt *st)
{
    run_ctx *c = u;
    tts_store_run r;
    r.id = sqlite3_column_int64(st, 0);
    r.at = col(st, 1);
    r.actor = col(st, 2);
    r.mode = col(st, 3);
    r.lists_json = col(st, 4);
    r.rules_sha256 = col(st, 5);
    r.as_of = col(st, 6);
    r.today = col(st, 7);
    r.last_screening = sqlite3_column_int64(st, 8);
    r.cases = (long)sqlite3_column_int64(st, 9);
    r.rescreened = (long)sqlite3_column_int64(st, 10);
    r.changed = (long)sqlite3_column_int64(st, 11);
    r.report_sha256 = col(st, 12);
    *c->found = 1;
    return c->cb(c->user, &r);
}

tts_status tts_store_run_last(tts_store *s, tts_store_run_cb cb, void *user, int *found,
                              tts_error *err)
{
    sqlite3_stmt *st = NULL;
    run_ctx c = {cb, user, found};
    tts_status rc;
    *found = 0;
    TTS_TRY(prep(s, "SELECT " RUN_COLS " FROM rescreen_run ORDER BY id DESC LIMIT 1", &st, err));
    rc = each(s, st, run_row, &c, err, "the rescreen runs");
out:
    return rc;
}

/* ---- reads over the case file ---- */

typedef struct latest_ctx {
    tts_store_latest_cb cb;
    void *user;
    int *found;
} latest_ctx;

#define LATEST_SELECT                                                                          \
    "SELECT c.record_id, s.id, s.as_of, s.rules_sha256, s.lists_json, s.record_json, "        \
    "s.screened_at, (SELECT max(d.decided_at) FROM decision d WHERE d.case_id = c.id), "       \
    "s.verdict FROM case_file c JOIN screening s ON s.id = (SELECT max(x.id) FROM screening x " \
    "WHERE x.case_id = c.id) "

static int latest_row(void *u, sqlite3_stmt *st)
{
    latest_ctx *c = u;
    tts_store_latest l;
    l.record_id = col(st, 0);
    l.screening = sqlite3_column_int64(st, 1);
    l.as_of = col(st, 2);
    l.rules_sha256 = col(st, 3);
    l.lists_json = col(st, 4);
    l.record_json = col(st, 5);
    l.screened_at = col(st, 6);
    l.decided_at = col(st, 7);
    l.verdict = col(st, 8);
    if (c->found != NULL)
        *c->found = 1;
    return c->cb(c->user, &l);
}

tts_status tts_store_latest_each(tts_store *s, tts_store_latest_cb cb, void *user,
                                 tts_error *err)
{
    sqlite3_stmt *st = NULL;
    latest_ctx c = {cb, user, NULL};
    tts_status rc;
    TTS_TRY(prep(s, LATEST_SELECT "ORDER BY c.record_id", &st, err));
    rc = each(s, st, latest_row, &c, err, "the cases");
out:
    return rc;
}

tts_status tts_store_latest_get(tts_store *s, const char *record_id, tts_store_latest_cb cb,
                                void *user, int *found, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    latest_ctx c = {cb, user, found};
    tts_status rc;
    *found = 0;
    TTS_TRY(prep(s, LATEST_SELECT "WHERE c.record_id = ?1", &st, err));
    bind(st, 1, record_id);
    rc = each(s, st, latest_row, &c, err, "a case");
out:
    return rc;
}

typedef struct ids_page_ctx {
    tts_store_case_id_cb cb;
    void *user;
    size_t *n;
} ids_page_ctx;

static int id_page_row(void *u, sqlite3_stmt *st)
{
    ids_page_ctx *c = u;
    (*c->n)++;
    return c->cb(c->user, col(st, 0));
}

tts_status tts_store_case_ids_page(tts_store *s, const char *after, size_t limit,
                                   tts_store_case_id_cb cb, void *user, size_t *n,
                                   tts_error *err)
{
    sqlite3_stmt *st = NULL;
    ids_page_ctx c = {cb, user, n};
    tts_status rc;
    *n = 0;
    TTS_TRY(prep(s,
                 after == NULL
                     ? "SELECT record_id FROM case_file ORDER BY record_id LIMIT ?2"
                     : "SELECT record_id FROM case_file WHERE record_id > ?1 ORDER BY record_id "
                       "LIMIT ?2",
                 &st, err));
    if (after != NULL)
        bind(st, 1, after);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    rc = each(s, st, id_page_row, &c, err, "the cases");
out:
    return rc;
}

tts_status tts_store_cases_count(tts_store *s, size_t *n, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    *n = 0;
    TTS_TRY(prep(s, "SELECT count(*) FROM case_file", &st, err));
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = tts_store_db_error(s, err, "counting the cases");
    else
        *n = (size_t)sqlite3_column_int64(st, 0);
out:
    tts_store_stmt_end(s, st);
    return rc;
}

typedef struct held_ctx {
    tts_store_held_cb cb;
    void *user;
} held_ctx;

static int held_row(void *u, sqlite3_stmt *st)
{
    held_ctx *c = u;
    return c->cb(c->user, col(st, 0), col(st, 1));
}

tts_status tts_store_held_each(tts_store *s, tts_store_held_cb cb, void *user, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    held_ctx c = {cb, user};
    tts_status rc;
    TTS_TRY(prep(s,
                 "SELECT c.record_id, f.entry FROM case_file c JOIN screening s ON s.id = "
                 "(SELECT max(x.id) FROM screening x WHERE x.case_id = c.id) JOIN finding f ON "
                 "f.screening_id = s.id WHERE f.entry IS NOT NULL AND f.entry <> '' "
                 "UNION ALL SELECT c.record_id, d.entry FROM decision d JOIN case_file c ON "
                 "c.id = d.case_id WHERE d.entry IS NOT NULL",
                 &st, err));
    rc = each(s, st, held_row, &c, err, "the cases' list entries");
out:
    return rc;
}
