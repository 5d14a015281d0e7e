/* SPDX-License-Identifier: MIT */
/*
 * Name scoring (see namescore.h): Jaro-Winkler with the token penalties,
 * edit-distance similarity of whole strings, their cheap upper bounds, and
 * the score of a query against one name with its explanation. Pure
 * functions over views; the index (nameidx.c) decides which names to score.
 */
#include "lists/match/namescore.h"

#include <string.h>

/* ---- string similarity ------------------------------------------------- */

double tts_namescore_jw(const char *a, size_t la, const char *b, size_t lb)
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
    j = ((double)m / (double)la + (double)m / (double)lb +
         ((double)m - (double)t / 2.0) / (double)m) /
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

/*
 * Optimal-string-alignment distance of a and b when it is at most k, else
 * k + 1: the dynamic programme of edit_sim restricted to the diagonal band
 * |i - x| <= k (a path of cost <= k never leaves it), stopped as soon as a
 * whole row exceeds k. Both lengths at most MAX_DL_LEN.
 */
static unsigned edit_within(const char *a, size_t la, const char *b, size_t lb, unsigned k)
{
    unsigned r0[MAX_DL_LEN + 2], r1[MAX_DL_LEN + 2], r2[MAX_DL_LEN + 2];
    unsigned *pp = r0, *p = r1, *c = r2, inf = k + 1;
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > k)
        return inf;
    for (size_t x = 0; x <= lb + 1; x++)
        r0[x] = r1[x] = r2[x] = inf;
    for (size_t x = 0; x <= lb && x <= k; x++)
        p[x] = (unsigned)x;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
        unsigned best = inf, *tmp;
        c[0] = i <= k ? (unsigned)i : inf;
        c[lo - 1] = lo - 1 == 0 ? c[0] : inf;
        for (size_t x = lo; x <= hi; x++) {
            unsigned cost = a[i - 1] == b[x - 1] ? 0 : 1;
            unsigned v = p[x] + 1;
            if (c[x - 1] + 1 < v)
                v = c[x - 1] + 1;
            if (p[x - 1] + cost < v)
                v = p[x - 1] + cost;
            if (i > 1 && x > 1 && a[i - 1] == b[x - 2] && a[i - 2] == b[x - 1] && pp[x - 2] + 1 < v)
                v = pp[x - 2] + 1;
            if (v > inf)
                v = inf;
            c[x] = v;
            if (v < best)
                best = v;
        }
        if (c[0] < best)
            best = c[0];
        c[hi + 1] = inf;
        if (best > k)
            return inf;
        tmp = pp;
        pp = p;
        p = c;
        c = tmp;
    }
    return p[lb] < inf ? p[lb] : inf;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* Which byte values occur in s, folded to 64 bits (an over-approximation). */
uint64_t tts_namescore_mask(const char *s, size_t n)
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

/* Bits of tts_namescore_mask that the vowels a e i o u set. */
#define VOWEL_BITS                                                                                 \
    (((uint64_t)1 << ('a' & 63)) | ((uint64_t)1 << ('e' & 63)) | ((uint64_t)1 << ('i' & 63)) |     \
     ((uint64_t)1 << ('o' & 63)) | ((uint64_t)1 << ('u' & 63)))

int tts_namescore_vowelless(const char *s, size_t n)
{
    if (n < 2 || n > SKEL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c < 'a' || c > 'z' || c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u')
            return 0;
    }
    return 1;
}

size_t tts_namescore_skeleton(const char *s, size_t n, char *out)
{
    size_t k = 0;
    if (n > SKEL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i] == 'v' ? 'w' : s[i];
        if (c < 'a' || c > 'z')
            return 0;
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'w' || c == 'y')
            continue;
        if (i > 0 && s[i - 1] == s[i])
            continue; /* "ss" in "hassan" is the one s of "hsn" */
        out[k++] = c;
    }
    return k;
}

/*
 * SKEL_SIM when one of the two words is written without vowels and both
 * have the same consonants (two or more, or both words of three letters
 * at most), else 0.
 */
static double skel_sim(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask)
{
    char sa[SKEL_MAX], sb[SKEL_MAX];
    size_t ka, kb;
    /* bmask says whether b may lack vowels; a is read (up to its first vowel) otherwise */
    if ((bmask & VOWEL_BITS) != 0 ? !tts_namescore_vowelless(a, la)
                                  : !tts_namescore_vowelless(b, lb) &&
                                        !tts_namescore_vowelless(a, la))
        return 0.0;
    ka = tts_namescore_skeleton(a, la, sa);
    kb = tts_namescore_skeleton(b, lb, sb);
    if (ka == 0 || ka != kb || memcmp(sa, sb, ka) != 0)
        return 0.0;
    return ka >= 2 || (la <= 3 && lb <= 3) ? SKEL_SIM : 0.0;
}

/*
 * A single letter and a longer word that begins with it ("j" / "john"):
 * an initial, which matches its name partly (INITIAL_SIM), never fully.
 */
static int is_initial_pair(const char *a, size_t la, const char *b, size_t lb)
{
    if (la == 1 && lb > 1)
        return a[0] == b[0] && !is_digit(a[0]);
    if (lb == 1 && la > 1)
        return a[0] == b[0] && !is_digit(b[0]);
    return 0;
}

/*
 * Similarity of two tokens: Jaro-Winkler, lowered when the first letters
 * differ, when a short token is not equal, and by the length ratio.
 * Numbers match only exactly. Under TOK_MIN the pair counts as nothing.
 * bmask is tts_namescore_mask(b): bytes of a that b lacks bound the Jaro matches
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
    if (mn == 1)
        return is_initial_pair(a, la, b, lb) ? INITIAL_SIM : 0.0;
    ratio = (double)mn / (double)mx;
    mult = (a[0] != b[0] ? 0.92 : 1.0) *
           (mn <= 3   ? 0.85
            : mn == 4 ? 0.9
                      : 1.0) *
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

/*
 * 1 when tok_bound_m(a, b) is certainly 0, from lengths and masks alone
 * (no byte of b is read): every byte value of a that b lacks is an
 * unmatched byte, the first-letter factor is at most 1, the common prefix
 * at most 4. Each term only over-estimates what tok_bound_m computes.
 */
static int apart_m(size_t la, size_t lb, size_t m)
{
    size_t mn = la < lb ? la : lb, mx = la < lb ? lb : la, pre;
    double mult, jmax;
    if (mn == 0 || m == 0)
        return 1;
    pre = mn < 4 ? mn : 4;
    mult = (mn <= 3 ? 0.85 : mn == 4 ? 0.9 : 1.0) * (0.85 + 0.15 * ((double)mn / (double)mx));
    jmax = ((double)m / (double)la + (double)m / (double)lb + 1.0) / 3.0;
    return (jmax + (double)pre * 0.1 * (1.0 - jmax)) * mult < TOK_MIN;
}

/* The Jaro matches a pair can have at most: bytes of a that b has, and no more than lb. */
static size_t max_matches(size_t la, uint64_t amask, size_t lb, uint64_t bmask)
{
    size_t gone = tts_namescore_popcount(amask & ~bmask), m = gone < la ? la - gone : 0;
    return m > lb ? lb : m;
}

static int tok_surely_apart(const tts_nsapart *ap, size_t la, uint64_t amask, size_t lb,
                            uint64_t bmask)
{
    size_t m = max_matches(la, amask, lb, bmask);
    if (ap != NULL && la < NS_APART_LEN && lb < NS_APART_LEN)
        return m < ap->min_m[la][lb];
    return apart_m(la, lb, m);
}

void tts_namescore_apart_init(tts_nsapart *ap)
{
    for (size_t la = 0; la < NS_APART_LEN; la++)
        for (size_t lb = 0; lb < NS_APART_LEN; lb++) {
            /* apart_m(la, lb, m) only turns false as m grows: the first m
             * for which it is false, by bisection; mn + 1 when none is */
            size_t lo = 1, hi = (la < lb ? la : lb) + 1;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (apart_m(la, lb, mid))
                    lo = mid + 1;
                else
                    hi = mid;
            }
            ap->min_m[la][lb] = (uint8_t)lo;
        }
}

double tts_namescore_tok_sim_m(const tts_nsapart *ap, const char *a, size_t la, uint64_t amask,
                               const char *b, size_t lb, uint64_t bmask)
{
    /* equal tokens have equal lengths and masks, and are never rejected;
     * initials are not Jaro-Winkler pairs */
    if (la > 1 && lb > 1 && (la != lb || amask != bmask) &&
        ((amask & VOWEL_BITS) != 0 && (bmask & VOWEL_BITS) != 0) &&
        tok_surely_apart(ap, la, amask, lb, bmask))
        return 0.0;
    return tts_namescore_tok_sim(a, la, b, lb, bmask);
}

double tts_namescore_tok_bound_m(const tts_nsapart *ap, const char *a, size_t la, uint64_t amask,
                                 const char *b, size_t lb, uint64_t bmask)
{
    if (la > 1 && lb > 1 && (la != lb || amask != bmask) &&
        ((amask & VOWEL_BITS) != 0 && (bmask & VOWEL_BITS) != 0) &&
        tok_surely_apart(ap, la, amask, lb, bmask))
        return 0.0;
    return tts_namescore_tok_bound(a, la, b, lb, bmask);
}

/* Upper bound of tok_sim_m without running Jaro-Winkler (1.0 exactly for equal tokens). */
double tts_namescore_tok_bound(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask)
{
    double mult, v = tok_bound_m(a, la, b, lb, bmask, &mult);
    double k = v < SKEL_SIM ? skel_sim(a, la, b, lb, bmask) : 0.0;
    return v > k ? v : k;
}

double tts_namescore_tok_sim(const char *a, size_t la, const char *b, size_t lb, uint64_t bmask)
{
    double mult, s, bound;
    if (la == lb && memcmp(a, b, la) == 0)
        return 1.0;
    bound = tok_bound_m(a, la, b, lb, bmask, &mult);
    if (bound == 0.0 || mult == 0.0)
        s = bound; /* 0, or an initial */
    else
        s = tts_namescore_jw(a, la, b, lb) * mult;
    if (s < SKEL_SIM && la > 1 && lb > 1) {
        double k = skel_sim(a, la, b, lb, bmask);
        s = k > s ? k : s;
    }
    return s < TOK_MIN && !(la == 1 || lb == 1) ? 0.0 : s;
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

void tts_namescore_view(const char *tokens, const char *legal, const char *glued, tts_nsview *v)
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
        /* the first MAX_DL_LEN bytes are kept, every one of them */
        if (v->jlen < MAX_DL_LEN)
            memcpy(v->jbuf + v->jlen, v->s[i],
                   v->l[i] < MAX_DL_LEN - v->jlen ? v->l[i] : MAX_DL_LEN - v->jlen);
        v->jlen += v->l[i];
    }
    v->jbuf[v->jlen <= MAX_DL_LEN ? v->jlen : MAX_DL_LEN] = '\0';
    v->joined = v->jbuf;
    v->jmask = tts_namescore_mask(v->jbuf, v->jlen <= MAX_DL_LEN ? v->jlen : MAX_DL_LEN);
    v->gmask = tts_namescore_mask(v->glued, v->glen);
    for (size_t i = 0; i < v->n; i++)
        v->mask[i] = tts_namescore_mask(v->s[i], v->l[i]);
}

/* The cached similarity of query token qi and dictionary token tok, or -1 when not cached. */
double tts_namescore_cached(const tts_nscache *c, size_t qi, uint32_t tok)
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

int tts_namescore_no_legal(const char *l) { return l == NULL || l[0] == '\0'; }

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
    if (floor >= 0.0) {
        /* only distances that can reach floor matter: compute those exactly */
        unsigned k = (unsigned)((1.0 - floor) * (double)mx + 1e-9), d;
        if (la == lb && memcmp(a, b, la) == 0)
            return 1.0;
        d = edit_within(a, la, b, lb, k);
        return d <= k ? 1.0 - (double)d / (double)mx : 0.0;
    }
    return edit_sim(a, la, b, lb);
}

int tts_namescore_may_cover(const tts_nsview *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->l[i] > 1)
            return 1;
    return 0;
}

/*
 * The token score: the weighted similarity of the pairs, sum (each pair
 * weighs its two lengths), over the weight of both names. When every query
 * word found a close pair (COVER_MIN or more with a list word of at least
 * COVER_RATIO of its length, or a query-side initial), the list words
 * left over are what the query did not say (a second surname, a
 * patronymic, a middle name, "Technologies"): each weighs LIST_ONLY_COST
 * of its length, capped at the longest paired list word, so a long
 * leftover weighs no more than a short one. Otherwise an unmatched query
 * word weighs QUERY_ONLY_COST of its length and list words their length.
 * The index relies on two facts (nameidx.c, search_index): the score is
 * never above sum / (Wq + Wn) unless every query word is paired, and when
 * it is, the weight is at least Wq + max(COVER_RATIO Wq, sum - Wq).
 */
static double token_score(const tts_nsview *q, const tts_nsview *n, tts_nspairing *pr,
                          const uint8_t *qused, const uint8_t *nused, double sum)
{
    double wq = (double)q->w, rest = 0.0;
    size_t cap = 0, m = 0;
    pr->covered = tts_namescore_may_cover(q) && pr->n == q->n;
    for (size_t k = 0; k < pr->n && pr->covered; k++) {
        size_t lq = q->l[pr->qi[k]], ln = n->l[pr->ni[k]];
        if ((ln == 1 && lq > 1) ||
            (lq > 1 && (pr->sim[k] < COVER_TEST || (double)ln < COVER_RATIO * (double)lq)))
            pr->covered = 0; /* "John" paired only with "J.", a loose pair, a short word */
        cap = ln > cap ? ln : cap;
        m += ln;
    }
    if (pr->covered) {
        for (size_t j = 0; j < n->n; j++)
            if (!nused[j])
                rest += (double)(n->l[j] < cap ? n->l[j] : cap);
        return sum / (wq + (double)m + LIST_ONLY_COST * rest);
    }
    for (size_t i = 0; i < q->n; i++)
        if (!qused[i])
            wq += (QUERY_ONLY_COST - 1.0) * (double)q->l[i];
    return wq + (double)n->w > 0 ? sum / (wq + (double)n->w) : 0.0;
}

/*
 * Exact score of query q against name n: greedy best assignment of token
 * pairs (highest similarity first), length-weighted; glued edit-distance
 * similarity; legal-form penalty. Fills *pr for explanations. When `need`
 * is >= 0 the edit distance is skipped if its length bound (1 - length
 * difference / longer length) cannot beat both `need` and the token score:
 * the result is then exact for every score that reaches `need`.
 */
void tts_namescore_score(const tts_nsview *q, const tts_nsview *n, const tts_nscache *cache,
                         double need, tts_nspairing *pr)
{
    double floor, w;
    double m[MAX_QTOK][MAX_QTOK];
    uint8_t qused[MAX_QTOK] = {0}, nused[MAX_QTOK] = {0};
    double sum = 0.0;
    pr->n = 0;
    for (size_t i = 0; i < q->n; i++)
        for (size_t j = 0; j < n->n; j++) {
            double v = cache != NULL && n->id[j] != UINT32_MAX
                           ? tts_namescore_cached(cache, i, n->id[j])
                           : -1.0;
            m[i][j] = v >= 0.0 ? v
                               : tts_namescore_tok_sim_m(NULL, q->s[i], q->l[i], q->mask[i],
                                                         n->s[j], n->l[j], n->mask[j]);
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
    pr->tok_score = token_score(q, n, pr, qused, nused, sum);
    /* Joined tokens against joined tokens; when only one side names a legal
     * form, also against the other side's glued form ("JSCARGUMENT"). */
    floor = need < 0.0 ? -1.0 : need > pr->tok_score ? need : pr->tok_score;
    pr->whole = whole_sim(q->joined, q->jlen, n->joined, n->jlen, n->jmask, floor);
    if (tts_namescore_no_legal(q->legal) && !tts_namescore_no_legal(n->legal)) {
        w = whole_sim(q->joined, q->jlen, n->glued, n->glen, n->gmask, floor);
        pr->whole = w > pr->whole ? w : pr->whole;
    }
    if (!tts_namescore_no_legal(q->legal) && tts_namescore_no_legal(n->legal)) {
        w = whole_sim(q->glued, q->glen, n->joined, n->jlen, n->jmask, floor);
        pr->whole = w > pr->whole ? w : pr->whole;
    }
    pr->penalty = legal_conflict(q->legal, n->legal) ? LEGAL_PENALTY : 0.0;
    /* a query's joined form holds its first MAX_DL_LEN bytes only (jbuf):
     * numbers are compared within them, on both sides alike */
    if (has_digit(q->joined, q->jlen) && has_digit(n->joined, n->jlen) &&
        !same_digits(q->joined, q->jlen < MAX_DL_LEN ? q->jlen : MAX_DL_LEN, n->joined,
                     n->jlen < MAX_DL_LEN ? n->jlen : MAX_DL_LEN))
        pr->penalty += NUMBER_PENALTY;
    pr->score = (pr->tok_score > pr->whole ? pr->tok_score : pr->whole) - pr->penalty;
    if (pr->score < 0.0)
        pr->score = 0.0;
    if (pr->score > 1.0)
        pr->score = 1.0;
}

void tts_namescore_explain(const tts_nsview *q, const tts_nsview *n, tts_buf *b)
{
    tts_nspairing pr;
    uint8_t qused[MAX_QTOK] = {0}, nused[MAX_QTOK] = {0};
    tts_namescore_score(q, n, NULL, -1.0, &pr);
    tts_buf_puts(b, "tokens");
    for (size_t k = 0; k < pr.n; k++) {
        qused[pr.qi[k]] = nused[pr.ni[k]] = 1;
        tts_buf_printf(b, " %.*s~%.*s=%.2f", (int)q->l[pr.qi[k]], q->s[pr.qi[k]],
                       (int)n->l[pr.ni[k]], n->s[pr.ni[k]], pr.sim[k]);
    }
    for (size_t i = 0; i < q->n; i++)
        if (!qused[i])
            tts_buf_printf(b, " query-only:%.*s", (int)q->l[i], q->s[i]);
    for (size_t j = 0; j < n->n; j++)
        if (!nused[j])
            tts_buf_printf(b, " list-only:%.*s", (int)n->l[j], n->s[j]);
    tts_buf_printf(b, "; token score %.3f; whole %.3f", pr.tok_score, pr.whole);
    if (legal_conflict(q->legal, n->legal))
        tts_buf_printf(b, "; legal form %s vs %s -%.2f", q->legal, n->legal, LEGAL_PENALTY);
    if (pr.penalty > LEGAL_PENALTY + 1e-9 ||
        (pr.penalty > 0.0 && !legal_conflict(q->legal, n->legal)))
        tts_buf_printf(b, "; numbers differ -%.2f", NUMBER_PENALTY);
}
