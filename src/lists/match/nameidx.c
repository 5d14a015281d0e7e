/* SPDX-License-Identifier: MIT */
/*
 * Candidate index and scoring for normalised names (see nameidx.h for the
 * scoring model). Invariants: dictionary ids are dense (0..n_toks-1); a
 * name's tokens are dictionary ids in name order; postings are built once
 * by tts_nameidx_finish as compressed rows (CSR) and never change after.
 * The per-query scratch arrays are sized to the dictionary and the names
 * and are reset through touched lists, so a query costs what it touches,
 * never the size of the index.
 */
#include "lists/match/nameidx.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lists/match/delidx.h"
#include "util/error.h"
#include "util/mem.h"
#include "lists/match/namescore.h"

/* Ask for the cache line of p ahead of its use (no effect on results). */
#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(p) __builtin_prefetch(p)
#else
#define PREFETCH(p) ((void)(p))
#endif

/* Short local names for the scoring types (namescore.h). */
typedef tts_nsview view;
typedef tts_nstsim tsim;
typedef tts_nscache sim_cache;
typedef tts_nspairing pairing;

#define UB_SLACK 1e-6       /* float accumulation error allowance */
#define CHEAP_POSTINGS 1024 /* query tokens with fewer postings are always scanned */

/* Trigram bucket -> dictionary tokens (CSR). */
typedef struct gram_table {
    uint32_t *start; /* 2^bits + 1 row starts */
    uint32_t *tok;
    uint32_t bits;
} gram_table;

/*
 * What the search reads of a name it touches, in one record of 32 bytes
 * so that a touched name costs one cache line: token range, weight, whole
 * forms with their lengths and folded masks, and its legal form. Record
 * n_names is a sentinel holding the end of the last name's tokens. The
 * entry numbers, needed only for names that are scored, are apart (nent).
 */
typedef struct name_rec {
    uint32_t tok0;   /* first index in name_toks; name i uses [tok0, next record's tok0) */
    uint32_t glued;  /* dictionary id of the glued form (legal forms included) */
    uint32_t joined; /* dictionary id of the tokens joined without spaces */
    uint32_t legal;  /* offset of the legal-form string in pool; 0: none (the empty string) */
    uint32_t w;      /* total token bytes */
    uint16_t jlen;   /* length of the joined form */
    uint16_t glen;   /* length of the glued form */
    uint32_t jm, gm; /* masks of the joined and glued forms, folded (fold_mask) */
} name_rec;

/*
 * A 64-bit byte mask folded to 32 bits (bins i and i + 32 together): a bin
 * present on one side only of two folded masks is one on one side only of
 * the full masks, so the folded difference never overstates the full one.
 * Lower-case letters keep a bin each.
 */
static uint32_t fold_mask(uint64_t m) { return (uint32_t)(m | (m >> 32)); }

/* A dictionary token: its bytes in pool, length, char_mask. */
typedef struct tok_rec {
    uint64_t mask; /* tts_namescore_mask of the token */
    uint32_t off;  /* offset in pool */
    uint16_t len;
    uint16_t used; /* TOK_NAME | TOK_WHOLE, set by tts_nameidx_finish */
} tok_rec;

/* A name token under the hash of its consonant skeleton. */
typedef struct skel_ent {
    uint32_t h, tok;
} skel_ent;

/* Per-query scratch of one name (see accumulate). */
typedef struct name_acc {
    float sum;       /* upper bound of the token score numerator so far */
    float csum;      /* the same from close pairs only (COVER_MIN: the covered score) */
    uint32_t forced; /* bits 0-1 (ACC_MARK): 0 untouched, 1 touched, 2 touched and to be
                      * scored whatever its bound; bits 8-15: last query word that added to
                      * csum, plus 1; bits 16-23: how many query words added to csum */
} name_acc;

#define ACC_MARK 3u
#define ACC_LAST(f) (((f) >> 8) & 0xFFu)
#define ACC_COUNT(f) (((f) >> 16) & 0xFFu)

#define TOK_NAME 1u  /* some name has it as a token (tpost row not empty) */
#define TOK_WHOLE 2u /* some name has it as its joined or glued form (gpost row not empty) */

/*
 * What one search at a time writes: by dictionary token and by name, the
 * marks and accumulators (reset through the touched lists, so a query
 * costs what it touches), the candidate lists kept between queries, and
 * the token cache. The index itself is never written by a search.
 */
struct tts_nameidx_scratch {
    size_t n_toks, n_names; /* of the index it was made for */
    uint16_t *gcnt;
    uint32_t *gtouched;
    name_acc *acc; /* by name: token-score accumulator and touch mark, one cache line access */
    uint32_t *ntouched;
    /* candidate lists of the query tokens and of the whole forms, kept
     * between queries so that a query allocates nothing for them */
    tsim *ql[MAX_QTOK];
    size_t ql_cap[MAX_QTOK];
    tsim *wl[2];
    size_t wl_cap[2];
    /* rest_bound's bounds of one query token against dictionary tokens,
     * valid where bstamp equals the query's bgen */
    double *bmemo;
    uint32_t *bstamp, bgen;
    /* similar tokens of recent query tokens (see tc_get) */
    struct tc_ent *tc;
    int tc_off, tc_fixed; /* kept nothing; slots set by the caller (no growth) */
    size_t tc_slots;      /* a power of two; 0 until the first search */
    size_t tc_since;      /* lookups since the slots were last doubled */
    uint32_t tc_gen;  /* queries so far, for tc_ent.gen */
    size_t tc_bytes;  /* bytes of the lists kept */
    size_t tc_lookups, tc_hits;
};

struct tts_nameidx {
    /* names */
    size_t n_names, cap_names;
    name_rec *nm;
    uint32_t *nent; /* entry number of each name */
    size_t cap_nent;
    uint32_t *name_toks;
    size_t n_name_toks, cap_name_toks;
    /* dictionary */
    tts_buf pool; /* token bytes, NUL-separated; legal strings too */
    tok_rec *tk;
    size_t n_toks, cap_toks;
    uint32_t *hash; /* open addressing: tok id + 1, 0 = empty */
    size_t hash_cap;
    /* postings (after finish) */
    uint32_t *tpost0, *tpost; /* token -> names using it as a token */
    uint32_t *gpost0, *gpost; /* token -> names using it as their joined or glued form */
    tts_delidx *del;          /* deletion neighbourhood of the name tokens */
    gram_table tgram;         /* trigram bucket -> name tokens */
    int finished;
    int in_blob; /* arrays point into blob (a stored index), which owns them */
    void *blob;  /* freed with the index; NULL when the caller keeps the bytes (a mapping) */
    tts_nameidx_scratch *own; /* the scratch of tts_nameidx_search */
    tts_nsapart apart; /* the lengths-and-masks test as a table */
    /* consonant skeletons (tts_namescore_skeleton) of the name tokens, by
     * hash: of all of them, and of those written without vowels; built by
     * finish and adopt from the dictionary, never stored */
    struct skel_ent *skel, *vskel;
    size_t n_skel, n_vskel;
};

static void view_of_nname(const tts_nname *n, view *v)
{
    tts_namescore_view(n->tokens, n->legal, n->glued, v);
}

static void view_of_name(const tts_nameidx *x, uint32_t name, view *v)
{
    uint32_t a = x->nm[name].tok0, b = x->nm[name + 1].tok0;
    v->n = 0;
    v->w = x->nm[name].w;
    for (uint32_t i = a; i < b && v->n < MAX_QTOK; i++) {
        uint32_t t = x->name_toks[i];
        v->s[v->n] = x->pool.data + x->tk[t].off;
        v->l[v->n] = x->tk[t].len;
        v->id[v->n] = t;
        v->mask[v->n] = x->tk[t].mask;
        v->n++;
    }
    v->glued = x->pool.data + x->tk[x->nm[name].glued].off;
    v->glen = x->tk[x->nm[name].glued].len;
    v->joined = x->pool.data + x->tk[x->nm[name].joined].off;
    v->jlen = x->tk[x->nm[name].joined].len;
    v->gmask = x->tk[x->nm[name].glued].mask;
    v->jmask = x->tk[x->nm[name].joined].mask;
    v->legal = x->pool.data + x->nm[name].legal;
}

double tts_nameidx_score_pair(const tts_nname *a, const tts_nname *b)
{
    view va, vb;
    pairing pr;
    view_of_nname(a, &va);
    view_of_nname(b, &vb);
    tts_namescore_score(&va, &vb, NULL, -1.0, &pr);
    return pr.score;
}

double tts_nameidx_score(const tts_nameidx *x, const tts_nname *q, uint32_t name)
{
    view vq, vn;
    pairing pr;
    view_of_nname(q, &vq);
    view_of_name(x, name, &vn);
    tts_namescore_score(&vq, &vn, NULL, -1.0, &pr);
    return pr.score;
}

void tts_nameidx_explain(const tts_nameidx *x, const tts_nname *q, uint32_t name, tts_buf *b)
{
    view vq, vn;
    view_of_nname(q, &vq);
    view_of_name(x, name, &vn);
    tts_namescore_explain(&vq, &vn, b);
}

/* ---- building ------------------------------------------------------- */

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static int grow_names(tts_nameidx *x);
static void tc_free(tts_nameidx_scratch *sc);

tts_nameidx *tts_nameidx_new(void)
{
    tts_nameidx *x = tts_calloc(1, sizeof(*x));
    if (x == NULL)
        return NULL;
    x->hash_cap = 1024;
    x->hash = tts_calloc(x->hash_cap, sizeof(uint32_t));
    if (x->hash == NULL) {
        tts_free(x);
        return NULL;
    }
    tts_buf_putc(&x->pool, '\0'); /* offset 0 is the empty string */
    if (tts_buf_failed(&x->pool) || !grow_names(x)) {
        tts_nameidx_free(x);
        return NULL;
    }
    memset(&x->nm[0], 0, sizeof(name_rec)); /* the sentinel of an empty index */
    return x;
}

void tts_nameidx_free(tts_nameidx *x)
{
    if (x == NULL)
        return;
    if (!x->in_blob) {
        tts_free(x->nm);
        tts_free(x->nent);
        tts_free(x->name_toks);
        tts_buf_free(&x->pool);
        tts_free(x->tk);
        tts_free(x->hash);
        tts_free(x->tpost0);
        tts_free(x->tpost);
        tts_free(x->gpost0);
        tts_free(x->gpost);
        tts_free(x->tgram.start);
        tts_free(x->tgram.tok);
    }
    tts_delidx_free(x->del);
    if (!x->in_blob) {
        tts_free(x->skel);
        tts_free(x->vskel);
    }
    tts_free(x->blob);
    tts_nameidx_scratch_free(x->own);
    tts_free(x);
}

static int rehash(tts_nameidx *x)
{
    size_t nc = x->hash_cap * 2;
    uint32_t *nh = tts_calloc(nc, sizeof(uint32_t));
    if (nh == NULL)
        return 0;
    for (size_t t = 0; t < x->n_toks; t++) {
        size_t h = (size_t)fnv(x->pool.data + x->tk[t].off, x->tk[t].len) & (nc - 1);
        while (nh[h] != 0)
            h = (h + 1) & (nc - 1);
        nh[h] = (uint32_t)t + 1;
    }
    tts_free(x->hash);
    x->hash = nh;
    x->hash_cap = nc;
    return 1;
}

/* Dictionary id of s[0..n), or UINT32_MAX when absent. */
static uint32_t dict_find(const tts_nameidx *x, const char *s, size_t n)
{
    size_t h = (size_t)fnv(s, n) & (x->hash_cap - 1);
    while (x->hash[h] != 0) {
        uint32_t t = x->hash[h] - 1;
        if (x->tk[t].len == n && memcmp(x->pool.data + x->tk[t].off, s, n) == 0)
            return t;
        h = (h + 1) & (x->hash_cap - 1);
    }
    return UINT32_MAX;
}

/* Dictionary id of s[0..n), added when new; UINT32_MAX when out of memory. */
static uint32_t dict_intern(tts_nameidx *x, const char *s, size_t n)
{
    uint32_t t = dict_find(x, s, n);
    size_t h;
    if (t != UINT32_MAX)
        return t;
    if ((x->n_toks + 1) * 2 > x->hash_cap && !rehash(x))
        return UINT32_MAX;
    if (!tts_grow(&x->tk, &x->cap_toks, x->n_toks + 1, sizeof(tok_rec)))
        return UINT32_MAX;
    t = (uint32_t)x->n_toks;
    x->tk[t].off = (uint32_t)x->pool.len;
    x->tk[t].len = (uint16_t)n;
    x->tk[t].mask = tts_namescore_mask(s, n);
    x->tk[t].used = 0;
    tts_buf_append(&x->pool, s, n);
    tts_buf_putc(&x->pool, '\0');
    if (tts_buf_failed(&x->pool))
        return UINT32_MAX;
    x->n_toks++;
    h = (size_t)fnv(s, n) & (x->hash_cap - 1);
    while (x->hash[h] != 0)
        h = (h + 1) & (x->hash_cap - 1);
    x->hash[h] = t + 1;
    return t;
}

static int grow_names(tts_nameidx *x)
{
    return tts_grow(&x->nm, &x->cap_names, x->n_names + 2, sizeof(name_rec)) &&
           tts_grow(&x->nent, &x->cap_nent, x->n_names + 1, sizeof(uint32_t));
}

tts_status tts_nameidx_add(tts_nameidx *x, uint32_t entry, const char *tokens, const char *legal,
                           const char *glued, tts_error *err)
{
    view v;
    uint32_t i, g, j;
    size_t legal_off;
    if (x->finished)
        return tts_err_set(err, TTS_ERR_INTERNAL, "name index already finished");
    if (x->n_names >= UINT32_MAX - 2 || x->pool.len > UINT32_MAX / 2)
        return tts_err_set(err, TTS_ERR_LIMIT, "name index is full");
    tts_namescore_view(tokens, legal, glued, &v);
    if (x->n_name_toks > (size_t)UINT32_MAX - 1 - v.n) /* token offsets are 32-bit */
        return tts_err_set(err, TTS_ERR_LIMIT, "name index is full");
    if (!grow_names(x) ||
        !tts_grow(&x->name_toks, &x->cap_name_toks, x->n_name_toks + v.n, sizeof(uint32_t)))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    i = (uint32_t)x->n_names;
    x->nm[i].tok0 = (uint32_t)x->n_name_toks;
    for (size_t k = 0; k < v.n; k++) {
        uint32_t t = dict_intern(x, v.s[k], v.l[k] > 65535 ? 65535 : v.l[k]);
        if (t == UINT32_MAX)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
        x->name_toks[x->n_name_toks++] = t;
    }
    g = dict_intern(x, v.glued, v.glen > 65535 ? 65535 : v.glen);
    if (v.jlen > MAX_DL_LEN)
        v.jlen = MAX_DL_LEN; /* too long to compare whole anyway */
    j = dict_intern(x, v.joined, v.jlen);
    legal_off = 0; /* the empty string at offset 0 */
    if (!tts_namescore_no_legal(legal)) {
        legal_off = x->pool.len;
        tts_buf_puts(&x->pool, legal);
        tts_buf_putc(&x->pool, '\0');
    }
    if (g == UINT32_MAX || j == UINT32_MAX || tts_buf_failed(&x->pool))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    x->nent[i] = entry;
    x->nm[i].glued = g;
    x->nm[i].joined = j;
    x->nm[i].legal = (uint32_t)legal_off;
    x->nm[i].w = (uint32_t)v.w;
    x->nm[i].jlen = x->tk[j].len;
    x->nm[i].glen = x->tk[g].len;
    x->nm[i].jm = fold_mask(x->tk[j].mask);
    x->nm[i].gm = fold_mask(x->tk[g].mask);
    x->n_names++;
    /* the sentinel: only tok0 means anything, the rest is zero so the stored bytes are defined */
    memset(&x->nm[x->n_names], 0, sizeof(name_rec));
    x->nm[x->n_names].tok0 = (uint32_t)x->n_name_toks;
    return TTS_OK;
}

static uint32_t gram_hash(unsigned a, unsigned b, unsigned c, uint32_t bits)
{
    uint32_t v = (uint32_t)((a << 16) | (b << 8) | c);
    return (uint32_t)((v * 2654435761u) >> (32 - bits));
}

/* Call fn on every padded trigram bucket of token s[0..n). */
#define FOR_GRAMS(s, n, bits, var, body)                                                           \
    do {                                                                                           \
        unsigned g0 = 1, g1 = 1;                                                                   \
        for (size_t gi_ = 0; gi_ < (n) + 2; gi_++) {                                               \
            unsigned g2 = gi_ < (n) ? (unsigned char)(s)[gi_] : 2u;                                \
            uint32_t var = gram_hash(g0, g1, g2, bits);                                            \
            body;                                                                                  \
            g0 = g1;                                                                               \
            g1 = g2;                                                                               \
        }                                                                                          \
    } while (0)

/*
 * Build the token -> names and whole form -> names tables (CSR): count,
 * prefix-sum, fill using the row starts as cursors, then shift the
 * cursors back into row starts.
 */
static tts_status build_postings(tts_nameidx *x, tts_error *err)
{
    x->tpost0 = tts_calloc(x->n_toks + 1, sizeof(uint32_t));
    x->gpost0 = tts_calloc(x->n_toks + 1, sizeof(uint32_t));
    if (x->tpost0 == NULL || x->gpost0 == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t i = 0; i < x->n_names; i++) {
        for (uint32_t k = x->nm[i].tok0; k < x->nm[i + 1].tok0; k++)
            x->tpost0[x->name_toks[k] + 1]++;
        x->gpost0[x->nm[i].joined + 1]++;
        if (x->nm[i].glued != x->nm[i].joined)
            x->gpost0[x->nm[i].glued + 1]++;
    }
    for (size_t t = 0; t < x->n_toks; t++) {
        x->tpost0[t + 1] += x->tpost0[t];
        x->gpost0[t + 1] += x->gpost0[t];
    }
    x->tpost = tts_malloc((x->tpost0[x->n_toks] + 1) * sizeof(uint32_t));
    x->gpost = tts_malloc((x->gpost0[x->n_toks] + 1) * sizeof(uint32_t));
    if (x->tpost == NULL || x->gpost == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t i = 0; i < x->n_names; i++) {
        for (uint32_t k = x->nm[i].tok0; k < x->nm[i + 1].tok0; k++) {
            uint32_t t = x->name_toks[k];
            x->tpost[x->tpost0[t]++] = (uint32_t)i;
        }
        x->gpost[x->gpost0[x->nm[i].joined]++] = (uint32_t)i;
        if (x->nm[i].glued != x->nm[i].joined)
            x->gpost[x->gpost0[x->nm[i].glued]++] = (uint32_t)i;
    }
    memmove(x->tpost0 + 1, x->tpost0, x->n_toks * sizeof(uint32_t));
    memmove(x->gpost0 + 1, x->gpost0, x->n_toks * sizeof(uint32_t));
    x->tpost0[0] = x->gpost0[0] = 0;
    return TTS_OK;
}

/*
 * Padded-trigram postings over the long name tokens (beyond the deletion
 * neighbourhood's reach) that `post0` says are in use.
 */
static tts_status build_grams(tts_nameidx *x, const uint32_t *post0, gram_table *g, tts_error *err)
{
    size_t nb;
    size_t n_long = 0;
    for (size_t t = 0; t < x->n_toks; t++) /* the tokens token_need gives trigrams */
        n_long += x->tk[t].len > DELIDX_MAX2;
    g->bits = 8;
    while (((size_t)1 << g->bits) < n_long * 4 && g->bits < 22)
        g->bits++;
    nb = (size_t)1 << g->bits;
    g->start = tts_calloc(nb + 1, sizeof(uint32_t));
    if (g->start == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t t = 0; t < x->n_toks; t++)
        if (post0[t + 1] > post0[t] && x->tk[t].len > DELIDX_MAX2)
            FOR_GRAMS(x->pool.data + x->tk[t].off, (size_t)x->tk[t].len, g->bits, h,
                      g->start[h + 1]++);
    for (size_t b = 0; b < nb; b++)
        g->start[b + 1] += g->start[b];
    g->tok = tts_malloc((g->start[nb] + 1) * sizeof(uint32_t));
    if (g->tok == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t t = 0; t < x->n_toks; t++)
        if (post0[t + 1] > post0[t] && x->tk[t].len > DELIDX_MAX2)
            FOR_GRAMS(x->pool.data + x->tk[t].off, (size_t)x->tk[t].len, g->bits, h,
                      g->tok[g->start[h]++] = (uint32_t)t);
    memmove(g->start + 1, g->start, nb * sizeof(uint32_t));
    g->start[0] = 0;
    return TTS_OK;
}

/*
 * The deletion neighbourhood of every name token (delidx.h): exact hash
 * lookups find tokens within two edits, which trigram postings either miss
 * on short tokens ("jnoh" / "john") or pay for with long posting lists.
 * Joined forms of names with several tokens (up to DELIDX_MAX1 bytes) join
 * with one edit, for whole-string matches across token boundaries
 * ("ALHARAMANI" / "AL HARAMAIN").
 */
static tts_status build_deletions(tts_nameidx *x, tts_error *err)
{
    size_t keys = 0;
    uint8_t *whole = tts_calloc(x->n_toks + 1, 1);
    if (whole == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    /* Joined forms of names with several tokens (a single token is its own joined form). */
    for (size_t i = 0; i < x->n_names; i++) {
        uint32_t j = x->nm[i].joined;
        if (x->nm[i + 1].tok0 - x->nm[i].tok0 > 1 && x->tpost0[j + 1] == x->tpost0[j] &&
            x->tk[j].len <= DELIDX_MAX1)
            whole[j] = 1;
    }
    for (uint32_t t = 0; t < x->n_toks; t++) {
        if (x->tpost0[t + 1] > x->tpost0[t])
            keys += tts_delidx_keys(x->tk[t].len, 2);
        else if (whole[t])
            keys += tts_delidx_keys(x->tk[t].len, 1);
    }
    x->del = tts_delidx_new(keys);
    if (x->del == NULL) {
        tts_free(whole);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    }
    for (uint32_t t = 0; t < x->n_toks; t++) {
        const char *s = x->pool.data + x->tk[t].off;
        int ok = 1;
        if (x->tpost0[t + 1] > x->tpost0[t])
            ok = tts_delidx_add(x->del, s, x->tk[t].len, 2, t);
        else if (whole[t])
            ok = tts_delidx_add(x->del, s, x->tk[t].len, 1, t); /* whole forms: one edit */
        if (!ok) {
            tts_free(whole);
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
        }
    }
    tts_free(whole);
    return TTS_OK;
}

static uint32_t skel_hash(const char *s, size_t n) { return (uint32_t)(fnv(s, n) >> 32); }

static int cmp_skel(const void *a, const void *b)
{
    const skel_ent *x = a, *y = b;
    return x->h != y->h ? (x->h < y->h ? -1 : 1) : (x->tok < y->tok ? -1 : x->tok > y->tok);
}

/*
 * The skeleton tables: words written without vowels ("mhmd", from Arabic
 * or Hebrew) and the words with the same consonants ("mohamed") are more
 * than two edits apart, so the deletion neighbourhood never pairs them;
 * these tables do (similar_tokens). Derived from the dictionary alone.
 */
static tts_status build_skeletons(tts_nameidx *x, tts_error *err)
{
    size_t n = 0, nv = 0;
    char sk[SKEL_MAX];
    for (size_t pass = 0; pass < 2; pass++) {
        n = nv = 0;
        for (uint32_t t = 0; t < x->n_toks; t++) {
            const char *p = x->pool.data + x->tk[t].off;
            size_t k;
            if (!(x->tk[t].used & TOK_NAME) || x->tk[t].len < 2 || x->tk[t].len > SKEL_MAX ||
                (k = tts_namescore_skeleton(p, x->tk[t].len, sk)) == 0)
                continue;
            if (pass == 1)
                x->skel[n] = (skel_ent){skel_hash(sk, k), t};
            n++;
            if (tts_namescore_vowelless(p, x->tk[t].len)) {
                if (pass == 1)
                    x->vskel[nv] = (skel_ent){skel_hash(sk, k), t};
                nv++;
            }
        }
        if (pass == 0) {
            x->skel = tts_malloc((n > 0 ? n : 1) * sizeof(skel_ent));
            x->vskel = tts_malloc((nv > 0 ? nv : 1) * sizeof(skel_ent));
            if (x->skel == NULL || x->vskel == NULL)
                return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
        }
    }
    qsort(x->skel, n, sizeof(skel_ent), cmp_skel);
    qsort(x->vskel, nv, sizeof(skel_ent), cmp_skel);
    x->n_skel = n;
    x->n_vskel = nv;
    return TTS_OK;
}

/* Mark (gcnt, gtouched) the tokens of table v[0..n) under hash h; returns the new count. */
static size_t mark_skel(tts_nameidx_scratch *sc, const skel_ent *v, size_t n, uint32_t h, size_t nt)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < n && v[lo].h == h; lo++)
        if (sc->gcnt[v[lo].tok] == 0) {
            sc->gcnt[v[lo].tok] = 1;
            sc->gtouched[nt++] = v[lo].tok;
        }
    return nt;
}

tts_nameidx_scratch *tts_nameidx_scratch_new(const tts_nameidx *x)
{
    tts_nameidx_scratch *sc = tts_calloc(1, sizeof(*sc));
    if (sc == NULL)
        return NULL;
    sc->n_toks = x->n_toks;
    sc->n_names = x->n_names;
    sc->gcnt = tts_calloc(x->n_toks + 1, sizeof(uint16_t));
    sc->gtouched = tts_malloc((x->n_toks + 1) * sizeof(uint32_t));
    sc->acc = tts_calloc(x->n_names + 1, sizeof(name_acc));
    sc->ntouched = tts_malloc((x->n_names + 1) * sizeof(uint32_t));
    sc->bmemo = tts_malloc((x->n_toks + 1) * sizeof(double));
    sc->bstamp = tts_calloc(x->n_toks + 1, sizeof(uint32_t));
    if (sc->gcnt == NULL || sc->gtouched == NULL || sc->acc == NULL || sc->ntouched == NULL ||
        sc->bmemo == NULL || sc->bstamp == NULL) {
        tts_nameidx_scratch_free(sc);
        return NULL;
    }
    return sc;
}

void tts_nameidx_scratch_free(tts_nameidx_scratch *sc)
{
    if (sc == NULL)
        return;
    tts_free(sc->gcnt);
    tts_free(sc->gtouched);
    tts_free(sc->acc);
    tts_free(sc->ntouched);
    for (size_t i = 0; i < MAX_QTOK; i++)
        tts_free(sc->ql[i]);
    tts_free(sc->wl[0]);
    tts_free(sc->wl[1]);
    tts_free(sc->bmemo);
    tts_free(sc->bstamp);
    tc_free(sc);
    tts_free(sc);
}

/* The index's own scratch (for tts_nameidx_search); then the index answers queries. */
static tts_status alloc_scratch(tts_nameidx *x, tts_error *err)
{
    tts_namescore_apart_init(&x->apart);
    x->own = tts_nameidx_scratch_new(x);
    if (x->own == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    x->finished = 1;
    return TTS_OK;
}

tts_status tts_nameidx_finish(tts_nameidx *x, tts_error *err)
{
    tts_status rc;
    if (x->finished)
        return TTS_OK;
    rc = build_postings(x, err);
    for (size_t t = 0; rc == TTS_OK && t < x->n_toks; t++)
        x->tk[t].used = (uint16_t)((x->tpost0[t + 1] > x->tpost0[t] ? TOK_NAME : 0) |
                                   (x->gpost0[t + 1] > x->gpost0[t] ? TOK_WHOLE : 0));
    if (rc == TTS_OK)
        rc = build_grams(x, x->tpost0, &x->tgram, err);
    if (rc == TTS_OK)
        rc = build_deletions(x, err);
    if (rc == TTS_OK)
        rc = build_skeletons(x, err);
    if (rc != TTS_OK)
        return rc;
    return alloc_scratch(x, err);
}

size_t tts_nameidx_count(const tts_nameidx *x) { return x->n_names; }

uint32_t tts_nameidx_entry(const tts_nameidx *x, uint32_t name) { return x->nent[name]; }

size_t tts_nameidx_memory(const tts_nameidx *x)
{
    size_t n = sizeof(*x) + x->cap_names * sizeof(name_rec) + x->cap_nent * 4 +
               x->cap_name_toks * 4 + x->pool.cap +
               x->cap_toks * sizeof(tok_rec) + x->hash_cap * 4;
    if (x->finished) {
        size_t tb = (size_t)1 << x->tgram.bits;
        n += (2 * (x->n_toks + 1) + x->tpost0[x->n_toks] + x->gpost0[x->n_toks]) * 4;
        n += (tb + 1 + x->tgram.start[tb]) * 4;
        n += tts_delidx_memory(x->del) + x->n_toks * 6 + x->n_names * (sizeof(name_acc) + 4);
        n += (x->n_skel + x->n_vskel) * sizeof(skel_ent);
    }
    return n;
}

/* ---- querying ------------------------------------------------------- */

/*
 * Dictionary tokens similar to s[0..n) (tok_sim > 0), unordered, into
 * *out (grown as needed, capacity *cap). Candidates are the exact token,
 * tokens sharing at least `need` padded trigrams in table g (need 0:
 * none), and the tokens of the deletion neighbourhood probes of string pk
 * of the probe queue pq. `used` says which dictionary tokens count (tpost0
 * or gpost0 rows that are not empty).
 */
typedef struct mark_ctx {
    const tts_nameidx *x;
    tts_nameidx_scratch *sc;
    size_t nt;
} mark_ctx;

/* Record a candidate token once (delidx probe callback). */
static void mark_token(void *user, uint32_t tok)
{
    mark_ctx *m = user;
    if (tok >= m->x->n_toks)
        return; /* only a damaged stored index has such tokens */
    if (m->sc->gcnt[tok] == 0) {
        PREFETCH(&m->x->tk[tok]); /* its similarity is computed next */
        m->sc->gcnt[tok] = 1;
        m->sc->gtouched[m->nt++] = tok;
    }
}

typedef struct probe_queue probe_queue;
static size_t pq_lookup(const tts_nameidx *x, probe_queue *q, size_t k, mark_ctx *mc);

static tts_status similar_tokens(const tts_nameidx *x, tts_nameidx_scratch *sc,
                                 const gram_table *g, unsigned used, const char *s, size_t n, uint64_t smask, size_t need, probe_queue *pq, size_t pk,
                                 tsim **out, size_t *cap, size_t *n_out)
{
    size_t nt = 0, res = 0, ng = 0;
    uint32_t grams[MAX_DL_LEN + 2];
    tsim *list = *out;
    *n_out = 0;
    uint32_t t = dict_find(x, s, n);
    if (t != UINT32_MAX && (x->tk[t].used & used)) {
        sc->gcnt[t] = 1;
        sc->gtouched[nt++] = t;
    }
    /* a name may give this word as its initial ("J." for "John") */
    if (n > 1 && (t = dict_find(x, s, 1)) != UINT32_MAX && (x->tk[t].used & used) &&
        sc->gcnt[t] == 0) {
        sc->gcnt[t] = 1;
        sc->gtouched[nt++] = t;
    }
    /* a word without vowels and the words with its consonants, either way round */
    if (n >= 2 && n <= SKEL_MAX && used == TOK_NAME) {
        int vl = tts_namescore_vowelless(s, n);
        char sk[SKEL_MAX];
        size_t k;
        if ((vl || x->n_vskel > 0) && (k = tts_namescore_skeleton(s, n, sk)) > 0)
            nt = vl ? mark_skel(sc, x->skel, x->n_skel, skel_hash(sk, k), nt)
                    : mark_skel(sc, x->vskel, x->n_vskel, skel_hash(sk, k), nt);
    }
    /* Prefix filtering: a token sharing `need` of the ng grams shares one of
     * the ng - need + 1 rarest, so only those lists are read. */
    if (need > 0 && n <= MAX_DL_LEN) {
        FOR_GRAMS(s, n, g->bits, h, grams[ng++] = h);
        for (size_t i = 1; i < ng; i++) {
            uint32_t v = grams[i];
            size_t k = i;
            size_t lv = g->start[v + 1] - g->start[v];
            while (k > 0 && g->start[grams[k - 1] + 1] - g->start[grams[k - 1]] > lv) {
                grams[k] = grams[k - 1];
                k--;
            }
            grams[k] = v;
        }
        for (size_t i = 0; i + need <= ng; i++) {
            uint32_t h = grams[i];
            for (uint32_t k = g->start[h]; k < g->start[h + 1]; k++) {
                uint32_t u = g->tok[k];
                if (sc->gcnt[u] == 0) {
                    sc->gcnt[u] = 1;
                    sc->gtouched[nt++] = u;
                }
            }
        }
    }
    {
        mark_ctx mc = {x, sc, nt};
        nt = pq_lookup(x, pq, pk, &mc);
    }
    for (size_t k = 0; k < nt; k++) {
        uint32_t u = sc->gtouched[k];
        double sim = 0.0;
        sc->gcnt[u] = 0;
        if (k + 4 < nt) /* the bytes a later candidate's similarity may read */
            PREFETCH(x->pool.data + x->tk[sc->gtouched[k + 4]].off);
        if (x->tk[u].used & used)
            sim = tts_namescore_tok_sim_m(&x->apart, s, n, smask, x->pool.data + x->tk[u].off,
                                          x->tk[u].len, x->tk[u].mask);
        if (sim <= 0.0)
            continue;
        if (!tts_grow(&list, cap, res + 1, sizeof(tsim))) {
            for (k++; k < nt; k++)
                sc->gcnt[sc->gtouched[k]] = 0;
            *out = list;
            return TTS_ERR_NOMEM;
        }
        list[res].tok = u;
        list[res].sim = (float)sim;
        res++;
    }
    *out = list;
    *n_out = res;
    return TTS_OK;
}

/* Append (u, sim) to *list; 0 when out of memory. */
static int push_tsim(tsim **list, size_t *n, size_t *cap, uint32_t u, double sim)
{
    if (!tts_grow(list, cap, *n + 1, sizeof(tsim)))
        return 0;
    (*list)[*n].tok = u;
    (*list)[*n].sim = (float)sim;
    (*n)++;
    return 1;
}

/*
 * similar_tokens for a whole query form (joined or glued) with one edit,
 * no trigrams, answering for two posting sets from one probe of the
 * deletion neighbourhood: tokens used as names' joined or glued forms
 * (gpost) into *gout, and, when want_tok, tokens used as name tokens
 * (tpost) into *tout. Each list is what similar_tokens would return for
 * that set (same tokens, same similarities), in no particular order.
 */
static tts_status similar_whole(const tts_nameidx *x, tts_nameidx_scratch *sc, const char *s, size_t n, uint64_t smask,
                                probe_queue *pq, size_t pk, int want_tok, size_t *n_g,
                                size_t *n_t)
{
    size_t nt = 0;
    uint32_t t = dict_find(x, s, n);
    tts_status rc = TTS_OK;
    *n_g = *n_t = 0;
    if (t != UINT32_MAX) {
        sc->gcnt[t] = 1;
        sc->gtouched[nt++] = t;
    }
    {
        mark_ctx mc = {x, sc, nt};
        nt = pq_lookup(x, pq, pk, &mc);
    }
    for (size_t k = 0; k < nt; k++) {
        uint32_t u = sc->gtouched[k];
        int g = (x->tk[u].used & TOK_WHOLE) != 0;
        int tk = want_tok && (x->tk[u].used & TOK_NAME) != 0;
        double sim;
        sc->gcnt[u] = 0;
        if ((!g && !tk) || rc != TTS_OK)
            continue;
        sim = tts_namescore_tok_sim_m(&x->apart, s, n, smask, x->pool.data + x->tk[u].off,
                                      x->tk[u].len, x->tk[u].mask);
        if (sim <= 0.0)
            continue;
        if ((g && !push_tsim(&sc->wl[0], n_g, &sc->wl_cap[0], u, sim)) ||
            (tk && !push_tsim(&sc->wl[1], n_t, &sc->wl_cap[1], u, sim)))
            rc = TTS_ERR_NOMEM;
    }
    if (rc != TTS_OK)
        *n_g = *n_t = 0;
    return rc;
}

static int cmp_tsim(const void *a, const void *b)
{
    uint32_t x = ((const tsim *)a)->tok, y = ((const tsim *)b)->tok;
    return x < y ? -1 : x > y;
}

static int cmp_hit_entry(const void *a, const void *b)
{
    const tts_nameidx_hit *x = a, *y = b;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

static int cmp_hit_score(const void *a, const void *b)
{
    const tts_nameidx_hit *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->entry != y->entry)
        return x->entry < y->entry ? -1 : 1;
    return x->name < y->name ? -1 : x->name > y->name;
}

/* Order a candidate list by token id (ids are distinct): insertion sort
 * for the short lists most query words have, qsort beyond. */
static void sort_tsim(tsim *v, size_t n)
{
    if (n > 32) {
        qsort(v, n, sizeof(tsim), cmp_tsim);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        tsim t = v[i];
        size_t k = i;
        while (k > 0 && v[k - 1].tok > t.tok) {
            v[k] = v[k - 1];
            k--;
        }
        v[k] = t;
    }
}

typedef struct hits {
    tts_nameidx_hit *h;
    size_t n, cap;
} hits;

static int push_hit(hits *hs, uint32_t name, uint32_t entry, double score)
{
    if (!tts_grow(&hs->h, &hs->cap, hs->n + 1, sizeof(tts_nameidx_hit)))
        return 0;
    hs->h[hs->n].name = name;
    hs->h[hs->n].entry = entry;
    hs->h[hs->n].score = score;
    hs->n++;
    return 1;
}

/* Keep each entry's best name, then order best first. */
static void collapse(hits *hs)
{
    size_t w = 0;
    if (hs->n < 2)
        return;
    qsort(hs->h, hs->n, sizeof(tts_nameidx_hit), cmp_hit_entry);
    for (size_t i = 0; i < hs->n; i++)
        if (w == 0 || hs->h[w - 1].entry != hs->h[i].entry)
            hs->h[w++] = hs->h[i];
    hs->n = w;
    qsort(hs->h, hs->n, sizeof(tts_nameidx_hit), cmp_hit_score);
}

/*
 * Score every name. Token similarities are computed once per distinct
 * dictionary token (the same function the pairs would call), so this is
 * exactly the per-name computation, only without repeating it.
 */
static tts_status search_all(const tts_nameidx *x, const view *vq, double thr, tts_nameidx_filter filter,
                             void *user, hits *hs)
{
    sim_cache cache;
    tts_status rc = TTS_OK;
    memset(&cache, 0, sizeof(cache));
    for (size_t i = 0; i < vq->n; i++) {
        cache.dense[i] = tts_calloc(x->n_toks + 1, sizeof(float));
        if (cache.dense[i] == NULL) {
            rc = TTS_ERR_NOMEM;
            goto out;
        }
        for (uint32_t t = 0; t < x->n_toks; t++)
            if (x->tpost0[t + 1] > x->tpost0[t])
                cache.dense[i][t] = (float)tts_namescore_tok_sim(
                    vq->s[i], vq->l[i], x->pool.data + x->tk[t].off, x->tk[t].len, x->tk[t].mask);
    }
    for (uint32_t i = 0; i < x->n_names; i++) {
        view vn;
        pairing pr;
        if (filter != NULL && !filter(user, x->nent[i]))
            continue;
        view_of_name(x, i, &vn);
        tts_namescore_score(vq, &vn, &cache, thr, &pr);
        if (pr.score >= thr && !push_hit(hs, i, x->nent[i], pr.score)) {
            rc = TTS_ERR_NOMEM;
            goto out;
        }
    }
out:
    for (size_t i = 0; i < MAX_QTOK; i++)
        tts_free(cache.dense[i]);
    return rc;
}

/*
 * Mark the names in the postings of similar tokens and add each pair's
 * weighted similarity to the name's accumulator (an upper bound of its
 * token score numerator). forced: score them whatever their bound.
 */
static size_t accumulate(const tts_nameidx *x, tts_nameidx_scratch *sc, const tsim *sims, size_t n_sims, size_t qlen,
                         const uint32_t *post0, const uint32_t *post, int force, size_t qi,
                         size_t nn)
{
    uint32_t mark = force ? 2 : 1, last = (uint32_t)qi + 1;
    for (size_t k = 0; k < n_sims; k++) {
        uint32_t t = sims[k].tok;
        float add = sims[k].sim * (float)(qlen + x->tk[t].len);
        int close = sims[k].sim >= COVER_TEST;
        for (uint32_t p = post0[t]; p < post0[t + 1]; p++) {
            uint32_t name = post[p], f = sc->acc[name].forced;
            if ((f & ACC_MARK) == 0) {
                sc->ntouched[nn++] = name;
                PREFETCH(&x->nm[name]); /* read when the touched names are ranked */
            }
            if ((f & ACC_MARK) < mark)
                f = (f & ~ACC_MARK) | mark;
            if (!force) {
                sc->acc[name].sum += add;
                /* query words come one after the other: count each once */
                if (close) {
                    sc->acc[name].csum += add;
                    if (ACC_LAST(f) != last)
                        f = ((f & ~(0xFFu << 8)) | (last << 8)) + (1u << 16);
                }
            }
            sc->acc[name].forced = f;
        }
    }
    return nn;
}

/*
 * Trigrams a token must share: tokens with two-deletion variants (up to
 * DELIDX_MAX2 bytes) use the deletion neighbourhood alone (exact lookups,
 * no posting lists); longer ones, which have one-deletion variants at most,
 * also take the tokens sharing the trigrams that survive two
 * transpositions (and only those past DELIDX_MAX1 bytes).
 */
static size_t token_need(size_t n) { return n <= DELIDX_MAX2 ? 0 : n + 2 - 8; }

/*
 * Choose which query tokens to scan through their postings, rarest first,
 * until a name holding none of the other tokens cannot reach thr: a token
 * pair scores 0 when the lengths differ by more than 2.6x, so unscanned
 * query weight s can at most give 3.6s / (Wq + 2.6s). Sets scan[i].
 */
static void choose_scans(const view *vq, const size_t *vol, double thr, uint8_t *scan)
{
    size_t order[MAX_QTOK], rem = vq->w;
    for (size_t i = 0; i < vq->n; i++) {
        size_t k = i;
        scan[i] = 0;
        while (k > 0 && vol[order[k - 1]] > vol[i]) {
            order[k] = order[k - 1];
            k--;
        }
        order[k] = i;
    }
    for (size_t k = 0; k < vq->n; k++) {
        double s = (double)rem;
        /* Cheap tokens are always scanned: they also reach names that only
         * the whole-string comparison can match. */
        if (thr > 0.0 && s * (3.6 - 2.6 * thr) < thr * (double)vq->w &&
            vol[order[k]] > CHEAP_POSTINGS)
            continue;
        scan[order[k]] = 1;
        /* A token nothing resembles proves nothing about the others. */
        if (vol[order[k]] > 0)
            rem -= vq->l[order[k]];
    }
}

/* Byte histogram folded to 64 bins. */
static void histogram(const char *s, size_t n, int16_t h[64])
{
    memset(h, 0, 64 * sizeof(int16_t));
    for (size_t i = 0; i < n; i++)
        h[(unsigned char)s[i] & 63]++;
}

/*
 * Can s[0..n) be within whole-string similarity thr of the query form
 * (histogram qh, length ql), i.e. within (1 - thr) * max length edits?
 * Each edit changes the histogram by at most two, so the distance is at
 * least half the L1 difference, and never less than the difference of the
 * lengths. Compared by multiplication with a rounding allowance, so the
 * answer is 1 wherever 1 - d / max >= thr.
 */
static int within_edits(size_t d, size_t mx, double thr)
{
    return (double)d <= (1.0 - thr) * (double)mx + 1e-9;
}

static int whole_may(const int16_t qh[64], size_t ql, uint64_t qmask, const char *s, size_t n,
                     uint64_t smask, double thr)
{
    /* qh is the query histogram; counted down in a copy */
    int16_t h[64];
    size_t l1 = ql, mx = ql > n ? ql : n, d, dlen = ql > n ? ql - n : n - ql;
    if (mx == 0 || mx > MAX_DL_LEN)
        return 0;
    /* Cheap necessary conditions first: the length difference, and the
     * bins present on one side only (each adds at least 1 to the L1
     * difference below), from the masks the dictionary already holds. */
    if (!within_edits(dlen, mx, thr) ||
        !within_edits((tts_namescore_popcount(qmask ^ smask) + 1) / 2, mx, thr))
        return 0;
    /* L1 difference of the two histograms, counted from the query's one
     * byte of s at a time (a copy of 128 bytes costs less than putting
     * the query's histogram back byte by byte). */
    memcpy(h, qh, sizeof(h));
    for (size_t i = 0; i < n; i++) {
        unsigned b = (unsigned char)s[i] & 63;
        l1 += h[b] > 0 ? (size_t)-1 : 1;
        h[b]--;
    }
    d = (l1 + 1) / 2;
    return within_edits(d > dlen ? d : dlen, mx, thr);
}

/*
 * Can strings of lengths a and b with folded masks am and bm reach
 * whole-string similarity thr at all (the first two tests of whole_may)?
 */
static int forms_may_reach(size_t a, uint32_t am, size_t b, uint32_t bm, double thr)
{
    size_t mx = a > b ? a : b;
    return mx > 0 && mx <= MAX_DL_LEN && within_edits(a > b ? a - b : b - a, mx, thr) &&
           within_edits((tts_namescore_popcount(am ^ bm) + 1) / 2, mx, thr);
}

/*
 * Could the whole-string comparison of tts_namescore_score reach thr for
 * this name? The lengths and the folded masks of the two forms first (the
 * name's record holds them), then, for the forms they do not rule out, the
 * histogram bound over the name's bytes. qlegal: the query carries a legal
 * form (!tts_namescore_no_legal(vq->legal)); qjm, qgm: the folded masks of
 * the query's joined and glued forms.
 */
static int whole_may_reach(const tts_nameidx *x, const view *vq, int qlegal, uint32_t qjm,
                           uint32_t qgm, const int16_t jh[64], const int16_t gh[64], uint32_t name,
                           double thr)
{
    const name_rec *r = &x->nm[name];
    uint32_t j = r->joined, g = r->glued;
    int nlegal = r->legal != 0;
    if (forms_may_reach(vq->jlen, qjm, r->jlen, r->jm, thr) &&
        whole_may(jh, vq->jlen, vq->jmask, x->pool.data + x->tk[j].off, x->tk[j].len,
                  x->tk[j].mask, thr))
        return 1;
    if (!qlegal && nlegal && forms_may_reach(vq->jlen, qjm, r->glen, r->gm, thr) &&
        whole_may(jh, vq->jlen, vq->jmask, x->pool.data + x->tk[g].off, x->tk[g].len,
                  x->tk[g].mask, thr))
        return 1;
    return qlegal && !nlegal && forms_may_reach(vq->glen, qgm, r->jlen, r->jm, thr) &&
           whole_may(gh, vq->glen, vq->gmask, x->pool.data + x->tk[j].off, x->tk[j].len,
                     x->tk[j].mask, thr);
}

/*
 * Upper bound of what the unscanned query tokens add to a touched name:
 * each paired with its best name token, using the similarities the
 * candidate search computed; a query token for which it found nothing at
 * all (more than two edits from every name token) is bounded with
 * tok_bound instead. Pairs under floor count 0 (the covered score has close
 * pairs only, initials aside). *all: every one of them may pair with a
 * word of the name, which the covered score needs (token_score).
 */
static double rest_bound(const tts_nameidx *x, tts_nameidx_scratch *sc, const view *vq, const uint8_t *scan,
                         const sim_cache *cache, size_t memo_qi, uint32_t name, double floor,
                         int *all)
{
    double sum = 0.0;
    *all = 1;
    for (size_t i = 0; i < vq->n; i++) {
        double best = 0.0;
        if (scan[i] && cache->n[i] > 0)
            continue;
        for (uint32_t k = x->nm[name].tok0; k < x->nm[name + 1].tok0; k++) {
            uint32_t t = x->name_toks[k];
            double v;
            if (cache->n[i] > 0)
                v = tts_namescore_cached(cache, i, t);
            else if (i == memo_qi && sc->bstamp[t] == sc->bgen)
                v = sc->bmemo[t];
            else {
                v = tts_namescore_tok_bound_m(&x->apart, vq->s[i], vq->l[i], vq->mask[i],
                                              x->pool.data + x->tk[t].off, x->tk[t].len,
                                              x->tk[t].mask);
                if (i == memo_qi) {
                    sc->bmemo[t] = v;
                    sc->bstamp[t] = sc->bgen;
                }
            }
            v = v > 0.0 && (v >= floor || vq->l[i] == 1) ? v * (double)(vq->l[i] + x->tk[t].len)
                                                         : 0.0;
            if (v > best)
                best = v;
        }
        *all = *all && best > 0.0;
        sum += best;
    }
    return sum;
}

/*
 * Query tokens recur across a batch ("trading", "mohammed", "shipping"),
 * and the similar dictionary tokens of a token depend on its bytes and the
 * index only: the lists of recent query tokens are kept in slots chosen by
 * hash of the token (a new token takes the slot of an old one), so that a
 * recurring token costs a lookup instead of its deletion probes and
 * similarities. The slots start at TC_MIN (56 kB: a single search costs
 * next to nothing) and double, keeping what they hold, each time the
 * lookups since the last doubling reach their number, up to TC_MAX
 * (3.5 MB). Tokens of more than TC_TOKEN bytes and lists of more
 * than TC_LIST tokens are not kept, nor lists past TC_BYTES in all, which
 * bounds the memory.
 */
#define TC_MIN 1024
#define TC_MAX 65536
#define TC_TOKEN 32
#define TC_LIST 256
#define TC_BYTES ((size_t)16 << 20) /* lists kept, at most */

typedef struct tc_ent {
    tsim *list;   /* sorted by token id; NULL when n is 0 */
    uint32_t n;   /* similar tokens */
    uint32_t gen; /* query that last used the list (x->tc_gen), which then stays */
    uint16_t len; /* bytes of the query token; 0: slot empty */
    char s[TC_TOKEN];
} tc_ent;

static tc_ent *tc_slot(const tts_nameidx_scratch *sc, const char *s, size_t n)
{
    return &sc->tc[fnv(s, n) & (sc->tc_slots - 1)];
}

/* Twice the slots, what they hold rehashed (a collision drops one); out of memory: unchanged. */
static void tc_grow(tts_nameidx_scratch *sc)
{
    size_t old = sc->tc_slots;
    tc_ent *from = sc->tc, *to = tts_calloc(old * 2, sizeof(tc_ent));
    if (to == NULL)
        return;
    sc->tc = to;
    sc->tc_slots = old * 2;
    for (size_t i = 0; i < old; i++) {
        tc_ent *e;
        if (from[i].len == 0)
            continue;
        e = tc_slot(sc, from[i].s, from[i].len);
        if (e->len == 0) {
            *e = from[i];
        } else {
            sc->tc_bytes -= from[i].n * sizeof(tsim);
            tts_free(from[i].list);
        }
    }
    tts_free(from);
    sc->tc_since = 0;
}

/* The kept list of s[0..n) into *list, *n_list; 0 when not kept. */
static int tc_get(tts_nameidx_scratch *sc, const char *s, size_t n, tsim **list, size_t *n_list)
{
    tc_ent *e;
    if (sc->tc == NULL || n == 0 || n > TC_TOKEN)
        return 0;
    sc->tc_lookups++;
    sc->tc_since++;
    e = tc_slot(sc, s, n);
    if (e->len != n || memcmp(e->s, s, n) != 0)
        return 0;
    sc->tc_hits++;
    e->gen = sc->tc_gen;
    *list = e->list;
    *n_list = e->n;
    return 1;
}

/* Keep a copy of the list of s[0..n); out of memory only means not kept. */
static void tc_put(tts_nameidx_scratch *sc, const char *s, size_t n, const tsim *list, size_t n_list)
{
    tc_ent *e;
    tsim *copy = NULL;
    if (sc->tc == NULL || n == 0 || n > TC_TOKEN || n_list > TC_LIST)
        return;
    e = tc_slot(sc, s, n);
    if (e->len != 0 && e->gen == sc->tc_gen)
        return; /* this query reads that list */
    if (sc->tc_bytes - e->n * sizeof(tsim) + n_list * sizeof(tsim) > TC_BYTES)
        return;
    if (n_list > 0 && (copy = tts_malloc(n_list * sizeof(tsim))) == NULL)
        return;
    if (n_list > 0)
        memcpy(copy, list, n_list * sizeof(tsim));
    sc->tc_bytes = sc->tc_bytes - e->n * sizeof(tsim) + n_list * sizeof(tsim);
    tts_free(e->list);
    e->list = copy;
    e->n = (uint32_t)n_list;
    e->len = (uint16_t)n;
    e->gen = sc->tc_gen;
    memcpy(e->s, s, n);
}

static void tc_free(tts_nameidx_scratch *sc)
{
    if (sc->tc == NULL)
        return;
    for (size_t i = 0; i < sc->tc_slots; i++)
        tts_free(sc->tc[i].list);
    tts_free(sc->tc);
    sc->tc = NULL;
    sc->tc_bytes = 0;
    sc->tc_since = 0;
}

void tts_nameidx_scratch_set_token_cache(tts_nameidx_scratch *sc, size_t slots)
{
    size_t n = 1;
    tc_free(sc);
    sc->tc_off = slots == 0;
    sc->tc_fixed = slots != TTS_NAMEIDX_TC_DEFAULT;
    sc->tc_slots = 0;
    if (sc->tc_fixed) {
        while (n < slots && n < ((size_t)1 << 24))
            n *= 2;
        sc->tc_slots = n;
    }
}

void tts_nameidx_set_token_cache(tts_nameidx *x, size_t slots)
{
    if (x->own != NULL)
        tts_nameidx_scratch_set_token_cache(x->own, slots);
}

void tts_nameidx_token_cache_stats(const tts_nameidx *x, size_t *lookups, size_t *found)
{
    *lookups = x->own != NULL ? x->own->tc_lookups : 0;
    *found = x->own != NULL ? x->own->tc_hits : 0;
}

/*
 * The deletion probes of the strings a query looks up (its tokens, then
 * its joined and glued forms) are prepared PROBE_AHEAD strings ahead of
 * their lookup, so that the cache misses of several strings' probes are
 * in flight together instead of one string's at a time.
 */
#define PROBE_AHEAD 8

typedef struct probe_queue {
    const char *s[MAX_QTOK + 2];
    size_t n[MAX_QTOK + 2];
    int del[MAX_QTOK + 2];
    size_t count;
    uint64_t h[PROBE_AHEAD][DELIDX_MAX_PROBES];
    size_t nh[PROBE_AHEAD];
} probe_queue;

static void pq_prepare(const tts_nameidx *x, probe_queue *q, size_t k)
{
    if (k < q->count)
        q->nh[k % PROBE_AHEAD] =
            tts_delidx_prepare(x->del, q->s[k], q->n[k], q->del[k], q->h[k % PROBE_AHEAD]);
}

static void pq_add(probe_queue *q, const char *s, size_t n, int del)
{
    q->s[q->count] = s;
    q->n[q->count] = n;
    q->del[q->count] = del;
    q->count++;
}

/*
 * Query tokens whose similar tokens are not kept (two edits), joined form,
 * glued form (one edit): the first few prepared.
 */
static void pq_init(const tts_nameidx *x, probe_queue *q, const view *vq, const uint8_t *kept,
                    int use_joined, int use_glued)
{
    q->count = 0;
    for (size_t i = 0; i < vq->n; i++)
        if (!kept[i])
            pq_add(q, vq->s[i], vq->l[i], 2);
    if (use_joined)
        pq_add(q, vq->joined, vq->jlen, 1);
    if (use_glued)
        pq_add(q, vq->glued, vq->glen, 1);
    for (size_t k = 0; k < PROBE_AHEAD; k++)
        pq_prepare(x, q, k);
}

/* Look up string k's probes (mark_token), then prepare the string PROBE_AHEAD on in its place. */
static size_t pq_lookup(const tts_nameidx *x, probe_queue *q, size_t k, mark_ctx *mc)
{
    tts_delidx_lookup(x->del, q->h[k % PROBE_AHEAD], q->nh[k % PROBE_AHEAD], mark_token, mc);
    pq_prepare(x, q, k + PROBE_AHEAD);
    return mc->nt;
}

/* What the steps of one indexed search share (search_index). */
typedef struct query {
    const view *vq;
    double thr;
    sim_cache cache;       /* similar dictionary tokens of each query token */
    size_t vol[MAX_QTOK];  /* postings their candidates reach */
    uint8_t scan[MAX_QTOK], kept[MAX_QTOK]; /* scanned (choose_scans); from the token cache */
    size_t memo_qi;        /* query token whose bounds are kept (MAX_QTOK: none) */
    int16_t jh[64], gh[64]; /* histograms of the joined and glued forms */
    double rest_cap, rest_cap_cover, need_cover;
    uint32_t n_scanned;
    int may_cover, qlegal, use_joined, use_glued;
    uint32_t qjm, qgm; /* folded masks of the joined and glued forms */
    probe_queue pq;
    size_t pk; /* next string of pq */
    size_t nn; /* names touched (sc->ntouched) */
} query;

/* The token cache made or grown before a query, and the query's generation. */
static void tc_prepare(tts_nameidx_scratch *sc)
{
    if (sc->tc == NULL && !sc->tc_off) {
        if (sc->tc_slots == 0)
            sc->tc_slots = TC_MIN;
        sc->tc = tts_calloc(sc->tc_slots, sizeof(tc_ent)); /* out of memory: nothing kept */
    } else if (sc->tc != NULL && !sc->tc_fixed && sc->tc_slots < TC_MAX &&
               sc->tc_since >= sc->tc_slots) {
        tc_grow(sc);
    }
    sc->tc_gen++;
}

static void query_init(const tts_nameidx *x, tts_nameidx_scratch *sc, const view *vq,
                       double thr, query *qs)
{
    /* not the whole struct: the probe queue (tens of kB) is set by pq_init */
    memset(&qs->cache, 0, sizeof(qs->cache));
    memset(qs->kept, 0, sizeof(qs->kept));
    qs->n_scanned = 0;
    qs->pk = qs->nn = 0;
    qs->vq = vq;
    qs->thr = thr;
    qs->memo_qi = MAX_QTOK;
    qs->qlegal = !tts_namescore_no_legal(vq->legal);
    qs->qjm = fold_mask(vq->jmask);
    qs->qgm = fold_mask(vq->gmask);
    qs->use_joined = vq->jlen > 0 && vq->jlen <= MAX_DL_LEN;
    qs->use_glued = qs->qlegal && vq->glen > 0 && vq->glen <= MAX_DL_LEN;
    histogram(vq->joined, vq->jlen <= MAX_DL_LEN ? vq->jlen : MAX_DL_LEN, qs->jh);
    histogram(vq->glued, vq->glen <= MAX_DL_LEN ? vq->glen : MAX_DL_LEN, qs->gh);
    tc_prepare(sc);
    for (size_t i = 0; i < vq->n; i++)
        qs->kept[i] = (uint8_t)tc_get(sc, vq->s[i], vq->l[i], &qs->cache.list[i], &qs->cache.n[i]);
    pq_init(x, &qs->pq, vq, qs->kept, qs->use_joined, qs->use_glued);
}

/* The similar dictionary tokens of each query token (kept or looked up) and their volumes. */
static tts_status query_candidates(const tts_nameidx *x, tts_nameidx_scratch *sc, query *qs)
{
    const view *vq = qs->vq;
    sim_cache *cache = &qs->cache;
    for (size_t i = 0; i < vq->n; i++) {
        if (!qs->kept[i]) {
            tts_status rc = similar_tokens(x, sc, &x->tgram, TOK_NAME, vq->s[i], vq->l[i],
                                           vq->mask[i], token_need(vq->l[i]), &qs->pq, qs->pk++,
                                           &sc->ql[i], &sc->ql_cap[i], &cache->n[i]);
            cache->list[i] = sc->ql[i];
            if (rc != TTS_OK)
                return rc;
            /* A single letter pairs with every word it begins (an initial),
             * which the candidates do not list: bounded per name instead
             * (rest_bound), unless it is all the query has. */
            if (vq->l[i] == 1 && vq->n > 1)
                cache->n[i] = 0;
            sort_tsim(cache->list[i], cache->n[i]);
            tc_put(sc, vq->s[i], vq->l[i], cache->list[i], cache->n[i]);
        }
        qs->vol[i] = 0;
        for (size_t k = 0; k < cache->n[i]; k++)
            qs->vol[i] += x->tpost0[cache->list[i][k].tok + 1] - x->tpost0[cache->list[i][k].tok];
    }
    return TTS_OK;
}

/*
 * The most rest_bound can add to any name: for each query token it
 * considers, its best candidate pair (unbounded when it has none). With
 * cover, the same from close pairs only, for the covered score; a query
 * word that rest_bound considers and that has no close candidate at all
 * leaves no name covered (unless it is an initial, which has no
 * candidates).
 */
static double rest_cap_of(const tts_nameidx *x, const query *qs, int cover)
{
    const view *vq = qs->vq;
    const sim_cache *cache = &qs->cache;
    double cap = 0.0;
    for (size_t i = 0; i < vq->n; i++) {
        double best = 0.0;
        if (qs->scan[i] && cache->n[i] > 0)
            continue;
        if (cache->n[i] == 0)
            return HUGE_VAL;
        for (size_t k = 0; k < cache->n[i]; k++) {
            double v = (double)cache->list[i][k].sim;
            double w = (double)(vq->l[i] + x->tk[cache->list[i][k].tok].len);
            v = !cover ? v * w : v >= COVER_TEST ? v * w : 0.0;
            if (v > best)
                best = v;
        }
        cap += best;
    }
    return cap;
}

/* Which tokens to scan, the caps of what the others can add, and the bounds kept. */
static void query_plan(const tts_nameidx *x, tts_nameidx_scratch *sc, query *qs)
{
    const view *vq = qs->vq;
    choose_scans(vq, qs->vol, qs->thr, qs->scan);
    qs->rest_cap = rest_cap_of(x, qs, 0);
    qs->rest_cap_cover = rest_cap_of(x, qs, 1);
    /* The first query token without candidates keeps its bounds against
     * the dictionary tokens rest_bound meets, since many touched names
     * share tokens: a new stamp makes the old ones stale. */
    for (size_t i = 0; i < vq->n && qs->memo_qi == MAX_QTOK; i++)
        if (qs->cache.n[i] == 0)
            qs->memo_qi = i;
    if (qs->memo_qi < MAX_QTOK && ++sc->bgen == 0) {
        memset(sc->bstamp, 0, (x->n_toks + 1) * sizeof(uint32_t));
        sc->bgen = 1;
    }
    for (size_t i = 0; i < vq->n; i++)
        qs->n_scanned += qs->scan[i] && qs->cache.n[i] > 0;
    qs->need_cover = (qs->thr - UB_SLACK) * (double)vq->w * (1.0 + COVER_RATIO) - 1e-9;
    qs->may_cover = tts_namescore_may_cover(vq);
}

/*
 * Touch the names of the scanned tokens' candidates, then the whole-string
 * candidates (token boundaries that differ, "AL QAIDA" / "ALQAIDA", "JSC
 * ARGUMENT" / "JSCARGUMENT"): the joined query, and with a legal form the
 * glued one, looked up exactly among names' joined and glued forms, and
 * within one edit among single tokens.
 */
static tts_status query_touch(const tts_nameidx *x, tts_nameidx_scratch *sc, query *qs)
{
    const view *vq = qs->vq;
    size_t n_gl = 0, n_tl = 0;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < vq->n; i++)
        if (qs->scan[i])
            qs->nn = accumulate(x, sc, qs->cache.list[i], qs->cache.n[i], vq->l[i], x->tpost0,
                                x->tpost, 0, i, qs->nn);
    if (qs->use_joined) {
        /* one edit among single tokens: token boundaries, not typos */
        TTS_TRY(similar_whole(x, sc, vq->joined, vq->jlen, vq->jmask, &qs->pq, qs->pk++,
                              vq->n > 1, &n_gl, &n_tl));
        qs->nn = accumulate(x, sc, sc->wl[0], n_gl, 0, x->gpost0, x->gpost, 1, 0, qs->nn);
        qs->nn = accumulate(x, sc, sc->wl[1], n_tl, 0, x->tpost0, x->tpost, 1, 0, qs->nn);
    }
    if (qs->use_glued) {
        TTS_TRY(similar_whole(x, sc, vq->glued, vq->glen, vq->gmask, &qs->pq, qs->pk++, 1, &n_gl,
                              &n_tl));
        qs->nn = accumulate(x, sc, sc->wl[0], n_gl, 0, x->gpost0, x->gpost, 1, 0, qs->nn);
        qs->nn = accumulate(x, sc, sc->wl[1], n_tl, 0, x->tpost0, x->tpost, 1, 0, qs->nn);
    }
out:
    return rc;
}

/*
 * Is touched name `name` (accumulator flags f) to be scored exactly? The
 * token score bound (sum + rest) / wsum reaching thr, less the allowance,
 * by multiplication; rest_bound only when even its cap could. A name
 * every scanned query word reached may be covered (token_score): its
 * weight is then at least Wq (1 + COVER_RATIO) while sum stays under it,
 * so it is a candidate when the close pairs' sum + rest reach thr times
 * that.
 */
static int query_may_reach(const tts_nameidx *x, tts_nameidx_scratch *sc, const query *qs,
                           uint32_t name, uint32_t f)
{
    const view *vq = qs->vq;
    double thr = qs->thr;
    double need = (thr - UB_SLACK) * (double)(vq->w + x->nm[name].w) - 1e-9;
    double sum = (double)sc->acc[name].sum, rest = 0.0;
    double csum = (double)sc->acc[name].csum;
    int all = 0, cand = 0;
    if (sum + qs->rest_cap >= need) {
        rest = rest_bound(x, sc, vq, qs->scan, &qs->cache, qs->memo_qi, name, 0.0, &all);
        cand = sum + rest >= need;
    }
    if (!cand && qs->may_cover && ACC_COUNT(f) == qs->n_scanned &&
        csum + qs->rest_cap_cover >= qs->need_cover) {
        rest = rest_bound(x, sc, vq, qs->scan, &qs->cache, qs->memo_qi, name, COVER_TEST, &all);
        cand = all && csum + rest >= qs->need_cover;
    }
    return cand || whole_may_reach(x, vq, qs->qlegal, qs->qjm, qs->qgm, qs->jh, qs->gh, name,
                                   thr - UB_SLACK);
}

/*
 * Every touched name: its marks reset (also after an error rc), and when
 * rc is TTS_OK and it may reach the threshold, scored exactly into hs.
 */
static tts_status query_score(const tts_nameidx *x, tts_nameidx_scratch *sc, query *qs,
                              tts_status rc, tts_nameidx_filter filter, void *user, hits *hs)
{
    for (size_t k = 0; k < qs->nn; k++) {
        uint32_t name = sc->ntouched[k];
        uint32_t f = sc->acc[name].forced;
        int cand = (f & ACC_MARK) == 2;
        sc->acc[name].forced = 0;
        if (!cand && rc == TTS_OK)
            cand = query_may_reach(x, sc, qs, name, f);
        sc->acc[name].sum = 0.0f;
        sc->acc[name].csum = 0.0f;
        if (rc != TTS_OK || !cand || (filter != NULL && !filter(user, x->nent[name])))
            continue;
        {
            view vn;
            pairing pr;
            view_of_name(x, name, &vn);
            tts_namescore_score(qs->vq, &vn, &qs->cache, qs->thr, &pr);
            if (pr.score >= qs->thr && !push_hit(hs, name, x->nent[name], pr.score))
                rc = TTS_ERR_NOMEM;
        }
    }
    return rc;
}

static tts_status search_index(const tts_nameidx *x, tts_nameidx_scratch *sc, const view *vq,
                               double thr, tts_nameidx_filter filter, void *user, hits *hs)
{
    query qs;
    tts_status rc;
    query_init(x, sc, vq, thr, &qs);
    rc = query_candidates(x, sc, &qs);
    if (rc == TTS_OK) {
        query_plan(x, sc, &qs);
        rc = query_touch(x, sc, &qs);
    }
    return query_score(x, sc, &qs, rc, filter, user, hs);
}

tts_status tts_nameidx_search(tts_nameidx *x, const tts_nname *q, double threshold, int exhaustive,
                              tts_nameidx_filter filter, void *user, tts_nameidx_hit **out,
                              size_t *n_out, tts_error *err)
{
    if (!x->finished)
        return tts_err_set(err, TTS_ERR_INTERNAL, "name index not finished");
    return tts_nameidx_search_with(x, x->own, q, threshold, exhaustive, filter, user, out, n_out,
                                   err);
}

tts_status tts_nameidx_search_with(const tts_nameidx *x, tts_nameidx_scratch *sc,
                                   const tts_nname *q, double threshold, int exhaustive,
                                   tts_nameidx_filter filter, void *user, tts_nameidx_hit **out,
                                   size_t *n_out, tts_error *err)
{
    view vq;
    hits hs = {NULL, 0, 0};
    tts_status rc;
    if (!x->finished)
        return tts_err_set(err, TTS_ERR_INTERNAL, "name index not finished");
    if (sc == NULL || sc->n_toks != x->n_toks || sc->n_names != x->n_names)
        return tts_err_set(err, TTS_ERR_INTERNAL, "scratch of another name index");
    view_of_nname(q, &vq);
    if (vq.n == 0 && vq.glen == 0) {
        *out = NULL;
        *n_out = 0;
        return TTS_OK;
    }
    if (threshold < 0.0)
        threshold = 0.0;
    rc = exhaustive ? search_all(x, &vq, threshold, filter, user, &hs)
                    : search_index(x, sc, &vq, threshold, filter, user, &hs);
    if (rc != TTS_OK) {
        tts_free(hs.h);
        return tts_err_set(err, rc, "out of memory searching the name index");
    }
    collapse(&hs);
    *out = hs.h;
    *n_out = hs.n;
    return TTS_OK;
}

/* ---- storing a built index -------------------------------------------- */

/*
 * Layout (host byte order; the magic number tells a foreign one): a
 * header of NIDX_HEADER 64-bit words, then the arrays back to back in the
 * order of the header's counts. Loading copies every array and checks
 * every number that is later used as an index or a loop bound, so a
 * damaged or foreign blob is refused, never trusted.
 */
#define NIDX_MAGIC 0x5844494e53545454ULL /* "TTTSNIDX" read as a little-endian word */
#define NIDX_HEADER 14

enum {
    H_MAGIC,
    H_VERSION,
    H_NAMES,
    H_NAME_TOKS,
    H_POOL,
    H_TOKS,
    H_HASH,
    H_TPOST,
    H_GPOST,
    H_GRAM_BITS,
    H_GRAMS,
    H_DEL_BYTES,
    H_SKEL,
    H_VSKEL
};

/* Write n bytes and pad to a multiple of 8, so that every section is aligned in place. */
static tts_status put_section(tts_nameidx_sink sink, void *user, const void *p, size_t n,
                              tts_error *err)
{
    static const char zero[8] = {0};
    tts_status rc = sink(user, n > 0 ? p : "", n, err);
    if (rc == TTS_OK && n % 8 != 0)
        rc = sink(user, zero, 8 - n % 8, err);
    return rc;
}

tts_status tts_nameidx_write(const tts_nameidx *x, tts_nameidx_sink sink, void *user,
                             tts_error *err)
{
    uint64_t h[NIDX_HEADER];
    const void *del;
    size_t del_n, nb;
    tts_status rc;
    if (!x->finished)
        return tts_err_set(err, TTS_ERR_INTERNAL, "name index not finished");
    tts_delidx_bytes(x->del, &del, &del_n);
    nb = (size_t)1 << x->tgram.bits;
    h[H_MAGIC] = NIDX_MAGIC;
    h[H_VERSION] = TTS_NAMEIDX_FORMAT;
    h[H_NAMES] = x->n_names;
    h[H_NAME_TOKS] = x->n_name_toks;
    h[H_POOL] = x->pool.len;
    h[H_TOKS] = x->n_toks;
    h[H_HASH] = x->hash_cap;
    h[H_TPOST] = x->tpost0[x->n_toks];
    h[H_GPOST] = x->gpost0[x->n_toks];
    h[H_GRAM_BITS] = x->tgram.bits;
    h[H_GRAMS] = x->tgram.start[nb];
    h[H_DEL_BYTES] = del_n;
    h[H_SKEL] = x->n_skel;
    h[H_VSKEL] = x->n_vskel;
#define PUT(p, n) TTS_TRY(put_section(sink, user, (p), (n), err))
    PUT(h, sizeof(h));
    PUT(x->nm, (x->n_names + 1) * sizeof(name_rec));
    PUT(x->nent, x->n_names * sizeof(uint32_t));
    PUT(x->name_toks, x->n_name_toks * sizeof(uint32_t));
    PUT(x->pool.data, x->pool.len);
    PUT(x->tk, x->n_toks * sizeof(tok_rec));
    PUT(x->hash, x->hash_cap * sizeof(uint32_t));
    PUT(x->tpost0, (x->n_toks + 1) * sizeof(uint32_t));
    PUT(x->tpost, x->tpost0[x->n_toks] * sizeof(uint32_t));
    PUT(x->gpost0, (x->n_toks + 1) * sizeof(uint32_t));
    PUT(x->gpost, x->gpost0[x->n_toks] * sizeof(uint32_t));
    PUT(x->tgram.start, (nb + 1) * sizeof(uint32_t));
    PUT(x->tgram.tok, x->tgram.start[nb] * sizeof(uint32_t));
    PUT(del, del_n);
    PUT(x->skel, x->n_skel * sizeof(skel_ent));
    PUT(x->vskel, x->n_vskel * sizeof(skel_ent));
#undef PUT
out:
    return rc;
}

static tts_status buf_sink(void *user, const void *p, size_t n, tts_error *err)
{
    (void)err;
    tts_buf_append(user, p, n);
    return TTS_OK;
}

tts_status tts_nameidx_serialize(const tts_nameidx *x, tts_buf *out, tts_error *err)
{
    tts_status rc = tts_nameidx_write(x, buf_sink, out, err);
    if (rc != TTS_OK)
        return rc;
    if (tts_buf_failed(out))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory storing the name index");
    return TTS_OK;
}

/* Reading side: a cursor over the blob that refuses to run past its end. */
typedef struct reader {
    unsigned char *p;
    size_t left;
} reader;

/* The next section of count * size bytes (padded to 8), in place; NULL when the blob is short. */
static void *take(reader *r, uint64_t count, size_t size)
{
    void *d = r->p;
    size_t n, padded;
    if (count > r->left / size)
        return NULL;
    n = (size_t)count * size;
    padded = n % 8 != 0 ? n + (8 - n % 8) : n;
    if (padded > r->left)
        return NULL;
    r->p += padded;
    r->left -= padded;
    return d;
}

/* Are row starts post0[0..n] a valid CSR over `total` items with values < limit? */
static int csr_ok(const uint32_t *post0, size_t n, const uint32_t *post, uint64_t total,
                  uint64_t limit)
{
    if (post0[0] != 0 || post0[n] != total)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (post0[i] > post0[i + 1])
            return 0;
    for (uint64_t i = 0; i < total; i++)
        if (post[i] >= limit)
            return 0;
    return 1;
}

/* Every number of a loaded index that is used as an index or a loop bound, checked. */
static int loaded_ok(const tts_nameidx *x, uint32_t max_entry)
{
    size_t nb = (size_t)1 << x->tgram.bits, empty = 0;
    if (x->pool.len == 0 || x->pool.data[0] != '\0' || x->pool.data[x->pool.len - 1] != '\0')
        return 0;
    if (x->nm[0].tok0 != 0 || x->nm[x->n_names].tok0 != x->n_name_toks)
        return 0;
    for (size_t i = 0; i < x->n_names; i++) {
        const name_rec *r = &x->nm[i];
        if (x->nent[i] >= max_entry || r->tok0 > x->nm[i + 1].tok0 || r->glued >= x->n_toks ||
            r->joined >= x->n_toks || r->legal >= x->pool.len || r->jlen != x->tk[r->joined].len ||
            r->glen != x->tk[r->glued].len || r->jm != fold_mask(x->tk[r->joined].mask) ||
            r->gm != fold_mask(x->tk[r->glued].mask))
            return 0;
    }
    for (size_t i = 0; i < x->n_name_toks; i++)
        if (x->name_toks[i] >= x->n_toks)
            return 0;
    for (size_t t = 0; t < x->n_toks; t++)
        if (x->tk[t].off >= x->pool.len || x->tk[t].len >= x->pool.len - x->tk[t].off)
            return 0;
    for (size_t i = 0; i < x->hash_cap; i++) {
        if (x->hash[i] == 0)
            empty++;
        else if (x->hash[i] > x->n_toks)
            return 0;
    }
    return empty > 0 && csr_ok(x->tpost0, x->n_toks, x->tpost, x->tpost0[x->n_toks], x->n_names) &&
           csr_ok(x->gpost0, x->n_toks, x->gpost, x->gpost0[x->n_toks], x->n_names) &&
           csr_ok(x->tgram.start, nb, x->tgram.tok, x->tgram.start[nb], x->n_toks);
}

/* Is skeleton table v[0..n) sorted by hash with tokens of the dictionary? */
static int skel_ok(const skel_ent *v, size_t n, size_t n_toks)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].tok >= n_toks || (i > 0 && cmp_skel(&v[i - 1], &v[i]) > 0))
            return 0;
    return 1;
}

/*
 * The sections of a stored index at r, in place. check: every number that
 * is later used as an index or a bound is checked, and the use flags are
 * derived again (the bytes are then written to); else the bytes are only
 * read, and taken as what tts_nameidx_serialize wrote (see
 * tts_nameidx_adopt_mapped).
 */
static tts_status adopt_sections(reader r, uint32_t max_entry, int check, tts_nameidx **out,
                                 tts_error *err)
{
    uint64_t h[NIDX_HEADER];
    tts_nameidx *x;
    size_t nb;
    void *del;
    if (r.left < sizeof(h) || ((uintptr_t)r.p & 7) != 0)
        return tts_err_set(err, TTS_ERR_DB, "stored name index is truncated or misaligned");
    memcpy(h, r.p, sizeof(h));
    r.p += sizeof(h);
    r.left -= sizeof(h);
    if (h[H_MAGIC] != NIDX_MAGIC || h[H_VERSION] != TTS_NAMEIDX_FORMAT)
        return tts_err_set(err, TTS_ERR_DB, "stored name index has another format");
    /* sizes the arrays' types can hold; the blob's length bounds the rest */
    if (h[H_NAMES] >= UINT32_MAX - 2 || h[H_TOKS] >= UINT32_MAX - 1 ||
        h[H_NAME_TOKS] >= UINT32_MAX || h[H_POOL] >= UINT32_MAX || h[H_HASH] < 2 ||
        (h[H_HASH] & (h[H_HASH] - 1)) != 0 || h[H_GRAM_BITS] < 8 || h[H_GRAM_BITS] > 22 ||
        h[H_TPOST] >= UINT32_MAX || h[H_GPOST] >= UINT32_MAX || h[H_GRAMS] >= UINT32_MAX ||
        h[H_SKEL] >= UINT32_MAX || h[H_VSKEL] >= UINT32_MAX)
        return tts_err_set(err, TTS_ERR_DB, "stored name index is damaged");
    x = tts_calloc(1, sizeof(*x));
    if (x == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory loading the name index");
    x->n_names = x->cap_names = x->cap_nent = (size_t)h[H_NAMES];
    x->n_name_toks = x->cap_name_toks = (size_t)h[H_NAME_TOKS];
    x->n_toks = x->cap_toks = (size_t)h[H_TOKS];
    x->hash_cap = (size_t)h[H_HASH];
    x->tgram.bits = (uint32_t)h[H_GRAM_BITS];
    nb = (size_t)1 << x->tgram.bits;
    x->in_blob = 1; /* the arrays below live in blob: not freed one by one */
    x->nm = take(&r, h[H_NAMES] + 1, sizeof(name_rec));
    x->nent = x->nm ? take(&r, h[H_NAMES], sizeof(uint32_t)) : NULL;
    x->name_toks = x->nent ? take(&r, h[H_NAME_TOKS], sizeof(uint32_t)) : NULL;
    x->pool.data = x->name_toks ? take(&r, h[H_POOL], 1) : NULL;
    x->pool.len = x->pool.cap = x->pool.data ? (size_t)h[H_POOL] : 0;
    x->tk = x->pool.data ? take(&r, h[H_TOKS], sizeof(tok_rec)) : NULL;
    x->hash = x->tk ? take(&r, h[H_HASH], sizeof(uint32_t)) : NULL;
    x->tpost0 = x->hash ? take(&r, h[H_TOKS] + 1, sizeof(uint32_t)) : NULL;
    x->tpost = x->tpost0 ? take(&r, h[H_TPOST], sizeof(uint32_t)) : NULL;
    x->gpost0 = x->tpost ? take(&r, h[H_TOKS] + 1, sizeof(uint32_t)) : NULL;
    x->gpost = x->gpost0 ? take(&r, h[H_GPOST], sizeof(uint32_t)) : NULL;
    x->tgram.start = x->gpost ? take(&r, nb + 1, sizeof(uint32_t)) : NULL;
    x->tgram.tok = x->tgram.start ? take(&r, h[H_GRAMS], sizeof(uint32_t)) : NULL;
    del = x->tgram.tok ? take(&r, h[H_DEL_BYTES], 1) : NULL;
    x->skel = del ? take(&r, h[H_SKEL], sizeof(skel_ent)) : NULL;
    x->vskel = x->skel ? take(&r, h[H_VSKEL], sizeof(skel_ent)) : NULL;
    x->n_skel = (size_t)h[H_SKEL];
    x->n_vskel = (size_t)h[H_VSKEL];
    if (x->vskel == NULL || r.left != 0 || h[H_TPOST] != x->tpost0[x->n_toks] ||
        h[H_GPOST] != x->gpost0[x->n_toks] || h[H_GRAMS] != x->tgram.start[nb] ||
        (check && (!loaded_ok(x, max_entry) || !skel_ok(x->skel, x->n_skel, x->n_toks) ||
                   !skel_ok(x->vskel, x->n_vskel, x->n_toks)))) {
        tts_nameidx_free(x);
        return tts_err_set(err, TTS_ERR_DB, "stored name index is damaged");
    }
    {
        int nomem = 0;
        x->del = tts_delidx_borrow(del, (size_t)h[H_DEL_BYTES], &nomem);
        if (x->del == NULL) {
            tts_nameidx_free(x);
            return nomem ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory loading the name index")
                         : tts_err_set(err, TTS_ERR_DB, "stored name index is damaged");
        }
    }
    /* derived, not trusted: which tokens are in use */
    for (size_t t = 0; check && t < x->n_toks; t++)
        x->tk[t].used = (uint16_t)((x->tpost0[t + 1] > x->tpost0[t] ? TOK_NAME : 0) |
                                   (x->gpost0[t + 1] > x->gpost0[t] ? TOK_WHOLE : 0));
    if (alloc_scratch(x, err) != TTS_OK) {
        tts_nameidx_free(x);
        return TTS_ERR_NOMEM;
    }
    *out = x;
    return TTS_OK;
}

tts_status tts_nameidx_adopt(void *blob, size_t off, size_t n, uint32_t max_entry,
                             tts_nameidx **out, tts_error *err)
{
    reader r = {(unsigned char *)blob + off, n};
    tts_status rc;
    *out = NULL;
    rc = adopt_sections(r, max_entry, 1, out, err);
    if (rc == TTS_OK)
        (*out)->blob = blob;
    return rc;
}

tts_status tts_nameidx_adopt_mapped(const void *base, size_t n, tts_nameidx **out,
                                    tts_error *err)
{
    /* the reader's pointer is not written through when check is 0 */
    reader r = {(unsigned char *)(uintptr_t)base, n};
    *out = NULL;
    return adopt_sections(r, UINT32_MAX, 0, out, err);
}
