/* SPDX-License-Identifier: MIT */
/* Unit tests: growable buffer, printf and JSON string escaping. */
#include "helpers.h"

#include <string.h>

#include "util/buf.h"
#include "util/mem.h"

static void test_append_and_printf_grow_the_buffer(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    for (int i = 0; i < 1000; i++)
        tts_buf_printf(&b, "%d,", i);
    assert_false(tts_buf_failed(&b));
    assert_int_equal(strlen(b.data), b.len);
    assert_memory_equal(b.data, "0,1,2,", 6);
    assert_string_equal(b.data + b.len - 4, "999,");
    tts_buf_free(&b);
}

static void test_json_escaping_table(void **state)
{
    static const struct {
        const char *in;
        size_t len;
        const char *out;
    } rows[] = {
        {"plain", 5, "\"plain\""},
        {"q\"b\\s", 5, "\"q\\\"b\\\\s\""},
        {"\n\r\t\b\f", 5, "\"\\n\\r\\t\\b\\f\""},
        {"\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\""},
        {"a\0b", 3, "\"a\\u0000b\""},
        {"\xe3\x83\x88\xe3\x83\xa8\xe3\x82\xbf", 9, "\"\xe3\x83\x88\xe3\x83\xa8\xe3\x82\xbf\""},
        {"</script>", 9, "\"</script>\""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_buf b = TTS_BUF_INIT;
        tts_buf_json_str(&b, rows[i].in, rows[i].len);
        if (strcmp(b.data, rows[i].out) != 0)
            fail_msg("row %zu: got %s, want %s", i, b.data, rows[i].out);
        tts_buf_free(&b);
    }
}

static void test_null_string_is_json_null(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_buf_json_cstr(&b, NULL);
    assert_string_equal(b.data, "null");
    tts_buf_free(&b);
}

static void test_allocation_failure_is_sticky(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_mem_fail_after(1);
    tts_buf_puts(&b, "x");
    tts_mem_fail_after(0);
    tts_buf_puts(&b, "y");
    assert_true(tts_buf_failed(&b));
    tts_buf_free(&b);
}

static void test_json_field_writes_key_value_pairs(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_buf_putc(&b, '{');
    tts_buf_json_field(&b, "a", "x\"y", 0);
    tts_buf_json_field(&b, "b", NULL, 1);
    tts_buf_putc(&b, '}');
    assert_string_equal(b.data, "{\"a\":\"x\\\"y\",\"b\":null}");
    tts_buf_free(&b);
}

static void test_steal_hands_over_the_data(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    size_t len = 0;
    char *s;
    (void)state;
    tts_buf_puts(&b, "abc");
    s = tts_buf_steal(&b, &len);
    assert_string_equal(s, "abc");
    assert_int_equal(len, 3);
    assert_null(b.data);
    tts_free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_and_printf_grow_the_buffer),
        cmocka_unit_test(test_json_escaping_table),
        cmocka_unit_test(test_null_string_is_json_null),
        cmocka_unit_test(test_allocation_failure_is_sticky),
        cmocka_unit_test(test_json_field_writes_key_value_pairs),
        cmocka_unit_test(test_steal_hands_over_the_data),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
