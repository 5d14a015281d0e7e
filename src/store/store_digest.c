/* SPDX-License-Identifier: MIT */
/*
 * Content hashes of stored list entries (see store_digest.h). Part of the
 * store module: the only place besides store.c and store_cases.c that
 * runs SQL. Each field is written length-prefixed so no two different
 * entries hash the same.
 */
#include <stdio.h>

#include "store/store_digest.h"

#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "sign/ossl.h"
#include "store/store_db.h"

void tts_store_field(tts_buf *b, const char *v)
{
    size_t n;
    if (v == NULL) {
        tts_buf_puts(b, "-\n");
        return;
    }
    /* the value appended as it is: a record or a report is tens of kilobytes, too many
       for printf to copy a byte at a time */
    n = strlen(v);
    tts_buf_put_uint(b, n);
    tts_buf_putc(b, ':');
    tts_buf_append(b, v, n);
    tts_buf_putc(b, '\n');
}

tts_status tts_store_digest(tts_buf *b, char out[65], tts_error *err)
{
    tts_status rc = tts_buf_failed(b) ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory")
                                      : tts_sha256_hex(b->data, b->len, out, err);
    tts_buf_free(b);
    return rc;
}

void tts_store_field_int(tts_buf *b, long long v)
{
    char n[32];
    snprintf(n, sizeof(n), "%lld", v);
    tts_store_field(b, n);
}

static void field(tts_buf *b, const unsigned char *v)
{
    tts_store_field(b, (const char *)v);
}

tts_status tts_store_entry_sha256(tts_store *s, const char *source, const char *entry_id,
                                  char out[65], char *sublist, char *type, int *found,
                                  tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_buf b = TTS_BUF_INIT;
    sqlite3_int64 rowid = 0;
    tts_status rc = TTS_OK;
    int step;

    if (out != NULL)
        out[0] = '\0';
    if (sublist != NULL)
        sublist[0] = '\0';
    if (type != NULL)
        type[0] = '\0';
    *found = 0;
    if (tts_store_stmt(s, "SELECT e.id, e.entry_id, e.name, e.type, e.country, e.programs, "
                           "e.listed_on, e.end_date, e.addresses, e.ids, e.remarks, "
                           "e.source_url, e.sublist FROM list_entry e JOIN list_source s "
                           "ON s.id = e.source_id WHERE s.name = ?1 AND e.entry_id = ?2 "
                           "ORDER BY e.id LIMIT 1", &st, err) != TTS_OK) {
        rc = tts_store_db_error(s, err, "reading a list entry");
        goto out;
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, entry_id, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    if (step == SQLITE_DONE)
        goto out;
    if (step != SQLITE_ROW) {
        rc = tts_store_db_error(s, err, "reading a list entry");
        goto out;
    }
    rowid = sqlite3_column_int64(st, 0);
    if (out != NULL) {
        tts_buf_puts(&b, "ttscreen-list-entry/1\n");
        field(&b, (const unsigned char *)source);
        for (int i = 1; i <= 12; i++)
            field(&b, sqlite3_column_text(st, i));
    }
    if (sublist != NULL && sqlite3_column_text(st, 12) != NULL)
        snprintf(sublist, TTS_SUBLIST_MAX, "%s", (const char *)sqlite3_column_text(st, 12));
    if (type != NULL && sqlite3_column_text(st, 3) != NULL)
        snprintf(type, TTS_ENTRY_TYPE_MAX, "%s", (const char *)sqlite3_column_text(st, 3));
    tts_store_stmt_end(s, st);
    st = NULL;
    if (out == NULL) {
        *found = 1;
        goto out;
    }
    if (tts_store_stmt(s, "SELECT kind, name FROM list_name WHERE entry = ?1 ORDER BY kind, name", &st, err) != TTS_OK) {
        rc = tts_store_db_error(s, err, "reading a list entry's names");
        goto out;
    }
    sqlite3_bind_int64(st, 1, rowid);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        field(&b, sqlite3_column_text(st, 0));
        field(&b, sqlite3_column_text(st, 1));
    }
    if (step != SQLITE_DONE) {
        rc = tts_store_db_error(s, err, "reading a list entry's names");
        goto out;
    }
    if (tts_buf_failed(&b)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = tts_sha256_hex(b.data, b.len, out, err);
    *found = rc == TTS_OK;
out:
    tts_store_stmt_end(s, st);
    tts_buf_free(&b);
    return rc;
}

/* Hash what b holds and empty it, so that a list of any size hashes in the memory of one row. */
static tts_status flush(tts_sha256 *h, tts_buf *b, tts_error *err)
{
    if (tts_buf_failed(b))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory hashing a list");
    if (b->len > 0 && tts_sha256_update(h, b->data, b->len) != TTS_OK)
        return tts_err_set(err, TTS_ERR_INTERNAL, "hashing a list failed");
    b->len = 0;
    return TTS_OK;
}

/*
 * Hash the rows of one query (bound to source) as fields, each row after
 * its column count, through b into h; *rows counts them. Columns are read
 * as text.
 */
static tts_status rows_fields(tts_store *s, const char *sql, const char *source, tts_sha256 *h,
                              tts_buf *b, long *rows, tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_status rc = TTS_OK;
    int step, n;
    if (tts_store_stmt(s, sql, &st, err) != TTS_OK) {
        tts_store_stmt_end(s, st);
        return tts_store_db_error(s, err, "reading a list");
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    n = sqlite3_column_count(st);
    while (rc == TTS_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
        (*rows)++;
        tts_store_field_int(b, n);
        for (int i = 0; i < n; i++)
            field(b, sqlite3_column_text(st, i));
        rc = flush(h, b, err);
    }
    tts_store_stmt_end(s, st);
    if (rc == TTS_OK && step != SQLITE_DONE)
        rc = tts_store_db_error(s, err, "reading a list");
    return rc;
}

/* One name column as a field in SQL: "LEN:VALUE\n", LEN in bytes (the columns are NOT NULL). */
#define NAME_FIELD(c) "length(CAST(" c " AS BLOB)) || ':' || " c " || char(10)"

/*
 * The parts of a list's content, in order. Entries come sorted by their
 * own id (then by every column, so equal ids still sort the same), each
 * followed by its names; rowids never enter the hash, since they say
 * nothing a user is shown. An entry's names are its 13th column: each
 * name's five columns as fields, concatenated (NULL when it has none).
 * Each part begins with its label and ends with its row count.
 */
static const struct {
    const char *label, *sql;
} list_parts[] = {
    {"source", "SELECT name, format, file, imported_at, sha256, entries, aliases, kind, "
               "jurisdiction, severity, dated, dated_by FROM list_source WHERE name = ?1"},
    {"entries",
     "SELECT e.entry_id, e.name, e.type, e.country, e.programs, e.listed_on, e.end_date, "
     "e.addresses, e.ids, e.remarks, e.source_url, e.sublist, "
     "(SELECT group_concat(" NAME_FIELD("n.kind") " || " NAME_FIELD("n.name") " || "
     NAME_FIELD("n.tokens") " || " NAME_FIELD("n.legal") " || " NAME_FIELD("n.glued") ", '') "
     "FROM (SELECT * FROM list_name x WHERE x.entry = e.id "
     "ORDER BY x.kind, x.name, x.tokens, x.legal, x.glued) n) "
     "FROM list_entry e JOIN list_source s ON s.id = e.source_id WHERE s.name = ?1 "
     "ORDER BY e.entry_id, e.name, e.type, e.country, e.programs, e.listed_on, e.end_date, "
     "e.addresses, e.ids, e.remarks, e.source_url, e.sublist, 13"},
    {"fetch", "SELECT url, etag, last_modified, fetched_at, checked_at, http_status, bytes, "
              "transport FROM list_fetch WHERE source = ?1"},
    {"config", "SELECT url, format FROM list_config WHERE source = ?1"},
};

/* A column that may be NULL as a field in SQL: "-\n" for NULL. */
#define NULL_FIELD(c) "CASE WHEN " c " IS NULL THEN '-' || char(10) ELSE " NAME_FIELD(c) " END"

/*
 * The list's versions (store_listver.h) as a fifth part, each version row
 * followed by its changes sorted by entry id, concatenated as fields. A
 * list with no version yet (written before versions were kept) has no such
 * part, so its hash is the one logged then; once a version exists, the
 * logged hash covers it, and removing every version changes the hash.
 */
static tts_status versions_fields(tts_store *s, const char *source, tts_sha256 *h, tts_buf *b,
                                  tts_error *err)
{
    sqlite3_stmt *st = NULL;
    long rows = 0;
    int any;
    tts_status rc;
    if (tts_store_stmt(s, "SELECT EXISTS (SELECT 1 FROM list_version WHERE source = ?1)", &st, err) != TTS_OK) {
        tts_store_stmt_end(s, st);
        return tts_store_db_error(s, err, "reading a list's versions");
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    any = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
    tts_store_stmt_end(s, st);
    if (!any)
        return TTS_OK;
    tts_store_field(b, "versions");
    rc = rows_fields(s,
                     "SELECT v.version, v.sha256, v.imported_at, v.entries, v.added, v.removed, "
                     "v.changed, (SELECT group_concat(" NAME_FIELD("c.entry_id") " || "
                     NAME_FIELD("c.change") " || " NULL_FIELD("c.old_sha256") " || "
                     NULL_FIELD("c.new_sha256") " || " NAME_FIELD("c.name") ", '') FROM "
                     "(SELECT * FROM list_change x WHERE x.version_id = v.id "
                     "ORDER BY x.entry_id) c) FROM list_version v WHERE v.source = ?1 "
                     "ORDER BY v.version",
                     source, h, b, &rows, err);
    tts_store_field_int(b, rows);
    return rc;
}

tts_status tts_store_list_sha256(tts_store *s, const char *source, char out[65], int *found,
                                 tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    tts_sha256 *h = tts_sha256_new();
    tts_status rc = TTS_OK;
    long total = 0;
    out[0] = '\0';
    *found = 0;
    if (h == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory hashing a list");
    tts_buf_puts(&b, "ttscreen-list/2\n");
    tts_store_field(&b, source);
    for (size_t i = 0; i < sizeof(list_parts) / sizeof(list_parts[0]) && rc == TTS_OK; i++) {
        long rows = 0;
        tts_store_field(&b, list_parts[i].label);
        rc = rows_fields(s, list_parts[i].sql, source, h, &b, &rows, err);
        tts_store_field_int(&b, rows);
        total += rows;
    }
    if (rc == TTS_OK && tts_store_has_listver(s))
        rc = versions_fields(s, source, h, &b, err);
    if (rc == TTS_OK)
        rc = flush(h, &b, err);
    if (rc == TTS_OK) {
        rc = tts_sha256_final(h, out) == TTS_OK
                 ? TTS_OK
                 : tts_err_set(err, TTS_ERR_INTERNAL, "hashing a list failed");
        h = NULL;
    }
    if (rc == TTS_OK)
        *found = total > 0;
    tts_sha256_free(h);
    tts_buf_free(&b);
    return rc;
}
/* Run one write statement with two text parameters. */
static tts_status write2(tts_store *s, const char *sql, const char *a, const char *b2,
                         tts_error *err, const char *what)
{
    sqlite3_stmt *st = NULL;
    int step;
    if (tts_store_stmt(s, sql, &st, err) != TTS_OK) {
        tts_store_stmt_end(s, st);
        return tts_store_db_error(s, err, what);
    }
    sqlite3_bind_text(st, 1, a, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 2, b2, -1, SQLITE_TRANSIENT);
    step = sqlite3_step(st);
    tts_store_stmt_end(s, st);
    if (step != SQLITE_DONE)
        return tts_store_db_error(s, err, what);
    return TTS_OK;
}

tts_status tts_store_list_content_set(tts_store *s, const char *source, const char *sha256,
                                      tts_error *err)
{
    return write2(s, "UPDATE list_source SET content_sha256 = ?2 WHERE name = ?1", source,
                  sha256, err, "recording a list's content hash");
}

tts_status tts_store_fetch_transport_set(tts_store *s, const char *source, const char *transport,
                                         tts_error *err)
{
    return write2(s, "UPDATE list_fetch SET transport = ?2 WHERE source = ?1", source, transport,
                  err, "recording a download's transport");
}

tts_status tts_store_list_content_get(tts_store *s, const char *source, char out[65],
                                      char transport[8], tts_error *err)
{
    sqlite3_stmt *st = NULL;
    (void)err;
    out[0] = '\0';
    transport[0] = '\0';
    if (!tts_store_has_audit2(s))
        return TTS_OK;
    if (tts_store_stmt(s, "SELECT (SELECT content_sha256 FROM list_source WHERE name = ?1), "
                           "(SELECT transport FROM list_fetch WHERE source = ?1)", &st, err) != TTS_OK) {
        tts_store_stmt_end(s, st);
        return tts_store_db_error(s, err, "reading a list's content hash");
    }
    sqlite3_bind_text(st, 1, source, -1, SQLITE_TRANSIENT);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *c = (const char *)sqlite3_column_text(st, 0);
        const char *t = (const char *)sqlite3_column_text(st, 1);
        if (c != NULL)
            snprintf(out, 65, "%s", c);
        if (t != NULL)
            snprintf(transport, 8, "%s", t);
    }
    tts_store_stmt_end(s, st);
    return TTS_OK;
}

tts_status tts_store_run_sha256(tts_store *s, int64_t id, char out[65], int *missing,
                                tts_error *err)
{
    sqlite3_stmt *st = NULL;
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    *missing = 0;
    out[0] = '\0';
    if (tts_store_stmt(s, "SELECT at, actor, mode, lists_json, rules_sha256, as_of, today, "
                           "last_screening, cases, rescreened, changed, report_sha256 "
                           "FROM rescreen_run WHERE id = ?1", &st, err) != TTS_OK) {
        tts_store_stmt_end(s, st);
        return tts_store_db_error(s, err, "reading a rescreen run");
    }
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        *missing = 1;
        goto out;
    }
    tts_buf_puts(&b, "ttscreen-rescreen-run/2\n");
    for (int i = 0; i < 12; i++)
        tts_store_field(&b, (const char *)sqlite3_column_text(st, i));
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
