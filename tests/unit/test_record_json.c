/* SPDX-License-Identifier: MIT */
/*
 * The element-at-a-time JSON array reader (record_json.c): both document
 * shapes, members before and after the array, typed getters, and one-line
 * errors with line, column and JSON path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "record/record_json.h"

/* Open `text` and read every element; returns the status of the first failure. */
static tts_status read_all(const char *text, size_t *n, tts_error *err)
{
    tts_jlist *r = NULL;
    tts_status rc;
    int more = 1;
    *n = 0;
    tts_error_clear(err);
    rc = tts_jlist_open(text, strlen(text), "t.json", "results", &r, err);
    while (rc == TTS_OK && (rc = tts_jlist_next(r, &more, err)) == TTS_OK && more)
        (*n)++;
    tts_jlist_free(r);
    return rc;
}

static void test_shapes_and_skipped_members(void **state)
{
    static const char *const ok[] = {
        "{\"results\":[{\"name\":\"a\"},{\"name\":\"b\"}]}",
        "[{\"name\":\"a\"}, {\"name\":\"b\"}]",
        "\xEF\xBB\xBF [ {\"name\":\"a\"} ,\n{\"name\":\"b\"} ] \n",
        "{\"total\":12,\"n\":-1.5e3,\"t\":true,\"f\":false,\"z\":null,\"s\":\"}]\\\"\","
        "\"o\":{\"results\":[1]},\"a\":[[],{}],\"results\":[{\"x\":1},{\"y\":[2]}],\"after\":7}",
        "{\"results\":[{},{}],\"total\":2}",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        size_t n;
        tts_error err;
        if (read_all(ok[i], &n, &err) != TTS_OK)
            fail_msg("case %zu: %s", i, err.message);
        assert_int_equal(n, 2);
    }
}

typedef struct bad {
    const char *text, *message;
} bad;

static void test_errors_name_line_column_and_path(void **state)
{
    static const bad cases[] = {
        {"", "t.json:1:1: $: expected an object with a \"results\" array, or an array"},
        {"{\"total\":1}", "t.json:1:12: $: no \"results\" array"},
        {"{\"results\":{}}", "t.json:1:12: $.results: expected an array"},
        {"{\"results\":[],\"results\":[]}", "t.json:1:25: $.results: duplicate member"},
        {"{\"results\":[{\"a\":1},\n 5]}", "t.json:2:2: results[1]: expected an object, found a number"},
        {"{\"results\":[{\"a\":1}\n {\"a\":2}]}", "t.json:2:2: invalid JSON: expected ',' or ']' after an array element"},
        {"{\"results\":[{\"a\":1},]}", "t.json:1:21: results[1]: invalid JSON: unexpected token near ']'"},
        {"{\"results\":[{\"a\":1}],}", "t.json:1:22: invalid JSON: expected a member name"},
        {"{\"results\":[{\"a\":1}]} x", "t.json:1:23: invalid JSON: text after the end of the document"},
        {"{\"results\":[{\"a\":1}", "t.json:1:20: invalid JSON: expected ',' or ']' after an array element, found the end of the file"},
        {"{\"results\":[{\"a\":1,\"a\":2}]}", "results[0]: invalid JSON: duplicate object key"},
        {"{\"x\":tru,\"results\":[]}", "t.json:1:8: $: invalid JSON: invalid token near 'tru'"},
        {"[{\"a\":\"\\u0000\"}]", "[0]: invalid JSON: "},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n;
        tts_error err;
        if (read_all(cases[i].text, &n, &err) == TTS_OK)
            fail_msg("case %zu accepted", i);
        if (strstr(err.message, cases[i].message) == NULL)
            fail_msg("case %zu: '%s' lacks '%s'", i, err.message, cases[i].message);
        assert_null(strchr(err.message, '\n'));
    }
}

static void test_getters(void **state)
{
    const char *text = "{\"results\":[\n"
                       "{\"s\":\"text\",\"i\":39017,\"z\":null,\"arr\":[\"a\",null,7],\"one\":\"x\","
                       "\"objs\":[{\"c\":\"IR\",\"n\":2},null,{}],\"b\":true}]}";
    tts_jlist *r = NULL;
    tts_error err;
    const char *s;
    size_t n;
    int more;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_jlist_open(text, strlen(text), "t.json", "results", &r, &err), TTS_OK);
    assert_int_equal(tts_jlist_next(r, &more, &err), TTS_OK);
    assert_int_equal(more, 1);
    assert_int_equal(tts_jlist_index(r), 0);
    assert_int_equal(tts_jlist_line(r), 2);
    assert_int_equal(tts_jlist_string(r, "s", &s, &err), TTS_OK);
    assert_string_equal(s, "text");
    assert_int_equal(tts_jlist_string(r, "i", &s, &err), TTS_OK);
    assert_string_equal(s, "39017");
    assert_int_equal(tts_jlist_string(r, "z", &s, &err), TTS_OK);
    assert_null(s);
    assert_int_equal(tts_jlist_string(r, "absent", &s, &err), TTS_OK);
    assert_null(s);
    assert_int_equal(tts_jlist_count(r, "arr", &n, &err), TTS_OK);
    assert_int_equal(n, 3);
    assert_int_equal(tts_jlist_item(r, "arr", 1, NULL, &s, &err), TTS_OK);
    assert_null(s);
    assert_int_equal(tts_jlist_item(r, "arr", 2, NULL, &s, &err), TTS_OK);
    assert_string_equal(s, "7");
    assert_int_equal(tts_jlist_count(r, "one", &n, &err), TTS_OK);
    assert_int_equal(n, 1);
    assert_int_equal(tts_jlist_item(r, "one", 0, NULL, &s, &err), TTS_OK);
    assert_string_equal(s, "x");
    assert_int_equal(tts_jlist_count(r, "z", &n, &err), TTS_OK);
    assert_int_equal(n, 0);
    assert_int_equal(tts_jlist_item(r, "objs", 0, "c", &s, &err), TTS_OK);
    assert_string_equal(s, "IR");
    assert_int_equal(tts_jlist_item(r, "objs", 0, "n", &s, &err), TTS_OK);
    assert_string_equal(s, "2");
    assert_int_equal(tts_jlist_item(r, "objs", 1, "c", &s, &err), TTS_OK);
    assert_null(s);
    assert_int_equal(tts_jlist_item(r, "objs", 2, "c", &s, &err), TTS_OK);
    assert_null(s);
    assert_int_equal(tts_jlist_string(r, "b", &s, &err), TTS_ERR_JSON);
    assert_string_equal(err.message, "t.json:2:1: results[0].b: expected a string, found a boolean");
    tts_error_clear(&err);
    assert_int_equal(tts_jlist_item(r, "arr", 0, "c", &s, &err), TTS_ERR_JSON);
    assert_string_equal(err.message,
                        "t.json:2:1: results[0].arr[0]: expected an object, found a string");
    tts_error_clear(&err);
    assert_int_equal(tts_jlist_next(r, &more, &err), TTS_OK);
    assert_int_equal(more, 0);
    assert_int_equal(tts_jlist_next(r, &more, &err), TTS_OK);
    assert_int_equal(more, 0);
    tts_jlist_free(r);
}

/* Nesting inside an element stops at jansson's depth bound with a message, never a crash. */
static void test_deep_nesting_is_an_error(void **state)
{
    size_t depth = 100000, n;
    char *text = malloc(2 * depth + 64);
    size_t o = 0;
    tts_error err;
    (void)state;
    assert_non_null(text);
    o += (size_t)sprintf(text, "{\"results\":[{\"x\":");
    memset(text + o, '[', depth);
    o += depth;
    memset(text + o, ']', depth);
    o += depth;
    strcpy(text + o, "}]}");
    assert_int_equal(read_all(text, &n, &err), TTS_ERR_JSON);
    assert_non_null(strstr(err.message, "results[0]: invalid JSON: maximum parsing depth"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes_and_skipped_members),
        cmocka_unit_test(test_errors_name_line_column_and_path),
        cmocka_unit_test(test_getters),
        cmocka_unit_test(test_deep_nesting_is_an_error),
    };
    return cmocka_run_group_tests_name("record_json", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
