/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: counterparty sheets. CSV quoting (separators, quotes, line
 * breaks inside cells), headers found by name in English and Japanese and
 * in full width, every accepted encoding detected or given, and the errors
 * that name file, row and column or byte.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ttscreen.h"

static char dir[64];

static int group_setup(void **state)
{
    if (tts_test_scratch_make(dir, sizeof(dir), "sheet") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int group_teardown(void **state)
{
    tts_test_scratch_remove(dir);
    return tts_test_use_default_allocator(state);
}

/* Write bytes to DIR/name and return the path (static buffer). */
static const char *put(const char *name, const char *data, size_t len)
{
    static char path[160];
    FILE *fp;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return path;
}

static tts_sheet *open_ok(const char *path, const tts_sheet_opts *o)
{
    tts_sheet *s = NULL;
    tts_error err;
    tts_error_clear(&err);
    if (tts_sheet_open(path, o, &s, &err) != TTS_OK)
        fail_msg("%s", err.message);
    return s;
}

static void open_fails(const char *path, const tts_sheet_opts *o, const char *want)
{
    tts_sheet *s = NULL;
    tts_error err;
    tts_error_clear(&err);
    if (tts_sheet_open(path, o, &s, &err) == TTS_OK) {
        tts_sheet_close(s);
        fail_msg("%s opened, expected '%s'", path, want);
    }
    assert_null(s);
    if (strstr(err.message, want) == NULL)
        fail_msg("message '%s' lacks '%s'", err.message, want);
}

static void test_csv_quoting_and_carried_columns(void **state)
{
    static const char text[] = "\xEF\xBB\xBFid,Company Name,note\r\n"
                               "1,\"Acme, Inc.\",\"said \"\"hi\"\"\"\r\n"
                               "\r\n"
                               "2,\"Two\nLines\",\r\n"
                               "3,Short\n";
    const char *path = put("q.csv", text, sizeof(text) - 1);
    tts_sheet *s = open_ok(path, NULL);
    const char *const *c;
    long row;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_string_equal(tts_sheet_encoding(s), "utf-8");
    assert_int_equal(tts_sheet_n_columns(s), 3);
    assert_string_equal(tts_sheet_column(s, 1), "Company Name");
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_NAME), 1); /* "company_name" */
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_ID), 0);
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_COUNTRY), -1);
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
    assert_int_equal(row, 2);
    assert_string_equal(c[1], "Acme, Inc.");
    assert_string_equal(c[2], "said \"hi\"");
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK); /* the blank line is no row */
    assert_int_equal(row, 4);
    assert_string_equal(c[1], "Two\nLines");
    assert_string_equal(c[2], "");
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
    assert_int_equal(row, 6); /* the quoted line break counts */
    assert_string_equal(c[1], "Short");
    assert_string_equal(c[2], ""); /* a missing trailing cell reads as "" */
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_ERR_EOF);
    tts_sheet_close(s);
}

static void test_headers_in_japanese_and_full_width(void **state)
{
    static const char ja[] = "取引先コード,名称,国\nA-1,株式会社例,JP\n";
    static const char wide[] = "\xEF\xBC\xAE\xEF\xBC\xA1\xEF\xBC\xAD\xEF\xBC\xA5,COUNTRY\nx,CN\n";
    tts_sheet_opts o;
    tts_sheet *s = open_ok(put("ja.csv", ja, sizeof(ja) - 1), NULL);
    (void)state;
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_NAME), 1);
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_COUNTRY), 2);
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_ID), 0);
    tts_sheet_close(s);
    s = open_ok(put("wide.csv", wide, sizeof(wide) - 1), NULL); /* "ＮＡＭＥ" */
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_NAME), 0);
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_COUNTRY), 1);
    tts_sheet_close(s);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.column[TTS_SHEET_NAME] = "国"; /* named by the caller, whatever it holds */
    s = open_ok(put("ja2.csv", ja, sizeof(ja) - 1), &o);
    assert_int_equal(tts_sheet_role_column(s, TTS_SHEET_NAME), 2);
    tts_sheet_close(s);
    o.column[TTS_SHEET_NAME] = "vendor";
    open_fails(put("ja3.csv", ja, sizeof(ja) - 1), &o, "no column 'vendor' (--name-column)");
    open_fails(put("none.csv", "a,b\n1,2\n", 8), NULL, "no name column");
}

/* 名称 / 宇宙 in each encoding, and the same cells read back in UTF-8. */
static void test_encodings_detected_and_given(void **state)
{
    static const char sjis[] = "\x96\xbc\x8f\xcc\n\x89\x46\x92\x88\n";       /* 名称 宇宙 */
    static const char eucjp[] = "\xcc\xbe\xbe\xce\n\xb1\xa7\xc3\xe8\n";      /* 名称 宇宙 */
    static const char u16le[] = "\xff\xfe\x0d\x54\xf0\x79\n\x00\x87\x5b\x99\x5b\n\x00";
    static const char u16be[] = "\xfe\xff\x54\x0d\x79\xf0\x00\n\x5b\x87\x5b\x99\x00\n";
    const struct {
        const char *name, *data, *enc, *want;
        size_t len;
    } cases[] = {
        {"s.csv", sjis, NULL, "cp932", sizeof(sjis) - 1},
        {"s2.csv", sjis, "shift_jis", "cp932", sizeof(sjis) - 1},
        {"e.csv", eucjp, "euc-jp", "euc-jp", sizeof(eucjp) - 1},
        {"l.csv", u16le, NULL, "utf-16le", sizeof(u16le) - 1},
        {"b.csv", u16be, NULL, "utf-16be", sizeof(u16be) - 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_sheet_opts o;
        tts_sheet *s;
        const char *const *c;
        long row;
        tts_error err;
        tts_error_clear(&err);
        memset(&o, 0, sizeof(o));
        o.size = sizeof(o);
        o.encoding = cases[i].enc;
        s = open_ok(put(cases[i].name, cases[i].data, cases[i].len), &o);
        assert_string_equal(tts_sheet_encoding(s), cases[i].want);
        assert_string_equal(tts_sheet_column(s, 0), "名称");
        assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
        assert_string_equal(c[0], "宇宙");
        tts_sheet_close(s);
    }
}

static void test_bad_text_is_refused_with_its_place(void **state)
{
    tts_sheet_opts o;
    static const char nul[] = "name\nA\0B\n";
    (void)state;
    /* 0x80 alone is no character in UTF-8, CP932 or EUC-JP */
    open_fails(put("bad.csv", "name\nok\n\x80\x80\x80\n", 11), NULL,
               ":3: byte 8 is not UTF-8, and the file is not Shift_JIS (CP932) or EUC-JP");
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.encoding = "utf-8";
    open_fails(put("bad2.csv", "name\n\x96\xbc\n", 7), &o, ":2: byte 5 is not UTF-8");
    o.encoding = "latin-9";
    open_fails(put("bad3.csv", "name\n", 5), &o, "--encoding 'latin-9'");
    open_fails(put("nul.csv", nul, sizeof(nul) - 1), NULL, ":2: a NUL byte at byte 6");
    open_fails(put("empty.csv", "", 0), NULL, "empty: no header row");
}

static void test_row_errors(void **state)
{
    tts_sheet *s = open_ok(put("wide2.csv", "name\na,b\n", 9), NULL);
    const char *const *c;
    long row;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_ERR_SYNTAX);
    assert_non_null(strstr(err.message, ":2: 2 cells, the header has 1 columns"));
    tts_sheet_close(s);
    s = open_ok(put("quote.csv", "name\n\"open\nmore\n", 16), NULL);
    tts_error_clear(&err);
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_ERR_SYNTAX);
    assert_non_null(strstr(err.message, ":2: column 1: unclosed quote")); /* where it opened */
    tts_sheet_close(s);
}

static void test_tsv_and_json_lines(void **state)
{
    static const char tsv[] = "name\tcountry\nA \"B\", C\tcn\n";
    static const char jl[] = "{\"name\":\"One\",\"n\":1}\n\n{\"country\":\"JP\",\"name\":\"Two\"}\n";
    tts_sheet *s = open_ok(put("t.tsv", tsv, sizeof(tsv) - 1), NULL);
    const char *const *c;
    long row;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
    assert_string_equal(c[0], "A \"B\", C"); /* TSV has no quoting */
    tts_sheet_close(s);
    s = open_ok(put("r.jsonl", jl, sizeof(jl) - 1), NULL);
    assert_int_equal(tts_sheet_n_columns(s), 3); /* name, n, country: in order of appearance */
    assert_string_equal(tts_sheet_column(s, 2), "country");
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
    assert_int_equal(row, 1);
    assert_string_equal(c[0], "One");
    assert_string_equal(c[1], "1");
    assert_string_equal(c[2], "");
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_OK);
    assert_int_equal(row, 3);
    assert_string_equal(c[0], "Two");
    assert_string_equal(c[1], "");
    assert_string_equal(c[2], "JP");
    assert_int_equal(tts_sheet_next(s, &c, &row, &err), TTS_ERR_EOF);
    tts_sheet_close(s);
    open_fails(put("bad.jsonl", "{\"name\":[1]}\n", 13), NULL,
               ":1: member \"name\": expected a string, number, boolean or null, found an array");
    open_fails(put("bad2.jsonl", "{\"name\":\"x\"}\n[]\n", 16), NULL, ":2: expected an object");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting_and_carried_columns),
        cmocka_unit_test(test_headers_in_japanese_and_full_width),
        cmocka_unit_test(test_encodings_detected_and_given),
        cmocka_unit_test(test_bad_text_is_refused_with_its_place),
        cmocka_unit_test(test_row_errors),
        cmocka_unit_test(test_tsv_and_json_lines),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
