/* SPDX-License-Identifier: MIT */
/*
 * Importers on real published files (CSL current and older header, OFAC
 * SDN with alt/add in any order, BIS DPL, ttscreen-csv), the searches they
 * make possible (aliases, countries, Chinese and full-width names), the
 * report summary, and malformed files that must be rejected with file and
 * line while the previous version stays in place.
 */
#include <stdio.h>
#include <string.h>

#include "helpers.h"
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

static void import_ok(tts_lists *l, const char *source, const char *format, const char *f1,
                      const char *f2, const char *f3, long entries, long aliases)
{
    char p[3][512];
    const char *files[3];
    size_t n = 0;
    tts_import_result res;
    tts_error err;
    tts_error_clear(&err);
    const char *in[3] = {f1, f2, f3};
    for (int i = 0; i < 3; i++)
        if (in[i] != NULL) {
            snprintf(p[n], sizeof(p[n]), "%s", tts_test_fixture(in[i]));
            files[n] = p[n];
            n++;
        }
    if (tts_lists_import(l, source, format, files, n, "2026-01-01T00:00:00Z", &res, &err) != TTS_OK)
        fail_msg("%s: %s", source, err.message);
    assert_int_equal(res.entries, entries);
    assert_int_equal(res.aliases, aliases);
    assert_int_equal(strlen(res.sha256), 64);
}

static tts_search_result *find(tts_lists *l, const char *q, const char *country)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = TTS_LISTS_THRESHOLD;
    o.country = country;
    assert_int_equal(tts_lists_search(l, q, &o, &r, &err), TTS_OK);
    return r;
}

static void test_sdn_files_in_any_order(void **state)
{
    tts_lists *l = open_mem();
    tts_search_result *r;
    (void)state;
    import_ok(l, "ofac-sdn", "sdn-csv", "lists/ofac-sdn-2025-sample/add.csv",
              "lists/ofac-sdn-2025-sample/sdn.csv", "lists/ofac-sdn-2025-sample/alt.csv", 17, 13);
    import_ok(l, "ofac-sdn", "sdn-csv", "lists/ofac-sdn-2019-01/sdn.csv",
              "lists/ofac-sdn-2019-01/alt.csv", "lists/ofac-sdn-2019-01/add.csv", 7379, 9682);
    r = find(l, "National Bank of Cuba", NULL);
    assert_true(r->n >= 1);
    assert_string_equal(r->hits[0].entry_id, "306");
    assert_string_equal(r->hits[0].name, "BANCO NACIONAL DE CUBA");
    assert_string_equal(r->hits[0].name_kind, "aka");
    assert_non_null(strstr(r->hits[0].country, "CH"));
    assert_string_equal(r->hits[0].programs, "CUBA");
    tts_search_result_free(r);
    tts_lists_close(l);
}

static void test_csl_current_and_older_headers(void **state)
{
    tts_lists *l = open_mem();
    tts_search_result *r;
    (void)state;
    import_ok(l, "us-csl", "csl-csv", "lists/csl-2025-sample.csv", NULL, NULL, 13, 15);
    r = find(l, "Atlas Sanatgaran", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].entry_id, "1b5979e8fd3920a1a0985bf5088dad930a6a5562d1513f9e4b015e42");
    assert_string_equal(r->hits[0].country, "AM");
    tts_search_result_free(r);
    /* Same name, another country: qualified, still listed, lower. */
    r = find(l, "Atlas Sanatgaran", "CN");
    assert_int_equal(r->n, 1);
    assert_true(r->hits[0].score < 1.0);
    tts_search_result_free(r);
    import_ok(l, "us-csl-2019", "csl-csv", "lists/csl-2019-12-sample.csv", NULL, NULL, 115, 161);
    r = find(l, "2904977 Canada Inc", NULL);
    assert_true(r->n >= 1);
    assert_string_equal(r->hits[0].source, "us-csl-2019");
    assert_string_equal(r->hits[0].entry_id, "SDN-8124");
    tts_search_result_free(r);
    tts_lists_close(l);
}

/* Entry id and content hash of the best match for name in source. */
static void lookup_one(tts_lists *l, const char *source, const char *name, char id[160],
                       char sha[65])
{
    const char *only[1] = {source};
    tts_match *m = NULL;
    size_t n = 0;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_lookup(l, name, NULL, only, 1, 0.99, &m, &n, &err), TTS_OK);
    if (n < 1)
        fail_msg("%s: no match for '%s'", source, name);
    snprintf(id, 160, "%s", m[0].entry_id);
    snprintf(sha, 65, "%s", m[0].entry_sha256 != NULL ? m[0].entry_sha256 : "");
    tts_matches_free(m, n);
}

/*
 * The CSL as JSON stores exactly what the CSL as CSV stores: same ids,
 * names, aliases, countries, programs, addresses, ids, dates and sub-list
 * (the entry content hash covers them all).
 */
static void test_csl_json_same_rows_as_csl_csv(void **state)
{
    static const char *const names[] = {
        "Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof",
        "Atlas Sanatgaran",
        "Academy of Aerospace Solid Propulsion Technology (AASPT)",
        "Mohammed ABU JHEISHEH",
        "RIM, Ryong Nam",
        "Cesareo Estanislao Benitez",
        "I. ASH",
        "ROSNEFT TRADE LIMITED",
        "Evren KAYAKIRAN",
        "Fathi Mohammed QAR'AWI",
        "TNK Trading International S.A.",
        "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
        "SME BANK",
    };
    tts_lists *l = open_mem(), *lc = open_mem();
    tts_search_result *r;
    (void)state;
    /* same source name in two databases: the content hashes must agree */
    import_ok(lc, "us-csl", "csl-csv", "lists/csl-2025-sample.csv", NULL, NULL, 13, 15);
    import_ok(l, "us-csl", "csl-json", "lists/csl-2025-sample.json", NULL, NULL, 13, 15);
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        char id1[160], id2[160], sha1[65], sha2[65];
        lookup_one(lc, "us-csl", names[i], id1, sha1);
        lookup_one(l, "us-csl", names[i], id2, sha2);
        assert_string_equal(id1, id2);
        assert_int_equal(strlen(sha1), 64);
        if (strcmp(sha1, sha2) != 0)
            fail_msg("%s: csl-json entry differs from csl-csv", names[i]);
    }
    /* an alias, the countries of a person, the programs of an entity */
    r = find(l, "JSC RUSSIAN BANK FOR SMALL AND MEDIUM ENTERPRISES SUPPORT", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].entry_id, "18283");
    assert_string_equal(r->hits[0].name_kind, "aka");
    tts_search_result_free(r);
    r = find(l, "Ryong Nam Rim", NULL);
    assert_true(r->n >= 1);
    assert_string_equal(r->hits[0].country, "CN;KP");
    tts_search_result_free(r);
    /* the API response shape: total and sources before results, nulls, empty arrays */
    import_ok(l, "api", "csl-json", "lists/csl-api-sample.json", NULL, NULL, 1, 1);
    r = find(l, "KHATIB, Seyed Esmaeil", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].entry_id, "SDN-39017");
    assert_string_equal(r->hits[0].country, "IR");
    assert_string_equal(r->hits[0].programs, "IFSR; CYBER2; IRAN-HR");
    tts_search_result_free(r);
    tts_lists_close(l);
    tts_lists_close(lc);
}

static void test_dpl_and_ttscreen_csv(void **state)
{
    tts_lists *l = open_mem();
    tts_search_result *r;
    tts_list_info *info = NULL;
    size_t n = 0;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    import_ok(l, "us-dpl", "dpl-tsv", "lists/dpl-2019-06.txt", NULL, NULL, 546, 0);
    import_ok(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", NULL, NULL, 1, 3);
    import_ok(l, "jp-eul", "ttscreen-csv", "lists/jp-eul.csv", NULL, NULL, 1, 1);
    r = find(l, "ＣＡＴＬ", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].source, "us-1260h");
    tts_search_result_free(r);
    r = find(l, "寧德時代新能源科技股份有限公司", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].entry_id, "2025-catl");
    tts_search_result_free(r);
    r = find(l, "中国工程物理研究院", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].source, "jp-eul");
    tts_search_result_free(r);
    r = find(l, "Adrian Manuel Hernandez", NULL);
    assert_int_equal(r->n, 1);
    assert_string_equal(r->hits[0].source, "us-dpl");
    tts_search_result_free(r);
    assert_int_equal(tts_lists_info(l, &info, &n, &err), TTS_OK);
    assert_int_equal(n, 3);
    assert_string_equal(info[0].source, "jp-eul");
    assert_int_equal(info[2].entries, 546);
    assert_string_equal(info[1].imported_at, "2026-01-01T00:00:00Z");
    assert_null(info[1].fetched_at);
    assert_int_equal(strlen(info[1].sha256), 64);
    tts_list_info_free(info, n);
    tts_lists_close(l);
}

static void test_lookup_callback_fills_matches(void **state)
{
    tts_lists *l = open_mem();
    tts_lookup_fn fn = tts_lists_lookup;
    tts_match *m = NULL;
    size_t n = 0;
    const char *only[] = {"us-1260h"}, *other[] = {"jp-eul"};
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    import_ok(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", NULL, NULL, 1, 3);
    import_ok(l, "jp-eul", "ttscreen-csv", "lists/jp-eul.csv", NULL, NULL, 1, 1);
    assert_int_equal(fn(l, "Contemporary Amperex Technology Co., Ltd.", "CN", only, 1, 0.85, &m,
                        &n, &err),
                     TTS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(m[0].source, "us-1260h");
    assert_string_equal(m[0].entry_id, "2025-catl");
    assert_string_equal(m[0].name, "Contemporary Amperex Technology Co., Limited");
    assert_true(m[0].score >= 0.95);
    /* the entry's content hash, which a reviewer's clearance is tied to */
    assert_non_null(m[0].entry_sha256);
    assert_int_equal(strlen(m[0].entry_sha256), 64);
    assert_null(m[0].sublist); /* not a CSL entry */
    tts_matches_free(m, n);
    assert_int_equal(fn(l, "CATL", NULL, other, 1, 0.85, &m, &n, &err), TTS_OK);
    assert_int_equal(n, 0);
    assert_null(m);
    tts_lists_close(l);
}

/* A current CSL file gives opaque entry ids: the sub-list comes from its
 * "source" column, for the rules to tell Entity List hits from others. */
static void test_lookup_names_csl_sublist(void **state)
{
    tts_lists *l = open_mem();
    tts_match *m = NULL;
    size_t n = 0;
    const char *csl[] = {"us-csl"};
    /* each with the citation data/list-citations.tsv gives it ("" when none) */
    static const struct {
        const char *query, *sublist, *citation;
    } cases[] = {
        {"Atlas Sanatgaran", "UVL", ""},
        {"Academy of Aerospace Solid Propulsion Technology (AASPT)", "MEU",
         "15 CFR 744.21, Supp. No. 7 to Part 744 (Military End-User List)"},
        {"Hebei Semiconductor Research Institute", "EL",
         "15 CFR 744.11 and 744.16, Supp. No. 4 to Part 744 (Entity List)"},
        {"I. ASH", "DPL", "15 CFR Part 764 and Part 766 (denial orders); BIS Denied Persons List"},
        /* the list name ends in "(CETC 13)": the name without it matches in full */
        {"China Electronics Technology Group Corporation 13th Research Institute", "EL",
         "15 CFR 744.11 and 744.16, Supp. No. 4 to Part 744 (Entity List)"},
        /* an SDN entry: its programme (NPWMD) is carried and chooses the citation */
        {"RIM, Ryong Nam", "SDN",
         "IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 544 (Weapons of Mass Destruction "
         "Proliferators Sanctions Regulations, E.O. 13382) [NPWMD]"},
    };
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    import_ok(l, "us-csl", "csl-csv", "lists/csl-2025-sample.csv", NULL, NULL, 13, 15);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        assert_int_equal(tts_lists_lookup(l, cases[i].query, NULL, csl, 1, 0.85, &m, &n, &err),
                         TTS_OK);
        assert_true(n >= 1);
        assert_non_null(m[0].sublist);
        assert_string_equal(m[0].sublist, cases[i].sublist);
        assert_string_equal(m[0].citation != NULL ? m[0].citation : "", cases[i].citation);
        if (strcmp(cases[i].sublist, "SDN") == 0)
            assert_string_equal(m[0].programs, "NPWMD");
        assert_null(strchr(m[0].entry_id, '-')); /* the opaque _id, no code in it */
        assert_true(m[0].score >= 0.99);
        tts_matches_free(m, n);
    }
    tts_lists_close(l);
}

typedef struct bad_case {
    const char *file, *format, *message;
} bad_case;

static void test_malformed_files_keep_previous_version(void **state)
{
    static const bad_case cases[] = {
        {"lists/bad/unterminated-quote.csv", "ttscreen-csv", "unterminated-quote.csv:2: unterminated quoted field"},
        {"lists/bad/wrong-columns.csv", "ttscreen-csv", "wrong-columns.csv:3: expected 7 columns, found 3"},
        {"lists/bad/invalid-utf8.csv", "ttscreen-csv", "invalid-utf8.csv:2:7: invalid UTF-8"},
        {"lists/bad/long-name.csv", "ttscreen-csv",
         "long-name.csv:3: name of 4320 bytes is longer than the limit of 4096 bytes"},
        {"lists/bad/many-words.csv", "ttscreen-csv",
         "many-words.csv:3: name has more than 64 words once transliterated (TTS_NAME_MAX_WORDS)"},
        {"lists/bad/empty.csv", "ttscreen-csv", "empty.csv: empty list file"},
        {"lists/bad/header-only.csv", "ttscreen-csv", "header-only.csv: no entries"},
        {"lists/bad/wrong-header.csv", "ttscreen-csv", "wrong-header.csv:1:"},
        {"lists/us-1260h.csv", "csl-csv", "no 'source' and 'name' columns"},
        {"lists/us-1260h.csv", "sdn-csv", "not an OFAC sdn.csv"},
        {"lists/us-1260h.csv", "dpl-tsv", "not a BIS Denied Persons List"},
        {"lists/us-1260h.csv", "xlsx", "unknown list format"},
        {"lists/no-such-file.csv", "ttscreen-csv", "cannot open"},
        {"lists/us-1260h.csv", "csl-json", "us-1260h.csv:1:1: $: expected an object with a \"results\" array, or an array"},
        {"lists/bad/csl-truncated.json", "csl-json", "csl-truncated.json:5:1: results[1]: invalid JSON: "},
        {"lists/bad/csl-wrong-type.json", "csl-json", "csl-wrong-type.json:3:3: results[1].programs[0]: expected a string, found a number"},
        {"lists/bad/csl-no-name.json", "csl-json", "csl-no-name.json:3:3: results[1].name: entry without a name"},
        {"lists/bad/csl-no-results.json", "csl-json", "csl-no-results.json:1:75: $: no \"results\" array"},
        {"lists/bad/csl-not-object.json", "csl-json", "results[1]: expected an object, found a string"},
        {"lists/bad/csl-trailing-comma.json", "csl-json", "csl-trailing-comma.json:3:1: results[1]: invalid JSON"},
        {"lists/bad/csl-duplicate-key.json", "csl-json", "results[0]: invalid JSON: duplicate object key"},
        {"lists/bad/csl-empty-results.json", "csl-json", "csl-empty-results.json: no entries"},
        {"lists/bad/csl-invalid-utf8.json", "csl-json", "csl-invalid-utf8.json:2:31: invalid UTF-8"},
        {"lists/bad/csl-two-documents.json", "csl-json", "csl-two-documents.json:4:1: invalid JSON: text after the end"},
        {"lists/bad/nul-name.csv", "ttscreen-csv", "nul-name.csv:2:9: NUL byte"},
        {"lists/bad/nul-name.csv", "csl-csv", "nul-name.csv:2:9: NUL byte"},
        {"lists/bad/nul-name.csv", "dpl-tsv", "nul-name.csv:2:9: NUL byte"},
        {"lists/bad/nul-name.csv", "sdn-csv", "nul-name.csv:2:9: NUL byte"},
        {"lists/bad/nul-name.csv", "csl-json", "nul-name.csv:2:9: NUL byte"},
        {"lists/bad/duplicate-id.csv", "ttscreen-csv", "duplicate-id.csv:3: duplicate entry id \"x-1\""},
        {"lists/bad/unknown-country.csv", "ttscreen-csv", "unknown-country.csv:2: unknown country \"XX\""},
        {"lists/bad/impossible-date.csv", "ttscreen-csv", "impossible-date.csv:2: listed_on is not a date"},
        {"lists/bad/dpl-impossible-date.txt", "dpl-tsv", "dpl-impossible-date.txt:2: Effective_Date is not a date"},
    };
    tts_lists *l = open_mem();
    (void)state;
    import_ok(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", NULL, NULL, 1, 3);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char p[512];
        const char *files[1];
        tts_error err;
        tts_search_result *r;
        tts_error_clear(&err);
        snprintf(p, sizeof(p), "%s", tts_test_fixture(cases[i].file));
        files[0] = p;
        if (tts_lists_import(l, "us-1260h", cases[i].format, files, 1, "2026-02-02T00:00:00Z",
                             NULL, &err) == TTS_OK)
            fail_msg("row %zu: %s imported", i, cases[i].file);
        if (strstr(err.message, cases[i].message) == NULL)
            fail_msg("row %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
        r = find(l, "CATL", NULL);
        assert_int_equal(r->n, 1);
        tts_search_result_free(r);
    }
    tts_lists_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sdn_files_in_any_order),
        cmocka_unit_test(test_csl_current_and_older_headers),
        cmocka_unit_test(test_csl_json_same_rows_as_csl_csv),
        cmocka_unit_test(test_dpl_and_ttscreen_csv),
        cmocka_unit_test(test_lookup_callback_fills_matches),
        cmocka_unit_test(test_lookup_names_csl_sublist),
        cmocka_unit_test(test_malformed_files_keep_previous_version),
    };
    return cmocka_run_group_tests_name("import", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
