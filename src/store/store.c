/* SPDX-License-Identifier: MIT */
/*
 * The database module: the only code that calls SQLite. The schema lives
 * in one ordered list of migrations; PRAGMA user_version records how many
 * have been applied, each runs in its own transaction, and a later module
 * (cases, audit log) adds tables by appending a migration. Statements are
 * prepared in tts_store_open and finalised in tts_store_close; text is
 * bound SQLITE_TRANSIENT; SQLite's messages are copied into tts_error.
 */
#include "store/store.h"
#include "store/store_db.h"
#include "store/store_listver.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/error.h"
#include "util/mem.h"

/* The schema, oldest first. Append only: never edit a released migration. */
static const char *const migrations[] = {
    /* 1: denied-party lists */
    "CREATE TABLE list_source ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  format TEXT NOT NULL,"
    "  file TEXT,"
    "  imported_at TEXT,"
    "  sha256 TEXT,"
    "  entries INTEGER NOT NULL DEFAULT 0,"
    "  aliases INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE list_entry ("
    "  id INTEGER PRIMARY KEY,"
    "  source_id INTEGER NOT NULL REFERENCES list_source(id) ON DELETE CASCADE,"
    "  entry_id TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  type TEXT, country TEXT, programs TEXT, listed_on TEXT, end_date TEXT,"
    "  addresses TEXT, ids TEXT, remarks TEXT, source_url TEXT, sublist TEXT);"
    "CREATE INDEX list_entry_source ON list_entry(source_id);"
    "CREATE TABLE list_name ("
    "  id INTEGER PRIMARY KEY,"
    "  entry INTEGER NOT NULL REFERENCES list_entry(id) ON DELETE CASCADE,"
    "  kind TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  tokens TEXT NOT NULL,"
    "  legal TEXT NOT NULL,"
    "  glued TEXT NOT NULL);"
    "CREATE INDEX list_name_entry ON list_name(entry);"
    "CREATE TABLE list_fetch ("
    "  source TEXT PRIMARY KEY,"
    "  url TEXT, etag TEXT, last_modified TEXT, fetched_at TEXT, checked_at TEXT,"
    "  http_status INTEGER, bytes INTEGER);"
    "CREATE TABLE list_config ("
    "  source TEXT PRIMARY KEY,"
    "  url TEXT NOT NULL,"
    "  format TEXT NOT NULL);",
    /* 2: cases, decisions and the audit log (store_db.h) */
    TTS_STORE_CASES_SCHEMA,
    /* 3: the stored search index of all lists (one row), written with every
     * import; `lists_key` names the list versions it was built from */
    "CREATE TABLE list_index ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  format INTEGER NOT NULL,"
    "  lists_key TEXT NOT NULL,"
    "  data BLOB NOT NULL);",
    /* 4: what each list is (kind, jurisdiction, default severity of a match) and the
     * date its age counts from, with where that date comes from ("published",
     * "last-modified", "imported"); NULL in rows of earlier imports, which read as the
     * defaults of their name and format and as dated by their import. The index serves
     * the per-hit entry reads of lookups. */
    "ALTER TABLE list_source ADD COLUMN kind TEXT;"
    "ALTER TABLE list_source ADD COLUMN jurisdiction TEXT;"
    "ALTER TABLE list_source ADD COLUMN severity TEXT;"
    "ALTER TABLE list_source ADD COLUMN dated TEXT;"
    "ALTER TABLE list_source ADD COLUMN dated_by TEXT;"
    "CREATE INDEX list_entry_source_entry ON list_entry(source_id, entry_id);",
    /* 5: audit format 2 (length-prefixed preimages; screenings hashed with their row,
     * findings and case; list imports hashed over their stored rows). `format` 1 marks
     * the rows of earlier versions, which keep their preimage. The content hash of each
     * list as last logged; how its last download travelled ("https", "http", "file");
     * case files join the append-only tables. */
    "ALTER TABLE audit_log ADD COLUMN format INTEGER NOT NULL DEFAULT 1;"
    "ALTER TABLE list_source ADD COLUMN content_sha256 TEXT;"
    "ALTER TABLE list_fetch ADD COLUMN transport TEXT;"
    "CREATE TRIGGER case_file_no_update BEFORE UPDATE ON case_file"
    "  BEGIN SELECT RAISE(ABORT, 'case files are never changed'); END;"
    "CREATE TRIGGER case_file_no_delete BEFORE DELETE ON case_file"
    "  BEGIN SELECT RAISE(ABORT, 'case files are never deleted'); END;",
    /* 6: continuous screening (store_listver.h): every import of a source is a version
     * (1, 2, ...) with what it changed against the one before (entries added, removed,
     * and changed by their content hash), and every completed `rescreen` run marks the
     * list versions, rules and date all stored cases were checked against */
    TTS_STORE_LISTVER_SCHEMA,
    /* 7: the version of the name normaliser that produced each list's stored tokens
     * (TTS_NAMES_VERSION); NULL for lists imported before it was kept */
    "ALTER TABLE list_source ADD COLUMN names_version INTEGER;",
    /* 8: each case's kind, "deal" (a screened record) or "counterparty" (a sheet row kept by
     * `search --batch --store`, whose record carries the top-level "counterparty" object):
     * written when the case is created, from the hashed record, and read by `cases list
     * --kind`; the cases of earlier files take it from their first screening's record */
    "DROP TRIGGER case_file_no_update;"
    "ALTER TABLE case_file ADD COLUMN kind TEXT NOT NULL DEFAULT 'deal'"
    "  CHECK (kind IN ('deal', 'counterparty'));"
    "UPDATE case_file SET kind = 'counterparty' WHERE id IN (SELECT s.case_id FROM screening s"
    "  WHERE s.id = (SELECT min(x.id) FROM screening x WHERE x.case_id = s.case_id)"
    "  AND " TTS_STORE_KIND_OF_RECORD("s.record_json") " = 'counterparty');"
    "CREATE TRIGGER case_file_no_update BEFORE UPDATE ON case_file"
    "  BEGIN SELECT RAISE(ABORT, 'case files are never changed'); END;",
    /* 9: the audit rows of one object (a list's newest import, a screening's row) found by
     * the object, not by walking the log: `audit verify` looks each list up this way */
    "CREATE INDEX IF NOT EXISTS audit_log_object ON audit_log(object, seq);",
};

/* The first schema with a kind per case (migration 8). */
#define KIND_FROM 8

/* The first schema with list versions and rescreen runs (migration 6). */
#define LISTVER_FROM 6

/* The first schema that records the name normaliser's version per list (migration 7). */
#define NAMESV_FROM 7

/* The first schema with audit format 2 (migration 5). */
#define AUDIT2_FROM 5

/* The first schema with the columns of migration 4. */
#define META_FROM 4

/*
 * The oldest schema a read-only open accepts: migrations after it only add
 * what a reader can do without (the stored index is rebuilt in memory).
 */
#define READABLE_FROM 2

#define N_MIGRATIONS ((int)(sizeof(migrations) / sizeof(migrations[0])))

enum {
    ST_SRC_UPSERT,
    ST_SRC_ID,
    ST_SRC_CLEAR,
    ST_SRC_FINISH,
    ST_ENTRY_ADD,
    ST_NAME_ADD,
    ST_SOURCES,
    ST_ENTRIES,
    ST_NAMES,
    ST_FETCH_GET,
    ST_FETCH_PUT,
    ST_CONFIG_GET,
    ST_CONFIG_SET,
    ST_SRC_META_GET,
    ST_SRC_META_SET,
    ST_SRC_DATED_SET,
    ST_ENTRY_EXISTS,
    ST_ENTRY_SHOWN,
    ST_COUNT
};

static const char *const stmt_sql[ST_COUNT] = {
    "INSERT INTO list_source(name, format) VALUES(?1, ?2) "
    "ON CONFLICT(name) DO UPDATE SET format = excluded.format",
    "SELECT id FROM list_source WHERE name = ?1",
    "DELETE FROM list_entry WHERE source_id = ?1",
    "UPDATE list_source SET entries = ?2, aliases = ?3, sha256 = ?4, imported_at = ?5, file = ?6 "
    "WHERE id = ?1",
    "INSERT INTO list_entry(source_id, entry_id, name, type, country, programs, listed_on, "
    "end_date, addresses, ids, remarks, source_url, sublist) "
    "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    "INSERT INTO list_name(entry, kind, name, tokens, legal, glued) VALUES(?1, ?2, ?3, ?4, ?5, ?6)",
    "SELECT id, name, format, file, imported_at, sha256, entries, aliases, kind, jurisdiction, "
    "severity, dated, dated_by, names_version FROM list_source ORDER BY name",
    "SELECT id, source_id, entry_id, name, country, programs, type FROM list_entry ORDER BY id",
    "SELECT entry, kind, name, tokens, legal, glued FROM list_name ORDER BY entry, id",
    "SELECT url, etag, last_modified, fetched_at, checked_at, http_status, bytes "
    "FROM list_fetch WHERE source = ?1",
    "INSERT OR REPLACE INTO list_fetch(source, url, etag, last_modified, fetched_at, checked_at, "
    "http_status, bytes) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    "SELECT url, format FROM list_config WHERE source = ?1",
    "INSERT OR REPLACE INTO list_config(source, url, format) VALUES(?1, ?2, ?3)",
    "SELECT kind, jurisdiction, severity, aliases, format, entries FROM list_source "
    "WHERE name = ?1",
    "UPDATE list_source SET kind = ?2, jurisdiction = ?3, severity = ?4, dated = ?5, "
    "dated_by = ?6 WHERE id = ?1",
    "UPDATE list_source SET dated = ?2, dated_by = 'last-modified' WHERE name = ?1 AND "
    "(dated_by IS NULL OR dated_by <> 'published')",
    "SELECT 1 FROM list_entry WHERE source_id = ?1 AND entry_id = ?2 LIMIT 1",
    "SELECT listed_on, source_url FROM list_entry WHERE id = ?1",
};

/*
 * A read-only database of an older schema (READABLE_FROM on) lacks the
 * columns of migration 4: these statements read NULL for them instead, and
 * those that write them are not prepared (a read-only store never writes).
 */
static const char *const stmt_sql_old[ST_COUNT] = {
    [ST_SOURCES] = "SELECT id, name, format, file, imported_at, sha256, entries, aliases, NULL, "
                   "NULL, NULL, NULL, NULL, NULL FROM list_source ORDER BY name",
    [ST_SRC_META_GET] = "SELECT NULL, NULL, NULL, aliases, format, entries FROM list_source "
                        "WHERE name = ?1",
};

/* The sources of a read-only file of schema 4 to 6: no normaliser version recorded. */
static const char sources_no_namesv[] =
    "SELECT id, name, format, file, imported_at, sha256, entries, aliases, kind, jurisdiction, "
    "severity, dated, dated_by, NULL FROM list_source ORDER BY name";

/* 1 when statement i names the columns of migration 4. */
static int needs_meta(int i)
{
    return i == ST_SOURCES || i == ST_SRC_META_GET || i == ST_SRC_META_SET ||
           i == ST_SRC_DATED_SET;
}

/* One statement of the per-handle cache (tts_store_stmt): its SQL, kept as a copy. */
typedef struct cached_stmt {
    char *sql;
    unsigned long hash;
    sqlite3_stmt *st;
    int busy; /* handed out and not yet given back with tts_store_stmt_end */
} cached_stmt;

struct tts_store {
    sqlite3 *db;
    int version; /* schema version of the file (below the current one only read-only) */
    char path[256];
    sqlite3_stmt *st[ST_COUNT];
    cached_stmt *cache;
    size_t n_cache, cap_cache;
    /* group commit (tts_store_group): the open outer transaction and what it holds */
    size_t group_max;   /* 0: every tts_store_begin .. commit is its own transaction */
    long group_ms;
    int group_open;     /* the outer transaction is open */
    int group_inner;    /* a unit (savepoint) is open inside it */
    size_t group_n;     /* units released into the open outer transaction */
    size_t group_lost;  /* units of groups SQLite rolled back itself, not yet reported */
    struct timespec group_t0;
};

int tts_store_schema_version(void)
{
    return N_MIGRATIONS;
}

/* Record SQLite's current message as a TTS_ERR_DB naming what we were doing. */
static tts_status db_err(tts_store *s, tts_error *err, const char *what)
{
    return tts_err_set(err, TTS_ERR_DB, "database %s: %s: %s", s->path, what,
                       s->db != NULL ? sqlite3_errmsg(s->db) : "cannot open");
}

sqlite3 *tts_store_sqlite(tts_store *s)
{
    return s->db;
}

tts_status tts_store_db_error(tts_store *s, tts_error *err, const char *what)
{
    return db_err(s, err, what);
}

static tts_status exec(tts_store *s, const char *sql, tts_error *err, const char *what)
{
    if (sqlite3_exec(s->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return db_err(s, err, what);
    return TTS_OK;
}

static tts_status user_version(tts_store *s, int *v, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
    if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_finalize(st);
        return db_err(s, err, "reading the schema version");
    }
    *v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return TTS_OK;
}

/* Apply every migration newer than the file's user_version, each in its own transaction. */
static tts_status migrate(tts_store *s, int readonly, tts_error *err)
{
    tts_status rc;
    int v = 0;
    char sql[64];
    rc = user_version(s, &v, err);
    if (rc != TTS_OK)
        return rc;
    s->version = v;
    if (v > N_MIGRATIONS)
        return tts_err_set(err, TTS_ERR_DB,
                           "database %s: schema version %d is newer than this ttscreen (%d)",
                           s->path, v, N_MIGRATIONS);
    if (v == N_MIGRATIONS)
        return TTS_OK;
    if (readonly && v >= READABLE_FROM)
        return TTS_OK;
    if (readonly)
        return tts_err_set(err, TTS_ERR_DB,
                           "database %s: schema version %d needs an upgrade to %d "
                           "(run a command that writes, such as 'ttscreen screen')",
                           s->path, v, N_MIGRATIONS);
    /*
     * All pending migrations in one transaction, the version read again
     * under the write lock: a concurrent process may have migrated first,
     * and a crash leaves the old schema or the new one, never a mix.
     */
    if ((rc = exec(s, "BEGIN IMMEDIATE", err, "starting a migration")) != TTS_OK)
        return rc;
    rc = user_version(s, &v, err);
    if (rc == TTS_OK && v > N_MIGRATIONS)
        rc = tts_err_set(err, TTS_ERR_DB,
                         "database %s: schema version %d is newer than this ttscreen (%d)",
                         s->path, v, N_MIGRATIONS);
    for (; rc == TTS_OK && v < N_MIGRATIONS; v++)
        rc = exec(s, migrations[v], err, "migrating the schema");
    snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", N_MIGRATIONS);
    if (rc == TTS_OK && (rc = exec(s, sql, err, "migrating the schema")) == TTS_OK)
        rc = exec(s, "COMMIT", err, "committing a migration");
    if (rc != TTS_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    else
        s->version = N_MIGRATIONS;
    return rc;
}

static tts_status configure(tts_store *s, unsigned flags, tts_error *err)
{
    tts_status rc;
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_extended_result_codes(s->db, 1);
    if ((rc = exec(s, "PRAGMA foreign_keys = ON", err, "enabling foreign keys")) != TTS_OK)
        return rc;
    if (!(flags & TTS_STORE_READONLY) &&
        (rc = exec(s, "PRAGMA journal_mode = WAL", err, "enabling WAL")) != TTS_OK)
        return rc;
    if ((rc = migrate(s, (flags & TTS_STORE_READONLY) != 0, err)) != TTS_OK)
        return rc;
    for (int i = 0; i < ST_COUNT; i++) {
        const char *sql = stmt_sql[i];
        if (s->version < META_FROM && needs_meta(i))
            sql = stmt_sql_old[i];
        else if (s->version < NAMESV_FROM && i == ST_SOURCES)
            sql = sources_no_namesv;
        if (sql != NULL && sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                              &s->st[i], NULL) != SQLITE_OK)
            return db_err(s, err, "preparing statements");
    }
    return TTS_OK;
}

/*
 * A WAL database can be read only where SQLite may create its -shm file.
 * On read-only media (a read-only mount, a directory this user cannot
 * write) nobody can change the file, so it is opened as immutable instead:
 * "file:PATH?immutable=1", the path percent-encoded. 1 when that applies.
 */
static int needs_immutable(const char *path)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (strcmp(path, ":memory:") == 0)
        return 0;
    if (slash == NULL)
        snprintf(dir, sizeof(dir), ".");
    else if (slash == path)
        snprintf(dir, sizeof(dir), "/");
    else
        snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
    return access(dir, W_OK) != 0;
}

static char *immutable_uri(const char *path)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t n = strlen(path), o = 0;
    char *u = tts_malloc(n * 3 + 32);
    if (u == NULL)
        return NULL;
    memcpy(u, "file:", 5);
    o = 5;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c == '?' || c == '#' || c == '%' || c < 0x21 || c >= 0x7f) {
            u[o++] = '%';
            u[o++] = hex[c >> 4];
            u[o++] = hex[c & 15];
        } else {
            u[o++] = (char)c;
        }
    }
    memcpy(u + o, "?immutable=1", 13);
    return u;
}

tts_status tts_store_open(const char *path, unsigned flags, tts_store **out, tts_error *err)
{
    tts_store *s;
    tts_status rc;
    struct stat sb;
    int oflags = (flags & TTS_STORE_READONLY)
                     ? SQLITE_OPEN_READONLY
                     : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    *out = NULL;
    if ((flags & TTS_STORE_READONLY) && strcmp(path, ":memory:") != 0 && stat(path, &sb) != 0)
        return tts_err_set(err, TTS_ERR_DB,
                           "database %s does not exist",
                           path);
    s = tts_calloc(1, sizeof(*s));
    if (s == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory opening the database");
    snprintf(s->path, sizeof(s->path), "%s", path);
    if ((flags & TTS_STORE_READONLY) && needs_immutable(path)) {
        char *uri = immutable_uri(path);
        int orc;
        if (uri == NULL) {
            tts_store_close(s);
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory opening the database");
        }
        orc = sqlite3_open_v2(uri, &s->db, oflags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI, NULL);
        tts_free(uri);
        if (orc != SQLITE_OK) {
            rc = db_err(s, err, "cannot open");
            tts_store_close(s);
            return rc;
        }
    } else if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        rc = db_err(s, err, "cannot open");
        tts_store_close(s);
        return rc;
    }
    rc = configure(s, flags, err);
    if (rc != TTS_OK) {
        tts_store_close(s);
        return rc;
    }
    *out = s;
    return TTS_OK;
}

void tts_store_close(tts_store *s)
{
    if (s == NULL)
        return;
    if (s->group_open) {
        /* every unit released into the group is complete: keep them (tts_store_group
         * with 0 first to learn whether that worked) */
        if (s->group_inner)
            sqlite3_exec(s->db, "ROLLBACK TO unit; RELEASE unit", NULL, NULL, NULL);
        if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    }
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    for (size_t i = 0; i < s->n_cache; i++) {
        sqlite3_finalize(s->cache[i].st);
        free(s->cache[i].sql);
    }
    free(s->cache);
    sqlite3_close(s->db);
    tts_free(s);
}

/* ---- statements prepared once per handle ---- */

static unsigned long sql_hash(const char *sql)
{
    unsigned long h = 5381;
    for (const unsigned char *p = (const unsigned char *)sql; *p != '\0'; p++)
        h = h * 33 + *p;
    return h;
}

tts_status tts_store_stmt(tts_store *s, const char *sql, sqlite3_stmt **st, tts_error *err)
{
    unsigned long h = sql_hash(sql);
    cached_stmt *c;
    *st = NULL;
    for (size_t i = 0; i < s->n_cache; i++) {
        c = &s->cache[i];
        if (c->hash == h && strcmp(c->sql, sql) == 0) {
            if (c->busy)
                break; /* in use further up the stack (a nested read): a statement of its own */
            c->busy = 1;
            *st = c->st;
            return TTS_OK;
        }
    }
    if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK) {
        sqlite3_finalize(*st);
        *st = NULL;
        return db_err(s, err, "preparing a statement");
    }
    for (size_t i = 0; i < s->n_cache; i++)
        if (s->cache[i].hash == h && strcmp(s->cache[i].sql, sql) == 0)
            return TTS_OK; /* the nested case: finalised by tts_store_stmt_end */
    /*
     * The cache lives as long as the handle, across changes of the tts_mem
     * hooks (tests swap allocators around a call): like SQLite's own memory
     * it comes from the C library. Out of memory, the statement is used once.
     */
    if (s->n_cache == s->cap_cache) {
        size_t cap = s->cap_cache != 0 ? s->cap_cache * 2 : 32;
        cached_stmt *grown = realloc(s->cache, cap * sizeof(*grown));
        if (grown == NULL)
            return TTS_OK;
        s->cache = grown;
        s->cap_cache = cap;
    }
    c = &s->cache[s->n_cache];
    c->sql = malloc(strlen(sql) + 1);
    if (c->sql == NULL)
        return TTS_OK;
    memcpy(c->sql, sql, strlen(sql) + 1);
    c->hash = h;
    c->st = *st;
    c->busy = 1;
    s->n_cache++;
    return TTS_OK;
}

void tts_store_stmt_end(tts_store *s, sqlite3_stmt *st)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < s->n_cache; i++) {
        if (s->cache[i].st == st) {
            sqlite3_reset(st);
            sqlite3_clear_bindings(st);
            s->cache[i].busy = 0;
            return;
        }
    }
    sqlite3_finalize(st);
}

void tts_store_sql_each(tts_store *s, void (*cb)(void *user, const char *sql), void *user)
{
    for (int i = 0; i < ST_COUNT; i++)
        if (s->st[i] != NULL)
            cb(user, sqlite3_sql(s->st[i]));
    for (size_t i = 0; i < s->n_cache; i++)
        cb(user, s->cache[i].sql);
}

int tts_store_bind(sqlite3_stmt *st, int i, const char *v)
{
    return v != NULL ? sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
}

const char *tts_store_col(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

tts_status tts_store_step_done(tts_store *s, sqlite3_stmt *st, tts_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW)
        return db_err(s, err, what);
    return TTS_OK;
}

tts_status tts_store_rows(tts_store *s, sqlite3_stmt *st, int (*row)(void *, sqlite3_stmt *),
                          void *user, tts_error *err, const char *what)
{
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW)
        if (row(user, st) != 0)
            return tts_err_set(err, TTS_ERR_INTERNAL, "database %s: reading %s: stopped",
                               s->path, what);
    if (rc != SQLITE_DONE)
        return db_err(s, err, what);
    return TTS_OK;
}

tts_status tts_store_query(tts_store *s, const char *sql, const char *text,
                           int (*row)(void *, sqlite3_stmt *), void *user, tts_error *err,
                           const char *what)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = tts_store_stmt(s, sql, &st, err);
    if (rc != TTS_OK)
        return rc;
    if (sqlite3_bind_parameter_count(st) > 0)
        tts_store_bind(st, 1, text);
    rc = tts_store_rows(s, st, row, user, err, what);
    tts_store_stmt_end(s, st);
    return rc;
}

/* ---- transactions and group commit ---- */

static long ms_since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* A transaction statement through the cache (sqlite3_exec would parse it at every call). */
static tts_status txn(tts_store *s, const char *sql, tts_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (tts_store_stmt(s, sql, &st, err) != TTS_OK)
        return db_err(s, err, what);
    rc = sqlite3_step(st);
    tts_store_stmt_end(s, st);
    return rc == SQLITE_DONE ? TTS_OK : db_err(s, err, what);
}

tts_status tts_store_group(tts_store *s, size_t max_units, long max_ms, tts_error *err)
{
    tts_status rc = TTS_OK;
    if (s->group_open && !s->group_inner) {
        rc = txn(s, "COMMIT", err, "committing");
        if (rc != TTS_OK) {
            size_t len = strlen(err->message);
            sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
            snprintf(err->message + len, sizeof(err->message) - len,
                     " (the %zu writes of the group commit are not stored)", s->group_n);
        }
        s->group_open = 0;
        s->group_n = 0;
    }
    if (rc == TTS_OK && s->group_lost > 0)
        rc = tts_err_set(err, TTS_ERR_DB,
                         "database %s: a failed write rolled back the %zu earlier writes of "
                         "its group commit: they are not stored",
                         s->path, s->group_lost);
    s->group_lost = 0;
    s->group_max = max_units;
    s->group_ms = max_ms;
    return rc;
}

tts_status tts_store_begin(tts_store *s, tts_error *err)
{
    if (s->group_max == 0 || s->group_inner)
        return txn(s, "BEGIN IMMEDIATE", err, "starting a transaction");
    if (!s->group_open) {
        if (txn(s, "BEGIN IMMEDIATE", err, "starting a transaction") != TTS_OK)
            return TTS_ERR_DB;
        s->group_open = 1;
        s->group_n = 0;
        clock_gettime(CLOCK_MONOTONIC, &s->group_t0);
    }
    if (txn(s, "SAVEPOINT unit", err, "starting a transaction") != TTS_OK)
        return TTS_ERR_DB;
    s->group_inner = 1;
    return TTS_OK;
}

tts_status tts_store_commit(tts_store *s, tts_error *err)
{
    tts_status rc;
    if (!s->group_inner)
        return txn(s, "COMMIT", err, "committing");
    if (txn(s, "RELEASE unit", err, "committing") != TTS_OK) {
        tts_store_rollback(s);
        return TTS_ERR_DB;
    }
    s->group_inner = 0;
    s->group_n++;
    if (s->group_n < s->group_max && ms_since(&s->group_t0) < s->group_ms)
        return TTS_OK;
    rc = txn(s, "COMMIT", err, "committing");
    if (rc != TTS_OK) {
        /* this unit fails with the error; the caller's rollback report names the others */
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        s->group_lost += s->group_n - 1;
    }
    s->group_open = 0;
    s->group_n = 0;
    return rc;
}

void tts_store_rollback(tts_store *s)
{
    if (s == NULL)
        return;
    if (sqlite3_get_autocommit(s->db)) {
        /* SQLite ended the transaction itself (a full disk, an I/O error): a group
         * open around this unit lost the units released into it */
        if (s->group_open)
            s->group_lost += s->group_n;
        s->group_open = s->group_inner = 0;
        s->group_n = 0;
        return;
    }
    if (s->group_inner) {
        /* only this unit: the ones released into the group before it stay */
        sqlite3_exec(s->db, "ROLLBACK TO unit; RELEASE unit", NULL, NULL, NULL);
        s->group_inner = 0;
        return;
    }
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    s->group_open = 0;
    s->group_n = 0;
}

void tts_store_rollback_report(tts_store *s, tts_error *err)
{
    size_t n, len;
    tts_store_rollback(s);
    if (s == NULL || s->group_lost == 0 || err == NULL || err->status == TTS_OK)
        return;
    n = s->group_lost;
    s->group_lost = 0;
    len = strlen(err->message);
    snprintf(err->message + len, sizeof(err->message) - len,
             " (it rolled back the %zu earlier writes of its group commit too: they are not "
             "stored)",
             n);
}

tts_status tts_store_sync(tts_store *s, int full, tts_error *err)
{
    return exec(s, full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", err,
                "setting the synchronous mode");
}

/* The helpers of store_db.h under their short names in this file. */
#define bind_text tts_store_bind
#define col tts_store_col

/* Step a write statement to completion and reset it. */
static tts_status run(tts_store *s, sqlite3_stmt *st, tts_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_DONE)
        return tts_err_set(err, TTS_ERR_DB, "database %s: %s: %s", s->path, what,
                           sqlite3_errstr(rc));
    return TTS_OK;
}

tts_status tts_store_source_replace(tts_store *s, const char *name, const char *format,
                                    int64_t *id, tts_error *err)
{
    tts_status rc;
    sqlite3_stmt *q = s->st[ST_SRC_ID];
    bind_text(s->st[ST_SRC_UPSERT], 1, name);
    bind_text(s->st[ST_SRC_UPSERT], 2, format);
    if ((rc = run(s, s->st[ST_SRC_UPSERT], err, "recording a list source")) != TTS_OK)
        return rc;
    bind_text(q, 1, name);
    if (sqlite3_step(q) != SQLITE_ROW) {
        rc = db_err(s, err, "finding a list source");
        sqlite3_reset(q);
        return rc;
    }
    *id = sqlite3_column_int64(q, 0);
    sqlite3_reset(q);
    sqlite3_bind_int64(s->st[ST_SRC_CLEAR], 1, *id);
    return run(s, s->st[ST_SRC_CLEAR], err, "removing the previous version of a list");
}

tts_status tts_store_source_finish(tts_store *s, int64_t id, long entries, long aliases,
                                   const char *sha256, const char *imported_at,
                                   const char *file, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_SRC_FINISH];
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, entries);
    sqlite3_bind_int64(st, 3, aliases);
    bind_text(st, 4, sha256);
    bind_text(st, 5, imported_at);
    bind_text(st, 6, file);
    return run(s, st, err, "recording an import");
}

tts_status tts_store_entry_add(tts_store *s, int64_t source_id, const tts_store_entry *e,
                               int64_t *rowid, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_ENTRY_ADD];
    tts_status rc;
    sqlite3_bind_int64(st, 1, source_id);
    bind_text(st, 2, e->entry_id);
    bind_text(st, 3, e->name);
    bind_text(st, 4, e->type);
    bind_text(st, 5, e->country);
    bind_text(st, 6, e->programs);
    bind_text(st, 7, e->listed_on);
    bind_text(st, 8, e->end_date);
    bind_text(st, 9, e->addresses);
    bind_text(st, 10, e->ids);
    bind_text(st, 11, e->remarks);
    bind_text(st, 12, e->source_url);
    bind_text(st, 13, e->sublist);
    rc = run(s, st, err, "adding a list entry");
    if (rc == TTS_OK)
        *rowid = sqlite3_last_insert_rowid(s->db);
    return rc;
}

tts_status tts_store_entry_exists(tts_store *s, int64_t source_id, const char *entry_id,
                                  int *exists, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_ENTRY_EXISTS];
    int rc;
    sqlite3_bind_int64(st, 1, source_id);
    bind_text(st, 2, entry_id);
    rc = sqlite3_step(st);
    *exists = rc == SQLITE_ROW;
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(s, err, "looking up a list entry");
    return TTS_OK;
}

static char *dup_col(sqlite3_stmt *st, int i, int *oom);

tts_status tts_store_entry_shown(tts_store *s, int64_t entry, char **listed_on, char **source_url,
                                 tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_ENTRY_SHOWN];
    int rc, oom = 0;
    *listed_on = *source_url = NULL;
    sqlite3_bind_int64(st, 1, entry);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *listed_on = dup_col(st, 0, &oom);
        *source_url = dup_col(st, 1, &oom);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(s, err, "reading a list entry");
    if (oom) {
        tts_free(*listed_on);
        tts_free(*source_url);
        *listed_on = *source_url = NULL;
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    return TTS_OK;
}

tts_status tts_store_name_add(tts_store *s, int64_t entry, const char *kind, const char *name,
                              const char *tokens, const char *legal, const char *glued,
                              tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_NAME_ADD];
    sqlite3_bind_int64(st, 1, entry);
    bind_text(st, 2, kind);
    bind_text(st, 3, name);
    bind_text(st, 4, tokens);
    bind_text(st, 5, legal);
    bind_text(st, 6, glued);
    return run(s, st, err, "adding a list name");
}

static char *dup_col(sqlite3_stmt *st, int i, int *oom);

tts_status tts_store_source_meta_get(tts_store *s, const char *name, tts_store_meta *m,
                                     int *found, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_SRC_META_GET];
    int rc, oom = 0;
    memset(m, 0, sizeof(*m));
    *found = 0;
    bind_text(st, 1, name);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = 1;
        m->kind = dup_col(st, 0, &oom);
        m->jurisdiction = dup_col(st, 1, &oom);
        m->severity = dup_col(st, 2, &oom);
        m->aliases = (long)sqlite3_column_int64(st, 3);
        m->format = dup_col(st, 4, &oom);
        m->entries = (long)sqlite3_column_int64(st, 5);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (oom) {
        tts_store_meta_clear(m);
        *found = 0;
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading a list source");
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(s, err, "reading a list source");
    return TTS_OK;
}

void tts_store_meta_clear(tts_store_meta *m)
{
    if (m == NULL)
        return;
    tts_free(m->kind);
    tts_free(m->jurisdiction);
    tts_free(m->severity);
    tts_free(m->format);
    memset(m, 0, sizeof(*m));
}

tts_status tts_store_source_meta_set(tts_store *s, int64_t id, const char *kind,
                                     const char *jurisdiction, const char *severity,
                                     const char *dated, const char *dated_by, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_SRC_META_SET];
    if (st == NULL)
        return tts_err_set(err, TTS_ERR_DB, "database %s: opened read-only", s->path);
    sqlite3_bind_int64(st, 1, id);
    bind_text(st, 2, kind);
    bind_text(st, 3, jurisdiction);
    bind_text(st, 4, severity);
    bind_text(st, 5, dated);
    bind_text(st, 6, dated_by);
    return run(s, st, err, "recording what a list is");
}

tts_status tts_store_source_redate(tts_store *s, const char *name, const char *dated,
                                   tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_SRC_DATED_SET];
    if (st == NULL)
        return tts_err_set(err, TTS_ERR_DB, "database %s: opened read-only", s->path);
    bind_text(st, 1, name);
    bind_text(st, 2, dated);
    return run(s, st, err, "dating a list");
}

/*
 * Identifiers of the entries that may have some: those with an `ids`
 * column, and SDN entries, whose legacy CSV keeps them in the remarks.
 */
tts_status tts_store_idents_each(tts_store *s, tts_store_ident_cb cb, void *user,
                                 tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    tts_status out = TTS_OK;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT e.id, s.name, e.entry_id, e.ids, "
                           "CASE WHEN s.format = 'sdn-csv' THEN e.remarks END "
                           "FROM list_entry e JOIN list_source s ON s.id = e.source_id "
                           "WHERE e.ids IS NOT NULL OR (s.format = 'sdn-csv' AND "
                           "e.remarks IS NOT NULL) ORDER BY e.id",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_err(s, err, "reading list identifiers");
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        tts_store_ident r;
        r.entry = sqlite3_column_int64(st, 0);
        r.source = col(st, 1);
        r.entry_id = col(st, 2);
        r.ids = col(st, 3);
        r.remarks = col(st, 4);
        if (cb(user, &r) != 0) {
            out = tts_err_set(err, TTS_ERR_INTERNAL,
                              "database %s: reading list identifiers: stopped by the caller",
                              s->path);
            break;
        }
    }
    if (out == TTS_OK && rc != SQLITE_DONE)
        out = db_err(s, err, "reading list identifiers");
    sqlite3_finalize(st);
    return out;
}

int tts_store_has_meta(tts_store *s)
{
    return s->version >= META_FROM;
}

int tts_store_has_audit2(tts_store *s)
{
    return s->version >= AUDIT2_FROM;
}

int tts_store_has_listver(tts_store *s)
{
    return s->version >= LISTVER_FROM;
}

int tts_store_has_case_kind(tts_store *s)
{
    return s->version >= KIND_FROM;
}

tts_status tts_store_source_names_version_set(tts_store *s, int64_t id, long version,
                                              tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc;
    if (s->version < NAMESV_FROM)
        return TTS_OK; /* a read-only older file is never written */
    if (sqlite3_prepare_v2(s->db, "UPDATE list_source SET names_version = ?2 WHERE id = ?1", -1,
                           &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_err(s, err, "recording the name normaliser's version");
    }
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, version);
    rc = sqlite3_step(st) == SQLITE_DONE ? TTS_OK
                                         : db_err(s, err, "recording the name normaliser's version");
    sqlite3_finalize(st);
    return rc;
}

/* Step a query statement, calling `row` for each result; resets it on every path. */
static tts_status each(tts_store *s, sqlite3_stmt *st, int (*row)(void *, sqlite3_stmt *),
                       void *ctx, tts_error *err, const char *what)
{
    tts_status out = tts_store_rows(s, st, row, ctx, err, what);
    sqlite3_reset(st);
    return out;
}

typedef struct cb_ctx {
    tts_store_source_cb source;
    tts_store_entry_cb entry;
    tts_store_name_cb name;
    void *user;
} cb_ctx;

static int source_row(void *p, sqlite3_stmt *st)
{
    cb_ctx *c = p;
    tts_store_source src;
    src.id = sqlite3_column_int64(st, 0);
    src.name = col(st, 1);
    src.format = col(st, 2);
    src.file = col(st, 3);
    src.imported_at = col(st, 4);
    src.sha256 = col(st, 5);
    src.entries = (long)sqlite3_column_int64(st, 6);
    src.aliases = (long)sqlite3_column_int64(st, 7);
    src.kind = col(st, 8);
    src.jurisdiction = col(st, 9);
    src.severity = col(st, 10);
    src.dated = col(st, 11);
    src.dated_by = col(st, 12);
    src.names_version = sqlite3_column_type(st, 13) == SQLITE_NULL
                            ? 0
                            : (long)sqlite3_column_int64(st, 13);
    return c->source(c->user, &src);
}

tts_status tts_store_sources_each(tts_store *s, tts_store_source_cb cb, void *user,
                                  tts_error *err)
{
    cb_ctx c = {cb, NULL, NULL, user};
    return each(s, s->st[ST_SOURCES], source_row, &c, err, "listing sources");
}

static int entry_row(void *p, sqlite3_stmt *st)
{
    cb_ctx *c = p;
    tts_store_row r;
    r.entry = sqlite3_column_int64(st, 0);
    r.source_id = sqlite3_column_int64(st, 1);
    r.entry_id = col(st, 2);
    r.name = col(st, 3);
    r.country = col(st, 4);
    r.programs = col(st, 5);
    r.type = col(st, 6);
    return c->entry(c->user, &r);
}

tts_status tts_store_entries_each(tts_store *s, tts_store_entry_cb cb, void *user,
                                  tts_error *err)
{
    cb_ctx c = {NULL, cb, NULL, user};
    return each(s, s->st[ST_ENTRIES], entry_row, &c, err, "reading list entries");
}

static int name_row(void *p, sqlite3_stmt *st)
{
    cb_ctx *c = p;
    tts_store_name n;
    n.entry = sqlite3_column_int64(st, 0);
    n.kind = col(st, 1);
    n.name = col(st, 2);
    n.tokens = col(st, 3);
    n.legal = col(st, 4);
    n.glued = col(st, 5);
    return c->name(c->user, &n);
}

tts_status tts_store_names_each(tts_store *s, tts_store_name_cb cb, void *user, tts_error *err)
{
    cb_ctx c = {NULL, NULL, cb, user};
    return each(s, s->st[ST_NAMES], name_row, &c, err, "reading list names");
}

static char *dup_col(sqlite3_stmt *st, int i, int *oom)
{
    const char *v = col(st, i);
    char *d;
    if (v == NULL)
        return NULL;
    d = tts_strdup(v);
    if (d == NULL)
        *oom = 1;
    return d;
}

tts_status tts_store_fetch_get(tts_store *s, const char *source, tts_store_fetch *f, int *found,
                               tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_FETCH_GET];
    int rc, oom = 0;
    memset(f, 0, sizeof(*f));
    *found = 0;
    bind_text(st, 1, source);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *found = 1;
        f->url = dup_col(st, 0, &oom);
        f->etag = dup_col(st, 1, &oom);
        f->last_modified = dup_col(st, 2, &oom);
        f->fetched_at = dup_col(st, 3, &oom);
        f->checked_at = dup_col(st, 4, &oom);
        f->http_status = (long)sqlite3_column_int64(st, 5);
        f->bytes = sqlite3_column_int64(st, 6);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (oom) {
        tts_store_fetch_clear(f);
        *found = 0;
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading fetch metadata");
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(s, err, "reading fetch metadata");
    return TTS_OK;
}

tts_status tts_store_fetch_put(tts_store *s, const char *source, const tts_store_fetch *f,
                               tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_FETCH_PUT];
    bind_text(st, 1, source);
    bind_text(st, 2, f->url);
    bind_text(st, 3, f->etag);
    bind_text(st, 4, f->last_modified);
    bind_text(st, 5, f->fetched_at);
    bind_text(st, 6, f->checked_at);
    sqlite3_bind_int64(st, 7, f->http_status);
    sqlite3_bind_int64(st, 8, f->bytes);
    return run(s, st, err, "recording fetch metadata");
}

void tts_store_fetch_clear(tts_store_fetch *f)
{
    if (f == NULL)
        return;
    tts_free(f->url);
    tts_free(f->etag);
    tts_free(f->last_modified);
    tts_free(f->fetched_at);
    tts_free(f->checked_at);
    memset(f, 0, sizeof(*f));
}

tts_status tts_store_config_get(tts_store *s, const char *source, char **url, char **format,
                                int *found, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_CONFIG_GET];
    int rc, oom = 0;
    *url = *format = NULL;
    *found = 0;
    bind_text(st, 1, source);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *url = dup_col(st, 0, &oom);
        *format = dup_col(st, 1, &oom);
        *found = !oom;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (oom) {
        tts_free(*url);
        tts_free(*format);
        *url = *format = NULL;
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading list configuration");
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_err(s, err, "reading list configuration");
    return TTS_OK;
}

tts_status tts_store_config_set(tts_store *s, const char *source, const char *url,
                                const char *format, tts_error *err)
{
    sqlite3_stmt *st = s->st[ST_CONFIG_SET];
    bind_text(st, 1, source);
    bind_text(st, 2, url);
    bind_text(st, 3, format);
    return run(s, st, err, "recording list configuration");
}

/* ---- the stored search index ------------------------------------------ */

tts_status tts_store_index_get(tts_store *s, int *format, char **key, void **data, size_t *len,
                               int *found, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    sqlite3_blob *bl = NULL;
    int rc, n = 0;
    *format = 0;
    *key = NULL;
    *data = NULL;
    *len = 0;
    *found = 0;
    /* prepared here, not at open: a read-only database of schema 2 has no such table */
    if (sqlite3_prepare_v2(s->db,
                           "SELECT format, lists_key, length(data) FROM list_index WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return TTS_OK;
    }
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *k = col(st, 1);
        *format = sqlite3_column_int(st, 0);
        n = sqlite3_column_int(st, 2);
        *key = tts_strdup(k != NULL ? k : "");
        *data = tts_malloc(n > 0 ? (size_t)n : 1);
    }
    sqlite3_finalize(st);
    /* it is only a cache: when it cannot be read the caller builds the index */
    if (rc != SQLITE_ROW) {
        tts_free(*key);
        tts_free(*data);
        *key = NULL;
        *data = NULL;
        return TTS_OK;
    }
    if (*key == NULL || *data == NULL) {
        rc = SQLITE_NOMEM;
    } else if (n > 0) {
        /* straight into our buffer, no intermediate copy of a large value */
        rc = sqlite3_blob_open(s->db, "main", "list_index", "data", 1, 0, &bl);
        if (rc == SQLITE_OK)
            rc = sqlite3_blob_bytes(bl) == n ? sqlite3_blob_read(bl, *data, n, 0) : SQLITE_CORRUPT;
        sqlite3_blob_close(bl);
    }
    if (rc != SQLITE_OK && rc != SQLITE_ROW) {
        tts_free(*key);
        tts_free(*data);
        *key = NULL;
        *data = NULL;
        return rc == SQLITE_NOMEM
                   ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading the stored index")
                   : TTS_OK; /* not readable (changed under us, damaged): not found */
    }
    *len = (size_t)n;
    *found = 1;
    return TTS_OK;
}

tts_status tts_store_index_put(tts_store *s, int format, const char *key, const void *data,
                               size_t len, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (len > (size_t)INT32_MAX || len > (size_t)sqlite3_limit(s->db, SQLITE_LIMIT_LENGTH, -1))
        return tts_err_set(err, TTS_ERR_LIMIT, "search index of %zu bytes is too large to store",
                           len);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT OR REPLACE INTO list_index(id, format, lists_key, data) "
                           "VALUES(1, ?1, ?2, ?3)",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_err(s, err, "storing the search index");
    }
    sqlite3_bind_int(st, 1, format);
    sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(st, 3, len > 0 ? data : "", (int)len, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_err(s, err, "storing the search index");
    return TTS_OK;
}

tts_status tts_store_begin_read(tts_store *s, tts_error *err)
{
    /* BEGIN alone defers the snapshot to the first read; one read now fixes it here, so a
       run's snapshot is that of its start, not of whenever its first record is read */
    tts_status rc = exec(s, "BEGIN", err, "starting a read transaction");
    if (rc == TTS_OK &&
        (rc = exec(s, "SELECT count(*) FROM sqlite_schema", err, "starting a read transaction")) !=
            TTS_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

void tts_store_end_read(tts_store *s)
{
    if (s != NULL && !sqlite3_get_autocommit(s->db) &&
        sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

tts_status tts_store_index_clear(tts_store *s, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if (sqlite3_prepare_v2(s->db, "DELETE FROM list_index", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return db_err(s, err, "removing the stored search index");
    }
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return db_err(s, err, "removing the stored search index");
    return TTS_OK;
}

int tts_store_in_transaction(tts_store *s)
{
    return !sqlite3_get_autocommit(s->db);
}

int tts_store_read_only(tts_store *s)
{
    return sqlite3_db_readonly(s->db, "main") == 1;
}

void tts_store_lib_version(char *out, size_t cap)
{
    snprintf(out, cap, "SQLite %s", sqlite3_libversion());
}
