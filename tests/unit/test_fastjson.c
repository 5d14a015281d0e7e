/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: tts_json_fast_parse against jansson, differentially. Every
 * fixture file (whole, and each line of *.jsonl files) and generated texts,
 * valid and broken, are given to both; whenever the fast parser returns a
 * tree, jansson (same bytes, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY) must
 * succeed too with a json_equal tree whose types match node for node. Every
 * record fixture jansson accepts must take the fast path. Also: allocation
 * failures give NULL without a leak, and a (printed) speed figure.
 */
#include "helpers.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "record/fastjson.h"
#include "ttscreen.h"
#include "util/buf.h"
#include "util/mem.h"

#define FLAGS (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY)
#define N_GENERATED 30000 /* valid texts; each also gives a broken variant */

typedef struct counts {
    unsigned long inputs;  /* given to both */
    unsigned long jansson; /* jansson accepted */
    unsigned long fast;    /* the fast parser returned a tree (each checked equal) */
    unsigned long gave_up; /* jansson accepted, the fast parser gave up */
} counts;

static counts g_total;

/* Same type at every node (json_equal already compares types; checked anyway). */
static int same_types(const json_t *a, const json_t *b)
{
    if (json_typeof(a) != json_typeof(b))
        return 0;
    if (json_is_object(a)) {
        const char *k;
        size_t klen;
        json_t *v;
        if (json_object_size(a) != json_object_size(b))
            return 0;
        json_object_keylen_foreach((json_t *)(uintptr_t)a, k, klen, v)
        {
            json_t *w = json_object_getn(b, k, klen);
            if (w == NULL || !same_types(v, w))
                return 0;
        }
    } else if (json_is_array(a)) {
        if (json_array_size(a) != json_array_size(b))
            return 0;
        for (size_t i = 0; i < json_array_size(a); i++)
            if (!same_types(json_array_get(a, i), json_array_get(b, i)))
                return 0;
    }
    return 1;
}

/*
 * Both parsers on data; fails on any disagreement. Returns 2 when the fast
 * parser gave a tree, 1 when only jansson did, 0 when neither.
 */
static int check(const char *data, size_t len, const char *where, counts *c)
{
    json_error_t jerr;
    json_t *fast = tts_json_fast_parse(data, len);
    json_t *slow = json_loadb(data, len, FLAGS, &jerr);
    int r = fast != NULL ? 2 : slow != NULL;
    c->inputs++;
    c->jansson += slow != NULL;
    c->fast += fast != NULL;
    c->gave_up += fast == NULL && slow != NULL;
    if (fast == NULL && slow != NULL && getenv("TTS_FASTJSON_SHOW") != NULL)
        print_message("%s: left to jansson: %.300s\n", where, data);
    if (fast != NULL && slow == NULL)
        fail_msg("%s: the fast parser returned a tree where jansson says: %s (%zu bytes: %.200s)",
                 where, jerr.text, len, data);
    if (fast != NULL && !json_equal(fast, slow))
        fail_msg("%s: trees differ (%zu bytes: %.200s)", where, len, data);
    if (fast != NULL && !same_types(fast, slow))
        fail_msg("%s: types differ (%zu bytes: %.200s)", where, len, data);
    json_decref(fast);
    json_decref(slow);
    return r;
}

static void add(counts *to, const counts *c)
{
    to->inputs += c->inputs;
    to->jansson += c->jansson;
    to->fast += c->fast;
    to->gave_up += c->gave_up;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Under fixtures/records/ (not below it): a record file, whose accepted text must go fast. */
static char g_records_dir[4096]; /* tts_test_fixture("records/"), kept (its buffer is static) */

static int is_record_file(const char *path)
{
    const char *rec = g_records_dir;
    size_t n = strlen(rec);
    return strncmp(path, rec, n) == 0 && strchr(path + n, '/') == NULL &&
           (ends_with(path, ".json") || ends_with(path, ".jsonl"));
}

typedef struct walk_counts {
    unsigned long files, lines, records, records_fast;
} walk_counts;

static void check_record(int r, const char *where, walk_counts *wc)
{
    if (r == 0)
        return;
    wc->records++;
    if (r != 2)
        fail_msg("%s: jansson accepts this record but the fast parser gave up", where);
    wc->records_fast++;
}

typedef struct walk_ctx {
    walk_counts *wc;
    counts *c;
} walk_ctx;

/* One fixture text (a file, or a line of a *.jsonl file) against jansson. */
static void check_one(void *user, const char *file, const char *where, const char *data,
                      size_t len, size_t line)
{
    walk_ctx *w = user;
    int record = is_record_file(file);
    int r = check(data, len, where, w->c);
    if (line == 0)
        w->wc->files++;
    else
        w->wc->lines++;
    if (record && (line > 0 || ends_with(file, ".json")))
        check_record(r, where, w->wc);
}

static void test_every_fixture_agrees_with_jansson(void **state)
{
    walk_counts wc = {0, 0, 0, 0};
    counts c = {0, 0, 0, 0};
    char root[4096];
    (void)state;
    snprintf(g_records_dir, sizeof(g_records_dir), "%s", tts_test_fixture("records/"));
    snprintf(root, sizeof(root), "%s", tts_test_fixture(""));
    {
        walk_ctx w = {&wc, &c};
        tts_test_each_text(root, check_one, &w);
    }
    print_message("fixtures: %lu files, %lu JSON Lines lines: %lu inputs, jansson accepted %lu, "
                  "fast path %lu, fast gave up %lu, mismatches 0; records: %lu accepted, %lu "
                  "by the fast path\n",
                  wc.files, wc.lines, c.inputs, c.jansson, c.fast, c.gave_up, wc.records,
                  wc.records_fast);
    add(&g_total, &c);
    assert_true(wc.records >= 20);
    assert_int_equal(wc.records, wc.records_fast);
}

/* shapes picked from the tests' shared deterministic sequence */
#define pick tts_test_pick
#define next_random tts_test_random

static void put_hex4(tts_buf *b, unsigned v)
{
    const char *digits = pick(2) ? "0123456789abcdef" : "0123456789ABCDEF";
    tts_buf_puts(b, "\\u");
    for (int sh = 12; sh >= 0; sh -= 4)
        tts_buf_putc(b, digits[(v >> sh) & 0xF]);
}

static void put_ws(tts_buf *b)
{
    static const char *const ws[] = {"", "", "", " ", "\n", "\t", "\r\n", "  "};
    tts_buf_puts(b, ws[pick(8)]);
}

/* A code point that is no surrogate (1 to 4 UTF-8 bytes). */
static unsigned random_cp(void)
{
    unsigned cp;
    switch (pick(4)) {
    case 0:
        return 0x80 + pick(0x800 - 0x80);
    case 1:
        do
            cp = 0x800 + pick(0x10000 - 0x800);
        while (cp >= 0xD800 && cp <= 0xDFFF);
        return cp;
    case 2:
        return 0x10000 + pick(0x110000 - 0x10000);
    default:
        return pick(2) ? 0x10FFFF : 0xFFFF;
    }
}

/* The body of a string (no quotes): plain runs, raw UTF-8 and every kind of escape. */
static void put_string_body(tts_buf *b, unsigned units)
{
    static const char *const esc[] = {"\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"};
    for (unsigned i = 0; i < units; i++) {
        unsigned k = pick(20), cp;
        if (k < 8) {
            tts_buf_puts(b, pick(2) ? "plain text " : "abcdefghijklmnopqrstuvwxyz0123456789");
        } else if (k < 11) {
            tts_buf_putc(b, (char)(0x20 + pick(0x60))); /* 0x20..0x7f; '"' and '\\' fixed below */
            if (b->data[b->len - 1] == '"' || b->data[b->len - 1] == '\\')
                b->data[b->len - 1] = '.';
        } else if (k < 14) {
            tts_buf_put_utf8(b, random_cp());
        } else if (k < 16) {
            tts_buf_puts(b, esc[pick(8)]);
        } else if (k < 18) {
            do
                cp = 1 + pick(0xFFFF);
            while (cp >= 0xD800 && cp <= 0xDFFF);
            put_hex4(b, pick(3) == 0 ? 1 + pick(0x7F) : cp);
        } else {
            cp = 0x10000 + pick(0x100000); /* a surrogate pair */
            put_hex4(b, 0xD800 + ((cp - 0x10000) >> 10));
            put_hex4(b, 0xDC00 + ((cp - 0x10000) & 0x3FF));
        }
    }
}

static void put_number(tts_buf *b)
{
    static const char *const forms[] = {"0",
                                        "-0",
                                        "1",
                                        "-1",
                                        "1e5",
                                        "1E+5",
                                        "1e-5",
                                        "1E-05",
                                        "0.5",
                                        "-0.5",
                                        "-0.0",
                                        "0e0",
                                        "123456789012345678901",
                                        "-9223372036854775808",
                                        "9223372036854775807",
                                        "9223372036854775808",
                                        "-9223372036854775809",
                                        "10000000000000000000",
                                        "99999999999999999999",
                                        "1.7976931348623157e308",
                                        "1e309",
                                        "-1e400",
                                        "2.5E-3",
                                        "5e-324",
                                        "1e-400",
                                        "4.9406564584124654e-324",
                                        "3.141592653589793",
                                        "100",
                                        "12.0",
                                        "1.0e+0",
                                        "0.1",
                                        "1e22",
                                        "1e23"};
    /* forms jansson refuses (the fast parser must give up too) */
    static const char *const bad[] = {"01",  "-01",  "1.",   ".5",  "-",        "+1",  "1e",
                                      "1e+", "0x10", "1.e5", "--1", "Infinity", "NaN", "1_000"};
    unsigned k = pick(4);
    if (pick(60) == 0) {
        tts_buf_puts(b, bad[pick(sizeof(bad) / sizeof(bad[0]))]);
    } else if (k == 0) {
        tts_buf_puts(b, forms[pick(sizeof(forms) / sizeof(forms[0]))]);
    } else if (k == 1) {
        unsigned shift = pick(64); /* apart: the random calls in a fixed order */
        unsigned long long u = next_random() >> shift;
        if (pick(2))
            tts_buf_putc(b, '-');
        tts_buf_put_uint(b, u);
    } else {
        unsigned shift = pick(64);
        if (pick(3) == 0)
            tts_buf_putc(b, '-');
        tts_buf_put_uint(b, next_random() >> shift);
        if (pick(2)) {
            tts_buf_putc(b, '.');
            for (unsigned i = 0, n = 1 + pick(18); i < n; i++)
                tts_buf_putc(b, (char)('0' + pick(10)));
        }
        if (pick(2)) {
            tts_buf_putc(b, "eE"[pick(2)]);
            if (pick(2))
                tts_buf_putc(b, "+-"[pick(2)]);
            tts_buf_put_uint(b, pick(4) ? pick(30) : pick(400));
        }
    }
}

static void put_value(tts_buf *b, int depth);

/* Keys from a small set, so that sometimes one repeats (jansson's duplicate error). */
static void put_key(tts_buf *b)
{
    static const char *const keys[] = {"id",
                                       "name",
                                       "country",
                                       "a",
                                       "b",
                                       "c",
                                       "",
                                       "\\u0061",
                                       "caf\xc3\xa9",
                                       "caf\\u00e9",
                                       "\\ud83d\\ude00",
                                       "\xf0\x9f\x98\x80",
                                       "k\\n",
                                       "k\\\\",
                                       "k\\/"};
    tts_buf_putc(b, '"');
    if (pick(12) == 0) {
        tts_buf_puts(b, keys[pick(sizeof(keys) / sizeof(keys[0]))]);
    } else {
        tts_buf_puts(b, "key");
        tts_buf_put_uint(b, next_random() % 1000000);
        if (pick(4) == 0)
            put_string_body(b, 1 + pick(3));
    }
    tts_buf_putc(b, '"');
}

static void put_value(tts_buf *b, int depth)
{
    unsigned kind = depth >= 5 ? 2 + pick(6) : pick(8);
    switch (kind) {
    case 0:
    case 1: {
        unsigned n = pick(8);
        int obj = kind == 0;
        tts_buf_putc(b, obj ? '{' : '[');
        put_ws(b);
        for (unsigned i = 0; i < n; i++) {
            if (i > 0) {
                tts_buf_putc(b, ',');
                put_ws(b);
            }
            if (obj) {
                put_key(b);
                put_ws(b);
                tts_buf_putc(b, ':');
                put_ws(b);
            }
            put_value(b, depth + 1);
            put_ws(b);
        }
        tts_buf_putc(b, obj ? '}' : ']');
        break;
    }
    case 2:
    case 3:
        tts_buf_putc(b, '"');
        put_string_body(b, pick(5) == 0 ? 0 : 1 + pick(6));
        tts_buf_putc(b, '"');
        break;
    case 4:
    case 5:
        put_number(b);
        break;
    default:
        tts_buf_puts(b, (const char *const[]){"true", "false", "null"}[pick(3)]);
        break;
    }
}

/* A record-shaped text: an object of a few members, most of them strings. */
static void put_text(tts_buf *b)
{
    tts_buf_reset(b);
    put_ws(b);
    if (pick(10) == 0) {
        put_value(b, 0);
    } else {
        tts_buf_putc(b, '{');
        for (unsigned i = 0, n = 1 + pick(12); i < n; i++) {
            if (i > 0)
                tts_buf_putc(b, ',');
            put_key(b);
            tts_buf_putc(b, ':');
            put_value(b, 1);
        }
        tts_buf_putc(b, '}');
    }
    put_ws(b);
}

/* Insert n bytes of s at pos. */
static void insert(tts_buf *b, size_t pos, const char *s, size_t n)
{
    tts_buf_append(b, s, n); /* room */
    memmove(b->data + pos + n, b->data + pos, b->len - n - pos);
    memcpy(b->data + pos, s, n);
}

/* One broken (or, now and then, still valid) variant of the text in b. */
static void mutate(tts_buf *b)
{
    static const char *const bad[] = {"\xc0\x80",
                                      "\xed\xa0\x80",
                                      "\xed\xbf\xbf",
                                      "\xf4\x90\x80\x80",
                                      "\xff",
                                      "\xfe",
                                      "\xe2\x82",
                                      "\x80",
                                      "\xc3",
                                      "\xf0\x9f\x98",
                                      "\xf8\x88\x80\x80\x80",
                                      "\xe0\x80\xaf",
                                      "\\u0000",
                                      "\\ud800",
                                      "\\udc00",
                                      "\\ud800\\u0041",
                                      "\\udbff",
                                      "\\ud800\\ud800",
                                      "\\x",
                                      "\\u12",
                                      "\\U0041",
                                      "\\'",
                                      "\"",
                                      "\\",
                                      ",",
                                      ":",
                                      "{",
                                      "}",
                                      "[",
                                      "]",
                                      "\x01",
                                      "\x1f",
                                      "\n",
                                      "\t",
                                      "\x7f",
                                      "\0",
                                      "\"a\":1,\"a\":2",
                                      "\xef\xbb\xbf",
                                      " ",
                                      "1e999"};
    size_t pos = b->len > 0 ? pick((unsigned)b->len + 1) : 0;
    switch (pick(8)) {
    case 0: /* truncate */
        b->len = pos;
        break;
    case 1: /* flip a byte */
        if (b->len > 0) {
            size_t at = pick((unsigned)b->len); /* two statements: the picks in a fixed order */
            b->data[at] = (char)pick(256);
        }
        break;
    case 2:
    case 3: {
        const char *s = bad[pick(sizeof(bad) / sizeof(bad[0]))];
        insert(b, pos, s, s[0] == '\0' ? 1 : strlen(s));
        break;
    }
    case 4: /* a control character */
        insert(b, pos, (const char[]){(char)pick(0x20)}, 1);
        break;
    case 5: /* BOM in front */
        insert(b, 0, "\xef\xbb\xbf", 3);
        break;
    case 6: { /* trailing garbage (or whitespace) */
        static const char *const tail[] = {"x", ",", "}", " 1", "\0", " ", "\n\n", "\f", "{}"};
        const char *s = tail[pick(sizeof(tail) / sizeof(tail[0]))];
        tts_buf_append(b, s, s[0] == '\0' ? 1 : strlen(s));
        break;
    }
    default: /* a duplicate key: the first member again */
        if (b->len > 2 && b->data[0] == '{' && b->data[1] == '"') {
            char *comma = memchr(b->data, ',', b->len);
            if (comma != NULL && b->data[b->len - 1] == '}') {
                size_t n = (size_t)(comma - b->data) - 1;
                char *copy = malloc(n + 1);
                memcpy(copy, b->data + 1, n);
                copy[n] = ',';
                insert(b, 1, copy, n + 1);
                free(copy);
            }
        }
        break;
    }
    if (b->data != NULL)
        b->data[b->len] = '\0'; /* after a truncation; for the messages */
}

static void test_generated_texts_agree_with_jansson(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    counts valid = {0, 0, 0, 0}, broken = {0, 0, 0, 0};
    (void)state;
    tts_test_seed(20250101);
    for (int i = 0; i < N_GENERATED; i++) {
        char where[64];
        put_text(&b);
        assert_false(tts_buf_failed(&b));
        snprintf(where, sizeof(where), "generated text %d", i);
        check(b.data, b.len, where, &valid);
        for (int m = 0, n = 1 + (int)pick(3); m < n; m++)
            mutate(&b);
        assert_false(tts_buf_failed(&b));
        snprintf(where, sizeof(where), "mutated text %d", i);
        check(b.data, b.len, where, &broken);
    }
    tts_buf_free(&b);
    print_message("generated: %lu inputs, jansson accepted %lu, fast path %lu, fast gave up %lu, "
                  "mismatches 0\n",
                  valid.inputs, valid.jansson, valid.fast, valid.gave_up);
    print_message("mutated:   %lu inputs, jansson accepted %lu, fast path %lu, fast gave up %lu, "
                  "mismatches 0\n",
                  broken.inputs, broken.jansson, broken.fast, broken.gave_up);
    add(&g_total, &valid);
    add(&g_total, &broken);
    assert_true(valid.fast > valid.inputs / 2);
    assert_true(broken.jansson < broken.inputs);
}

/* Hand-picked cases: what each gives, exactly. */
static void test_chosen_inputs(void **state)
{
    static const struct {
        const char *text;
        int fast; /* 1: the fast path must take it (jansson does too); 0: it must give up */
    } cases[] = {{"{}", 1},
                 {"[]", 1},
                 {" \t\r\n{ } \n", 1},
                 {"\"x\"", 1},
                 {"0", 1},
                 {"-0", 1},
                 {"true", 1},
                 {"false", 1},
                 {"null", 1},
                 {"1e5", 1},
                 {"1E+5", 1},
                 {"0.5", 1},
                 {"-9223372036854775808", 1},
                 {"9223372036854775807", 1},
                 {"{\"a\\u0062\":\"\\ud83d\\ude00\\u00e9\\/\\b\\f\\n\\r\\t\\\"\\\\\"}", 1},
                 {"[\"\xf4\x8f\xbf\xbf\xc2\x80\xe0\xa0\x80\x7f\"]", 1},
                 {"{\"a\":1,\"b\":{\"a\":2}}", 1},
                 {"", 0},
                 {" ", 0},
                 {"9223372036854775808", 0},
                 {"-9223372036854775809", 0},
                 {"123456789012345678901", 0},
                 {"1e309", 0},
                 {"01", 0},
                 {"1.", 0},
                 {".5", 0},
                 {"+1", 0},
                 {"\xef\xbb\xbf{}", 0},
                 {"{} x", 0},
                 {"{},", 0},
                 {"{\"a\":1,\"a\":2}", 0},
                 {"{\"a\":1,\"\\u0061\":2}", 0},
                 {"[\"\\u0000\"]", 0},
                 {"{\"\\u0000\":1}", 0},
                 {"[\"\\ud800\"]", 0},
                 {"[\"\\udc00\"]", 0},
                 {"[\"\\ud800\\u0041\"]", 0},
                 {"[\"\xed\xa0\x80\"]", 0},
                 {"[\"\xc0\xaf\"]", 0},
                 {"[\"\xf4\x90\x80\x80\"]", 0},
                 {"[\"\x01\"]", 0},
                 {"[\"a\tb\"]", 0},
                 {"[1,]", 0},
                 {"{\"a\":1,}", 0},
                 {"[", 0},
                 {"tru", 0},
                 {"truex", 0},
                 {"nul", 0},
                 {"[1 2]", 0},
                 {"{\"a\" 1}", 0},
                 {"{1:1}", 0},
                 {"\"abc", 0},
                 {"\"\\q\"", 0},
                 {"\"\\u00g0\"", 0},
                 {"\f{}", 0},
                 {"1e-400", 1},
                 {"5e-324", 1},
                 {"-1e-400", 1},
                 {"1.7976931348623157e308", 1},
                 {"1.8e308", 0}};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        counts c = {0, 0, 0, 0};
        int r = check(cases[i].text, strlen(cases[i].text), cases[i].text, &c);
        if ((r == 2) != cases[i].fast)
            fail_msg("case %zu (%s): fast path %s", i, cases[i].text,
                     r == 2 ? "taken" : "not taken");
        add(&g_total, &c);
    }
    /*
     * jansson 2.14 skips a NUL byte right after a number or true/false/null
     * (so it takes "[1\0]" as [1]); the fast path gives up on any NUL.
     */
    {
        counts c = {0, 0, 0, 0};
        assert_int_equal(check("[1\0]", 4, "[1\\0]", &c), 1);
        assert_int_equal(check("false\0", 6, "false\\0", &c), 1);
        assert_int_equal(check("{}\0", 3, "{}\\0", &c), 0);
        assert_int_equal(check("[\"a\0\"]", 6, "[\"a\\0\"]", &c), 0);
        add(&g_total, &c);
    }
    /* json_equal tells an integer from an equal real */
    {
        json_t *i1 = json_integer(1), *r1 = json_real(1.0);
        assert_false(json_equal(i1, r1));
        json_decref(i1);
        json_decref(r1);
    }
    /* the types jansson gives */
    {
        json_t *v = tts_json_fast_parse("[1,1.0,1e0,-0,-0.0]", 19);
        assert_non_null(v);
        assert_true(json_is_integer(json_array_get(v, 0)));
        assert_true(json_is_real(json_array_get(v, 1)));
        assert_true(json_is_real(json_array_get(v, 2)));
        assert_true(json_is_integer(json_array_get(v, 3)));
        assert_true(json_is_real(json_array_get(v, 4)));
        json_decref(v);
    }
    /* bytes after the length given are not read */
    assert_null(tts_json_fast_parse("[1]", 2));
    {
        json_t *v = tts_json_fast_parse("[1] trailing", 3);
        assert_non_null(v);
        json_decref(v);
    }
    assert_null(tts_json_fast_parse(NULL, 0));
}

/*
 * Nesting up to TTS_FASTJSON_MAX_DEPTH goes fast; deeper is left to jansson,
 * which counts every value in its depth, scalars too: 2047 arrays around a
 * scalar pass, 2048 do not.
 */
static void test_deep_nesting(void **state)
{
    static const int depths[] = {1, 2, 63, 64, 65, 100, 2047, 2048, 2049, 3000};
    tts_buf b = TTS_BUF_INIT;
    (void)state;
    for (size_t i = 0; i < sizeof(depths) / sizeof(depths[0]); i++) {
        for (int mixed = 0; mixed < 2; mixed++) {
            counts c = {0, 0, 0, 0};
            char where[64];
            int r, d = depths[i];
            tts_buf_reset(&b);
            for (int k = 0; k < d; k++)
                tts_buf_puts(&b, mixed && k % 2 ? "{\"k\":" : "[");
            tts_buf_puts(&b, "1");
            for (int k = d - 1; k >= 0; k--)
                tts_buf_putc(&b, mixed && k % 2 ? '}' : ']');
            assert_false(tts_buf_failed(&b));
            snprintf(where, sizeof(where), "nesting %d%s", d, mixed ? " (mixed)" : "");
            r = check(b.data, b.len, where, &c);
            assert_int_equal(r, d <= TTS_FASTJSON_MAX_DEPTH ? 2 : d <= 2047 ? 1 : 0);
            add(&g_total, &c);
        }
    }
    tts_buf_free(&b);
}

/*
 * For every N until the parse succeeds, allocation N and all after it fail:
 * NULL each time, with no leak (cmocka's allocator); then the full tree.
 */
static void test_allocation_failures_give_null_and_leak_nothing(void **state)
{
    static const char text[] =
        "{\"id\":\"r-1\",\"name\":\"caf\\u00e9 \\ud83d\\ude00\",\"n\":[1,2.5,-3,true,null],"
        "\"o\":{\"k\\u0031\":\"\\\"quoted\\\"\",\"k2\":{}},\"s\":\"plain\"}";
    unsigned long n;
    json_t *v = NULL;
    (void)state;
    for (n = 1; n < 1000; n++) {
        tts_mem_fail_after(n);
        v = tts_json_fast_parse(text, sizeof(text) - 1);
        tts_mem_fail_after(0);
        if (v != NULL)
            break;
    }
    assert_non_null(v);
    {
        json_t *want = json_loads(text, FLAGS, NULL);
        assert_non_null(want);
        assert_true(json_equal(v, want));
        json_decref(want);
    }
    json_decref(v);
    print_message("out of memory: allocations 1..%lu failed in turn, each NULL without a leak\n",
                  n - 1);
    assert_true(n > 5);
}

static double seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/*
 * Not asserted: 2,000 parses of the largest .json file in fixtures/records
 * that jansson accepts whole, by each, with the default allocator so that
 * cmocka's bookkeeping is not what is measured.
 */
static void test_speed_against_jansson(void **state)
{
    enum { ITERATIONS = 2000 };
    char *best = NULL, *data;
    size_t best_len = 0;
    double t0, t_jansson, t_fast;
    size_t sink = 0;
    DIR *d = opendir(tts_test_fixture("records"));
    struct dirent *de;
    (void)state;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL) {
        char rel[512];
        size_t len;
        json_t *v;
        if (!ends_with(de->d_name, ".json"))
            continue;
        snprintf(rel, sizeof(rel), "records/%s", de->d_name);
        data = tts_test_read_file(tts_test_fixture(rel), &len);
        v = json_loadb(data, len, FLAGS, NULL);
        if (v != NULL && len > best_len) {
            free(best);
            best = data;
            best_len = len;
        } else {
            free(data);
        }
        json_decref(v);
    }
    closedir(d);
    assert_non_null(best);
    tts_mem_set_hooks(NULL);
    t0 = seconds();
    for (int i = 0; i < ITERATIONS; i++) {
        json_t *v = json_loadb(best, best_len, FLAGS, NULL);
        assert_non_null(v);
        sink += json_object_size(v);
        json_decref(v);
    }
    t_jansson = seconds() - t0;
    t0 = seconds();
    for (int i = 0; i < ITERATIONS; i++) {
        json_t *v = tts_json_fast_parse(best, best_len);
        assert_non_null(v);
        sink += json_object_size(v);
        json_decref(v);
    }
    t_fast = seconds() - t0;
    tts_test_use_cmocka_allocator(NULL);
    free(best);
    print_message("benchmark: %d parses of a %zu-byte record: jansson %.1f ms, fast path %.1f ms: "
                  "%.2fx faster (%zu)\n",
                  ITERATIONS, best_len, t_jansson * 1e3, t_fast * 1e3, t_jansson / t_fast, sink);
}

static int group_setup(void **state)
{
    tts_test_use_cmocka_allocator(state);
    return tts_init() == TTS_OK ? 0 : -1; /* routes jansson through the checked allocator */
}

static int group_teardown(void **state)
{
    print_message("tts_json_fast_parse: %lu inputs, jansson accepted %lu, fast path %lu, fast "
                  "gave up %lu, mismatches 0\n",
                  g_total.inputs, g_total.jansson, g_total.fast, g_total.gave_up);
    tts_fini();
    return tts_test_use_default_allocator(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_fixture_agrees_with_jansson),
        cmocka_unit_test(test_generated_texts_agree_with_jansson),
        cmocka_unit_test(test_chosen_inputs),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_allocation_failures_give_null_and_leak_nothing),
        cmocka_unit_test(test_speed_against_jansson),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
