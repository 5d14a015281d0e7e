/* SPDX-License-Identifier: MIT */
/*
 * Rule-language lexer: token kinds, positions (columns count characters,
 * not bytes), comments, dates versus numbers, regex literals and flags,
 * rule ids, and clear errors for malformed tokens.
 */
#include "helpers.h"

#include <string.h>

#include "rules/lex.h"

typedef struct tok_case {
    const char *text;
    tts_tok_kind kinds[8]; /* ends with TTS_TOK_EOF */
} tok_case;

static void test_lex_token_kinds_table(void **state)
{
    static const tok_case cases[] = {
        {"a.b == 3",
         {TTS_TOK_IDENT, TTS_TOK_DOT, TTS_TOK_IDENT, TTS_TOK_EQ, TTS_TOK_NUMBER, TTS_TOK_EOF}},
        {"x != \"y\"", {TTS_TOK_IDENT, TTS_TOK_NE, TTS_TOK_STRING, TTS_TOK_EOF}},
        {"<= >= < > =",
         {TTS_TOK_LE, TTS_TOK_GE, TTS_TOK_LT, TTS_TOK_GT, TTS_TOK_ASSIGN, TTS_TOK_EOF}},
        {"2022-05-01 2022 12.5", {TTS_TOK_DATE, TTS_TOK_NUMBER, TTS_TOK_NUMBER, TTS_TOK_EOF}},
        {"matches(s, /a\\/b/i)",
         {TTS_TOK_IDENT, TTS_TOK_LPAREN, TTS_TOK_IDENT, TTS_TOK_COMMA, TTS_TOK_REGEX,
          TTS_TOK_RPAREN, TTS_TOK_EOF}},
        {"[1, 2] { } : + -",
         {TTS_TOK_LBRACK, TTS_TOK_NUMBER, TTS_TOK_COMMA, TTS_TOK_NUMBER, TTS_TOK_RBRACK,
          TTS_TOK_LBRACE, TTS_TOK_RBRACE, TTS_TOK_COLON}},
        {"# only a comment\n  'single'", {TTS_TOK_STRING, TTS_TOK_EOF}},
        {"\"unterminated", {TTS_TOK_ERROR}},
        {"\"bad \\q escape\"", {TTS_TOK_ERROR}},
        {"/unterminated", {TTS_TOK_ERROR}},
        {"/x/g", {TTS_TOK_ERROR}},
        {"12abc", {TTS_TOK_ERROR}},
        {"a ! b", {TTS_TOK_IDENT, TTS_TOK_ERROR}},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_lexer lx;
        tts_lex_init(&lx, cases[i].text, strlen(cases[i].text));
        for (size_t k = 0; k < 8; k++) {
            tts_token t = tts_lex_next(&lx);
            if (t.kind != cases[i].kinds[k])
                fail_msg("row %zu (%s) token %zu: kind %s, expected %s", i, cases[i].text, k,
                         tts_lex_kind_name(t.kind), tts_lex_kind_name(cases[i].kinds[k]));
            if (t.kind == TTS_TOK_EOF || t.kind == TTS_TOK_ERROR)
                break;
        }
    }
}

static void test_lex_positions_count_characters_and_lines(void **state)
{
    const char *text = "# comment\n  \"日本\" x\n\ty";
    tts_lexer lx;
    tts_token t;
    (void)state;
    tts_lex_init(&lx, text, strlen(text));
    t = tts_lex_next(&lx);
    assert_int_equal(t.kind, TTS_TOK_STRING);
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 3);
    t = tts_lex_next(&lx);
    assert_true(tts_lex_is(&t, "x"));
    assert_int_equal(t.line, 2);
    assert_int_equal(t.col, 8); /* two characters in the string, not six bytes */
    t = tts_lex_next(&lx);
    assert_true(tts_lex_is(&t, "y"));
    assert_int_equal(t.line, 3);
    assert_int_equal(t.col, 2);
}

static void test_lex_rule_id_accepts_dotted_lower_case_names(void **state)
{
    const char *ok = "  fefta.art25.unlicensed-transfer {";
    const char *bad[] = {"Fefta.x {", "a..b {", "a.b. {", "{"};
    tts_lexer lx;
    tts_token t;
    (void)state;
    tts_lex_init(&lx, ok, strlen(ok));
    t = tts_lex_rule_id(&lx);
    assert_int_equal(t.kind, TTS_TOK_IDENT);
    assert_int_equal(t.len, strlen("fefta.art25.unlicensed-transfer"));
    assert_int_equal(tts_lex_next(&lx).kind, TTS_TOK_LBRACE);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tts_lex_init(&lx, bad[i], strlen(bad[i]));
        t = tts_lex_rule_id(&lx);
        if (t.kind != TTS_TOK_ERROR)
            fail_msg("'%s' was accepted as a rule id", bad[i]);
        assert_non_null(lx.error);
    }
}

static void test_lex_date_shape_is_exact(void **state)
{
    const char *text = "2022-5-01";
    tts_lexer lx;
    (void)state;
    tts_lex_init(&lx, text, strlen(text));
    /* Not a date: a number, then a minus, then more. */
    assert_int_equal(tts_lex_next(&lx).kind, TTS_TOK_NUMBER);
    assert_int_equal(tts_lex_next(&lx).kind, TTS_TOK_MINUS);
}

static void test_lex_overlong_token_is_an_error(void **state)
{
    size_t n = 70000;
    char *text = test_malloc(n + 3);
    tts_lexer lx;
    tts_token t;
    (void)state;
    text[0] = '"';
    memset(text + 1, 'a', n);
    text[n + 1] = '"';
    text[n + 2] = '\0';
    tts_lex_init(&lx, text, n + 2);
    t = tts_lex_next(&lx);
    assert_int_equal(t.kind, TTS_TOK_ERROR);
    assert_non_null(strstr(lx.error, "limit"));
    test_free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lex_token_kinds_table),
        cmocka_unit_test(test_lex_positions_count_characters_and_lines),
        cmocka_unit_test(test_lex_rule_id_accepts_dotted_lower_case_names),
        cmocka_unit_test(test_lex_date_shape_is_exact),
        cmocka_unit_test(test_lex_overlong_token_is_an_error),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
