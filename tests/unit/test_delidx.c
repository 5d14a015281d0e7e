/* SPDX-License-Identifier: MIT */
/*
 * Deletion-neighbourhood index: a probe returns every token that shares a
 * neighbourhood string with the query (checked against the strings
 * themselves, not their hashes), also when one string is shared by
 * thousands of tokens and the table grows past its end; the stored bytes
 * give the same answers; damaged bytes are refused.
 */
#include <stdio.h>
#include <string.h>

#include "lists/match/delidx.h"
#include "helpers.h"
#include "util/mem.h"
#include "quality.h"

#define NTOK 600
#define NBIG 300
#define MAXLEN 30

typedef struct found {
    uint8_t hit[NTOK];
} found;

static void on_tok(void *user, uint32_t tok)
{
    found *f = user;
    if (tok < sizeof(f->hit))
        f->hit[tok] = 1;
}

/* s without the bytes at positions a and b (a, b >= n: keep), into out. */
static size_t drop(const char *s, size_t n, size_t a, size_t b, char *out)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (i != a && i != b)
            out[w++] = s[i];
    return w;
}

/* The neighbourhood strings of s as tts_delidx_add / probe define them, as text. */
static size_t variants(const char *s, size_t n, int max_del, int probe, char v[][MAXLEN + 1],
                       size_t *vl)
{
    size_t k = 0;
    size_t lo1 = probe ? DELIDX_MIN1 - 1 : DELIDX_MIN1, hi1 = probe ? DELIDX_MAX1 + 1 : DELIDX_MAX1;
    size_t lo2 = probe ? DELIDX_MIN2 - 2 : DELIDX_MIN2, hi2 = probe ? DELIDX_MAX2 + 2 : DELIDX_MAX2;
    vl[k] = drop(s, n, n, n, v[k]);
    k++;
    if (max_del >= 1 && n >= lo1 && n <= hi1)
        for (size_t a = 0; a < n; a++) {
            vl[k] = drop(s, n, a, n, v[k]);
            k++;
        }
    if (max_del >= 2 && n >= lo2 && n <= hi2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++) {
                vl[k] = drop(s, n, a, b, v[k]);
                k++;
            }
    return k;
}

static char vq[DELIDX_MAX_PROBES + 64][MAXLEN + 1], vt[DELIDX_MAX_PROBES + 64][MAXLEN + 1];
static size_t vql[DELIDX_MAX_PROBES + 64], vtl[DELIDX_MAX_PROBES + 64];

/* Does one of the query's a neighbourhood strings (vq) equal one of the token's? */
static int share(size_t a, const char *t, size_t nt, int del)
{
    size_t b = variants(t, nt, del, 0, vt, vtl);
    for (size_t i = 0; i < a; i++)
        for (size_t j = 0; j < b; j++)
            if (vql[i] == vtl[j] && memcmp(vq[i], vt[j], vql[i]) == 0)
                return 1;
    return 0;
}

static void random_token(uint64_t *seed, char *s, size_t *n)
{
    *n = 1 + (size_t)(tts_q_rand(seed) % 16);
    for (size_t i = 0; i < *n; i++)
        s[i] = (char)('a' + tts_q_rand(seed) % 4); /* few letters: many shared variants */
}

/* Probes of d for q agree with the brute-force neighbourhood over toks. */
static void check_probes(const tts_delidx *d, char toks[][MAXLEN + 1], const size_t *tl,
                         const int *tdel, size_t ntok, uint64_t *seed, int queries)
{
    for (int r = 0; r < queries; r++) {
        char q[MAXLEN + 1];
        size_t nq, nv;
        found f;
        memset(&f, 0, sizeof(f));
        random_token(seed, q, &nq);
        tts_delidx_probe(d, q, nq, 2, on_tok, &f);
        nv = variants(q, nq, 2, 1, vq, vql);
        for (size_t t = 0; t < ntok; t++) {
            int want = share(nv, toks[t], tl[t], tdel[t]);
            if (want && !f.hit[t])
                fail_msg("'%.*s' misses token %zu '%.*s'", (int)nq, q, t, (int)tl[t], toks[t]);
            if (!want && f.hit[t])
                fail_msg("'%.*s' finds token %zu '%.*s', which shares no variant", (int)nq, q, t,
                         (int)tl[t], toks[t]);
        }
    }
}

static char toks[NTOK][MAXLEN + 1];
static size_t tl[NTOK];
static int tdel[NTOK];

static void test_probes_find_exactly_the_neighbourhood(void **state)
{
    uint64_t seed = 11;
    size_t keys = 0;
    tts_delidx *d;
    (void)state;
    for (size_t t = 0; t < NTOK; t++) {
        random_token(&seed, toks[t], &tl[t]);
        tdel[t] = t % 5 == 0 ? 1 : 2;
        keys += tts_delidx_keys(tl[t], tdel[t]);
    }
    d = tts_delidx_new(keys);
    assert_non_null(d);
    for (size_t t = 0; t < NTOK; t++)
        assert_true(tts_delidx_add(d, toks[t], tl[t], tdel[t], (uint32_t)t));
    check_probes(d, toks, tl, tdel, NTOK, &seed, 100);
    tts_delidx_free(d);
}

/*
 * 300 tokens sharing the variant "abc", 4,800 keys in all, in a table
 * announced for 10 keys (1,024 home slots): it grows past its end; every
 * token is still found, and the stored bytes answer the same.
 */
static void test_long_runs_grow_the_table_and_store(void **state)
{
    uint64_t seed = 5;
    size_t ntok = NBIG;
    tts_delidx *d, *b;
    const void *bytes;
    size_t n;
    void *copy;
    int nomem = 0;
    found f;
    (void)state;
    for (size_t t = 0; t < ntok; t++) {
        /* "abc" with a letter put in before, between or after, and one at the end */
        size_t pos = t % 4;
        char extra = (char)('a' + (t / 4) % 26), extra2 = (char)('a' + (t / 104) % 26);
        char s[8] = "abc";
        memmove(s + pos + 1, s + pos, 3 - pos + 1);
        s[pos] = extra;
        s[4] = extra2; /* five letters: "abc" is one of its two-deletion variants */
        s[5] = '\0';
        memcpy(toks[t], s, 6);
        tl[t] = 5;
        tdel[t] = 2;
    }
    d = tts_delidx_new(10);
    assert_non_null(d);
    for (size_t t = 0; t < ntok; t++)
        assert_true(tts_delidx_add(d, toks[t], tl[t], tdel[t], (uint32_t)t));
    memset(&f, 0, sizeof(f));
    tts_delidx_probe(d, "abc", 3, 0, on_tok, &f);
    for (size_t t = 0; t < ntok; t++)
        if (!f.hit[t])
            fail_msg("token %zu '%s' not found under \"abc\"", t, toks[t]);
    check_probes(d, toks, tl, tdel, ntok, &seed, 5);
    tts_delidx_bytes(d, &bytes, &n);
    assert_true(n > (1024 + 64) * 8); /* grew past its end */
    copy = tts_malloc(n);
    assert_non_null(copy);
    memcpy(copy, bytes, n);
    b = tts_delidx_borrow(copy, n, &nomem);
    assert_non_null(b);
    check_probes(b, toks, tl, tdel, ntok, &seed, 5);
    tts_delidx_free(b);
    /* a header that does not match the size, or one slot short: refused */
    assert_null(tts_delidx_borrow(copy, n - 8, &nomem));
    assert_int_equal(nomem, 0);
    ((uint32_t *)copy)[0] = 40;
    assert_null(tts_delidx_borrow(copy, n, &nomem));
    ((uint32_t *)copy)[0] = 3;
    assert_null(tts_delidx_borrow(copy, n, &nomem));
    tts_free(copy);
    tts_delidx_free(d);
}

/*
 * Out of memory while the table grows: the add that needed the memory
 * reports it, and the table is still freed cleanly. Filling the table once
 * without failures counts the allocations it makes (the growths of its
 * tail); from each of them on (tts_mem_fail_after), the filling must stop
 * with an add that says so.
 */
static int fill(tts_delidx *d)
{
    for (size_t t = 0; t < NBIG; t++) {
        char s[6] = "abcde";
        s[3] = (char)('a' + t % 26);
        s[4] = (char)('a' + (t / 26) % 26);
        s[0] = (char)('a' + (t / 676) % 26);
        if (!tts_delidx_add(d, s, 5, 2, (uint32_t)t))
            return 0;
    }
    return 1;
}

static void test_growth_out_of_memory_is_reported(void **state)
{
    unsigned long growths;
    tts_delidx *d = tts_delidx_new(10);
    (void)state;
    assert_non_null(d);
    tts_mem_fail_after(0);
    assert_true(fill(d));
    growths = tts_mem_count();
    tts_delidx_free(d);
    assert_true(growths >= 3); /* 64 tail slots grow to well past 3,000 */
    for (unsigned long k = 1; k <= growths; k++) {
        d = tts_delidx_new(10);
        assert_non_null(d);
        tts_mem_fail_after(k);
        if (fill(d))
            fail_msg("allocation %lu of %lu failed, but every add succeeded", k, growths);
        tts_mem_fail_after(0);
        tts_delidx_free(d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probes_find_exactly_the_neighbourhood),
        cmocka_unit_test(test_long_runs_grow_the_table_and_store),
        cmocka_unit_test(test_growth_out_of_memory_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
