/* SPDX-License-Identifier: MIT */
/*
 * The identifier index (see identidx.h): one sorted array of (normalised
 * identifier, entry, identifier as written), its strings in one arena,
 * searched by binary search. Lists write identifiers in many shapes: CSL
 * rows as "Passport, 836238033, KP; Registration ID, C122790", OFAC SDN
 * remarks as "Passport 1084010 (Egypt); NIT # 800146749-7 (Colombia)."; the
 * spans taken from both are every ending run of a field's words, so the
 * value itself, with or without its label, is a whole identifier, and
 * nothing shorter than a word of it is.
 */
#include "lists/match/identidx.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"

#define FIELD_MAX 512 /* longer fields are not identifiers */
#define KEY_MAX 256
#define MAX_WORDS 6   /* ending runs of at most this many words */

typedef struct item {
    const char *key, *matched;
    uint32_t entry;
} item;

typedef struct ient {
    int64_t rowid;
    const char *source, *entry_id;
    uint32_t t0, t1; /* its identifiers of a known scheme: typed[t0..t1) */
} ient;

/* An identifier the list labels with a scheme a record can give (schemes[]). */
typedef struct typed {
    const char *key;     /* normalised value */
    const char *written; /* the value as the list writes it */
    uint8_t scheme;      /* index into schemes[] */
} typed;

/*
 * The record's identifier schemes (docs/record-format.md) that lists label:
 * the labels OFAC's remarks and the CSL `ids` column put before the value
 * ("Legal Entity Number 5299007NTWCC3U23WM81", "D-U-N-S Number, 52-024-2307",
 * "Unified Social Credit Code (USCC) 9111..."), and the value's shape, so
 * that a label used for something else (OFAC also writes national
 * registration numbers of nine digits as "Legal Entity Number") is not
 * taken for the scheme. Shapes: LEI 20 letters and digits (ISO 17442); DUNS
 * nine digits (Dun & Bradstreet); unified social credit code 18 letters and
 * digits (GB 32100-2015); Japanese corporate number 13 digits (National Tax
 * Agency). `per_entity`: the scheme gives a legal entity one number, so a
 * different one says another entity; D&B numbers each business location, so
 * a different DUNS does not.
 */
static const struct {
    const char *scheme;
    const char *labels[3];
    size_t len;
    int digits, per_entity;
} schemes[] = {
    {"lei", {"legal entity number", "lei", NULL}, 20, 0, 1},
    {"duns", {"d-u-n-s number", "duns number", "duns"}, 9, 1, 0},
    {"cn-uscc", {"unified social credit code", "uscc", NULL}, 18, 0, 1},
    {"jp-corporate-number", {"corporate number", NULL, NULL}, 13, 1, 1},
};
#define N_SCHEMES (sizeof(schemes) / sizeof(schemes[0]))

struct tts_identidx {
    tts_arena *arena;
    item *items;
    size_t n, cap;
    ient *ents;
    size_t n_ents, cap_ents;
    typed *typed;
    size_t n_typed, cap_typed;
    size_t bytes;
};

size_t tts_identidx_normalize(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '-' || c == '.' || c == '\t')
            continue;
        if (o + 1 >= cap)
            return 0;
        out[o++] = (char)tolower(c);
    }
    out[o] = '\0';
    return o;
}

/* 1 when w[0..n) starts with word (ASCII case ignored) at a word boundary. */
static int word_at(const char *w, size_t n, const char *word)
{
    size_t k = strlen(word);
    if (n < k)
        return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)w[i]) != word[i])
            return 0;
    return 1;
}

/*
 * Field f[0..n) cleaned into w: parenthesised notes become spaces, the
 * text from " issued " or " expires " on is dropped, and the ends are
 * trimmed of spaces and dots. Returns its length.
 */
static size_t clean_field(const char *f, size_t n, char *w)
{
    size_t o = 0;
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        char c = f[i];
        if (c == '(') {
            depth++;
            c = ' ';
        } else if (c == ')' && depth > 0) {
            depth--;
            c = ' ';
        } else if (depth > 0) {
            continue;
        } else if (c == ' ' && (word_at(f + i, n - i, " issued ") ||
                                word_at(f + i, n - i, " expires "))) {
            break;
        }
        w[o++] = c;
    }
    while (o > 0 && (w[o - 1] == ' ' || w[o - 1] == '.'))
        o--;
    w[o] = '\0';
    return o;
}

/* The ending runs of words of w[0..n). */
static void field_spans(const char *w, size_t n, void (*cb)(void *, const char *, size_t),
                        void *user)
{
    size_t i = n;
    int words = 0;
    while (words < MAX_WORDS) {
        while (i > 0 && w[i - 1] != ' ')
            i--;
        if (i == n)
            break;
        {
            size_t s = i;
            while (s < n && w[s] == ' ')
                s++;
            if (s < n)
                cb(user, w + s, n - s);
        }
        words++;
        while (i > 0 && w[i - 1] == ' ')
            i--;
        if (i == 0)
            break;
    }
}

void tts_identidx_spans(const char *text, void (*cb)(void *user, const char *span, size_t len),
                        void *user)
{
    char w[FIELD_MAX + 1];
    const char *p = text;
    if (text == NULL)
        return;
    while (*p != '\0') {
        size_t n = strcspn(p, ";,");
        const char *f = p;
        while (n > 0 && (*f == ' ' || *f == '\t')) {
            f++;
            n--;
        }
        if (n > 0 && n <= FIELD_MAX) {
            size_t k = clean_field(f, n, w);
            size_t s = 0;
            while (s < k && w[s] == ' ')
                s++;
            field_spans(w + s, k - s, cb, user);
        }
        p += strcspn(p, ";,");
        if (*p != '\0')
            p++;
    }
}

typedef struct build_ctx {
    tts_identidx *x;
    tts_error *err;
    tts_status rc;
    const char *last_source; /* arena copy of the previous row's source name */
} build_ctx;

static int nomem(build_ctx *c)
{
    c->rc = tts_err_set(c->err, TTS_ERR_NOMEM, "out of memory indexing list identifiers");
    return 1;
}

/*
 * Identifiers are numbers, or codes with digits in them; the one common
 * kind without is the SWIFT/BIC code, a single word of 8 or 11 capitals
 * (and digits). Everything else a remark says (names, places, dates
 * written with month names too: "DOB 10 Dec 1948" does have digits) is
 * either kept by this rule at little cost or is no identifier.
 */
static int ident_like(const char *span, size_t len)
{
    int word = 1;
    for (size_t i = 0; i < len; i++) {
        if (isdigit((unsigned char)span[i]))
            return 1;
        if (!isupper((unsigned char)span[i]))
            word = 0;
    }
    return word && (len == 8 || len == 11);
}

static void add_span(void *u, const char *span, size_t len)
{
    build_ctx *c = u;
    tts_identidx *x = c->x;
    char key[KEY_MAX];
    size_t k;
    item *it;
    if (c->rc != TTS_OK || !ident_like(span, len))
        return;
    k = tts_identidx_normalize(span, len, key, sizeof(key));
    if (k < TTS_IDENT_MIN)
        return;
    if (!tts_grow(&x->items, &x->cap, x->n + 1, sizeof(item))) {
        nomem(c);
        return;
    }
    it = &x->items[x->n];
    it->entry = (uint32_t)(x->n_ents - 1);
    it->key = tts_arena_strndup(x->arena, key, k);
    it->matched = tts_arena_strndup(x->arena, span, len);
    if (it->key == NULL || it->matched == NULL) {
        nomem(c);
        return;
    }
    x->bytes += k + len + 2;
    x->n++;
}

/* The index of `scheme` in schemes[], or -1. */
static int scheme_index(const char *scheme)
{
    for (size_t i = 0; scheme != NULL && i < N_SCHEMES; i++)
        if (strcmp(schemes[i].scheme, scheme) == 0)
            return (int)i;
    return -1;
}

/* 1 when key[0..k) has the shape of scheme i's values. */
static int scheme_shape(size_t i, const char *key, size_t k)
{
    if (k != schemes[i].len)
        return 0;
    for (size_t j = 0; j < k; j++)
        if (schemes[i].digits ? !isdigit((unsigned char)key[j])
                              : !isalnum((unsigned char)key[j]))
            return 0;
    return 1;
}

/*
 * The labelled identifier an item of an ids or remarks text (up to ';')
 * starts with, if its label names a scheme and its value has the scheme's
 * shape: the label, then separators (',', ':', spaces, a parenthesised
 * note), then the value up to a space, ',' or '('.
 */
static void add_item(build_ctx *c, const char *it, size_t n)
{
    tts_identidx *x = c->x;
    while (n > 0 && (*it == ' ' || *it == '\t')) {
        it++;
        n--;
    }
    for (size_t i = 0; i < N_SCHEMES; i++)
        for (size_t j = 0; j < 3 && schemes[i].labels[j] != NULL; j++) {
            const char *label = schemes[i].labels[j], *v;
            size_t ll = strlen(label), vl = 0, k;
            char key[KEY_MAX];
            typed *t;
            if (n <= ll || !word_at(it, n, label) || isalnum((unsigned char)it[ll]))
                continue;
            v = it + ll;
            while (v < it + n && (*v == ' ' || *v == ',' || *v == ':' || *v == '(')) {
                if (*v == '(') /* "(USCC)": a note between the label and the value */
                    while (v < it + n && *v != ')')
                        v++;
                v++;
            }
            while (v + vl < it + n && v[vl] != ' ' && v[vl] != ',' && v[vl] != '(')
                vl++;
            k = tts_identidx_normalize(v, vl, key, sizeof(key));
            if (!scheme_shape(i, key, k))
                return;
            if (!tts_grow(&x->typed, &x->cap_typed, x->n_typed + 1, sizeof(typed))) {
                nomem(c);
                return;
            }
            t = &x->typed[x->n_typed];
            t->scheme = (uint8_t)i;
            t->key = tts_arena_strndup(x->arena, key, k);
            t->written = tts_arena_strndup(x->arena, v, vl);
            if (t->key == NULL || t->written == NULL) {
                nomem(c);
                return;
            }
            x->n_typed++;
            x->bytes += k + vl + 2;
            return;
        }
}

static void add_typed(build_ctx *c, const char *text)
{
    for (const char *p = text; p != NULL && *p != '\0' && c->rc == TTS_OK;) {
        size_t n = strcspn(p, ";");
        add_item(c, p, n);
        p += n;
        if (*p == ';')
            p++;
    }
}

static int add_row(void *u, const tts_store_ident *r)
{
    build_ctx *c = u;
    tts_identidx *x = c->x;
    ient *e;
    if (!tts_grow(&x->ents, &x->cap_ents, x->n_ents + 1, sizeof(ient)))
        return nomem(c);
    if (x->n_ents >= UINT32_MAX)
        return nomem(c);
    e = &x->ents[x->n_ents++];
    e->rowid = r->entry;
    if (c->last_source == NULL || strcmp(c->last_source, r->source) != 0)
        c->last_source = tts_arena_strdup(x->arena, r->source);
    e->source = c->last_source;
    e->entry_id = tts_arena_strdup(x->arena, r->entry_id);
    if (e->source == NULL || e->entry_id == NULL)
        return nomem(c);
    x->bytes += strlen(r->entry_id) + 1;
    tts_identidx_spans(r->ids, add_span, c);
    tts_identidx_spans(r->remarks, add_span, c);
    if (x->n_typed >= UINT32_MAX - 1)
        return nomem(c);
    e->t0 = (uint32_t)x->n_typed;
    add_typed(c, r->ids);
    add_typed(c, r->remarks);
    e->t1 = (uint32_t)x->n_typed;
    return c->rc != TTS_OK;
}

static int cmp_item(const void *a, const void *b)
{
    const item *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c != 0)
        return c;
    return x->entry < y->entry ? -1 : x->entry > y->entry;
}

tts_status tts_identidx_build(tts_store *s, tts_identidx **out, tts_error *err)
{
    tts_identidx *x;
    build_ctx c;
    tts_status rc;
    *out = NULL;
    x = tts_calloc(1, sizeof(*x));
    if (x == NULL || (x->arena = tts_arena_new()) == NULL) {
        tts_free(x);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory indexing list identifiers");
    }
    c.x = x;
    c.err = err;
    c.rc = TTS_OK;
    c.last_source = NULL;
    rc = tts_store_idents_each(s, add_row, &c, err);
    if (rc != TTS_OK && c.rc != TTS_OK)
        rc = c.rc;
    if (rc != TTS_OK) {
        tts_identidx_free(x);
        return rc;
    }
    if (x->n > 1)
        qsort(x->items, x->n, sizeof(item), cmp_item);
    x->bytes += x->cap * sizeof(item) + x->cap_ents * sizeof(ient) + x->cap_typed * sizeof(typed);
    *out = x;
    return TTS_OK;
}

void tts_identidx_free(tts_identidx *x)
{
    if (x == NULL)
        return;
    tts_arena_free(x->arena);
    tts_free(x->items);
    tts_free(x->ents);
    tts_free(x->typed);
    tts_free(x);
}

size_t tts_identidx_count(const tts_identidx *x)
{
    return x->n;
}

size_t tts_identidx_memory(const tts_identidx *x)
{
    return x->bytes;
}

size_t tts_identidx_find(const tts_identidx *x, const char *value, size_t *first)
{
    char key[KEY_MAX];
    size_t k = tts_identidx_normalize(value, strlen(value), key, sizeof(key));
    size_t lo = 0, hi = x->n, end;
    *first = 0;
    if (k < TTS_IDENT_MIN)
        return 0;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(x->items[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    end = lo;
    while (end < x->n && strcmp(x->items[end].key, key) == 0)
        end++;
    *first = lo;
    return end - lo;
}

void tts_identidx_get(const tts_identidx *x, size_t i, int64_t *entry, const char **source,
                      const char **entry_id, const char **matched)
{
    const item *it = &x->items[i];
    *entry = x->ents[it->entry].rowid;
    *source = x->ents[it->entry].source;
    *entry_id = x->ents[it->entry].entry_id;
    *matched = it->matched;
}

int tts_identidx_compare(const tts_identidx *x, int64_t entry, const char *scheme,
                         const char *value, const char **listed)
{
    char key[KEY_MAX];
    int si = scheme_index(scheme), differs = 0;
    size_t lo = 0, hi = x->n_ents, k;
    *listed = NULL;
    if (si < 0 || value == NULL)
        return 0;
    k = tts_identidx_normalize(value, strlen(value), key, sizeof(key));
    if (!scheme_shape((size_t)si, key, k))
        return 0; /* not a value of the scheme: nothing to compare */
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (x->ents[mid].rowid < entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == x->n_ents || x->ents[lo].rowid != entry)
        return 0;
    for (uint32_t t = x->ents[lo].t0; t < x->ents[lo].t1; t++) {
        const typed *ty = &x->typed[t];
        if (ty->scheme != (uint8_t)si)
            continue;
        if (strcmp(ty->key, key) == 0) {
            *listed = ty->written;
            return 1;
        }
        if (*listed == NULL)
            *listed = ty->written;
        differs = 1;
    }
    return differs && schemes[si].per_entity ? -1 : 0;
}
