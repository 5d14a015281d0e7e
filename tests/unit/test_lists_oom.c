/* SPDX-License-Identifier: MIT */
/*
 * Allocation failures in list import and search. For every N until the
 * operation succeeds, allocation N and all after it fail: the call must
 * return TTS_ERR_NOMEM (never crash, never another status), free
 * everything (the cmocka allocator reports leaks), and leave the database
 * as it was: the previous version of the list still searchable, its counts
 * unchanged. One small real fixture per import format.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "util/mem.h"
#include "ttscreen.h"

#define MAX_N 200000UL

static char g_dir[64];

static int setup(void **state)
{
    (void)state;
    if (tts_test_scratch_make(g_dir, sizeof(g_dir), "oom") != 0)
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return tts_test_scratch_remove(g_dir);
}

static tts_search_result *search(tts_lists *l, const char *q, tts_error *err)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = TTS_LISTS_THRESHOLD;
    o.explain = 1;
    if (tts_lists_search(l, q, &o, &r, err) != TTS_OK)
        return NULL;
    return r;
}

/* The baseline list (us-1260h as source "s") is intact: one entry, CATL found. */
static void assert_baseline(tts_lists *l, const char *where, unsigned long n)
{
    tts_error err;
    tts_search_result *r;
    tts_list_info *info = NULL;
    size_t ni = 0;
    tts_error_clear(&err);
    r = search(l, "CATL", &err);
    if (r == NULL) {
        fail_msg("%s, allocation %lu: search after the failure: %s", where, n, err.message);
        return;
    }
    if (r->n != 1 || strcmp(r->hits[0].entry_id, "2025-catl") != 0)
        fail_msg("%s, allocation %lu: previous version lost (%zu hits)", where, n, r->n);
    tts_search_result_free(r);
    assert_int_equal(tts_lists_info(l, &info, &ni, &err), TTS_OK);
    assert_int_equal(ni, 1);
    assert_string_equal(info[0].source, "s");
    assert_int_equal(info[0].entries, 1);
    assert_string_equal(info[0].imported_at, "2026-01-01T00:00:00Z");
    tts_list_info_free(info, ni);
}

typedef struct import_case {
    const char *format;
    const char *files[3];
    long entries;
    const char *query, *entry_id; /* a name the new version must find */
} import_case;

static void import_under_failures(const import_case *c)
{
    char p[3][512], db[128];
    const char *files[3];
    size_t nf = 0;
    tts_lists *l = NULL;
    tts_import_result res;
    tts_error err;
    tts_status rc = TTS_ERR_NOMEM;
    unsigned long n, clean, used = 0;
    tts_search_result *r;
    char base[512];
    const char *bf[1] = {base};

    for (size_t i = 0; i < 3 && c->files[i] != NULL; i++) {
        snprintf(p[nf], sizeof(p[nf]), "%s", tts_test_fixture(c->files[i]));
        files[nf] = p[nf];
        nf++;
    }
    snprintf(db, sizeof(db), "%s/%s.db", g_dir, c->format);
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(db, 0, &l, &err), TTS_OK);
    snprintf(base, sizeof(base), "%s", tts_test_fixture("lists/us-1260h.csv"));
    assert_int_equal(
        tts_lists_import(l, "s", "ttscreen-csv", bf, 1, "2026-01-01T00:00:00Z", NULL, &err),
        TTS_OK);
    assert_baseline(l, c->format, 0);
    /* allocations of a clean import from the same state: none may be skipped silently */
    tts_mem_fail_after(0);
    assert_int_equal(tts_lists_import(l, "s", c->format, files, nf, "2026-02-01T00:00:00Z", &res,
                                      &err),
                     TTS_OK);
    clean = tts_mem_count();
    assert_int_equal(
        tts_lists_import(l, "s", "ttscreen-csv", bf, 1, "2026-01-01T00:00:00Z", NULL, &err),
        TTS_OK);
    assert_baseline(l, c->format, 0);
    for (n = 1; rc == TTS_ERR_NOMEM && n < MAX_N; n++) {
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_lists_import(l, "s", c->format, files, nf, "2026-02-01T00:00:00Z", &res, &err);
        used = tts_mem_count();
        tts_mem_fail_after(0);
        if (rc == TTS_ERR_NOMEM)
            assert_baseline(l, c->format, n);
        else if (rc != TTS_OK)
            fail_msg("%s, allocation %lu: status %d: %s", c->format, n, (int)rc, err.message);
    }
    assert_int_equal(rc, TTS_OK);
    /* the import that succeeded never reached its failing allocation: no failure was swallowed
       (the count of a clean import varies by a few with the list's version history, so the
       bound is this run's own count, and the clean one's within a margin) */
    assert_true(used < n - 1);
    assert_true(n - 2 + 8 >= clean && n - 2 <= clean + 8);
    assert_int_equal(res.entries, c->entries);
    tts_error_clear(&err);
    r = search(l, c->query, &err);
    if (r == NULL) {
        fail_msg("%s: search: %s", c->format, err.message);
        return;
    }
    if (r->n < 1 || (c->entry_id != NULL && strcmp(r->hits[0].entry_id, c->entry_id) != 0))
        fail_msg("%s: the new version does not find '%s'", c->format, c->query);
    tts_search_result_free(r);
    tts_lists_close(l);
    printf("lists oom: %s imported cleanly after failing each of its first %lu allocations\n",
           c->format, n - 2);
}

static const import_case cases[] = {
    {"csl-csv", {"lists/csl-2025-sample.csv"}, 13, "Atlas Sanatgaran",
     "1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42"},
    {"csl-json", {"lists/csl-2025-sample.json"}, 13, "Hebei Semiconductor Research Institute",
     "99ed1b052fdb09695fae1ba87516d8a0882b0df04652e07aeb5ce7be"},
    {"sdn-csv",
     {"lists/ofac-sdn-2025-sample/sdn.csv", "lists/ofac-sdn-2025-sample/alt.csv",
      "lists/ofac-sdn-2025-sample/add.csv"},
     17, "Elvis Angus LOGAN MOREY", "10278"},
    {"dpl-tsv", {"lists/dpl-2019-06-head.txt"}, 3, "Adrian Manuel Hernandez", NULL},
    {"ttscreen-csv", {"lists/jp-eul.csv"}, 1, "中国工程物理研究院", NULL},
    {"mof-xlsx", {"lists/jp-mof-tiny.xlsx"}, 4, "Belagroprombank", "ベラルーシ(特定銀行)/1"},
};

static void run_case(size_t i)
{
    import_case c = cases[i];
    tts_test_use_cmocka_allocator(NULL);
    import_under_failures(&c);
    tts_test_use_default_allocator(NULL);
}

static void test_csl_csv_import(void **state)
{
    (void)state;
    run_case(0);
}

static void test_csl_json_import(void **state)
{
    (void)state;
    run_case(1);
}

static void test_sdn_csv_import(void **state)
{
    (void)state;
    run_case(2);
}

static void test_dpl_tsv_import(void **state)
{
    (void)state;
    run_case(3);
}

static void test_ttscreen_csv_import(void **state)
{
    (void)state;
    run_case(4);
}

static void test_mof_xlsx_import(void **state)
{
    (void)state;
    run_case(5);
}

/*
 * Open the database read-only, search q and look it up, with allocation
 * fail_at and all after it failing (0: none). The handle is left in *lp
 * when it opened; *used is the number of allocations made.
 */
static tts_status search_once(const char *db, const char *q, unsigned long fail_at,
                              tts_lists **lp, unsigned long *used, tts_error *err)
{
    const char *only[1] = {"s"};
    tts_search_result *r = NULL;
    tts_match *m = NULL;
    size_t nm = 0;
    tts_status rc;
    tts_error_clear(err);
    *lp = NULL;
    tts_mem_fail_after(fail_at);
    rc = tts_lists_open(db, TTS_LISTS_READONLY, lp, err);
    if (rc == TTS_OK) {
        tts_search_opts o;
        memset(&o, 0, sizeof(o));
        o.size = sizeof(o);
        o.threshold = TTS_LISTS_THRESHOLD;
        o.explain = 1;
        rc = tts_lists_search(*lp, q, &o, &r, err);
        if (rc == TTS_OK) {
            assert_int_equal(r->n, 1);
            tts_search_result_free(r);
        } else {
            assert_null(r);
        }
    }
    if (rc == TTS_OK) {
        rc = tts_lists_lookup(*lp, q, "CN", only, 1, 0.85, &m, &nm, err);
        if (rc == TTS_OK) {
            assert_int_equal(nm, 1);
            assert_non_null(m[0].entry_sha256);
            tts_matches_free(m, nm);
        } else {
            assert_null(m);
            assert_int_equal(nm, 0);
        }
    }
    *used = tts_mem_count();
    tts_mem_fail_after(0);
    return rc;
}

/*
 * Open, search and look up against an imported list with allocation N
 * failing: NOMEM or the full answer, and the next search (no failures)
 * gives the same answer as before.
 */
static void test_search_and_lookup(void **state)
{
    static const char *const queries[] = {"Contemporary Amperex Technology Co Ltd", "CATL",
                                          "寧德時代"};
    char db[128], base[512];
    const char *bf[1] = {base};
    tts_lists *l = NULL;
    tts_error err;
    (void)state;
    snprintf(db, sizeof(db), "%s/search.db", g_dir);
    snprintf(base, sizeof(base), "%s", tts_test_fixture("lists/us-1260h.csv"));
    tts_test_use_cmocka_allocator(NULL);
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(db, 0, &l, &err), TTS_OK);
    assert_int_equal(tts_lists_import(l, "s", "ttscreen-csv", bf, 1, "2026-01-01T00:00:00Z", NULL,
                                      &err),
                     TTS_OK);
    tts_lists_close(l);
    for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
        tts_status rc = TTS_ERR_NOMEM;
        unsigned long n;
        unsigned long clean = 0, used;
        tts_lists *c = NULL;
        assert_int_equal(search_once(db, queries[q], 0, &c, &clean, &err), TTS_OK);
        tts_lists_close(c);
        for (n = 1; rc == TTS_ERR_NOMEM && n < MAX_N; n++) {
            l = NULL;
            rc = search_once(db, queries[q], n, &l, &used, &err);
            if (rc != TTS_OK && rc != TTS_ERR_NOMEM)
                fail_msg("'%s', allocation %lu: status %d: %s", queries[q], n, (int)rc,
                         err.message);
            if (l != NULL) {
                /* the same handle answers fully once memory is back */
                assert_baseline(l, queries[q], n);
                tts_lists_close(l);
            }
        }
        assert_int_equal(n - 2, clean);
        assert_int_equal(rc, TTS_OK);
        printf("lists oom: search '%s' succeeded after failing each of its first %lu "
               "allocations\n",
               queries[q], n - 2);
    }
    /* the list status that reports and `lists status` show */
    {
        tts_status rc = TTS_ERR_NOMEM;
        unsigned long n;
        assert_int_equal(tts_lists_open(db, TTS_LISTS_READONLY, &l, &err), TTS_OK);
        for (n = 1; rc == TTS_ERR_NOMEM && n < MAX_N; n++) {
            tts_list_info *info = NULL;
            size_t ni = 0;
            tts_error_clear(&err);
            tts_mem_fail_after(n);
            rc = tts_lists_info(l, &info, &ni, &err);
            tts_mem_fail_after(0);
            if (rc == TTS_OK)
                tts_list_info_free(info, ni);
            else if (rc != TTS_ERR_NOMEM)
                fail_msg("list status, allocation %lu: status %d: %s", n, (int)rc, err.message);
            else
                assert_null(info);
        }
        assert_int_equal(rc, TTS_OK);
        assert_baseline(l, "list status", n);
        tts_lists_close(l);
    }
    tts_test_use_default_allocator(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csl_csv_import),   cmocka_unit_test(test_csl_json_import),
        cmocka_unit_test(test_sdn_csv_import),   cmocka_unit_test(test_dpl_tsv_import),
        cmocka_unit_test(test_ttscreen_csv_import), cmocka_unit_test(test_mof_xlsx_import),
        cmocka_unit_test(test_search_and_lookup),
    };
    return cmocka_run_group_tests_name("lists_oom", tests, setup, teardown);
}
