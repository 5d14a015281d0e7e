/* SPDX-License-Identifier: MIT */
/* Unit tests: growable buffer, printf and JSON string escaping. */
#include "helpers.h"

#include <limits.h>
#include <stdio.h>
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

/* printf into the room already there, at every boundary: the text one byte
   short of the room, exactly filling it (no space for the NUL), one byte over */
static void test_printf_at_the_capacity_boundary(void **state)
{
    (void)state;
    for (size_t pre = 0; pre < 70; pre++)
        for (int w = 1; w < 140; w++) {
            tts_buf b = TTS_BUF_INIT;
            char want[256];
            for (size_t i = 0; i < pre; i++)
                tts_buf_putc(&b, 'a');
            tts_buf_printf(&b, "%*d", w, 7);
            assert_false(tts_buf_failed(&b));
            memset(want, 'a', pre);
            snprintf(want + pre, sizeof(want) - pre, "%*d", w, 7);
            assert_int_equal(b.len, strlen(want));
            assert_string_equal(b.data, want);
            tts_buf_free(&b);
        }
}

static void test_integers_are_written_in_decimal(void **state)
{
    static const long long sv[] = {0, 1, -1, 9, 10, -10, 99, 100, 123456789,
                                   LLONG_MAX, LLONG_MIN, LLONG_MIN + 1};
    tts_buf b = TTS_BUF_INIT;
    char want[64];
    (void)state;
    for (size_t i = 0; i < sizeof(sv) / sizeof(sv[0]); i++) {
        tts_buf_reset(&b);
        tts_buf_put_int(&b, sv[i]);
        snprintf(want, sizeof(want), "%lld", sv[i]);
        assert_string_equal(b.data, want);
    }
    tts_buf_reset(&b);
    tts_buf_put_uint(&b, ULLONG_MAX);
    snprintf(want, sizeof(want), "%llu", ULLONG_MAX);
    assert_string_equal(b.data, want);
    tts_buf_free(&b);
}

/* a printf that must grow the buffer and cannot: the text before it stays whole */
static void test_printf_growth_failure_keeps_the_text(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    tts_buf_puts(&b, "kept");
    tts_mem_fail_after(1);
    tts_buf_printf(&b, "%0200d", 5);
    tts_mem_fail_after(0);
    assert_true(tts_buf_failed(&b));
    assert_int_equal(b.len, 4);
    assert_string_equal(b.data, "kept");
    tts_buf_free(&b);
}

/* Every byte value at every position of a long string: the escaped text equals
   one written a character at a time from the escaping rules. */
static void test_json_escaping_of_every_byte_in_a_long_string(void **state)
{
    tts_buf got = TTS_BUF_INIT, want = TTS_BUF_INIT;
    char in[4096];
    unsigned x = 12345;
    (void)state;
    for (size_t i = 0; i < sizeof(in); i++) {
        x = x * 1103515245u + 12345u;
        in[i] = (char)(i < 256 ? i : (x >> 16) % 3 == 0 ? (x >> 8) & 0xffu : 'a' + (unsigned)(i % 26));
    }
    tts_buf_putc(&got, '>');
    tts_buf_json_str(&got, in, sizeof(in));
    tts_buf_putc(&want, '>');
    tts_buf_putc(&want, '"');
    for (size_t i = 0; i < sizeof(in); i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '"' || c == '\\') {
            tts_buf_putc(&want, '\\');
            tts_buf_putc(&want, (char)c);
        } else if (c == '\n' || c == '\r' || c == '\t' || c == '\b' || c == '\f') {
            tts_buf_putc(&want, '\\');
            tts_buf_putc(&want, c == '\n' ? 'n' : c == '\r' ? 'r' : c == '\t' ? 't' : c == '\b' ? 'b' : 'f');
        } else if (c < 0x20 || c == 0x7f) {
            char u[8];
            snprintf(u, sizeof(u), "\\u%04x", c);
            tts_buf_puts(&want, u);
        } else {
            tts_buf_putc(&want, (char)c);
        }
    }
    tts_buf_putc(&want, '"');
    assert_false(tts_buf_failed(&got));
    assert_int_equal(got.len, want.len);
    assert_memory_equal(got.data, want.data, want.len + 1);
    tts_buf_free(&got);
    tts_buf_free(&want);
}

/* Code points at each UTF-8 length boundary, as the standard encodes them. */
static void test_code_points_are_encoded_in_utf8(void **state)
{
    static const struct {
        unsigned cp;
        const char *want;
    } rows[] = {{0x41, "A"},          {0x7f, "\x7f"},         {0x80, "\xc2\x80"},
                {0xe9, "\xc3\xa9"},  {0x7ff, "\xdf\xbf"},   {0x800, "\xe0\xa0\x80"},
                {0x20ac, "\xe2\x82\xac"}, {0xffff, "\xef\xbf\xbf"},
                {0x10000, "\xf0\x90\x80\x80"}, {0x1f600, "\xf0\x9f\x98\x80"},
                {0x10ffff, "\xf4\x8f\xbf\xbf"}};
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_buf b = TTS_BUF_INIT;
        tts_buf_put_utf8(&b, rows[i].cp);
        assert_string_equal(b.data, rows[i].want);
        tts_buf_free(&b);
    }
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
        cmocka_unit_test(test_printf_at_the_capacity_boundary),
        cmocka_unit_test(test_integers_are_written_in_decimal),
        cmocka_unit_test(test_printf_growth_failure_keeps_the_text),
        cmocka_unit_test(test_json_escaping_of_every_byte_in_a_long_string),
        cmocka_unit_test(test_code_points_are_encoded_in_utf8),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
