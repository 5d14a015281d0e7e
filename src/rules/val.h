/* SPDX-License-Identifier: MIT */
/*
 * Static types and runtime values of the rule language. A type is a base
 * (bool, number, string, date, list, or one of the record's element kinds)
 * plus, for lists, the element base, and for strings an optional value
 * domain (country code, party type, ...) so comparisons against misspelt
 * literals are caught at compile time. A runtime value remembers where in
 * the record it was read (its provenance), so the evaluator can state
 * evidence as "JSON path = value".
 */
#ifndef TTS_VAL_H
#define TTS_VAL_H

#include <stddef.h>

#include "util/buf.h"
#include "record/model.h"

typedef enum tts_tbase {
    TTS_T_ERR = 0, /* unknown (after an error): compatible with everything */
    TTS_T_NULL,
    TTS_T_BOOL,
    TTS_T_NUM,
    TTS_T_STR,
    TTS_T_DATE,
    TTS_T_REGEX,
    TTS_T_LIST,
    TTS_T_RECORD, /* element kinds from here on */
    TTS_T_PARTY,
    TTS_T_PERSON,
    TTS_T_ACTOR, /* static only: a party or a person */
    TTS_T_NAMED, /* static only: anything with a name to screen: a party, a person, an
                    affiliation or a funding flow */
    TTS_T_TRANSFER,
    TTS_T_TECH,
    TTS_T_REL,
    TTS_T_FUNDING,
    TTS_T_AFFIL,
    TTS_T_LICENCE,
    TTS_T_CLEARANCE,
    TTS_T_CONTROL,
    TTS_T_CONTROLS,
    TTS_T_MATCH,
    TTS_T_ANY, /* builtin parameters only: accepts every type */
    TTS_T_COUNT
} tts_tbase;

/* Value domains of string-typed fields. */
typedef enum tts_dom {
    TTS_D_NONE = 0,
    TTS_D_COUNTRY,
    TTS_D_KIND,
    TTS_D_PARTY_TYPE,
    TTS_D_REL_TYPE,
    TTS_D_FORM,
    TTS_D_CLASSIFIED,
    TTS_D_AFFIL_KIND,
    TTS_D_REGIME,
    TTS_D_LEVEL,
    TTS_D_ACTOR_TYPE, /* party types plus "person" */
    TTS_D_JP_GROUP,   /* "A", "B", "C", "D" */
    TTS_D_END_USE,    /* a transfer's end use */
    TTS_D_SECTOR,     /* FEFTA designated-business categories of a party */
    TTS_D_AUTHORITY   /* the authority of a notice that a licence is required */
} tts_dom;

typedef struct tts_type {
    unsigned char base; /* tts_tbase */
    unsigned char elem; /* list element base, TTS_T_ERR when unknown/empty */
    unsigned char dom;  /* tts_dom of a string, or of a list's string elements */
} tts_type;

typedef struct tts_val tts_val;

struct tts_val {
    unsigned char k;  /* tts_tbase of the runtime value (never ACTOR, ANY, ERR) */
    unsigned char pk; /* provenance: base of the element it was read from, 0 = none */
    int b;            /* bool */
    size_t n;         /* list length */
    union {
        double n;
        const char *s;
        tts_date d;
        const void *p;        /* element */
        const tts_val *items; /* list */
        const void *rx;       /* compiled regex */
    } u;
    const void *own;  /* element's owner: licence/control->transfer/technology, affil->person */
    const void *pp;   /* provenance element */
    const void *pown; /* provenance element's owner */
    const char *pf;   /* provenance JSON key (may be "a.b"); NULL: the element itself */
    int pi;           /* index under pf for list items ("aliases[2]"), -1 when none */
};

/* Type constructors and names. */
tts_type tts_type_of(tts_tbase b);
tts_type tts_type_list(tts_tbase elem, tts_dom dom);
tts_type tts_type_dom(tts_tbase b, tts_dom dom);
/* "string", "list of party", ... into buf (static storage when buf is NULL-free). */
const char *tts_type_name(tts_type t, char *buf, size_t len);
/* Name of a base type as written in predicate parameters; NULL when none. */
const char *tts_tbase_name(tts_tbase b);
/* Parse a parameter type name ("party", "string", ...); TTS_T_ERR when unknown. */
tts_tbase tts_tbase_parse(const char *s, size_t len);
/* 1 when a value of type `have` may be used where `want` is expected. */
int tts_type_accepts(tts_type want, tts_type have);
/* 1 when the base is an element (record object) kind. */
int tts_tbase_is_elem(int b);
/* 1 when literal s belongs to domain dom (TTS_D_NONE accepts everything). */
int tts_dom_accepts(tts_dom dom, const char *s);
/* Accepted spellings of a domain, for messages. */
const char *tts_dom_choices(tts_dom dom);

/* Value constructors (inline: the evaluator makes millions of values). */
static inline tts_val tts_val_null(void)
{
    tts_val v = {TTS_T_NULL, 0, 0, 0, {0}, NULL, NULL, NULL, NULL, -1};
    return v;
}

static inline tts_val tts_val_bool(int b)
{
    tts_val v = {TTS_T_BOOL, 0, b != 0, 0, {0}, NULL, NULL, NULL, NULL, -1};
    return v;
}

static inline tts_val tts_val_num(double n)
{
    tts_val v = {TTS_T_NUM, 0, 0, 0, {0}, NULL, NULL, NULL, NULL, -1};
    v.u.n = n;
    return v;
}

static inline tts_val tts_val_str(const char *s)
{
    tts_val v = {TTS_T_STR, 0, 0, 0, {0}, NULL, NULL, NULL, NULL, -1};
    if (s == NULL)
        v.k = TTS_T_NULL;
    v.u.s = s;
    return v;
}

static inline tts_val tts_val_date(tts_date d)
{
    tts_val v = {TTS_T_DATE, 0, 0, 0, {0}, NULL, NULL, NULL, NULL, -1};
    if (d.y == 0)
        v.k = TTS_T_NULL;
    else
        v.u.d = d;
    return v;
}

static inline tts_val tts_val_elem(tts_tbase k, const void *p, const void *own)
{
    tts_val v = {(unsigned char)k, 0, 0, 0, {0}, own, NULL, NULL, NULL, -1};
    if (p == NULL) {
        v.k = TTS_T_NULL;
        v.own = NULL;
    }
    v.u.p = p;
    return v;
}

/* Truth of a boolean value (null is false). */
int tts_val_truthy(const tts_val *v);
/* Structural equality (strings by bytes, elements by identity). */
int tts_val_equal(const tts_val *a, const tts_val *b);
/* JSON path of element (k, p, own) into b; "" for list matches. */
void tts_val_elem_path(tts_buf *b, int k, const void *p, const void *own);
/* JSON path the value was read from; 0 when it has none. */
int tts_val_path(tts_buf *b, const tts_val *v);
/* The value as JSON-like text for evidence: "CN", 12, true, null, "2024-01-01". */
void tts_val_render_json(tts_buf *b, const tts_val *v);
/* The value as plain text for messages: names of elements, lists joined. */
void tts_val_render_text(tts_buf *b, const tts_val *v);

#endif
