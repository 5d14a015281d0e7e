/* SPDX-License-Identifier: MIT */
/*
 * Record loading: every bundled fixture loads into the typed model with
 * references resolved to the right elements, dates, tri-state booleans and
 * percentages intact; the canonical form is sorted, compact, stable and
 * keeps unknown fields; errors name file, record, path and expectation;
 * JSON Lines batches report line numbers and go on after a bad line; and an
 * allocation failure at any point yields a clean TTS_ERR_NOMEM without a
 * leak (the cmocka allocator fails any test that leaks).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/model.h"
#include "ttscreen.h"

/* Parse a fixture file; the record must load. Caller frees the record. */
static tts_record *load_fixture(const char *rel)
{
    size_t len = 0;
    char *data = tts_test_read_file(tts_test_fixture(rel), &len);
    tts_record *rec = NULL;
    tts_error err;
    tts_status rc;

    tts_error_clear(&err);
    rc = tts_record_parse(data, len, rel, &rec, &err);
    free(data);
    if (rc != TTS_OK)
        fail_msg("%s: status %d: %s", rel, (int)rc, err.message);
    assert_non_null(rec);
    return rec;
}

/* Parse text that must fail; returns the status and copies the message. */
static tts_status parse_text_fails(const char *text, char *msg, size_t msg_len)
{
    tts_record *rec = NULL;
    tts_error err;
    tts_status rc;

    tts_error_clear(&err);
    rc = tts_record_parse(text, strlen(text), "deal.json", &rec, &err);
    assert_int_not_equal(rc, TTS_OK);
    assert_null(rec);
    snprintf(msg, msg_len, "%s", err.message);
    return rc;
}

static void assert_date(tts_date d, int y, int m, int day)
{
    assert_int_equal(d.y, y);
    assert_int_equal(d.m, m);
    assert_int_equal(d.d, day);
}

static void test_record_every_fixture_loads_with_its_file_name_as_id(void **state)
{
    static const char *const names[] = {"toyota-catl-2019",     "honda-catl-2020",
                                        "nissan-catl-2018",     "shi-subcontractor-2021",
                                        "university-hire-2025", "investment-2024"};
    char rel[128];
    (void)state;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        tts_record *rec;
        snprintf(rel, sizeof(rel), "records/%s.json", names[i]);
        rec = load_fixture(rel);
        assert_string_equal(tts_record_id(rec), names[i]);
        assert_string_equal(rec->source, rel);
        /* every fixture cites its sources in the unknown field _sources */
        assert_true(tts_record_n_unknown(rec) >= 1);
        assert_string_equal(tts_record_unknown(rec, tts_record_n_unknown(rec) - 1), "$._sources");
        assert_null(tts_record_unknown(rec, tts_record_n_unknown(rec)));
        tts_record_free(rec);
    }
}

static void test_record_toyota_model_resolves_references(void **state)
{
    tts_record *rec = load_fixture("records/toyota-catl-2019.json");
    const tts_party *toyota, *catl;
    (void)state;

    assert_string_equal(tts_record_kind(rec), "co-development");
    assert_int_equal(rec->kind, TTS_KIND_CO_DEVELOPMENT);
    assert_date(rec->date, 2019, 7, 17);
    assert_int_equal(rec->n_parties, 2);
    toyota = &rec->parties[0];
    catl = &rec->parties[1];
    assert_ptr_equal(rec->screened_for, toyota);
    assert_string_equal(toyota->name, "Toyota Motor Corporation");
    assert_string_equal(toyota->aliases[0], "トヨタ自動車株式会社");
    assert_string_equal(toyota->country, "JP");
    assert_int_equal(toyota->type, TTS_PARTY_COMPANY);
    assert_int_equal(toyota->state_owned, TTS_TRI_ABSENT);
    assert_int_equal(catl->state_funded, TTS_TRI_TRUE);
    assert_int_equal(catl->state_owned, TTS_TRI_ABSENT);
    assert_string_equal(catl->aliases[0], "宁德时代新能源科技股份有限公司");
    assert_int_equal(catl->n_aliases, 3);
    assert_null(catl->address);

    assert_int_equal(rec->n_relations, 1);
    assert_ptr_equal(rec->relations[0].from, catl);
    assert_ptr_equal(rec->relations[0].to, toyota);
    assert_int_equal(rec->relations[0].type, TTS_REL_SUPPLIES);
    assert_false(rec->relations[0].has_percent);

    assert_int_equal(rec->n_transfers, 2);
    assert_ptr_equal(rec->transfers[0].technology, &rec->technologies[0]);
    assert_ptr_equal(rec->transfers[0].from, toyota);
    assert_ptr_equal(rec->transfers[0].to_party, catl);
    assert_null(rec->transfers[0].to_person);
    assert_int_equal(rec->transfers[0].form, TTS_FORM_JOINT_RESEARCH);
    assert_int_equal(rec->transfers[0].date.y, 0);
    assert_string_equal(rec->transfers[0].location, "");
    assert_null(rec->transfers[0].licence);
    assert_int_equal(rec->transfers[1].form, TTS_FORM_GOODS);
    assert_ptr_equal(rec->transfers[1].to_party, toyota);

    assert_string_equal(rec->technologies[0].fields[0], "batteries");
    assert_null(rec->technologies[0].control_jp);
    assert_int_equal(rec->technologies[0].classified, TTS_CLASS_ABSENT);
    assert_false(rec->controls.present);
    assert_int_equal(rec->controls.export_control_program, TTS_TRI_ABSENT);
    assert_null(tts_record_as_of(rec));
    assert_int_equal(rec->n_people, 0);
    assert_int_equal(rec->n_funding, 0);
    tts_record_free(rec);
}

static void test_record_honda_owns_one_percent_through_subsidiary(void **state)
{
    tts_record *rec = load_fixture("records/honda-catl-2020.json");
    (void)state;
    assert_date(rec->date, 2020, 7, 10);
    assert_int_equal(rec->n_relations, 3);
    assert_int_equal(rec->relations[0].type, TTS_REL_CONTROLS);
    assert_false(rec->relations[0].has_percent);
    assert_int_equal(rec->relations[1].type, TTS_REL_OWNS);
    assert_true(rec->relations[1].has_percent);
    assert_true(rec->relations[1].percent == 1.0);
    assert_ptr_equal(rec->relations[1].from, &rec->parties[1]);
    assert_ptr_equal(rec->relations[1].to, &rec->parties[2]);
    assert_string_equal(rec->relations[1].to->id, "catl");
    tts_record_free(rec);
}

static void test_record_nissan_without_known_day_has_no_date(void **state)
{
    tts_record *rec = load_fixture("records/nissan-catl-2018.json");
    (void)state;
    assert_int_equal(rec->kind, TTS_KIND_SUPPLY);
    assert_int_equal(rec->date.y, 0);
    assert_string_equal(rec->parties[0].aliases[0], "日産自動車株式会社");
    tts_record_free(rec);
}

static void test_record_shi_chain_reaches_chinese_company(void **state)
{
    tts_record *rec = load_fixture("records/shi-subcontractor-2021.json");
    const tts_technology *t;
    (void)state;
    assert_int_equal(rec->kind, TTS_KIND_SUBCONTRACT);
    t = &rec->technologies[0];
    assert_string_equal(t->control_jp, "1");
    assert_null(t->control_us);
    assert_string_equal(t->fields[0], "weapons");
    assert_int_equal(rec->parties[3].type, TTS_PARTY_MILITARY);
    /* tier 1: shi -> subcontractor; tier 2: subcontractor -> cn-company */
    assert_ptr_equal(rec->transfers[0].from, rec->screened_for);
    assert_ptr_equal(rec->transfers[0].to_party, &rec->parties[1]);
    assert_ptr_equal(rec->transfers[1].from, rec->transfers[0].to_party);
    assert_string_equal(rec->transfers[1].to_party->country, "CN");
    assert_int_equal(rec->transfers[1].form, TTS_FORM_BLUEPRINT);
    assert_null(rec->transfers[1].licence);
    assert_int_equal(rec->relations[1].type, TTS_REL_SUBCONTRACTS);
    tts_record_free(rec);
}

static void test_record_university_people_affiliations_clearance_funding(void **state)
{
    tts_record *rec = load_fixture("records/university-hire-2025.json");
    const tts_person *a, *b;
    (void)state;

    assert_int_equal(rec->n_people, 2);
    a = &rec->people[0];
    b = &rec->people[1];
    assert_int_equal(a->n_nationality, 1);
    assert_string_equal(a->nationality[0], "CN");
    assert_string_equal(a->residence, "JP");
    assert_date(a->resident_since, 2025, 3, 20);
    assert_ptr_equal(a->employer, &rec->parties[0]);
    assert_string_equal(a->role, "postdoc");
    assert_int_equal(a->n_affiliations, 2);
    assert_int_equal(a->affiliations[0].kind, TTS_AFFIL_TALENT_PROGRAM);
    assert_int_equal(a->affiliations[0].disclosed, TTS_TRI_FALSE);
    assert_date(a->affiliations[0].since, 2023, 9, 1);
    assert_int_equal(a->affiliations[0].until.y, 0);
    assert_int_equal(a->affiliations[1].kind, TTS_AFFIL_EMPLOYMENT);
    assert_int_equal(a->affiliations[1].disclosed, TTS_TRI_TRUE);
    assert_date(a->affiliations[1].until, 2025, 3, 15);
    assert_null(a->clearance);
    assert_int_equal(a->n_access, 1);
    assert_ptr_equal(a->access[0], &rec->technologies[0]);

    assert_int_equal(b->n_nationality, 1);
    assert_string_equal(b->nationality[0], "JP");
    assert_non_null(b->clearance);
    assert_true(b->clearance->has_regime);
    assert_int_equal(b->clearance->regime, TTS_REGIME_JP_ESI);
    assert_true(b->clearance->has_level);
    assert_int_equal(b->clearance->level, TTS_LEVEL_CONFIDENTIAL);
    assert_date(b->clearance->granted, 2025, 6, 2);
    assert_date(b->clearance->expires, 2035, 6, 1);
    assert_ptr_equal(b->access[1], &rec->technologies[1]);
    assert_int_equal(rec->technologies[1].classified, TTS_CLASS_JP_ESI);
    assert_int_equal(rec->technologies[0].classified, TTS_CLASS_NONE);
    assert_string_equal(rec->technologies[0].control_jp, "non-listed");
    assert_string_equal(rec->technologies[0].control_us, "EAR99");

    /* a transfer to a person, and party types */
    assert_ptr_equal(rec->transfers[0].to_person, a);
    assert_null(rec->transfers[0].to_party);
    assert_string_equal(rec->transfers[0].location, "JP");
    assert_int_equal(rec->parties[0].type, TTS_PARTY_UNIVERSITY);
    assert_int_equal(rec->parties[1].type, TTS_PARTY_RESEARCH_INSTITUTE);
    assert_int_equal(rec->parties[1].state_owned, TTS_TRI_TRUE);
    assert_int_equal(rec->parties[2].type, TTS_PARTY_GOVERNMENT);
    assert_string_equal(rec->parties[0].address, "1-1 Example-cho, Tsukuba, Ibaraki, Japan");
    assert_int_equal(rec->parties[0].n_identifiers, 1);
    assert_string_equal(rec->parties[0].identifiers[0].key, "jp-corporate-number");

    /* funding from a name (not a party) to a person; from a party to a party */
    assert_null(rec->funding[0].from_party);
    assert_string_equal(rec->funding[0].from_name, "Example Overseas Talent Programme");
    assert_ptr_equal(rec->funding[0].to_person, a);
    assert_true(rec->funding[0].has_amount);
    assert_true(rec->funding[0].amount == 500000.0);
    assert_string_equal(rec->funding[0].currency, "CNY");
    assert_int_equal(rec->funding[0].disclosed, TTS_TRI_FALSE);
    assert_ptr_equal(rec->funding[1].from_party, &rec->parties[2]);
    assert_ptr_equal(rec->funding[1].to_party, &rec->parties[1]);
    assert_false(rec->funding[1].has_amount);
    assert_int_equal(rec->funding[1].disclosed, TTS_TRI_ABSENT);

    assert_true(rec->controls.present);
    assert_int_equal(rec->controls.export_control_program, TTS_TRI_TRUE);
    assert_int_equal(rec->controls.foreign_researcher_register, TTS_TRI_FALSE);
    assert_date(rec->controls.as_of, 2025, 10, 1);
    assert_string_equal(tts_record_as_of(rec), "2025-10-01");
    tts_record_free(rec);
}

static void test_record_investment_cycle_licence_and_identifiers(void **state)
{
    tts_record *rec = load_fixture("records/investment-2024.json");
    const tts_licence *l;
    (void)state;

    assert_int_equal(rec->kind, TTS_KIND_INVESTMENT);
    /* cross-shareholding cycle: sg-vehicle owns 12.5 % of jp-target, which owns 0.5 % back */
    assert_true(rec->relations[1].percent == 12.5);
    assert_ptr_equal(rec->relations[1].to, &rec->parties[0]);
    assert_true(rec->relations[2].percent == 0.5);
    assert_ptr_equal(rec->relations[2].to, rec->relations[1].from);
    assert_true(rec->relations[0].percent == 100.0);
    assert_int_equal(rec->relations[3].type, TTS_REL_EMPLOYS);
    assert_int_equal(rec->parties[3].type, TTS_PARTY_PERSON);
    assert_int_equal(rec->parties[0].state_owned, TTS_TRI_FALSE);
    assert_int_equal(rec->parties[2].state_owned, TTS_TRI_TRUE);
    assert_int_equal(rec->parties[0].n_identifiers, 2);
    assert_string_equal(rec->parties[0].identifiers[1].key, "lei");
    assert_string_equal(rec->parties[2].identifiers[0].key, "cn-uscc");
    assert_string_equal(rec->parties[1].identifiers[0].key, "duns");

    l = rec->transfers[0].licence;
    assert_non_null(l);
    assert_string_equal(l->authority, "METI");
    assert_string_equal(l->number, "ILLUSTRATIVE-0001");
    assert_date(l->expires, 2027, 11, 30);
    assert_true(l->has_covers);
    assert_int_equal(l->n_covers, 2);
    assert_ptr_equal(l->covers[0], &rec->parties[1]);
    assert_ptr_equal(l->covers[1], &rec->parties[2]);
    assert_int_equal(rec->transfers[0].form, TTS_FORM_SOFTWARE);
    assert_string_equal(rec->transfers[0].location, "SG");
    assert_null(rec->transfers[1].licence);

    assert_ptr_equal(rec->funding[0].from_party, &rec->parties[1]);
    assert_string_equal(rec->funding[0].currency, "USD");
    assert_int_equal(rec->controls.foreign_researcher_register, TTS_TRI_ABSENT);
    assert_string_equal(tts_record_as_of(rec), "2025-06-30");
    tts_record_free(rec);
}

static const char small_record[] =
    "{ \"title\" : \"Écoute\",\n"
    "  \"screened_for\": \"a\", \"kind\": \"sale\", \"id\": \"canon-1\",\n"
    "  \"zz_extra\": {\"b\": [1, 2.5, true, null], \"a\": \"x\"},\n"
    "  \"parties\": [ {\"type\": \"company\", \"name\": \"Ａ社\", \"id\": \"a\", \"country\": \"JP\"} ],\n"
    "  \"format\": \"ttscreen-record/1\" }\n";

static const char small_canonical[] =
    "{\"format\":\"ttscreen-record/1\",\"id\":\"canon-1\",\"kind\":\"sale\","
    "\"parties\":[{\"country\":\"JP\",\"id\":\"a\",\"name\":\"Ａ社\",\"type\":\"company\"}],"
    "\"screened_for\":\"a\",\"title\":\"Écoute\",\"zz_extra\":{\"a\":\"x\",\"b\":[1,2.5,true,null]}}";

static void test_record_canonical_is_sorted_compact_and_keeps_unknown_fields(void **state)
{
    tts_record *rec = NULL, *again = NULL;
    tts_error err;
    size_t len = 0, len2 = 0;
    const char *canon;
    (void)state;

    tts_error_clear(&err);
    assert_int_equal(tts_record_parse(small_record, strlen(small_record), "s.json", &rec, &err),
                     TTS_OK);
    canon = tts_record_canonical(rec, &len);
    assert_string_equal(canon, small_canonical);
    assert_int_equal(len, strlen(small_canonical));
    assert_int_equal(tts_record_n_unknown(rec), 1);
    assert_string_equal(tts_record_unknown(rec, 0), "$.zz_extra");

    /* stable: the canonical form of the canonical form is itself */
    assert_int_equal(tts_record_parse(canon, len, "s.json", &again, &err), TTS_OK);
    assert_string_equal(tts_record_canonical(again, &len2), small_canonical);
    assert_int_equal(len2, len);
    tts_record_free(again);
    tts_record_free(rec);
}

static void test_record_canonical_of_fixture_equals_its_batch_line(void **state)
{
    /* batch.jsonl holds the seed records re-serialised with other spacing. */
    tts_record *rec = load_fixture("records/toyota-catl-2019.json");
    FILE *fp = fopen(tts_test_fixture("records/batch.jsonl"), "rb");
    tts_reader *rd = NULL;
    tts_record *line = NULL;
    tts_error err;
    (void)state;

    assert_non_null(fp);
    tts_error_clear(&err);
    assert_int_equal(tts_reader_open(fp, "batch.jsonl", &rd, &err), TTS_OK);
    assert_int_equal(tts_reader_next(rd, &line, &err), TTS_OK);
    assert_string_equal(tts_record_canonical(line, NULL), tts_record_canonical(rec, NULL));
    tts_record_free(line);
    tts_reader_free(rd);
    fclose(fp);
    tts_record_free(rec);
}

static void test_record_errors_name_file_record_path_and_expectation(void **state)
{
    static const char *const rows[][2] = {
        {"{\"format\":\"ttscreen-record/1\",\"id\":\"acme-1\",\"kind\":\"supply\","
         "\"screened_for\":\"acme\",\"parties\":[{\"id\":\"acme\",\"name\":\"Acme\","
         "\"country\":\"JP\",\"type\":\"company\"}],\"technologies\":[{\"id\":\"t\","
         "\"description\":\"d\"}],\"transfers\":[{\"technology\":\"t\",\"from\":\"acme\","
         "\"to\":\"acme\",\"form\":\"goods\"},{\"technology\":\"t\",\"from\":\"acme\","
         "\"to\":\"acme\",\"form\":\"goods\"},{\"technology\":\"t\",\"from\":\"acme\","
         "\"to\":\"acme-cn\",\"form\":\"goods\"}]}",
         "deal.json: record \"acme-1\": $.transfers[2].to: no party with id \"acme-cn\""},
        {"{\"format\":\"ttscreen-record/1\",\"kind\":\"supply\"}",
         "deal.json: $.id: missing required field"},
        {"{\"format\":\"ttscreen-record/1\",\"id\":\"d\",\"kind\":\"sale\",\"date\":\"2100-02-29\","
         "\"screened_for\":\"a\",\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"JP\","
         "\"type\":\"company\"}]}",
         "deal.json: record \"d\": $.date: invalid date \"2100-02-29\" (expected a real calendar "
         "date YYYY-MM-DD)"},
        {"{\"format\":\"ttscreen-record/1\",\"id\":\"d\",\"kind\":\"sale\",\"screened_for\":\"a\","
         "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"XK\",\"type\":\"company\"}]}",
         "deal.json: record \"d\": $.parties[0].country: invalid country code \"XK\" (expected "
         "an assigned ISO 3166-1 alpha-2 code in upper case, e.g. \"JP\")"},
        {"{\n  \"format\": \"ttscreen-record/1\",\n  \"id\": \"d\"\n  \"kind\": \"sale\"\n}",
         "deal.json:4:8: invalid JSON: '}' expected near '\"kind\"'"},
        {"{\"format\":\"ttscreen-record/1\",\"id\":\"d\",\"kind\":\"sale\",\"screened_for\":\"a\","
         "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"JP\",\"type\":\"company\"}],"
         "\"relations\":[{\"from\":\"a\",\"to\":\"a\",\"type\":\"owns\",\"percent\":100.0000001}]}",
         "deal.json: record \"d\": $.relations[0].percent: percent 100.0000001 out of range "
         "(expected 0 < percent <= 100)"},
        /* a raw control byte is quoted as \xNN, never echoed to the terminal */
        {"{\n  \"id\":\a \"x\"\n}", "deal.json:2:8: invalid JSON: invalid token near '\\x07'"},
    };
    char msg[512];
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        parse_text_fails(rows[i][0], msg, sizeof(msg));
        if (strcmp(msg, rows[i][1]) != 0)
            fail_msg("row %zu:\n got: %s\nwant: %s", i, msg, rows[i][1]);
    }
}

/* A minimal valid record around one party object / date, for boundary rows. */
static tts_status parse_with(const char *id, const char *date)
{
    char text[1024];
    tts_record *rec = NULL;
    tts_error err;
    tts_status rc;
    snprintf(text, sizeof(text),
             "{\"format\":\"ttscreen-record/1\",\"id\":\"%s\",\"kind\":\"sale\",\"date\":\"%s\","
             "\"screened_for\":\"a\",\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"JP\","
             "\"type\":\"company\"}]}",
             id, date);
    tts_error_clear(&err);
    rc = tts_record_parse(text, strlen(text), "b.json", &rec, &err);
    tts_record_free(rec);
    return rc;
}

static void test_record_id_and_date_boundaries(void **state)
{
    char id128[129], id129[130];
    (void)state;
    memset(id128, 'x', 128);
    id128[128] = '\0';
    memset(id129, 'x', 129);
    id129[129] = '\0';
    assert_int_equal(parse_with(id128, "2020-02-29"), TTS_OK);
    assert_int_equal(parse_with("a.b_c-D9", "2000-02-29"), TTS_OK);
    assert_int_not_equal(parse_with(id129, "2020-02-29"), TTS_OK);
    assert_int_not_equal(parse_with("x", "1900-02-29"), TTS_OK);
    assert_int_not_equal(parse_with("x", "2021-02-30"), TTS_OK);
    assert_int_not_equal(parse_with("x", "2021-13-01"), TTS_OK);
    assert_int_not_equal(parse_with("x", "2021-12-00"), TTS_OK);
    assert_int_equal(parse_with("x", "2021-12-31"), TTS_OK);
}

/* Read every record of a stream; collect "line:status" and messages. */
static void read_all(FILE *fp, const char *source, char *trace, size_t trace_len, char *msgs,
                     size_t msgs_len)
{
    tts_reader *rd = NULL;
    tts_error err;
    tts_status rc;
    size_t t = 0, m = 0;

    tts_error_clear(&err);
    assert_int_equal(tts_reader_open(fp, source, &rd, &err), TTS_OK);
    trace[0] = msgs[0] = '\0';
    for (;;) {
        tts_record *rec = NULL;
        tts_error_clear(&err);
        rc = tts_reader_next(rd, &rec, &err);
        if (rc == TTS_ERR_EOF)
            break;
        t += (size_t)snprintf(trace + t, trace_len - t, "%ld:%s ", tts_reader_line(rd),
                              rc == TTS_OK ? tts_record_id(rec) : "error");
        if (rc != TTS_OK) {
            assert_null(rec);
            m += (size_t)snprintf(msgs + m, msgs_len - m, "%s\n", err.message);
        }
        tts_record_free(rec);
        assert_true(t < trace_len && m < msgs_len);
    }
    tts_reader_free(rd);
}

static const char good_line_fmt[] =
    "{\"format\":\"ttscreen-record/1\",\"id\":\"%s\",\"kind\":\"sale\",\"screened_for\":\"a\","
    "\"parties\":[{\"id\":\"a\",\"name\":\"A\",\"country\":\"%s\",\"type\":\"company\"}]}\n";

static void test_record_jsonl_reports_line_numbers_and_continues(void **state)
{
    char text[4096], trace[256], msgs[1024];
    size_t n = 0;
    FILE *fp;
    (void)state;

    n += (size_t)snprintf(text + n, sizeof(text) - n, good_line_fmt, "r1", "JP");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "{\"format\": \"ttscreen-record/1\", x}\n");
    n += (size_t)snprintf(text + n, sizeof(text) - n, "\n   \n");
    n += (size_t)snprintf(text + n, sizeof(text) - n, good_line_fmt, "r5", "jp");
    n += (size_t)snprintf(text + n, sizeof(text) - n, good_line_fmt, "r6", "US");
    fp = fmemopen(text, n, "rb");
    assert_non_null(fp);
    read_all(fp, "batch.jsonl", trace, sizeof(trace), msgs, sizeof(msgs));
    fclose(fp);
    assert_string_equal(trace, "1:r1 2:error 5:error 6:r6 ");
    assert_string_equal(msgs,
                        "batch.jsonl:2:33: invalid JSON: string or '}' expected near 'x'\n"
                        "batch.jsonl:5: record \"r5\": $.parties[0].country: invalid country "
                        "code \"jp\" (expected an assigned ISO 3166-1 alpha-2 code in upper case, e.g. \"JP\")\n");
}

static void test_record_reader_reads_pretty_file_as_one_record(void **state)
{
    char trace[256], msgs[512];
    FILE *fp = fopen(tts_test_fixture("records/shi-subcontractor-2021.json"), "rb");
    (void)state;
    assert_non_null(fp);
    read_all(fp, "shi.json", trace, sizeof(trace), msgs, sizeof(msgs));
    fclose(fp);
    assert_string_equal(trace, "1:shi-subcontractor-2021 ");
    assert_string_equal(msgs, "");
}

static void test_record_reader_bom_in_pretty_file_is_one_error(void **state)
{
    static const char text[] = "\xEF\xBB\xBF{\n  \"format\": \"ttscreen-record/1\",\n  \"id\": "
                               "\"x\"\n}\n";
    char trace[256], msgs[512];
    FILE *fp = fmemopen((void *)(uintptr_t)text, sizeof(text) - 1, "rb");
    (void)state;
    assert_non_null(fp);
    read_all(fp, "bom.json", trace, sizeof(trace), msgs, sizeof(msgs));
    fclose(fp);
    assert_string_equal(trace, "1:error ");
    assert_string_equal(msgs, "bom.json:1:1: invalid JSON: byte order mark (U+FEFF) at the "
                              "start; save the file as UTF-8 without BOM\n");
}

static void test_record_reader_truncated_file_points_at_last_real_line(void **state)
{
    /* no newline at the end: the error is on line 3, not on a phantom line 4 */
    static const char text[] = "{\n  \"format\": \"ttscreen-record/1\",\n  \"id\": \"x\"";
    char trace[256], msgs[512];
    FILE *fp = fmemopen((void *)(uintptr_t)text, sizeof(text) - 1, "rb");
    (void)state;
    assert_non_null(fp);
    read_all(fp, "cut.json", trace, sizeof(trace), msgs, sizeof(msgs));
    fclose(fp);
    assert_string_equal(msgs, "cut.json:3:11: invalid JSON: '}' expected near end of file\n");
}

static void test_record_reader_empty_input_is_an_error_then_eof(void **state)
{
    char trace[256], msgs[512];
    FILE *fp = fmemopen((void *)(uintptr_t)" \n\n", 3, "rb");
    (void)state;
    assert_non_null(fp);
    read_all(fp, "-", trace, sizeof(trace), msgs, sizeof(msgs));
    fclose(fp);
    assert_string_equal(msgs, "-: empty input: expected a record object\n");
}

/*
 * Allocation-failure loop: fail the Nth allocation for N = 1, 2, ... until
 * parsing succeeds. Each failing run must return TTS_ERR_NOMEM with no
 * record; the cmocka allocator fails the test on any leaked block.
 */
static void test_record_parse_allocation_failures_are_clean(void **state)
{
    size_t len = 0;
    char *data = tts_test_read_file(tts_test_fixture("records/university-hire-2025.json"), &len);
    unsigned long n;
    (void)state;

    for (n = 1; n < 100000; n++) {
        tts_record *rec = NULL;
        tts_error err;
        tts_status rc;
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_record_parse(data, len, "u.json", &rec, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK) {
            assert_non_null(rec);
            tts_record_free(rec);
            break;
        }
        if (rc != TTS_ERR_NOMEM)
            fail_msg("allocation %lu failed: status %d: %s", n, (int)rc, err.message);
        assert_null(rec);
    }
    assert_true(n > 10);
    assert_true(n < 100000);
    free(data);
}

static void test_record_reader_allocation_failures_are_clean(void **state)
{
    size_t len = 0;
    char *data = tts_test_read_file(tts_test_fixture("records/batch.jsonl"), &len);
    unsigned long n;
    (void)state;

    for (n = 1; n < 100000; n++) {
        FILE *fp = fmemopen(data, len, "rb");
        tts_reader *rd = NULL;
        tts_error err;
        tts_status rc;
        int records = 0;
        assert_non_null(fp);
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_reader_open(fp, "batch.jsonl", &rd, &err);
        while (rc == TTS_OK) {
            tts_record *rec = NULL;
            rc = tts_reader_next(rd, &rec, &err);
            if (rc == TTS_OK) {
                records++;
                tts_record_free(rec);
            }
        }
        tts_mem_fail_after(0);
        tts_reader_free(rd);
        fclose(fp);
        if (rc == TTS_ERR_EOF && records == 4)
            break;
        if (rc != TTS_ERR_NOMEM)
            fail_msg("allocation %lu failed: status %d after %d records: %s", n, (int)rc,
                     records, err.message);
    }
    assert_true(n < 100000);
    free(data);
}

static int group_setup(void **state)
{
    tts_test_use_cmocka_allocator(state);
    return tts_init() == TTS_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    tts_fini();
    return tts_test_use_default_allocator(state);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_record_every_fixture_loads_with_its_file_name_as_id),
        cmocka_unit_test(test_record_toyota_model_resolves_references),
        cmocka_unit_test(test_record_honda_owns_one_percent_through_subsidiary),
        cmocka_unit_test(test_record_nissan_without_known_day_has_no_date),
        cmocka_unit_test(test_record_shi_chain_reaches_chinese_company),
        cmocka_unit_test(test_record_university_people_affiliations_clearance_funding),
        cmocka_unit_test(test_record_investment_cycle_licence_and_identifiers),
        cmocka_unit_test(test_record_canonical_is_sorted_compact_and_keeps_unknown_fields),
        cmocka_unit_test(test_record_canonical_of_fixture_equals_its_batch_line),
        cmocka_unit_test(test_record_errors_name_file_record_path_and_expectation),
        cmocka_unit_test(test_record_id_and_date_boundaries),
        cmocka_unit_test(test_record_jsonl_reports_line_numbers_and_continues),
        cmocka_unit_test(test_record_reader_reads_pretty_file_as_one_record),
        cmocka_unit_test(test_record_reader_bom_in_pretty_file_is_one_error),
        cmocka_unit_test(test_record_reader_truncated_file_points_at_last_real_line),
        cmocka_unit_test(test_record_reader_empty_input_is_an_error_then_eof),
        cmocka_unit_test(test_record_parse_allocation_failures_are_clean),
        cmocka_unit_test(test_record_reader_allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
