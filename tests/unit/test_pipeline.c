/* SPDX-License-Identifier: MIT */
/*
 * Allocation-failure test over a whole screening of a seed record: parse,
 * scan with the shipped rule set, render every report format. For every N
 * the Nth allocation fails; each run must end in TTS_ERR_NOMEM (or
 * succeed), with nothing leaked, until a run succeeds.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "ttscreen.h"

static tts_rules *g_rules;

static int setup(void **state)
{
    tts_error err;
    (void)state;
    tts_init();
    tts_error_clear(&err);
    /* the shipped rules, compiled once (the compiler has allocation tests of its own) */
    if (tts_rules_load_dir("rules", NULL, &g_rules, &err) != TTS_OK) {
        fprintf(stderr, "rules: %s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tts_rules_free(g_rules);
    return 0;
}

/* One whole screening; returns its status. */
static tts_status screen_once(const char *json, size_t len)
{
    tts_record *rec = NULL;
    tts_findings *f = NULL;
    tts_scan_opts so;
    tts_report_input in;
    tts_error err;
    tts_status rc;
    tts_error_clear(&err);
    rc = tts_record_parse(json, len, "seed.json", &rec, &err);
    if (rc != TTS_OK)
        goto out;
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = "2026-01-01";
    rc = tts_scan_record(g_rules, rec, &so, &f, &err);
    if (rc != TTS_OK)
        goto out;
    memset(&in, 0, sizeof(in));
    in.size = sizeof(in);
    in.tool_version = "t";
    in.generated_at = "2026-01-01T00:00:00Z";
    in.as_of = "2026-01-01";
    in.record = rec;
    in.rules = g_rules;
    in.findings = f;
    for (int fmt = TTS_FORMAT_TEXT; fmt <= TTS_FORMAT_HTML && rc == TTS_OK; fmt++) {
        char *out = NULL;
        size_t n = 0;
        rc = tts_report_render(&in, (tts_format)fmt, &out, &n, &err);
        if (rc == TTS_OK)
            assert_non_null(out);
        else
            assert_null(out);
        tts_free(out);
    }
out:
    if (rc != TTS_OK && rc != TTS_ERR_NOMEM)
        fail_msg("unexpected error: %s", err.message);
    tts_findings_free(f);
    tts_record_free(rec);
    return rc;
}

static void fail_every_allocation(const char *fixture)
{
    size_t len = 0;
    char *json = tts_test_read_file(tts_test_fixture(fixture), &len);
    tts_status rc = TTS_ERR_NOMEM;
    unsigned long n;
    tts_test_use_cmocka_allocator(NULL);
    for (n = 1; rc == TTS_ERR_NOMEM && n < 1000000; n++) {
        tts_mem_fail_after(n);
        rc = screen_once(json, len);
        tts_mem_fail_after(0);
    }
    tts_test_use_default_allocator(NULL);
    free(json);
    assert_int_equal(rc, TTS_OK);
    printf("pipeline: %s screened cleanly after failing each of its first %lu allocations\n",
           fixture, n - 2);
}

static void test_shi_screening_survives_every_allocation_failure(void **state)
{
    (void)state;
    fail_every_allocation("records/shi-subcontractor-2021.json");
}

static void test_university_screening_survives_every_allocation_failure(void **state)
{
    (void)state;
    fail_every_allocation("records/university-hire-2025.json");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shi_screening_survives_every_allocation_failure),
        cmocka_unit_test(test_university_screening_survives_every_allocation_failure),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
