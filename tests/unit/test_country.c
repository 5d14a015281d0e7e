/* SPDX-License-Identifier: MIT */
/*
 * Country codes: exactly the officially assigned ISO 3166-1 alpha-2 codes
 * are accepted; reserved, user-assigned, lower-case and malformed codes are
 * not. The exhaustive count also proves the lookup table is sorted (a
 * bisection over an unsorted table misses entries).
 */
#include "helpers.h"

#include "record/model.h"

static void test_country_accepts_exactly_249_assigned_codes(void **state)
{
    char s[3] = {0, 0, 0};
    int n = 0;
    (void)state;
    for (char a = 'A'; a <= 'Z'; a++) {
        for (char b = 'A'; b <= 'Z'; b++) {
            s[0] = a;
            s[1] = b;
            n += tts_country_is_valid(s);
        }
    }
    assert_int_equal(n, 249);
}

static void test_country_accepts_common_and_boundary_codes(void **state)
{
    static const char *const ok[] = {"JP", "US", "CN", "TW", "HK", "KR", "KP", "DE", "GB",
                                     "AD", "ZW", "AX", "BQ", "CW", "SS", "SX", "EH", "PS",
                                     "UM", "AQ", "MO", "RU", "IR", "SY", "VA"};
    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        if (!tts_country_is_valid(ok[i]))
            fail_msg("row %zu: %s should be accepted", i, ok[i]);
    }
}

static void test_country_rejects_unassigned_reserved_and_user_assigned(void **state)
{
    /* XK (Kosovo) is user-assigned and deliberately rejected: see country.c. */
    static const char *const bad[] = {"XX", "XK", "AA", "ZZ", "QM", "QZ", "XA", "EU",
                                      "UK", "AC", "EZ", "UN", "SU", "YU", "CS", "AN",
                                      "TP", "ZR", "DD", "BU", "FX", "OO", "AB", "ZX"};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (tts_country_is_valid(bad[i]))
            fail_msg("row %zu: %s should be rejected", i, bad[i]);
    }
}

static void test_country_rejects_wrong_shape(void **state)
{
    static const char *const bad[] = {"jp", "Jp", "jP", "J", "", "JPN", "J1", "1P", " JP",
                                      "JP ", "\xef\xbc\xaa\xef\xbc\xb0" /* full-width JP */,
                                      "J\xc3\xa9", "@P", "[P", "J@", "J["};
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (tts_country_is_valid(bad[i]))
            fail_msg("row %zu: \"%s\" should be rejected", i, bad[i]);
    }
    assert_false(tts_country_is_valid(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_country_accepts_exactly_249_assigned_codes),
        cmocka_unit_test(test_country_accepts_common_and_boundary_codes),
        cmocka_unit_test(test_country_rejects_unassigned_reserved_and_user_assigned),
        cmocka_unit_test(test_country_rejects_wrong_shape),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
