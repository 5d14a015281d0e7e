/* SPDX-License-Identifier: MIT */
/*
 * Rule compilation: valid rules compile with their metadata; every syntax
 * and type error is reported with FILE:LINE:COL, all of them (not only the
 * first); misspelt fields, wrong types, unknown names, enumerated literals,
 * duplicates and unused `for` variables are compile errors; allocation
 * failures anywhere in compilation are clean.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"
#include "ttscreen.h"

#define MAX_DIAGS 16

typedef struct diags {
    char msg[MAX_DIAGS][600];
    int level[MAX_DIAGS];
    size_t n, errors;
} diags;

static void collect(int level, const tts_error *e, void *user)
{
    diags *d = user;
    if (level == TTS_DIAG_ERROR)
        d->errors++;
    if (d->n < MAX_DIAGS) {
        snprintf(d->msg[d->n], sizeof(d->msg[0]), "%s", e->message);
        d->level[d->n++] = level;
    }
}

static tts_status compile(const char *text, diags *d, tts_rules **out)
{
    tts_rules_opts o;
    tts_error err;
    memset(&o, 0, sizeof(o));
    memset(d, 0, sizeof(*d));
    o.size = sizeof(o);
    o.diag = collect;
    o.user = d;
    tts_error_clear(&err);
    return tts_rules_compile_string(text, strlen(text), "t.rules", &o, out, &err);
}

/* The rule text must fail, and some error must contain `want`. */
static void expect_error(const char *text, const char *want, int line)
{
    diags d;
    tts_rules *r = NULL;
    tts_status rc = compile(text, &d, &r);
    int found = 0;
    if (rc == TTS_OK)
        fail_msg("line %d: compiled, expected error '%s'", line, want);
    assert_null(r);
    for (size_t i = 0; i < d.n; i++)
        found |= strstr(d.msg[i], want) != NULL;
    if (!found)
        fail_msg("line %d: no error contains '%s'; first: %s", line, want, d.n ? d.msg[0] : "-");
}

#define expect_error_at(text, want) expect_error(text, want, __LINE__)

#define HEAD "rule test.x {\n revision 1\n title \"T\"\n severity low\n citation \"C\"\n"
#define TAIL " message \"m\"\n}\n"

static void test_parse_valid_rule_has_metadata(void **state)
{
    const char *text =
        "set concern_countries = [\"CN\", \"RU\"]\n"
        "rule area.topic.name-1 {\n"
        "  revision 3\n  title \"Title\"\n  severity critical\n  status experimental\n"
        "  citation \"FEFTA Art. 25(1)\"\n  tags [\"a\", \"b\"]\n  description \"d\"\n"
        "  references [\"https://example.org\"]\n  false_positives [\"fp\"]\n"
        "  effective_from 2022-05-01\n  effective_until 2026-11-09\n"
        "  for t in transfers\n  when concern(t.to.country)\n"
        "  message \"{t.to.name} in {t.to.country}\"\n"
        "  example \"a.json\" hit \"x in CN\"\n  example \"b.json\" clear\n}\n";
    diags d;
    tts_rules *r = NULL;
    tts_rule_info info;
    tts_rule_example ex;
    (void)state;
    assert_int_equal(compile(text, &d, &r), TTS_OK);
    assert_int_equal(d.n, 0);
    assert_int_equal(tts_rules_count(r), 1);
    assert_int_equal(tts_rules_info(r, 0, &info), TTS_OK);
    assert_string_equal(info.id, "area.topic.name-1");
    assert_int_equal(info.revision, 3);
    assert_string_equal(info.severity_name, "critical");
    assert_string_equal(info.status, "experimental");
    assert_string_equal(info.citation, "FEFTA Art. 25(1)");
    assert_int_equal(info.n_tags, 2);
    assert_string_equal(info.tags[1], "b");
    assert_string_equal(info.effective_from, "2022-05-01");
    assert_string_equal(info.effective_until, "2026-11-09");
    assert_int_equal(info.n_examples, 2);
    assert_int_equal(tts_rules_example(r, 0, 0, &ex), TTS_OK);
    assert_string_equal(ex.file, "a.json");
    assert_true(ex.expect_hit);
    assert_string_equal(ex.message, "x in CN");
    assert_int_equal(tts_rules_example(r, 0, 2, &ex), TTS_ERR_ARG);
    assert_int_equal(tts_rules_info(r, 1, &info), TTS_ERR_ARG);
    assert_int_equal(strlen(tts_rules_sha256(r)), 64);
    tts_rules_free(r);
}

static void test_parse_misspelt_field_is_error_with_position(void **state)
{
    diags d;
    tts_rules *r = NULL;
    (void)state;
    assert_int_equal(compile(HEAD " for t in transfers\n when t.licnce == null\n" TAIL, &d, &r),
                     TTS_ERR_SEMANTIC);
    assert_null(r);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.msg[0], "t.rules:7:9: error: unknown field 'licnce' of transfer "
                                  "(did you mean 'licence'?)");
}

static void test_parse_type_and_name_errors_table(void **state)
{
    static const struct {
        const char *body;
        const char *want;
    } cases[] = {
        {" for p in parties\n when p.country > 3\n",
         "7:7: error: cannot order string against number"},
        {" for p in parties\n when p.name\n", "'when' needs a bool, not string"},
        {" for p in parties\n when residnt_jp(p)\n", "7:7: error: unknown function 'residnt_jp'"},
        {" for p in parties\n when p.country in concern_list\n", "unknown name 'concern_list'"},
        {" for p in parties\n when p.type == \"compnay\"\n", "\"compnay\" can never equal"},
        {" for p in parties\n when p.country in [\"CN\", \"China\"]\n",
         "\"China\" can never equal"},
        {" for t in transfers\n when t.form == \"blueprints\"\n", "\"blueprints\" can never equal"},
        {" for t in transfers\n when controls.export_control_program == false\n",
         "6:6: error: the 'for' variable 't' is not used"},
        {" for t in transfers\n when t.to.name == 3\n", "cannot compare string with number"},
        {" for t in parties\n when t.licence == null\n", "unknown field 'licence' of party"},
        {" for t in transfers\n when t.technology.fields.x == 1\n", "use any/all/count/filter"},
        {" for t in 3\n when t == 3\n", "'for' needs a list"},
        {" for p in parties\n when resident_jp(p, p)\n", "resident_jp takes 1 argument, not 2"},
        {" for p in parties\n when resident_jp(p.name)\n",
         "argument 1 of resident_jp must be actor"},
        {" for p in parties\n when matches(p.name, \"x\")\n", "must be regex, not string"},
        {" for p in parties\n when p.country == \"CN\" and concern(p.country)\n",
         "concern needs a rule file to define 'concern_countries'"},
        {" for p in parties\n when any x in p.aliases: x == 1\n",
         "cannot compare string with number"},
        {" for p in parties\n when days_between(p.name, as_of) > 1\n", "must be date, not string"},
        {" for p in parties\n when p.country == null and as_of > null\n",
         "null can only be compared with == or !="},
        {" for p in parties\n when p.country == \"CN\"\n path p\n",
         "'path' must be a list of parties"},
        {" for p in parties\n when p.country == \"CN\"\n subject p.name\n",
         "'subject' must be a record element"},
        {" effective_from 2026-01-01\n effective_until 2025-01-01\n when true\n",
         "effective_from after effective_until"},
        {" when record.kind == \"purchase\"\n", "\"purchase\" can never equal"},
        {" for p in parties\n when (if p.country == \"CN\" then 1 else \"x\") == 1\n",
         "the branches of 'if' give number and string"},
        {" for p in parties\n when if p.name then true else false\n",
         "the condition of 'if' needs a bool, not string"},
        {" for p in people\n when p.clearance.level == \"classified\"\n",
         "\"classified\" can never equal"},
        {" for p in parties\n when len(listed(p, \"ofac-sdn\", \"algorithm=soundex\")) > 0\n",
         "7:33: error: unknown option \"algorithm=soundex\" of listed (algorithm=default or "
         "algorithm=ofac)"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[1024];
        snprintf(text, sizeof(text), HEAD "%s" TAIL, cases[i].body);
        expect_error(text, cases[i].want, (int)i);
    }
}

static void test_parse_syntax_errors_table(void **state)
{
    static const struct {
        const char *text;
        const char *want;
    } cases[] = {
        {"rule Bad.id {\n}", "1:6: error: expected a rule id"},
        {"rule a.b\n", "expected '{' after the rule id"},
        {HEAD " when (true\n" TAIL, "expected ')'"},
        {HEAD " when true and\n" TAIL,
         "7:2: error: expected an expression before the 'message' clause"},
        {HEAD " when 1 < 2 < 3\n" TAIL, "comparisons do not chain"},
        {HEAD " when if true then true\n" TAIL, "expected 'else'"},
        {HEAD " when if true false else true\n" TAIL, "expected 'then'"},
        {HEAD " when true\n message \"{x\"\n}", "expected '}' to close the message hole"},
        {HEAD " when true\n message \"a } b\"\n}", "unmatched '}' in message"},
        {HEAD " when true\n message \"x\"\n colour red\n}", "expected a rule clause"},
        {HEAD " when true\n when false\n" TAIL, "duplicate 'when' clause"},
        {"rule a.b {\n revision 1\n title \"T\"\n when true\n message \"m\"\n}",
         "rule 'a.b' has no 'severity' clause"},
        {HEAD " severity high\n when true\n" TAIL, "duplicate 'severity' clause"},
        {"rule a.b {\n revision 0\n}", "expected a revision number"},
        {HEAD " when true\n" TAIL "garbage",
         "expected 'rule', 'set', 'predicate', 'def' or 'classify'"},
        {HEAD " when matches(\"x\", /a(/)\n" TAIL, "bad regular expression at offset"},
        {"predicate p(x: widget) = true\n", "unknown type"},
        {"classify t {\n \"a\": \"not a regex\"\n}\n", "expected a regular expression"},
        {HEAD " effective_from 2023-02-30\n when true\n" TAIL,
         "'2023-02-30' is not a calendar date"},
        {HEAD " when true\n example \"a.json\" maybe\n" TAIL, "expected 'hit' or 'clear'"},
        {HEAD " when true\n" TAIL "rule a.b {", "rule 'a.b' is not closed"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_error(cases[i].text, cases[i].want, (int)i);
}

static void test_parse_reports_every_error_not_only_the_first(void **state)
{
    const char *text =
        "rule a.one {\n revision x\n title \"T\"\n severity urgent\n citation \"C\"\n"
        " when true\n message \"m\"\n}\n"
        "rule a.two {\n revision 1\n title \"T\"\n severity low\n citation \"C\"\n"
        " for p in parties\n when p.contry == \"CN\" and p.nme == \"x\"\n"
        " message \"m\"\n}\n";
    diags d;
    tts_rules *r = NULL;
    (void)state;
    assert_int_not_equal(compile(text, &d, &r), TTS_OK);
    assert_int_equal(d.errors, 4);
    assert_non_null(strstr(d.msg[0], "t.rules:2:11:"));
    assert_non_null(strstr(d.msg[1], "t.rules:4:11:"));
    assert_non_null(strstr(d.msg[2], "t.rules:15:9: error: unknown field 'contry'"));
    if (strstr(d.msg[3], "t.rules:15:30: error: unknown field 'nme'") == NULL)
        fail_msg("got %s", d.msg[3]);
}

static void test_parse_duplicates_and_recursion_are_errors(void **state)
{
    (void)state;
    expect_error_at(HEAD " when true\n" TAIL HEAD " when true\n" TAIL,
                    "duplicate rule id 'test.x' (first defined at t.rules:1)");
    expect_error_at("set a = [1]\nset a = [2]\n",
                    "2:5: error: 'a' is already defined at t.rules:1");
    expect_error_at("predicate a(p: party) = b(p)\npredicate b(p: party) = a(p)\n",
                    "recursion is not allowed");
    expect_error_at("set s = [1, \"x\"]\n", "set 's' mixes number and string values");
    expect_error_at("predicate p(x: party) = x.name\n", "predicate 'p' must give a bool");
    expect_error_at("set chain = [1]\n", "'chain' is a built-in name");
}

/* Deep or long inputs are limit errors, never deep recursion. */
static void test_parse_depth_limits_are_errors(void **state)
{
    size_t cap = 300000, n;
    char *text = test_malloc(cap);
    (void)state;
    n = (size_t)snprintf(text, cap, HEAD " when 1 == ");
    for (int i = 0; i < 100000; i++)
        text[n++] = '-';
    snprintf(text + n, cap - n, "1\n" TAIL);
    expect_error_at(text, "expression nested deeper than 64");
    n = (size_t)snprintf(text, cap, HEAD " when true");
    for (int i = 0; i < 300; i++)
        n += (size_t)snprintf(text + n, cap - n, " and true");
    snprintf(text + n, cap - n, "\n" TAIL);
    expect_error_at(text, "6:7: error: expression deeper than 256 levels");
    n = (size_t)snprintf(text, cap, HEAD " when record");
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(text + n, cap - n, ".id");
    snprintf(text + n, cap - n, " == 1\n" TAIL);
    expect_error_at(text, "expression deeper than 256 levels");
    n = (size_t)snprintf(text, cap, "predicate p0(x: bool) = x\n");
    for (int i = 1; i < 40; i++)
        n += (size_t)snprintf(text + n, cap - n, "predicate p%d(x: bool) = p%d(x)\n", i, i - 1);
    expect_error_at(text, "17:11: error: 'p16' calls definitions nested more than 16 deep");
    n = 0;
    for (int i = 40; i > 0; i--)
        n += (size_t)snprintf(text + n, cap - n, "predicate p%d(x: bool) = p%d(x)\n", i, i - 1);
    snprintf(text + n, cap - n, "predicate p0(x: bool) = x\n");
    expect_error_at(text, "is reached through more than 16 nested definitions");
    test_free(text);
}

static void test_parse_warnings_do_not_fail(void **state)
{
    diags d;
    tts_rules *r = NULL;
    (void)state;
    assert_int_equal(compile("predicate p(x: party, y: party) = x.country == \"CN\"\n" HEAD
                             " for t in transfers\n when p(t.from, t.from)\n" TAIL,
                             &d, &r),
                     TTS_OK);
    assert_non_null(r);
    assert_int_equal(d.errors, 0);
    assert_true(d.n >= 2); /* unused parameter, no examples */
    assert_int_equal(d.level[0], TTS_DIAG_WARNING);
    tts_rules_free(r);
}

static void test_parse_error_cap_stops_reporting(void **state)
{
    char text[8192] = "";
    tts_rules_opts o;
    tts_error err;
    tts_rules *r = NULL;
    diags d;
    (void)state;
    for (int i = 0; i < 50; i++)
        strcat(text, "set 1\n");
    memset(&o, 0, sizeof(o));
    memset(&d, 0, sizeof(d));
    o.size = sizeof(o);
    o.diag = collect;
    o.user = &d;
    o.max_errors = 3;
    tts_error_clear(&err);
    assert_int_equal(tts_rules_compile_string(text, strlen(text), "t.rules", &o, &r, &err),
                     TTS_ERR_SYNTAX);
    assert_int_equal(d.errors, 3);
    assert_string_equal(err.message, "t.rules:1:5: error: expected a name, found '1'");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.column, 5);
}

static void test_parse_empty_text_is_an_empty_valid_set(void **state)
{
    diags d;
    tts_rules *r = NULL;
    (void)state;
    assert_int_equal(compile("# nothing here\n", &d, &r), TTS_OK);
    assert_int_equal(tts_rules_count(r), 0);
    tts_rules_free(r);
}

static void test_parse_allocation_failures_are_clean(void **state)
{
    const char *text =
        "set concern_countries = [\"CN\"]\n"
        "classify fields { \"x\": /x+/i }\n"
        "predicate f(p: party) = concern(p.country)\n" HEAD " tags [\"a\"]\n for t in transfers\n"
        " when f(t.from) and any x in t.technology.fields: matches(x, /a|b/)\n"
        " message \"from {t.from.name}: {count(q in parties: f(q))} parties\"\n"
        " example \"a.json\" hit\n}\n";
    tts_rules *r = NULL;
    tts_error err;
    tts_status rc;
    (void)state;
    for (unsigned long n = 1; n < 100000; n++) {
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_rules_compile_string(text, strlen(text), "t.rules", NULL, &r, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            break;
        if (rc != TTS_ERR_NOMEM)
            fail_msg("allocation %lu: status %d: %s", n, (int)rc, err.message);
        assert_null(r);
    }
    assert_int_equal(rc, TTS_OK);
    assert_int_equal(tts_rules_count(r), 1);
    tts_rules_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_valid_rule_has_metadata),
        cmocka_unit_test(test_parse_misspelt_field_is_error_with_position),
        cmocka_unit_test(test_parse_type_and_name_errors_table),
        cmocka_unit_test(test_parse_syntax_errors_table),
        cmocka_unit_test(test_parse_reports_every_error_not_only_the_first),
        cmocka_unit_test(test_parse_duplicates_and_recursion_are_errors),
        cmocka_unit_test(test_parse_depth_limits_are_errors),
        cmocka_unit_test(test_parse_warnings_do_not_fail),
        cmocka_unit_test(test_parse_error_cap_stops_reporting),
        cmocka_unit_test(test_parse_empty_text_is_an_empty_valid_set),
        cmocka_unit_test(test_parse_allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
