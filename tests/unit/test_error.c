/* SPDX-License-Identifier: MIT */
/* Unit tests: error messages made fit for one line (tts_err_printable). */
#include "helpers.h"

#include <string.h>

#include "util/error.h"

static void test_printable_escapes_control_bytes_only(void **state)
{
    static const char in[] = "near '\a\x1b[31m\x7f' \xe5\xae\x81\xe5\xbe\xb7\n\0x";
    char out[128];
    (void)state;
    tts_err_printable(in, sizeof(in) - 1, out, sizeof(out));
    /* BEL, ESC, DEL, newline and the NUL inside are written out; UTF-8 stays as it is */
    assert_string_equal(out, "near '\\x07\\x1b[31m\\x7f' \xe5\xae\x81\xe5\xbe\xb7\\x0a\\x00x");
}

static void test_printable_cuts_at_the_buffer_never_past_it(void **state)
{
    char out[16];
    (void)state;
    memset(out, 'Z', sizeof(out));
    tts_err_printable("\x01\x01\x01\x01\x01", 5, out, 12);
    /* two escapes fit (8 bytes); a third would need 4 more and the NUL */
    assert_string_equal(out, "\\x01\\x01");
    assert_int_equal(out[12], 'Z');
    tts_err_printable("abc", 3, out, 0); /* nothing written at all */
    assert_int_equal(out[0], '\\');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_printable_escapes_control_bytes_only),
        cmocka_unit_test(test_printable_cuts_at_the_buffer_never_past_it),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
