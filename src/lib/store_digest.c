/* SPDX-License-Identifier: MIT */
/*
 * Content hashes of stored list entries (see store_digest.h). Part of the
 * store module: the only place besides store.c and store_cases.c that
 * runs SQL. Each field is written length-prefixed so no two different
 * entries hash the same.
 */
#include <stdio.h>

#include "store_digest.h"

#include <string.h>

#include "buf.h"
#include "error.h"
#include "sign.h"
#include "store_db.h"

static void field(tts_buf *b, const unsigned char *v)
{
    if (v == NULL)
        tts_buf_puts(b, "-\n");
    else
        tts_buf_printf(b, "%zu:%s\n", strlen((const char *)v), (const char *)v);
}

tts_status tts_store_entry_sha256(tts_store *s, const char *source, const char *entry_id,
                                  char out[65], char *sublist, char *type, int *found,
                                  tts_error *err)
{
    sqlite3 *db = tts_store_sqlite(s);
    sqlite3_stmt *st = NULL;
    tts_buf b = TTS_BUF_INIT;
    sqlite3_int64 rowid = 0;
    tts_status rc = TTS_OK;
    int step;

    out[0] = '\0';
    if (sublist != NULL)
        sublist[0] = '\0';
    if (type != NULL)
        type[0] = '\0';
    *found = 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT e.id, e.entry_id, e.name, e.type, e.country, e.programs, "
                           "e.listed_on, e.end_date, e.addresses, e.ids, e.remarks, "
                           "e.source_url, e.sublist FROM list_entry e JOIN list_source s "
                           "ON s.id = e.source_id WHERE s.name = ?1 AND e.entry_id = ?2 "
                           "ORDER BY e.id LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK) {
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
    tts_buf_puts(&b, "ttscreen-list-entry/1\n");
    field(&b, (const unsigned char *)source);
    for (int i = 1; i <= 12; i++)
        field(&b, sqlite3_column_text(st, i));
    if (sublist != NULL && sqlite3_column_text(st, 12) != NULL)
        snprintf(sublist, TTS_SUBLIST_MAX, "%s", (const char *)sqlite3_column_text(st, 12));
    if (type != NULL && sqlite3_column_text(st, 3) != NULL)
        snprintf(type, TTS_ENTRY_TYPE_MAX, "%s", (const char *)sqlite3_column_text(st, 3));
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(db, "SELECT kind, name FROM list_name WHERE entry = ?1 ORDER BY kind, name",
                           -1, &st, NULL) != SQLITE_OK) {
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
    sqlite3_finalize(st);
    tts_buf_free(&b);
    return rc;
}
