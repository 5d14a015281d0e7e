/* SPDX-License-Identifier: MIT */
/*
 * Scoring of normalised names (see nameidx.h for the model): token-pair
 * Jaro-Winkler with first-letter, short-token and length penalties, a
 * greedy best assignment weighted by token length, whole-string edit
 * similarity across token boundaries, legal-form and number penalties.
 * Also the cheap upper bounds the index uses to skip exact scoring. Views
 * borrow their strings; nothing here allocates.
 */
#ifndef TTS_NAMESCORE_H
#define TTS_NAMESCORE_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "util/limits.h"

#define MAX_QTOK TTS_NAME_MAX_WORDS /* tokens of a name or query: all take part in scoring */
#define TOK_MIN 0.80        /* token pairs scoring less count as no match */
#define LEGAL_PENALTY 0.05  /* both names carry legal forms with nothing in common */
#define MAX_JW_LEN 128      /* longer tokens only match exactly */
#define MAX_DL_LEN 256      /* longer glued strings only match exactly */
#define NUMBER_PENALTY 0.15 /* both names carry numbers and they differ ("GOLD STAR 3" / "5") */
#define INITIAL_SIM 0.5     /* a single letter and a word it begins ("J" / "John"): partial */
#define LIST_ONLY_COST 0.1  /* weight of an unmatched list word when every query word matched */
#define QUERY_ONLY_COST 1.25 /* weight of an unmatched query word (list words otherwise: 1) */
#define SKEL_SIM 0.9         /* a word written without vowels and one with the same consonants */
#define SKEL_MAX 32          /* longer words have no consonant skeleton */
#define COVER_MIN 0.9        /* pairs that count as saying a list word (covered score) */
#define COVER_TEST (COVER_MIN - 1e-6) /* the test, allowing for similarities kept as float */
#define COVER_RATIO 0.7      /* ... and whose list word has at least this share of its length */
#define PAIR_RATIO 2.6       /* pairs of words whose lengths differ more score 0 (initials aside) */

/* A token similarity the candidate search computed. */
typedef struct tts_nstsim {
    uint32_t tok;
    float sim;
} tts_nstsim;

/* A name or query as scoring sees it. */
typedef struct tts_nsview {
    const char *s[MAX_QTOK];
    size_t l[MAX_QTOK];
    uint32_t id[MAX_QTOK]; /* dictionary ids (names only) */
    size_t n, w;
    const char *glued; /* legal forms included */
    size_t glen;
    const char *joined; /* tokens only */
    size_t jlen;
    uint64_t gmask, jmask;   /* char_mask of glued and joined */
    uint64_t mask[MAX_QTOK]; /* char_mask of each token */
    const char *legal;
    char jbuf[MAX_DL_LEN + 1]; /* queries: joined tokens live here */
} tts_nsview;

/* Similarities already computed by the candidate search, by query token. */
typedef struct tts_nscache {
    tts_nstsim *list[MAX_QTOK]; /* sparse: similar tokens sorted by id (indexed search) */
    size_t n[MAX_QTOK];
    float *dense[MAX_QTOK]; /* or dense: one similarity per dictionary token (exhaustive) */
} tts_nscache;

/* How q paired with a name, for the score and its explanation. */
typedef struct tts_nspairing {
    size_t n;
    uint8_t qi[MAX_QTOK], ni[MAX_QTOK];
    double sim[MAX_QTOK];
    double tok_score, whole, penalty, score;
    int covered; /* every query word paired, none only with a list-side initial */
} tts_nspairing;

/* Number of bits set in v. */
static inline unsigned tts_namescore_popcount(uint64_t v)
{
    v = v - ((v >> 1) & 0x5555555555555555ULL);
    v = (v & 0x3333333333333333ULL) + ((v >> 2) & 0x3333333333333333ULL);
    v = (v + (v >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (unsigned)((v * 0x0101010101010101ULL) >> 56);
}

/*
 * Plain Jaro-Winkler similarity of a[0..la) and b[0..lb) (prefix scale
 * 0.1, prefix up to 4), in [0,1]; 0 when either is empty or longer than
 * MAX_JW_LEN bytes.
 */
double tts_namescore_jw(const char *a, size_t la, const char *b, size_t lb);

/* Which byte values occur in s, folded to 64 bits. */
uint64_t tts_namescore_mask(const char *s, size_t n);

/*
 * Similarity of two tokens in [0,1] (0 under TOK_MIN); bmask is
 * tts_namescore_mask(b). tts_namescore_tok_bound is an upper bound of it
 * that never runs Jaro-Winkler.
 */
double tts_namescore_tok_sim(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask);
double tts_namescore_tok_bound(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask);

/*
 * The test that proves two tokens apart from their lengths and masks, as a
 * table: for lengths la, lb under NS_APART_LEN, the smallest number of Jaro
 * matches that can still reach TOK_MIN (more than any possible: never).
 * Same answers as the arithmetic it replaces, without its divisions.
 */
#define NS_APART_LEN 64
typedef struct tts_nsapart {
    uint8_t min_m[NS_APART_LEN][NS_APART_LEN];
} tts_nsapart;

void tts_namescore_apart_init(tts_nsapart *ap);

/*
 * The same two functions given amask = tts_namescore_mask(a) too: pairs
 * the masks and lengths alone prove apart return 0 without reading b. ap
 * (from tts_namescore_apart_init) or NULL gives the same results; the
 * table is only faster.
 */
double tts_namescore_tok_sim_m(const tts_nsapart *ap, const char *a, size_t la, uint64_t amask,
                               const char *b, size_t lb, uint64_t bmask);
double tts_namescore_tok_bound_m(const tts_nsapart *ap, const char *a, size_t la, uint64_t amask,
                                 const char *b, size_t lb, uint64_t bmask);

/*
 * Words from scripts written without vowels (Arabic, Hebrew: "mhmd",
 * "msh") are compared with the consonants of the other word ("mohamed",
 * "moshe"): tts_namescore_vowelless says whether s[0..n) is such a word
 * (letters a-z, none of a e i o u, two or more), tts_namescore_skeleton
 * writes its consonants (v read as w; vowels, w and y dropped; a doubled
 * letter once) into out[SKEL_MAX] and
 * returns their number, 0 when s has none or is not plain letters.
 */
int tts_namescore_vowelless(const char *s, size_t n);
size_t tts_namescore_skeleton(const char *s, size_t n, char *out);

/* 1 when a legal-form string is absent or empty. */
int tts_namescore_no_legal(const char *l);

/* Fill v from the three strings of a tts_nname (borrowed; joined form built in v). */
void tts_namescore_view(const char *tokens, const char *legal, const char *glued, tts_nsview *v);

/* Cached similarity of query token qi and dictionary token tok, or -1 when not cached. */
double tts_namescore_cached(const tts_nscache *c, size_t qi, uint32_t tok);

/*
 * Exact score of q against n into *pr (cache may be NULL). need >= 0 lets
 * the whole-string comparison be skipped where it cannot reach need; the
 * result is exact for every score that does.
 */
void tts_namescore_score(const tts_nsview *q, const tts_nsview *n, const tts_nscache *cache,
                         double need, tts_nspairing *pr);

/*
 * 1 when q can have the covered token score (every query word paired):
 * it has a word of two letters or more (a lone initial names nobody).
 */
int tts_namescore_may_cover(const tts_nsview *q);

/* Append the explanation of q against n (token pairs, whole string, penalties) to b. */
void tts_namescore_explain(const tts_nsview *q, const tts_nsview *n, tts_buf *b);

#endif
