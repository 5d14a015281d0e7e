/* SPDX-License-Identifier: MIT */
/*
 * Strict record fields, where a mistake would change the verdict: a near
 * miss of a field name (edit distance 2 or less, '-' for '_', case, U.S.
 * spellings) is an input error with "did you mean", in every object of the
 * record, while a producer's own field is kept and listed as unknown;
 * technologies[].fields takes only its vocabulary; control.jp only real
 * Appended Table 1 items ("16" is the catch-all); control.us only ECCNs,
 * EAR99 and USML categories I-XXI. Each table row builds one record from a
 * template that has a slot in every object kind.
 */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "record/model.h"
#include "ttscreen.h"

/* The slots of RECORD_TEMPLATE, in the order of its %s conversions. */
typedef enum slot {
    S_TOP,       /* a member of the record object */
    S_PARTY,     /* parties[1] */
    S_RELATION,  /* relations[0] */
    S_FIELDS,    /* the elements of technologies[0].fields */
    S_JP,        /* the value of technologies[0].control.jp */
    S_CONTROL,   /* technologies[0].control */
    S_TECH,      /* technologies[0] */
    S_LICENCE,   /* transfers[0].licence */
    S_TRANSFER,  /* transfers[0] */
    S_AFFIL,     /* people[0].affiliations[0] */
    S_CLEARANCE, /* people[0].clearance */
    S_PERSON,    /* people[0] */
    S_FUNDING,   /* funding[0] */
    S_CONTROLS,  /* controls */
    N_SLOTS
} slot;

#define RECORD_TEMPLATE                                                                            \
    "{\"format\":\"ttscreen-record/1\",\"id\":\"acme-1\",\"kind\":\"supply\","                     \
    "\"screened_for\":\"acme\"%s,"                                                                 \
    "\"parties\":[{\"id\":\"acme\",\"name\":\"Acme K.K.\",\"country\":\"JP\","                     \
    "\"type\":\"company\"},{\"id\":\"cn\",\"name\":\"CN Co.\",\"country\":\"CN\","                 \
    "\"type\":\"company\"%s}],"                                                                    \
    "\"relations\":[{\"from\":\"cn\",\"to\":\"acme\",\"type\":\"owns\",\"percent\":10%s}],"        \
    "\"technologies\":[{\"id\":\"t\",\"description\":\"Laser data\",\"fields\":[%s],"              \
    "\"control\":{\"jp\":%s%s}%s}],"                                                               \
    "\"transfers\":[{\"technology\":\"t\",\"from\":\"acme\",\"to\":\"cn\",\"form\":\"software\","  \
    "\"licence\":{\"authority\":\"METI\"%s}%s}],"                                                  \
    "\"people\":[{\"id\":\"p\",\"name\":\"P\",\"nationality\":\"CN\","                             \
    "\"affiliations\":[{\"kind\":\"employment\"%s}],\"clearance\":{\"regime\":\"jp-esi\"%s}%s}],"  \
    "\"funding\":[{\"from\":\"cn\",\"to\":\"p\"%s}],"                                              \
    "\"controls\":{\"as_of\":\"2025-01-01\"%s}}"

/* JSON paths of the objects behind the slots, for the expected messages. */
static const char *const slot_path[N_SLOTS] = {
    "$",
    "$.parties[1]",
    "$.relations[0]",
    "$.technologies[0].fields",
    "$.technologies[0].control.jp",
    "$.technologies[0].control",
    "$.technologies[0]",
    "$.transfers[0].licence",
    "$.transfers[0]",
    "$.people[0].affiliations[0]",
    "$.people[0].clearance",
    "$.people[0]",
    "$.funding[0]",
    "$.controls",
};

/* The record with `text` in slot s and the defaults elsewhere. */
static void build(slot s, const char *text, char *out, size_t len)
{
    const char *v[N_SLOTS];
    for (int i = 0; i < N_SLOTS; i++)
        v[i] = "";
    v[S_FIELDS] = "\"lasers\"";
    v[S_JP] = "\"10\"";
    v[s] = text;
    snprintf(out, len, RECORD_TEMPLATE, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9],
             v[10], v[11], v[12], v[13]);
}

/* Parse; returns the status, the message in msg and the record (or NULL). */
static tts_status parse(const char *text, char *msg, size_t msg_len, tts_record **rec)
{
    tts_error err;
    tts_status rc;
    tts_error_clear(&err);
    *rec = NULL;
    rc = tts_record_parse(text, strlen(text), "deal.json", rec, &err);
    snprintf(msg, msg_len, "%s", rc == TTS_OK ? "" : err.message);
    return rc;
}

static void test_record_fields_template_record_loads(void **state)
{
    char text[4096], msg[512];
    tts_record *rec;
    (void)state;
    build(S_TOP, "", text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(tts_record_n_unknown(rec), 0);
    tts_record_free(rec);
}

/* A near miss in every object kind: the message names the field meant. */
static void test_record_fields_near_miss_is_an_error_with_did_you_mean(void **state)
{
    static const struct {
        slot s;
        const char *member; /* `"key": value`, as written in the object */
        const char *key;    /* the key, as the path shows it */
        const char *meant;
    } rows[] = {
        {S_TOP, "\"screened-for\":\"acme\"", "screened-for", "screened_for"},
        {S_TOP, "\"Technologies\":[]", "Technologies", "technologies"},
        {S_TOP, "\"transfer\":[]", "transfer", "transfers"},
        {S_TOP, "\"ID\":\"x\"", "ID", "id"},
        {S_PARTY, "\"state-funded\":true", "state-funded", "state_funded"},
        {S_PARTY, "\"State_Owned\":true", "State_Owned", "state_owned"},
        {S_PARTY, "\"stateowned\":true", "stateowned", "state_owned"},
        {S_PARTY, "\"adress\":\"Tokyo\"", "adress", "address"},
        {S_PARTY, "\"identifier\":{}", "identifier", "identifiers"},
        {S_PARTY, "\"ids\":[]", "ids", "id"},
        {S_PARTY, "\"listd\":true", "listd", "listed"},
        {S_PARTY, "\"business-sectors\":[]", "business-sectors", "business_sectors"},
        {S_RELATION, "\"precent\":10", "precent", "percent"},
        {S_RELATION, "\"typ\":\"owns\"", "typ", "type"},
        {S_TECH, "\"feilds\":[]", "feilds", "fields"},
        {S_TECH, "\"controls\":{}", "controls", "control"},
        {S_TECH, "\"descripton\":\"x\"", "descripton", "description"},
        {S_TECH, "\"Classified\":\"none\"", "Classified", "classified"},
        {S_CONTROL, ",\"JP\":\"1\"", "JP", "jp"},
        {S_CONTROL, ",\"Us\":\"EAR99\"", "Us", "us"},
        {S_TRANSFER, "\"license\":{}", "license", "licence"},
        {S_TRANSFER, "\"License\":{}", "License", "licence"},
        {S_TRANSFER, "\"licenses\":[]", "licenses", "licence"},
        {S_TRANSFER, "\"locaton\":\"CN\"", "locaton", "location"},
        {S_TRANSFER, "\"technolgy\":\"t\"", "technolgy", "technology"},
        {S_TRANSFER, "\"end-user\":\"cn\"", "end-user", "end_user"},
        {S_LICENCE, "\"expiry\":\"2026-01-01\"", "expiry", "expires"},
        {S_LICENCE, "\"Authority\":\"BIS\"", "Authority", "authority"},
        {S_LICENCE, "\"cover\":[]", "cover", "covers"},
        {S_PERSON, "\"residence_since\":\"2020-01-01\"", "residence_since", "resident_since"},
        {S_PERSON, "\"affiliation\":[]", "affiliation", "affiliations"},
        {S_PERSON, "\"nationalty\":\"CN\"", "nationalty", "nationality"},
        {S_AFFIL, "\"organization\":\"X\"", "organization", "organisation"},
        {S_AFFIL, "\"Organization\":\"X\"", "Organization", "organisation"},
        {S_AFFIL, "\"disclose\":true", "disclose", "disclosed"},
        {S_CLEARANCE, "\"held-with\":\"acme\"", "held-with", "held_with"},
        {S_CLEARANCE, "\"expiry\":\"2030-01-01\"", "expiry", "expires"},
        {S_CLEARANCE, "\"grant\":\"2020-01-01\"", "grant", "granted"},
        {S_FUNDING, "\"ammount\":1", "ammount", "amount"},
        {S_FUNDING, "\"currancy\":\"JPY\"", "currancy", "currency"},
        {S_CONTROLS, "\"export_control_programme\":true", "export_control_programme",
         "export_control_program"},
        {S_CONTROLS, "\"as-of\":\"2025-01-01\"", "as-of", "as_of"},
        {S_CONTROLS, "\"asof\":\"2025-01-01\"", "asof", "as_of"},
    };
    char text[4096], member[128], msg[512], want[512];
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_record *rec;
        tts_status rc;
        /* members go after the slot's last field; the control slot has its own comma */
        snprintf(member, sizeof(member), "%s%s", rows[i].s == S_CONTROL ? "" : ",", rows[i].member);
        build(rows[i].s, member, text, sizeof(text));
        rc = parse(text, msg, sizeof(msg), &rec);
        tts_record_free(rec);
        snprintf(want, sizeof(want),
                 "deal.json: record \"acme-1\": %s.%s: unknown field; did you mean \"%s\"?",
                 slot_path[rows[i].s], rows[i].key, rows[i].meant);
        if (rc != TTS_ERR_JSON || strcmp(msg, want) != 0)
            fail_msg("row %zu: status %d\n got: %s\nwant: %s", i, (int)rc, msg, want);
    }
}

/* A producer's own field is kept as unknown. */
static void test_record_fields_own_and_far_fields_are_kept(void **state)
{
    static const struct {
        slot s;
        const char *member;
        const char *path; /* as tts_record_unknown lists it */
    } rows[] = {
        {S_TOP, "\"x_internal_ref\":\"T-1\"", "$.x_internal_ref"},
        {S_TOP, "\"_sources\":[\"a\"]", "$._sources"},
        {S_TOP, "\"zz\":1", "$.zz"}, /* keeps no character of "id" */
        {S_TOP, "\"x\":1", "$.x"},
        {S_TOP, "\"ticket_number\":\"T-1\"", "$.ticket_number"},
        {S_PARTY, "\"lei\":\"5493001KJTIIGC8Y1R12\"", "$.parties[1].lei"},
        {S_RELATION, "\"source_document\":\"x\"", "$.relations[0].source_document"},
        {S_TECH, "\"internal_code\":\"LD-7\"", "$.technologies[0].internal_code"},
        {S_CONTROL, ",\"classifier_notes\":\"x\"", "$.technologies[0].control.classifier_notes"},
        {S_TRANSFER, "\"licence_number\":\"X-1\"", "$.transfers[0].licence_number"},
        {S_LICENCE, "\"scope_notes\":\"x\"", "$.transfers[0].licence.scope_notes"},
        {S_PERSON, "\"orcid\":\"0000\"", "$.people[0].orcid"},
        {S_AFFIL, "\"programme_url\":\"x\"", "$.people[0].affiliations[0].programme_url"},
        {S_FUNDING, "\"grant_reference\":\"x\"", "$.funding[0].grant_reference"},
        {S_CONTROLS, "\"reviewed_by\":\"x\"", "$.controls.reviewed_by"},
    };
    char text[4096], member[128], msg[512];
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_record *rec;
        snprintf(member, sizeof(member), "%s%s", rows[i].s == S_CONTROL ? "" : ",", rows[i].member);
        build(rows[i].s, member, text, sizeof(text));
        if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
            fail_msg("row %zu: %s", i, msg);
        if (tts_record_n_unknown(rec) != 1 || strcmp(tts_record_unknown(rec, 0), rows[i].path) != 0)
            fail_msg(
                "row %zu: %zu unknown fields, the first %s; want %s", i, tts_record_n_unknown(rec),
                tts_record_n_unknown(rec) > 0 ? tts_record_unknown(rec, 0) : "none", rows[i].path);
        tts_record_free(rec);
    }
}

/*
 * The end-use, inward-investment and clearance-operator fields of the
 * contract are read into the model, not kept as unknown fields.
 */
static void test_record_fields_end_use_fdi_and_operator_fields_are_read(void **state)
{
    char text[4096], msg[512];
    tts_record *rec;
    (void)state;
    build(S_PARTY,
          ",\"listed\":false,\"business_sectors\":[\"weapons\",\"designated-non-core\"],"
          "\"foreign_ownership_percent\":50",
          text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(tts_record_n_unknown(rec), 0);
    assert_int_equal(rec->parties[1].listed, TTS_TRI_FALSE);
    assert_int_equal(rec->parties[1].n_business_sectors, 2);
    assert_string_equal(rec->parties[1].business_sectors[1], "designated-non-core");
    assert_int_equal(rec->parties[1].has_foreign_ownership, 1);
    assert_true(rec->parties[1].foreign_ownership_percent == 50);
    assert_int_equal(rec->parties[0].listed, TTS_TRI_ABSENT);
    tts_record_free(rec);

    build(S_TRANSFER,
          ",\"end_use\":\"missile\",\"end_user\":\"cn\",\"informed\":{\"authority\":\"METI\","
          "\"date\":\"2025-10-09\",\"reference\":\"N-1\"}",
          text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(tts_record_n_unknown(rec), 0);
    assert_int_equal(rec->transfers[0].end_use, TTS_END_USE_MISSILE);
    assert_ptr_equal(rec->transfers[0].end_user, &rec->parties[1]);
    assert_int_equal(rec->transfers[0].informed, TTS_TRI_TRUE);
    assert_string_equal(rec->transfers[0].informed_by, "METI");
    assert_int_equal(rec->transfers[0].informed_on.y, 2025);
    assert_string_equal(rec->transfers[0].informed_ref, "N-1");
    tts_record_free(rec);

    build(S_TRANSFER, ",\"informed\":false", text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(rec->transfers[0].informed, TTS_TRI_FALSE);
    assert_int_equal(rec->transfers[0].end_use, TTS_END_USE_ABSENT);
    assert_null(rec->transfers[0].end_user);
    tts_record_free(rec);

    build(S_CLEARANCE, ",\"held_with\":\"acme\"", text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(tts_record_n_unknown(rec), 0);
    assert_ptr_equal(rec->people[0].clearance->held_with, &rec->parties[0]);
    tts_record_free(rec);
}

/* Identifiers are a free map: their keys are never near misses. */
static void test_record_fields_identifier_keys_are_free(void **state)
{
    char text[4096], msg[512];
    tts_record *rec;
    (void)state;
    build(S_PARTY, ",\"identifiers\":{\"lie\":\"x\",\"Duns\":\"1\",\"cn_uscc\":\"2\"}", text,
          sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_int_equal(rec->parties[1].n_identifiers, 3);
    assert_int_equal(tts_record_n_unknown(rec), 0);
    tts_record_free(rec);
}

/* One value of a slot; want NULL: it loads, else the message after the path. */
typedef struct value_row {
    slot s;
    const char *value;
    const char *want;
} value_row;

static void check_value_rows(const value_row *rows, size_t n)
{
    char text[4096], msg[512], want[512];
    for (size_t i = 0; i < n; i++) {
        tts_record *rec;
        tts_status rc;
        build(rows[i].s, rows[i].value, text, sizeof(text));
        rc = parse(text, msg, sizeof(msg), &rec);
        tts_record_free(rec);
        if (rows[i].want == NULL) {
            if (rc != TTS_OK)
                fail_msg("row %zu (%s): %s", i, rows[i].value, msg);
            continue;
        }
        snprintf(want, sizeof(want), "deal.json: record \"acme-1\": %s", rows[i].want);
        if (rc != TTS_ERR_JSON || strcmp(msg, want) != 0)
            fail_msg("row %zu (%s): status %d\n got: %s\nwant: %s", i, rows[i].value, (int)rc, msg,
                     want);
    }
}

#define VOCAB                                                                                      \
    "(expected one of: batteries, semiconductors, quantum, ai, 5g, lasers, sensors, composites, "  \
    "robotics, aerospace, ceramics, biotech, weapons, nuclear, space)"

static void test_record_fields_take_only_the_vocabulary(void **state)
{
    static const value_row rows[] = {
        {S_FIELDS, "\"semiconductors\",\"ai\",\"5g\"", NULL},
        {S_FIELDS, "\"nuclear\",\"space\",\"weapons\",\"aerospace\"", NULL},
        {S_FIELDS, "", NULL},
        {S_FIELDS, "\"semiconductor\"",
         "$.technologies[0].fields[0]: unknown value \"semiconductor\" " VOCAB
         "; did you mean \"semiconductors\"?"},
        {S_FIELDS, "\"lasers\",\"Semiconductors\"",
         "$.technologies[0].fields[1]: unknown value \"Semiconductors\" " VOCAB
         "; did you mean \"semiconductors\"?"},
        {S_FIELDS, "\"AI\"",
         "$.technologies[0].fields[0]: unknown value \"AI\" " VOCAB "; did you mean \"ai\"?"},
        {S_FIELDS, "\"battery\"",
         "$.technologies[0].fields[0]: unknown value \"battery\" " VOCAB
         "; did you mean \"batteries\"?"},
        {S_FIELDS, "\"biotechnology\"",
         "$.technologies[0].fields[0]: unknown value \"biotechnology\" " VOCAB
         "; did you mean \"biotech\"?"},
        {S_FIELDS, "\"blockchain\"",
         "$.technologies[0].fields[0]: unknown value \"blockchain\" " VOCAB},
        {S_FIELDS, "\"\"", "$.technologies[0].fields[0]: unknown value \"\" " VOCAB},
    };
    (void)state;
    check_value_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

#define JP_EXPECTED                                                                                \
    "(expected a list item 1-15 such as \"1\", \"2(1)\" or \"5の2\", \"16\" for catch-all, or "   \
    "\"non-listed\")"

static void test_record_fields_control_jp_takes_appended_table_items(void **state)
{
    static const value_row rows[] = {
        {S_JP, "\"1\"", NULL},
        {S_JP, "\"15\"", NULL},
        {S_JP, "\"2(1)\"", NULL},
        {S_JP, "\"15(4)\"", NULL},
        {S_JP, "\"5の2\"", NULL},
        {S_JP, "\"16\"", NULL},
        {S_JP, "\"non-listed\"", NULL},
        {S_JP, "\"17\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item \"17\" " JP_EXPECTED},
        {S_JP, "\"0\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item \"0\" " JP_EXPECTED},
        {S_JP, "\"05\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item \"05\" " JP_EXPECTED},
        {S_JP, "\"16(1)\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item "
         "\"16(1)\" " JP_EXPECTED},
        {S_JP, "\"2()\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item \"2()\" " JP_EXPECTED},
        {S_JP, "\"Non-listed\"",
         "$.technologies[0].control.jp: invalid Appended Table 1 item "
         "\"Non-listed\" " JP_EXPECTED},
    };
    (void)state;
    check_value_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

#define US_EXPECTED                                                                                \
    "(expected an ECCN such as \"3A001\" or \"3A001.a.1\", \"EAR99\", or a USML category I-XXI "   \
    "such as \"USML-XI\" or \"USML-XI(a)\")"
#define US_ROW(v) ",\"us\":\"" v "\""
#define US_ERR(v) "$.technologies[0].control.us: invalid U.S. classification \"" v "\" " US_EXPECTED

static void test_record_fields_control_us_takes_eccn_ear99_and_usml(void **state)
{
    static const value_row rows[] = {
        {S_CONTROL, US_ROW("3A001"), NULL},
        {S_CONTROL, US_ROW("3A001.a.1"), NULL},
        {S_CONTROL, US_ROW("5A002.a.1.b"), NULL},
        {S_CONTROL, US_ROW("0E521"), NULL},
        {S_CONTROL, US_ROW("EAR99"), NULL},
        {S_CONTROL, US_ROW("USML-I"), NULL},
        {S_CONTROL, US_ROW("USML-XI"), NULL},
        {S_CONTROL, US_ROW("USML-XIX"), NULL},
        {S_CONTROL, US_ROW("USML-XXI"), NULL},
        {S_CONTROL, US_ROW("USML-XI(a)"), NULL},
        {S_CONTROL, US_ROW("USML-XI(a)(3)(i)"), NULL},
        {S_CONTROL, US_ROW("ECCN 3A001"), US_ERR("ECCN 3A001")},
        {S_CONTROL, US_ROW("3F001"), US_ERR("3F001")},
        {S_CONTROL, US_ROW("3A01"), US_ERR("3A01")},
        {S_CONTROL, US_ROW("3A001."), US_ERR("3A001.")},
        {S_CONTROL, US_ROW("3A001..a"), US_ERR("3A001..a")},
        {S_CONTROL, US_ROW("ear99"), US_ERR("ear99")},
        {S_CONTROL, US_ROW("USML-XXII"), US_ERR("USML-XXII")},
        {S_CONTROL, US_ROW("USML-IIII"), US_ERR("USML-IIII")},
        {S_CONTROL, US_ROW("USML-"), US_ERR("USML-")},
        {S_CONTROL, US_ROW("USML-XI(a"), US_ERR("USML-XI(a")},
        {S_CONTROL, US_ROW("USML-XI()"), US_ERR("USML-XI()")},
        {S_CONTROL, US_ROW("USML-XI.a"), US_ERR("USML-XI.a")},
    };
    (void)state;
    check_value_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* "16" loads as the catch-all item and keeps its spelling for the rules. */
static void test_record_fields_catch_all_item_is_kept_as_written(void **state)
{
    char text[4096], msg[512];
    tts_record *rec;
    (void)state;
    build(S_JP, "\"16\"", text, sizeof(text));
    if (parse(text, msg, sizeof(msg), &rec) != TTS_OK)
        fail_msg("%s", msg);
    assert_string_equal(rec->technologies[0].control_jp, "16");
    tts_record_free(rec);
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
        cmocka_unit_test(test_record_fields_template_record_loads),
        cmocka_unit_test(test_record_fields_near_miss_is_an_error_with_did_you_mean),
        cmocka_unit_test(test_record_fields_own_and_far_fields_are_kept),
        cmocka_unit_test(test_record_fields_end_use_fdi_and_operator_fields_are_read),
        cmocka_unit_test(test_record_fields_identifier_keys_are_free),
        cmocka_unit_test(test_record_fields_take_only_the_vocabulary),
        cmocka_unit_test(test_record_fields_control_jp_takes_appended_table_items),
        cmocka_unit_test(test_record_fields_control_us_takes_eccn_ear99_and_usml),
        cmocka_unit_test(test_record_fields_catch_all_item_is_kept_as_written),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
