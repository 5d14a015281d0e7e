/* SPDX-License-Identifier: MIT */
/*
 * The record schema as the rule language sees it: for each element type
 * (record, party, person, transfer, ...) the fields a rule may read, their
 * static types and how to read them from the typed model (model.h). The
 * type checker resolves `x.name` against this table once, at compile time;
 * the evaluator then reads by field id with no string lookups.
 */
#ifndef TTS_SCHEMA_H
#define TTS_SCHEMA_H

#include "rules/val.h"

typedef struct tts_field {
    unsigned char owner; /* tts_tbase of the element holding the field */
    const char *name;    /* name in the rule language */
    const char *json;    /* JSON key for evidence paths; NULL: the result's own path */
    tts_type type;       /* static type */
    int id;              /* accessor id */
    const char *doc;     /* one line */
} tts_field;

/* Field `name` (len bytes) of element type `owner`, or NULL. */
const tts_field *tts_schema_field(int owner, const char *name, size_t len);
/* Closest field name of `owner` to `name` (for "did you mean"), or NULL. */
const char *tts_schema_suggest(int owner, const char *name, size_t len);
/* Every field, in table order; *n receives the count. */
const tts_field *tts_schema_all(size_t *n);

/*
 * Read field f of element value obj into *out. Lists are built in `arena`
 * (per scan). obj must be an element of f's owner type (or a party/person
 * for actor fields). Returns TTS_ERR_NOMEM or TTS_OK.
 */
int tts_schema_get(const tts_field *f, const tts_val *obj, tts_arena *arena, tts_val *out);

#endif
