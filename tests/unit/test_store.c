/* SPDX-License-Identifier: MIT */
/*
 * The database: creation and migration, read-only opening, transactions
 * (rollback leaves nothing behind), cascading deletes on replace, fetch
 * metadata and configured feeds; the hash preimage encoding of the audit
 * log (length-prefixed fields, format 1 kept for old rows).
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "helpers.h"
#include "util/mem.h"
#include "store/store.h"
#include "store/store_cases.h"
#include "store/store_digest.h"

static char dir[64];

static int setup(void **state)
{
    if (tts_test_scratch_make(dir, sizeof(dir), "store") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown(void **state)
{
    if (tts_test_scratch_remove(dir) != 0)
        return -1;
    return tts_test_use_default_allocator(state);
}

static const char *db(const char *name)
{
    static char p[128];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return p;
}

static int count_sources(void *u, const tts_store_source *s)
{
    (*(int *)u)++;
    (void)s;
    return 0;
}

static int count_names(void *u, const tts_store_name *n)
{
    (*(int *)u)++;
    (void)n;
    return 0;
}

static void add_one(tts_store *s, const char *source, const char *name)
{
    tts_error err;
    int64_t sid = 0, row = 0;
    tts_store_entry e;
    tts_error_clear(&err);
    memset(&e, 0, sizeof(e));
    e.entry_id = "1";
    e.name = name;
    assert_int_equal(tts_store_source_replace(s, source, "ttscreen-csv", &sid, &err), TTS_OK);
    assert_int_equal(tts_store_entry_add(s, sid, &e, &row, &err), TTS_OK);
    assert_int_equal(tts_store_name_add(s, row, "primary", name, "x", "", "x", &err), TTS_OK);
    assert_int_equal(tts_store_source_finish(s, sid, 1, 0, "00", "2026-01-01T00:00:00Z", "f", &err),
                     TTS_OK);
}

static void test_open_creates_and_migrates(void **state)
{
    tts_store *s = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("a.db"), 0, &s, &err), TTS_OK);
    tts_store_close(s);
    /* Reopening an up-to-date database, also read-only, works. */
    assert_int_equal(tts_store_open(db("a.db"), TTS_STORE_READONLY, &s, &err), TTS_OK);
    tts_store_close(s);
    assert_true(tts_store_schema_version() >= 1);
}

static void test_readonly_open_of_missing_file_fails_clearly(void **state)
{
    tts_store *s = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("none.db"), TTS_STORE_READONLY, &s, &err), TTS_ERR_DB);
    assert_null(s);
    assert_non_null(strstr(err.message, "does not exist"));
    assert_int_not_equal(access(db("none.db"), F_OK), 0);
}

static void test_rollback_leaves_nothing(void **state)
{
    tts_store *s = NULL;
    tts_error err;
    int n = 0;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("b.db"), 0, &s, &err), TTS_OK);
    assert_int_equal(tts_store_begin(s, &err), TTS_OK);
    add_one(s, "x", "Alpha");
    tts_store_rollback(s);
    assert_int_equal(tts_store_sources_each(s, count_sources, &n, &err), TTS_OK);
    assert_int_equal(n, 0);
    tts_store_close(s);
}

static void test_replace_cascades_to_names(void **state)
{
    tts_store *s = NULL;
    tts_error err;
    int n = 0;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("c.db"), 0, &s, &err), TTS_OK);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(tts_store_begin(s, &err), TTS_OK);
        add_one(s, "x", "Alpha");
        assert_int_equal(tts_store_commit(s, &err), TTS_OK);
    }
    assert_int_equal(tts_store_names_each(s, count_names, &n, &err), TTS_OK);
    assert_int_equal(n, 1);
    tts_store_close(s);
}

static void test_fetch_metadata_and_config_round_trip(void **state)
{
    tts_store *s = NULL;
    tts_store_fetch f, g;
    tts_error err;
    int found = 0;
    char *url = NULL, *fmt = NULL;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("d.db"), 0, &s, &err), TTS_OK);
    assert_int_equal(tts_store_fetch_get(s, "us-csl", &g, &found, &err), TTS_OK);
    assert_false(found);
    memset(&f, 0, sizeof(f));
    f.url = (char *)(uintptr_t) "https://example.invalid/x.csv";
    f.etag = (char *)(uintptr_t) "\"abc\"";
    f.http_status = 200;
    f.bytes = 12;
    assert_int_equal(tts_store_fetch_put(s, "us-csl", &f, &err), TTS_OK);
    assert_int_equal(tts_store_fetch_get(s, "us-csl", &g, &found, &err), TTS_OK);
    assert_true(found);
    assert_string_equal(g.etag, "\"abc\"");
    assert_null(g.last_modified);
    assert_int_equal(g.bytes, 12);
    tts_store_fetch_clear(&g);
    assert_int_equal(tts_store_config_set(s, "us-csl", "file:///x", "csl-csv", &err), TTS_OK);
    assert_int_equal(tts_store_config_get(s, "us-csl", &url, &fmt, &found, &err), TTS_OK);
    assert_true(found);
    assert_string_equal(url, "file:///x");
    assert_string_equal(fmt, "csl-csv");
    tts_free(url);
    tts_free(fmt);
    tts_store_close(s);
}

static void test_newer_schema_is_refused(void **state)
{
    tts_store *s = NULL;
    tts_error err;
    FILE *fp;
    char cmd[256];
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("e.db"), 0, &s, &err), TTS_OK);
    tts_store_close(s);
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'PRAGMA user_version = 999' 2>/dev/null", db("e.db"));
    fp = popen(cmd, "r");
    if (fp == NULL || pclose(fp) != 0)
        skip();
    assert_int_equal(tts_store_open(db("e.db"), 0, &s, &err), TTS_ERR_DB);
    assert_non_null(strstr(err.message, "newer"));
}

/* ---- preimage encoding ---- */

static void test_field_is_length_prefixed_and_null_is_a_dash(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_store_field(&b, "eve");
    tts_store_field(&b, NULL);
    tts_store_field(&b, "");
    tts_store_field(&b, "a\nb");
    tts_store_field(&b, "\xe6\x97\xa5"); /* one character, three bytes */
    tts_store_field_int(&b, -42);
    tts_buf_puts(&b, "");
    assert_false(tts_buf_failed(&b));
    assert_string_equal(b.data, "3:eve\n-\n0:\n3:a\nb\n3:\xe6\x97\xa5\n3:-42\n");
    tts_buf_free(&b);
}

static void test_no_two_field_sequences_encode_the_same(void **state)
{
    /* the pairs a newline-joined preimage could not tell apart */
    static const char *const pairs[][4] = {
        {"eve\naudit: 99 rows verified", "screen", "eve", "audit: 99 rows verified\nscreen"},
        {"a", "", "", "a"},
        {"-", "x", NULL, "x"},
        {"1:a", "b", "1", "a\n1:b"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
        tts_buf x = TTS_BUF_INIT, y = TTS_BUF_INIT;
        tts_store_field(&x, pairs[i][0]);
        tts_store_field(&x, pairs[i][1]);
        tts_store_field(&y, pairs[i][2]);
        tts_store_field(&y, pairs[i][3]);
        assert_false(tts_buf_failed(&x) || tts_buf_failed(&y));
        if (x.len == y.len && memcmp(x.data, y.data, x.len) == 0)
            fail_msg("pair %zu encodes the same", i);
        tts_buf_free(&x);
        tts_buf_free(&y);
    }
}

static void test_audit_hash_format_2_matches_the_documented_preimage(void **state)
{
    char h[65];
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    /* printf 'ttscreen-audit/2\n1:7\n20:2026-01-01T00:00:00Z\n3:eve\n6:screen\n'
     *        '11:screening:1\n1:c\n1:p\n' | sha256sum */
    assert_int_equal(tts_store_audit_hash(2, 7, "2026-01-01T00:00:00Z", "eve", "screen",
                                          "screening:1", "c", "p", h, &err),
                     TTS_OK);
    assert_string_equal(h, "0f89df413699af06b63508e1906e6af1c98b3e822e9945a2e8a86a39d47faec3");
}

static void test_boundary_move_keeps_format_1_and_breaks_format_2(void **state)
{
    char a1[65], b1[65], a2[65], b2[65];
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_audit_hash(1, 3, "t", "eve\naudit: 99 rows verified", "screen",
                                          "o", "c", "p", a1, &err),
                     TTS_OK);
    assert_int_equal(tts_store_audit_hash(1, 3, "t", "eve", "audit: 99 rows verified\nscreen",
                                          "o", "c", "p", b1, &err),
                     TTS_OK);
    assert_string_equal(a1, b1); /* why format 1 is kept only for old rows */
    assert_int_equal(tts_store_audit_hash(2, 3, "t", "eve\naudit: 99 rows verified", "screen",
                                          "o", "c", "p", a2, &err),
                     TTS_OK);
    assert_int_equal(tts_store_audit_hash(2, 3, "t", "eve", "audit: 99 rows verified\nscreen",
                                          "o", "c", "p", b2, &err),
                     TTS_OK);
    assert_string_not_equal(a2, b2);
    assert_string_not_equal(a1, a2);
}

static int count_audit(void *u, const tts_store_audit *a)
{
    (*(long *)u)++;
    (void)a;
    return 0;
}

static long audit_rows(tts_store *r)
{
    long n = 0;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_store_audit_each(r, count_audit, &n, &err), TTS_OK);
    return n;
}

/* One unit of a group: an audit row in its own begin .. commit (or rolled back). */
static void unit(tts_store *s, const char *what, int keep)
{
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_store_begin(s, &err), TTS_OK);
    assert_int_equal(tts_store_audit_append(s, "2026-01-01T00:00:00Z", "tester", "note", what,
                                            "0000", &err),
                     TTS_OK);
    if (keep)
        assert_int_equal(tts_store_commit(s, &err), TTS_OK);
    else
        tts_store_rollback(s);
}

/*
 * Group commit: units become visible to another connection only when their
 * group commits (at the unit count, at the time bound, at the end, at
 * close); a rolled-back unit leaves the others of its group; the chain of
 * audit rows written that way verifies.
 */
static void test_group_commit_units_and_bounds(void **state)
{
    tts_store *s = NULL, *r = NULL;
    tts_store_audit_result ar;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(db("g.db"), 0, &s, &err), TTS_OK);
    assert_int_equal(tts_store_open(db("g.db"), 0, &r, &err), TTS_OK);
    assert_int_equal(tts_store_group(s, 3, 600000, &err), TTS_OK);
    unit(s, "a", 1);
    unit(s, "b", 1);
    assert_int_equal(audit_rows(r), 0); /* the group is open */
    assert_int_equal(audit_rows(s), 2); /* its own connection sees its writes */
    unit(s, "c", 1);
    assert_int_equal(audit_rows(r), 3); /* three units: committed */
    unit(s, "d", 0);                    /* rolled back alone */
    unit(s, "e", 1);
    assert_int_equal(audit_rows(r), 3);
    assert_int_equal(tts_store_group(s, 0, 0, &err), TTS_OK); /* the end: committed */
    assert_int_equal(audit_rows(r), 4);
    assert_int_equal(tts_store_group(s, 100, 0, &err), TTS_OK); /* 0 ms: each unit at once */
    unit(s, "f", 1);
    assert_int_equal(audit_rows(r), 5);
    assert_int_equal(tts_store_group(s, 100, 600000, &err), TTS_OK);
    unit(s, "g", 1);
    assert_int_equal(audit_rows(r), 5);
    tts_store_close(s); /* commits the open group */
    assert_int_equal(audit_rows(r), 6);
    tts_error_clear(&err);
    assert_int_equal(tts_store_audit_verify(r, NULL, 0, &ar, &err), TTS_OK);
    assert_int_equal(ar.broken_seq, 0);
    assert_int_equal(ar.rows, 6);
    tts_store_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_creates_and_migrates),
        cmocka_unit_test(test_readonly_open_of_missing_file_fails_clearly),
        cmocka_unit_test(test_rollback_leaves_nothing),
        cmocka_unit_test(test_group_commit_units_and_bounds),
        cmocka_unit_test(test_replace_cascades_to_names),
        cmocka_unit_test(test_fetch_metadata_and_config_round_trip),
        cmocka_unit_test(test_newer_schema_is_refused),
        cmocka_unit_test(test_field_is_length_prefixed_and_null_is_a_dash),
        cmocka_unit_test(test_no_two_field_sequences_encode_the_same),
        cmocka_unit_test(test_audit_hash_format_2_matches_the_documented_preimage),
        cmocka_unit_test(test_boundary_move_keeps_format_1_and_breaks_format_2),
    };
    return cmocka_run_group_tests_name("store", tests, setup, teardown);
}
