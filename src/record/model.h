/* SPDX-License-Identifier: MIT */
/*
 * The typed record model: what the record module builds from JSON and what
 * the rule engine, the report and the store read. Every pointer inside a
 * tts_record points into the record's own arena and lives exactly as long
 * as the record. References between elements (transfer ends, employer,
 * licence covers, ...) are resolved to pointers at load time, so readers
 * never look ids up. Optional values carry an explicit "absent" state.
 */
#ifndef TTS_MODEL_H
#define TTS_MODEL_H

#include <stddef.h>

#include "ttscreen/record.h"
#include "util/dates.h"
#include "util/mem.h"

/* Optional boolean. */
typedef enum tts_tri { TTS_TRI_ABSENT = -1, TTS_TRI_FALSE = 0, TTS_TRI_TRUE = 1 } tts_tri;

typedef enum tts_kind {
    TTS_KIND_CO_DEVELOPMENT,
    TTS_KIND_JOINT_VENTURE,
    TTS_KIND_LICENCE,
    TTS_KIND_SUPPLY,
    TTS_KIND_RESEARCH,
    TTS_KIND_SUBCONTRACT,
    TTS_KIND_INVESTMENT,
    TTS_KIND_EMPLOYMENT,
    TTS_KIND_SALE
} tts_kind;

typedef enum tts_party_type {
    TTS_PARTY_COMPANY,
    TTS_PARTY_UNIVERSITY,
    TTS_PARTY_RESEARCH_INSTITUTE,
    TTS_PARTY_GOVERNMENT,
    TTS_PARTY_MILITARY,
    TTS_PARTY_PERSON
} tts_party_type;

typedef enum tts_relation_type {
    TTS_REL_OWNS,
    TTS_REL_CONTROLS,
    TTS_REL_SUBCONTRACTS,
    TTS_REL_SUPPLIES,
    TTS_REL_EMPLOYS,
    TTS_REL_FUNDS
} tts_relation_type;

typedef enum tts_form {
    TTS_FORM_TECHNICAL_DATA,
    TTS_FORM_BLUEPRINT,
    TTS_FORM_SOFTWARE,
    TTS_FORM_GOODS,
    TTS_FORM_TRAINING,
    TTS_FORM_JOINT_RESEARCH,
    TTS_FORM_SOURCE_CODE
} tts_form;

typedef enum tts_classified {
    TTS_CLASS_ABSENT = -1,
    TTS_CLASS_NONE,
    TTS_CLASS_JP_ESI,
    TTS_CLASS_JP_SDS,
    TTS_CLASS_US_CUI,
    TTS_CLASS_US_CONFIDENTIAL,
    TTS_CLASS_US_SECRET,
    TTS_CLASS_US_TOP_SECRET
} tts_classified;

typedef enum tts_affil_kind {
    TTS_AFFIL_ABSENT = -1,
    TTS_AFFIL_TALENT_PROGRAM,
    TTS_AFFIL_EMPLOYMENT,
    TTS_AFFIL_FUNDING,
    TTS_AFFIL_GOVERNMENT,
    TTS_AFFIL_MILITARY,
    TTS_AFFIL_PARTY_MEMBERSHIP
} tts_affil_kind;

/* A transfer's stated or known end use; ABSENT when the record does not say. */
typedef enum tts_end_use {
    TTS_END_USE_ABSENT = -1,
    TTS_END_USE_WMD_NUCLEAR,
    TTS_END_USE_WMD_CHEMICAL,
    TTS_END_USE_WMD_BIOLOGICAL,
    TTS_END_USE_MISSILE,
    TTS_END_USE_CONVENTIONAL_WEAPONS,
    TTS_END_USE_MILITARY,
    TTS_END_USE_CIVIL,
    TTS_END_USE_UNKNOWN
} tts_end_use;

typedef enum tts_regime { TTS_REGIME_JP_ESI, TTS_REGIME_JP_SDS, TTS_REGIME_US_NISP } tts_regime;
typedef enum tts_level { TTS_LEVEL_CONFIDENTIAL, TTS_LEVEL_SECRET, TTS_LEVEL_TOP_SECRET } tts_level;

/* Country code: two upper-case ASCII letters and a NUL; "" when absent. */
typedef char tts_country[3];

typedef struct tts_kv {
    const char *key;
    const char *value;
} tts_kv;

typedef struct tts_party {
    size_t index; /* position in record->parties */
    const char *id;
    const char *name;
    const char **aliases;
    size_t n_aliases;
    tts_country country;
    tts_party_type type;
    tts_tri state_owned;
    tts_tri state_funded;
    const char *address; /* NULL when absent */
    tts_kv *identifiers;
    size_t n_identifiers;
    tts_tri listed;                   /* shares listed on a stock exchange */
    const char **business_sectors;    /* FEFTA designated-business categories (record.c vocabulary) */
    size_t n_business_sectors;
    int has_foreign_ownership;
    double foreign_ownership_percent; /* 0-100 when has_foreign_ownership */
} tts_party;

typedef struct tts_relation {
    size_t index;
    tts_party *from;
    tts_party *to;
    tts_relation_type type;
    int has_percent;
    double percent; /* 0 < percent <= 100 when has_percent */
} tts_relation;

typedef struct tts_technology {
    size_t index;
    const char *id;
    const char *description;
    const char **fields;
    size_t n_fields;
    const char *control_jp; /* NULL when absent */
    const char *control_us; /* NULL when absent */
    tts_classified classified;
} tts_technology;

typedef struct tts_person tts_person;

typedef struct tts_licence {
    const char *authority; /* NULL when absent */
    const char *number;    /* NULL when absent */
    tts_date expires;
    int has_covers;        /* 0: covers absent, the licence names the `to` party */
    tts_party **covers;
    size_t n_covers;
} tts_licence;

typedef struct tts_transfer {
    size_t index;
    const char *id; /* NULL when absent */
    tts_technology *technology;
    tts_party *from;
    tts_party *to_party;   /* exactly one of to_party / to_person is set */
    tts_person *to_person;
    tts_form form;
    tts_date date;
    tts_country location;  /* "" when absent */
    tts_licence *licence;  /* NULL when absent */
    tts_end_use end_use;
    tts_party *end_user;   /* NULL when absent (the `to` party is the end user) */
    tts_tri informed;      /* a government notice that a licence is required */
    const char *informed_by;   /* its authority (METI, BIS), NULL when not given */
    tts_date informed_on;      /* its date, absent when not given */
    const char *informed_ref;  /* its reference, NULL when not given */
} tts_transfer;

typedef struct tts_affiliation {
    const char *organisation; /* NULL when absent */
    tts_country country;
    tts_affil_kind kind;
    tts_date since;
    tts_date until;
    tts_tri disclosed;
} tts_affiliation;

typedef struct tts_clearance {
    int has_regime;
    tts_regime regime;
    int has_level;
    tts_level level;
    tts_date granted;
    tts_date expires;
    tts_party *held_with; /* operator through which it was granted; NULL when absent */
} tts_clearance;

struct tts_person {
    size_t index;
    const char *id;
    const char *name;
    tts_country *nationality; /* one or more */
    size_t n_nationality;
    tts_country residence;    /* "" when absent */
    tts_date resident_since;
    tts_party *employer;      /* NULL when absent */
    const char *role;         /* NULL when absent */
    tts_affiliation *affiliations;
    size_t n_affiliations;
    tts_clearance *clearance; /* NULL when absent */
    tts_technology **access;
    size_t n_access;
};

typedef struct tts_funding {
    size_t index;
    tts_party *from_party;  /* set when `from` names a party id */
    const char *from_name;  /* the raw `from` string always */
    tts_party *to_party;    /* exactly one of to_party / to_person */
    tts_person *to_person;
    int has_amount;
    double amount;
    const char *currency;   /* NULL when absent */
    const char *purpose;    /* NULL when absent */
    tts_tri disclosed;
} tts_funding;

typedef struct tts_controls {
    int present;
    tts_tri export_control_program;
    tts_tri foreign_researcher_register;
    tts_date as_of;
} tts_controls;

struct tts_record {
    tts_arena *arena;         /* owns everything below */
    const char *source;       /* file name given to the loader */
    const char *id;
    const char *title;        /* NULL when absent */
    tts_kind kind;
    tts_date date;
    tts_party *screened_for;
    tts_party *parties;
    size_t n_parties;
    tts_relation *relations;
    size_t n_relations;
    tts_technology *technologies;
    size_t n_technologies;
    tts_transfer *transfers;
    size_t n_transfers;
    tts_person *people;
    size_t n_people;
    tts_funding *funding;
    size_t n_funding;
    tts_controls controls;
    const char *canonical;    /* canonical JSON, NUL-terminated */
    size_t canonical_len;
    char sha256[65];          /* SHA-256 of canonical, hex: made once by the parser */
    const char *as_of_text;   /* controls.as_of as text, NULL when absent */
    const char **unknown;     /* JSON paths of unknown fields */
    size_t n_unknown;
    int counterparty;         /* a top-level "counterparty" object (search --batch --store) */
};

/* 1 when the record carries the top-level "counterparty" object that `search --batch
 * --store` writes (its case is a counterparty's, not a deal's). */
int tts_record_is_counterparty(const tts_record *rec);

/* Names of enum values exactly as the record format spells them. */
const char *tts_model_kind_name(tts_kind k);
const char *tts_model_party_type_name(tts_party_type t);
const char *tts_model_relation_type_name(tts_relation_type t);
const char *tts_model_form_name(tts_form f);
const char *tts_model_classified_name(tts_classified c); /* NULL for ABSENT */
const char *tts_model_affil_kind_name(tts_affil_kind k); /* NULL for ABSENT */
const char *tts_model_regime_name(tts_regime r);
const char *tts_model_level_name(tts_level l);
const char *tts_model_end_use_name(tts_end_use u); /* NULL for ABSENT */

/* Parse an enum value from its record-format spelling; -1 when unknown. */
int tts_model_kind_parse(const char *s);
int tts_model_party_type_parse(const char *s);
int tts_model_relation_type_parse(const char *s);
int tts_model_form_parse(const char *s);
int tts_model_classified_parse(const char *s);
int tts_model_affil_kind_parse(const char *s);
int tts_model_regime_parse(const char *s);
int tts_model_level_parse(const char *s);
int tts_model_end_use_parse(const char *s);

/* Comma-separated list of the accepted spellings, for error messages. */
const char *tts_model_kind_choices(void);
const char *tts_model_party_type_choices(void);
const char *tts_model_relation_type_choices(void);
const char *tts_model_form_choices(void);
const char *tts_model_classified_choices(void);
const char *tts_model_affil_kind_choices(void);
const char *tts_model_regime_choices(void);
const char *tts_model_level_choices(void);
const char *tts_model_end_use_choices(void);

/* FEFTA designated-business category of party.business_sectors: index, or -1. */
int tts_model_sector_parse(const char *s);
const char *tts_model_sector_choices(void);
/* Authority of a transfer's `informed` notice (METI, BIS): index, or -1. */
int tts_model_authority_parse(const char *s);
const char *tts_model_authority_choices(void);

/* 1 when s is an assigned ISO 3166-1 alpha-2 code (upper case). */
int tts_country_is_valid(const char *s);

#endif
