/* SPDX-License-Identifier: MIT */
/*
 * The record schema of the rule language (see schema.h) and the accessor
 * that reads a field from the typed model. Absent optional values read as
 * null; a licence without `covers` reads as covering its transfer's `to`
 * party, as the record format defines.
 */
#include "rules/schema.h"

#include <stdio.h>
#include <string.h>

#include "ttscreen/scan.h"

enum {
    F_REC_ID,
    F_REC_TITLE,
    F_REC_KIND,
    F_REC_DATE,
    F_REC_SCREENED_FOR,
    F_REC_PARTIES,
    F_REC_PEOPLE,
    F_REC_TRANSFERS,
    F_REC_TECHS,
    F_REC_RELATIONS,
    F_REC_FUNDING,
    F_REC_CONTROLS,
    F_REC_NAMED,
    F_PTY_ID,
    F_PTY_NAME,
    F_PTY_ALIASES,
    F_PTY_COUNTRY,
    F_PTY_TYPE,
    F_PTY_STATE_OWNED,
    F_PTY_STATE_FUNDED,
    F_PTY_ADDRESS,
    F_PTY_LISTED,
    F_PTY_SECTORS,
    F_PTY_FOREIGN_PCT,
    F_PER_ID,
    F_PER_NAME,
    F_PER_NATIONALITY,
    F_PER_COUNTRY,
    F_PER_RESIDENCE,
    F_PER_SINCE,
    F_PER_EMPLOYER,
    F_PER_ROLE,
    F_PER_AFFILS,
    F_PER_CLEARANCE,
    F_PER_ACCESS,
    F_PER_TYPE,
    F_ACT_ID,
    F_ACT_NAME,
    F_ACT_COUNTRY,
    F_ACT_TYPE,
    F_ACT_PARTY,
    F_ACT_PERSON,
    F_ACT_IS_PERSON,
    F_NAM_NAME,
    F_NAM_COUNTRY,
    F_NAM_WHAT,
    F_NAM_PARTY,
    F_NAM_PERSON,
    F_NAM_IS_PERSON,
    F_TRF_ID,
    F_TRF_TECH,
    F_TRF_FROM,
    F_TRF_TO,
    F_TRF_TO_PARTY,
    F_TRF_TO_PERSON,
    F_TRF_FORM,
    F_TRF_DATE,
    F_TRF_LOCATION,
    F_TRF_LICENCE,
    F_TRF_END_USE,
    F_TRF_END_USER,
    F_TRF_INFORMED,
    F_TRF_INFORMED_BY,
    F_TRF_INFORMED_ON,
    F_TEC_ID,
    F_TEC_DESC,
    F_TEC_FIELDS,
    F_TEC_CONTROL,
    F_TEC_CLASSIFIED,
    F_CTL_JP,
    F_CTL_US,
    F_LIC_AUTHORITY,
    F_LIC_NUMBER,
    F_LIC_EXPIRES,
    F_LIC_COVERS,
    F_REL_FROM,
    F_REL_TO,
    F_REL_TYPE,
    F_REL_PERCENT,
    F_FUN_FROM,
    F_FUN_FROM_NAME,
    F_FUN_TO,
    F_FUN_AMOUNT,
    F_FUN_CURRENCY,
    F_FUN_PURPOSE,
    F_FUN_DISCLOSED,
    F_AFF_ORG,
    F_AFF_COUNTRY,
    F_AFF_KIND,
    F_AFF_SINCE,
    F_AFF_UNTIL,
    F_AFF_DISCLOSED,
    F_CLR_REGIME,
    F_CLR_LEVEL,
    F_CLR_GRANTED,
    F_CLR_EXPIRES,
    F_CLR_HELD_WITH,
    F_CTS_ECP,
    F_CTS_FRR,
    F_CTS_AS_OF,
    F_MAT_SOURCE,
    F_MAT_ENTRY,
    F_MAT_NAME,
    F_MAT_MATCHED,
    F_MAT_SCORE,
    F_MAT_SUBLIST,
    F_MAT_KIND,
    F_MAT_SEVERITY,
    F_MAT_ENTRY_TYPE,
    F_MAT_PROGRAMS,
    F_MAT_CITATION,
    F_MAT_QUERY,
    F_MAT_QUERIED
};

#define T(b)                                                                                       \
    {                                                                                              \
        TTS_T_##b, TTS_T_ERR, TTS_D_NONE                                                           \
    }
#define TD(b, d)                                                                                   \
    {                                                                                              \
        TTS_T_##b, TTS_T_ERR, TTS_D_##d                                                            \
    }
#define TL(e)                                                                                      \
    {                                                                                              \
        TTS_T_LIST, TTS_T_##e, TTS_D_NONE                                                          \
    }
#define TLD(e, d)                                                                                  \
    {                                                                                              \
        TTS_T_LIST, TTS_T_##e, TTS_D_##d                                                           \
    }

static const tts_field fields[] = {
    {TTS_T_RECORD, "id", "id", T(STR), F_REC_ID, "the deal's id"},
    {TTS_T_RECORD, "title", "title", T(STR), F_REC_TITLE, "human title"},
    {TTS_T_RECORD, "kind", "kind", TD(STR, KIND), F_REC_KIND, "kind of deal"},
    {TTS_T_RECORD, "date", "date", T(DATE), F_REC_DATE, "signing date"},
    {TTS_T_RECORD, "screened_for", NULL, T(PARTY), F_REC_SCREENED_FOR,
     "the organisation doing the due diligence"},
    {TTS_T_RECORD, "parties", "parties", TL(PARTY), F_REC_PARTIES, "every party"},
    {TTS_T_RECORD, "people", "people", TL(PERSON), F_REC_PEOPLE, "every person"},
    {TTS_T_RECORD, "transfers", "transfers", TL(TRANSFER), F_REC_TRANSFERS, "every transfer"},
    {TTS_T_RECORD, "technologies", "technologies", TL(TECH), F_REC_TECHS, "every technology"},
    {TTS_T_RECORD, "relations", "relations", TL(REL), F_REC_RELATIONS, "every relation"},
    {TTS_T_RECORD, "funding", "funding", TL(FUNDING), F_REC_FUNDING, "every funding flow"},
    {TTS_T_RECORD, "controls", "controls", T(CONTROLS), F_REC_CONTROLS,
     "the screened organisation's compliance posture"},
    {TTS_T_RECORD, "named", NULL, TL(NAMED), F_REC_NAMED,
     "everything the deal names, for list screening: every party, every person, every "
     "person's affiliations, and funding sources given by name"},

    {TTS_T_PARTY, "id", "id", T(STR), F_PTY_ID, "party id"},
    {TTS_T_PARTY, "name", "name", T(STR), F_PTY_NAME, "legal name"},
    {TTS_T_PARTY, "aliases", "aliases", TL(STR), F_PTY_ALIASES, "other names"},
    {TTS_T_PARTY, "country", "country", TD(STR, COUNTRY), F_PTY_COUNTRY,
     "country of incorporation (nationality of a person party)"},
    {TTS_T_PARTY, "type", "type", TD(STR, ACTOR_TYPE), F_PTY_TYPE, "company, university, ..."},
    {TTS_T_PARTY, "state_owned", "state_owned", T(BOOL), F_PTY_STATE_OWNED,
     "owned or controlled by a state"},
    {TTS_T_PARTY, "state_funded", "state_funded", T(BOOL), F_PTY_STATE_FUNDED,
     "substantial state funding or direction"},
    {TTS_T_PARTY, "address", "address", T(STR), F_PTY_ADDRESS, "free-text address"},
    {TTS_T_PARTY, "listed", "listed", T(BOOL), F_PTY_LISTED, "shares listed on a stock exchange"},
    {TTS_T_PARTY, "business_sectors", "business_sectors", TLD(STR, SECTOR), F_PTY_SECTORS,
     "FEFTA designated-business categories it carries on"},
    {TTS_T_PARTY, "foreign_ownership_percent", "foreign_ownership_percent", T(NUM),
     F_PTY_FOREIGN_PCT, "share held by foreign investors as the record states it (0-100)"},

    {TTS_T_PERSON, "id", "id", T(STR), F_PER_ID, "person id"},
    {TTS_T_PERSON, "name", "name", T(STR), F_PER_NAME, "name"},
    {TTS_T_PERSON, "nationality", "nationality", TLD(STR, COUNTRY), F_PER_NATIONALITY,
     "every nationality"},
    {TTS_T_PERSON, "country", "nationality", TD(STR, COUNTRY), F_PER_COUNTRY, "first nationality"},
    {TTS_T_PERSON, "residence", "residence", TD(STR, COUNTRY), F_PER_RESIDENCE,
     "country of residence"},
    {TTS_T_PERSON, "resident_since", "resident_since", T(DATE), F_PER_SINCE,
     "arrival in the country of residence"},
    {TTS_T_PERSON, "employer", NULL, T(PARTY), F_PER_EMPLOYER, "employing party"},
    {TTS_T_PERSON, "role", "role", T(STR), F_PER_ROLE, "free-text role"},
    {TTS_T_PERSON, "affiliations", "affiliations", TL(AFFIL), F_PER_AFFILS,
     "foreign programmes, employment, funding, ..."},
    {TTS_T_PERSON, "clearance", "clearance", T(CLEARANCE), F_PER_CLEARANCE, "security clearance"},
    {TTS_T_PERSON, "access", "access", TL(TECH), F_PER_ACCESS, "technologies the person can use"},
    {TTS_T_PERSON, "type", NULL, TD(STR, ACTOR_TYPE), F_PER_TYPE, "always \"person\""},

    {TTS_T_ACTOR, "id", "id", T(STR), F_ACT_ID, "party or person id"},
    {TTS_T_ACTOR, "name", "name", T(STR), F_ACT_NAME, "name"},
    {TTS_T_ACTOR, "country", NULL, TD(STR, COUNTRY), F_ACT_COUNTRY,
     "party country, or a person's first nationality"},
    {TTS_T_ACTOR, "type", NULL, TD(STR, ACTOR_TYPE), F_ACT_TYPE, "party type, or \"person\""},
    {TTS_T_ACTOR, "party", NULL, T(PARTY), F_ACT_PARTY, "the party, null for a person"},
    {TTS_T_ACTOR, "person", NULL, T(PERSON), F_ACT_PERSON, "the person, null for a party"},
    {TTS_T_ACTOR, "is_person", NULL, T(BOOL), F_ACT_IS_PERSON, "true for a person"},
    {TTS_T_NAMED, "name", NULL, T(STR), F_NAM_NAME,
     "party or person name, affiliation organisation, funding source"},
    {TTS_T_NAMED, "country", NULL, TD(STR, COUNTRY), F_NAM_COUNTRY,
     "party country, person's first nationality, affiliation country; null when not given"},
    {TTS_T_NAMED, "what", NULL, T(STR), F_NAM_WHAT,
     "\"party\", \"person\", \"affiliation\" or \"funding\""},
    {TTS_T_NAMED, "party", NULL, T(PARTY), F_NAM_PARTY,
     "the party (a funding flow's source party), or null"},
    {TTS_T_NAMED, "person", NULL, T(PERSON), F_NAM_PERSON,
     "the person (an affiliation's holder), or null"},
    {TTS_T_NAMED, "is_person", NULL, T(BOOL), F_NAM_IS_PERSON,
     "a natural person: a person, or a party of type person"},

    {TTS_T_TRANSFER, "id", "id", T(STR), F_TRF_ID, "transfer id"},
    {TTS_T_TRANSFER, "technology", NULL, T(TECH), F_TRF_TECH, "what is provided"},
    {TTS_T_TRANSFER, "from", NULL, T(PARTY), F_TRF_FROM, "provider"},
    {TTS_T_TRANSFER, "to", NULL, T(ACTOR), F_TRF_TO, "recipient party or person"},
    {TTS_T_TRANSFER, "to_party", "to", T(PARTY), F_TRF_TO_PARTY, "recipient party, or null"},
    {TTS_T_TRANSFER, "to_person", "to", T(PERSON), F_TRF_TO_PERSON, "recipient person, or null"},
    {TTS_T_TRANSFER, "form", "form", TD(STR, FORM), F_TRF_FORM, "technical-data, blueprint, ..."},
    {TTS_T_TRANSFER, "date", "date", T(DATE), F_TRF_DATE, "date of the provision"},
    {TTS_T_TRANSFER, "location", "location", TD(STR, COUNTRY), F_TRF_LOCATION,
     "country where the provision happens"},
    {TTS_T_TRANSFER, "licence", "licence", T(LICENCE), F_TRF_LICENCE, "the licence, or null"},
    {TTS_T_TRANSFER, "end_use", "end_use", TD(STR, END_USE), F_TRF_END_USE,
     "stated or known end use: wmd-nuclear, ..., civil, unknown"},
    {TTS_T_TRANSFER, "end_user", NULL, T(PARTY), F_TRF_END_USER,
     "the end user when it is not the recipient, or null"},
    {TTS_T_TRANSFER, "informed", "informed", T(BOOL), F_TRF_INFORMED,
     "a government notice that a licence is required was received"},
    {TTS_T_TRANSFER, "informed_by", NULL, TD(STR, AUTHORITY), F_TRF_INFORMED_BY,
     "the notice's authority (METI, BIS), or null"},
    {TTS_T_TRANSFER, "informed_on", NULL, T(DATE), F_TRF_INFORMED_ON, "the notice's date"},

    {TTS_T_TECH, "id", "id", T(STR), F_TEC_ID, "technology id"},
    {TTS_T_TECH, "description", "description", T(STR), F_TEC_DESC, "free text"},
    {TTS_T_TECH, "fields", "fields", TL(STR), F_TEC_FIELDS,
     "dual-use fields given in the record (see fields())"},
    {TTS_T_TECH, "control", "control", T(CONTROL), F_TEC_CONTROL, "known classifications"},
    {TTS_T_TECH, "classified", "classified", TD(STR, CLASSIFIED), F_TEC_CLASSIFIED,
     "security classification"},

    {TTS_T_CONTROL, "jp", "jp", T(STR), F_CTL_JP, "Appended Table 1 item, or \"non-listed\""},
    {TTS_T_CONTROL, "us", "us", T(STR), F_CTL_US, "ECCN, EAR99 or USML category"},

    {TTS_T_LICENCE, "authority", "authority", T(STR), F_LIC_AUTHORITY, "METI, BIS, DDTC, ..."},
    {TTS_T_LICENCE, "number", "number", T(STR), F_LIC_NUMBER, "licence number"},
    {TTS_T_LICENCE, "expires", "expires", T(DATE), F_LIC_EXPIRES, "expiry date"},
    {TTS_T_LICENCE, "covers", "covers", TL(PARTY), F_LIC_COVERS,
     "parties the licence names (absent: the transfer's recipient)"},

    {TTS_T_REL, "from", NULL, T(PARTY), F_REL_FROM, "owner, controller, hirer, ..."},
    {TTS_T_REL, "to", NULL, T(PARTY), F_REL_TO, "owned, controlled, hired, ..."},
    {TTS_T_REL, "type", "type", TD(STR, REL_TYPE), F_REL_TYPE, "owns, controls, subcontracts, ..."},
    {TTS_T_REL, "percent", "percent", T(NUM), F_REL_PERCENT, "shareholding of an owns relation"},

    {TTS_T_FUNDING, "from", NULL, T(PARTY), F_FUN_FROM, "funding party, null for a name"},
    {TTS_T_FUNDING, "from_name", "from", T(STR), F_FUN_FROM_NAME, "the raw `from` text"},
    {TTS_T_FUNDING, "to", NULL, T(ACTOR), F_FUN_TO, "recipient party or person"},
    {TTS_T_FUNDING, "amount", "amount", T(NUM), F_FUN_AMOUNT, "amount"},
    {TTS_T_FUNDING, "currency", "currency", T(STR), F_FUN_CURRENCY, "ISO 4217 code"},
    {TTS_T_FUNDING, "purpose", "purpose", T(STR), F_FUN_PURPOSE, "purpose"},
    {TTS_T_FUNDING, "disclosed", "disclosed", T(BOOL), F_FUN_DISCLOSED,
     "reported to the institution"},

    {TTS_T_AFFIL, "organisation", "organisation", T(STR), F_AFF_ORG, "organisation name"},
    {TTS_T_AFFIL, "country", "country", TD(STR, COUNTRY), F_AFF_COUNTRY, "its country"},
    {TTS_T_AFFIL, "kind", "kind", TD(STR, AFFIL_KIND), F_AFF_KIND,
     "talent-program, employment, ..."},
    {TTS_T_AFFIL, "since", "since", T(DATE), F_AFF_SINCE, "start"},
    {TTS_T_AFFIL, "until", "until", T(DATE), F_AFF_UNTIL, "end"},
    {TTS_T_AFFIL, "disclosed", "disclosed", T(BOOL), F_AFF_DISCLOSED, "declared to the employer"},

    {TTS_T_CLEARANCE, "regime", "regime", TD(STR, REGIME), F_CLR_REGIME, "jp-esi, jp-sds, us-nisp"},
    {TTS_T_CLEARANCE, "level", "level", TD(STR, LEVEL), F_CLR_LEVEL,
     "confidential, secret, top-secret"},
    {TTS_T_CLEARANCE, "granted", "granted", T(DATE), F_CLR_GRANTED, "grant date"},
    {TTS_T_CLEARANCE, "expires", "expires", T(DATE), F_CLR_EXPIRES, "expiry date"},
    {TTS_T_CLEARANCE, "held_with", NULL, T(PARTY), F_CLR_HELD_WITH,
     "operator through which the clearance was granted and is valid"},

    {TTS_T_CONTROLS, "export_control_program", "export_control_program", T(BOOL), F_CTS_ECP,
     "an internal compliance programme exists"},
    {TTS_T_CONTROLS, "foreign_researcher_register", "foreign_researcher_register", T(BOOL),
     F_CTS_FRR, "data on staff in foreign programmes is kept"},
    {TTS_T_CONTROLS, "as_of", "as_of", T(DATE), F_CTS_AS_OF, "the record's own as-of date"},

    {TTS_T_MATCH, "source", NULL, T(STR), F_MAT_SOURCE, "list source, e.g. us-csl"},
    {TTS_T_MATCH, "entry_id", NULL, T(STR), F_MAT_ENTRY, "the list's id for the entry"},
    {TTS_T_MATCH, "name", NULL, T(STR), F_MAT_NAME, "the entry's primary name"},
    {TTS_T_MATCH, "matched", NULL, T(STR), F_MAT_MATCHED, "the name or alias that matched"},
    {TTS_T_MATCH, "score", NULL, T(NUM), F_MAT_SCORE, "similarity in [0,1]"},
    {TTS_T_MATCH, "sublist", NULL, T(STR), F_MAT_SUBLIST,
     "the entry's CSL sub-list code (EL, SDN, DPL, MEU, UVL, ...; \"\" when none)"},
    {TTS_T_MATCH, "kind", NULL, T(STR), F_MAT_KIND,
     "the list's kind: restricted-party, sanctions, military-end-user, end-user-concern, "
     "forced-labour, watch-list, other"},
    {TTS_T_MATCH, "severity", NULL, T(STR), F_MAT_SEVERITY,
     "the list's default severity (critical, high, medium)"},
    {TTS_T_MATCH, "entry_type", NULL, T(STR), F_MAT_ENTRY_TYPE,
     "person, organisation, vessel, aircraft, or \"\" when the list does not say"},
    {TTS_T_MATCH, "query", NULL, T(STR), F_MAT_QUERY,
     "JSON path of the record's name that matched, e.g. $.parties[2].aliases[0]"},
    {TTS_T_MATCH, "queried", NULL, T(STR), F_MAT_QUERIED,
     "that name (or identifier) as the record gives it"},
    {TTS_T_MATCH, "programs", NULL, T(STR), F_MAT_PROGRAMS,
     "the entry's programmes, ';'-separated as the list gives them (OFAC programme tags; "
     "End User List concern codes B, C, M, N, CW); \"\" when none"},
    {TTS_T_MATCH, "citation", NULL, T(STR), F_MAT_CITATION,
     "the law the entry rests on, from data/list-citations.tsv; \"\" when the table has none"},
};

#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

const tts_field *tts_schema_all(size_t *n)
{
    *n = N_FIELDS;
    return fields;
}

const tts_field *tts_schema_field(int owner, const char *name, size_t len)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (fields[i].owner == owner && strlen(fields[i].name) == len &&
            memcmp(fields[i].name, name, len) == 0)
            return &fields[i];
    return NULL;
}

/* Levenshtein distance, bounded to short names. */
static size_t edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t row[64], prev, tmp;
    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t best = prev + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            tmp = row[j];
            row[j] = best;
            prev = tmp;
        }
    }
    return row[lb];
}

const char *tts_schema_suggest(int owner, const char *name, size_t len)
{
    const char *best = NULL;
    size_t best_d = len / 3 + 2;
    for (size_t i = 0; i < N_FIELDS; i++) {
        size_t d;
        if (fields[i].owner != owner)
            continue;
        d = edit_distance(name, len, fields[i].name, strlen(fields[i].name));
        if (d < best_d) {
            best_d = d;
            best = fields[i].name;
        }
    }
    return best;
}

static tts_val tri(tts_tri t)
{
    return t == TTS_TRI_ABSENT ? tts_val_null() : tts_val_bool(t == TTS_TRI_TRUE);
}

static tts_val country(const char *c) { return c[0] == '\0' ? tts_val_null() : tts_val_str(c); }

/* A list of n values; NULL items pointer is fine for n == 0. */
static tts_val *list_new(tts_arena *a, size_t n, tts_val *out)
{
    tts_val *items = n > 0 ? tts_arena_calloc(a, n, sizeof(tts_val)) : NULL;
    *out = tts_val_null();
    out->k = TTS_T_LIST;
    out->n = n;
    out->u.items = items;
    return items;
}

/* String list with per-item provenance "key[i]". */
static int str_list(tts_arena *a, const tts_val *obj, const char *key, const char *const *s,
                    size_t n, tts_val *out)
{
    tts_val *items = list_new(a, n, out);
    if (n > 0 && items == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        items[i] = tts_val_str(s[i]);
        items[i].pk = obj->k;
        items[i].pp = obj->u.p;
        items[i].pown = obj->own;
        items[i].pf = key;
        items[i].pi = (int)i;
    }
    return 0;
}

/* Element list from an array of structs (stride bytes apart) or of pointers. */
static int elem_list(tts_arena *a, tts_tbase k, const void *base, size_t stride, int indirect,
                     size_t n, const void *own, tts_val *out)
{
    tts_val *items = list_new(a, n, out);
    if (n > 0 && items == NULL)
        return 1;
    for (size_t i = 0; i < n; i++) {
        const void *p = indirect ? ((const void *const *)base)[i]
                                 : (const void *)((const char *)base + i * stride);
        items[i] = tts_val_elem(k, p, own);
    }
    return 0;
}

/* Parties, people, their affiliations, and funding sources given by name, in that order. */
static int named_list(tts_arena *a, const tts_record *r, tts_val *out)
{
    size_t n = r->n_parties + r->n_people, k = 0;
    tts_val *items;
    for (size_t i = 0; i < r->n_people; i++)
        n += r->people[i].n_affiliations;
    for (size_t i = 0; i < r->n_funding; i++)
        n += r->funding[i].from_party == NULL;
    items = list_new(a, n, out);
    if (items == NULL)
        return n > 0; /* nothing to list, or out of memory */
    for (size_t i = 0; i < r->n_parties; i++)
        items[k++] = tts_val_elem(TTS_T_PARTY, &r->parties[i], NULL);
    for (size_t i = 0; i < r->n_people; i++)
        items[k++] = tts_val_elem(TTS_T_PERSON, &r->people[i], NULL);
    for (size_t i = 0; i < r->n_people; i++)
        for (size_t j = 0; j < r->people[i].n_affiliations; j++)
            items[k++] = tts_val_elem(TTS_T_AFFIL, &r->people[i].affiliations[j], &r->people[i]);
    for (size_t i = 0; i < r->n_funding; i++)
        if (r->funding[i].from_party == NULL)
            items[k++] = tts_val_elem(TTS_T_FUNDING, &r->funding[i], NULL);
    return 0;
}

/* A field of `named`: what it means depends on the element behind it. */
static int get_named(int id, const tts_val *obj, tts_val *out)
{
    const tts_party *pty = obj->k == TTS_T_PARTY ? obj->u.p : NULL;
    const tts_person *per = obj->k == TTS_T_PERSON ? obj->u.p : NULL;
    const tts_affiliation *af = obj->k == TTS_T_AFFIL ? obj->u.p : NULL;
    const tts_funding *fu = obj->k == TTS_T_FUNDING ? obj->u.p : NULL;
    if (fu != NULL)
        pty = fu->from_party;
    *out = tts_val_null();
    switch (id) {
    case F_NAM_NAME:
        *out = tts_val_str(pty != NULL   ? pty->name
                           : per != NULL ? per->name
                           : af != NULL  ? af->organisation
                           : fu != NULL  ? fu->from_name
                                         : NULL);
        break;
    case F_NAM_COUNTRY:
        if (pty != NULL)
            *out = country(pty->country);
        else if (per != NULL && per->n_nationality > 0)
            *out = country(per->nationality[0]);
        else if (af != NULL)
            *out = country(af->country);
        break;
    case F_NAM_WHAT:
        *out = tts_val_str(obj->k == TTS_T_PARTY    ? "party"
                           : obj->k == TTS_T_PERSON ? "person"
                           : obj->k == TTS_T_AFFIL  ? "affiliation"
                                                    : "funding");
        break;
    case F_NAM_PARTY:
        if (pty != NULL)
            *out = tts_val_elem(TTS_T_PARTY, pty, NULL);
        break;
    case F_NAM_PERSON:
        if (per != NULL || af != NULL)
            *out = tts_val_elem(TTS_T_PERSON, per != NULL ? (const void *)per : obj->own, NULL);
        break;
    case F_NAM_IS_PERSON:
        *out = tts_val_bool(per != NULL || (fu == NULL && pty != NULL &&
                                            pty->type == TTS_PARTY_PERSON));
        break;
    }
    return 0;
}

/* The JSON key a `named` field reads, for evidence; NULL when it is derived. */
static const char *named_key(int id, int k)
{
    if (id == F_NAM_NAME)
        return k == TTS_T_AFFIL ? "organisation" : k == TTS_T_FUNDING ? "from" : "name";
    if (id == F_NAM_COUNTRY)
        return k == TTS_T_PERSON ? "nationality" : k == TTS_T_FUNDING ? NULL : "country";
    return NULL;
}

static int get_record(int id, const tts_record *r, tts_arena *a, tts_val *out)
{
    switch (id) {
    case F_REC_ID:
        *out = tts_val_str(r->id);
        return 0;
    case F_REC_TITLE:
        *out = tts_val_str(r->title);
        return 0;
    case F_REC_KIND:
        *out = tts_val_str(tts_model_kind_name(r->kind));
        return 0;
    case F_REC_DATE:
        *out = tts_val_date(r->date);
        return 0;
    case F_REC_SCREENED_FOR:
        *out = tts_val_elem(TTS_T_PARTY, r->screened_for, NULL);
        return 0;
    case F_REC_PARTIES:
        return elem_list(a, TTS_T_PARTY, r->parties, sizeof(tts_party), 0, r->n_parties, NULL, out);
    case F_REC_PEOPLE:
        return elem_list(a, TTS_T_PERSON, r->people, sizeof(tts_person), 0, r->n_people, NULL, out);
    case F_REC_TRANSFERS:
        return elem_list(a, TTS_T_TRANSFER, r->transfers, sizeof(tts_transfer), 0, r->n_transfers,
                         NULL, out);
    case F_REC_TECHS:
        return elem_list(a, TTS_T_TECH, r->technologies, sizeof(tts_technology), 0,
                         r->n_technologies, NULL, out);
    case F_REC_RELATIONS:
        return elem_list(a, TTS_T_REL, r->relations, sizeof(tts_relation), 0, r->n_relations, NULL,
                         out);
    case F_REC_FUNDING:
        return elem_list(a, TTS_T_FUNDING, r->funding, sizeof(tts_funding), 0, r->n_funding, NULL,
                         out);
    case F_REC_CONTROLS:
        *out = tts_val_elem(TTS_T_CONTROLS, &r->controls, r);
        return 0;
    case F_REC_NAMED:
        return named_list(a, r, out);
    }
    *out = tts_val_null();
    return 0;
}

static int get_party(int id, const tts_val *obj, tts_arena *a, tts_val *out)
{
    const tts_party *p = obj->u.p;
    switch (id) {
    case F_PTY_ID:
    case F_ACT_ID:
        *out = tts_val_str(p->id);
        return 0;
    case F_PTY_NAME:
    case F_ACT_NAME:
        *out = tts_val_str(p->name);
        return 0;
    case F_PTY_ALIASES:
        return str_list(a, obj, "aliases", p->aliases, p->n_aliases, out);
    case F_PTY_COUNTRY:
    case F_ACT_COUNTRY:
        *out = country(p->country);
        return 0;
    case F_PTY_TYPE:
    case F_ACT_TYPE:
        *out = tts_val_str(tts_model_party_type_name(p->type));
        return 0;
    case F_PTY_STATE_OWNED:
        *out = tri(p->state_owned);
        return 0;
    case F_PTY_STATE_FUNDED:
        *out = tri(p->state_funded);
        return 0;
    case F_PTY_ADDRESS:
        *out = tts_val_str(p->address);
        return 0;
    case F_PTY_LISTED:
        *out = tri(p->listed);
        return 0;
    case F_PTY_SECTORS:
        return str_list(a, obj, "business_sectors", p->business_sectors, p->n_business_sectors,
                        out);
    case F_PTY_FOREIGN_PCT:
        *out = p->has_foreign_ownership ? tts_val_num(p->foreign_ownership_percent)
                                        : tts_val_null();
        return 0;
    case F_ACT_PARTY:
        *out = *obj;
        return 0;
    case F_ACT_IS_PERSON:
        *out = tts_val_bool(0);
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

static int get_person(int id, const tts_val *obj, tts_arena *a, tts_val *out)
{
    const tts_person *p = obj->u.p;
    switch (id) {
    case F_PER_ID:
    case F_ACT_ID:
        *out = tts_val_str(p->id);
        return 0;
    case F_PER_NAME:
    case F_ACT_NAME:
        *out = tts_val_str(p->name);
        return 0;
    case F_PER_NATIONALITY: {
        const char *tmp[16];
        size_t n = p->n_nationality < 16 ? p->n_nationality : 16;
        for (size_t i = 0; i < n; i++)
            tmp[i] = p->nationality[i];
        return str_list(a, obj, "nationality", tmp, n, out);
    }
    case F_PER_COUNTRY:
    case F_ACT_COUNTRY:
        *out = p->n_nationality > 0 ? country(p->nationality[0]) : tts_val_null();
        return 0;
    case F_PER_RESIDENCE:
        *out = country(p->residence);
        return 0;
    case F_PER_SINCE:
        *out = tts_val_date(p->resident_since);
        return 0;
    case F_PER_EMPLOYER:
        *out = tts_val_elem(TTS_T_PARTY, p->employer, NULL);
        return 0;
    case F_PER_ROLE:
        *out = tts_val_str(p->role);
        return 0;
    case F_PER_AFFILS:
        return elem_list(a, TTS_T_AFFIL, p->affiliations, sizeof(tts_affiliation), 0,
                         p->n_affiliations, p, out);
    case F_PER_CLEARANCE:
        *out = tts_val_elem(TTS_T_CLEARANCE, p->clearance, p);
        return 0;
    case F_PER_ACCESS:
        return elem_list(a, TTS_T_TECH, p->access, 0, 1, p->n_access, NULL, out);
    case F_PER_TYPE:
    case F_ACT_TYPE:
        *out = tts_val_str("person");
        return 0;
    case F_ACT_PERSON:
        *out = *obj;
        return 0;
    case F_ACT_IS_PERSON:
        *out = tts_val_bool(1);
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

static int get_transfer(int id, const tts_transfer *t, tts_val *out)
{
    switch (id) {
    case F_TRF_ID:
        *out = tts_val_str(t->id);
        return 0;
    case F_TRF_TECH:
        *out = tts_val_elem(TTS_T_TECH, t->technology, NULL);
        return 0;
    case F_TRF_FROM:
        *out = tts_val_elem(TTS_T_PARTY, t->from, NULL);
        return 0;
    case F_TRF_TO:
        *out = t->to_party != NULL ? tts_val_elem(TTS_T_PARTY, t->to_party, NULL)
                                   : tts_val_elem(TTS_T_PERSON, t->to_person, NULL);
        return 0;
    case F_TRF_TO_PARTY:
        *out = tts_val_elem(TTS_T_PARTY, t->to_party, NULL);
        return 0;
    case F_TRF_TO_PERSON:
        *out = tts_val_elem(TTS_T_PERSON, t->to_person, NULL);
        return 0;
    case F_TRF_FORM:
        *out = tts_val_str(tts_model_form_name(t->form));
        return 0;
    case F_TRF_DATE:
        *out = tts_val_date(t->date);
        return 0;
    case F_TRF_LOCATION:
        *out = country(t->location);
        return 0;
    case F_TRF_LICENCE:
        *out = tts_val_elem(TTS_T_LICENCE, t->licence, t);
        return 0;
    case F_TRF_END_USE:
        *out = tts_val_str(tts_model_end_use_name(t->end_use));
        return 0;
    case F_TRF_END_USER:
        *out = tts_val_elem(TTS_T_PARTY, t->end_user, NULL);
        return 0;
    case F_TRF_INFORMED:
        *out = tri(t->informed);
        return 0;
    case F_TRF_INFORMED_BY:
        *out = tts_val_str(t->informed_by);
        return 0;
    case F_TRF_INFORMED_ON:
        *out = tts_val_date(t->informed_on);
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

static int get_tech(int id, const tts_val *obj, tts_arena *a, tts_val *out)
{
    const tts_technology *t = obj->u.p;
    switch (id) {
    case F_TEC_ID:
        *out = tts_val_str(t->id);
        return 0;
    case F_TEC_DESC:
        *out = tts_val_str(t->description);
        return 0;
    case F_TEC_FIELDS:
        return str_list(a, obj, "fields", t->fields, t->n_fields, out);
    case F_TEC_CONTROL:
        *out = t->control_jp != NULL || t->control_us != NULL ? tts_val_elem(TTS_T_CONTROL, t, t)
                                                              : tts_val_null();
        return 0;
    case F_TEC_CLASSIFIED:
        *out = tts_val_str(tts_model_classified_name(t->classified));
        return 0;
    case F_CTL_JP:
        *out = tts_val_str(t->control_jp);
        return 0;
    case F_CTL_US:
        *out = tts_val_str(t->control_us);
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

static int get_licence(int id, const tts_val *obj, tts_arena *a, tts_val *out)
{
    const tts_licence *l = obj->u.p;
    const tts_transfer *t = obj->own;
    switch (id) {
    case F_LIC_AUTHORITY:
        *out = tts_val_str(l->authority);
        return 0;
    case F_LIC_NUMBER:
        *out = tts_val_str(l->number);
        return 0;
    case F_LIC_EXPIRES:
        *out = tts_val_date(l->expires);
        return 0;
    case F_LIC_COVERS:
        if (l->has_covers)
            return elem_list(a, TTS_T_PARTY, l->covers, 0, 1, l->n_covers, NULL, out);
        if (t != NULL && t->to_party != NULL)
            return elem_list(a, TTS_T_PARTY, &t->to_party, 0, 1, 1, NULL, out);
        return elem_list(a, TTS_T_PARTY, NULL, 0, 1, 0, NULL, out);
    }
    *out = tts_val_null();
    return 0;
}

/* A field of a list match (listed()). */
static int get_match(int id, const tts_match *m, tts_val *out)
{
    switch (id) {
    case F_MAT_SOURCE:
        *out = tts_val_str(m->source);
        return 0;
    case F_MAT_ENTRY:
        *out = tts_val_str(m->entry_id);
        return 0;
    case F_MAT_NAME:
        *out = tts_val_str(m->name);
        return 0;
    case F_MAT_MATCHED:
        *out = tts_val_str(m->matched);
        return 0;
    case F_MAT_SCORE:
        *out = tts_val_num(m->score);
        return 0;
    case F_MAT_SUBLIST:
        *out = tts_val_str(m->sublist != NULL ? m->sublist : "");
        return 0;
    case F_MAT_KIND:
        *out = tts_val_str(m->kind);
        return 0;
    case F_MAT_SEVERITY:
        *out = tts_val_str(m->severity);
        return 0;
    case F_MAT_ENTRY_TYPE:
        *out = tts_val_str(m->entry_type != NULL ? m->entry_type : "");
        return 0;
    case F_MAT_QUERY:
        *out = tts_val_str(m->query);
        return 0;
    case F_MAT_QUERIED:
        *out = tts_val_str(m->queried);
        return 0;
    case F_MAT_PROGRAMS:
        *out = tts_val_str(m->programs != NULL ? m->programs : "");
        return 0;
    case F_MAT_CITATION:
        *out = tts_val_str(m->citation != NULL ? m->citation : "");
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

static int get_misc(int id, const tts_val *obj, tts_val *out)
{
    const tts_relation *r = obj->u.p;
    const tts_funding *f = obj->u.p;
    const tts_affiliation *af = obj->u.p;
    const tts_clearance *c = obj->u.p;
    const tts_controls *cs = obj->u.p;
    switch (id) {
    case F_REL_FROM:
        *out = tts_val_elem(TTS_T_PARTY, r->from, NULL);
        return 0;
    case F_REL_TO:
        *out = tts_val_elem(TTS_T_PARTY, r->to, NULL);
        return 0;
    case F_REL_TYPE:
        *out = tts_val_str(tts_model_relation_type_name(r->type));
        return 0;
    case F_REL_PERCENT:
        *out = r->has_percent ? tts_val_num(r->percent) : tts_val_null();
        return 0;
    case F_FUN_FROM:
        *out = tts_val_elem(TTS_T_PARTY, f->from_party, NULL);
        return 0;
    case F_FUN_FROM_NAME:
        *out = tts_val_str(f->from_name);
        return 0;
    case F_FUN_TO:
        *out = f->to_party != NULL ? tts_val_elem(TTS_T_PARTY, f->to_party, NULL)
                                   : tts_val_elem(TTS_T_PERSON, f->to_person, NULL);
        return 0;
    case F_FUN_AMOUNT:
        *out = f->has_amount ? tts_val_num(f->amount) : tts_val_null();
        return 0;
    case F_FUN_CURRENCY:
        *out = tts_val_str(f->currency);
        return 0;
    case F_FUN_PURPOSE:
        *out = tts_val_str(f->purpose);
        return 0;
    case F_FUN_DISCLOSED:
        *out = tri(f->disclosed);
        return 0;
    case F_AFF_ORG:
        *out = tts_val_str(af->organisation);
        return 0;
    case F_AFF_COUNTRY:
        *out = country(af->country);
        return 0;
    case F_AFF_KIND:
        *out = tts_val_str(tts_model_affil_kind_name(af->kind));
        return 0;
    case F_AFF_SINCE:
        *out = tts_val_date(af->since);
        return 0;
    case F_AFF_UNTIL:
        *out = tts_val_date(af->until);
        return 0;
    case F_AFF_DISCLOSED:
        *out = tri(af->disclosed);
        return 0;
    case F_CLR_REGIME:
        *out = c->has_regime ? tts_val_str(tts_model_regime_name(c->regime)) : tts_val_null();
        return 0;
    case F_CLR_LEVEL:
        *out = c->has_level ? tts_val_str(tts_model_level_name(c->level)) : tts_val_null();
        return 0;
    case F_CLR_GRANTED:
        *out = tts_val_date(c->granted);
        return 0;
    case F_CLR_EXPIRES:
        *out = tts_val_date(c->expires);
        return 0;
    case F_CLR_HELD_WITH:
        *out = tts_val_elem(TTS_T_PARTY, c->held_with, NULL);
        return 0;
    case F_CTS_ECP:
        *out = tri(cs->export_control_program);
        return 0;
    case F_CTS_FRR:
        *out = tri(cs->foreign_researcher_register);
        return 0;
    case F_CTS_AS_OF:
        *out = tts_val_date(cs->as_of);
        return 0;
    }
    *out = tts_val_null();
    return 0;
}

int tts_schema_get(const tts_field *f, const tts_val *obj, tts_arena *arena, tts_val *out)
{
    int rc;
    if (f->owner == TTS_T_NAMED) {
        rc = get_named(f->id, obj, out);
        if (rc == 0 && !tts_tbase_is_elem(out->k) && out->pk == 0 &&
            (out->pf = named_key(f->id, obj->k)) != NULL) {
            int funding = obj->k == TTS_T_FUNDING;
            out->pk = obj->k;
            out->pp = obj->u.p;
            out->pown = obj->own;
            if (funding && ((const tts_funding *)obj->u.p)->from_party != NULL)
                out->pk = 0; /* a funding party's name is the party's own field */
        }
        return rc;
    }
    switch (obj->k) {
    case TTS_T_RECORD:
        rc = get_record(f->id, obj->u.p, arena, out);
        break;
    case TTS_T_PARTY:
        rc = get_party(f->id, obj, arena, out);
        break;
    case TTS_T_PERSON:
        rc = get_person(f->id, obj, arena, out);
        break;
    case TTS_T_TRANSFER:
        rc = get_transfer(f->id, obj->u.p, out);
        break;
    case TTS_T_TECH:
    case TTS_T_CONTROL:
        rc = get_tech(f->id, obj, arena, out);
        break;
    case TTS_T_LICENCE:
        rc = get_licence(f->id, obj, arena, out);
        break;
    case TTS_T_MATCH:
        rc = get_match(f->id, obj->u.p, out);
        break;
    default:
        rc = get_misc(f->id, obj, out);
        break;
    }
    if (rc != 0)
        return rc;
    if (!tts_tbase_is_elem(out->k) && out->pk == 0) {
        out->pk = obj->k;
        out->pp = obj->u.p;
        out->pown = obj->own;
        out->pf = f->json;
        if (f->owner == TTS_T_ACTOR) {
            /* A party's and a person's fields sit under different keys. */
            int party = obj->k == TTS_T_PARTY;
            switch (f->id) {
            case F_ACT_ID:
                out->pf = "id";
                break;
            case F_ACT_NAME:
                out->pf = "name";
                break;
            case F_ACT_COUNTRY:
                out->pf = party ? "country" : "nationality";
                break;
            case F_ACT_TYPE:
                out->pf = party ? "type" : NULL;
                break;
            default:
                out->pf = NULL;
                break;
            }
        }
        if (out->pf == NULL)
            out->pk = 0;
    }
    return 0;
}
