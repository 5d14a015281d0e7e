/* SPDX-License-Identifier: MIT */
/*
 * Rule evaluation over records: findings with messages, subjects, chain
 * paths, list matches and evidence; null semantics; quantifiers; effective
 * dates; the domain built-ins (FEFTA residency, Japan's country groups,
 * chain navigation, aggregate ownership on cycles, classification tables,
 * licences); regex match limits; determinism; tracing; allocation failures.
 * Records are written as JSON with ' for " to keep the tables readable.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/findings.h"
#include "util/mem.h"
#include "ttscreen.h"

#define HEAD "rule test.x {\n revision 1\n title \"T\"\n severity high\n citation \"C\"\n"

/* A small deal: a Japanese exporter, a Japanese subcontractor, a Chinese firm. */
#define PARTIES                                                                                    \
    "'parties': [{'id':'jp','name':'Acme Japan','country':'JP','type':'company'},"                 \
    "{'id':'sub','name':'Kanto Parts','country':'JP','type':'company'},"                           \
    "{'id':'cn','name':'Shenzhen Co','country':'CN','type':'company','state_funded':true}]"

#define REC(body)                                                                                  \
    "{'format':'ttscreen-record/1','id':'r1','kind':'subcontract','screened_for':'jp'," PARTIES    \
        body "}"

static const char *CHAIN_REC =
    REC(",'technologies':[{'id':'tech','description':'Lithium battery cathode "
        "drawings','control':{'jp':'1'}}],"
        "'transfers':[{'id':'t0','technology':'tech','from':'jp','to':'sub','form':'blueprint'},"
        "{'id':'t1','technology':'tech','from':'sub','to':'cn','form':'blueprint','date':'2025-01-"
        "01'}],"
        "'relations':[{'from':'jp','to':'sub','type':'subcontracts'}]");

static tts_record *record(const char *json)
{
    size_t n = strlen(json);
    char *text = test_malloc(n + 1);
    tts_record *rec = NULL;
    tts_error err;
    for (size_t i = 0; i <= n; i++)
        text[i] = json[i] == '\'' ? '"' : json[i];
    tts_error_clear(&err);
    if (tts_record_parse(text, n, "test.json", &rec, &err) != TTS_OK)
        fail_msg("record: %s", err.message);
    test_free(text);
    return rec;
}

static tts_rules *rules(const char *text)
{
    tts_rules *r = NULL;
    tts_error err;
    tts_error_clear(&err);
    if (tts_rules_compile_string(text, strlen(text), "t.rules", NULL, &r, &err) != TTS_OK)
        fail_msg("rules: %s", err.message);
    return r;
}

static tts_findings *scan_opts(const char *rule_text, const char *rec_json, tts_scan_opts *o)
{
    tts_rules *r = rules(rule_text);
    tts_record *rec = record(rec_json);
    tts_findings *f = NULL;
    tts_error err;
    tts_error_clear(&err);
    if (tts_scan_record(r, rec, o, &f, &err) != TTS_OK)
        fail_msg("scan: %s", err.message);
    tts_record_free(rec);
    tts_rules_free(r);
    return f;
}

static tts_findings *scan(const char *rule_text, const char *rec_json, const char *as_of)
{
    tts_scan_opts o;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = as_of;
    return scan_opts(rule_text, rec_json, &o);
}

/* Number of findings of a condition over `for x in COLL`. */
static size_t count_hits(const char *coll, const char *cond, const char *rec_json,
                         const char *as_of)
{
    char text[2048];
    tts_findings *f;
    size_t n;
    snprintf(text, sizeof(text),
             "set concern_countries = [\"CN\", \"RU\"]\n"
             "classify fields { \"batteries\": /battery|cathode/i \"weapons\": /gun/i }\n" HEAD
             " for x in %s\n when %s\n message \"m\"\n}\n",
             coll, cond);
    f = scan(text, rec_json, as_of);
    n = tts_findings_count(f);
    tts_findings_free(f);
    return n;
}

static void test_eval_finding_has_message_subject_and_evidence(void **state)
{
    tts_findings *f;
    const tts_finding *x;
    (void)state;
    f = scan(HEAD " for t in transfers\n"
                  " when t.to.country == \"CN\" and t.licence == null\n"
                  " message \"{t.from.name} gave {t.technology.id} to {t.to.name} ({t.to.country}) "
                  "on {t.date}\"\n}\n",
             CHAIN_REC, "2026-01-01");
    assert_int_equal(tts_findings_count(f), 1);
    x = tts_findings_get(f, 0);
    /* the list is opaque: out of range and NULL give nothing, never a read past the end */
    assert_ptr_equal(tts_findings_edit(f, 0), x);
    assert_null(tts_findings_get(f, 1));
    assert_null(tts_findings_edit(f, SIZE_MAX));
    assert_int_equal(tts_findings_count(NULL), 0);
    assert_null(tts_findings_get(NULL, 0));
    assert_string_equal(x->rule, "test.x");
    assert_int_equal(x->revision, 1);
    assert_int_equal(x->severity, TTS_SEV_HIGH);
    assert_string_equal(x->title, "T");
    assert_string_equal(x->citation, "C");
    assert_string_equal(x->message, "Kanto Parts gave tech to Shenzhen Co (CN) on 2025-01-01");
    assert_string_equal(x->subject, "$.transfers[1]");
    assert_int_equal(x->n_evidence, 2);
    assert_string_equal(x->evidence[0], "$.parties[2].country = \"CN\"");
    assert_string_equal(x->evidence[1], "$.transfers[1].licence = null");
    assert_int_equal(x->n_path, 0);
    tts_findings_free(f);
}

static void test_eval_evidence_keeps_only_deciding_operands(void **state)
{
    tts_findings *f;
    (void)state;
    /* The false left side of the `or` is not evidence; the witness of `any` is. */
    f = scan(HEAD " when (record.kind == \"sale\" or record.id == \"r1\")"
                  " and any p in parties: p.country == \"CN\"\n message \"m\"\n}\n",
             CHAIN_REC, "2026-01-01");
    assert_int_equal(tts_findings_count(f), 1);
    assert_int_equal(tts_findings_get(f, 0)->n_evidence, 2);
    assert_string_equal(tts_findings_get(f, 0)->evidence[0], "$.id = \"r1\"");
    assert_string_equal(tts_findings_get(f, 0)->evidence[1], "$.parties[2].country = \"CN\"");
    assert_string_equal(tts_findings_get(f, 0)->subject, "$");
    tts_findings_free(f);
}

static void test_eval_conditions_table(void **state)
{
    static const struct {
        const char *coll, *cond;
        size_t hits;
    } cases[] = {
        /* null semantics: absent values compare equal to null, order false */
        {"transfers", "x.licence == null", 2},
        {"transfers", "x.licence.expires < as_of", 0},
        {"transfers", "not (x.licence.expires < as_of)", 2},
        {"transfers", "x.date == null", 1},
        {"transfers", "exists(x.date) and x.date < 2025-06-01", 1},
        {"parties", "x.state_funded == true", 1},
        {"parties", "x.state_funded == false", 0},
        {"parties", "x.state_owned == null", 3},
        /* membership, sets, lists */
        {"parties", "x.country in concern_countries", 1},
        {"parties", "x.country not in [\"CN\", \"US\"]", 2},
        {"parties", "concern(x.country)", 1},
        {"parties", "\"Acme Japan\" == x.name or x.id in [\"cn\"]", 2},
        /* quantifiers */
        {"parties", "any t in transfers: t.to == x", 2},
        {"parties", "all t in transfers: t.from != x", 1},
        {"parties", "count(t in transfers: t.from == x or t.to == x) == 2", 1},
        {"parties", "len(filter(t in transfers: t.to.country == x.country)) >= 1", 3},
        {"technologies", "all t in transfers: t.technology == x", 1},
        /* strings, regex, arithmetic */
        {"technologies", "matches(x.description, /LITHIUM/i)", 1},
        {"technologies", "matches(x.description, /LITHIUM/)", 0},
        {"parties", "contains(lower(x.name), \"shenzhen\") and starts_with(x.name, \"Sh\")", 1},
        {"parties", "len(x.aliases) + 1 - 1 == 0", 3},
        {"parties", "-1 < 0 and upper(x.id) == \"CN\"", 1},
        /* dates */
        {"transfers", "days_between(x.date, 2025-03-02) == 60", 1},
        {"transfers", "add_days(x.date, 365) == 2026-01-01", 1},
        {"transfers", "add_months(x.date, 1) == 2025-02-01 and add_years(x.date, 1) == 2026-01-01",
         1},
        {"transfers", "as_of > x.date", 1},
        /* classification and fields */
        {"technologies", "\"batteries\" in fields(x) and \"weapons\" not in fields(x)", 1},
        {"technologies", "intersects(fields(x), [\"weapons\", \"batteries\"])", 1},
        /* chain navigation */
        {"chain", "tier(x) == 2 and len(path(x)) == 3 and len(hops(x)) == 2", 1},
        {"chain", "tier(x) == 1 and len(hops(x)) == 1", 1},
        {"parties", "tier(x) == null", 0},
        {"parties", "x == screened_for", 1},
        /* conditionals */
        {"parties", "(if x.country == \"CN\" then 2 else 1) == 2", 1},
        {"parties", "(if x.state_funded == true then x.name else null) == \"Shenzhen Co\"", 1},
        {"parties", "if x.country == \"JP\" then tier(x) == 1 else false", 1},
        /* licences */
        {"transfers", "licensed(x, x.to)", 0},
        {"transfers", "group_jp(x.to.country) == \"C\"", 1},
    };
    tts_record *unused = NULL;
    (void)state;
    (void)unused;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = count_hits(cases[i].coll, cases[i].cond, CHAIN_REC, "2026-01-01");
        if (n != cases[i].hits)
            fail_msg("row %zu: for x in %s when %s: %zu hits, expected %zu", i, cases[i].coll,
                     cases[i].cond, n, cases[i].hits);
    }
}

static void test_eval_chain_finding_has_path(void **state)
{
    tts_findings *f;
    (void)state;
    f = scan(
        HEAD
        " for p in chain\n when not resident_jp(p)\n"
        " message \"{p.name} at tier {tier(p)} via {join(path(p), ' -> ')}\"\n path path(p)\n}\n",
        CHAIN_REC, "2026-01-01");
    assert_int_equal(tts_findings_count(f), 1);
    assert_string_equal(tts_findings_get(f, 0)->message,
                        "Shenzhen Co at tier 2 via Acme Japan -> Kanto Parts -> Shenzhen Co");
    assert_int_equal(tts_findings_get(f, 0)->n_path, 3);
    assert_string_equal(tts_findings_get(f, 0)->path[0], "jp");
    assert_string_equal(tts_findings_get(f, 0)->path[1], "sub");
    assert_string_equal(tts_findings_get(f, 0)->path[2], "cn");
    assert_string_equal(tts_findings_get(f, 0)->subject, "$.parties[2]");
    assert_string_equal(tts_findings_get(f, 0)->evidence[0], "resident_jp($.parties[2]) = false");
    tts_findings_free(f);
}

static void test_eval_licence_validity_and_covers(void **state)
{
    static const struct {
        const char *licence;
        size_t licensed;
    } cases[] = {
        {"{'authority':'METI'}", 1},
        {"{'authority':'METI','expires':'2025-01-01'}", 1}, /* expires on the transfer day */
        {"{'authority':'METI','expires':'2024-12-31'}", 0}, /* expired before it */
        {"{'authority':'METI','covers':['sub']}", 0},       /* names someone else */
        {"{'authority':'METI','covers':['sub','cn']}", 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char rec[2048];
        size_t n;
        snprintf(rec, sizeof(rec),
                 REC(",'technologies':[{'id':'tech','description':'d'}],"
                     "'transfers':[{'technology':'tech','from':'jp','to':'cn','form':'software',"
                     "'date':'2025-01-01','licence':%s}]"),
                 cases[i].licence);
        n = count_hits("transfers", "licensed(x, x.to)", rec, "2026-01-01");
        if (n != cases[i].licensed)
            fail_msg("row %zu: licensed = %zu, expected %zu", i, n, cases[i].licensed);
    }
}

static void test_eval_resident_jp_follows_fefta_rules(void **state)
{
    static const struct {
        const char *person;
        const char *as_of;
        size_t resident;
    } cases[] = {
        /* foreign national employed by a Japanese party: resident at once */
        {"'nationality':'CN','residence':'JP','resident_since':'2025-12-01','employer':'jp'",
         "2026-01-01", 1},
        /* foreign national, not employed in Japan: 6 months' stay */
        {"'nationality':'CN','residence':'JP','resident_since':'2025-08-01'", "2026-01-01", 0},
        {"'nationality':'CN','residence':'JP','resident_since':'2025-07-01'", "2026-01-01", 1},
        {"'nationality':'CN','residence':'JP'", "2026-01-01", 0},
        {"'nationality':'CN','residence':'CN'", "2026-01-01", 0},
        /* in a foreign government's service: non-resident regardless */
        {"'nationality':'CN','residence':'JP','resident_since':'2020-01-01','employer':'jp',"
         "'affiliations':[{'organisation':'x','country':'CN','kind':'government'}]",
         "2026-01-01", 0},
        /* Japanese nationals */
        {"'nationality':'JP'", "2026-01-01", 1},
        {"'nationality':'JP','residence':'US','resident_since':'2025-06-01'", "2026-01-01", 1},
        {"'nationality':'JP','residence':'US','resident_since':'2023-06-01'", "2026-01-01", 0},
        {"'nationality':'JP','residence':'US','resident_since':'2025-06-01','employer':'cn'",
         "2026-01-01", 0},
        {"'nationality':['US','JP'],'residence':'JP'", "2026-01-01", 1},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char rec[2048];
        size_t n;
        snprintf(rec, sizeof(rec), REC(",'people':[{'id':'p1','name':'P',%s}]"), cases[i].person);
        n = count_hits("people", "resident_jp(x)", rec, cases[i].as_of);
        if (n != cases[i].resident)
            fail_msg("row %zu: resident = %zu, expected %zu", i, n, cases[i].resident);
    }
    /* Legal persons: head office in Japan. */
    assert_int_equal(count_hits("parties", "resident_jp(x)", CHAIN_REC, "2026-01-01"), 2);
}

static void test_eval_group_jp_by_date(void **state)
{
    static const struct {
        const char *cond, *as_of;
    } cases[] = {
        {"group_jp(\"US\") == \"A\" and group_jp(\"GB\") == \"A\"", "2026-01-01"},
        {"group_jp(\"CN\") == \"C\" and group_jp(\"KP\") == \"D\"", "2026-01-01"},
        {"group_jp(\"KR\") == \"A\"", "2019-08-27"},
        {"group_jp(\"KR\") == \"B\"", "2019-08-28"},
        {"group_jp(\"KR\") == \"B\"", "2023-07-20"},
        {"group_jp(\"KR\") == \"A\"", "2023-07-21"},
        {"group_jp(\"JP\") == null", "2026-01-01"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char cond[256];
        snprintf(cond, sizeof(cond), "x == screened_for and %s", cases[i].cond);
        if (count_hits("parties", cond, CHAIN_REC, cases[i].as_of) != 1)
            fail_msg("row %zu: %s is false on %s", i, cases[i].cond, cases[i].as_of);
    }
}

static void test_eval_owned_percent_converges_on_cycles(void **state)
{
    const char *rec =
        "{'format':'ttscreen-record/1','id':'o','kind':'investment','screened_for':'jp',"
        "'parties':[{'id':'jp','name':'J','country':'JP','type':'company'},"
        "{'id':'cn','name':'C','country':'CN','type':'company'},"
        "{'id':'sg','name':'S','country':'SG','type':'company'},"
        "{'id':'hk','name':'H','country':'HK','type':'company'}],"
        "'relations':[{'from':'cn','to':'sg','type':'owns','percent':60},"
        "{'from':'sg','to':'hk','type':'owns','percent':50},"
        "{'from':'hk','to':'sg','type':'owns','percent':40},"
        "{'from':'cn','to':'hk','type':'owns','percent':10},"
        "{'from':'sg','to':'jp','type':'owns','percent':30}]}";
    tts_findings *f;
    (void)state;
    /* sg = 0.6 + 0.4 hk, hk = 0.1 + 0.5 sg: sg 80 %, hk 50 %, jp 24 %. */
    f = scan(HEAD
             " for p in parties\n when p.country != \"CN\"\n"
             " message \"{p.id} {owned_percent(filter(o in parties: o.country == 'CN'), p)}\"\n}\n",
             rec, "2026-01-01");
    assert_int_equal(tts_findings_count(f), 3);
    assert_string_equal(tts_findings_get(f, 0)->message, "jp 24");
    assert_string_equal(tts_findings_get(f, 1)->message, "sg 80");
    assert_string_equal(tts_findings_get(f, 2)->message, "hk 50");
    tts_findings_free(f);
    assert_int_equal(count_hits("parties", "owned_percent([x], x) == 100 and len(owners(x)) == 0",
                                rec, "2026-01-01"),
                     1);
}

static void test_eval_effective_dates_bound_the_rule(void **state)
{
    const char *rule = HEAD " effective_from 2025-09-29\n effective_until 2025-11-09\n"
                            " when record.id == \"r1\"\n message \"m\"\n}\n";
    static const struct {
        const char *as_of;
        size_t n;
    } cases[] = {{"2025-09-28", 0}, {"2025-09-29", 1}, {"2025-11-09", 1}, {"2025-11-10", 0}};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        tts_findings *f = scan(rule, CHAIN_REC, cases[i].as_of);
        if (tts_findings_count(f) != cases[i].n)
            fail_msg("as of %s: %zu findings", cases[i].as_of, tts_findings_count(f));
        tts_findings_free(f);
    }
}

static tts_status fake_lookup(void *user, const char *name, const char *country,
                              const char *const *sources, size_t n_sources, double threshold,
                              tts_match **hits, size_t *n_hits, tts_error *err)
{
    int *calls = user;
    (void)country;
    (void)err;
    (*calls)++;
    *hits = NULL;
    *n_hits = 0;
    if (strcmp(name, "Shenzhen Co") != 0 || threshold < 0.5)
        return TTS_OK;
    if (n_sources > 0 && strcmp(sources[0], "us-1260h") != 0)
        return TTS_OK;
    *hits = tts_calloc(1, sizeof(tts_match));
    (*hits)[0].source = tts_strdup("us-1260h");
    (*hits)[0].entry_id = tts_strdup("e-1");
    (*hits)[0].name = tts_strdup("SHENZHEN CO LTD");
    (*hits)[0].matched = tts_strdup("Shenzhen Co");
    (*hits)[0].score = 0.97;
    *n_hits = 1;
    return TTS_OK;
}

static void test_eval_listed_uses_lookup_and_fills_matches(void **state)
{
    const char *rule = HEAD " for p in parties\n when len(listed(p, \"us-1260h\")) > 0\n"
                            " message \"{p.name} listed as {join(listed(p), ', ')}\"\n"
                            " matches listed(p, \"us-1260h\")\n}\n";
    tts_scan_opts o;
    tts_findings *f;
    int calls = 0;
    (void)state;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    f = scan_opts(rule, CHAIN_REC, &o); /* no lookup: lists not loaded, nothing matches */
    assert_int_equal(tts_findings_count(f), 0);
    tts_findings_free(f);
    o.lookup = fake_lookup;
    o.lookup_user = &calls;
    f = scan_opts(rule, CHAIN_REC, &o);
    /* one per party: each name is asked of every list once, listed(p, "us-1260h") and
       listed(p) take their lists' hits from that answer; repeats are cached */
    assert_int_equal(calls, 3);
    assert_int_equal(tts_findings_count(f), 1);
    assert_string_equal(tts_findings_get(f, 0)->message, "Shenzhen Co listed as SHENZHEN CO LTD");
    assert_int_equal(tts_findings_get(f, 0)->n_matches, 1);
    assert_string_equal(tts_findings_get(f, 0)->matches[0].source, "us-1260h");
    assert_string_equal(tts_findings_get(f, 0)->matches[0].entry_id, "e-1");
    assert_string_equal(tts_findings_get(f, 0)->matches[0].matched, "Shenzhen Co");
    assert_true(tts_findings_get(f, 0)->matches[0].score > 0.96);
    assert_string_equal(tts_findings_get(f, 0)->evidence[0], "listed($.parties[2], \"us-1260h\") = [\"e-1\"]");
    tts_findings_free(f);
}

typedef struct algo_calls {
    int plain, algo, algorithm;
    size_t n_sources;
} algo_calls;

static tts_status count_lookup(void *user, const char *name, const char *country,
                               const char *const *sources, size_t n_sources, double threshold,
                               tts_match **hits, size_t *n_hits, tts_error *err)
{
    algo_calls *c = user;
    (void)name;
    (void)country;
    (void)sources;
    (void)n_sources;
    (void)threshold;
    (void)err;
    c->plain++;
    *hits = NULL;
    *n_hits = 0;
    return TTS_OK;
}

/* Every list's hits for "Shenzhen Co": one on list-a and one on list-b; counts the calls. */
static tts_status two_lists_lookup(void *user, const char *name, const char *country,
                                   const char *const *sources, size_t n_sources, double threshold,
                                   tts_match **hits, size_t *n_hits, tts_error *err)
{
    int *calls = user;
    (void)country;
    (void)sources;
    (void)threshold;
    (void)err;
    (*calls)++;
    *hits = NULL;
    *n_hits = 0;
    assert_int_equal(n_sources, 0); /* a name is asked of every list */
    if (strcmp(name, "Shenzhen Co") != 0)
        return TTS_OK;
    *hits = tts_calloc(2, sizeof(tts_match));
    for (int i = 0; i < 2; i++) {
        (*hits)[i].source = tts_strdup(i == 0 ? "list-a" : "list-b");
        (*hits)[i].entry_id = tts_strdup(i == 0 ? "a-1" : "b-1");
        (*hits)[i].name = tts_strdup("SHENZHEN CO");
        (*hits)[i].matched = tts_strdup("Shenzhen Co");
        (*hits)[i].score = 0.9;
    }
    *n_hits = 2;
    return TTS_OK;
}

/* Two rules asking one name of different lists: one lookup, each rule its own lists' hits. */
static void test_eval_listed_one_lookup_cut_per_lists(void **state)
{
    const char *rule =
        "rule test.a {\n revision 1\n title \"A\"\n severity high\n citation \"C\"\n"
        " for p in parties\n when len(listed(p, \"list-a\")) > 0\n"
        " message \"{p.name} on {join(listed(p, 'list-a'), ', ')}\"\n matches listed(p, \"list-a\")\n}\n"
        "rule test.b {\n revision 1\n title \"B\"\n severity high\n citation \"C\"\n"
        " for p in parties\n when len(listed(p, \"list-b\", \"list-c\")) > 0\n"
        " message \"{p.name}\"\n matches listed(p, \"list-b\", \"list-c\")\n}\n"
        "rule test.c {\n revision 1\n title \"C\"\n severity high\n citation \"C\"\n"
        " for p in parties\n when len(listed(p, \"list-c\")) > 0\n message \"{p.name}\"\n}\n";
    tts_scan_opts o;
    tts_findings *f;
    int calls = 0;
    (void)state;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    o.lookup = two_lists_lookup;
    o.lookup_user = &calls;
    f = scan_opts(rule, CHAIN_REC, &o);
    assert_int_equal(calls, 3); /* one per party name, whatever the lists asked */
    assert_int_equal(tts_findings_count(f), 2);
    for (size_t i = 0; i < 2; i++) {
        const tts_finding *x = tts_findings_get(f, i);
        int a = strcmp(x->rule, "test.a") == 0;
        assert_int_equal(x->n_matches, 1);
        assert_string_equal(x->matches[0].source, a ? "list-a" : "list-b");
        assert_string_equal(x->matches[0].entry_id, a ? "a-1" : "b-1");
        assert_string_equal(x->matches[0].query, "$.parties[2].name");
    }
    tts_findings_free(f);
}

static tts_status algo_lookup(void *user, const char *name, const char *country,
                              const char *const *sources, size_t n_sources, double threshold,
                              int algorithm, tts_match **hits, size_t *n_hits, tts_error *err)
{
    algo_calls *c = user;
    (void)country;
    (void)threshold;
    (void)err;
    c->algo++;
    c->algorithm = algorithm;
    c->n_sources = n_sources;
    *hits = NULL;
    *n_hits = 0;
    if (strcmp(name, "Shenzhen Co") != 0 || (n_sources > 0 && strcmp(sources[0], "us-1260h") != 0))
        return TTS_OK;
    *hits = tts_calloc(1, sizeof(tts_match));
    (*hits)[0].source = tts_strdup("us-1260h");
    (*hits)[0].entry_id = tts_strdup("e-1");
    (*hits)[0].name = tts_strdup("SHENZHEN CO LTD");
    (*hits)[0].matched = tts_strdup("Shenzhen Co");
    (*hits)[0].score = 0.9;
    *n_hits = 1;
    return TTS_OK;
}

static void test_eval_listed_algorithm_option(void **state)
{
    const char *rule = HEAD " for p in parties\n when len(listed(p, \"algorithm=ofac\", \"us-1260h\")) > 0"
                            " and len(listed(p, \"us-1260h\")) == 0\n message \"{p.name}\"\n}\n";
    tts_rules *r = rules(rule);
    tts_record *x = record(CHAIN_REC);
    tts_scan_opts o;
    tts_findings *f = NULL;
    tts_error err;
    algo_calls c = {0, 0, -1, 0};
    (void)state;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    o.lookup = count_lookup;
    o.lookup_user = &c;
    /* a lookup without algorithms: an error, never the default scores in its place */
    tts_error_clear(&err);
    assert_int_equal(tts_scan_record(r, x, &o, &f, &err), TTS_ERR_ARG);
    assert_null(f);
    if (strstr(err.message, "listed(): this screening's list lookup has no algorithm=ofac") == NULL)
        fail_msg("message: %s", err.message);
    assert_int_equal(c.plain, 0);
    o.lookup_algo = algo_lookup;
    assert_int_equal(tts_scan_record(r, x, &o, &f, &err), TTS_OK);
    assert_int_equal(c.algorithm, TTS_ALGORITHM_OFAC);
    assert_int_equal(c.n_sources, 0); /* every list is asked; the hits are cut to the rule's */
    assert_int_equal(c.algo, 3);      /* one per party */
    assert_int_equal(c.plain, 1);     /* the default question is another one: not the memo's */
    assert_int_equal(f->n, 1);
    assert_string_equal(f->items[0].message, "Shenzhen Co");
    tts_findings_free(f);
    tts_record_free(x);
    tts_rules_free(r);
}

static tts_status country_lookup(void *user, const char *name, const char *country,
                                 const char *const *sources, size_t n_sources, double threshold,
                                 tts_match **hits, size_t *n_hits, tts_error *err)
{
    char *seen = user;
    (void)name;
    (void)sources;
    (void)n_sources;
    (void)threshold;
    (void)err;
    snprintf(seen, 32, "%s", country != NULL ? country : "(none)");
    *hits = NULL;
    *n_hits = 0;
    return TTS_OK;
}

static void test_eval_listed_person_asks_with_every_nationality(void **state)
{
    static const struct {
        const char *nat, *want;
    } cases[] = {{"'CN'", "CN"}, {"['CN','RU']", "CN;RU"}, {"['US','JP','KP']", "US;JP;KP"}};
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char rec[1024], seen[32] = "";
        tts_rules *r = rules(HEAD " for p in people\n when len(listed(p)) > 0\n message \"m\"\n}\n");
        tts_record *x;
        tts_scan_opts o;
        tts_findings *f = NULL;
        tts_error err;
        snprintf(rec, sizeof(rec), REC(",'people':[{'id':'p1','name':'Ivan P','nationality':%s}]"),
                 cases[i].nat);
        x = record(rec);
        memset(&o, 0, sizeof(o));
        o.size = sizeof(o);
        o.as_of = "2026-01-01";
        o.lookup = country_lookup;
        o.lookup_user = seen;
        tts_error_clear(&err);
        assert_int_equal(tts_scan_record(r, x, &o, &f, &err), TTS_OK);
        assert_string_equal(seen, cases[i].want);
        tts_findings_free(f);
        tts_record_free(x);
        tts_rules_free(r);
    }
}

static void test_eval_findings_sorted_and_deterministic(void **state)
{
    const char *rule =
        "rule b.low {\n revision 1\n title \"L\"\n severity low\n citation \"C\"\n"
        " for p in parties\n when p.country == \"JP\"\n message \"{p.name}\"\n}\n"
        "rule a.crit {\n revision 1\n title \"K\"\n severity critical\n citation \"C\"\n"
        " for p in parties\n when p.country == \"CN\"\n message \"{p.name}\"\n}\n";
    tts_findings *f1 = scan(rule, CHAIN_REC, "2026-01-01");
    tts_findings *f2 = scan(rule, CHAIN_REC, "2026-01-01");
    (void)state;
    assert_int_equal(tts_findings_count(f1), 3);
    assert_string_equal(tts_findings_get(f1, 0)->rule, "a.crit");
    assert_string_equal(tts_findings_get(f1, 1)->subject, "$.parties[0]");
    assert_string_equal(tts_findings_get(f1, 2)->subject, "$.parties[1]");
    assert_string_equal(tts_findings_verdict(f1), "blocked");
    assert_int_equal(tts_findings_count(f2), tts_findings_count(f1));
    for (size_t i = 0; i < tts_findings_count(f1); i++) {
        assert_string_equal(tts_findings_get(f1, i)->message, tts_findings_get(f2, i)->message);
        assert_string_equal(tts_findings_get(f1, i)->subject, tts_findings_get(f2, i)->subject);
    }
    tts_findings_free(f1);
    tts_findings_free(f2);
}

static void trace_count(void *user, int depth, const char *text)
{
    int *n = user;
    (void)depth;
    assert_non_null(strstr(text, " => ") != NULL || strncmp(text, "for ", 4) == 0 ? text : NULL);
    (*n)++;
}

static void test_eval_only_rule_and_trace(void **state)
{
    const char *rule = "rule a.one {\n revision 1\n title \"L\"\n severity low\n citation \"C\"\n"
                       " for p in parties\n when p.country == \"JP\"\n message \"{p.name}\"\n}\n"
                       "rule a.two {\n revision 1\n title \"K\"\n severity low\n citation \"C\"\n"
                       " for p in parties\n when p.country == \"CN\"\n message \"{p.name}\"\n}\n";
    tts_scan_opts o;
    tts_findings *f;
    int lines = 0;
    (void)state;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    o.only_rule = "a.two";
    o.trace = trace_count;
    o.trace_user = &lines;
    f = scan_opts(rule, CHAIN_REC, &o);
    assert_int_equal(tts_findings_count(f), 1);
    assert_string_equal(tts_findings_get(f, 0)->rule, "a.two");
    assert_int_equal(lines, 6); /* three bindings, three comparisons */
    tts_findings_free(f);
}

static void test_eval_regex_match_limit_stops_runaway_patterns(void **state)
{
    const char *rule = HEAD " for t in technologies\n when matches(t.description, /(a+)+$/)\n"
                            " message \"m\"\n}\n";
    char rec[1024];
    tts_rules *r = rules(rule);
    tts_record *x;
    tts_scan_opts o;
    tts_findings *f = NULL;
    tts_error err;
    (void)state;
    snprintf(rec, sizeof(rec), REC(",'technologies':[{'id':'t','description':'%s'}]"),
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab");
    x = record(rec);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    tts_error_clear(&err);
    assert_int_equal(tts_scan_record(r, x, &o, &f, &err), TTS_ERR_LIMIT);
    assert_null(f);
    if (strstr(err.message, "t.rules:7:7: regular expression /(a+)+$/ hit its match limit") == NULL)
        fail_msg("message: %s", err.message);
    tts_record_free(x);
    tts_rules_free(r);
}

static void test_eval_smaller_opts_struct_is_accepted(void **state)
{
    tts_scan_opts o;
    tts_findings *f;
    (void)state;
    memset(&o, 0xff, sizeof(o)); /* garbage past the old size must not be read */
    o.size = offsetof(tts_scan_opts, only_rule);
    o.as_of = "2026-01-01";
    o.lookup = NULL;
    o.lookup_user = NULL;
    f = scan(HEAD " for p in parties\n when p.country == \"CN\"\n message \"m\"\n}\n", CHAIN_REC,
             "2026-01-01");
    assert_int_equal(tts_findings_count(f), 1);
    tts_findings_free(f);
    f = scan_opts(HEAD " for p in parties\n when p.country == \"CN\"\n message \"m\"\n}\n",
                  CHAIN_REC, &o);
    assert_int_equal(tts_findings_count(f), 1);
    tts_findings_free(f);
}

/* Every field of the schema reads (present and absent) and prints without error. */
static void test_eval_every_schema_field_reads_and_prints(void **state)
{
    static const struct {
        const char *owner, *coll, *prefix;
    } owners[] = {
        {"record", "parties", "record"},
        {"party", "parties", "x"},
        {"person", "people", "x"},
        {"actor", "transfers", "x.to"},
        {"transfer", "transfers", "x"},
        {"technology", "technologies", "x"},
        {"control", "technologies", "x.control"},
        {"licence", "transfers", "x.licence"},
        {"relation", "relations", "x"},
        {"funding", "funding", "x"},
        {"clearance", "people", "x.clearance"},
        {"controls", "parties", "controls"},
    };
    const char *full = REC(
        ",'title':'Full','date':'2025-01-01','technologies':[{'id':'tech','description':'d',"
        "'fields':['lasers'],'control':{'jp':'10','us':'3A001'},'classified':'jp-esi'}],"
        "'transfers':[{'id':'t0','technology':'tech','from':'jp','to':'cn','form':'blueprint',"
        "'date':'2025-01-01','location':'CN','licence':{'authority':'METI','number':'N',"
        "'expires':'2026-01-01','covers':['cn']}},{'technology':'tech','from':'jp','to':'p1',"
        "'form':'training'}],'relations':[{'from':'cn','to':'sub','type':'owns','percent':5}],"
        "'people':[{'id':'p1','name':'P','nationality':['CN','JP'],'residence':'JP',"
        "'resident_since':'2020-01-01','employer':'jp','role':'engineer','access':['tech'],"
        "'affiliations':[{'organisation':'O','country':'CN','kind':'funding','since':'2020-01-01',"
        "'until':'2030-01-01','disclosed':true}],'clearance':{'regime':'jp-esi','level':'secret',"
        "'granted':'2020-01-01','expires':'2030-01-01'}}],'funding':[{'from':'cn','to':'p1',"
        "'amount':10,'currency':'JPY','purpose':'x','disclosed':false},{'from':'Some Fund',"
        "'to':'jp'}],'controls':{'export_control_program':true,'foreign_researcher_register':"
        "false,'as_of':'2026-01-01'}");
    const char *minimal = REC(",'technologies':[{'id':'tech','description':'d'}],"
                              "'transfers':[{'technology':'tech','from':'jp','to':'cn',"
                              "'form':'software'}],'people':[{'id':'p1','name':'P',"
                              "'nationality':'CN'}],'relations':[{'from':'cn','to':'sub',"
                              "'type':'controls'}],'funding':[{'from':'X','to':'p1'}]");
    size_t n = tts_rules_n_fields(), checked = 0;
    (void)state;
    for (size_t i = 0; i < n; i++) {
        tts_field_info fi;
        assert_int_equal(tts_rules_field(i, &fi), TTS_OK);
        for (size_t o = 0; o < sizeof(owners) / sizeof(owners[0]); o++) {
            char rule[1024];
            tts_findings *f1, *f2;
            if (strcmp(fi.owner, owners[o].owner) != 0)
                continue;
            snprintf(rule, sizeof(rule),
                     HEAD " for x in %s\n when x == x and (exists(%s.%s) or true)\n"
                          " message \"{%s.%s}\"\n}\n",
                     owners[o].coll, owners[o].prefix, fi.name, owners[o].prefix, fi.name);
            f1 = scan(rule, full, "2026-01-01");
            f2 = scan(rule, minimal, "2026-01-01");
            assert_true(tts_findings_count(f1) > 0);
            assert_true(tts_findings_count(f2) > 0);
            tts_findings_free(f1);
            tts_findings_free(f2);
            checked++;
        }
    }
    /* Every owner except affiliation and match (reached through lists) was covered. */
    assert_true(checked >= 70);
}

/* A long subcontracting chain is walked in linear time, tiers exact. */
static void test_eval_long_chain_is_linear(void **state)
{
    enum { N = 20000 };
    size_t cap = (size_t)N * 200, n = 0;
    char *json = test_malloc(cap);
    tts_findings *f;
    (void)state;
    n += (size_t)snprintf(json + n, cap - n,
                          "{'format':'ttscreen-record/1','id':'long','kind':'subcontract',"
                          "'screened_for':'p0','technologies':[{'id':'t','description':'d'}],"
                          "'parties':[");
    for (int i = 0; i < N; i++)
        n += (size_t)snprintf(json + n, cap - n,
                              "%s{'id':'p%d','name':'P%d','country':'%s',"
                              "'type':'company'}",
                              i ? "," : "", i, i, i == N - 1 ? "CN" : "JP");
    n += (size_t)snprintf(json + n, cap - n, "],'transfers':[");
    /* Listed in reverse so a naive walk would be quadratic. */
    for (int i = N - 1; i > 0; i--)
        n += (size_t)snprintf(json + n, cap - n,
                              "{'technology':'t','from':'p%d','to':'p%d',"
                              "'form':'software'}%s",
                              i - 1, i, i > 1 ? "," : "");
    snprintf(json + n, cap - n, "]}");
    f = scan(HEAD " for p in chain\n when p.country == \"CN\"\n message \"tier {tier(p)}, "
                  "{len(path(p))} parties, {len(hops(p))} hops\"\n}\n",
             json, "2026-01-01");
    assert_int_equal(tts_findings_count(f), 1);
    assert_string_equal(tts_findings_get(f, 0)->message, "tier 19999, 20000 parties, 19999 hops");
    tts_findings_free(f);
    test_free(json);
}

static void test_eval_allocation_failures_are_clean(void **state)
{
    const char *rule = "set concern_countries = [\"CN\"]\n"
                       "classify fields { \"batteries\": /battery/i }\n" HEAD
                       " for p in chain\n when concern(p.country) and any h in hops(p): "
                       "\"batteries\" in fields(h.technology) and not licensed(h, h.to)\n"
                       " message \"{p.name}: {join(path(p), ' > ')}\"\n path path(p)\n}\n";
    tts_rules *r = rules(rule);
    tts_record *x = record(CHAIN_REC);
    tts_scan_opts o;
    tts_findings *f = NULL;
    tts_error err;
    tts_status rc;
    (void)state;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.as_of = "2026-01-01";
    for (unsigned long n = 1; n < 100000; n++) {
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_scan_record(r, x, &o, &f, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK)
            break;
        if (rc != TTS_ERR_NOMEM)
            fail_msg("allocation %lu: status %d: %s", n, (int)rc, err.message);
        assert_null(f);
    }
    assert_int_equal(rc, TTS_OK);
    assert_int_equal(tts_findings_count(f), 1);
    assert_int_equal(tts_findings_get(f, 0)->n_path, 3);
    tts_findings_free(f);
    tts_record_free(x);
    tts_rules_free(r);
}

static int setup(void **state)
{
    /* tts_init routes jansson's allocations through tts_malloc. */
    if (tts_init() != TTS_OK)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown(void **state)
{
    tts_test_use_default_allocator(state);
    tts_fini();
    return 0;
}

/* One hit type: a copy keeps every string, "" for a missing name, nothing for an empty fact. */
static void test_match_copy_keeps_every_field(void **state)
{
    tts_match m, c;
    (void)state;
    memset(&m, 0, sizeof(m));
    m.source = tts_strdup("us-csl");
    m.entry_id = NULL; /* a name-like field: never NULL in a copy */
    m.name = tts_strdup("N");
    m.matched = tts_strdup("M");
    m.score = 0.9;
    m.entry_sha256 = tts_strdup("abc");
    m.sublist = tts_strdup(""); /* an empty fact: NULL in a copy */
    m.entry_type = tts_strdup("organisation");
    m.kind = tts_strdup("sanctions");
    m.severity = tts_strdup("critical");
    m.query = tts_strdup("$.parties[0].name");
    m.queried = tts_strdup("N Co");
    m.name_kind = tts_strdup("aka");
    m.country = tts_strdup("CN;HK");
    m.programs = tts_strdup("SDGT");
    m.why = tts_strdup("2 of 2 tokens");
    m.listed_on = tts_strdup("2020-01-02");
    m.source_url = tts_strdup("https://example.org/e/1");
    assert_int_equal(tts_match_copy(&c, &m), 0);
    assert_string_equal(c.source, "us-csl");
    assert_string_equal(c.entry_id, "");
    assert_null(c.sublist);
    assert_true(c.score == 0.9);
    assert_string_equal(c.entry_sha256, "abc");
    assert_string_equal(c.entry_type, "organisation");
    assert_string_equal(c.kind, "sanctions");
    assert_string_equal(c.severity, "critical");
    assert_string_equal(c.query, "$.parties[0].name");
    assert_string_equal(c.queried, "N Co");
    assert_string_equal(c.name_kind, "aka");
    assert_string_equal(c.country, "CN;HK");
    assert_string_equal(c.programs, "SDGT");
    assert_string_equal(c.why, "2 of 2 tokens");
    assert_string_equal(c.listed_on, "2020-01-02");
    assert_string_equal(c.source_url, "https://example.org/e/1");
    tts_match_clear(&c);
    assert_null(c.source);
    tts_match_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eval_finding_has_message_subject_and_evidence),
        cmocka_unit_test(test_match_copy_keeps_every_field),
        cmocka_unit_test(test_eval_evidence_keeps_only_deciding_operands),
        cmocka_unit_test(test_eval_conditions_table),
        cmocka_unit_test(test_eval_chain_finding_has_path),
        cmocka_unit_test(test_eval_licence_validity_and_covers),
        cmocka_unit_test(test_eval_resident_jp_follows_fefta_rules),
        cmocka_unit_test(test_eval_group_jp_by_date),
        cmocka_unit_test(test_eval_owned_percent_converges_on_cycles),
        cmocka_unit_test(test_eval_effective_dates_bound_the_rule),
        cmocka_unit_test(test_eval_listed_uses_lookup_and_fills_matches),
        cmocka_unit_test(test_eval_listed_algorithm_option),
        cmocka_unit_test(test_eval_listed_one_lookup_cut_per_lists),
        cmocka_unit_test(test_eval_listed_person_asks_with_every_nationality),
        cmocka_unit_test(test_eval_findings_sorted_and_deterministic),
        cmocka_unit_test(test_eval_only_rule_and_trace),
        cmocka_unit_test(test_eval_regex_match_limit_stops_runaway_patterns),
        cmocka_unit_test(test_eval_smaller_opts_struct_is_accepted),
        cmocka_unit_test(test_eval_every_schema_field_reads_and_prints),
        cmocka_unit_test(test_eval_long_chain_is_linear),
        cmocka_unit_test(test_eval_allocation_failures_are_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
