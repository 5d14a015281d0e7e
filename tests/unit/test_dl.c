/* SPDX-License-Identifier: MIT */
/* Unit tests: libraries loaded by their first use (util/dl.h). */
#include "helpers.h"

#include <string.h>

#include "util/dl.h"

static void test_a_missing_library_names_itself_and_why(void **state)
{
    char problem[320] = "";
    (void)state;
    assert_null(tts_dl_open("libttscreen-no-such.so.9", "nothing", problem, sizeof(problem)));
    assert_non_null(strstr(problem, "cannot load nothing: "));
    assert_non_null(strstr(problem, "libttscreen-no-such.so.9"));
}

static void test_symbols_resolve_or_name_the_missing_one(void **state)
{
    char problem[320] = "";
    size_t (*len)(const char *) = NULL;
    void (*none)(void) = NULL;
    void *libc;
    (void)state;
    libc = tts_dl_open("libc.so.6", "libc", problem, sizeof(problem));
    assert_non_null(libc);
    assert_int_equal(tts_dl_sym(libc, "libc", "strlen", &len, sizeof(len), problem,
                                sizeof(problem)),
                     0);
    assert_int_equal(len("four"), 4);
    assert_int_equal(tts_dl_sym(libc, "libc", "tts_no_such_symbol", &none, sizeof(none),
                                problem, sizeof(problem)),
                     -1);
    assert_null(none);
    assert_string_equal(problem, "cannot load libc: no tts_no_such_symbol");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_missing_library_names_itself_and_why),
        cmocka_unit_test(test_symbols_resolve_or_name_the_missing_one),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
