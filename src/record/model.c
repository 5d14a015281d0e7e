/* SPDX-License-Identifier: MIT */
/*
 * Spellings of the record format's enumerations, calendar dates and
 * country codes: the one place that knows them, shared by the loader, the
 * rule engine and the report.
 */
#include "record/model.h"

#include <stdio.h>
#include <string.h>

#include "ttscreen.h"

static const char *const kind_names[] = {"co-development", "joint-venture", "licence",
                                         "supply",         "research",      "subcontract",
                                         "investment",     "employment",    "sale"};
static const char *const party_type_names[] = {"company",    "university", "research-institute",
                                               "government", "military",   "person"};
static const char *const relation_type_names[] = {"owns",     "controls", "subcontracts",
                                                  "supplies", "employs",  "funds"};
static const char *const form_names[] = {"technical-data", "blueprint",      "software",
                                         "goods",          "training",       "joint-research",
                                         "source-code"};
static const char *const classified_names[] = {"none",   "jp-esi",          "jp-sds",
                                               "us-cui", "us-confidential", "us-secret",
                                               "us-top-secret"};
static const char *const affil_kind_names[] = {"talent-program", "employment", "funding",
                                               "government",     "military",   "party-membership"};
static const char *const regime_names[] = {"jp-esi", "jp-sds", "us-nisp"};
static const char *const level_names[] = {"confidential", "secret", "top-secret"};
static const char *const end_use_names[] = {"wmd-nuclear",   "wmd-chemical",
                                            "wmd-biological", "missile",
                                            "conventional-weapons", "military",
                                            "civil",          "unknown"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const char *name_of(const char *const *names, size_t n, int v)
{
    return v >= 0 && (size_t)v < n ? names[v] : NULL;
}

static int parse_in(const char *const *names, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(names[i], s) == 0)
            return (int)i;
    return -1;
}

#define ENUM_FUNCS(stem, type, table, choices)                                             \
    const char *tts_model_##stem##_name(type v) { return name_of(table, COUNT(table), (int)v); } \
    int tts_model_##stem##_parse(const char *s) { return parse_in(table, COUNT(table), s); } \
    const char *tts_model_##stem##_choices(void) { return choices; }

ENUM_FUNCS(kind, tts_kind, kind_names,
           "co-development, joint-venture, licence, supply, research, subcontract, "
           "investment, employment, sale")
ENUM_FUNCS(party_type, tts_party_type, party_type_names,
           "company, university, research-institute, government, military, person")
ENUM_FUNCS(relation_type, tts_relation_type, relation_type_names,
           "owns, controls, subcontracts, supplies, employs, funds")
ENUM_FUNCS(form, tts_form, form_names,
           "technical-data, blueprint, software, goods, training, joint-research, source-code")
ENUM_FUNCS(classified, tts_classified, classified_names,
           "none, jp-esi, jp-sds, us-cui, us-confidential, us-secret, us-top-secret")
ENUM_FUNCS(affil_kind, tts_affil_kind, affil_kind_names,
           "talent-program, employment, funding, government, military, party-membership")
ENUM_FUNCS(regime, tts_regime, regime_names, "jp-esi, jp-sds, us-nisp")
ENUM_FUNCS(level, tts_level, level_names, "confidential, secret, top-secret")
ENUM_FUNCS(end_use, tts_end_use, end_use_names,
           "wmd-nuclear, wmd-chemical, wmd-biological, missile, conventional-weapons, military, "
           "civil, unknown")

/*
 * FEFTA designated-business categories a party may carry on (record format,
 * party.business_sectors). The core sectors are those facts.md 1.14 names
 * (weapons, aircraft, nuclear, space, dual-use technology; the core parts of
 * cybersecurity, electricity, gas, telecommunications, water, railways and
 * oil; rare-earth related; the supply-chain additions in force 24 Apr 2023);
 * every other designated business is "designated-non-core". Which sectors
 * are core is decided by the rules (rules/fefta/inward-investment.rules),
 * not here: this is only the vocabulary.
 */
static const char *const sector_names[] = {
    "weapons",           "aircraft", "nuclear", "space",    "dual-use-technology",
    "cybersecurity",     "electricity", "gas",  "telecommunications", "water",
    "railways",          "oil",      "rare-earths", "supply-chain-2023", "designated-non-core"};

int tts_model_sector_parse(const char *s) { return parse_in(sector_names, COUNT(sector_names), s); }

const char *tts_model_sector_choices(void)
{
    return "weapons, aircraft, nuclear, space, dual-use-technology, cybersecurity, electricity, "
           "gas, telecommunications, water, railways, oil, rare-earths, supply-chain-2023, "
           "designated-non-core";
}

/* Authorities whose notice (an "inform" letter) makes a licence necessary. */
static const char *const authority_names[] = {"METI", "BIS"};

int tts_model_authority_parse(const char *s)
{
    return parse_in(authority_names, COUNT(authority_names), s);
}

const char *tts_model_authority_choices(void) { return "METI, BIS"; }

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

int tts_date_parse(const char *s, tts_date *out)
{
    int v[3] = {0, 0, 0};
    static const int width[3] = {4, 2, 2};
    const char *p = s;
    for (int f = 0; f < 3; f++) {
        for (int i = 0; i < width[f]; i++, p++) {
            if (*p < '0' || *p > '9')
                return 0;
            v[f] = v[f] * 10 + (*p - '0');
        }
        if (f < 2 && *p++ != '-')
            return 0;
    }
    if (*p != '\0' || v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 ||
        v[2] > days_in_month(v[0], v[1]))
        return 0;
    out->y = v[0];
    out->m = v[1];
    out->d = v[2];
    return 1;
}

void tts_date_format(tts_date d, char out[11])
{
    if (d.y == 0)
        out[0] = '\0';
    else
        snprintf(out, 11, "%04u-%02u-%02u", (unsigned)d.y % 10000u, (unsigned)d.m % 100u,
                 (unsigned)d.d % 100u);
}

/* Howard Hinnant's days_from_civil: proleptic Gregorian calendar. */
long tts_date_days(tts_date d)
{
    long y = d.y - (d.m <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long mp = (d.m + 9) % 12;
    long doy = (153 * mp + 2) / 5 + d.d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int tts_date_cmp(tts_date a, tts_date b)
{
    if (a.y != b.y)
        return a.y < b.y ? -1 : 1;
    if (a.m != b.m)
        return a.m < b.m ? -1 : 1;
    if (a.d != b.d)
        return a.d < b.d ? -1 : 1;
    return 0;
}

/* The calendar date at the start of s ("YYYY-MM-DD" or RFC 3339); 1 on success. */
static int date_prefix(const char *s, tts_date *out)
{
    char d[11];
    if (s == NULL || strlen(s) < 10 || (s[10] != '\0' && s[10] != 'T' && s[10] != 't' &&
                                        s[10] != ' '))
        return 0;
    memcpy(d, s, 10);
    d[10] = '\0';
    return tts_date_parse(d, out);
}

tts_status tts_days_between(const char *from, const char *to, long *days)
{
    tts_date a, b;
    if (!date_prefix(from, &a) || !date_prefix(to, &b))
        return TTS_ERR_ARG;
    *days = tts_date_days(b) - tts_date_days(a);
    return TTS_OK;
}

tts_status tts_date_check(const char *s)
{
    tts_date d;
    return tts_date_parse(s, &d) ? TTS_OK : TTS_ERR_ARG;
}
