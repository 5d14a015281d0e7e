/* SPDX-License-Identifier: MIT */
/* Unit tests: calendar dates and enumeration spellings of the record model. */
#include "helpers.h"

#include <string.h>

#include "record/model.h"

static void test_date_parse_accepts_only_real_calendar_dates(void **state)
{
    static const struct {
        const char *s;
        int ok;
    } rows[] = {
        {"2021-02-28", 1}, {"2021-02-29", 0}, {"2020-02-29", 1}, {"1900-02-29", 0},
        {"2000-02-29", 1}, {"2021-02-30", 0}, {"2021-04-31", 0}, {"2021-12-31", 1},
        {"2021-13-01", 0}, {"2021-00-10", 0}, {"2021-01-00", 0}, {"0000-01-01", 0},
        {"2021-1-01", 0},  {"2021-01-01T", 0}, {"21-01-01", 0},  {"", 0},
        {"2021/01/01", 0}, {"２０２１-01-01", 0}, {"9999-12-31", 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_date d = {0, 0, 0};
        if (tts_date_parse(rows[i].s, &d) != rows[i].ok)
            fail_msg("row %zu: \"%s\" expected %s", i, rows[i].s, rows[i].ok ? "ok" : "error");
    }
}

static void test_date_days_and_compare(void **state)
{
    tts_date a, b;
    char out[11];
    (void)state;
    assert_true(tts_date_parse("1970-01-01", &a));
    assert_int_equal(tts_date_days(a), 0);
    assert_true(tts_date_parse("2022-05-01", &b));
    assert_int_equal(tts_date_days(b), 19113);
    assert_true(tts_date_cmp(a, b) < 0);
    assert_true(tts_date_cmp(b, a) > 0);
    assert_int_equal(tts_date_cmp(b, b), 0);
    assert_true(tts_date_parse("2021-04-28", &a));
    assert_int_equal(tts_date_days(b) - tts_date_days(a), 368);
    tts_date_format(b, out);
    assert_string_equal(out, "2022-05-01");
    a.y = 0;
    tts_date_format(a, out);
    assert_string_equal(out, "");
}

static void test_enum_spellings_round_trip(void **state)
{
    (void)state;
    for (int i = 0; i <= TTS_KIND_SALE; i++)
        assert_int_equal(tts_model_kind_parse(tts_model_kind_name((tts_kind)i)), i);
    for (int i = 0; i <= TTS_FORM_SOURCE_CODE; i++)
        assert_int_equal(tts_model_form_parse(tts_model_form_name((tts_form)i)), i);
    assert_int_equal(tts_model_party_type_parse("research-institute"),
                     TTS_PARTY_RESEARCH_INSTITUTE);
    assert_int_equal(tts_model_party_type_parse("Company"), -1);
    assert_int_equal(tts_model_classified_parse("us-top-secret"), TTS_CLASS_US_TOP_SECRET);
    assert_null(tts_model_classified_name(TTS_CLASS_ABSENT));
    assert_non_null(strstr(tts_model_relation_type_choices(), "subcontracts"));
}

static void test_country_codes(void **state)
{
    (void)state;
    assert_true(tts_country_is_valid("JP"));
    assert_true(tts_country_is_valid("CN"));
    assert_false(tts_country_is_valid("jp"));
    assert_false(tts_country_is_valid("JPN"));
    assert_false(tts_country_is_valid("J"));
    assert_false(tts_country_is_valid(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_parse_accepts_only_real_calendar_dates),
        cmocka_unit_test(test_date_days_and_compare),
        cmocka_unit_test(test_enum_spellings_round_trip),
        cmocka_unit_test(test_country_codes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
