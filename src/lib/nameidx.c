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
#include "nameidx.h"

#include <stdlib.h>
#include <string.h>

#include "delidx.h"
#include "error.h"
#include "mem.h"

#define MAX_QTOK 64          /* tokens of a name or query that take part in scoring */
#define TOK_MIN 0.80         /* token pairs scoring less count as no match */
#define LEGAL_PENALTY 0.05   /* both names carry legal forms with nothing in common */
#define MAX_JW_LEN 128       /* longer tokens only match exactly */
#define MAX_DL_LEN 256       /* longer glued strings only match exactly */
#define UB_SLACK 1e-6        /* float accumulation error allowance */
#define CHEAP_POSTINGS 1024  /* query tokens with fewer postings are always scanned */
#define NUMBER_PENALTY 0.15  /* both names carry numbers and they differ ("GOLD STAR 3" / "5") */

/* Trigram bucket -> dictionary tokens (CSR). */
typedef struct gram_table {
    uint32_t *start; /* 2^bits + 1 row starts */
    uint32_t *tok;
    uint32_t bits;
} gram_table;

typedef struct tsim {
    uint32_t tok;
    float sim;
} tsim;

struct tts_nameidx {
    /* names */
    size_t n_names, cap_names;
    uint32_t *name_entry; /* entry number */
    uint32_t *name_tok0;  /* first index in name_toks; name i uses [tok0[i], tok0[i+1]) */
    uint32_t *name_glued; /* dictionary id of the glued form (legal forms included) */
    uint32_t *name_joined; /* dictionary id of the tokens joined without spaces */
    uint32_t *name_legal; /* offset of the legal-form string in pool */
    uint32_t *name_w;     /* total token bytes */
    uint32_t *name_toks;
    size_t n_name_toks, cap_name_toks;
    /* dictionary */
    tts_buf pool;      /* token bytes, NUL-separated; legal strings too */
    uint32_t *tok_off; /* offset in pool */
    uint16_t *tok_len;
    uint64_t *tok_mask; /* char_mask of each token */
    size_t n_toks, cap_toks;
    uint32_t *hash; /* open addressing: tok id + 1, 0 = empty */
    size_t hash_cap;
    /* postings (after finish) */
    uint32_t *tpost0, *tpost;  /* token -> names using it as a token */
    uint32_t *gpost0, *gpost;  /* token -> names using it as their joined or glued form */
    tts_delidx *del;           /* deletion neighbourhood of the name tokens */
    gram_table tgram;          /* trigram bucket -> name tokens */
    int finished;
    /* per-query scratch */
    uint16_t *gcnt;
    uint32_t *gtouched;
    float *acc;
    uint8_t *forced;
    uint32_t *ntouched;
};

/* A name or query as scoring sees it. */
typedef struct view {
    const char *s[MAX_QTOK];
    size_t l[MAX_QTOK];
    uint32_t id[MAX_QTOK]; /* dictionary ids (names only) */
    size_t n, w;
    const char *glued; /* legal forms included */
    size_t glen;
    const char *joined; /* tokens only */
    size_t jlen;
    uint64_t gmask, jmask; /* char_mask of glued and joined */
    uint64_t mask[MAX_QTOK]; /* char_mask of each token */
    const char *legal;
    char jbuf[MAX_DL_LEN + 1]; /* queries: joined tokens live here */
} view;

/* ---- string similarity ------------------------------------------------- */

static double jaro_winkler(const char *a, size_t la, const char *b, size_t lb)
{
    uint8_t am[MAX_JW_LEN], bm[MAX_JW_LEN];
    size_t range, m = 0, t = 0, k = 0, pre = 0;
    double j;
    if (la == 0 || lb == 0 || la > MAX_JW_LEN || lb > MAX_JW_LEN)
        return 0.0;
    memset(am, 0, la);
    memset(bm, 0, lb);
    range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0, hi = i + range + 1 < lb ? i + range + 1 : lb;
        for (size_t x = lo; x < hi; x++) {
            if (!bm[x] && a[i] == b[x]) {
                am[i] = bm[x] = 1;
                m++;
                break;
            }
        }
    }
    if (m == 0)
        return 0.0;
    for (size_t i = 0; i < la; i++) {
        if (!am[i])
            continue;
        while (!bm[k])
            k++;
        if (a[i] != b[k])
            t++;
        k++;
    }
    j = ((double)m / (double)la + (double)m / (double)lb + ((double)m - (double)t / 2.0) / (double)m) /
        3.0;
    while (pre < 4 && pre < la && pre < lb && a[pre] == b[pre])
        pre++;
    return j + (double)pre * 0.1 * (1.0 - j);
}

/* Optimal-string-alignment edit distance similarity: 1 - d / max length. */
static double edit_sim(const char *a, size_t la, const char *b, size_t lb)
{
    unsigned r0[MAX_DL_LEN + 1], r1[MAX_DL_LEN + 1], r2[MAX_DL_LEN + 1];
    unsigned *pp = r0, *p = r1, *c = r2;
    size_t mx = la > lb ? la : lb;
    if (mx == 0)
        return 0.0;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    if (la > MAX_DL_LEN || lb > MAX_DL_LEN)
        return 0.0;
    for (size_t x = 0; x <= lb; x++)
        p[x] = (unsigned)x;
    for (size_t i = 1; i <= la; i++) {
        unsigned *tmp;
        c[0] = (unsigned)i;
        for (size_t x = 1; x <= lb; x++) {
            unsigned cost = a[i - 1] == b[x - 1] ? 0 : 1;
            unsigned v = p[x] + 1;
            if (c[x - 1] + 1 < v)
                v = c[x - 1] + 1;
            if (p[x - 1] + cost < v)
                v = p[x - 1] + cost;
            if (i > 1 && x > 1 && a[i - 1] == b[x - 2] && a[i - 2] == b[x - 1] && pp[x - 2] + 1 < v)
                v = pp[x - 2] + 1;
            c[x] = v;
        }
        tmp = pp;
        pp = p;
        p = c;
        c = tmp;
    }
    return 1.0 - (double)p[lb] / (double)mx;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Which byte values occur in s, folded to 64 bits (an over-approximation). */
static uint64_t char_mask(const char *s, size_t n)
{
    uint64_t m = 0;
    for (size_t i = 0; i < n; i++)
        m |= (uint64_t)1 << ((unsigned char)s[i] & 63);
    return m;
}

/* Bytes of a whose value cannot occur in the string with mask bmask. */
static size_t absent_from(const char *a, size_t la, uint64_t bmask)
{
    size_t n = 0;
    for (size_t i = 0; i < la; i++)
        n += !((bmask >> ((unsigned char)a[i] & 63)) & 1);
    return n;
}

/*
 * Similarity of two tokens: Jaro-Winkler, lowered when the first letters
 * differ, when a short token is not equal, and by the length ratio.
 * Numbers match only exactly. Under TOK_MIN the pair counts as nothing.
 * bmask is char_mask(b): bytes of a that b lacks bound the Jaro matches
 * from above, and pairs whose bound is under TOK_MIN skip Jaro-Winkler
 * (the result is the same; this is only faster).
 */
static double tok_bound_m(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask,
                          double *mult_out)
{
    double ratio, mult, jmax, bound;
    size_t mn = la < lb ? la : lb, mx = la < lb ? lb : la, m, pre = 0;
    *mult_out = 0.0;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    if (mn == 0 || is_digit(a[0]) || is_digit(b[0]))
        return 0.0;
    ratio = (double)mn / (double)mx;
    mult = (a[0] != b[0] ? 0.92 : 1.0) * (mn <= 3 ? 0.85 : mn == 4 ? 0.9 : 1.0) *
           (0.85 + 0.15 * ratio);
    m = la - absent_from(a, la, bmask);
    if (m > lb)
        m = lb;
    if (m == 0)
        return 0.0;
    while (pre < 4 && pre < mn && a[pre] == b[pre])
        pre++;
    jmax = ((double)m / (double)la + (double)m / (double)lb + 1.0) / 3.0;
    bound = (jmax + (double)pre * 0.1 * (1.0 - jmax)) * mult;
    *mult_out = mult;
    return bound < TOK_MIN ? 0.0 : bound;
}

/* Upper bound of tok_sim_m without running Jaro-Winkler (1.0 exactly for equal tokens). */
static double tok_bound(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask)
{
    double mult;
    return tok_bound_m(a, la, b, lb, bmask, &mult);
}

static double tok_sim_m(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask)
{
    double mult, s, bound;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    bound = tok_bound_m(a, la, b, lb, bmask, &mult);
    if (bound == 0.0)
        return 0.0;
    s = jaro_winkler(a, la, b, lb) * mult;
    return s < TOK_MIN ? 0.0 : s;
}

/* Do two legal-form strings share no canonical word while both are present? */
static int legal_conflict(const char *a, const char *b)
{
    const char *p = a;
    if (a == NULL || b == NULL || a[0] == '\0' || b[0] == '\0')
        return 0;
    while (*p != '\0') {
        size_t wl = strcspn(p, " ");
        const char *q = b;
        while (*q != '\0') {
            size_t ql = strcspn(q, " ");
            if (ql == wl && memcmp(p, q, wl) == 0)
                return 0;
            q += ql;
            while (*q == ' ')
                q++;
        }
        p += wl;
        while (*p == ' ')
            p++;
    }
    return 1;
}

/* ---- views ----------------------------------------------------------- */

static void view_of_strs(const char *tokens, const char *legal, const char *glued, view *v)
{
    const char *p = tokens != NULL ? tokens : "";
    v->n = v->w = 0;
    while (*p != '\0' && v->n < MAX_QTOK) {
        size_t wl = strcspn(p, " ");
        if (wl > 0) {
            v->s[v->n] = p;
            v->l[v->n] = wl;
            v->id[v->n] = UINT32_MAX;
            v->w += wl;
            v->n++;
        }
        p += wl;
        while (*p == ' ')
            p++;
    }
    v->glued = glued != NULL ? glued : "";
    v->glen = strlen(v->glued);
    v->legal = legal;
    v->jlen = 0;
    for (size_t i = 0; i < v->n; i++) {
        if (v->jlen + v->l[i] <= MAX_DL_LEN)
            memcpy(v->jbuf + v->jlen, v->s[i], v->l[i]);
        v->jlen += v->l[i];
    }
    v->jbuf[v->jlen <= MAX_DL_LEN ? v->jlen : MAX_DL_LEN] = '\0';
    v->joined = v->jbuf;
    v->jmask = char_mask(v->jbuf, v->jlen <= MAX_DL_LEN ? v->jlen : MAX_DL_LEN);
    v->gmask = char_mask(v->glued, v->glen);
    for (size_t i = 0; i < v->n; i++)
        v->mask[i] = char_mask(v->s[i], v->l[i]);
}

static void view_of_nname(const tts_nname *n, view *v)
{
    view_of_strs(n->tokens, n->legal, n->glued, v);
}

static void view_of_name(const tts_nameidx *x, uint32_t name, view *v)
{
    uint32_t a = x->name_tok0[name], b = x->name_tok0[name + 1];
    v->n = 0;
    v->w = x->name_w[name];
    for (uint32_t i = a; i < b && v->n < MAX_QTOK; i++) {
        uint32_t t = x->name_toks[i];
        v->s[v->n] = x->pool.data + x->tok_off[t];
        v->l[v->n] = x->tok_len[t];
        v->id[v->n] = t;
        v->mask[v->n] = x->tok_mask[t];
        v->n++;
    }
    v->glued = x->pool.data + x->tok_off[x->name_glued[name]];
    v->glen = x->tok_len[x->name_glued[name]];
    v->joined = x->pool.data + x->tok_off[x->name_joined[name]];
    v->jlen = x->tok_len[x->name_joined[name]];
    v->gmask = x->tok_mask[x->name_glued[name]];
    v->jmask = x->tok_mask[x->name_joined[name]];
    v->legal = x->pool.data + x->name_legal[name];
}

/* Similarities already computed by the candidate search, by query token. */
typedef struct sim_cache {
    tsim *list[MAX_QTOK];  /* sparse: similar tokens sorted by id (indexed search) */
    size_t n[MAX_QTOK];
    float *dense[MAX_QTOK]; /* or dense: one similarity per dictionary token (exhaustive) */
} sim_cache;

/* The cached similarity of query token qi and dictionary token tok, or -1 when not cached. */
static double cached_sim(const sim_cache *c, size_t qi, uint32_t tok)
{
    size_t lo = 0, hi = c->n[qi];
    if (c->dense[qi] != NULL)
        return c->dense[qi][tok];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->list[qi][mid].tok == tok)
            return c->list[qi][mid].sim;
        if (c->list[qi][mid].tok < tok)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1.0;
}

/* Are the digits of a and b, in order, the same? Numbers never fuzzy-match. */
static int same_digits(const char *a, size_t la, const char *b, size_t lb)
{
    size_t i = 0, k = 0;
    for (;;) {
        while (i < la && !is_digit(a[i]))
            i++;
        while (k < lb && !is_digit(b[k]))
            k++;
        if (i == la || k == lb)
            return i == la && k == lb;
        if (a[i++] != b[k++])
            return 0;
    }
}

static int has_digit(const char *s, size_t n)
{
    for (size_t i = 0; i < n && i < MAX_DL_LEN; i++)
        if (is_digit(s[i]))
            return 1;
    return 0;
}

static int no_legal(const char *l)
{
    return l == NULL || l[0] == '\0';
}

/*
 * Whole-string similarity of a against b, skipped (0) when the length
 * bound cannot beat `floor` (floor < 0: always computed).
 */
static double whole_sim(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask,
                        double floor)
{
    size_t mx = la > lb ? la : lb, diff = la > lb ? la - lb : lb - la, gone;
    if (mx == 0 || mx > MAX_DL_LEN)
        return 0.0;
    if (floor >= 0.0 && 1.0 - (double)diff / (double)mx < floor)
        return 0.0;
    /* Every byte of a that b lacks costs at least one edit. */
    gone = absent_from(a, la, bmask);
    if (floor >= 0.0 && 1.0 - (double)(gone > diff ? gone : diff) / (double)mx < floor)
        return 0.0;
    if (!same_digits(a, la, b, lb))
        return 0.0;
    return edit_sim(a, la, b, lb);
}

typedef struct pairing {
    size_t n;
    uint8_t qi[MAX_QTOK], ni[MAX_QTOK];
    double sim[MAX_QTOK];
    double tok_score, whole, penalty, score;
} pairing;

/*
 * Exact score of query q against name n: greedy best assignment of token
 * pairs (highest similarity first), length-weighted; glued edit-distance
 * similarity; legal-form penalty. Fills *pr for explanations. When `need`
 * is >= 0 the edit distance is skipped if its length bound (1 - length
 * difference / longer length) cannot beat both `need` and the token score:
 * the result is then exact for every score that reaches `need`.
 */
static void score_views(const view *q, const view *n, const sim_cache *cache, double need,
                        pairing *pr)
{
    double floor, w;
    double m[MAX_QTOK][MAX_QTOK];
    uint8_t qused[MAX_QTOK] = {0}, nused[MAX_QTOK] = {0};
    double sum = 0.0;
    pr->n = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < n->n; j++) {
            double v = cache != NULL && n->id[j] != UINT32_MAX ? cached_sim(cache, i, n->id[j])
                                                               : -1.0;
            m[i][j] = v >= 0.0 ? v : tok_sim_m(q->s[i], q->l[i], n->s[j], n->l[j], n->mask[j]);
        }
    for (;;) {
        double best = 0.0;
        size_t bi = 0, bj = 0;
        for (size_t i = 0; i < q->n; i++) {
            if (qused[i])
                continue;
            for (size_t j = 0; j < n->n; j++)
                if (!nused[j] && m[i][j] > best) {
                    best = m[i][j];
                    bi = i;
                    bj = j;
                }
        }
        if (best <= 0.0)
            break;
        qused[bi] = nused[bj] = 1;
        pr->qi[pr->n] = (uint8_t)bi;
        pr->ni[pr->n] = (uint8_t)bj;
        pr->sim[pr->n] = best;
        pr->n++;
        sum += best * (double)(q->l[bi] + n->l[bj]);
    }
    pr->tok_score = q->w + n->w > 0 ? sum / (double)(q->w + n->w) : 0.0;
    /* Joined tokens against joined tokens; when only one side names a legal
     * form, also against the other side's glued form ("JSCARGUMENT"). */
    floor = need < 0.0 ? -1.0 : need > pr->tok_score ? need : pr->tok_score;
    pr->whole = whole_sim(q->joined, q->jlen, n->joined, n->jlen, n->jmask, floor);
    if (no_legal(q->legal) && !no_legal(n->legal)) {
        w = whole_sim(q->joined, q->jlen, n->glued, n->glen, n->gmask, floor);
        pr->whole = w > pr->whole ? w : pr->whole;
    }
    if (!no_legal(q->legal) && no_legal(n->legal)) {
        w = whole_sim(q->glued, q->glen, n->joined, n->jlen, n->jmask, floor);
        pr->whole = w > pr->whole ? w : pr->whole;
    }
    pr->penalty = legal_conflict(q->legal, n->legal) ? LEGAL_PENALTY : 0.0;
    if (has_digit(q->joined, q->jlen) && has_digit(n->joined, n->jlen) &&
        !same_digits(q->joined, q->jlen, n->joined, n->jlen))
        pr->penalty += NUMBER_PENALTY;
    pr->score = (pr->tok_score > pr->whole ? pr->tok_score : pr->whole) - pr->penalty;
    if (pr->score < 0.0)
        pr->score = 0.0;
    if (pr->score > 1.0)
        pr->score = 1.0;
}

double tts_nameidx_score_pair(const tts_nname *a, const tts_nname *b)
{
    view va, vb;
    pairing pr;
    view_of_nname(a, &va);
    view_of_nname(b, &vb);
    score_views(&va, &vb, NULL, -1.0, &pr);
    return pr.score;
}

double tts_nameidx_score(const tts_nameidx *x, const tts_nname *q, uint32_t name)
{
    view vq, vn;
    pairing pr;
    view_of_nname(q, &vq);
    view_of_name(x, name, &vn);
    score_views(&vq, &vn, NULL, -1.0, &pr);
    return pr.score;
}

void tts_nameidx_explain(const tts_nameidx *x, const tts_nname *q, uint32_t name, tts_buf *b)
{
    view vq, vn;
    pairing pr;
    uint8_t qused[MAX_QTOK] = {0}, nused[MAX_QTOK] = {0};
    view_of_nname(q, &vq);
    view_of_name(x, name, &vn);
    score_views(&vq, &vn, NULL, -1.0, &pr);
    tts_buf_puts(b, "tokens");
    for (size_t k = 0; k < pr.n; k++) {
        qused[pr.qi[k]] = nused[pr.ni[k]] = 1;
        tts_buf_printf(b, " %.*s~%.*s=%.2f", (int)vq.l[pr.qi[k]], vq.s[pr.qi[k]],
                       (int)vn.l[pr.ni[k]], vn.s[pr.ni[k]], pr.sim[k]);
    }
    for (size_t i = 0; i < vq.n; i++)
        if (!qused[i])
            tts_buf_printf(b, " query-only:%.*s", (int)vq.l[i], vq.s[i]);
    for (size_t j = 0; j < vn.n; j++)
        if (!nused[j])
            tts_buf_printf(b, " list-only:%.*s", (int)vn.l[j], vn.s[j]);
    tts_buf_printf(b, "; token score %.3f; whole %.3f", pr.tok_score, pr.whole);
    if (legal_conflict(vq.legal, vn.legal))
        tts_buf_printf(b, "; legal form %s vs %s -%.2f", vq.legal, vn.legal, LEGAL_PENALTY);
    if (pr.penalty > LEGAL_PENALTY + 1e-9 ||
        (pr.penalty > 0.0 && !legal_conflict(vq.legal, vn.legal)))
        tts_buf_printf(b, "; numbers differ -%.2f", NUMBER_PENALTY);
}

/* ---- building ------------------------------------------------------- */

static int grow(void *pp, size_t *cap, size_t need, size_t elsize)
{
    void **p = pp;
    size_t nc;
    void *np;
    if (need <= *cap)
        return 1;
    nc = *cap > 0 ? *cap : 64;
    while (nc < need)
        nc *= 2;
    np = tts_realloc(*p, nc * elsize);
    if (np == NULL)
        return 0;
    *p = np;
    *cap = nc;
    return 1;
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

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
    return x;
}

void tts_nameidx_free(tts_nameidx *x)
{
    if (x == NULL)
        return;
    tts_free(x->name_entry);
    tts_free(x->name_tok0);
    tts_free(x->name_glued);
    tts_free(x->name_joined);
    tts_delidx_free(x->del);
    tts_free(x->name_legal);
    tts_free(x->name_w);
    tts_free(x->name_toks);
    tts_buf_free(&x->pool);
    tts_free(x->tok_off);
    tts_free(x->tok_len);
    tts_free(x->tok_mask);
    tts_free(x->hash);
    tts_free(x->tpost0);
    tts_free(x->tpost);
    tts_free(x->gpost0);
    tts_free(x->gpost);
    tts_free(x->tgram.start);
    tts_free(x->tgram.tok);
    tts_free(x->gcnt);
    tts_free(x->gtouched);
    tts_free(x->acc);
    tts_free(x->forced);
    tts_free(x->ntouched);
    tts_free(x);
}

static int rehash(tts_nameidx *x)
{
    size_t nc = x->hash_cap * 2;
    uint32_t *nh = tts_calloc(nc, sizeof(uint32_t));
    if (nh == NULL)
        return 0;
    for (size_t t = 0; t < x->n_toks; t++) {
        size_t h = (size_t)fnv(x->pool.data + x->tok_off[t], x->tok_len[t]) & (nc - 1);
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
        if (x->tok_len[t] == n && memcmp(x->pool.data + x->tok_off[t], s, n) == 0)
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
    if (!grow(&x->tok_off, &x->cap_toks, x->n_toks + 1, sizeof(uint32_t)))
        return UINT32_MAX;
    {
        size_t cap = x->cap_toks;
        uint16_t *nl = tts_realloc(x->tok_len, cap * sizeof(uint16_t));
        uint64_t *nm;
        if (nl == NULL)
            return UINT32_MAX;
        x->tok_len = nl;
        nm = tts_realloc(x->tok_mask, cap * sizeof(uint64_t));
        if (nm == NULL)
            return UINT32_MAX;
        x->tok_mask = nm;
    }
    t = (uint32_t)x->n_toks;
    x->tok_off[t] = (uint32_t)x->pool.len;
    x->tok_len[t] = (uint16_t)n;
    x->tok_mask[t] = char_mask(s, n);
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
    size_t cap = x->cap_names, need = x->n_names + 2;
    if (need <= cap)
        return 1;
    if (!grow(&x->name_entry, &cap, need, sizeof(uint32_t)))
        return 0;
#define GROW_TO(f)                                                                         \
    do {                                                                                   \
        uint32_t *np = tts_realloc(x->f, cap * sizeof(uint32_t));                          \
        if (np == NULL)                                                                    \
            return 0;                                                                      \
        x->f = np;                                                                         \
    } while (0)
    GROW_TO(name_tok0);
    GROW_TO(name_glued);
    GROW_TO(name_joined);
    GROW_TO(name_legal);
    GROW_TO(name_w);
#undef GROW_TO
    x->cap_names = cap;
    return 1;
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
    view_of_strs(tokens, legal, glued, &v);
    if (!grow_names(x) ||
        !grow(&x->name_toks, &x->cap_name_toks, x->n_name_toks + v.n, sizeof(uint32_t)))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    i = (uint32_t)x->n_names;
    x->name_tok0[i] = (uint32_t)x->n_name_toks;
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
    legal_off = x->pool.len;
    tts_buf_puts(&x->pool, legal != NULL ? legal : "");
    tts_buf_putc(&x->pool, '\0');
    if (g == UINT32_MAX || j == UINT32_MAX || tts_buf_failed(&x->pool))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    x->name_entry[i] = entry;
    x->name_glued[i] = g;
    x->name_joined[i] = j;
    x->name_legal[i] = (uint32_t)legal_off;
    x->name_w[i] = (uint32_t)v.w;
    x->n_names++;
    x->name_tok0[x->n_names] = (uint32_t)x->n_name_toks;
    return TTS_OK;
}

static uint32_t gram_hash(unsigned a, unsigned b, unsigned c, uint32_t bits)
{
    uint32_t v = (uint32_t)((a << 16) | (b << 8) | c);
    return (uint32_t)((v * 2654435761u) >> (32 - bits));
}

/* Call fn on every padded trigram bucket of token s[0..n). */
#define FOR_GRAMS(s, n, bits, var, body)                                                   \
    do {                                                                                   \
        unsigned g0 = 1, g1 = 1;                                                           \
        for (size_t gi_ = 0; gi_ < (n) + 2; gi_++) {                                       \
            unsigned g2 = gi_ < (n) ? (unsigned char)(s)[gi_] : 2u;                        \
            uint32_t var = gram_hash(g0, g1, g2, bits);                                    \
            body;                                                                          \
            g0 = g1;                                                                       \
            g1 = g2;                                                                       \
        }                                                                                  \
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
        for (uint32_t k = x->name_tok0[i]; k < x->name_tok0[i + 1]; k++)
            x->tpost0[x->name_toks[k] + 1]++;
        x->gpost0[x->name_joined[i] + 1]++;
        if (x->name_glued[i] != x->name_joined[i])
            x->gpost0[x->name_glued[i] + 1]++;
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
        for (uint32_t k = x->name_tok0[i]; k < x->name_tok0[i + 1]; k++) {
            uint32_t t = x->name_toks[k];
            x->tpost[x->tpost0[t]++] = (uint32_t)i;
        }
        x->gpost[x->gpost0[x->name_joined[i]]++] = (uint32_t)i;
        if (x->name_glued[i] != x->name_joined[i])
            x->gpost[x->gpost0[x->name_glued[i]]++] = (uint32_t)i;
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
static tts_status build_grams(tts_nameidx *x, const uint32_t *post0, gram_table *g,
                              tts_error *err)
{
    size_t nb;
    size_t n_long = 0;
    for (size_t t = 0; t < x->n_toks; t++)
        n_long += x->tok_len[t] > DELIDX_MAX1;
    g->bits = 8;
    while (((size_t)1 << g->bits) < n_long * 4 && g->bits < 22)
        g->bits++;
    nb = (size_t)1 << g->bits;
    g->start = tts_calloc(nb + 1, sizeof(uint32_t));
    if (g->start == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t t = 0; t < x->n_toks; t++)
        if (post0[t + 1] > post0[t] && x->tok_len[t] > DELIDX_MAX1)
            FOR_GRAMS(x->pool.data + x->tok_off[t], (size_t)x->tok_len[t], g->bits, h,
                      g->start[h + 1]++);
    for (size_t b = 0; b < nb; b++)
        g->start[b + 1] += g->start[b];
    g->tok = tts_malloc((g->start[nb] + 1) * sizeof(uint32_t));
    if (g->tok == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (size_t t = 0; t < x->n_toks; t++)
        if (post0[t + 1] > post0[t] && x->tok_len[t] > DELIDX_MAX1)
            FOR_GRAMS(x->pool.data + x->tok_off[t], (size_t)x->tok_len[t], g->bits, h,
                      g->tok[g->start[h]++] = (uint32_t)t);
    memmove(g->start + 1, g->start, nb * sizeof(uint32_t));
    g->start[0] = 0;
    return TTS_OK;
}

/*
 * The deletion neighbourhood of every name token (delidx.h): exact hash
 * lookups find tokens within two edits, which trigram postings either miss
 * on short tokens ("jnoh" / "john") or pay for with long posting lists.
 * Joined and glued forms of names (up to DELIDX_MAX1 bytes) join with one
 * edit, for whole-string matches across token boundaries ("ALHARAMANI" /
 * "AL HARAMAIN").
 */
static tts_status build_deletions(tts_nameidx *x, tts_error *err)
{
    size_t keys = 0;
    for (uint32_t t = 0; t < x->n_toks; t++) {
        if (x->tpost0[t + 1] > x->tpost0[t])
            keys += tts_delidx_keys(x->tok_len[t], 2);
        else if (x->gpost0[t + 1] > x->gpost0[t] && x->tok_len[t] <= DELIDX_MAX1)
            keys += tts_delidx_keys(x->tok_len[t], 1);
    }
    x->del = tts_delidx_new(keys);
    if (x->del == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    for (uint32_t t = 0; t < x->n_toks; t++) {
        const char *s = x->pool.data + x->tok_off[t];
        if (x->tpost0[t + 1] > x->tpost0[t])
            tts_delidx_add(x->del, s, x->tok_len[t], 2, t);
        else if (x->gpost0[t + 1] > x->gpost0[t] && x->tok_len[t] <= DELIDX_MAX1)
            tts_delidx_add(x->del, s, x->tok_len[t], 1, t); /* whole forms: one edit */
    }
    return TTS_OK;
}

tts_status tts_nameidx_finish(tts_nameidx *x, tts_error *err)
{
    tts_status rc;
    if (x->finished)
        return TTS_OK;
    rc = build_postings(x, err);
    if (rc == TTS_OK)
        rc = build_grams(x, x->tpost0, &x->tgram, err);
    if (rc == TTS_OK)
        rc = build_deletions(x, err);
    if (rc != TTS_OK)
        return rc;
    x->gcnt = tts_calloc(x->n_toks + 1, sizeof(uint16_t));
    x->gtouched = tts_malloc((x->n_toks + 1) * sizeof(uint32_t));
    x->acc = tts_calloc(x->n_names + 1, sizeof(float));
    x->forced = tts_calloc(x->n_names + 1, 1);
    x->ntouched = tts_malloc((x->n_names + 1) * sizeof(uint32_t));
    if (x->gcnt == NULL || x->gtouched == NULL || x->acc == NULL || x->forced == NULL ||
        x->ntouched == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory building the name index");
    x->finished = 1;
    return TTS_OK;
}

size_t tts_nameidx_count(const tts_nameidx *x)
{
    return x->n_names;
}

size_t tts_nameidx_memory(const tts_nameidx *x)
{
    size_t n = sizeof(*x) + x->cap_names * 6 * sizeof(uint32_t) + x->cap_name_toks * 4 +
               x->pool.cap + x->cap_toks * (4 + 2 + 8) + x->hash_cap * 4;
    if (x->finished) {
        size_t tb = (size_t)1 << x->tgram.bits;
        n += (2 * (x->n_toks + 1) + x->tpost0[x->n_toks] + x->gpost0[x->n_toks]) * 4;
        n += (tb + 1 + x->tgram.start[tb]) * 4;
        n += tts_delidx_memory(x->del) + x->n_toks * 6 + x->n_names * 9;
    }
    return n;
}

/* ---- querying ------------------------------------------------------- */

/*
 * Dictionary tokens similar to s[0..n) (tok_sim > 0), sorted by id, into a
 * new array *out (caller frees). Candidates are the exact token, tokens
 * sharing at least `need` padded trigrams in table g (need 0: none), and
 * tokens within use_del edits (0, 1 or 2) through the deletion
 * neighbourhood. `used` says which dictionary tokens count (tpost0 or
 * gpost0 rows that are not empty).
 */
typedef struct mark_ctx {
    tts_nameidx *x;
    size_t nt;
} mark_ctx;

/* Record a candidate token once (delidx probe callback). */
static void mark_token(void *user, uint32_t tok)
{
    mark_ctx *m = user;
    if (m->x->gcnt[tok] == 0) {
        m->x->gcnt[tok] = 1;
        m->x->gtouched[m->nt++] = tok;
    }
}

static tts_status similar_tokens(tts_nameidx *x, const gram_table *g, const uint32_t *used,
                                 const char *s, size_t n, size_t need, int use_del, tsim **out,
                                 size_t *n_out)
{
    size_t nt = 0, res = 0, cap = 0, ng = 0;
    uint32_t grams[MAX_DL_LEN + 2];
    tsim *list = NULL;
    uint32_t t = dict_find(x, s, n);
    if (t != UINT32_MAX && used[t + 1] > used[t]) {
        x->gcnt[t] = 1;
        x->gtouched[nt++] = t;
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
                if (x->gcnt[u] == 0) {
                    x->gcnt[u] = 1;
                    x->gtouched[nt++] = u;
                }
            }
        }
    }
    if (use_del) {
        mark_ctx mc = {x, nt};
        tts_delidx_probe(x->del, s, n, use_del, mark_token, &mc);
        nt = mc.nt;
    }
    for (size_t k = 0; k < nt; k++) {
        uint32_t u = x->gtouched[k];
        double sim = 0.0;
        x->gcnt[u] = 0;
        if (used[u + 1] > used[u])
            sim = tok_sim_m(s, n, x->pool.data + x->tok_off[u], x->tok_len[u], x->tok_mask[u]);
        if (sim <= 0.0)
            continue;
        if (!grow(&list, &cap, res + 1, sizeof(tsim))) {
            for (k++; k < nt; k++)
                x->gcnt[x->gtouched[k]] = 0;
            tts_free(list);
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

typedef struct hits {
    tts_nameidx_hit *h;
    size_t n, cap;
} hits;

static int push_hit(hits *hs, uint32_t name, uint32_t entry, double score)
{
    if (!grow(&hs->h, &hs->cap, hs->n + 1, sizeof(tts_nameidx_hit)))
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
static tts_status search_all(tts_nameidx *x, const view *vq, double thr, tts_nameidx_filter filter,
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
                cache.dense[i][t] = (float)tok_sim_m(vq->s[i], vq->l[i],
                                                     x->pool.data + x->tok_off[t], x->tok_len[t],
                                                     x->tok_mask[t]);
    }
    for (uint32_t i = 0; i < x->n_names; i++) {
        view vn;
        pairing pr;
        if (filter != NULL && !filter(user, x->name_entry[i]))
            continue;
        view_of_name(x, i, &vn);
        score_views(vq, &vn, &cache, thr, &pr);
        if (pr.score >= thr && !push_hit(hs, i, x->name_entry[i], pr.score)) {
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
static size_t accumulate(tts_nameidx *x, const tsim *sims, size_t n_sims, size_t qlen,
                         const uint32_t *post0, const uint32_t *post, int force, size_t nn)
{
    uint8_t mark = force ? 2 : 1;
    for (size_t k = 0; k < n_sims; k++) {
        uint32_t t = sims[k].tok;
        float add = sims[k].sim * (float)(qlen + x->tok_len[t]);
        for (uint32_t p = post0[t]; p < post0[t + 1]; p++) {
            uint32_t name = post[p];
            if (x->forced[name] == 0)
                x->ntouched[nn++] = name;
            if (x->forced[name] < mark)
                x->forced[name] = mark;
            if (!force)
                x->acc[name] += add;
        }
    }
    return nn;
}

/*
 * Trigrams a token must share: tokens the deletion neighbourhood covers
 * use it alone (exact lookups, no posting lists); longer ones must
 * survive two transpositions.
 */
static size_t token_need(size_t n)
{
    return n <= DELIDX_MAX1 ? 0 : n + 2 - 8;
}

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
static void histogram(const char *s, size_t n, uint8_t h[64])
{
    memset(h, 0, 64);
    for (size_t i = 0; i < n; i++)
        if (h[(unsigned char)s[i] & 63] < 255)
            h[(unsigned char)s[i] & 63]++;
}

/*
 * Upper bound of the whole-string similarity of the query form (histogram
 * qh, length ql) and s[0..n): each edit changes the histogram by at most
 * two, so distance >= half the L1 difference.
 */
static double whole_bound(const uint8_t qh[64], size_t ql, const char *s, size_t n, double thr)
{
    uint8_t h[64];
    size_t l1 = 0, mx = ql > n ? ql : n, d;
    if (mx == 0 || mx > MAX_DL_LEN)
        return 0.0;
    if (1.0 - (double)(ql > n ? ql - n : n - ql) / (double)mx < thr)
        return 0.0;
    histogram(s, n, h);
    for (int i = 0; i < 64; i++)
        l1 += qh[i] > h[i] ? (size_t)(qh[i] - h[i]) : (size_t)(h[i] - qh[i]);
    d = (l1 + 1) / 2;
    if (d < (ql > n ? ql - n : n - ql))
        d = ql > n ? ql - n : n - ql;
    return 1.0 - (double)d / (double)mx;
}

/* Could the whole-string comparison of score_views reach thr for this name? */
static int whole_may_reach(const tts_nameidx *x, const view *vq, const uint8_t jh[64],
                           const uint8_t gh[64], uint32_t name, double thr)
{
    uint32_t j = x->name_joined[name], g = x->name_glued[name];
    const char *nlegal = x->pool.data + x->name_legal[name];
    if (whole_bound(jh, vq->jlen, x->pool.data + x->tok_off[j], x->tok_len[j], thr) >= thr)
        return 1;
    if (no_legal(vq->legal) && !no_legal(nlegal) &&
        whole_bound(jh, vq->jlen, x->pool.data + x->tok_off[g], x->tok_len[g], thr) >= thr)
        return 1;
    return !no_legal(vq->legal) && no_legal(nlegal) &&
           whole_bound(gh, vq->glen, x->pool.data + x->tok_off[j], x->tok_len[j], thr) >= thr;
}

/*
 * Upper bound of what the unscanned query tokens add to a touched name:
 * each paired with its best name token, using the similarities the
 * candidate search computed; a query token for which it found nothing at
 * all (more than two edits from every name token) is bounded with
 * tok_bound instead.
 */
static double rest_bound(const tts_nameidx *x, const view *vq, const uint8_t *scan,
                         const sim_cache *cache, uint32_t name)
{
    double sum = 0.0;
    for (size_t i = 0; i < vq->n; i++) {
        double best = 0.0;
        if (scan[i] && cache->n[i] > 0)
            continue;
        for (uint32_t k = x->name_tok0[name]; k < x->name_tok0[name + 1]; k++) {
            uint32_t t = x->name_toks[k];
            double v = cache->n[i] > 0 ? cached_sim(cache, i, t)
                                       : tok_bound(vq->s[i], vq->l[i], x->pool.data + x->tok_off[t],
                                                   x->tok_len[t], x->tok_mask[t]);
            v = v > 0.0 ? v * (double)(vq->l[i] + x->tok_len[t]) : 0.0;
            if (v > best)
                best = v;
        }
        sum += best;
    }
    return sum;
}

static tts_status search_index(tts_nameidx *x, const view *vq, double thr,
                               tts_nameidx_filter filter, void *user, hits *hs)
{
    sim_cache cache;
    tsim *gl = NULL;
    size_t n_gl = 0, nn = 0, vol[MAX_QTOK];
    uint8_t scan[MAX_QTOK], jh[64], gh[64];
    tts_status rc = TTS_OK;
    memset(&cache, 0, sizeof(cache));
    histogram(vq->joined, vq->jlen <= MAX_DL_LEN ? vq->jlen : MAX_DL_LEN, jh);
    histogram(vq->glued, vq->glen <= MAX_DL_LEN ? vq->glen : MAX_DL_LEN, gh);
    for (size_t i = 0; i < vq->n; i++) {
        TTS_TRY(similar_tokens(x, &x->tgram, x->tpost0, vq->s[i], vq->l[i],
                               token_need(vq->l[i]), 2, &cache.list[i], &cache.n[i]));
        if (cache.n[i] > 1)
            qsort(cache.list[i], cache.n[i], sizeof(tsim), cmp_tsim);
        vol[i] = 0;
        for (size_t k = 0; k < cache.n[i]; k++)
            vol[i] += x->tpost0[cache.list[i][k].tok + 1] - x->tpost0[cache.list[i][k].tok];
    }
    choose_scans(vq, vol, thr, scan);
    for (size_t i = 0; i < vq->n; i++)
        if (scan[i])
            nn = accumulate(x, cache.list[i], cache.n[i], vq->l[i], x->tpost0, x->tpost, 0, nn);
    /* Whole-string candidates (token boundaries that differ, "AL QAIDA" /
     * "ALQAIDA", "JSC ARGUMENT" / "JSCARGUMENT"): the joined query, and
     * with a legal form the glued one, looked up exactly among names'
     * joined and glued forms, and within one edit among single tokens. */
    if (vq->jlen > 0 && vq->jlen <= MAX_DL_LEN) {
        TTS_TRY(similar_tokens(x, &x->tgram, x->gpost0, vq->joined, vq->jlen, 0, 1, &gl, &n_gl));
        nn = accumulate(x, gl, n_gl, 0, x->gpost0, x->gpost, 1, nn);
        tts_free(gl);
        gl = NULL;
        if (vq->n > 1) {
            TTS_TRY(similar_tokens(x, &x->tgram, x->tpost0, vq->joined, vq->jlen, 0, 1, &gl,
                                   &n_gl)); /* one edit: token boundaries, not typos */
            nn = accumulate(x, gl, n_gl, 0, x->tpost0, x->tpost, 1, nn);
            tts_free(gl);
            gl = NULL;
        }
    }
    if (!no_legal(vq->legal) && vq->glen > 0 && vq->glen <= MAX_DL_LEN) {
        TTS_TRY(similar_tokens(x, &x->tgram, x->gpost0, vq->glued, vq->glen, 0, 1, &gl, &n_gl));
        nn = accumulate(x, gl, n_gl, 0, x->gpost0, x->gpost, 1, nn);
        tts_free(gl);
        gl = NULL;
        TTS_TRY(similar_tokens(x, &x->tgram, x->tpost0, vq->glued, vq->glen, 0, 1, &gl, &n_gl));
        nn = accumulate(x, gl, n_gl, 0, x->tpost0, x->tpost, 1, nn);
    }
out:
    for (size_t k = 0; k < nn; k++) {
        uint32_t name = x->ntouched[k];
        int cand = x->forced[name] == 2;
        x->forced[name] = 0;
        if (!cand && rc == TTS_OK)
            cand = ((double)x->acc[name] + rest_bound(x, vq, scan, &cache, name)) /
                               (double)(vq->w + x->name_w[name]) +
                           UB_SLACK >=
                       thr ||
                   whole_may_reach(x, vq, jh, gh, name, thr - UB_SLACK);
        x->acc[name] = 0.0f;
        if (rc != TTS_OK || !cand || (filter != NULL && !filter(user, x->name_entry[name])))
            continue;
        {
            view vn;
            pairing pr;
            view_of_name(x, name, &vn);
            score_views(vq, &vn, &cache, thr, &pr);
            if (pr.score >= thr && !push_hit(hs, name, x->name_entry[name], pr.score))
                rc = TTS_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < MAX_QTOK; i++)
        tts_free(cache.list[i]);
    tts_free(gl);
    return rc;
}

tts_status tts_nameidx_search(tts_nameidx *x, const tts_nname *q, double threshold,
                              int exhaustive, tts_nameidx_filter filter, void *user,
                              tts_nameidx_hit **out, size_t *n_out, tts_error *err)
{
    view vq;
    hits hs = {NULL, 0, 0};
    tts_status rc;
    if (!x->finished)
        return tts_err_set(err, TTS_ERR_INTERNAL, "name index not finished");
    view_of_nname(q, &vq);
    if (vq.n == 0 && vq.glen == 0) {
        *out = NULL;
        *n_out = 0;
        return TTS_OK;
    }
    if (threshold < 0.0)
        threshold = 0.0;
    rc = exhaustive ? search_all(x, &vq, threshold, filter, user, &hs)
                    : search_index(x, &vq, threshold, filter, user, &hs);
    if (rc != TTS_OK) {
        tts_free(hs.h);
        return tts_err_set(err, rc, "out of memory searching the name index");
    }
    collapse(&hs);
    *out = hs.h;
    *n_out = hs.n;
    return TTS_OK;
}
