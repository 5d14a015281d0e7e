/* SPDX-License-Identifier: MIT */
/*
 * Lists described by data: kinds, jurisdictions and severities set at
 * import (given, kept on re-import, or the built-in defaults), entry types
 * normalised from what each importer stores, the fields every list match
 * carries, identifier lookups (whole identifiers, spaces, hyphens, dots and
 * case ignored) and the HTTP date a feed's age may count from.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "helpers.h"
#include "lists/match/identidx.h"
#include "lists/listdb.h"
#include "lists/listmeta.h"
#include "util/mem.h"
#include "ttscreen.h"

static tts_lists *open_mem(void)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(":memory:", 0, &l, &err), TTS_OK);
    return l;
}

/* Import fixture files (NULL-terminated) as source, with opts (may be NULL). */
static tts_status import(tts_lists *l, const char *source, const char *format,
                         const tts_import_opts *opts, tts_error *err, const char *f1,
                         const char *f2, const char *f3)
{
    char p[3][512];
    const char *files[3], *in[3] = {f1, f2, f3};
    size_t n = 0;
    for (int i = 0; i < 3; i++)
        if (in[i] != NULL) {
            snprintf(p[n], sizeof(p[n]), "%s", tts_test_fixture(in[i]));
            files[n] = p[n];
            n++;
        }
    tts_error_clear(err);
    return tts_lists_import_with(l, source, format, files, n, "2026-01-01T00:00:00Z", opts, NULL,
                                 err);
}

static void import_ok(tts_lists *l, const char *source, const char *format,
                      const tts_import_opts *opts, const char *f1, const char *f2,
                      const char *f3)
{
    tts_error err;
    if (import(l, source, format, opts, &err, f1, f2, f3) != TTS_OK)
        fail_msg("%s: %s", source, err.message);
}

static void test_entry_type_normalisation(void **state)
{
    static const struct {
        const char *stored, *want;
    } rows[] = {
        {"individual", "person"},   {"Individual", "person"},      {"entity", "organisation"},
        {"Entity", "organisation"}, {"-0-", "organisation"},       {"-0- ", "organisation"},
        {"vessel", "vessel"},       {"Vessel", "vessel"},          {"aircraft", "aircraft"},
        {"Aircraft", "aircraft"},   {"Organization", "organisation"}, {NULL, NULL},
        {"", NULL},                 {"ship", NULL},                {"individuals", NULL},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const char *got = tts_listmeta_entry_type(rows[i].stored);
        if (rows[i].want == NULL ? got != NULL : got == NULL || strcmp(got, rows[i].want) != 0)
            fail_msg("row %zu: '%s' gave '%s', expected '%s'", i,
                     rows[i].stored ? rows[i].stored : "(null)", got ? got : "(null)",
                     rows[i].want ? rows[i].want : "(null)");
    }
}

/* The list_status row of source. */
static const tts_list_status *status_of(const tts_list_status *st, size_t n, const char *source)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].source, source) == 0)
            return &st[i];
    static const tts_list_status none;
    fail_msg("no status row for %s", source);
    return &none; /* not reached */
}

static void assert_meta(tts_lists *l, const char *source, const char *kind, const char *jur,
                        const char *sev)
{
    tts_list_status *st = NULL;
    tts_list_info *info = NULL;
    size_t n = 0, ni = 0;
    const tts_list_status *s;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_status(l, &st, &n, &err), TTS_OK);
    s = status_of(st, n, source);
    assert_string_equal(s->kind, kind);
    if (jur == NULL)
        assert_null(s->jurisdiction);
    else
        assert_string_equal(s->jurisdiction, jur);
    assert_string_equal(s->severity, sev);
    assert_string_equal(s->dated, "2026-01-01T00:00:00Z");
    assert_string_equal(s->dated_by, "imported");
    assert_int_equal(tts_lists_info(l, &info, &ni, &err), TTS_OK);
    assert_int_equal(ni, n);
    for (size_t i = 0; i < ni; i++)
        if (strcmp(info[i].source, source) == 0) {
            assert_string_equal(info[i].kind, kind);
            assert_string_equal(info[i].severity, sev);
            assert_string_equal(info[i].dated_by, "imported");
        }
    tts_list_info_free(info, ni);
    tts_list_status_free(st, n);
}

static void test_kinds_defaults_given_and_kept(void **state)
{
    tts_lists *l = open_mem();
    tts_import_opts o = {sizeof(o), "sanctions", "EU", "critical", NULL, NULL};
    tts_import_opts sev = {sizeof(sev), NULL, NULL, "medium", NULL, NULL};
    (void)state;
    import_ok(l, "ofac-sdn", "sdn-csv", NULL, "lists/ofac-sdn-2025-sample/sdn.csv", NULL, NULL);
    import_ok(l, "jp-eul", "ttscreen-csv", NULL, "lists/jp-eul.csv", NULL, NULL);
    import_ok(l, "internal", "ttscreen-csv", NULL, "lists/us-1260h.csv", NULL, NULL);
    import_ok(l, "sdn-copy", "sdn-csv", NULL, "lists/ofac-sdn-2025-sample/sdn.csv", NULL, NULL);
    import_ok(l, "dpl-copy", "dpl-tsv", NULL, "lists/dpl-2019-06-head.txt", NULL, NULL);
    import_ok(l, "eu-fsf", "ttscreen-csv", &o, "lists/us-uflpa.csv", NULL, NULL);
    assert_meta(l, "ofac-sdn", "sanctions", "US", "critical");
    assert_meta(l, "jp-eul", "end-user-concern", "JP", "high");
    assert_meta(l, "internal", "watch-list", "internal", "high");
    assert_meta(l, "sdn-copy", "sanctions", "US", "critical");
    assert_meta(l, "dpl-copy", "restricted-party", "US", "critical");
    assert_meta(l, "eu-fsf", "sanctions", "EU", "critical");
    /* a re-import keeps what is stored unless told otherwise, field by field */
    import_ok(l, "eu-fsf", "ttscreen-csv", NULL, "lists/us-uflpa.csv", NULL, NULL);
    assert_meta(l, "eu-fsf", "sanctions", "EU", "critical");
    import_ok(l, "eu-fsf", "ttscreen-csv", &sev, "lists/us-uflpa.csv", NULL, NULL);
    assert_meta(l, "eu-fsf", "sanctions", "EU", "medium");
    tts_lists_close(l);
    {
        /* a stored value this build does not know reads as the default, never below medium */
        const char *k, *j, *v;
        tts_listmeta_resolve("x", "ttscreen-csv", NULL, NULL, NULL, "bogus", NULL, "low", &k,
                             &j, &v);
        assert_string_equal(k, "watch-list");
        assert_string_equal(j, "internal");
        assert_string_equal(v, "high");
        tts_listmeta_resolve("x", "ttscreen-csv", "other", NULL, NULL, NULL, NULL, NULL, &k, &j,
                             &v);
        assert_string_equal(k, "other");
        assert_null(j);
        assert_string_equal(v, "high");
    }
}

static void test_bad_values_rejected_before_anything_is_written(void **state)
{
    static const struct {
        tts_import_opts o;
        const char *message;
    } rows[] = {
        {{sizeof(tts_import_opts), "sanction", NULL, NULL, NULL, NULL}, "unknown list kind 'sanction'"},
        {{sizeof(tts_import_opts), NULL, NULL, "low", NULL, NULL}, "list severity must be critical, high or medium"},
        {{sizeof(tts_import_opts), NULL, NULL, "info", NULL, NULL}, "list severity must be"},
        {{sizeof(tts_import_opts), NULL, "U S", NULL, NULL, NULL}, "list jurisdiction must be"},
        {{sizeof(tts_import_opts), NULL, "", NULL, NULL, NULL}, "list jurisdiction must be"},
    };
    tts_lists *l = open_mem();
    tts_list_status *st = NULL;
    size_t n = 0;
    tts_error err;
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (import(l, "x", "ttscreen-csv", &rows[i].o, &err, "lists/jp-eul.csv", NULL, NULL) !=
            TTS_ERR_ARG)
            fail_msg("row %zu imported", i);
        if (strstr(err.message, rows[i].message) == NULL || strchr(err.message, '\n') != NULL)
            fail_msg("row %zu: '%s' lacks '%s'", i, err.message, rows[i].message);
    }
    assert_int_equal(tts_lists_status(l, &st, &n, &err), TTS_OK);
    assert_int_equal(n, 0);
    tts_list_status_free(st, n);
    tts_lists_close(l);
}

/* The first match of name on source. */
static tts_match *lookup(tts_lists *l, const char *name, const char *source, size_t *n)
{
    tts_match *m = NULL;
    const char *only[1];
    tts_error err;
    tts_error_clear(&err);
    only[0] = source;
    assert_int_equal(tts_lists_lookup(l, name, NULL, only, 1, 0.85, &m, n, &err), TTS_OK);
    if (*n == 0)
        fail_msg("no match for %s on %s", name, source);
    return m;
}

static void assert_match(tts_lists *l, const char *name, const char *source, const char *type,
                         const char *kind, const char *sev)
{
    size_t n = 0;
    tts_match *m = lookup(l, name, source, &n);
    if (type == NULL)
        assert_null(m[0].entry_type);
    else
        assert_string_equal(m[0].entry_type, type);
    assert_string_equal(m[0].kind, kind);
    assert_string_equal(m[0].severity, sev);
    assert_non_null(m[0].entry_sha256);
    tts_matches_free(m, n);
}

static void test_matches_carry_entry_type_kind_and_severity(void **state)
{
    tts_lists *l = open_mem();
    tts_import_opts crit = {sizeof(crit), "sanctions", NULL, "critical", NULL, NULL};
    tts_search_opts so;
    tts_search_result *r = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    import_ok(l, "ofac-sdn", "sdn-csv", NULL, "lists/ofac-sdn-2025-sample/sdn.csv", NULL, NULL);
    import_ok(l, "us-csl", "csl-csv", NULL, "lists/csl-2025-sample.csv", NULL, NULL);
    import_ok(l, "us-dpl", "dpl-tsv", NULL, "lists/dpl-2019-06-head.txt", NULL, NULL);
    import_ok(l, "internal", "ttscreen-csv", NULL, "lists/jp-eul.csv", NULL, NULL);
    import_ok(l, "mine", "ttscreen-csv", &crit, "lists/us-1260h.csv", NULL, NULL);
    assert_match(l, "MORENO, Daniel", "ofac-sdn", "person", "sanctions", "critical");
    assert_match(l, "NS LEADER", "ofac-sdn", "vessel", "sanctions", "critical");
    assert_match(l, "EP-PUS", "ofac-sdn", "aircraft", "sanctions", "critical");
    assert_match(l, "SUEX OTC, S.R.O.", "ofac-sdn", "organisation", "sanctions", "critical");
    assert_match(l, "Evren KAYAKIRAN", "us-csl", "person", "restricted-party", "critical");
    assert_match(l, "SME BANK", "us-csl", "organisation", "restricted-party", "critical");
    assert_match(l, "Atlas Sanatgaran", "us-csl", NULL, "restricted-party", "critical");
    assert_match(l, "ADRIAN MANUEL HERNANDEZ", "us-dpl", NULL, "restricted-party", "critical");
    assert_match(l, "China Academy of Engineering Physics", "internal", NULL, "watch-list",
                 "high");
    assert_match(l, "CATL", "mine", NULL, "sanctions", "critical");
    /* search hits carry the entry type too */
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.threshold = 0.9;
    assert_int_equal(tts_lists_search(l, "NS LEADER", &so, &r, &err), TTS_OK);
    assert_true(r->n >= 1);
    assert_string_equal(r->hits[0].entry_type, "vessel");
    tts_search_result_free(r);
    tts_lists_close(l);
}

static tts_match *ident(tts_lists *l, const char *value, size_t *n)
{
    tts_match *m = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_lookup_ident(l, "any", value, &m, n, &err), TTS_OK);
    return m;
}

/* value finds entry_id of source (among n_want hits), matched as the list writes it. */
static void assert_ident(tts_lists *l, const char *value, size_t n_want, const char *source,
                         const char *entry_id, const char *matched)
{
    size_t n = 0, k;
    tts_match *m = ident(l, value, &n);
    if (n != n_want)
        fail_msg("'%s': %zu hits, expected %zu", value, n, n_want);
    for (k = 0; k < n && strcmp(m[k].source, source) != 0; k++)
        ;
    if (k == n)
        fail_msg("'%s': no hit on %s", value, source);
    assert_string_equal(m[k].entry_id, entry_id);
    assert_string_equal(m[k].matched, matched);
    assert_true(m[k].score == 1.0);
    assert_non_null(m[k].name);
    assert_non_null(m[k].entry_sha256);
    assert_non_null(m[k].kind);
    assert_non_null(m[k].severity);
    tts_matches_free(m, n);
}

static void assert_no_ident(tts_lists *l, const char *value)
{
    size_t n = 7;
    tts_match *m = ident(l, value, &n);
    if (n != 0)
        fail_msg("'%s': %zu hits (%s), expected none", value, n, m[0].matched);
    assert_null(m);
}

static void test_lookup_ident_whole_identifiers(void **state)
{
    tts_lists *l = open_mem();
    size_t n = 0;
    tts_match *m;
    (void)state;
    import_ok(l, "ofac-sdn", "sdn-csv", NULL, "lists/ofac-sdn-2025-sample/sdn.csv", NULL, NULL);
    import_ok(l, "us-csl", "csl-csv", NULL, "lists/csl-2025-sample.csv", NULL, NULL);
    /* CSL ids column: "Passport, U00242309, TR" */
    assert_ident(l, "U00242309", 1, "us-csl", "26182", "U00242309");
    /* punctuation and case do not matter */
    assert_ident(l, "che267936404", 2, "us-csl", "28603", "CHE-267.936.404");
    assert_ident(l, "CHE 267 936 404", 2, "ofac-sdn", "28603", "CHE-267.936.404");
    /* SDN remarks: "Passport P0017003 (Belize); SSN 561-77-9011 (United States)" */
    assert_ident(l, "561 77 9011", 1, "ofac-sdn", "10278", "561-77-9011");
    assert_ident(l, "p0017003", 1, "ofac-sdn", "10278", "P0017003");
    /* "Vessel Registration Identification IMO 9313149": with or without its label */
    assert_ident(l, "9313149", 1, "ofac-sdn", "52327", "9313149");
    assert_ident(l, "IMO 9313149", 1, "ofac-sdn", "52327", "IMO 9313149");
    /* misses: part of an identifier, a longer one, unknown, too short */
    assert_no_ident(l, "U0024230");
    assert_no_ident(l, "U002423091");
    assert_no_ident(l, "999999999");
    assert_no_ident(l, "KP");
    assert_no_ident(l, "");
    m = ident(l, "RUDVRUMM", &n); /* "SWIFT/BIC, RUDVRUMM" */
    assert_int_equal(n, 1);
    assert_string_equal(m[0].name, "SME BANK");
    assert_string_equal(m[0].entry_type, "organisation");
    assert_string_equal(m[0].kind, "restricted-party");
    tts_matches_free(m, n);
    tts_lists_close(l);
}

/* The best hit of name on list with the party's identifier scheme:value (threshold 0.7). */
static tts_search_result *search_ids(tts_lists *l, const char *name, const char *scheme,
                                     const char *value)
{
    const char *sch[1] = {scheme}, *val[1] = {value};
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = 0.7;
    o.id_schemes = sch;
    o.id_values = val;
    o.n_ids = scheme != NULL ? 1 : 0;
    if (tts_lists_search(l, name, &o, &r, &err) != TTS_OK)
        fail_msg("%s: %s", name, err.message);
    return r;
}

/*
 * A party's identifiers qualify a name's score: the same LEI is decisive
 * (1), another LEI lowers by TTS_IDENT_PENALTY, a different DUNS or a value
 * not of the scheme's shape changes nothing; the LEI is read from OFAC's
 * remarks continued in sdn_comments.csv.
 */
static void test_search_identifiers_qualify_scores(void **state)
{
    tts_lists *l = open_mem();
    const char *files[4];
    char p[4][512];
    const char *in[4] = {"lists/ofac-sdn-2025-sample/sdn.csv", "lists/ofac-sdn-2025-sample/alt.csv",
                         "lists/ofac-sdn-2025-sample/add.csv",
                         "lists/ofac-sdn-2025-sample/sdn_comments.csv"};
    const char *lei = "5299007NTWCC3U23WM81";
    tts_search_result *r;
    tts_error err;
    double plain;
    (void)state;
    for (int i = 0; i < 4; i++) {
        snprintf(p[i], sizeof(p[i]), "%s", tts_test_fixture(in[i]));
        files[i] = p[i];
    }
    tts_error_clear(&err);
    assert_int_equal(tts_lists_import_with(l, "ofac-sdn", "sdn-csv", files, 4,
                                           "2026-01-01T00:00:00Z", NULL, NULL, &err),
                     TTS_OK);
    r = search_ids(l, "SUEX OTK", NULL, NULL);
    assert_true(r->n >= 1);
    assert_string_equal(r->hits[0].entry_id, "33151");
    plain = r->hits[0].score;
    assert_true(plain < 1.0 && plain >= 0.85);
    assert_true(r->hits[0].ident_delta == 0.0);
    tts_search_result_free(r);
    /* the same LEI, written with spaces and in lower case */
    r = search_ids(l, "SUEX OTK", "lei", "5299 007n twcc 3u23 wm81");
    assert_true(r->hits[0].score == 1.0);
    assert_true(fabs(r->hits[0].ident_delta - (1.0 - plain)) < 1e-9);
    tts_search_result_free(r);
    r = search_ids(l, "SUEX OTK", "lei", "5493001KJTIIGC8Y1R12");
    assert_true(fabs(r->hits[0].score - (plain - TTS_IDENT_PENALTY)) < 1e-9);
    assert_true(fabs(r->hits[0].ident_delta + TTS_IDENT_PENALTY) < 1e-9);
    tts_search_result_free(r);
    r = search_ids(l, "SUEX OTK", "duns", "123456789"); /* no DUNS listed; DUNS number sites */
    assert_true(r->hits[0].score == plain);
    tts_search_result_free(r);
    r = search_ids(l, "SUEX OTK", "lei", "12345"); /* not an LEI: nothing to compare */
    assert_true(r->hits[0].score == plain);
    tts_search_result_free(r);
    r = search_ids(l, "SUEX OTK", "cn-uscc", lei); /* another scheme's value */
    assert_true(r->hits[0].score == plain);
    tts_search_result_free(r);
    tts_lists_close(l);
}

/* Out of memory at each allocation of an identifier lookup in turn: NOMEM, nothing leaked. */
static void test_lookup_ident_out_of_memory(void **state)
{
    tts_status rc = TTS_ERR_NOMEM;
    unsigned long n;
    (void)state;
    for (n = 1; rc == TTS_ERR_NOMEM && n < 100000; n++) {
        tts_lists *l = open_mem();
        tts_match *m = NULL;
        size_t nm = 0;
        tts_error err;
        import_ok(l, "us-csl", "csl-csv", NULL, "lists/csl-2025-sample.csv", NULL, NULL);
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_lists_lookup_ident(l, "passport", "CHE-267.936.404", &m, &nm, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK) {
            assert_int_equal(nm, 1);
            tts_matches_free(m, nm);
        } else if (rc != TTS_ERR_NOMEM) {
            fail_msg("allocation %lu: status %d: %s", n, (int)rc, err.message);
        } else {
            assert_null(m);
            assert_int_equal(nm, 0);
        }
        tts_lists_close(l);
    }
    assert_int_equal(rc, TTS_OK);
    assert_true(n > 2);
}

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The 2019 SDN (7,379 entries): the first lookup builds the index, the rest are fast. */
static void test_lookup_ident_cost_on_sdn_2019(void **state)
{
    static const char *const values[] = {"16247821", "800146749-7", "AIMM67125HCHRRG06",
                                         "IMO 9187629", "no-such-id-123", "22095919778"};
    tts_lists *l = open_mem();
    double t0, t1, t2;
    size_t n = 0, hits = 0, calls = 0;
    tts_match *m;
    (void)state;
    import_ok(l, "ofac-sdn", "sdn-csv", NULL, "lists/ofac-sdn-2019-01/sdn.csv",
              "lists/ofac-sdn-2019-01/alt.csv", "lists/ofac-sdn-2019-01/add.csv");
    t0 = now_ms();
    m = ident(l, "16247821", &n);
    tts_matches_free(m, n);
    t1 = now_ms();
    for (int r = 0; r < 200; r++)
        for (size_t i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
            m = ident(l, values[i], &n);
            hits += n;
            calls++;
            tts_matches_free(m, n);
        }
    t2 = now_ms();
    {
        tts_identidx *x = NULL;
        tts_error err;
        tts_error_clear(&err);
        assert_int_equal(tts_identidx_build(tts_listdb_store(l), &x, &err), TTS_OK);
        print_message("# lookup_ident, 2019 SDN: first call %.1f ms (builds the index: %zu "
                      "identifiers, %zu KiB), then %.4f ms per call (%zu calls, %zu hits)\n",
                      t1 - t0, tts_identidx_count(x), tts_identidx_memory(x) / 1024,
                      (t2 - t1) / (double)calls, calls, hits);
        tts_identidx_free(x);
    }
    assert_true(hits >= 5 * 200);
    tts_lists_close(l);
}

static void test_http_date(void **state)
{
    char out[21];
    (void)state;
    assert_true(tts_listmeta_http_date("Wed, 01 Jan 2025 00:00:00 GMT", out));
    assert_string_equal(out, "2025-01-01T00:00:00Z");
    assert_true(tts_listmeta_http_date("Tue, 15 Jan 2019 17:03:09 GMT", out));
    assert_string_equal(out, "2019-01-15T17:03:09Z");
    assert_false(tts_listmeta_http_date("Wednesday, 01-Jan-25 00:00:00 GMT", out));
    assert_false(tts_listmeta_http_date("Wed, 01 Foo 2025 00:00:00 GMT", out));
    assert_false(tts_listmeta_http_date("Wed, 01 Jan 2025 00:00:00 CET", out));
    assert_false(tts_listmeta_http_date("", out));
    assert_false(tts_listmeta_http_date(NULL, out));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_type_normalisation),
        cmocka_unit_test(test_kinds_defaults_given_and_kept),
        cmocka_unit_test(test_bad_values_rejected_before_anything_is_written),
        cmocka_unit_test(test_matches_carry_entry_type_kind_and_severity),
        cmocka_unit_test(test_lookup_ident_whole_identifiers),
        cmocka_unit_test(test_lookup_ident_cost_on_sdn_2019),
        cmocka_unit_test(test_lookup_ident_out_of_memory),
        cmocka_unit_test(test_search_identifiers_qualify_scores),
        cmocka_unit_test(test_http_date),
    };
    return cmocka_run_group_tests_name("listmeta", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
