/* SPDX-License-Identifier: MIT */
/* Unit tests: report rendering (json, jsonl, text), verdicts and findings order. */
#include "helpers.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "rules/findings.h"
#include "ttscreen.h"

static const char record_json[] =
    "{\"format\":\"ttscreen-record/1\",\"id\":\"r-1\",\"title\":\"T \\\"q\\\"\",\"kind\":\"supply\","
    "\"screened_for\":\"a\",\"zz\":[1,{\"b\":2,\"a\":1}],"
    "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"JP\",\"type\":\"company\"}]}";

typedef struct fixture {
    tts_record *rec;
    tts_rules *rules;
    char dir[64];
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    tts_error err;
    tts_test_use_cmocka_allocator(state);
    tts_error_clear(&err);
    strcpy(fx->dir, "/tmp/tts-report-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    assert_int_equal(tts_record_parse(record_json, strlen(record_json), "r.json", &fx->rec, &err),
                     TTS_OK);
    assert_int_equal(tts_rules_load_dir(fx->dir, NULL, &fx->rules, &err), TTS_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    tts_record_free(fx->rec);
    tts_rules_free(fx->rules);
    rmdir(fx->dir);
    free(fx);
    tts_test_use_default_allocator(state);
    return 0;
}

static void add_finding(tts_findings *f, const char *rule, tts_severity sev, const char *subject)
{
    tts_finding *x = tts_findings_add(f);
    assert_non_null(x);
    x->rule = tts_strdup(rule);
    x->severity = sev;
    x->title = tts_strdup("Title");
    x->citation = tts_strdup("FEFTA Art. 25(1)");
    x->message = tts_strdup("A \"quoted\" message");
    x->subject = tts_strdup(subject);
    x->evidence = tts_calloc(1, sizeof(char *));
    x->evidence[0] = tts_strdup("$.parties[0].country = \"JP\"");
    x->n_evidence = 1;
}

static char *render(fixture *fx, const tts_findings *f, tts_format fmt)
{
    tts_report_input in;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    memset(&in, 0, sizeof(in));
    in.size = sizeof(in);
    in.tool_version = "9.9";
    in.generated_at = "2026-01-01T00:00:00Z";
    in.as_of = "2025-12-31";
    in.record = fx->rec;
    in.rules = fx->rules;
    in.findings = f;
    tts_error_clear(&err);
    assert_int_equal(tts_report_render(&in, fmt, &out, &len, &err), TTS_OK);
    assert_int_equal(strlen(out), len);
    return out;
}

static void test_record_sha256_is_over_sorted_compact_json(void **state)
{
    fixture *fx = *state;
    size_t len = 0;
    const char *canon = tts_record_canonical(fx->rec, &len);
    char sha[65];
    tts_error err;
    tts_error_clear(&err);
    assert_string_equal(canon,
                        "{\"format\":\"ttscreen-record/1\",\"id\":\"r-1\",\"kind\":\"supply\","
                        "\"parties\":[{\"country\":\"JP\",\"id\":\"a\",\"name\":\"A\",\"type\":"
                        "\"company\"}],\"screened_for\":\"a\",\"title\":\"T \\\"q\\\"\","
                        "\"zz\":[1,{\"a\":1,\"b\":2}]}");
    assert_int_equal(tts_record_sha256(fx->rec, sha, &err), TTS_OK);
    assert_int_equal(strlen(sha), 64);
}

static void test_jsonl_report_is_one_line_with_every_field(void **state)
{
    fixture *fx = *state;
    tts_findings *f = tts_findings_new();
    char *out;
    static const char *const fields[] = {
        "\"format\":\"ttscreen-report/1\"", "\"tool\":{\"name\":\"ttscreen\",\"version\":\"9.9\"}",
        "\"generated_at\":\"2026-01-01T00:00:00Z\"", "\"as_of\":\"2025-12-31\"",
        "\"record\":{\"id\":\"r-1\",\"sha256\":\"", "\"title\":\"T \\\"q\\\"\",\"kind\":\"supply\"}",
        "\"rules\":{\"count\":0,\"sha256\":\"e3b0c442", "\"lists\":[]", "\"verdict\":\"review\"",
        "\"findings\":[{\"rule\":\"b.rule\",\"severity\":\"high\"", "\"path\":[]", "\"matches\":[]",
        "\"evidence\":[\"$.parties[0].country = \\\"JP\\\"\"]",
    };
    add_finding(f, "c.rule", TTS_SEV_LOW, "$.parties[0]");
    add_finding(f, "b.rule", TTS_SEV_HIGH, "$.parties[0]");
    tts_findings_sort(f);
    out = render(fx, f, TTS_FORMAT_JSONL);
    assert_non_null(strchr(out, '\n'));
    assert_int_equal(strchr(out, '\n') - out, (long)strlen(out) - 1);
    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        if (strstr(out, fields[i]) == NULL)
            fail_msg("field %zu (%s) missing from %s", i, fields[i], out);
    /* most severe first */
    assert_true(strstr(out, "b.rule") < strstr(out, "c.rule"));
    tts_free(out);
    tts_findings_free(f);
}

/* A match the country moved says by how much, in every format; one it did not move does not. */
static void test_match_facts_in_every_format(void **state)
{
    fixture *fx = *state;
    tts_findings *f = tts_findings_new();
    tts_finding *x;
    char *out;
    add_finding(f, "a.rule", TTS_SEV_HIGH, "$.parties[0]");
    x = &f->items[0];
    x->matches = tts_calloc(2, sizeof(tts_match));
    x->n_matches = 2;
    for (size_t i = 0; i < 2; i++) {
        x->matches[i].source = tts_strdup("ofac-sdn");
        x->matches[i].entry_id = tts_strdup(i == 0 ? "306" : "307");
        x->matches[i].name = tts_strdup("BANCO NACIONAL DE CUBA");
        x->matches[i].matched = tts_strdup("BANCO NACIONAL DE CUBA");
    }
    x->matches[0].score = 0.8621;
    x->matches[0].name_score = 0.8421;
    x->matches[0].country_delta = 0.02;
    x->matches[1].score = 0.99;
    x->matches[1].name_score = 1.0;
    x->matches[1].country_delta = -0.01;
    x->matches[1].exact_kept = 1;
    out = render(fx, f, TTS_FORMAT_JSONL);
    assert_non_null(strstr(out, "\"score\":0.8621,\"name_score\":0.8421,\"country_adjustment\":0.0200"));
    assert_non_null(strstr(out, "\"score\":0.9900,\"name_score\":1.0000,\"country_adjustment\":"
                                "-0.0100,\"exact_name_kept\":true"));
    tts_free(out);
    out = render(fx, f, TTS_FORMAT_TEXT);
    assert_non_null(strstr(out, ", score 0.86: name 0.84, country +0.02)"));
    assert_non_null(strstr(out, ", score 0.99: name 1.00, country -0.01, an exact name kept at "
                                "the threshold)"));
    tts_free(out);
    out = render(fx, f, TTS_FORMAT_HTML);
    assert_non_null(strstr(out, "<td>0.86 (name 0.84, country +0.02)</td>"));
    tts_free(out);
    x->matches[0].country_delta = 0.0; /* not moved: the score alone */
    x->matches[1].country_delta = 0.0;
    x->matches[1].exact_kept = 0;
    out = render(fx, f, TTS_FORMAT_JSONL);
    assert_null(strstr(out, "name_score"));
    tts_free(out);
    tts_findings_free(f);
}

static void test_json_report_is_indented_and_equivalent(void **state)
{
    fixture *fx = *state;
    char *out = render(fx, NULL, TTS_FORMAT_JSON);
    assert_memory_equal(out, "{\n  \"format\": \"ttscreen-report/1\",\n  \"tool\": {\n", 45);
    assert_non_null(strstr(out, "\n  \"lists\": [],\n"));
    assert_non_null(strstr(out, "\n  \"verdict\": \"clear\",\n"));
    assert_non_null(strstr(out, "\"title\": \"T \\\"q\\\"\""));
    assert_string_equal(out + strlen(out) - 5, "[]\n}\n");
    tts_free(out);
}

static void test_text_report_groups_by_severity(void **state)
{
    fixture *fx = *state;
    tts_findings *f = tts_findings_new();
    char *out;
    add_finding(f, "x.crit", TTS_SEV_CRITICAL, "$.transfers[0]");
    add_finding(f, "x.info", TTS_SEV_INFO, "$");
    tts_findings_sort(f);
    out = render(fx, f, TTS_FORMAT_TEXT);
    assert_non_null(strstr(out, "r-1: T \"q\"\n"));
    assert_non_null(strstr(out, "  verdict    BLOCKED\n"));
    assert_non_null(strstr(out, "\nCRITICAL (1)\n  Title  [x.crit]\n"));
    assert_non_null(strstr(out, "\nINFO (1)\n"));
    assert_true(strstr(out, "CRITICAL (1)") < strstr(out, "INFO (1)"));
    assert_null(strstr(out, "\033["));
    tts_free(out);
    tts_findings_free(f);
}

static void test_verdict_thresholds(void **state)
{
    tts_findings *f = tts_findings_new();
    (void)state;
    assert_string_equal(tts_findings_verdict(f), "clear");
    assert_int_equal(tts_findings_max_severity(f), -1);
    add_finding(f, "a", TTS_SEV_LOW, "$");
    assert_string_equal(tts_findings_verdict(f), "clear");
    add_finding(f, "b", TTS_SEV_MEDIUM, "$");
    assert_string_equal(tts_findings_verdict(f), "review");
    add_finding(f, "c", TTS_SEV_CRITICAL, "$");
    assert_string_equal(tts_findings_verdict(f), "blocked");
    tts_findings_free(f);
}

static void test_render_out_of_memory_is_clean(void **state)
{
    fixture *fx = *state;
    tts_report_input in;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    tts_status rc = TTS_ERR_NOMEM;
    memset(&in, 0, sizeof(in));
    in.size = sizeof(in);
    in.tool_version = "9.9";
    in.generated_at = "2026-01-01T00:00:00Z";
    in.as_of = "2025-12-31";
    in.record = fx->rec;
    in.rules = fx->rules;
    for (unsigned long n = 1; rc == TTS_ERR_NOMEM && n < 1000; n++) {
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_report_render(&in, TTS_FORMAT_JSON, &out, &len, &err);
        tts_mem_fail_after(0);
        if (rc != TTS_OK)
            assert_null(out);
    }
    assert_int_equal(rc, TTS_OK);
    tts_free(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_sha256_is_over_sorted_compact_json),
        cmocka_unit_test(test_jsonl_report_is_one_line_with_every_field),
        cmocka_unit_test(test_match_facts_in_every_format),
        cmocka_unit_test(test_json_report_is_indented_and_equivalent),
        cmocka_unit_test(test_text_report_groups_by_severity),
        cmocka_unit_test(test_verdict_thresholds),
        cmocka_unit_test(test_render_out_of_memory_is_clean),
    };
    tts_init();
    return cmocka_run_group_tests(tests, setup, teardown);
}
