/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: tts_json_canonical writes byte for byte what jansson's
 * json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS) writes (stored record hashes
 * are taken over that text), on every fixture that parses as JSON and on
 * generated values; fails cleanly when out of memory; and a speed figure.
 */
#include "helpers.h"

#include <dirent.h>
#include <float.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "record/canon.h"
#include "ttscreen.h"
#include "util/mem.h"

#define N_TREES 20000

static tts_buf g_out = TTS_BUF_INIT; /* reused by compare(); freed at the end of each test */
static unsigned long g_compared;     /* values compared with jansson, over all tests */
static unsigned long g_nodes;        /* values inside the generated trees */

/*
 * Compare with jansson: a scalar root needs JSON_ENCODE_ANY, which changes
 * nothing else. On a difference, fails naming where and the first byte.
 */
static void compare(const json_t *v, const char *where)
{
    size_t flags = JSON_COMPACT | JSON_SORT_KEYS;
    char *want;
    size_t wlen, at = 0;
    if (!json_is_object(v) && !json_is_array(v))
        flags |= JSON_ENCODE_ANY;
    want = json_dumps(v, flags);
    if (want == NULL)
        fail_msg("%s: jansson cannot dump the value", where);
    tts_buf_reset(&g_out);
    if (tts_json_canonical(v, &g_out) != 0)
        fail_msg("%s: tts_json_canonical failed", where);
    wlen = strlen(want);
    if (g_out.len != wlen || memcmp(g_out.data, want, wlen) != 0) {
        while (at < wlen && at < g_out.len && g_out.data[at] == want[at])
            at++;
        fail_msg("%s: differs at byte %zu (lengths %zu, jansson %zu)\n ours:    %.80s\n jansson: "
                 "%.80s",
                 where, at, g_out.len, wlen, g_out.data + (at > 20 ? at - 20 : 0),
                 want + (at > 20 ? at - 20 : 0));
    }
    tts_free(want); /* tts_init made tts_free jansson's free */
    g_compared++;
}

/* Parse text with JSON_DECODE_ANY and compare; returns 1 when it parsed. */
static int compare_text(const char *text, size_t len, const char *where)
{
    json_error_t jerr;
    json_t *v = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    if (v == NULL)
        return 0;
    compare(v, where);
    json_decref(v);
    return 1;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

typedef struct walk_counts {
    unsigned long files, files_json, lines, lines_json;
} walk_counts;

/* One fixture text (a file, or a line of a *.jsonl file): counted, compared when JSON. */
static void compare_one(void *user, const char *file, const char *where, const char *data,
                        size_t len, size_t line)
{
    walk_counts *wc = user;
    (void)file;
    if (line == 0) {
        wc->files++;
        wc->files_json += (unsigned long)compare_text(data, len, where);
    } else {
        wc->lines++;
        wc->lines_json += (unsigned long)compare_text(data, len, where);
    }
}

static void test_every_fixture_is_written_as_jansson_writes_it(void **state)
{
    walk_counts wc = {0, 0, 0, 0};
    unsigned long before = g_compared;
    (void)state;
    tts_test_each_text(tts_test_fixture(""), compare_one, &wc);
    tts_buf_free(&g_out);
    print_message("fixtures: %lu files (%lu parse as JSON), %lu JSON Lines lines (%lu parse): "
                  "%lu values compared, all identical\n",
                  wc.files, wc.files_json, wc.lines, wc.lines_json, g_compared - before);
    assert_true(wc.files_json >= 100);
    assert_true(wc.lines_json >= 10);
}

#define pick tts_test_pick
#define next_random tts_test_random

/* Append code point cp in UTF-8 (1 to 4 bytes). */
static size_t put_utf8(char *p, unsigned cp)
{
    if (cp < 0x80) {
        p[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        p[0] = (char)(0xC0 | (cp >> 6));
        p[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        p[0] = (char)(0xE0 | (cp >> 12));
        p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        p[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    p[0] = (char)(0xF0 | (cp >> 18));
    p[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    p[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    p[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One random character: mostly ASCII 0x01..0x7f (NUL too when nul), else 2, 3 or 4 bytes. */
static size_t random_char(char *p, int nul)
{
    unsigned cp;
    switch (pick(8)) {
    case 0:
        cp = 0x80 + pick(0x800 - 0x80);
        break;
    case 1:
        do
            cp = 0x800 + pick(0x10000 - 0x800);
        while (cp >= 0xD800 && cp <= 0xDFFF);
        break;
    case 2:
        cp = 0x10000 + pick(0x110000 - 0x10000);
        break;
    default:
        cp = nul && pick(40) == 0 ? 0 : 1 + pick(0x7F);
        break;
    }
    return put_utf8(p, cp);
}

/* Keys share prefixes (so "ab" < "abc" < "b" and bytes >= 0x80 decide orders). */
static size_t random_key(char *p)
{
    static const char *const prefix[] = {"",
                                         "a",
                                         "ab",
                                         "abc",
                                         "b",
                                         "B",
                                         "_",
                                         "\x7f",
                                         "\xc3\xa9",
                                         "\xe2\x82\xac",
                                         "id",
                                         "a\x01",
                                         "\xf0\x9f\x98\x80"};
    const char *pre = prefix[pick(sizeof(prefix) / sizeof(prefix[0]))];
    size_t n = strlen(pre), units = pick(4);
    memcpy(p, pre, n);
    for (size_t i = 0; i < units; i++)
        n += pick(3) == 0 ? random_char(p + n, 1) : put_utf8(p + n, "abc"[pick(3)]);
    return n;
}

static json_t *random_integer(void)
{
    static const json_int_t special[] = {
        0,       1,         -1, 9, 10, -10, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1, LLONG_MAX - 1,
        1000000, -999999999};
    if (pick(3) == 0)
        return json_integer(special[pick(sizeof(special) / sizeof(special[0]))]);
    else {
        unsigned long long u = next_random() >> pick(64);
        return json_integer((json_int_t)(pick(2) ? u : 0 - u)); /* two's complement */
    }
}

static json_t *random_real(void)
{
    static const double special[] = {
        0.5,  1e300,  -1e-300, 1.0,      123456789.125,     0.0,   -0.0,  0.1, 1e-5, 1e16,
        1e17, 5e-324, DBL_MAX, -DBL_MIN, 3.141592653589793, 100.0, 2.5e-7};
    if (pick(2) == 0) {
        return json_real(special[pick(sizeof(special) / sizeof(special[0]))]);
    } else {
        unsigned long long bits = next_random();
        double d;
        memcpy(&d, &bits, sizeof(d));
        if (d != d || d - d != 0) /* NaN or infinite: jansson takes neither */
            d = (double)(long long)bits / 7.0;
        return json_real(d);
    }
}

static json_t *random_value(int depth);

static json_t *random_object(int depth)
{
    json_t *o = json_object();
    /* sometimes more than 16 members, so the heap and qsort path runs too */
    unsigned n = pick(6) == 0 ? 17 + pick(30) : pick(7);
    for (unsigned i = 0; i < n; i++) {
        char key[64];
        size_t len = random_key(key);
        if (json_object_setn_new(o, key, len, random_value(depth + 1)) != 0)
            fail_msg("cannot set a generated key");
    }
    return o;
}

static json_t *random_value(int depth)
{
    unsigned kind = depth >= 6 ? 2 + pick(7) : pick(9);
    g_nodes++;
    switch (kind) {
    case 0:
        return random_object(depth);
    case 1: {
        json_t *a = json_array();
        for (unsigned i = 0, n = pick(7); i < n; i++)
            json_array_append_new(a, random_value(depth + 1));
        return a;
    }
    case 2:
    case 3: {
        char s[256];
        size_t n = 0;
        for (unsigned i = 0, units = pick(5) == 0 ? 0 : 1 + pick(40); i < units; i++)
            n += random_char(s + n, 1);
        return json_stringn(s, n);
    }
    case 4:
        return random_integer();
    case 5:
        return random_real();
    case 6:
        return json_true();
    case 7:
        return json_false();
    default:
        return json_null();
    }
}

static void test_generated_values_are_written_as_jansson_writes_them(void **state)
{
    unsigned long before = g_compared;
    (void)state;
    tts_test_seed(20240601);
    g_nodes = 0;
    for (int i = 0; i < N_TREES; i++) {
        char where[64];
        json_t *v = pick(10) == 0 ? random_value(0) : random_object(0);
        if (v == NULL)
            fail_msg("tree %d: cannot build", i);
        snprintf(where, sizeof(where), "generated tree %d", i);
        compare(v, where);
        json_decref(v);
    }
    tts_buf_free(&g_out);
    print_message("generated: %lu trees (%lu values inside them) compared, all identical\n",
                  g_compared - before, g_nodes);
}

/* Each byte 0x00..0x7f as a key and as a string, the ends of the 2-, 3- and 4-byte ranges as a
   key; and the hex of \u00XX is upper case. */
static void test_every_byte_and_the_hex_case(void **state)
{
    json_t *o = json_object(), *a = json_array(), *s;
    (void)state;
    for (unsigned c = 0; c < 0x80; c++) {
        char k[2] = {(char)c, 'k'};
        json_object_setn_new(o, k, 2, json_stringn(k, 1));
        json_array_append_new(a, json_stringn(k, 1));
    }
    json_object_set_new(o, "\xc2\x80\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf", json_true());
    compare(o, "every byte as a key");
    compare(a, "every byte as a string");
    s = json_string("\x1f\x7f");
    tts_buf_reset(&g_out);
    assert_int_equal(tts_json_canonical(s, &g_out), 0);
    assert_string_equal(g_out.data, "\"\\u001F\x7f\"");
    json_decref(s);
    json_decref(o);
    json_decref(a);
    tts_buf_free(&g_out);
}

/* Nesting to jansson's parser bound is written; deeper, and a cycle, give -1 without a crash. */
static void test_deep_nesting_and_a_cycle_end_cleanly(void **state)
{
    json_t *root = json_array(), *inner = root, *a, *b;
    tts_buf out = TTS_BUF_INIT;
    (void)state;
    for (int i = 1; i < TTS_CANON_MAX_DEPTH; i++) {
        json_t *next = i % 2 ? json_array() : json_object();
        if (json_is_array(inner))
            json_array_append_new(inner, next);
        else
            json_object_set_new(inner, "k", next);
        inner = next;
    }
    json_array_append_new(inner, json_integer(1)); /* inner is an array: the depth is odd */
    compare(root, "nesting of TTS_CANON_MAX_DEPTH");
    json_array_append_new(inner, json_array());
    assert_int_equal(tts_json_canonical(root, &out), -1);
    json_decref(root);
    a = json_array();
    b = json_array();
    json_array_append(a, b);
    json_array_append(b, a);
    tts_buf_reset(&out);
    assert_int_equal(tts_json_canonical(a, &out), -1);
    assert_null(json_dumps(a, JSON_COMPACT | JSON_SORT_KEYS)); /* jansson finds the loop */
    json_array_clear(b);
    json_decref(a);
    json_decref(b);
    tts_buf_free(&out);
    tts_buf_free(&g_out);
}

/* Known difference: bytes are not decoded, so invalid UTF-8 (possible only through
   json_stringn_nocheck) is copied where jansson refuses to dump. */
static void test_invalid_utf8_made_by_hand_is_copied(void **state)
{
    json_t *o = json_object();
    tts_buf out = TTS_BUF_INIT;
    (void)state;
    json_object_set_new(o, "s", json_stringn_nocheck("\xff\xc3", 2));
    assert_null(json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS));
    assert_int_equal(tts_json_canonical(o, &out), 0);
    assert_string_equal(out.data, "{\"s\":\"\xff\xc3\"}");
    json_decref(o);
    tts_buf_free(&out);
}

/*
 * For every N until the call succeeds, allocation N and all after it fail:
 * -1 and a failed buffer each time, no leak (cmocka's allocator), and the
 * text jansson writes once it succeeds. The value has an object of more
 * than 16 keys (the heap path), a real (jansson allocates to write it) and
 * enough text that the buffer grows several times.
 */
static void test_allocation_failures_return_minus_one_and_leak_nothing(void **state)
{
    json_t *v = json_object(), *big = json_object();
    char *want;
    unsigned long n = 1;
    (void)state;
    for (int i = 0; i < 40; i++) {
        char key[16];
        snprintf(key, sizeof(key), "k%02d", 39 - i);
        json_object_set_new(big, key, json_string("a string long enough to grow the buffer"));
    }
    json_object_set_new(v, "big", big);
    json_object_set_new(v, "real", json_real(0.5));
    json_object_set_new(v, "z", json_integer(LLONG_MIN));
    want = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    assert_non_null(want);
    for (;; n++) {
        tts_buf out = TTS_BUF_INIT;
        int rc;
        tts_mem_fail_after(n);
        rc = tts_json_canonical(v, &out);
        tts_mem_fail_after(0);
        if (rc == 0) {
            assert_string_equal(out.data, want);
            tts_buf_free(&out);
            break;
        }
        if (rc != -1 || !tts_buf_failed(&out))
            fail_msg("allocation %lu: rc %d, buffer failed %d", n, rc, tts_buf_failed(&out));
        tts_buf_free(&out);
        assert_true(n < 1000);
    }
    print_message("out of memory: allocations 1..%lu failed in turn, each -1 without a leak\n",
                  n - 1);
    assert_true(n > 3);
    tts_free(want);
    json_decref(v);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The largest object among fixtures/records (files and JSON Lines lines); caller frees. */
static json_t *largest_record(void)
{
    json_t *best = NULL;
    size_t best_len = 0;
    DIR *d = opendir(tts_test_fixture("records"));
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char rel[512];
        size_t len, start = 0;
        char *data;
        if (!ends_with(de->d_name, ".json") && !ends_with(de->d_name, ".jsonl"))
            continue;
        snprintf(rel, sizeof(rel), "records/%s", de->d_name);
        data = tts_test_read_file(tts_test_fixture(rel), &len);
        for (size_t i = 0; i <= len; i++) {
            json_t *v;
            if (i < len && (data[i] != '\n' || ends_with(de->d_name, ".json")))
                continue;
            v = json_loadb(data + start, i - start, 0, NULL);
            if (v != NULL && json_is_object(v) && i - start > best_len) {
                json_decref(best);
                best = v;
                best_len = i - start;
            } else {
                json_decref(v);
            }
            start = i + 1;
        }
        free(data);
    }
    closedir(d);
    assert_non_null(best);
    print_message("benchmark record: %zu bytes of JSON text\n", best_len);
    return best;
}

/*
 * Not asserted: 2,000 writes of the largest fixture record by each, a fresh
 * buffer each time (both allocate their output), with the default
 * allocator so that cmocka's bookkeeping is not what is measured.
 */
static void test_speed_against_jansson(void **state)
{
    enum { ITERATIONS = 2000 };
    json_t *rec;
    double t0, t_jansson, t_ours;
    size_t sink = 0;
    (void)state;
    tts_mem_set_hooks(NULL);
    rec = largest_record();
    t0 = seconds();
    for (int i = 0; i < ITERATIONS; i++) {
        char *s = json_dumps(rec, JSON_COMPACT | JSON_SORT_KEYS);
        assert_non_null(s);
        sink += strlen(s);
        tts_free(s);
    }
    t_jansson = seconds() - t0;
    t0 = seconds();
    for (int i = 0; i < ITERATIONS; i++) {
        tts_buf out = TTS_BUF_INIT;
        assert_int_equal(tts_json_canonical(rec, &out), 0);
        sink += out.len;
        tts_buf_free(&out);
    }
    t_ours = seconds() - t0;
    json_decref(rec);
    tts_test_use_cmocka_allocator(NULL);
    print_message("benchmark: %d writes: jansson %.1f ms, tts_json_canonical %.1f ms: %.2fx "
                  "faster (%zu bytes)\n",
                  ITERATIONS, t_jansson * 1e3, t_ours * 1e3, t_jansson / t_ours, sink);
}

static int group_setup(void **state)
{
    tts_test_use_cmocka_allocator(state);
    return tts_init() == TTS_OK ? 0 : -1; /* routes jansson through the checked allocator */
}

static int group_teardown(void **state)
{
    print_message("tts_json_canonical: %lu values compared with jansson, all identical\n",
                  g_compared);
    tts_fini();
    return tts_test_use_default_allocator(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fixture_is_written_as_jansson_writes_it),
        cmocka_unit_test(test_generated_values_are_written_as_jansson_writes_them),
        cmocka_unit_test(test_every_byte_and_the_hex_case),
        cmocka_unit_test(test_deep_nesting_and_a_cycle_end_cleanly),
        cmocka_unit_test(test_invalid_utf8_made_by_hand_is_copied),
        cmocka_unit_test(test_allocation_failures_return_minus_one_and_leak_nothing),
        cmocka_unit_test(test_speed_against_jansson),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
