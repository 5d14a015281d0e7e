/* SPDX-License-Identifier: MIT */
/*
 * The OFAC-compatible score (ofacscore.h): Soundex codes, the whole-string
 * and name-part techniques and the rules ofacscore.h lists. The agreement
 * with OFAC's own scores is measured in test_conformance.
 */
#include <math.h>
#include <string.h>

#include "helpers.h"
#include "util/buf.h"
#include "lists/match/namescore.h"
#include "lists/match/ofacscore.h"

static void sdx_is(const char *s, const char *want)
{
    char got[5];
    assert_true(tts_ofac_soundex(s, strlen(s), got));
    assert_string_equal(got, want);
}

static void test_soundex_codes(void **state)
{
    char got[5];
    (void)state;
    sdx_is("robert", "R163");
    sdx_is("rupert", "R163");
    sdx_is("ashcraft", "A261"); /* s and c around an h: one code */
    sdx_is("tymczak", "T522");
    sdx_is("pfister", "P236"); /* f codes like the first letter: dropped */
    sdx_is("honeyman", "H555");
    sdx_is("lee", "L000");
    sdx_is("PUTIN", "P350");
    assert_false(tts_ofac_soundex("123", 3, got));
    assert_false(tts_ofac_soundex("", 0, got));
}

static void test_same_name_scores_100(void **state)
{
    tts_ofac_detail d;
    (void)state;
    assert_true(tts_ofac_score("bin laden osama", "bin laden osama", &d) == 1.0);
    assert_true(d.whole == 1.0 && d.parts == 1.0);
    assert_int_equal(d.n_parts, 3);
    assert_int_equal(d.n_used, 3);
}

static void test_higher_of_whole_and_parts(void **state)
{
    tts_ofac_detail d;
    double s;
    (void)state;
    /* parts in another order: the composite finds them all, the whole string does not */
    s = tts_ofac_score("vladimir putin", "putin vladimir", &d);
    assert_true(s == 1.0);
    assert_true(d.whole < 0.9 && d.parts == 1.0);
    /* one long part against a name of several: the whole string is the better technique */
    s = tts_ofac_score("vladimir putin", "vladimir biliy", &d);
    assert_true(d.whole > d.parts);
    assert_true(fabs(s - floor(100.0 * d.whole + 0.5) / 100.0) < 1e-12);
}

static void test_whole_points(void **state)
{
    tts_ofac_detail d;
    double s = tts_ofac_score("osama bin laden", "usama bin laden network", &d);
    (void)state;
    assert_true(fabs(100.0 * s - floor(100.0 * s + 0.5)) < 1e-9);
    assert_true(fabs(s - floor(100.0 * d.parts + 0.5) / 100.0) < 1e-12);
}

static void test_short_parts_left_out(void **state)
{
    tts_ofac_detail d;
    (void)state;
    /* "un" has no counterpart in "kim jong sik": as OFAC's tool, two of three parts give 100 */
    assert_true(tts_ofac_score("kim jong un", "kim jong sik", &d) == 1.0);
    assert_int_equal(d.n_parts, 3);
    assert_int_equal(d.n_used, 2);
    /* a query of short parts only keeps them */
    assert_true(tts_ofac_score("z", "albarraq z", &d) == 1.0);
    assert_int_equal(d.n_used, 1);
}

static void test_part_under_half_counts_nothing(void **state)
{
    tts_ofac_detail d;
    (void)state;
    /* "bush" is under 0.5 similar to "haswani" and counts 0, not its Jaro-Winkler */
    assert_true(tts_namescore_jw("bush", 4, "haswani", 7) > 0.0);
    assert_true(tts_ofac_score("george bush", "haswani george", &d) == 0.5);
    assert_true(d.parts == 0.5);
}

static void test_same_soundex_raises_a_part(void **state)
{
    tts_ofac_detail a, b;
    double jw = tts_namescore_jw("smith", 5, "smyth", 5);
    (void)state;
    tts_ofac_score("smith", "smyth", &a); /* S530 both */
    assert_true(fabs(a.parts - (jw + (1.0 - jw) * OFAC_SOUNDEX_SHARE)) < 1e-12);
    jw = tts_namescore_jw("smith", 5, "smitz", 5);
    tts_ofac_score("smith", "smitz", &b); /* S530 / S532 */
    assert_true(fabs(b.parts - jw) < 1e-12);
}

static void test_explain(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_ofac_explain("kim jong un", "kim jong sik", &b);
    tts_buf_puts(&b, "");
    assert_false(tts_buf_failed(&b));
    assert_string_equal(b.data, "ofac parts: kim~kim 1.00 (same soundex) jong~jong 1.00 (same "
                                "soundex) un (short, left out); composite 1.000; whole string "
                                "0.914; score 100");
    tts_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_soundex_codes),
        cmocka_unit_test(test_same_name_scores_100),
        cmocka_unit_test(test_higher_of_whole_and_parts),
        cmocka_unit_test(test_whole_points),
        cmocka_unit_test(test_short_parts_left_out),
        cmocka_unit_test(test_part_under_half_counts_nothing),
        cmocka_unit_test(test_same_soundex_raises_a_part),
        cmocka_unit_test(test_explain),
    };
    return cmocka_run_group_tests_name("ofacscore", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
