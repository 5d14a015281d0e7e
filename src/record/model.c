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

