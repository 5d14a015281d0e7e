/* SPDX-License-Identifier: MIT */
/*
 * Name normalisation: table-driven cases (widths, scripts, diacritics,
 * punctuation, initials, persons, legal forms across languages, Han
 * folding, numbers), bad input, and allocation failure.
 */
#include <string.h>

#include "helpers.h"
#include "mem.h"
#include "names.h"

typedef struct norm_case {
    const char *in;
    unsigned flags;
    const char *tokens, *legal, *glued;
} norm_case;

static void test_normalise_table(void **state)
{
    static const norm_case cases[] = {
        {"ＣＡＴＬ", 0, "catl", "", "catl"},
        {"CATL", 0, "catl", "", "catl"},
        {"Müller  GmbH", 0, "muller", "gmbh", "mullergmbh"},
        {"Société Générale S.A.", 0, "societe generale", "sa", "societegeneralesa"},
        {"JSC ARGUMENT", 0, "argument", "jsc", "jscargument"},
        {"OOO \"Torgovyi Dom\"", 0, "torgovyi dom", "llc", "oootorgovyidom"},
        {"Anglo-Caribbean Co., Ltd.", 0, "anglo caribbean", "co ltd", "anglocaribbeancoltd"},
        {"Tata Motors Pvt Ltd", 0, "tata motors", "pvt ltd", "tatamotorspvtltd"},
        {"Rosneft PJSC", 0, "rosneft", "pjsc", "rosneftpjsc"},
        {"KIM, Jong Un", TTS_NAME_PERSON, "jong un kim", "", "jongunkim"},
        {"O'Brien & Sons", 0, "obrien sons", "", "obriensons"},
        {"GOLD STAR 3", 0, "gold star 3", "", "goldstar3"},
        {"宁德时代新能源科技股份有限公司", 0, "宁德时代新能源科技", "jsc",
         "宁德时代新能源科技股份有限公司"},
        {"寧德時代新能源科技股份有限公司", 0, "宁德时代新能源科技", "jsc",
         "宁德时代新能源科技股份有限公司"},
        {"株式会社東芝", 0, "东芝", "kk", "株式会社东芝"},
        {"㈱東芝", 0, "东芝", "kk", "株东芝"},
        {"ｶﾞｽ", 0, "ガス", "", "ガス"},
        {"华为技术有限公司", 0, "华为技术", "ltd", "华为技术有限公司"},
        {"Company", 0, "company", "", "company"},
        {"", 0, "", "", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_nname n;
        tts_error err;
        tts_error_clear(&err);
        if (tts_names_normalize(cases[i].in, strlen(cases[i].in), cases[i].flags, &n, &err) !=
            TTS_OK)
            fail_msg("row %zu: %s", i, err.message);
        if (strcmp(n.tokens, cases[i].tokens) != 0 || strcmp(n.legal, cases[i].legal) != 0 ||
            strcmp(n.glued, cases[i].glued) != 0)
            fail_msg("row %zu '%s': got [%s] [%s] [%s], want [%s] [%s] [%s]", i, cases[i].in,
                     n.tokens, n.legal, n.glued, cases[i].tokens, cases[i].legal,
                     cases[i].glued);
        tts_nname_clear(&n);
    }
}

static void test_invalid_utf8_is_rejected_with_offset(void **state)
{
    tts_nname n;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_names_normalize("ab\xff", 3, 0, &n, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "byte 3"));
    assert_null(n.tokens);
}

static void test_overlong_name_is_a_limit_error(void **state)
{
    static char big[TTS_NAME_MAX_BYTES + 2];
    tts_nname n;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    memset(big, 'a', sizeof(big) - 1);
    assert_int_equal(tts_names_normalize(big, sizeof(big) - 1, 0, &n, &err), TTS_ERR_LIMIT);
}

static void test_normalise_out_of_memory_is_clean(void **state)
{
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    for (unsigned long k = 1; k < 100 && rc == TTS_ERR_NOMEM; k++) {
        tts_nname n;
        tts_error err;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_names_normalize("Société Générale S.A.", 23, 0, &n, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            tts_nname_clear(&n);
        else
            assert_int_equal(rc, TTS_ERR_NOMEM);
    }
    assert_int_equal(rc, TTS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_normalise_table),
        cmocka_unit_test(test_invalid_utf8_is_rejected_with_offset),
        cmocka_unit_test(test_overlong_name_is_a_limit_error),
        cmocka_unit_test(test_normalise_out_of_memory_is_clean),
    };
    return cmocka_run_group_tests_name("names", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
