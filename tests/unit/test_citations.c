/* SPDX-License-Identifier: MIT */
/* The list-citations table (src/lists/citations.c, data/list-citations.tsv). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"
#include "lists/citations.h"
#include "util/error.h"
#include "util/mem.h"

const char *tts_list_citations_text(size_t *len);

/* data/list-citations.tsv: every row parses, and the library carries exactly this file. */
static void test_table_parses_and_is_built_in(void **state)
{
    size_t len = 0, n = 0, blen = 0;
    char *text = tts_test_read_file("data/list-citations.tsv", &len);
    const char *built = tts_list_citations_text(&blen);
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_non_null(text);
    if (tts_citations_check(text, len, &n, &err) != TTS_OK)
        fail_msg("%s", err.message);
    assert_true(n >= 20);
    assert_int_equal(len, blen);
    assert_memory_equal(text, built, len);
    free(text);
}

static void test_bad_rows_name_the_line(void **state)
{
    static const struct {
        const char *text, *msg;
    } cases[] = {
        {"us-csl\tEL\t*\n", "list-citations.tsv:1: expected source, sublist, program and citation"},
        {"# c\n\nus-csl\tEL\t*\tx\ty\n", "list-citations.tsv:3: more than 4 fields"},
        {"us-csl\t\t*\t15 CFR 744\n", "list-citations.tsv:1: an empty field"},
        {"us-csl\tEL\t*\t15 CFR\r744\n", "list-citations.tsv:1: a carriage return"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_error err;
        size_t n = 0;
        tts_status rc;
        tts_error_clear(&err);
        rc = tts_citations_check(cases[i].text, strlen(cases[i].text), &n, &err);
        if (rc != TTS_ERR_SYNTAX || strstr(err.message, cases[i].msg) == NULL)
            fail_msg("row %zu: status %d, message '%s'", i, (int)rc, err.message);
    }
}

/* The citation the built-in table gives, or "" for none. */
static void expect(const char *source, const char *sublist, const char *programs, const char *want)
{
    char *got = NULL;
    tts_error err;
    tts_error_clear(&err);
    if (tts_citations_for(source, sublist, programs, &got, &err) != TTS_OK)
        fail_msg("%s", err.message);
    if (strcmp(got != NULL ? got : "", want) != 0)
        fail_msg("%s/%s/%s: got '%s', want '%s'", source, sublist ? sublist : "-",
                 programs ? programs : "-", got ? got : "", want);
    tts_free(got);
}

static void test_lookup_by_source_sublist_and_programme(void **state)
{
    (void)state;
    /* a programme with a row of its own */
    expect("us-csl", "SDN", "NPWMD",
           "IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 544 (Weapons of Mass Destruction "
           "Proliferators Sanctions Regulations, E.O. 13382) [NPWMD]");
    /* several programmes: each with a row once, in the list's order; unknown ones skipped */
    expect("ofac-sdn", NULL, "IFSR; CYBER2;NPWMD;CYBER2",
           "IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 578 (Cyber-Related Sanctions Regulations) "
           "[CYBER2]; IEEPA (50 U.S.C. 1701-1706); 31 CFR Part 544 (Weapons of Mass Destruction "
           "Proliferators Sanctions Regulations, E.O. 13382) [NPWMD]");
    /* no programme with a row: the source and sub-list's row for any programme */
    expect("ofac-sdn", NULL, "IFSR",
           "IEEPA (50 U.S.C. 1701-1706) and the regulations of the entry's OFAC programme (31 CFR "
           "Chapter V); OFAC SDN List");
    expect("us-csl", "MEU", NULL, "15 CFR 744.21, Supp. No. 7 to Part 744 (Military End-User List)");
    expect("us-csl", "EL", "EL",
           "15 CFR 744.11 and 744.16, Supp. No. 4 to Part 744 (Entity List)");
    /* a programme row of another sub-list does not apply: the Entity List keeps its own */
    expect("us-csl", "EL", "NPWMD",
           "15 CFR 744.11 and 744.16, Supp. No. 4 to Part 744 (Entity List)");
    /* no row: no citation (the rule's own stands) */
    expect("us-csl", "UVL", NULL, "");
    expect("us-csl", NULL, "NPWMD", "");
    expect("internal", NULL, NULL, "");
    expect(NULL, NULL, NULL, "");
}

static void test_lookup_out_of_memory_is_clean(void **state)
{
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    expect("us-dpl", NULL, NULL, "15 CFR Part 764 and Part 766 (denial orders); BIS Denied Persons List");
    for (int k = 1; k < 20 && rc == TTS_ERR_NOMEM; k++) {
        char *got = NULL;
        tts_error err;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_citations_for("ofac-sdn", NULL, "CYBER2;NPWMD", &got, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            assert_non_null(got);
        else
            assert_null(got);
        tts_free(got);
    }
    assert_int_equal(rc, TTS_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_parses_and_is_built_in),
        cmocka_unit_test(test_bad_rows_name_the_line),
        cmocka_unit_test(test_lookup_by_source_sublist_and_programme),
        cmocka_unit_test(test_lookup_out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
