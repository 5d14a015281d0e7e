/* SPDX-License-Identifier: MIT */
/*
 * Partnership records: JSON text -> the typed model of model.h. This is the
 * only module that uses jansson. Validation follows the record contract
 * field by field; the first violation becomes one line naming the file,
 * the line for JSON Lines input, the record id when known, the JSON path
 * and what was expected. All model memory lives in the record's arena;
 * the jansson tree is freed before tts_record_parse returns.
 */
#include "record/record_int.h"
#include "record/record_jansson.h"

#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"
#include "record/canon.h"
#include "record/fastjson.h"
#include "record/model.h"
#include "sign/ossl.h"

#define RECORD_FORMAT "ttscreen-record/1"

/* Per-parse state: where we are (path), what we are building, error sink. */
typedef struct ctx {
    tts_record *rec;
    tts_arena *a;
    const char *source;
    long line;          /* >0: JSON Lines input, line of this record */
    const char *rec_id; /* valid record id once known */
    tts_buf path;
    tts_error *err;
    tts_status rc;
    /* unknown-field paths, collected then copied to the arena */
    const char **unknown;
    size_t n_unknown, cap_unknown;
} ctx;

/* An id known in the record, for reference resolution and duplicates. */
typedef struct id_entry {
    const char *id;
    size_t order;       /* document order, for deterministic messages */
    int is_person;
    void *ptr;
    const char *where;  /* JSON path of the element's id */
} id_entry;

/*
 * jansson reports some allocation failures as syntax errors (a string token
 * it cannot allocate becomes "string or '}' expected"). Its allocations go
 * through this wrapper, which notes any failure, so that the callers of
 * json_loadb can tell "out of memory" from bad input.
 */
static _Thread_local int json_alloc_failed;

static void *json_alloc(size_t n)
{
    void *p = tts_malloc(n);
    if (p == NULL)
        json_alloc_failed = 1;
    return p;
}

/* Parse with jansson; *oom says whether an allocation failed meanwhile. */
static json_t *load_json(const char *data, size_t len, size_t flags, json_error_t *jerr,
                         int *oom)
{
    json_t *v;
    /* a record (duplicate keys refused) through the fast parser first (fastjson.c): it
       builds jansson's tree for the input it is sure of, else jansson decides, its
       messages as they were */
    if (flags == (JSON_REJECT_DUPLICATES | JSON_DECODE_ANY) &&
        (v = tts_json_fast_parse(data, len)) != NULL) {
        *oom = 0;
        return v;
    }
    json_alloc_failed = 0;
    /* jansson leaves the error code byte unset when it cannot allocate its lexer */
    memset(jerr, 0, sizeof(*jerr));
    v = json_loadb(data, len, flags, jerr);
    *oom = v == NULL && (json_alloc_failed || json_error_code(jerr) == json_error_out_of_memory);
    return v;
}

json_t *tts_record_jload(const char *data, size_t len, size_t flags, json_error_t *jerr, int *oom)
{
    return load_json(data, len, flags, jerr, oom);
}

void tts_record_global_init(void)
{
    json_set_alloc_funcs(json_alloc, tts_free);
}

int tts_record_id_is_valid(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++) {
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            return 0;
    }
    return n >= 1 && n <= 128;
}

/* Short, printable rendering of an input value for messages. */
static void quote(const char *s, char out[96])
{
    size_t i = 0, o = 0;
    out[o++] = '"';
    while (s[i] != '\0' && o < 80) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) {
            out[o++] = '?';
            i++;
            continue;
        }
        if (c >= 0x80) { /* copy a whole UTF-8 sequence or stop */
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
            if (o + len >= 80)
                break;
            for (size_t k = 0; k < len && s[i] != '\0'; k++)
                out[o++] = s[i++];
            continue;
        }
        out[o++] = s[i++];
    }
    if (s[i] != '\0') {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o++] = '"';
    out[o] = '\0';
}

/* "an object", "a string", ...: a JSON value's type for messages (record_jansson.h). */
const char *tts_record_json_type(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    case JSON_NULL: return "null";
    }
    return "a value";
}

/* Record the first error, prefixed with file, line, record id and path. */
__attribute__((format(printf, 3, 4))) static tts_status fail(ctx *c, tts_status st,
                                                             const char *fmt, ...)
{
    char msg[384];
    char line[32] = "";
    char rid[160] = "";
    va_list ap;
    if (c->rc != TTS_OK)
        return c->rc;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (c->line > 0)
        snprintf(line, sizeof(line), ":%ld", c->line);
    if (c->rec_id != NULL)
        snprintf(rid, sizeof(rid), "record \"%s\": ", c->rec_id);
    c->rc = st;
    if (tts_buf_failed(&c->path))
        st = TTS_ERR_NOMEM;
    if (st == TTS_ERR_NOMEM) {
        c->rc = TTS_ERR_NOMEM;
        tts_err_set(c->err, TTS_ERR_NOMEM, "%s%s: out of memory", c->source, line);
        return TTS_ERR_NOMEM;
    }
    tts_err_set(c->err, st, "%s%s: %s%s: %s", c->source, line, rid,
                c->path.data != NULL ? c->path.data : "$", msg);
    tts_err_locate(c->err, c->source, (int)(c->line > 0 ? c->line : 0), 0);
    return st;
}

static tts_status nomem(ctx *c)
{
    fail(c, TTS_ERR_NOMEM, "out of memory");
    return TTS_ERR_NOMEM;
}

/* Path stack: push returns the length to restore with pop. */
static size_t push_key(ctx *c, const char *key)
{
    size_t old = c->path.len;
    tts_buf_putc(&c->path, '.');
    tts_buf_puts(&c->path, key);
    return old;
}

static size_t push_index(ctx *c, size_t i)
{
    size_t old = c->path.len;
    tts_buf_putc(&c->path, '[');
    tts_buf_put_uint(&c->path, i);
    tts_buf_putc(&c->path, ']');
    return old;
}

static void pop(ctx *c, size_t old)
{
    c->path.len = old;
    if (c->path.data != NULL)
        c->path.data[old] = '\0';
}

/* Copy the current path into the arena (for later messages). */
static const char *path_dup(ctx *c)
{
    const char *p = tts_arena_strdup(c->a, c->path.data != NULL ? c->path.data : "$");
    if (p == NULL)
        nomem(c);
    return p;
}

/*
 * Near misses. A key that is not a field of its object but is within edit
 * distance 2 of one is an input error, because a misspelt field is dropped
 * and the verdict changes with it ("state-funded" loses a finding, a
 * transfer's "license" makes it look unlicensed). Before measuring, the key
 * is folded: ASCII lower case, '-' and ' ' read as '_', and the U.S.
 * spellings license, organization, authorization and defense read as the
 * British ones the format uses. A candidate must keep at least one of the
 * field's characters (distance below the field's length), so a producer's
 * "zz" is not taken for "id".
 */
#define NEAR_MAX 2      /* the contract's bound on the edit distance */
#define NEAR_KEY_MAX 64 /* longer keys cannot be near any field name */

static int fold_char(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return ch - 'A' + 'a';
    return ch == '-' || ch == ' ' ? '_' : ch;
}

/*
 * Levenshtein distance between a and b (b at most NEAR_KEY_MAX bytes),
 * comparing ASCII letters without regard to case; a may be of any length.
 */
static size_t edit_distance(const char *a, const char *b)
{
    size_t row[NEAR_KEY_MAX + 1];
    size_t nb = strlen(b);
    if (nb > NEAR_KEY_MAX)
        return (size_t)-1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 0; a[i] != '\0'; i++) {
        size_t diag = row[0]; /* row[j-1] of the previous line */
        row[0] = i + 1;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best =
                diag + (fold_char((unsigned char)a[i]) != fold_char((unsigned char)b[j - 1]));
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

/* U.S. spellings and the British ones of the format (same length each). */
static const char *const us_spellings[][2] = {
    {"licens", "licenc"}, {"organiz", "organis"}, {"authoriz", "authoris"}, {"defens", "defenc"}};

/* The folded form of key into out (NEAR_KEY_MAX + 1 bytes); 0 when too long. */
static int fold_key(const char *key, char *out)
{
    size_t n = strlen(key);
    if (n > NEAR_KEY_MAX)
        return 0;
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)fold_char((unsigned char)key[i]);
    for (size_t k = 0; k < sizeof(us_spellings) / sizeof(us_spellings[0]); k++) {
        size_t len = strlen(us_spellings[k][0]);
        for (char *p = strstr(out, us_spellings[k][0]); p != NULL;
             p = strstr(p + len, us_spellings[k][0]))
            memcpy(p, us_spellings[k][1], len);
    }
    return 1;
}

/*
 * The field of `names` (NULL-terminated, may be NULL) nearest to the folded
 * key, if it is a near miss and nearer than *best_d: updates *best, *best_d.
 */
static void near_miss(const char *folded, const char *const *names, const char **best,
                      size_t *best_d)
{
    for (const char *const *k = names; k != NULL && *k != NULL; k++) {
        size_t d = edit_distance(folded, *k);
        if (d < *best_d && d < strlen(*k)) {
            *best = *k;
            *best_d = d;
        }
    }
}

/* 1 when key is one of names (NULL-terminated; names may be NULL). */
static int is_one_of(const char *key, const char *const *names)
{
    for (const char *const *k = names; k != NULL && *k != NULL; k++)
        if (strcmp(*k, key) == 0)
            return 1;
    return 0;
}

static tts_status add_unknown(ctx *c, const char *key)
{
    size_t old;
    if (!tts_grow(&c->unknown, &c->cap_unknown, c->n_unknown + 1, sizeof(*c->unknown)))
        return nomem(c);
    old = push_key(c, key);
    c->unknown[c->n_unknown] = path_dup(c);
    pop(c, old);
    if (c->unknown[c->n_unknown] == NULL)
        return c->rc;
    c->n_unknown++;
    return TTS_OK;
}

/*
 * Note every key of obj that the loader does not read. `known` are the
 * fields it reads; `unread` (may be NULL) are fields of the contract that
 * it does not read yet: both are kept as unknown fields when written
 * exactly, and a near miss of either is an error naming the field meant.
 */
static tts_status note_unknown(ctx *c, json_t *obj, const char *const *known,
                               const char *const *unread)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        char folded[NEAR_KEY_MAX + 1];
        const char *meant = NULL;
        size_t d = NEAR_MAX + 1;
        (void)v;
        if (is_one_of(key, known))
            continue;
        if (!is_one_of(key, unread) && fold_key(key, folded)) {
            near_miss(folded, known, &meant, &d);
            near_miss(folded, unread, &meant, &d);
        }
        if (meant != NULL) {
            size_t old = push_key(c, key);
            fail(c, TTS_ERR_JSON, "unknown field; did you mean \"%s\"?", meant);
            pop(c, old);
            return c->rc;
        }
        if (add_unknown(c, key) != TTS_OK)
            return c->rc;
    }
    return TTS_OK;
}

/*
 * Field getters. Each looks up `key` in obj; a missing optional field
 * leaves the output untouched and returns TTS_OK; a missing required field
 * or a wrong type is an error naming the field's path.
 */
static tts_status missing(ctx *c, const char *key)
{
    size_t old = push_key(c, key);
    tts_status rc = fail(c, TTS_ERR_JSON, "missing required field");
    pop(c, old);
    return rc;
}

static tts_status wrong_type(ctx *c, const char *key, const json_t *v, const char *want)
{
    size_t old = key != NULL ? push_key(c, key) : c->path.len;
    tts_status rc = fail(c, TTS_ERR_JSON, "expected %s, found %s", want, tts_record_json_type(v));
    pop(c, old);
    return rc;
}

static tts_status check_string(ctx *c, const json_t *v, const char **out)
{
    size_t len = json_string_length(v);
    if (len > TTS_STRING_MAX_BYTES)
        return fail(c, TTS_ERR_LIMIT, "string of %zu bytes exceeds the limit of %d bytes", len,
                    TTS_STRING_MAX_BYTES);
    *out = tts_arena_strndup(c->a, json_string_value(v), len);
    return *out != NULL ? TTS_OK : nomem(c);
}

static tts_status get_string(ctx *c, json_t *obj, const char *key, int required,
                             const char **out)
{
    json_t *v = json_object_get(obj, key);
    size_t old;
    tts_status rc;
    if (v == NULL)
        return required ? missing(c, key) : TTS_OK;
    if (!json_is_string(v))
        return wrong_type(c, key, v, "a string");
    old = push_key(c, key);
    rc = check_string(c, v, out);
    if (rc == TTS_OK && *out == NULL)
        rc = nomem(c);
    if (rc == TTS_OK && required && (*out)[0] == '\0')
        rc = fail(c, TTS_ERR_JSON, "must not be empty");
    pop(c, old);
    return rc;
}

static tts_status get_bool(ctx *c, json_t *obj, const char *key, tts_tri *out)
{
    json_t *v = json_object_get(obj, key);
    *out = TTS_TRI_ABSENT;
    if (v == NULL)
        return TTS_OK;
    if (!json_is_boolean(v))
        return wrong_type(c, key, v, "a boolean");
    *out = json_is_true(v) ? TTS_TRI_TRUE : TTS_TRI_FALSE;
    return TTS_OK;
}

static tts_status get_number(ctx *c, json_t *obj, const char *key, int *has, double *out)
{
    json_t *v = json_object_get(obj, key);
    *has = 0;
    if (v == NULL)
        return TTS_OK;
    if (!json_is_number(v))
        return wrong_type(c, key, v, "a number");
    *has = 1;
    *out = json_number_value(v);
    return TTS_OK;
}

static tts_status get_date(ctx *c, json_t *obj, const char *key, tts_date *out)
{
    const char *s = NULL;
    char q[96];
    size_t old;
    tts_status rc = get_string(c, obj, key, 0, &s);
    if (rc != TTS_OK || s == NULL)
        return rc;
    if (tts_date_parse(s, out))
        return TTS_OK;
    quote(s, q);
    old = push_key(c, key);
    rc = fail(c, TTS_ERR_JSON, "invalid date %s (expected a real calendar date YYYY-MM-DD)", q);
    pop(c, old);
    return rc;
}

static tts_status check_country(ctx *c, const char *s, tts_country out)
{
    char q[96];
    if (tts_country_is_valid(s)) {
        memcpy(out, s, 3);
        return TTS_OK;
    }
    quote(s, q);
    return fail(c, TTS_ERR_JSON,
                "invalid country code %s (expected an assigned ISO 3166-1 alpha-2 code in upper case, e.g. \"JP\")",
                q);
}

static tts_status get_country(ctx *c, json_t *obj, const char *key, int required,
                              tts_country out)
{
    const char *s = NULL;
    size_t old;
    tts_status rc = get_string(c, obj, key, required, &s);
    out[0] = '\0';
    if (rc != TTS_OK || s == NULL)
        return rc;
    old = push_key(c, key);
    rc = check_country(c, s, out);
    pop(c, old);
    return rc;
}

typedef int (*enum_parse_fn)(const char *s);

static tts_status get_enum(ctx *c, json_t *obj, const char *key, int required,
                           enum_parse_fn parse, const char *choices, int *out)
{
    const char *s = NULL;
    char q[96];
    size_t old;
    tts_status rc = get_string(c, obj, key, required, &s);
    if (rc != TTS_OK || s == NULL)
        return rc;
    *out = parse(s);
    if (*out >= 0)
        return TTS_OK;
    quote(s, q);
    old = push_key(c, key);
    rc = fail(c, TTS_ERR_JSON, "unknown value %s (expected one of: %s)", q, choices);
    pop(c, old);
    return rc;
}

/* Array field: *out is NULL when absent (optional). */
static tts_status get_array(ctx *c, json_t *obj, const char *key, int required, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL)
        return required ? missing(c, key) : TTS_OK;
    if (!json_is_array(v))
        return wrong_type(c, key, v, "an array");
    *out = v;
    return TTS_OK;
}

static tts_status get_object(ctx *c, json_t *obj, const char *key, json_t **out)
{
    json_t *v = json_object_get(obj, key);
    *out = NULL;
    if (v == NULL)
        return TTS_OK;
    if (!json_is_object(v))
        return wrong_type(c, key, v, "an object");
    *out = v;
    return TTS_OK;
}

/* Array of non-empty strings into an arena array. */
static tts_status get_string_array(ctx *c, json_t *obj, const char *key, const char ***out,
                                   size_t *n)
{
    json_t *arr, *v;
    size_t i, old, old2;
    tts_status rc = get_array(c, obj, key, 0, &arr);
    *n = 0;
    if (rc != TTS_OK || arr == NULL)
        return rc;
    *out = tts_arena_calloc(c->a, json_array_size(arr) + 1, sizeof(char *));
    if (*out == NULL)
        return nomem(c);
    old = push_key(c, key);
    json_array_foreach(arr, i, v) {
        old2 = push_index(c, i);
        if (!json_is_string(v))
            rc = fail(c, TTS_ERR_JSON, "expected a string, found %s", tts_record_json_type(v));
        else
            rc = check_string(c, v, &(*out)[i]);
        pop(c, old2);
        if (rc != TTS_OK)
            break;
    }
    pop(c, old);
    *n = json_array_size(arr);
    return rc;
}

/* Each element of an array must be an object: message names its index. */
static tts_status expect_object_elem(ctx *c, json_t *v)
{
    if (json_is_object(v))
        return TTS_OK;
    return fail(c, TTS_ERR_JSON, "expected an object, found %s", tts_record_json_type(v));
}

/* Id tables: sorted arrays searched with bsearch. */
typedef struct id_table {
    id_entry *items;
    size_t n;
} id_table;

static int cmp_entry_id(const void *pa, const void *pb)
{
    const id_entry *a = pa, *b = pb;
    int r = strcmp(a->id, b->id);
    if (r != 0)
        return r;
    return a->order < b->order ? -1 : a->order > b->order;
}

/*
 * Sort the table and reject duplicates; of all duplicated ids, the one
 * whose second occurrence comes first in the document is reported.
 */
static tts_status sort_ids(ctx *c, id_table *t)
{
    const id_entry *dup = NULL, *first = NULL;
    char q[96];
    qsort(t->items, t->n, sizeof(id_entry), cmp_entry_id);
    for (size_t i = 1; i < t->n; i++) {
        if (strcmp(t->items[i].id, t->items[i - 1].id) != 0)
            continue;
        /* items[i-1] is the earliest of this run only if it starts the run */
        size_t s = i - 1;
        while (s > 0 && strcmp(t->items[s - 1].id, t->items[i].id) == 0)
            s--;
        if (dup == NULL || t->items[i].order < dup->order) {
            dup = &t->items[i];
            first = &t->items[s];
        }
    }
    if (dup == NULL)
        return TTS_OK;
    quote(dup->id, q);
    pop(c, 0);
    tts_buf_puts(&c->path, dup->where);
    return fail(c, TTS_ERR_JSON, "duplicate id %s (already used at %s)", q, first->where);
}

static id_entry *find_id(const id_table *t, const char *id)
{
    size_t lo = 0, hi = t->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(t->items[mid].id, id);
        if (r == 0)
            return &t->items[mid];
        if (r < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

typedef struct tables {
    id_table actors; /* parties and people share one namespace */
    id_table techs;
} tables;

/* Resolve a required or optional reference field to a party (or person). */
static tts_status resolve(ctx *c, const tables *t, json_t *obj, const char *key, int required,
                          int allow_person, tts_party **party, tts_person **person)
{
    const char *id = NULL;
    id_entry *e;
    char q[96];
    size_t old;
    tts_status rc = get_string(c, obj, key, required, &id);
    if (party != NULL)
        *party = NULL;
    if (person != NULL)
        *person = NULL;
    if (rc != TTS_OK || id == NULL)
        return rc;
    e = find_id(&t->actors, id);
    if (e != NULL && (!e->is_person || allow_person)) {
        if (e->is_person)
            *person = e->ptr;
        else
            *party = e->ptr;
        return TTS_OK;
    }
    quote(id, q);
    old = push_key(c, key);
    if (e != NULL)
        rc = fail(c, TTS_ERR_JSON, "%s is a person; a party id is expected here", q);
    else
        rc = fail(c, TTS_ERR_JSON, "no party with id %s", q);
    pop(c, old);
    return rc;
}

static tts_status resolve_tech(ctx *c, const tables *t, const char *id, tts_technology **out)
{
    id_entry *e = find_id(&t->techs, id);
    char q[96];
    if (e != NULL) {
        *out = e->ptr;
        return TTS_OK;
    }
    quote(id, q);
    return fail(c, TTS_ERR_JSON, "no technology with id %s", q);
}

static const char *const party_keys[] = {"id",           "name",    "aliases",     "country",
                                         "type",         "state_owned", "state_funded",
                                         "address",      "identifiers", "listed",
                                         "business_sectors", "foreign_ownership_percent", NULL};

/* Every business sector must be a FEFTA designated-business category (model.c). */
static tts_status check_sectors(ctx *c, const tts_party *p)
{
    char q[96];
    size_t old, old2;
    for (size_t i = 0; i < p->n_business_sectors; i++) {
        if (tts_model_sector_parse(p->business_sectors[i]) >= 0)
            continue;
        quote(p->business_sectors[i], q);
        old = push_key(c, "business_sectors");
        old2 = push_index(c, i);
        fail(c, TTS_ERR_JSON, "unknown value %s (expected one of: %s)", q,
             tts_model_sector_choices());
        pop(c, old2);
        pop(c, old);
        return c->rc;
    }
    return TTS_OK;
}

static void format_number(double v, char out[32]);

/* listed, business_sectors and foreign_ownership_percent (FEFTA inward investment). */
static tts_status load_party_fdi(ctx *c, json_t *o, tts_party *p)
{
    char num[32];
    size_t old;
    if (get_bool(c, o, "listed", &p->listed) != TTS_OK ||
        get_string_array(c, o, "business_sectors", &p->business_sectors,
                         &p->n_business_sectors) != TTS_OK ||
        check_sectors(c, p) != TTS_OK ||
        get_number(c, o, "foreign_ownership_percent", &p->has_foreign_ownership,
                   &p->foreign_ownership_percent) != TTS_OK)
        return c->rc;
    if (p->has_foreign_ownership &&
        !(p->foreign_ownership_percent >= 0 && p->foreign_ownership_percent <= 100)) {
        format_number(p->foreign_ownership_percent, num);
        old = push_key(c, "foreign_ownership_percent");
        fail(c, TTS_ERR_JSON, "foreign_ownership_percent %s out of range (expected 0-100)", num);
        pop(c, old);
    }
    return c->rc;
}

static tts_status load_party(ctx *c, json_t *o, tts_party *p)
{
    json_t *ids;
    int type = 0;
    const char *key;
    json_t *v;
    size_t i = 0, old;
    if (expect_object_elem(c, o) != TTS_OK || get_string(c, o, "id", 1, &p->id) != TTS_OK ||
        get_string(c, o, "name", 1, &p->name) != TTS_OK ||
        get_string_array(c, o, "aliases", &p->aliases, &p->n_aliases) != TTS_OK ||
        get_country(c, o, "country", 1, p->country) != TTS_OK ||
        get_enum(c, o, "type", 1, tts_model_party_type_parse, tts_model_party_type_choices(),
                 &type) != TTS_OK ||
        get_bool(c, o, "state_owned", &p->state_owned) != TTS_OK ||
        get_bool(c, o, "state_funded", &p->state_funded) != TTS_OK ||
        get_string(c, o, "address", 0, &p->address) != TTS_OK ||
        get_object(c, o, "identifiers", &ids) != TTS_OK || load_party_fdi(c, o, p) != TTS_OK)
        return c->rc;
    p->type = (tts_party_type)type;
    if (ids != NULL) {
        p->identifiers = tts_arena_calloc(c->a, json_object_size(ids) + 1, sizeof(tts_kv));
        if (p->identifiers == NULL)
            return nomem(c);
        old = push_key(c, "identifiers");
        json_object_foreach(ids, key, v) {
            size_t old2 = push_key(c, key);
            if (!json_is_string(v))
                fail(c, TTS_ERR_JSON, "expected a string, found %s", tts_record_json_type(v));
            else if (check_string(c, v, &p->identifiers[i].value) == TTS_OK &&
                     (p->identifiers[i].key = tts_arena_strdup(c->a, key)) == NULL)
                nomem(c);
            pop(c, old2);
            if (c->rc != TTS_OK)
                return c->rc;
            i++;
        }
        pop(c, old);
        p->n_identifiers = i;
    }
    return note_unknown(c, o, party_keys, NULL);
}

/*
 * The shortest text that reads back as v: messages must show the value the
 * input had, and "%g" would print 100.0000001 as "100", which then reads as
 * if 100 were out of range.
 */
static void format_number(double v, char out[32])
{
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(out, 32, "%.*g", prec, v);
        if (strtod(out, NULL) == v)
            return;
    }
}

static tts_status check_percent(ctx *c, double v)
{
    size_t old = push_key(c, "percent");
    tts_status rc = TTS_OK;
    char num[32];
    format_number(v, num);
    if (!(v > 0 && v <= 100))
        rc = fail(c, TTS_ERR_JSON, "percent %s out of range (expected 0 < percent <= 100)", num);
    pop(c, old);
    return rc;
}

static const char *const relation_keys[] = {"from", "to", "type", "percent", NULL};

static tts_status load_relation(ctx *c, const tables *t, json_t *o, tts_relation *r)
{
    int type = 0;
    if (expect_object_elem(c, o) != TTS_OK ||
        resolve(c, t, o, "from", 1, 0, &r->from, NULL) != TTS_OK ||
        resolve(c, t, o, "to", 1, 0, &r->to, NULL) != TTS_OK ||
        get_enum(c, o, "type", 1, tts_model_relation_type_parse,
                 tts_model_relation_type_choices(), &type) != TTS_OK ||
        get_number(c, o, "percent", &r->has_percent, &r->percent) != TTS_OK)
        return c->rc;
    r->type = (tts_relation_type)type;
    if (r->has_percent && check_percent(c, r->percent) != TTS_OK)
        return c->rc;
    if (r->type == TTS_REL_OWNS && !r->has_percent)
        return missing(c, "percent");
    return note_unknown(c, o, relation_keys, NULL);
}

/*
 * Appended Table 1 item: "non-listed"; "16", the catch-all item (not a list
 * item: it takes no sub-items); or a list item 1-15, written without a
 * leading zero, with an optional "の<n>" part and "(...)" sub-items
 * ("2(1)", "5の2", "15(4)").
 */
static int jp_item_is_valid(const char *s)
{
    int n = 0, digits = 0;
    if (strcmp(s, "non-listed") == 0 || strcmp(s, "16") == 0)
        return 1;
    if (*s == '0')
        return 0;
    while (*s >= '0' && *s <= '9' && digits < 3)
        n = n * 10 + (*s++ - '0'), digits++;
    if (digits == 0 || n < 1 || n > 15)
        return 0;
    if (strncmp(s, "\xe3\x81\xae", 3) == 0) { /* "の" followed by a number */
        s += 3;
        if (*s < '0' || *s > '9')
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
    }
    while (*s == '(') {
        s++;
        if (*s == ')')
            return 0;
        while (*s != ')' && *s != '\0' && *s != '(')
            s++;
        if (*s++ != ')')
            return 0;
    }
    return *s == '\0';
}

static int is_lower_alnum(char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'); }

/*
 * A USML category after "USML-": a roman numeral I-XXI, then optional
 * sub-paragraphs of 1-4 lower-case letters or digits in parentheses
 * ("XI", "XI(a)", "XI(a)(3)(i)").
 */
static int usml_is_valid(const char *s)
{
    /* greater numerals first, so that a match is the longest one */
    static const char *const romans[] = {"XXI", "XX",   "XIX", "XVIII", "XVII", "XVI", "XV",
                                         "XIV", "XIII", "XII", "XI",    "X",    "IX",  "VIII",
                                         "VII", "VI",   "V",   "IV",    "III",  "II",  "I"};
    size_t i, len = 0;
    for (i = 0; i < sizeof(romans) / sizeof(romans[0]); i++) {
        len = strlen(romans[i]);
        if (strncmp(s, romans[i], len) == 0)
            break;
    }
    if (i == sizeof(romans) / sizeof(romans[0]))
        return 0;
    for (s += len; *s == '('; s++) {
        size_t n = 0;
        for (s++; is_lower_alnum(*s) && n < 4; s++)
            n++;
        if (n == 0 || *s != ')')
            return 0;
    }
    return *s == '\0';
}

/*
 * U.S. classification: "EAR99"; an ECCN (a digit, a category letter A-E,
 * three digits, then optional dotted sub-paragraphs of lower-case letters
 * or digits: "3A001", "3A001.a.1"); or "USML-" and a category.
 */
static int us_class_is_valid(const char *s)
{
    if (strcmp(s, "EAR99") == 0)
        return 1;
    if (strncmp(s, "USML-", 5) == 0)
        return usml_is_valid(s + 5);
    if (!(s[0] >= '0' && s[0] <= '9') || !(s[1] >= 'A' && s[1] <= 'E'))
        return 0;
    for (int i = 2; i < 5; i++)
        if (!(s[i] >= '0' && s[i] <= '9'))
            return 0;
    for (s += 5; *s == '.';) {
        if (!is_lower_alnum(*++s))
            return 0;
        while (is_lower_alnum(*s))
            s++;
    }
    return *s == '\0';
}

/*
 * The dual-use fields a technology's `fields` may name: the documented
 * vocabulary of docs/record-format.md, which covers every label the shipped
 * rules test (common.rules: dual_use_fields, designated_sector_fields and
 * the `classify fields` table).
 */
static const char *const field_vocabulary[] = {
    "batteries", "semiconductors", "quantum",  "ai",        "5g",       "lasers",
    "sensors",   "composites",     "robotics", "aerospace", "ceramics", "biotech",
    "weapons",   "nuclear",        "space",    NULL};
static const char field_choices[] = "batteries, semiconductors, quantum, ai, 5g, lasers, sensors, "
                                    "composites, robotics, aerospace, ceramics, biotech, weapons, "
                                    "nuclear, space";

/* Length of the common prefix of a and b, ignoring ASCII case. */
static size_t common_prefix(const char *a, const char *b)
{
    size_t n = 0;
    while (a[n] != '\0' && fold_char((unsigned char)a[n]) == fold_char((unsigned char)b[n]))
        n++;
    return n;
}

/*
 * The vocabulary word to suggest for a value that is not in it, or NULL:
 * the nearest by edit distance (ignoring case), when it is near enough to
 * be what was meant (distance 2 or less, or at most half the word, or one
 * starts with the other: "battery", "robot", "biotechnology") and keeps at
 * least one of its characters (so "" or "x" is not taken for "ai").
 */
static const char *field_suggestion(const char *s)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1, n = strlen(s);
    if (n > NEAR_KEY_MAX)
        return NULL;
    for (const char *const *w = field_vocabulary; *w != NULL; w++) {
        size_t d = edit_distance(s, *w), len = strlen(*w), pre = common_prefix(s, *w);
        int near = d <= NEAR_MAX || 2 * d <= len || (pre >= 4 && (pre == len || pre == n));
        if (near && d < len && d < best_d) {
            best = *w;
            best_d = d;
        }
    }
    return best;
}

/* Every element of `fields` must be a word of the vocabulary. */
static tts_status check_fields(ctx *c, const tts_technology *t)
{
    char q[96];
    size_t old, old2;
    for (size_t i = 0; i < t->n_fields; i++) {
        const char *s = t->fields[i], *meant;
        if (is_one_of(s, field_vocabulary))
            continue;
        quote(s, q);
        meant = field_suggestion(s);
        old = push_key(c, "fields");
        old2 = push_index(c, i);
        if (meant != NULL)
            fail(c, TTS_ERR_JSON, "unknown value %s (expected one of: %s); did you mean \"%s\"?", q,
                 field_choices, meant);
        else
            fail(c, TTS_ERR_JSON, "unknown value %s (expected one of: %s)", q, field_choices);
        pop(c, old2);
        pop(c, old);
        return c->rc;
    }
    return TTS_OK;
}

static const char *const tech_keys[] = {"id", "description", "fields", "control", "classified",
                                        NULL};
static const char *const control_keys[] = {"jp", "us", NULL};

/* The control object: form of jp and us, then its unknown fields. */
static tts_status load_control(ctx *c, json_t *ctl, tts_technology *t)
{
    char q[96];
    size_t old;
    if (get_string(c, ctl, "jp", 0, &t->control_jp) != TTS_OK ||
        get_string(c, ctl, "us", 0, &t->control_us) != TTS_OK)
        return c->rc;
    if (t->control_jp != NULL && !jp_item_is_valid(t->control_jp)) {
        quote(t->control_jp, q);
        old = push_key(c, "jp");
        fail(c, TTS_ERR_JSON,
             "invalid Appended Table 1 item %s (expected a list item 1-15 such as \"1\", "
             "\"2(1)\" or \"5の2\", \"16\" for catch-all, or \"non-listed\")",
             q);
        pop(c, old);
        return c->rc;
    }
    if (t->control_us != NULL && !us_class_is_valid(t->control_us)) {
        quote(t->control_us, q);
        old = push_key(c, "us");
        fail(c, TTS_ERR_JSON,
             "invalid U.S. classification %s (expected an ECCN such as \"3A001\" or "
             "\"3A001.a.1\", \"EAR99\", or a USML category I-XXI such as \"USML-XI\" or "
             "\"USML-XI(a)\")",
             q);
        pop(c, old);
        return c->rc;
    }
    return note_unknown(c, ctl, control_keys, NULL);
}

static tts_status load_technology(ctx *c, json_t *o, tts_technology *t)
{
    json_t *ctl;
    int cls = TTS_CLASS_ABSENT;
    size_t old;
    if (expect_object_elem(c, o) != TTS_OK || get_string(c, o, "id", 1, &t->id) != TTS_OK ||
        get_string(c, o, "description", 1, &t->description) != TTS_OK ||
        get_string_array(c, o, "fields", &t->fields, &t->n_fields) != TTS_OK ||
        check_fields(c, t) != TTS_OK || get_object(c, o, "control", &ctl) != TTS_OK ||
        get_enum(c, o, "classified", 0, tts_model_classified_parse, tts_model_classified_choices(),
                 &cls) != TTS_OK)
        return c->rc;
    t->classified = (tts_classified)cls;
    if (ctl != NULL) {
        old = push_key(c, "control");
        load_control(c, ctl, t);
        pop(c, old);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    return note_unknown(c, o, tech_keys, NULL);
}

static const char *const licence_keys[] = {"authority", "number", "expires", "covers", NULL};

static tts_status load_licence(ctx *c, const tables *t, json_t *o, tts_licence *l)
{
    json_t *covers, *v;
    size_t i, old, old2;
    if (get_string(c, o, "authority", 0, &l->authority) != TTS_OK ||
        get_string(c, o, "number", 0, &l->number) != TTS_OK ||
        get_date(c, o, "expires", &l->expires) != TTS_OK ||
        get_array(c, o, "covers", 0, &covers) != TTS_OK)
        return c->rc;
    if (covers != NULL) {
        l->has_covers = 1;
        l->n_covers = json_array_size(covers);
        l->covers = tts_arena_calloc(c->a, l->n_covers + 1, sizeof(tts_party *));
        if (l->covers == NULL)
            return nomem(c);
        old = push_key(c, "covers");
        json_array_foreach(covers, i, v) {
            id_entry *e;
            char q[96];
            old2 = push_index(c, i);
            if (!json_is_string(v)) {
                fail(c, TTS_ERR_JSON, "expected a party id string, found %s", tts_record_json_type(v));
            } else if ((e = find_id(&t->actors, json_string_value(v))) == NULL || e->is_person) {
                quote(json_string_value(v), q);
                fail(c, TTS_ERR_JSON, "no party with id %s", q);
            } else {
                l->covers[i] = e->ptr;
            }
            pop(c, old2);
            if (c->rc != TTS_OK)
                return c->rc;
        }
        pop(c, old);
    }
    return note_unknown(c, o, licence_keys, NULL);
}

static const char *const transfer_keys[] = {"id",   "technology", "from",    "to",
                                            "form", "date",       "location", "licence",
                                            "end_use", "end_user", "informed", NULL};

static const char *const informed_keys[] = {"authority", "date", "reference", NULL};

/*
 * `informed`: a government notice that a licence is required. The record
 * format gives it as an object (authority METI or BIS, date, reference);
 * a bare `true` or `false` says only whether one was received.
 */
static tts_status load_informed(ctx *c, json_t *o, tts_transfer *x)
{
    json_t *v = json_object_get(o, "informed");
    int auth = -1;
    size_t old;
    x->informed = TTS_TRI_ABSENT;
    if (v == NULL)
        return TTS_OK;
    if (json_is_boolean(v)) {
        x->informed = json_is_true(v) ? TTS_TRI_TRUE : TTS_TRI_FALSE;
        return TTS_OK;
    }
    if (!json_is_object(v))
        return wrong_type(c, "informed", v, "an object or a boolean");
    old = push_key(c, "informed");
    if (get_enum(c, v, "authority", 1, tts_model_authority_parse, tts_model_authority_choices(),
                 &auth) == TTS_OK &&
        get_string(c, v, "authority", 1, &x->informed_by) == TTS_OK &&
        get_date(c, v, "date", &x->informed_on) == TTS_OK &&
        get_string(c, v, "reference", 0, &x->informed_ref) == TTS_OK)
        note_unknown(c, v, informed_keys, NULL);
    pop(c, old);
    x->informed = TTS_TRI_TRUE;
    return c->rc;
}

/* end_use, end_user and informed: what the catch-all and end-use rules read. */
static tts_status load_end_use(ctx *c, const tables *t, json_t *o, tts_transfer *x)
{
    int use = TTS_END_USE_ABSENT;
    if (get_enum(c, o, "end_use", 0, tts_model_end_use_parse, tts_model_end_use_choices(),
                 &use) != TTS_OK ||
        resolve(c, t, o, "end_user", 0, 0, &x->end_user, NULL) != TTS_OK)
        return c->rc;
    x->end_use = (tts_end_use)use;
    return load_informed(c, o, x);
}

static tts_status load_transfer(ctx *c, const tables *t, json_t *o, tts_transfer *x)
{
    const char *tech = NULL;
    json_t *lic;
    int form = 0;
    size_t old;
    if (expect_object_elem(c, o) != TTS_OK || get_string(c, o, "id", 0, &x->id) != TTS_OK ||
        get_string(c, o, "technology", 1, &tech) != TTS_OK)
        return c->rc;
    old = push_key(c, "technology");
    resolve_tech(c, t, tech, &x->technology);
    pop(c, old);
    if (c->rc != TTS_OK || resolve(c, t, o, "from", 1, 0, &x->from, NULL) != TTS_OK ||
        resolve(c, t, o, "to", 1, 1, &x->to_party, &x->to_person) != TTS_OK ||
        get_enum(c, o, "form", 1, tts_model_form_parse, tts_model_form_choices(), &form) !=
            TTS_OK ||
        get_date(c, o, "date", &x->date) != TTS_OK ||
        get_country(c, o, "location", 0, x->location) != TTS_OK ||
        get_object(c, o, "licence", &lic) != TTS_OK || load_end_use(c, t, o, x) != TTS_OK)
        return c->rc;
    x->form = (tts_form)form;
    if (lic != NULL) {
        x->licence = tts_arena_calloc(c->a, 1, sizeof(tts_licence));
        if (x->licence == NULL)
            return nomem(c);
        old = push_key(c, "licence");
        load_licence(c, t, lic, x->licence);
        pop(c, old);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    return note_unknown(c, o, transfer_keys, NULL);
}

static const char *const affil_keys[] = {"organisation", "country", "kind",     "since",
                                         "until",        "disclosed", NULL};

static tts_status load_affiliation(ctx *c, json_t *o, tts_affiliation *af)
{
    int kind = TTS_AFFIL_ABSENT;
    if (expect_object_elem(c, o) != TTS_OK ||
        get_string(c, o, "organisation", 0, &af->organisation) != TTS_OK ||
        get_country(c, o, "country", 0, af->country) != TTS_OK ||
        get_enum(c, o, "kind", 0, tts_model_affil_kind_parse, tts_model_affil_kind_choices(),
                 &kind) != TTS_OK ||
        get_date(c, o, "since", &af->since) != TTS_OK ||
        get_date(c, o, "until", &af->until) != TTS_OK ||
        get_bool(c, o, "disclosed", &af->disclosed) != TTS_OK)
        return c->rc;
    af->kind = (tts_affil_kind)kind;
    return note_unknown(c, o, affil_keys, NULL);
}

static const char *const clearance_keys[] = {"regime",  "level",     "granted",
                                             "expires", "held_with", NULL};

static tts_status load_clearance(ctx *c, json_t *o, tts_clearance *cl)
{
    int regime = -1, level = -1;
    if (get_enum(c, o, "regime", 0, tts_model_regime_parse, tts_model_regime_choices(),
                 &regime) != TTS_OK ||
        get_enum(c, o, "level", 0, tts_model_level_parse, tts_model_level_choices(), &level) !=
            TTS_OK ||
        get_date(c, o, "granted", &cl->granted) != TTS_OK ||
        get_date(c, o, "expires", &cl->expires) != TTS_OK)
        return c->rc;
    cl->has_regime = regime >= 0;
    cl->regime = regime >= 0 ? (tts_regime)regime : TTS_REGIME_JP_ESI;
    cl->has_level = level >= 0;
    cl->level = level >= 0 ? (tts_level)level : TTS_LEVEL_CONFIDENTIAL;
    return note_unknown(c, o, clearance_keys, NULL);
}

/* nationality: one country code, or a non-empty array of them. */
static tts_status load_nationality(ctx *c, json_t *o, tts_person *p)
{
    json_t *v = json_object_get(o, "nationality"), *e;
    size_t i, old, old2;
    if (v == NULL)
        return missing(c, "nationality");
    old = push_key(c, "nationality");
    if (json_is_string(v)) {
        p->nationality = tts_arena_calloc(c->a, 1, sizeof(tts_country));
        if (p->nationality == NULL)
            nomem(c);
        else if (check_country(c, json_string_value(v), p->nationality[0]) == TTS_OK)
            p->n_nationality = 1;
    } else if (json_is_array(v) && json_array_size(v) > 0) {
        p->nationality = tts_arena_calloc(c->a, json_array_size(v), sizeof(tts_country));
        if (p->nationality == NULL)
            nomem(c);
        json_array_foreach(v, i, e) {
            if (c->rc != TTS_OK)
                break;
            old2 = push_index(c, i);
            if (!json_is_string(e))
                fail(c, TTS_ERR_JSON, "expected a country code string, found %s", tts_record_json_type(e));
            else
                check_country(c, json_string_value(e), p->nationality[i]);
            pop(c, old2);
        }
        p->n_nationality = json_array_size(v);
    } else if (json_is_array(v)) {
        fail(c, TTS_ERR_JSON, "expected at least one country code, found an empty array");
    } else {
        fail(c, TTS_ERR_JSON, "expected a country code or an array of them, found %s",
             tts_record_json_type(v));
    }
    pop(c, old);
    return c->rc;
}

static const char *const person_keys[] = {"id",           "name",      "nationality",
                                          "residence",    "resident_since", "employer",
                                          "role",         "affiliations",   "clearance",
                                          "access",       NULL};

/* First pass over a person: the fields that do not reference others. */
static tts_status load_person_own(ctx *c, json_t *o, tts_person *p)
{
    json_t *aff, *cl, *v;
    size_t i, old, old2;
    if (expect_object_elem(c, o) != TTS_OK || get_string(c, o, "id", 1, &p->id) != TTS_OK ||
        get_string(c, o, "name", 1, &p->name) != TTS_OK || load_nationality(c, o, p) != TTS_OK ||
        get_country(c, o, "residence", 0, p->residence) != TTS_OK ||
        get_date(c, o, "resident_since", &p->resident_since) != TTS_OK ||
        get_string(c, o, "role", 0, &p->role) != TTS_OK ||
        get_array(c, o, "affiliations", 0, &aff) != TTS_OK ||
        get_object(c, o, "clearance", &cl) != TTS_OK)
        return c->rc;
    if (aff != NULL) {
        p->n_affiliations = json_array_size(aff);
        p->affiliations = tts_arena_calloc(c->a, p->n_affiliations + 1, sizeof(tts_affiliation));
        if (p->affiliations == NULL)
            return nomem(c);
        old = push_key(c, "affiliations");
        json_array_foreach(aff, i, v) {
            old2 = push_index(c, i);
            load_affiliation(c, v, &p->affiliations[i]);
            pop(c, old2);
            if (c->rc != TTS_OK)
                return c->rc;
        }
        pop(c, old);
    }
    if (cl != NULL) {
        p->clearance = tts_arena_calloc(c->a, 1, sizeof(tts_clearance));
        if (p->clearance == NULL)
            return nomem(c);
        old = push_key(c, "clearance");
        load_clearance(c, cl, p->clearance);
        pop(c, old);
    }
    return c->rc;
}

/* Second pass: employer and access, once every id is known. */
static tts_status load_person_refs(ctx *c, const tables *t, json_t *o, tts_person *p)
{
    json_t *acc, *v;
    size_t i, old, old2;
    if (resolve(c, t, o, "employer", 0, 0, &p->employer, NULL) != TTS_OK ||
        get_array(c, o, "access", 0, &acc) != TTS_OK)
        return c->rc;
    if (p->clearance != NULL) { /* the operator the clearance is held with */
        old = push_key(c, "clearance");
        resolve(c, t, json_object_get(o, "clearance"), "held_with", 0, 0,
                &p->clearance->held_with, NULL);
        pop(c, old);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    if (acc != NULL) {
        p->n_access = json_array_size(acc);
        p->access = tts_arena_calloc(c->a, p->n_access + 1, sizeof(tts_technology *));
        if (p->access == NULL)
            return nomem(c);
        old = push_key(c, "access");
        json_array_foreach(acc, i, v) {
            old2 = push_index(c, i);
            if (!json_is_string(v))
                fail(c, TTS_ERR_JSON, "expected a technology id string, found %s",
                     tts_record_json_type(v));
            else
                resolve_tech(c, t, json_string_value(v), &p->access[i]);
            pop(c, old2);
            if (c->rc != TTS_OK)
                return c->rc;
        }
        pop(c, old);
    }
    return note_unknown(c, o, person_keys, NULL);
}

static const char *const funding_keys[] = {"from",    "to",      "amount", "currency",
                                           "purpose", "disclosed", NULL};

static tts_status load_funding(ctx *c, const tables *t, json_t *o, tts_funding *f)
{
    id_entry *e;
    if (expect_object_elem(c, o) != TTS_OK ||
        get_string(c, o, "from", 1, &f->from_name) != TTS_OK)
        return c->rc;
    e = find_id(&t->actors, f->from_name);
    if (e != NULL && !e->is_person)
        f->from_party = e->ptr;
    if (resolve(c, t, o, "to", 1, 1, &f->to_party, &f->to_person) != TTS_OK ||
        get_number(c, o, "amount", &f->has_amount, &f->amount) != TTS_OK ||
        get_string(c, o, "currency", 0, &f->currency) != TTS_OK ||
        get_string(c, o, "purpose", 0, &f->purpose) != TTS_OK ||
        get_bool(c, o, "disclosed", &f->disclosed) != TTS_OK)
        return c->rc;
    if (f->currency != NULL) {
        const char *s = f->currency;
        if (!(strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' &&
              s[2] >= 'A' && s[2] <= 'Z')) {
            char q[96];
            size_t old = push_key(c, "currency");
            quote(s, q);
            fail(c, TTS_ERR_JSON, "invalid currency code %s (expected ISO 4217, e.g. \"JPY\")",
                 q);
            pop(c, old);
            return c->rc;
        }
    }
    if (f->has_amount && f->amount < 0) {
        size_t old = push_key(c, "amount");
        char num[32];
        format_number(f->amount, num);
        fail(c, TTS_ERR_JSON, "amount %s is negative", num);
        pop(c, old);
        return c->rc;
    }
    return note_unknown(c, o, funding_keys, NULL);
}

static const char *const controls_keys[] = {"export_control_program",
                                            "foreign_researcher_register", "as_of", NULL};

static tts_status load_controls(ctx *c, json_t *o, tts_controls *ct)
{
    const char *as_of = NULL;
    ct->present = 1;
    if (get_bool(c, o, "export_control_program", &ct->export_control_program) != TTS_OK ||
        get_bool(c, o, "foreign_researcher_register", &ct->foreign_researcher_register) !=
            TTS_OK ||
        get_date(c, o, "as_of", &ct->as_of) != TTS_OK ||
        get_string(c, o, "as_of", 0, &as_of) != TTS_OK)
        return c->rc;
    c->rec->as_of_text = as_of;
    return note_unknown(c, o, controls_keys, NULL);
}

static tts_status add_id(ctx *c, id_table *t, const char *id, int is_person, void *ptr)
{
    size_t old = push_key(c, "id");
    id_entry *e = &t->items[t->n];
    e->id = id;
    e->order = t->n;
    e->is_person = is_person;
    e->ptr = ptr;
    e->where = path_dup(c);
    pop(c, old);
    if (e->where == NULL)
        return c->rc;
    t->n++;
    return TTS_OK;
}

/* Allocate an arena array for a JSON array's elements. */
static void *alloc_elems(ctx *c, json_t *arr, size_t size, size_t *n)
{
    void *p;
    *n = arr != NULL ? json_array_size(arr) : 0;
    p = tts_arena_calloc(c->a, *n + 1, size);
    if (p == NULL)
        nomem(c);
    return p;
}

static const char *const record_keys[] = {"format",    "id",        "title",        "kind",
                                          "date",      "screened_for", "parties",   "relations",
                                          "technologies", "transfers", "people",    "funding",
                                          "controls",  NULL};

/* Walk the element arrays in dependency order: own fields, ids, references. */
static tts_status load_elements(ctx *c, json_t *root, tables *t)
{
    tts_record *r = c->rec;
    json_t *parties, *rels, *techs, *xfers, *people, *funds, *controls, *v;
    size_t i, old, old2;

    if (get_array(c, root, "parties", 1, &parties) != TTS_OK ||
        get_array(c, root, "relations", 0, &rels) != TTS_OK ||
        get_array(c, root, "technologies", 0, &techs) != TTS_OK ||
        get_array(c, root, "transfers", 0, &xfers) != TTS_OK ||
        get_array(c, root, "people", 0, &people) != TTS_OK ||
        get_array(c, root, "funding", 0, &funds) != TTS_OK ||
        get_object(c, root, "controls", &controls) != TTS_OK)
        return c->rc;
    if (json_array_size(parties) == 0) {
        old = push_key(c, "parties");
        fail(c, TTS_ERR_JSON, "expected at least one party, found an empty array");
        pop(c, old);
        return c->rc;
    }
    if (json_array_size(parties) + (people ? json_array_size(people) : 0) >
        TTS_RECORD_MAX_PARTIES)
        return fail(c, TTS_ERR_LIMIT, "more than %d parties and people in one record",
                    TTS_RECORD_MAX_PARTIES);
    r->parties = alloc_elems(c, parties, sizeof(tts_party), &r->n_parties);
    r->people = alloc_elems(c, people, sizeof(tts_person), &r->n_people);
    r->technologies = alloc_elems(c, techs, sizeof(tts_technology), &r->n_technologies);
    r->relations = alloc_elems(c, rels, sizeof(tts_relation), &r->n_relations);
    r->transfers = alloc_elems(c, xfers, sizeof(tts_transfer), &r->n_transfers);
    r->funding = alloc_elems(c, funds, sizeof(tts_funding), &r->n_funding);
    t->actors.items = alloc_elems(c, NULL, sizeof(id_entry) * (r->n_parties + r->n_people), &i);
    t->techs.items = alloc_elems(c, NULL, sizeof(id_entry) * (r->n_technologies + 1), &i);
    if (c->rc != TTS_OK)
        return c->rc;

    old = push_key(c, "parties");
    json_array_foreach(parties, i, v) {
        old2 = push_index(c, i);
        r->parties[i].index = i;
        if (load_party(c, v, &r->parties[i]) == TTS_OK)
            add_id(c, &t->actors, r->parties[i].id, 0, &r->parties[i]);
        pop(c, old2);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    pop(c, old);
    old = push_key(c, "people");
    json_array_foreach(people, i, v) {
        old2 = push_index(c, i);
        r->people[i].index = i;
        if (load_person_own(c, v, &r->people[i]) == TTS_OK)
            add_id(c, &t->actors, r->people[i].id, 1, &r->people[i]);
        pop(c, old2);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    pop(c, old);
    old = push_key(c, "technologies");
    json_array_foreach(techs, i, v) {
        old2 = push_index(c, i);
        r->technologies[i].index = i;
        if (load_technology(c, v, &r->technologies[i]) == TTS_OK)
            add_id(c, &t->techs, r->technologies[i].id, 0, &r->technologies[i]);
        pop(c, old2);
        if (c->rc != TTS_OK)
            return c->rc;
    }
    pop(c, old);
    if (sort_ids(c, &t->actors) != TTS_OK || sort_ids(c, &t->techs) != TTS_OK)
        return c->rc;

    if (resolve(c, t, root, "screened_for", 1, 0, &r->screened_for, NULL) != TTS_OK)
        return c->rc;

#define EACH(arr, key, stmt)                                                                 \
    do {                                                                                     \
        old = push_key(c, key);                                                              \
        json_array_foreach(arr, i, v) {                                                      \
            old2 = push_index(c, i);                                                         \
            stmt;                                                                            \
            pop(c, old2);                                                                    \
            if (c->rc != TTS_OK)                                                             \
                return c->rc;                                                                \
        }                                                                                    \
        pop(c, old);                                                                         \
    } while (0)

    EACH(people, "people", load_person_refs(c, t, v, &r->people[i]));
    EACH(rels, "relations", (r->relations[i].index = i, load_relation(c, t, v, &r->relations[i])));
    EACH(xfers, "transfers", (r->transfers[i].index = i, load_transfer(c, t, v, &r->transfers[i])));
    EACH(funds, "funding", (r->funding[i].index = i, load_funding(c, t, v, &r->funding[i])));
#undef EACH
    if (controls != NULL) {
        old = push_key(c, "controls");
        load_controls(c, controls, &r->controls);
        pop(c, old);
    }
    return c->rc;
}

static tts_status load_top(ctx *c, json_t *root)
{
    tables t;
    const char *format = NULL;
    json_t *idv;
    int kind = 0;
    char q[96];
    size_t old;

    memset(&t, 0, sizeof(t));
    if (!json_is_object(root))
        return fail(c, TTS_ERR_JSON, "expected a record object, found %s", tts_record_json_type(root));
    idv = json_object_get(root, "id");
    if (idv != NULL && json_is_string(idv) && tts_record_id_is_valid(json_string_value(idv)))
        c->rec_id = json_string_value(idv);
    if (get_string(c, root, "format", 1, &format) != TTS_OK)
        return c->rc;
    if (strcmp(format, RECORD_FORMAT) != 0) {
        quote(format, q);
        old = push_key(c, "format");
        fail(c, TTS_ERR_JSON, "unsupported format %s (expected \"%s\")", q, RECORD_FORMAT);
        pop(c, old);
        return c->rc;
    }
    if (get_string(c, root, "id", 1, &c->rec->id) != TTS_OK)
        return c->rc;
    if (!tts_record_id_is_valid(c->rec->id)) {
        quote(c->rec->id, q);
        old = push_key(c, "id");
        fail(c, TTS_ERR_JSON,
             "invalid record id %s (expected 1-128 characters: letters, digits, '.', '_', '-')",
             q);
        pop(c, old);
        return c->rc;
    }
    c->rec_id = c->rec->id;
    if (get_string(c, root, "title", 0, &c->rec->title) != TTS_OK ||
        get_enum(c, root, "kind", 1, tts_model_kind_parse, tts_model_kind_choices(), &kind) !=
            TTS_OK ||
        get_date(c, root, "date", &c->rec->date) != TTS_OK)
        return c->rc;
    c->rec->kind = (tts_kind)kind;
    if (load_elements(c, root, &t) != TTS_OK)
        return c->rc;
    return note_unknown(c, root, record_keys, NULL);
}

/* Depth of nested arrays/objects, bounded; jansson caps parsing depth too. */
static int too_deep(json_t *v, int depth)
{
    const char *key;
    json_t *e;
    size_t i;
    if (depth > TTS_JSON_MAX_DEPTH)
        return 1;
    if (json_is_object(v)) {
        json_object_foreach(v, key, e) {
            (void)key;
            if (too_deep(e, depth + 1))
                return 1;
        }
    } else if (json_is_array(v)) {
        json_array_foreach(v, i, e) {
            if (too_deep(e, depth + 1))
                return 1;
        }
    }
    return 0;
}

/*
 * Parse JSON text and build a record. `line` > 0 marks JSON Lines input
 * (messages then carry the line); `line_base` is added to jansson's line
 * numbers so syntax errors point into the whole file.
 */
static tts_status parse_record(const char *data, size_t len, const char *source, long line,
                               long line_base, tts_record **out, tts_error *err)
{
    json_error_t jerr;
    json_t *root = NULL;
    ctx c;
    tts_record *rec = NULL;
    tts_buf canon = TTS_BUF_INIT;
    char detail[4 * JSON_ERROR_TEXT_LENGTH];
    int oom = 0;
    tts_status rc = TTS_OK;

    memset(&c, 0, sizeof(c));
    *out = NULL;
    if (len > TTS_RECORD_MAX_BYTES)
        return tts_err_set(err, TTS_ERR_LIMIT,
                           "%s:%ld: record of %zu bytes exceeds the limit of %d bytes", source,
                           line_base + 1, len, TTS_RECORD_MAX_BYTES);
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        return tts_err_set(err, TTS_ERR_JSON,
                           "%s:%ld:1: invalid JSON: byte order mark (U+FEFF) at the start; "
                           "save the file as UTF-8 without BOM",
                           source, line_base + 1);
    root = load_json(data, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr, &oom);
    if (root == NULL) {
        if (oom)
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", source);
        tts_err_printable(jerr.text, strlen(jerr.text), detail, sizeof(detail));
        rc = tts_err_set(err, TTS_ERR_JSON, "%s:%ld:%d: invalid JSON: %s", source,
                         line_base + (jerr.line > 0 ? jerr.line : 1),
                         jerr.column > 0 ? jerr.column : 1,
                         strstr(jerr.text, "JSON_ALLOW_NUL") != NULL
                             ? "NUL character (\\u0000) is not allowed in strings"
                             : detail);
        tts_err_locate(err, source, (int)(line_base + jerr.line), jerr.column);
        return rc;
    }
    rec = tts_calloc(1, sizeof(*rec));
    if (rec == NULL || (rec->arena = tts_arena_new()) == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", source);
        goto out;
    }
    c.rec = rec;
    c.a = rec->arena;
    c.source = source;
    c.line = line;
    c.err = err;
    tts_buf_putc(&c.path, '$');
    rec->controls.export_control_program = TTS_TRI_ABSENT;
    rec->controls.foreign_researcher_register = TTS_TRI_ABSENT;
    if (tts_buf_failed(&c.path)) {
        rc = nomem(&c);
        goto out;
    }
    if (too_deep(root, 1)) {
        rc = fail(&c, TTS_ERR_LIMIT, "JSON nesting deeper than %d levels", TTS_JSON_MAX_DEPTH);
        goto out;
    }
    rc = load_top(&c, root);
    if (rc != TTS_OK)
        goto out;
    rec->counterparty = json_is_object(json_object_get(root, "counterparty"));
    /* the text the record's hash is of, and what is stored: byte for byte jansson's
       compact, sorted dump (canon.c; test_canon compares the two) */
    rec->source = tts_arena_strdup(rec->arena, source);
    if (tts_json_canonical(root, &canon) != 0 && !tts_buf_failed(&canon)) {
        /* not reached: too_deep refused deeper records above */
        rc = fail(&c, TTS_ERR_LIMIT, "JSON nesting deeper than %d levels", TTS_CANON_MAX_DEPTH);
        goto out;
    }
    if (tts_buf_failed(&canon) || rec->source == NULL) {
        rc = nomem(&c);
        goto out;
    }
    rec->canonical_len = canon.len;
    rec->canonical = tts_arena_strndup(rec->arena, canon.data, canon.len);
    /* the record's hash, once: every report and the stored screening name it */
    if (rec->canonical != NULL &&
        (rc = tts_sha256_hex(rec->canonical, rec->canonical_len, rec->sha256, err)) != TTS_OK)
        goto out;
    rec->unknown = tts_arena_calloc(rec->arena, c.n_unknown + 1, sizeof(char *));
    if (rec->canonical == NULL || rec->unknown == NULL) {
        rc = nomem(&c);
        goto out;
    }
    if (c.n_unknown > 0) /* c.unknown is NULL when there are none */
        memcpy(rec->unknown, c.unknown, c.n_unknown * sizeof(char *));
    rec->n_unknown = c.n_unknown;
    *out = rec;
    rec = NULL;
out:
    tts_buf_free(&canon);
    tts_free(c.unknown);
    tts_buf_free(&c.path);
    json_decref(root);
    tts_record_free(rec);
    return rc;
}

tts_status tts_record_parse(const char *data, size_t len, const char *source, tts_record **out,
                            tts_error *err)
{
    return parse_record(data, len, source != NULL ? source : "<input>", 0, 0, out, err);
}

void tts_record_free(tts_record *rec)
{
    if (rec == NULL)
        return;
    tts_arena_free(rec->arena);
    tts_free(rec);
}

const char *tts_record_id(const tts_record *rec) { return rec->id; }
const char *tts_record_title(const tts_record *rec) { return rec->title; }
const char *tts_record_kind(const tts_record *rec) { return tts_model_kind_name(rec->kind); }
const char *tts_record_as_of(const tts_record *rec) { return rec->as_of_text; }

int tts_record_is_counterparty(const tts_record *rec) { return rec->counterparty; }
size_t tts_record_n_unknown(const tts_record *rec) { return rec->n_unknown; }

const char *tts_record_canonical(const tts_record *rec, size_t *len)
{
    if (len != NULL)
        *len = rec->canonical_len;
    return rec->canonical;
}

const char *tts_record_unknown(const tts_record *rec, size_t i)
{
    return i < rec->n_unknown ? rec->unknown[i] : NULL;
}

/*
 * Reader. Input is either one record object (possibly pretty-printed over
 * many lines) or JSON Lines. The first non-blank line decides: if it is an
 * incomplete JSON value, the whole input is one document; otherwise every
 * non-blank line is a record. One line of look-ahead tells a one-record
 * file (messages without a line number) from a batch (with).
 */
struct tts_reader {
    FILE *fp;
    char *source;
    char in[65536];
    size_t pos, len;
    int eof, ioerr;
    long line_no;  /* lines consumed */
    tts_buf cur, look;
    long cur_line, look_line;
    int cur_long, look_long, have_look;
    int started, done;
    int last_nl;   /* the last line read ended with a newline */
    long last_line;
    int skipping; /* tts_reader_skip: find the next record's extent, do not parse it */
    tts_record_text **text; /* tts_reader_next_text: keep the text, parse it later */
};

/* A record's text as read, with what its parse needs to name places (record.h). */
struct tts_record_text {
    char *data;
    size_t len;
    char *source;
    long line, line_base;
};

tts_status tts_reader_open(FILE *fp, const char *source, tts_reader **out, tts_error *err)
{
    tts_reader *rd = tts_calloc(1, sizeof(*rd));
    *out = NULL;
    if (rd == NULL || (rd->source = tts_strdup(source != NULL ? source : "<stdin>")) == NULL) {
        tts_free(rd);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    rd->fp = fp;
    *out = rd;
    return TTS_OK;
}

void tts_reader_free(tts_reader *rd)
{
    if (rd == NULL)
        return;
    tts_buf_free(&rd->cur);
    tts_buf_free(&rd->look);
    tts_free(rd->source);
    tts_free(rd);
}

long tts_reader_line(const tts_reader *rd)
{
    return rd->last_line;
}

static int fill(tts_reader *rd)
{
    if (rd->pos < rd->len)
        return 1;
    if (rd->eof)
        return 0;
    rd->len = fread(rd->in, 1, sizeof(rd->in), rd->fp);
    rd->pos = 0;
    if (rd->len == 0) {
        rd->eof = 1;
        rd->ioerr = ferror(rd->fp) != 0;
        return 0;
    }
    return 1;
}

/* Append one line (without its newline) to b; 0 at end of input. */
static int read_line(tts_reader *rd, tts_buf *b, int *too_long)
{
    int got = 0;
    rd->last_nl = 0;
    while (fill(rd)) {
        char *start = rd->in + rd->pos;
        char *nl = memchr(start, '\n', rd->len - rd->pos);
        size_t n = nl != NULL ? (size_t)(nl - start) : rd->len - rd->pos;
        got = 1;
        if (b->len + n > TTS_RECORD_MAX_BYTES)
            *too_long = 1;
        else
            tts_buf_append(b, start, n);
        rd->pos += n + (nl != NULL);
        if (nl != NULL) {
            rd->last_nl = 1;
            break;
        }
    }
    if (got)
        rd->line_no++;
    return got;
}

static int is_blank(const tts_buf *b)
{
    for (size_t i = 0; i < b->len; i++)
        if (b->data[i] != ' ' && b->data[i] != '\t' && b->data[i] != '\r')
            return 0;
    return 1;
}

/* Next non-blank line into b (reset first); 0 at end of input. */
static int next_nonblank(tts_reader *rd, tts_buf *b, long *line, int *too_long)
{
    *too_long = 0;
    do {
        tts_buf_reset(b);
        if (!read_line(rd, b, too_long))
            return 0;
    } while (is_blank(b) && !*too_long && !tts_buf_failed(b));
    *line = rd->line_no;
    return 1;
}

/*
 * Does this text start a JSON value that the line does not finish? 1 yes,
 * 0 no, -1 out of memory. A leading UTF-8 byte order mark is looked past,
 * so that a pretty-printed file saved with a BOM is still read as one
 * document and rejected with one message (parse_record names the BOM), not
 * as one bad JSON line per line.
 */
static int is_incomplete(const char *data, size_t len)
{
    json_error_t jerr;
    json_t *v;
    int oom = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
        data += 3;
        len -= 3;
    }
    v = load_json(data, len, JSON_DECODE_ANY, &jerr, &oom);
    if (v != NULL) {
        json_decref(v);
        return 0;
    }
    if (oom)
        return -1;
    return json_error_code(&jerr) == json_error_premature_end_of_input;
}

/* 1 when the text is exactly one complete JSON object; -1 when out of memory. */
static int is_object_line(const char *data, size_t len)
{
    json_error_t jerr;
    int oom = 0, obj;
    json_t *v = load_json(data, len, 0, &jerr, &oom);
    if (v == NULL)
        return oom ? -1 : 0;
    obj = json_is_object(v);
    json_decref(v);
    return obj;
}

static tts_status io_error(tts_reader *rd, tts_error *err)
{
    rd->done = 1;
    return tts_err_set(err, TTS_ERR_IO, "%s: read error: %s", rd->source, strerror(errno));
}

/* The end of a step: nothing (skip), the text kept (next_text) or the record parsed. */
static tts_status step_done(tts_reader *rd, const char *data, size_t len, const char *source,
                            long line, long line_base, tts_record **out, tts_error *err)
{
    tts_record_text *t;
    if (rd->skipping)
        return TTS_OK;
    if (rd->text == NULL)
        return parse_record(data, len, source, line, line_base, out, err);
    if ((t = tts_calloc(1, sizeof(*t))) == NULL || (t->source = tts_strdup(source)) == NULL) {
        tts_record_text_free(t);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", source);
    }
    if (data == rd->cur.data) { /* (always) the line buffer is handed over, not copied */
        tts_buf_putc(&rd->cur, '\0');
        t->data = tts_buf_failed(&rd->cur) ? NULL : tts_buf_steal(&rd->cur, NULL);
    } else if ((t->data = tts_malloc(len + 1)) != NULL) {
        memcpy(t->data, data, len);
        t->data[len] = '\0';
    }
    if (t->data == NULL) {
        tts_record_text_free(t);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", source);
    }
    t->len = len;
    t->line = line;
    t->line_base = line_base;
    *rd->text = t;
    return TTS_OK;
}

static tts_status reader_step(tts_reader *rd, tts_record **out, tts_error *err)
{
    int first, incomplete;
    *out = NULL;
    if (rd->done)
        return TTS_ERR_EOF;
    if (rd->have_look) {
        tts_buf tmp = rd->cur;
        rd->cur = rd->look;
        rd->look = tmp;
        rd->cur_line = rd->look_line;
        rd->cur_long = rd->look_long;
        rd->have_look = 0;
    } else if (!next_nonblank(rd, &rd->cur, &rd->cur_line, &rd->cur_long)) {
        if (rd->ioerr)
            return io_error(rd, err);
        rd->done = 1;
        if (rd->started)
            return TTS_ERR_EOF;
        rd->started = 1;
        return tts_err_set(err, TTS_ERR_JSON, "%s: empty input: expected a record object",
                           rd->source);
    }
    if (tts_buf_failed(&rd->cur)) {
        rd->done = 1;
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", rd->source);
    }
    first = !rd->started;
    rd->started = 1;
    rd->last_line = rd->cur_line;
    if (rd->cur_long)
        return tts_err_set(err, TTS_ERR_LIMIT, "%s:%ld: line longer than the limit of %d bytes",
                           rd->source, rd->cur_line, TTS_RECORD_MAX_BYTES);
    incomplete = first ? is_incomplete(rd->cur.data, rd->cur.len) : 0;
    if (incomplete < 0) {
        rd->done = 1;
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", rd->source);
    }
    if (incomplete) {
        /*
         * The first line does not finish a JSON value. If the next non-blank
         * line is a whole record object, this is JSON Lines with a cut-short
         * first line: report that line and go on line by line. Otherwise it
         * is one document over many lines: read the rest of the input,
         * keeping the file's line numbers, so that syntax errors point at a
         * line that exists.
         */
        int too_long = 0, obj = 0;
        rd->have_look = next_nonblank(rd, &rd->look, &rd->look_line, &rd->look_long);
        if (rd->have_look && !rd->look_long &&
            (obj = is_object_line(rd->look.data, rd->look.len)) == 1)
            return step_done(rd, rd->cur.data, rd->cur.len, rd->source, rd->cur_line,
                             rd->cur_line - 1, out, err);
        rd->done = 1;
        if (obj < 0 || tts_buf_failed(&rd->look))
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", rd->source);
        if (rd->have_look) {
            rd->have_look = 0;
            if (rd->look_long)
                return tts_err_set(err, TTS_ERR_LIMIT,
                                   "%s: record larger than the limit of %d bytes", rd->source,
                                   TTS_RECORD_MAX_BYTES);
            for (long k = rd->cur_line; k < rd->look_line; k++)
                tts_buf_putc(&rd->cur, '\n');
            tts_buf_append(&rd->cur, rd->look.data, rd->look.len);
        }
        while (rd->last_nl) {
            tts_buf_putc(&rd->cur, '\n');
            if (!read_line(rd, &rd->cur, &too_long) || too_long)
                break;
        }
        if (rd->ioerr)
            return io_error(rd, err);
        if (tts_buf_failed(&rd->cur))
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", rd->source);
        if (too_long)
            return tts_err_set(err, TTS_ERR_LIMIT, "%s: record larger than the limit of %d bytes",
                               rd->source, TTS_RECORD_MAX_BYTES);
        return step_done(rd, rd->cur.data, rd->cur.len, rd->source, 0, rd->cur_line - 1,
                             out, err);
    }
    if (first) {
        rd->have_look = next_nonblank(rd, &rd->look, &rd->look_line, &rd->look_long);
        if (!rd->have_look) {
            rd->done = 1;
            if (rd->ioerr)
                return io_error(rd, err);
            return step_done(rd, rd->cur.data, rd->cur.len, rd->source, 0, rd->cur_line - 1,
                             out, err);
        }
    }
    return step_done(rd, rd->cur.data, rd->cur.len, rd->source, rd->cur_line,
                             rd->cur_line - 1, out, err);
}

tts_status tts_reader_next(tts_reader *rd, tts_record **out, tts_error *err)
{
    rd->skipping = 0;
    return reader_step(rd, out, err);
}

tts_status tts_reader_next_text(tts_reader *rd, tts_record_text **out, tts_error *err)
{
    tts_record *none = NULL;
    tts_status rc;
    *out = NULL;
    rd->skipping = 0;
    rd->text = out;
    rc = reader_step(rd, &none, err);
    rd->text = NULL;
    if (rc != TTS_OK) {
        tts_record_text_free(*out);
        *out = NULL;
    }
    return rc;
}

tts_status tts_record_text_parse(const tts_record_text *t, tts_record **out, tts_error *err)
{
    *out = NULL;
    return parse_record(t->data, t->len, t->source, t->line, t->line_base, out, err);
}

void tts_record_text_free(tts_record_text *t)
{
    if (t == NULL)
        return;
    tts_free(t->data);
    tts_free(t->source);
    tts_free(t);
}

tts_status tts_reader_skip(tts_reader *rd, tts_error *err)
{
    tts_record *none = NULL;
    tts_status rc;
    rd->skipping = 1;
    rc = reader_step(rd, &none, err);
    rd->skipping = 0;
    return rc;
}

tts_status tts_record_sha256(const tts_record *rec, char out[65], tts_error *err)
{
    size_t len = 0;
    const char *canon;
    if (rec->sha256[0] != '\0') {
        memcpy(out, rec->sha256, sizeof(rec->sha256));
        return TTS_OK;
    }
    canon = tts_record_canonical(rec, &len);
    return tts_sha256_hex(canon, len, out, err);
}

void tts_record_lib_version(char *out, size_t cap)
{
    snprintf(out, cap, "jansson %s", jansson_version_str());
}
