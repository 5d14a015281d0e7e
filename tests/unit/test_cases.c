/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the case file. Screenings are stored per record id, reviewer
 * decisions clear list hits while the entry is unchanged, rescreen reports
 * gone findings, and the audit chain catches tampering done with plain SQL.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "rules/findings.h"
#include "ttscreen.h"

static const char record_json[] =
    "{\"format\":\"ttscreen-record/1\",\"id\":\"deal-1\",\"kind\":\"supply\","
    "\"screened_for\":\"a\",\"parties\":["
    "{\"id\":\"a\",\"name\":\"Acme\",\"country\":\"JP\",\"type\":\"company\"},"
    "{\"id\":\"b\",\"name\":\"Bad Co\",\"country\":\"CN\",\"type\":\"company\"}]}";

#define HASH_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define HASH_B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

typedef struct fixture {
    char dir[64], db[96];
    tts_record *rec;
    tts_rules *rules;
    tts_cases *cases;
} fixture;

static int setup(void **state)
{
    fixture *fx = calloc(1, sizeof(*fx));
    tts_error err;
    tts_error_clear(&err);
    strcpy(fx->dir, "/tmp/tts-cases-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    snprintf(fx->db, sizeof(fx->db), "%s/t.db", fx->dir);
    assert_int_equal(tts_record_parse(record_json, strlen(record_json), "r.json", &fx->rec, &err),
                     TTS_OK);
    assert_int_equal(tts_rules_load_dir(fx->dir, NULL, &fx->rules, &err), TTS_OK);
    assert_int_equal(tts_cases_open(fx->db, 0, &fx->cases, &err), TTS_OK);
    *state = fx;
    return 0;
}

static int teardown(void **state)
{
    fixture *fx = *state;
    char path[160];
    tts_cases_close(fx->cases);
    tts_rules_free(fx->rules);
    tts_record_free(fx->rec);
    for (const char *sfx = ""; sfx != NULL; sfx = sfx[0] == '\0' ? "-wal" : sfx[1] == 'w' ? "-shm" : NULL) {
        snprintf(path, sizeof(path), "%s%s", fx->db, sfx);
        unlink(path);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* A high list-hit finding on party b with one match per entry hash given. */
static tts_findings *hit(const char *const *entries, const char *const *hashes, size_t n)
{
    tts_findings *f = tts_findings_new();
    tts_finding *x = tts_findings_add(f);
    x->rule = tts_strdup("sanctions.listed-party");
    x->severity = TTS_SEV_HIGH;
    x->title = tts_strdup("Listed party");
    x->citation = tts_strdup("test");
    x->message = tts_strdup("Bad Co is listed");
    x->subject = tts_strdup("$.parties[1]");
    x->matches = tts_calloc(n, sizeof(tts_match));
    x->n_matches = n;
    for (size_t i = 0; i < n; i++) {
        x->matches[i].source = tts_strdup("us-csl");
        x->matches[i].entry_id = tts_strdup(entries[i]);
        x->matches[i].name = tts_strdup("BAD CO");
        x->matches[i].matched = tts_strdup("BAD CO");
        x->matches[i].score = 0.97;
        x->matches[i].entry_sha256 = tts_strdup(hashes[i]);
    }
    return f;
}

static void store(fixture *fx, const tts_findings *f, const char *at)
{
    tts_screening_info si;
    tts_error err;
    tts_error_clear(&err);
    memset(&si, 0, sizeof(si));
    si.size = sizeof(si);
    si.at = at;
    si.actor = "tester";
    si.as_of = "2026-01-01";
    si.record = fx->rec;
    si.rules = fx->rules;
    si.findings = f;
    si.report_jsonl = "{\"report\":1}\n";
    assert_int_equal(tts_cases_store(fx->cases, &si, &err), TTS_OK);
}

static tts_status decide(fixture *fx, const char *id, const char *disp, const char *finding,
                         tts_error *err)
{
    tts_decision_input d;
    memset(&d, 0, sizeof(d));
    d.size = sizeof(d);
    d.record_id = id;
    d.disposition = disp;
    d.by = "Reviewer A";
    d.reason = "different company, different address";
    d.finding = finding;
    d.at = "2026-02-03T04:05:06Z";
    tts_error_clear(err);
    return tts_cases_decide(fx->cases, &d, err);
}

static void test_screenings_accumulate_per_record_id(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A};
    tts_findings *f = hit(e, h, 1);
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    store(fx, f, "2026-01-01T00:00:00Z");
    store(fx, f, "2026-01-02T00:00:00Z");
    tts_error_clear(&err);
    assert_int_equal(tts_cases_render_list(fx->cases, TTS_FORMAT_JSON, &out, &len, &err), TTS_OK);
    assert_non_null(strstr(out, "\"id\":\"deal-1\""));
    assert_non_null(strstr(out, "\"screenings\":2"));
    assert_non_null(strstr(out, "\"verdict\":\"review\""));
    assert_non_null(strstr(out, "\"findings\":1"));
    tts_free(out);
    assert_int_equal(tts_cases_render_show(fx->cases, "deal-1", TTS_FORMAT_TEXT, &out, &len, &err),
                     TTS_OK);
    assert_non_null(strstr(out, "sanctions.listed-party"));
    assert_non_null(strstr(out, "list entries: us-csl:E1"));
    tts_free(out);
    assert_int_equal(tts_cases_render_show(fx->cases, "nope", TTS_FORMAT_TEXT, &out, &len, &err),
                     TTS_ERR_ARG);
    assert_null(out);
    tts_findings_free(f);
}

static void test_cleared_entry_is_not_raised_until_it_changes(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A}, *const h2[] = {HASH_B};
    tts_findings *f = hit(e, h, 1), *again, *changed;
    tts_error err;
    store(fx, f, "2026-01-01T00:00:00Z");
    assert_int_equal(decide(fx, "deal-1", "cleared", "sanctions.listed-party:us-csl:E1", &err),
                     TTS_OK);

    again = hit(e, h, 1);
    assert_int_equal(tts_cases_apply_decisions(fx->cases, "deal-1", again, &err), TTS_OK);
    assert_non_null(tts_findings_get(again, 0)->cleared);
    assert_string_equal(tts_findings_get(again, 0)->cleared,
                        "cleared by Reviewer A on 2026-02-03: different company, different address");
    assert_string_equal(tts_findings_verdict(again), "clear");
    assert_int_equal(tts_findings_max_severity(again), -1);

    changed = hit(e, h2, 1);
    assert_int_equal(tts_cases_apply_decisions(fx->cases, "deal-1", changed, &err), TTS_OK);
    assert_null(tts_findings_get(changed, 0)->cleared);
    assert_string_equal(tts_findings_verdict(changed), "review");

    /* a later decision supersedes: escalated means raised again */
    assert_int_equal(decide(fx, "deal-1", "escalated", "sanctions.listed-party:us-csl:E1", &err),
                     TTS_OK);
    tts_findings_free(again);
    again = hit(e, h, 1);
    assert_int_equal(tts_cases_apply_decisions(fx->cases, "deal-1", again, &err), TTS_OK);
    assert_null(tts_findings_get(again, 0)->cleared);
    tts_findings_free(f);
    tts_findings_free(again);
    tts_findings_free(changed);
}

static void test_clearing_one_entry_keeps_the_others(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1", "E2"}, *const h[] = {HASH_A, HASH_B};
    tts_findings *f = hit(e, h, 2), *again;
    tts_error err;
    store(fx, f, "2026-01-01T00:00:00Z");
    assert_int_equal(decide(fx, "deal-1", "cleared", "sanctions.listed-party:us-csl:E1", &err),
                     TTS_OK);
    again = hit(e, h, 2);
    assert_int_equal(tts_cases_apply_decisions(fx->cases, "deal-1", again, &err), TTS_OK);
    assert_null(tts_findings_get(again, 0)->cleared);
    assert_int_equal(tts_findings_get(again, 0)->n_matches, 1);
    assert_string_equal(tts_findings_get(again, 0)->matches[0].entry_id, "E2");
    tts_findings_free(f);
    tts_findings_free(again);
}

static void test_decide_rejects_unknown_case_disposition_and_finding(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A};
    tts_findings *f = hit(e, h, 1);
    tts_error err;
    store(fx, f, "2026-01-01T00:00:00Z");
    assert_int_equal(decide(fx, "other", "cleared", NULL, &err), TTS_ERR_ARG);
    assert_string_equal(err.message, "no case \"other\" in the database (screen it first)");
    assert_int_equal(decide(fx, "deal-1", "approved", NULL, &err), TTS_ERR_ARG);
    assert_int_equal(decide(fx, "deal-1", "cleared", "no.such-rule", &err), TTS_ERR_ARG);
    assert_int_equal(decide(fx, "deal-1", "cleared", "sanctions.listed-party:us-csl:E9", &err),
                     TTS_ERR_ARG);
    assert_int_equal(decide(fx, "deal-1", "licence-required", NULL, &err), TTS_OK);
    tts_findings_free(f);
}

static void test_rescreen_reports_gone_findings_and_verdict_change(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A};
    tts_findings *f = hit(e, h, 1);
    tts_rescreen_opts o;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    int failed = -1;
    store(fx, f, "2026-01-01T00:00:00Z");
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.rules = fx->rules; /* no rules now: the finding is gone */
    o.scan.size = sizeof(o.scan);
    o.today = "2026-03-01";
    o.at = "2026-03-01T00:00:00Z";
    o.actor = "tester";
    o.tool_version = "t";
    o.format = TTS_FORMAT_TEXT;
    o.fail_on = TTS_SEV_HIGH;
    o.no_lists = 1; /* rules alone, said so: a rescreen with no lists is otherwise refused */
    tts_error_clear(&err);
    assert_int_equal(tts_cases_rescreen(fx->cases, &o, &out, &len, &failed, &err), TTS_OK);
    assert_int_equal(failed, 0);
    assert_non_null(strstr(out, "deal-1: review -> clear (0 new, 1 gone)\n"));
    assert_non_null(strstr(out, "  - high     sanctions.listed-party  $.parties[1]\n"));
    assert_non_null(strstr(out, "rescreened 1 case: 1 changed\n"));
    tts_free(out);
    /* nothing changes the second time */
    o.format = TTS_FORMAT_JSON;
    assert_int_equal(tts_cases_rescreen(fx->cases, &o, &out, &len, &failed, &err), TTS_OK);
    assert_string_equal(out, "{\"cases\":[],\"rescreened\":1,\"changed\":0,\"mode\":\"full\","
                             "\"cases_total\":1}\n");
    tts_free(out);
    tts_findings_free(f);
}

/* Run SQL on the test database behind the library's back. */
static void tamper(fixture *fx, const char *sql)
{
    sqlite3 *db = NULL;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
        fail_msg("tamper: %s", msg);
    sqlite3_close(db);
}

static void test_audit_chain_detects_edits_deletions_and_insertions(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A};
    tts_findings *f = hit(e, h, 1);
    tts_audit_result r;
    tts_error err;
    char head[65];
    store(fx, f, "2026-01-01T00:00:00Z");
    store(fx, f, "2026-01-02T00:00:00Z");
    assert_int_equal(decide(fx, "deal-1", "escalated", NULL, &err), TTS_OK);
    assert_int_equal(tts_cases_audit_verify(fx->cases, NULL, &r, &err), TTS_OK);
    assert_int_equal(r.rows, 3);
    assert_int_equal(r.broken_row, 0);
    memcpy(head, r.head, sizeof(head));
    assert_int_equal(tts_cases_audit_verify(fx->cases, head, &r, &err), TTS_OK);
    assert_int_equal(r.broken_row, 0);

    /* the triggers refuse plain edits */
    {
        sqlite3 *db = NULL;
        assert_int_equal(sqlite3_open(fx->db, &db), SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "UPDATE audit_log SET actor = 'x'", NULL, NULL,
                                          NULL),
                             SQLITE_OK);
        assert_int_not_equal(sqlite3_exec(db, "DELETE FROM decision", NULL, NULL, NULL), SQLITE_OK);
        sqlite3_close(db);
    }
    tamper(fx, "DROP TRIGGER decision_no_update;"
               "UPDATE decision SET reason = 'nothing to see' WHERE id = 1;");
    assert_int_equal(tts_cases_audit_verify(fx->cases, NULL, &r, &err), TTS_OK);
    assert_int_equal(r.broken_row, 3);
    assert_string_equal(r.problem, "decision:1 was edited after it was logged");
    tts_findings_free(f);
}

static void test_removed_newest_rows_are_caught_against_the_head(void **state)
{
    fixture *fx = *state;
    tts_findings *f = tts_findings_new();
    tts_audit_result r;
    tts_error err;
    char head[65];
    store(fx, f, "2026-01-01T00:00:00Z");
    store(fx, f, "2026-01-02T00:00:00Z");
    assert_int_equal(tts_cases_audit_verify(fx->cases, NULL, &r, &err), TTS_OK);
    memcpy(head, r.head, sizeof(head));
    tamper(fx, "DROP TRIGGER audit_log_no_delete; DROP TRIGGER screening_no_delete;"
               "DELETE FROM audit_log WHERE seq = 2; DELETE FROM screening WHERE id = 2;");
    assert_int_equal(tts_cases_audit_verify(fx->cases, NULL, &r, &err), TTS_OK);
    assert_int_equal(r.broken_row, 0); /* a consistent prefix on its own ... */
    assert_int_equal(tts_cases_audit_verify(fx->cases, head, &r, &err), TTS_OK);
    assert_int_equal(r.broken_row, 2); /* ... but not the chain that was exported */
    tts_findings_free(f);
}

static void test_apply_decisions_out_of_memory_is_clean(void **state)
{
    fixture *fx = *state;
    static const char *const e[] = {"E1"}, *const h[] = {HASH_A};
    tts_findings *f = hit(e, h, 1);
    tts_error err;
    tts_status rc = TTS_ERR_NOMEM;
    store(fx, f, "2026-01-01T00:00:00Z");
    assert_int_equal(decide(fx, "deal-1", "cleared", "sanctions.listed-party:us-csl:E1", &err),
                     TTS_OK);
    tts_test_use_cmocka_allocator(NULL);
    for (unsigned long n = 1; rc == TTS_ERR_NOMEM && n < 500; n++) {
        tts_findings *again = hit(e, h, 1);
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_cases_apply_decisions(fx->cases, "deal-1", again, &err);
        tts_mem_fail_after(0);
        tts_findings_free(again);
    }
    tts_test_use_default_allocator(NULL);
    assert_int_equal(rc, TTS_OK);
    tts_findings_free(f);
}

/* The one screening path refuses to screen without lists unless told not to consult any. */
static void test_screen_record_fails_closed_without_lists(void **state)
{
    fixture *fx = *state;
    tts_screen_opts o;
    tts_screen_result res;
    tts_error err;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.rules = fx->rules;
    o.cases = fx->cases;
    o.today = "2026-03-01";
    o.at = "2026-03-01T00:00:00Z";
    o.actor = "tester";
    assert_int_equal(tts_screen_record(&o, fx->rec, &res, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "no lists"));
    assert_null(res.findings);
    o.no_lists = 1;
    o.store = 1;
    assert_int_equal(tts_screen_record(&o, fx->rec, &res, &err), TTS_OK);
    assert_int_equal(res.report.no_lists, 1);
    assert_string_equal(res.as_of, "2026-03-01");
    assert_ptr_equal(res.report.findings, res.findings);
    tts_screen_result_clear(&res);
    o.as_of = "2025-12-31";
    assert_int_equal(tts_screen_record(&o, fx->rec, &res, &err), TTS_OK);
    assert_string_equal(res.report.as_of, "2025-12-31");
    tts_screen_result_clear(&res);
    o.actor = NULL; /* storing needs to know who screens */
    assert_int_equal(tts_screen_record(&o, fx->rec, &res, &err), TTS_ERR_ARG);
}

/* A record with the top-level "counterparty" object makes a counterparty case; kinds never mix. */
static void test_case_kind_comes_from_the_record_and_never_mixes(void **state)
{
    fixture *fx = *state;
    static const char cp_json[] =
        "{\"format\":\"ttscreen-record/1\",\"id\":\"cp-V-1\",\"kind\":\"supply\","
        "\"screened_for\":\"a\",\"parties\":["
        "{\"id\":\"a\",\"name\":\"Acme\",\"country\":\"JP\",\"type\":\"company\"},"
        "{\"id\":\"b\",\"name\":\"Vendor\",\"country\":\"CN\",\"type\":\"company\"}],"
        "\"counterparty\":{\"sheet_id\":\"V-1\"}}";
    static const char clash_json[] =
        "{\"format\":\"ttscreen-record/1\",\"id\":\"cp-V-1\",\"kind\":\"supply\","
        "\"screened_for\":\"a\",\"parties\":["
        "{\"id\":\"a\",\"name\":\"Acme\",\"country\":\"JP\",\"type\":\"company\"}]}";
    tts_record *cp = NULL, *clash = NULL;
    tts_findings *none = tts_findings_new();
    tts_screening_info si;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    tts_error_clear(&err);
    store(fx, none, "2026-01-01T00:00:00Z"); /* deal-1, a deal */
    assert_int_equal(tts_record_parse(cp_json, strlen(cp_json), "cp.json", &cp, &err), TTS_OK);
    assert_int_equal(tts_record_parse(clash_json, strlen(clash_json), "x.json", &clash, &err),
                     TTS_OK);
    memset(&si, 0, sizeof(si));
    si.size = sizeof(si);
    si.at = "2026-01-02T00:00:00Z";
    si.actor = "tester";
    si.as_of = "2026-01-02";
    si.record = cp;
    si.rules = fx->rules;
    si.findings = none;
    si.report_jsonl = "{\"report\":1}\n";
    assert_int_equal(tts_cases_store(fx->cases, &si, &err), TTS_OK);

    assert_int_equal(tts_cases_render_list_of(fx->cases, TTS_FORMAT_JSON, "counterparty", &out,
                                              &len, &err),
                     TTS_OK);
    assert_non_null(strstr(out, "\"id\":\"cp-V-1\",\"kind\":\"counterparty\""));
    assert_null(strstr(out, "deal-1"));
    tts_free(out);
    assert_int_equal(
        tts_cases_render_list_of(fx->cases, TTS_FORMAT_JSON, "deal", &out, &len, &err), TTS_OK);
    assert_non_null(strstr(out, "\"id\":\"deal-1\",\"kind\":\"deal\""));
    assert_null(strstr(out, "cp-V-1"));
    tts_free(out);
    assert_int_equal(tts_cases_render_show(fx->cases, "cp-V-1", TTS_FORMAT_JSON, &out, &len, &err),
                     TTS_OK);
    assert_non_null(strstr(out, "\"kind\":\"counterparty\""));
    tts_free(out);
    out = NULL;
    assert_int_equal(
        tts_cases_render_list_of(fx->cases, TTS_FORMAT_TEXT, "vendor", &out, &len, &err),
        TTS_ERR_ARG);
    assert_null(out);

    /* a deal record under the counterparty's id is refused, and nothing of it is stored */
    si.record = clash;
    tts_error_clear(&err);
    assert_int_equal(tts_cases_store(fx->cases, &si, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "case cp-V-1 is a counterparty case"));
    assert_int_equal(tts_cases_render_show(fx->cases, "cp-V-1", TTS_FORMAT_TEXT, &out, &len, &err),
                     TTS_OK);
    assert_non_null(strstr(out, "screenings  1\n"));
    tts_free(out);

    tts_record_free(clash);
    tts_record_free(cp);
    tts_findings_free(none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_screenings_accumulate_per_record_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_case_kind_comes_from_the_record_and_never_mixes,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_screen_record_fails_closed_without_lists, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_cleared_entry_is_not_raised_until_it_changes, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_clearing_one_entry_keeps_the_others, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decide_rejects_unknown_case_disposition_and_finding,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rescreen_reports_gone_findings_and_verdict_change,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain_detects_edits_deletions_and_insertions,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_newest_rows_are_caught_against_the_head,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_apply_decisions_out_of_memory_is_clean, setup,
                                        teardown),
    };
    tts_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
