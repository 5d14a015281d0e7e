/* SPDX-License-Identifier: MIT */
/*
 * Types and values of the rule language: naming, compatibility, domains
 * of enumerated string fields, equality, and rendering values as JSON
 * paths, JSON-like evidence text and plain message text.
 */
#include "rules/val.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ttscreen/scan.h"

static const char *const base_names[TTS_T_COUNT] = {
    "unknown",   "null",       "bool",     "number",  "string",      "date",
    "regex",     "list",       "record",   "party",   "person",      "actor",
    "named",     "transfer",  "technology", "relation", "funding", "affiliation", "licence",
    "clearance", "control",    "controls", "match",   "any"};

tts_type tts_type_of(tts_tbase b)
{
    tts_type t = {(unsigned char)b, TTS_T_ERR, TTS_D_NONE};
    return t;
}

tts_type tts_type_list(tts_tbase elem, tts_dom dom)
{
    tts_type t = {TTS_T_LIST, (unsigned char)elem, (unsigned char)dom};
    return t;
}

tts_type tts_type_dom(tts_tbase b, tts_dom dom)
{
    tts_type t = {(unsigned char)b, TTS_T_ERR, (unsigned char)dom};
    return t;
}

const char *tts_tbase_name(tts_tbase b)
{
    return (unsigned)b < TTS_T_COUNT ? base_names[b] : "unknown";
}

tts_tbase tts_tbase_parse(const char *s, size_t len)
{
    for (int i = TTS_T_BOOL; i < TTS_T_COUNT; i++) {
        if (i == TTS_T_REGEX || i == TTS_T_LIST || i == TTS_T_ANY)
            continue;
        if (strlen(base_names[i]) == len && memcmp(base_names[i], s, len) == 0)
            return (tts_tbase)i;
    }
    return TTS_T_ERR;
}

const char *tts_type_name(tts_type t, char *buf, size_t len)
{
    if (t.base == TTS_T_LIST) {
        if (t.elem == TTS_T_ERR)
            snprintf(buf, len, "list");
        else
            snprintf(buf, len, "list of %s", tts_tbase_name((tts_tbase)t.elem));
    } else {
        snprintf(buf, len, "%s", tts_tbase_name((tts_tbase)t.base));
    }
    return buf;
}

int tts_tbase_is_elem(int b) { return b >= TTS_T_RECORD && b <= TTS_T_MATCH; }

static int base_accepts(int want, int have)
{
    if (want == TTS_T_ANY || want == TTS_T_ERR || have == TTS_T_ERR)
        return 1;
    if (want == have)
        return 1;
    if (want == TTS_T_ACTOR && (have == TTS_T_PARTY || have == TTS_T_PERSON))
        return 1;
    if (want == TTS_T_NAMED && (have == TTS_T_PARTY || have == TTS_T_PERSON ||
                                have == TTS_T_ACTOR || have == TTS_T_AFFIL ||
                                have == TTS_T_FUNDING))
        return 1;
    return 0;
}

int tts_type_accepts(tts_type want, tts_type have)
{
    if (have.base == TTS_T_NULL)
        return want.base != TTS_T_REGEX;
    if (!base_accepts(want.base, have.base))
        return 0;
    if (want.base == TTS_T_LIST && have.base == TTS_T_LIST)
        return have.elem == TTS_T_ERR || base_accepts(want.elem, have.elem);
    return 1;
}

static const char *const jp_groups[] = {"A", "B", "C", "D", NULL};
static const char *const actor_types[] = {
    "company", "university", "research-institute", "government", "military", "person", NULL};

static int in_list(const char *const *l, const char *s)
{
    for (; *l != NULL; l++)
        if (strcmp(*l, s) == 0)
            return 1;
    return 0;
}

int tts_dom_accepts(tts_dom dom, const char *s)
{
    switch (dom) {
    case TTS_D_NONE:
        return 1;
    case TTS_D_COUNTRY:
        return tts_country_is_valid(s);
    case TTS_D_KIND:
        return tts_model_kind_parse(s) >= 0;
    case TTS_D_PARTY_TYPE:
        return tts_model_party_type_parse(s) >= 0;
    case TTS_D_REL_TYPE:
        return tts_model_relation_type_parse(s) >= 0;
    case TTS_D_FORM:
        return tts_model_form_parse(s) >= 0;
    case TTS_D_CLASSIFIED:
        return tts_model_classified_parse(s) >= 0;
    case TTS_D_AFFIL_KIND:
        return tts_model_affil_kind_parse(s) >= 0;
    case TTS_D_REGIME:
        return tts_model_regime_parse(s) >= 0;
    case TTS_D_LEVEL:
        return tts_model_level_parse(s) >= 0;
    case TTS_D_ACTOR_TYPE:
        return in_list(actor_types, s);
    case TTS_D_JP_GROUP:
        return in_list(jp_groups, s);
    case TTS_D_END_USE:
        return tts_model_end_use_parse(s) >= 0;
    case TTS_D_SECTOR:
        return tts_model_sector_parse(s) >= 0;
    case TTS_D_AUTHORITY:
        return tts_model_authority_parse(s) >= 0;
    }
    return 1;
}

const char *tts_dom_choices(tts_dom dom)
{
    switch (dom) {
    case TTS_D_NONE:
        return "anything";
    case TTS_D_COUNTRY:
        return "an ISO 3166-1 alpha-2 code in upper case";
    case TTS_D_KIND:
        return tts_model_kind_choices();
    case TTS_D_PARTY_TYPE:
        return tts_model_party_type_choices();
    case TTS_D_REL_TYPE:
        return tts_model_relation_type_choices();
    case TTS_D_FORM:
        return tts_model_form_choices();
    case TTS_D_CLASSIFIED:
        return tts_model_classified_choices();
    case TTS_D_AFFIL_KIND:
        return tts_model_affil_kind_choices();
    case TTS_D_REGIME:
        return tts_model_regime_choices();
    case TTS_D_LEVEL:
        return tts_model_level_choices();
    case TTS_D_ACTOR_TYPE:
        return "company, university, research-institute, government, military, person";
    case TTS_D_JP_GROUP:
        return "A, B, C, D";
    case TTS_D_END_USE:
        return tts_model_end_use_choices();
    case TTS_D_SECTOR:
        return tts_model_sector_choices();
    case TTS_D_AUTHORITY:
        return tts_model_authority_choices();
    }
    return "anything";
}

int tts_val_truthy(const tts_val *v) { return v->k == TTS_T_BOOL && v->b; }

int tts_val_equal(const tts_val *a, const tts_val *b)
{
    if (a->k != b->k)
        return 0;
    switch (a->k) {
    case TTS_T_NULL:
        return 1;
    case TTS_T_BOOL:
        return a->b == b->b;
    case TTS_T_NUM:
        return a->u.n == b->u.n;
    case TTS_T_STR:
        return strcmp(a->u.s, b->u.s) == 0;
    case TTS_T_DATE:
        return tts_date_cmp(a->u.d, b->u.d) == 0;
    case TTS_T_LIST:
        if (a->n != b->n)
            return 0;
        for (size_t i = 0; i < a->n; i++)
            if (!tts_val_equal(&a->u.items[i], &b->u.items[i]))
                return 0;
        return 1;
    default:
        return a->u.p == b->u.p;
    }
}

/* Append "name[i]" without printf (paths are rendered for every evidence line). */
static void put_index(tts_buf *b, const char *name, size_t i)
{
    tts_buf_puts(b, name);
    tts_buf_putc(b, '[');
    tts_buf_put_uint(b, i);
    tts_buf_putc(b, ']');
}

void tts_val_elem_path(tts_buf *b, int k, const void *p, const void *own)
{
    switch (k) {
    case TTS_T_RECORD:
        tts_buf_putc(b, '$');
        break;
    case TTS_T_PARTY:
        put_index(b, "$.parties", ((const tts_party *)p)->index);
        break;
    case TTS_T_PERSON:
        put_index(b, "$.people", ((const tts_person *)p)->index);
        break;
    case TTS_T_TRANSFER:
        put_index(b, "$.transfers", ((const tts_transfer *)p)->index);
        break;
    case TTS_T_TECH:
        put_index(b, "$.technologies", ((const tts_technology *)p)->index);
        break;
    case TTS_T_REL:
        put_index(b, "$.relations", ((const tts_relation *)p)->index);
        break;
    case TTS_T_FUNDING:
        put_index(b, "$.funding", ((const tts_funding *)p)->index);
        break;
    case TTS_T_LICENCE:
        tts_val_elem_path(b, TTS_T_TRANSFER, own, NULL);
        tts_buf_puts(b, ".licence");
        break;
    case TTS_T_CLEARANCE:
        tts_val_elem_path(b, TTS_T_PERSON, own, NULL);
        tts_buf_puts(b, ".clearance");
        break;
    case TTS_T_CONTROL:
        tts_val_elem_path(b, TTS_T_TECH, own, NULL);
        tts_buf_puts(b, ".control");
        break;
    case TTS_T_AFFIL: {
        const tts_person *per = own;
        tts_val_elem_path(b, TTS_T_PERSON, own, NULL);
        put_index(b, ".affiliations", (size_t)((const tts_affiliation *)p - per->affiliations));
        break;
    }
    case TTS_T_CONTROLS:
        tts_buf_puts(b, "$.controls");
        break;
    default:
        break;
    }
}

int tts_val_path(tts_buf *b, const tts_val *v)
{
    if (tts_tbase_is_elem(v->k) && v->k != TTS_T_MATCH) {
        tts_val_elem_path(b, v->k, v->u.p, v->own);
        return 1;
    }
    if (v->pk == 0 || v->pp == NULL)
        return 0;
    tts_val_elem_path(b, v->pk, v->pp, v->pown);
    if (v->pf != NULL) {
        tts_buf_putc(b, '.');
        if (v->pi >= 0)
            put_index(b, v->pf, (size_t)v->pi);
        else
            tts_buf_puts(b, v->pf);
    }
    return 1;
}

static void render_num(tts_buf *b, double n)
{
    if (isfinite(n) && n == floor(n) && fabs(n) < 1e15)
        tts_buf_printf(b, "%.0f", n);
    else
        tts_buf_printf(b, "%.6g", n);
}

/* The id an element is best known by, or NULL. */
static const char *elem_id(const tts_val *v)
{
    switch (v->k) {
    case TTS_T_PARTY:
        return ((const tts_party *)v->u.p)->id;
    case TTS_T_PERSON:
        return ((const tts_person *)v->u.p)->id;
    case TTS_T_TECH:
        return ((const tts_technology *)v->u.p)->id;
    case TTS_T_TRANSFER:
        return ((const tts_transfer *)v->u.p)->id;
    case TTS_T_RECORD:
        return ((const tts_record *)v->u.p)->id;
    case TTS_T_LICENCE:
        return ((const tts_licence *)v->u.p)->number;
    case TTS_T_AFFIL:
        return ((const tts_affiliation *)v->u.p)->organisation;
    case TTS_T_FUNDING:
        return ((const tts_funding *)v->u.p)->from_name;
    case TTS_T_MATCH:
        return ((const tts_match *)v->u.p)->entry_id;
    default:
        return NULL;
    }
}

/* The human name of an element for messages. */
static const char *elem_name(const tts_val *v)
{
    switch (v->k) {
    case TTS_T_PARTY:
        return ((const tts_party *)v->u.p)->name;
    case TTS_T_PERSON:
        return ((const tts_person *)v->u.p)->name;
    case TTS_T_TECH:
        return ((const tts_technology *)v->u.p)->description;
    case TTS_T_RECORD: {
        const tts_record *r = v->u.p;
        return r->title != NULL ? r->title : r->id;
    }
    case TTS_T_MATCH:
        return ((const tts_match *)v->u.p)->name;
    default:
        return elem_id(v);
    }
}

void tts_val_render_json(tts_buf *b, const tts_val *v)
{
    char d[11];
    switch (v->k) {
    case TTS_T_NULL:
        tts_buf_puts(b, "null");
        break;
    case TTS_T_BOOL:
        tts_buf_puts(b, v->b ? "true" : "false");
        break;
    case TTS_T_NUM:
        render_num(b, v->u.n);
        break;
    case TTS_T_STR:
        tts_buf_json_cstr(b, v->u.s);
        break;
    case TTS_T_DATE:
        tts_date_format(v->u.d, d);
        tts_buf_json_cstr(b, d);
        break;
    case TTS_T_REGEX:
        tts_buf_puts(b, "/regex/");
        break;
    case TTS_T_LIST:
        tts_buf_putc(b, '[');
        for (size_t i = 0; i < v->n; i++) {
            if (i > 0)
                tts_buf_putc(b, ',');
            tts_val_render_json(b, &v->u.items[i]);
        }
        tts_buf_putc(b, ']');
        break;
    default: {
        const char *id = elem_id(v);
        if (id != NULL)
            tts_buf_json_cstr(b, id);
        else
            tts_buf_puts(b, "{...}");
    }
    }
}

void tts_val_render_text(tts_buf *b, const tts_val *v)
{
    char d[11];
    switch (v->k) {
    case TTS_T_NULL:
        tts_buf_puts(b, "unknown");
        break;
    case TTS_T_BOOL:
        tts_buf_puts(b, v->b ? "yes" : "no");
        break;
    case TTS_T_NUM:
        render_num(b, v->u.n);
        break;
    case TTS_T_STR:
        tts_buf_puts(b, v->u.s);
        break;
    case TTS_T_DATE:
        tts_date_format(v->u.d, d);
        tts_buf_puts(b, d);
        break;
    case TTS_T_LIST:
        if (v->n == 0)
            tts_buf_puts(b, "none");
        for (size_t i = 0; i < v->n; i++) {
            if (i > 0)
                tts_buf_puts(b, ", ");
            tts_val_render_text(b, &v->u.items[i]);
        }
        break;
    default: {
        const char *name = elem_name(v);
        if (name != NULL) {
            tts_buf_puts(b, name);
        } else {
            tts_val_elem_path(b, v->k, v->u.p, v->own);
        }
    }
    }
}
