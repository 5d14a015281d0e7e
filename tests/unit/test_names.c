/* SPDX-License-Identifier: MIT */
/*
 * Name normalisation: table-driven cases (widths, scripts, diacritics,
 * punctuation, initials, persons, legal forms across languages, Han
 * folding, numbers), bad input, and allocation failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "util/mem.h"
#include "lists/match/names.h"
#include "lists/match/names_translit.h"
#include "quality.h"

typedef struct norm_case {
    const char *in;
    unsigned flags;
    const char *tokens, *legal, *glued;
} norm_case;

static void test_normalise_table(void **state)
{
    static const norm_case cases[] = {
        {"ＣＡＴＬ", 0, "catl", "", "catl"},
        {"CATL", 0, "catl", "", "catl"},
        {"Müller  GmbH", 0, "muller", "ltd", "mullergmbh"},
        {"Société Générale S.A.", 0, "societe generale", "jsc", "societegeneralesa"},
        {"JSC ARGUMENT", 0, "argument", "jsc", "jscargument"},
        {"OOO \"Torgovyi Dom\"", 0, "torgovyi dom", "ltd", "oootorgovyidom"},
        {"Anglo-Caribbean Co., Ltd.", 0, "anglo caribbean", "ltd", "anglocaribbeancoltd"},
        {"Tata Motors Pvt Ltd", 0, "tata motors", "ltd", "tatamotorspvtltd"},
        {"Rosneft PJSC", 0, "rosneft", "jsc", "rosneftpjsc"},
        {"KIM, Jong Un", TTS_NAME_PERSON, "jong un kim", "", "jongunkim"},
        {"O'Brien & Sons", 0, "obrien sons", "", "obriensons"},
        {"GOLD STAR 3", 0, "gold star 3", "", "goldstar3"},
        /* Han: legal forms taken out in Han (no space needed), then pinyin;
         * three characters or more give one word per syllable */
        {"宁德时代新能源科技股份有限公司", 0, "ning de shi dai xin neng yuan ke ji", "jsc",
         "ningdeshidaixinnengyuankejigufenyouxiangongsi"},
        {"寧德時代新能源科技股份有限公司", 0, "ning de shi dai xin neng yuan ke ji", "jsc",
         "ningdeshidaixinnengyuankejigufenyouxiangongsi"},
        {"株式会社東芝", 0, "dongzhi", "jsc", "zhushihuishedongzhi"},
        {"㈱東芝", 0, "dongzhi", "jsc", "zhudongzhi"},
        {"トヨタ(株)", 0, "toyota", "jsc", "toyotazhu"},
        {"ｶﾞｽ", 0, "gasu", "", "gasu"},
        {"华为技术有限公司", 0, "hua wei ji shu", "ltd", "huaweijishuyouxiangongsi"},
        {"中国", 0, "zhongguo", "", "zhongguo"},
        {"삼성 (주)", 0, "samseong", "jsc", "samseongju"},
        {"삼성전자 주식회사", 0, "samseongjeonja", "jsc", "samseongjeonjajusighoesa"},
        /* other scripts in Latin letters, before initials and legal forms */
        {"Владимир Путин", 0, "vladimir putin", "", "vladimirputin"},
        {"ООО Газпром", 0, "gazprom", "ltd", "ooogazprom"},
        {"Грузовик ТОВ", 0, "gruzovik", "ltd", "gruzoviktov"},
        {"Α. Παπαδόπουλος", 0, "a papadopoulos", "", "apapadopoulos"},
        {"محمد علي", 0, "mhmd ly", "", "mhmdly"},
        {"משה", 0, "msh", "", "msh"},
        {"สมชาย", 0, "smchay", "", "smchay"},
        {"Łódź Sp. z o.o.", 0, "lodz", "ltd", "lodzspzoo"},
        /* legal forms from the table, mapped to their class */
        {"Gazprom Neft OAO", 0, "gazprom neft", "jsc", "gazpromneftoao"},
        {"Gazprom Neft JSC", 0, "gazprom neft", "jsc", "gazpromneftjsc"},
        {"FABERLIC EUROPE Sp. z o.o.", 0, "faberlic europe", "ltd", "faberliceuropespzoo"},
        {"DONCOALTRADE SP Z O O", 0, "doncoaltrade", "ltd", "doncoaltradespzoo"},
        {"Siemens Aktiengesellschaft", 0, "siemens", "jsc", "siemensaktiengesellschaft"},
        {"Cemex S.A.B. de C.V.", 0, "cemex", "jsc", "cemexsabdecv"},
        {"Infosys Pvt. Ltd.", 0, "infosys", "ltd", "infosyspvtltd"},
        {"Emirates Steel FZE", 0, "emirates steel", "ltd", "emiratessteelfze"},
        {"Arcelik A.S.", 0, "arcelik", "jsc", "arcelikas"},
        /* short forms count only at either end; persons have none */
        {"AS Vision Trading", 0, "vision trading", "jsc", "asvisiontrading"},
        {"Vision AS Trading", 0, "vision as trading", "", "visionastrading"},
        {"KIM, Se Gon", TTS_NAME_PERSON, "se gon kim", "", "segonkim"},
        /* format and bidi controls, joiners: ignorable */
        {"Ga\u200dz\u200bprom", 0, "gazprom", "", "gazprom"},
        {"\u202eGazprom\u202c", 0, "gazprom", "", "gazprom"},
        {"Company", 0, "company", "", "company"},
        {"", 0, "", "", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_nname n;
        tts_error err;
        tts_error_clear(&err);
        if (tts_names_normalize(cases[i].in, strlen(cases[i].in), cases[i].flags, &n, &err) !=
            TTS_OK)
            fail_msg("row %zu: %s", i, err.message);
        if (strcmp(n.tokens, cases[i].tokens) != 0 || strcmp(n.legal, cases[i].legal) != 0 ||
            strcmp(n.glued, cases[i].glued) != 0)
            fail_msg("row %zu '%s': got [%s] [%s] [%s], want [%s] [%s] [%s]", i, cases[i].in,
                     n.tokens, n.legal, n.glued, cases[i].tokens, cases[i].legal,
                     cases[i].glued);
        tts_nname_clear(&n);
    }
}

/* s in full-width forms (U+FF01..U+FF5E, space U+3000); commas kept: persons are split there. */
static void full_width(const char *s, char *out, size_t cap)
{
    size_t w = 0;
    for (; *s != '\0' && w + 4 < cap; s++) {
        unsigned c = (unsigned char)*s, cp = c == ' ' ? 0x3000 : 0xFF01 + (c - 0x21);
        if (c == ',') {
            out[w++] = ',';
            continue;
        }
        out[w++] = (char)(0xE0 | (cp >> 12));
        out[w++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[w++] = (char)(0x80 | (cp & 0x3F));
    }
    out[w] = '\0';
}

static void same_normal_form(const char *a, const char *b, unsigned flags)
{
    tts_nname x, y;
    tts_error err;
    tts_error_clear(&err);
    if (tts_names_normalize(a, strlen(a), flags, &x, &err) != TTS_OK ||
        tts_names_normalize(b, strlen(b), flags, &y, &err) != TTS_OK)
        fail_msg("'%s': %s", a, err.message);
    if (strcmp(x.tokens, y.tokens) != 0 || strcmp(x.legal, y.legal) != 0 ||
        strcmp(x.glued, y.glued) != 0)
        fail_msg("'%s' [%s] [%s] [%s] but its full-width form [%s] [%s] [%s]", a, x.tokens, x.legal,
                 x.glued, y.tokens, y.legal, y.glued);
    tts_nname_clear(&x);
    tts_nname_clear(&y);
}

/*
 * Printable ASCII takes a short path past utf8proc; its full-width form
 * takes the full one (NFKC makes it ASCII again). Both must agree, for
 * every printable character alone and between letters, and for random
 * names built from letters, digits, punctuation and legal forms.
 */
static void test_ascii_path_matches_full_path(void **state)
{
    static const char *const words[] = {"Co.",   "Ltd",  "LLC", "GmbH", "S.A.",   "JSC", "O'Neil",
                                        "KIM",   "Jong", "Un",  "3",    "AL-",    "&",   "(CETC)",
                                        "Inc.,", "Trading", "Pvt", "OOO", "a.b.c.", "-0-"};
    uint64_t seed = 7;
    char in[256], fw[1024];
    (void)state;
    for (int c = 0x21; c < 0x7F; c++) {
        snprintf(in, sizeof(in), "%c", c);
        full_width(in, fw, sizeof(fw));
        same_normal_form(in, fw, 0);
        snprintf(in, sizeof(in), "Ab%cCd e%c", c, c);
        full_width(in, fw, sizeof(fw));
        same_normal_form(in, fw, 0);
    }
    for (int i = 0; i < 2000; i++) {
        size_t n = 0, k = 1 + (size_t)(tts_q_rand(&seed) % 6);
        in[0] = '\0';
        for (size_t j = 0; j < k; j++) {
            const char *w = words[tts_q_rand(&seed) % (sizeof(words) / sizeof(words[0]))];
            n += (size_t)snprintf(in + n, sizeof(in) - n, "%s%s", j > 0 ? " " : "", w);
        }
        full_width(in, fw, sizeof(fw));
        same_normal_form(in, fw, 0);
        same_normal_form(in, fw, TTS_NAME_PERSON);
    }
}

static void test_invalid_utf8_is_rejected_with_offset(void **state)
{
    tts_nname n;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_names_normalize("ab\xff", 3, 0, &n, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "byte 3"));
    assert_null(n.tokens);
}

static void test_overlong_name_is_a_limit_error(void **state)
{
    static char big[TTS_NAME_MAX_BYTES + 2];
    tts_nname n;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    memset(big, 'a', sizeof(big) - 1);
    assert_int_equal(tts_names_normalize(big, sizeof(big) - 1, 0, &n, &err), TTS_ERR_LIMIT);
}

static void test_normalise_out_of_memory_is_clean(void **state)
{
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    for (unsigned long k = 1; k < 100 && rc == TTS_ERR_NOMEM; k++) {
        tts_nname n;
        tts_error err;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_names_normalize("Société Générale S.A.", 23, 0, &n, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            tts_nname_clear(&n);
        else
            assert_int_equal(rc, TTS_ERR_NOMEM);
    }
    assert_int_equal(rc, TTS_OK);
}

const char *tts_legal_forms_text(size_t *len);
const char *tts_legal_forms_prepared(size_t *len);

/* data/legal-forms.tsv: every row parses, and the library carries exactly this file. */
static void test_legal_forms_table_parses_and_is_built_in(void **state)
{
    size_t len = 0, n = 0, blen = 0;
    char *text = tts_test_read_file("data/legal-forms.tsv", &len);
    const char *built = tts_legal_forms_text(&blen);
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_non_null(text);
    if (tts_names_legal_check(text, len, &n, &err) != TTS_OK)
        fail_msg("%s", err.message);
    assert_true(n >= 350);
    assert_int_equal(len, blen);
    assert_memory_equal(text, built, len);
    free(text);
}

/*
 * Run first: ASCII names, legal forms included, normalise and find their
 * legal form (from the table prepared at build time) without ICU's
 * transliterator being opened; a Cyrillic one opens it and finds the
 * same class as its Latin spelling.
 */
static void test_ascii_names_need_no_transliterator(void **state)
{
    tts_nname a = {NULL, NULL, NULL}, c = {NULL, NULL, NULL};
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_false(tts_names_translit_opened());
    if (tts_names_normalize("Gazprom Neft OAO", 16, 0, &a, &err) != TTS_OK)
        fail_msg("%s", err.message);
    assert_string_equal(a.tokens, "gazprom neft");
    assert_non_null(a.legal);
    assert_false(tts_names_translit_opened());
    if (tts_names_normalize("Газпром Нефть ОАО", strlen("Газпром Нефть ОАО"), 0, &c, &err) !=
        TTS_OK)
        fail_msg("%s", err.message);
    assert_true(tts_names_translit_opened());
    assert_non_null(c.legal);
    assert_string_equal(a.legal, c.legal);
    tts_nname_clear(&a);
    tts_nname_clear(&c);
}

/* The prepared table built in is data/legal-forms.tsv as the normaliser reads it now. */
static void test_prepared_legal_forms_match_the_table(void **state)
{
    tts_buf b = TTS_BUF_INIT;
    size_t len = 0, plen = 0;
    const char *text = tts_legal_forms_text(&len);
    const char *prep = tts_legal_forms_prepared(&plen);
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    if (tts_names_legal_selfcheck(&err) != TTS_OK)
        fail_msg("%s", err.message);
    if (tts_names_legal_prepare(text, len, &b, &err) != TTS_OK)
        fail_msg("%s", err.message);
    assert_int_equal(b.len, plen);
    assert_memory_equal(b.data, prep, plen);
    tts_buf_free(&b);
}

static void test_legal_forms_table_errors_name_the_line(void **state)
{
    static const struct {
        const char *text;
        tts_status rc;
        const char *msg;
    } cases[] = {
        {"jsc\tany\n", TTS_ERR_SYNTAX, "legal-forms.tsv:1: expected class, where and form"},
        {"# c\n\nJSC\tany\tAG\n", TTS_ERR_SYNTAX, "legal-forms.tsv:3: class must be lower-case"},
        {"jsc\tsomewhere\tAG\n", TTS_ERR_SYNTAX, "legal-forms.tsv:1: where must be any, edge"},
        {"jsc\tany\tAG\tx\n", TTS_ERR_SYNTAX, "legal-forms.tsv:1: empty class or more than 3"},
        {"jsc\tany\t...\n", TTS_ERR_SYNTAX, "legal-forms.tsv:1: form has no letters"},
        {"jsc\tany\t株式会社 Toyota\n", TTS_ERR_SYNTAX, "legal-forms.tsv:1: form has no letters, or mixes"},
        {"jsc\tany\tAG\nltd\tany\tA.G.\n", TTS_ERR_SEMANTIC, "listed twice"},
        {"jsc\tany\tAG\njsc\tedge\tA.G.\n", TTS_ERR_SEMANTIC, "listed twice"},
        {"jsc\tany\t\xff\n", TTS_ERR_ARG, "legal-forms.tsv:1: form: "},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_error err;
        size_t n = 0;
        tts_status rc;
        tts_error_clear(&err);
        rc = tts_names_legal_check(cases[i].text, strlen(cases[i].text), &n, &err);
        if (rc != cases[i].rc || strstr(err.message, cases[i].msg) == NULL)
            fail_msg("row %zu: status %d, message '%s'", i, (int)rc, err.message);
    }
}

/* Append the UTF-8 of cp to b at *w (room checked by the caller). */
static void put8(char *b, size_t *w, unsigned cp)
{
    if (cp < 0x80) {
        b[(*w)++] = (char)cp;
    } else if (cp < 0x800) {
        b[(*w)++] = (char)(0xC0 | (cp >> 6));
        b[(*w)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        b[(*w)++] = (char)(0xE0 | (cp >> 12));
        b[(*w)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[(*w)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        b[(*w)++] = (char)(0xF0 | (cp >> 18));
        b[(*w)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        b[(*w)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[(*w)++] = (char)(0x80 | (cp & 0x3F));
    }
}

/* Normalise s; TTS_OK twice with the same result, or a limit error that says which limit. */
static void normalises_or_names_limit(const char *s, size_t len, const char *what)
{
    tts_nname a, b;
    tts_error err;
    tts_status rc;
    tts_error_clear(&err);
    rc = tts_names_normalize(s, len, 0, &a, &err);
    if (rc == TTS_ERR_LIMIT) {
        if (strstr(err.message, "limit") == NULL && strstr(err.message, "TTS_NAME_MAX") == NULL)
            fail_msg("%s: limit error without the limit: %s", what, err.message);
        return;
    }
    if (rc != TTS_OK)
        fail_msg("%s: %s", what, err.message);
    assert_int_equal(tts_names_normalize(s, len, 0, &b, &err), TTS_OK);
    assert_string_equal(a.tokens, b.tokens);
    assert_string_equal(a.glued, b.glued);
    tts_nname_clear(&a);
    tts_nname_clear(&b);
}

/*
 * Bad input: 4,096 bytes of mixed scripts, bidi controls and joiners,
 * 1,000 combining marks on one letter (Latin and kana), unassigned and
 * private-use code points, noncharacters: a result or a limit error,
 * never a crash, a hang or a silent cut.
 */
static void test_hostile_names_normalise_or_fail_with_the_limit(void **state)
{
    static const unsigned mix[] = {0x0412, 0x5B81, 0x0645, 0x30C8, 0xAE40, 0x03A9,
                                   0x05D0, 0x0E2A, 0x202E, 0x200D, 'a',    ' '};
    static char b[TTS_NAME_MAX_BYTES + 8];
    size_t w = 0;
    (void)state;
    /* mixed scripts with spaces: more words than the limit */
    for (size_t i = 0; w + 4 <= TTS_NAME_MAX_BYTES; i++)
        put8(b, &w, mix[i % (sizeof(mix) / sizeof(mix[0]))]);
    normalises_or_names_limit(b, w, "4096 bytes of mixed scripts");
    /* the same without spaces: few words, long ones */
    w = 0;
    for (size_t i = 0; w + 4 <= TTS_NAME_MAX_BYTES; i++)
        if (mix[i % 12] != ' ')
            put8(b, &w, mix[i % 12]);
    normalises_or_names_limit(b, w, "4096 bytes of mixed scripts, no spaces");
    /* 1,000 stacked combining marks on a Latin letter and on kana */
    for (int k = 0; k < 2; k++) {
        w = 0;
        put8(b, &w, k == 0 ? 'a' : 0x30AB);
        for (int i = 0; i < 1000; i++)
            put8(b, &w, 0x0301 + (unsigned)(i % 8));
        normalises_or_names_limit(b, w, "1000 combining marks");
    }
    /* unassigned, private use, noncharacters, specials between letters */
    w = 0;
    for (unsigned cp = 0; cp < 6; cp++) {
        static const unsigned odd[] = {0x0378, 0xE000, 0xFDD0, 0xFFFE, 0x10FFFF, 0xFFFD};
        put8(b, &w, 'x');
        put8(b, &w, odd[cp]);
    }
    normalises_or_names_limit(b, w, "unassigned and private-use code points");
}

static void test_transliteration_out_of_memory_is_clean(void **state)
{
    static const char name[] = "ООО Газпром 宁德时代新能源科技股份有限公司 محمد";
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    for (unsigned long k = 1; k < 400 && rc == TTS_ERR_NOMEM; k++) {
        tts_nname n;
        tts_error err;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_names_normalize(name, sizeof(name) - 1, 0, &n, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            tts_nname_clear(&n);
        else
            assert_int_equal(rc, TTS_ERR_NOMEM);
    }
    assert_int_equal(rc, TTS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ascii_names_need_no_transliterator),
        cmocka_unit_test(test_normalise_table),
        cmocka_unit_test(test_prepared_legal_forms_match_the_table),
        cmocka_unit_test(test_ascii_path_matches_full_path),
        cmocka_unit_test(test_invalid_utf8_is_rejected_with_offset),
        cmocka_unit_test(test_overlong_name_is_a_limit_error),
        cmocka_unit_test(test_normalise_out_of_memory_is_clean),
        cmocka_unit_test(test_legal_forms_table_parses_and_is_built_in),
        cmocka_unit_test(test_legal_forms_table_errors_name_the_line),
        cmocka_unit_test(test_hostile_names_normalise_or_fail_with_the_limit),
        cmocka_unit_test(test_transliteration_out_of_memory_is_clean),
    };
    return cmocka_run_group_tests_name("names", tests, tts_test_use_cmocka_allocator,
                                       tts_test_use_default_allocator);
}
