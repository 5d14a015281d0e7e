/* SPDX-License-Identifier: MIT */
/*
 * Scoring and the candidate index: table-driven score expectations,
 * indexed search agreeing with the exhaustive one, and the quality
 * measurements on the real 2019 OFAC SDN list (self-recall of every name
 * and alias; indexed vs exhaustive recall on 10,000 perturbed queries),
 * printed into the test output and asserted against the targets.
 */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "helpers.h"
#include "lists/listdb.h"
#include "util/mem.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "lists/match/namescore.h"
#include "quality.h"
#include "store/store.h"

static double score(const char *a, const char *b)
{
    tts_nname x, y;
    tts_error err;
    double s;
    tts_error_clear(&err);
    assert_int_equal(tts_names_normalize(a, strlen(a), 0, &x, &err), TTS_OK);
    assert_int_equal(tts_names_normalize(b, strlen(b), 0, &y, &err), TTS_OK);
    s = tts_nameidx_score_pair(&x, &y);
    tts_nname_clear(&x);
    tts_nname_clear(&y);
    return s;
}

typedef struct score_case {
    const char *a, *b;
    double lo, hi; /* expected range, inclusive */
} score_case;

static void test_scores_follow_the_table(void **state)
{
    static const score_case cases[] = {
        {"Deutsche Bank AG", "Deutsche Bank AG", 1.0, 1.0},
        {"Deutsche Bank AG", "Deutsche Bank GmbH", 0.85, 0.99},
        {"JSC ARGUMENT", "JSCARGUMENT", 0.99, 1.0},
        {"ＣＡＴＬ", "CATL", 1.0, 1.0},
        {"Banco Nacional de Cuba", "BANKO NACIONAL DE CUBA", 0.9, 0.99},
        {"KIM, Jong Un", "Kim Jong Un", 1.0, 1.0},
        {"Contemporary Amperex Technology Co., Limited", "Contemporary Amperex Technology", 1.0,
         1.0},
        {"Huawei Technologies Co., Ltd.", "Hauwei Technologies", 0.9, 0.99},
        {"Bank Melli Iran", "Bank Mellat", 0.0, 0.84},
        {"Deutsche Bank", "Bank Melli", 0.0, 0.5},
        {"宁德时代新能源科技股份有限公司", "寧德時代新能源科技股份有限公司", 1.0, 1.0},
        {"株式会社東芝", "東芝", 1.0, 1.0},
        {"ｶﾞｽ", "ガス", 1.0, 1.0},
        {"Mohammed Ali", "Muhammad Ali", 0.85, 0.95},
        {"AL QAIDA", "ALQAIDA", 0.99, 1.0},
        {"Rosneft 1", "Rosneft 2", 0.0, 0.84},
        /* a dropped second surname, patronymic or middle name costs little
         * when every query word is said; an unsaid query word costs more */
        {"Nicolas MADURO", "Nicolas MADURO MOROS", 0.95, 0.99},
        {"Vladimir Putin", "Vladimir Vladimirovich Putin", 0.95, 0.99},
        {"Huawei", "Huawei Technologies Co., Ltd.", 0.85, 0.96},
        {"Nicolas Maduro Guerra", "Nicolas Maduro", 0.70, 0.84},
        /* sister entities and near names stay under the default threshold */
        {"CARIBBEAN TRADING LIMITED", "PACIFIC TRADING LIMITED", 0.0, 0.84},
        {"John Doe", "John Down", 0.0, 0.84},
        {"LXC Aviation", "LAU Aviation", 0.0, 0.84},
        /* initials match their names partly, never fully */
        {"J. Smith", "John Smith", 0.80, 0.84},
        {"John Smith", "J. Smith", 0.60, 0.84},
        {"E", "Bank E Ansar", 0.0, 0.5},
        /* merged and split words */
        {"Ramimakhlouf", "Rami Makhlouf", 0.99, 1.0},
        {"JSCARGUMENT", "JSC ARGUMENT", 0.99, 1.0},
        /* legal forms of one class compare equal; of two classes, a penalty */
        {"Gazprom Neft JSC", "Gazprom Neft OAO", 1.0, 1.0},
        {"Gazprom Neft PAO", "ПАО Газпром нефть", 1.0, 1.0},
        {"FABERLIC EUROPE", "FABERLIC EUROPE Sp. z o.o.", 1.0, 1.0},
        {"Siemens AG", "Siemens Aktiengesellschaft", 1.0, 1.0},
        {"Toyota K.K.", "トヨタ株式会社", 1.0, 1.0},
        {"Gazprom Neft JSC", "Gazprom Neft LLC", 0.9, 0.96},
        /* Han: a short name finds the full name; two characters only themselves */
        {"宁德时代", "宁德时代新能源科技股份有限公司", 0.9, 0.99},
        {"海康威视", "杭州海康威视数字技术股份有限公司", 0.9, 0.99},
        {"中国", "中国人民银行", 0.0, 0.84},
        {"山田太郎", "山田太郎", 1.0, 1.0},
        /* other scripts against the Latin form a list carries */
        {"Владимир Путин", "PUTIN, Vladimir", 1.0, 1.0},
        {"Газпром", "Gazprom", 1.0, 1.0},
        {"トヨタ", "Toyota", 1.0, 1.0},
        {"习近平", "Xi Jinping", 1.0, 1.0},
        {"محمد علي", "Mohamed Ali", 0.85, 0.95},
        {"משה", "Moshe", 0.85, 0.95},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double s = score(cases[i].a, cases[i].b);
        if (s < cases[i].lo - 1e-9 || s > cases[i].hi + 1e-9)
            fail_msg("row %zu: '%s' vs '%s' scored %.4f, expected %.2f..%.2f", i, cases[i].a,
                     cases[i].b, s, cases[i].lo, cases[i].hi);
    }
}

static void test_sister_entity_scores_below_exact(void **state)
{
    (void)state;
    assert_true(score("Deutsche Bank AG", "Deutsche Bank GmbH") <
                score("Deutsche Bank AG", "Deutsche Bank AG"));
}

static tts_nameidx *build(const char *const *names, size_t n)
{
    tts_nameidx *x = tts_nameidx_new();
    tts_error err;
    tts_error_clear(&err);
    assert_non_null(x);
    for (size_t i = 0; i < n; i++) {
        tts_nname nn;
        assert_int_equal(tts_names_normalize(names[i], strlen(names[i]), 0, &nn, &err), TTS_OK);
        /* two names per entry: entry = i / 2 */
        assert_int_equal(tts_nameidx_add(x, (uint32_t)(i / 2), nn.tokens, nn.legal, nn.glued, &err),
                         TTS_OK);
        tts_nname_clear(&nn);
    }
    assert_int_equal(tts_nameidx_finish(x, &err), TTS_OK);
    return x;
}

static const char *const small[] = {
    "AEROCARIBBEAN AIRLINES", "AERO-CARIBBEAN",          "BANCO NACIONAL DE CUBA",
    "NATIONAL BANK OF CUBA",  "JSC ARGUMENT",            "ARGUMENT OOO",
    "Deutsche Bank AG",       "DB AG",                   "Deutsche Bank GmbH",
    "DB GmbH",                "Contemporary Amperex Technology Co., Limited", "宁德时代",
};

static void search_both(tts_nameidx *x, const char *query, double thr, tts_nameidx_hit **a,
                        size_t *na, tts_nameidx_hit **b, size_t *nb)
{
    tts_nname q;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_names_normalize(query, strlen(query), 0, &q, &err), TTS_OK);
    assert_int_equal(tts_nameidx_search(x, &q, thr, 0, NULL, NULL, a, na, &err), TTS_OK);
    assert_int_equal(tts_nameidx_search(x, &q, thr, 1, NULL, NULL, b, nb, &err), TTS_OK);
    tts_nname_clear(&q);
}

static void test_index_agrees_with_exhaustive_search(void **state)
{
    static const char *const queries[] = {"AEROCARIBEAN AIRLINES", "Banco Nacional Cuba",
                                          "JSCARGUMENT",          "Deutsche Bank",
                                          "CATL",                 "寧德時代",
                                          "Contemporary Amperex Tech", "National Bank of Kuba"};
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0]));
    (void)state;
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        tts_nameidx_hit *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        search_both(x, queries[i], 0.85, &a, &na, &b, &nb);
        if (na != nb)
            fail_msg("query %zu '%s': indexed %zu hits, exhaustive %zu", i, queries[i], na, nb);
        for (size_t k = 0; k < na; k++) {
            assert_int_equal(a[k].entry, b[k].entry);
            assert_true(a[k].score == b[k].score);
        }
        tts_free(a);
        tts_free(b);
    }
    tts_nameidx_free(x);
}

static void test_search_returns_each_entry_once_best_first(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0]));
    tts_nameidx_hit *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    (void)state;
    search_both(x, "Deutsche Bank AG", 0.5, &a, &na, &b, &nb);
    assert_true(na >= 2);
    assert_int_equal(a[0].entry, 3); /* "Deutsche Bank AG" */
    assert_int_equal(a[1].entry, 4); /* its GmbH sister */
    assert_true(a[0].score > a[1].score);
    for (size_t i = 0; i < na; i++)
        for (size_t k = i + 1; k < na; k++)
            assert_int_not_equal(a[i].entry, a[k].entry);
    tts_free(a);
    tts_free(b);
    tts_nameidx_free(x);
}

/* Short names in Han and in other scripts are found by the indexed search as by the exhaustive one. */
static void test_index_finds_short_han_names_and_other_scripts(void **state)
{
    static const char *const names[] = {
        "宁德时代新能源科技股份有限公司", "CATL",
        "杭州海康威视数字技术股份有限公司", "Hikvision",
        "中国人民银行",                   "People's Bank of China",
        "中国银行股份有限公司",           "Bank of China",
        "PUTIN, Vladimir Vladimirovich",  "Putin",
        "Mohamed Ali",                    "Ali Mohamed",
        "MADURO MOROS, Nicolas",          "Maduro",
    };
    static const struct {
        const char *q;
        uint32_t entry; /* expected first; UINT32_MAX: nothing at 0.85 */
    } want[] = {
        {"宁德时代", 0}, {"海康威视", 1}, {"中国", UINT32_MAX}, {"Владимир Путин", 4},
        {"محمد علي", 5}, {"Nicolas MADURO", 6},
    };
    tts_nameidx *x = build(names, sizeof(names) / sizeof(names[0]));
    (void)state;
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        tts_nameidx_hit *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        search_both(x, want[i].q, 0.85, &a, &na, &b, &nb);
        if (want[i].entry == UINT32_MAX ? na != 0 : (na == 0 || a[0].entry != want[i].entry))
            fail_msg("'%s': %zu hits, first entry %d", want[i].q, na, na ? (int)a[0].entry : -1);
        assert_int_equal(na, nb);
        tts_free(a);
        tts_free(b);
    }
    tts_nameidx_free(x);
}

static void test_explain_names_token_pairs(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0]));
    tts_nname q;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_names_normalize("Deutsche Bank AG", 16, 0, &q, &err), TTS_OK);
    tts_nameidx_explain(x, &q, 8, &b);
    assert_non_null(strstr(b.data, "deutsche~deutsche=1.00"));
    assert_non_null(strstr(b.data, "legal form jsc vs ltd"));
    tts_buf_free(&b);
    tts_nname_clear(&q);
    tts_nameidx_free(x);
}

/* A random name over a small alphabet, so that many names are near one another. */
static void random_name(uint64_t *st, char *out, size_t cap)
{
    static const char *const legal[] = {"", "", "", " LTD", " GMBH", " JSC"};
    size_t len = 0;
    int words = 1 + (int)(tts_q_rand(st) % 3);
    for (int w = 0; w < words && len + 16 < cap; w++) {
        int l = 2 + (int)(tts_q_rand(st) % 9);
        if (w > 0)
            out[len++] = ' ';
        for (int k = 0; k < l; k++)
            out[len++] = (char)('A' + tts_q_rand(st) % 5);
    }
    out[len] = '\0';
    snprintf(out + len, cap - len, "%s", legal[tts_q_rand(st) % 6]);
}

/*
 * The bounded computations (edit distance restricted to the band that can
 * reach the threshold, early rejections) never change a reported score:
 * every hit of either mode carries the unbounded score of its name, the
 * exhaustive mode reports every entry whose best unbounded score reaches
 * the threshold, and the indexed hits are a subset with the same scores.
 */
static void test_bounded_scoring_reports_exact_scores(void **state)
{
    enum { N = 1500, Q = 300 };
    static const double thr[] = {0.6, 0.75, 0.85, 0.95};
    char **names = calloc(N, sizeof(char *));
    uint64_t seed = 42;
    tts_nameidx *x;
    (void)state;
    assert_non_null(names);
    for (size_t i = 0; i < N; i++) {
        char buf[128];
        random_name(&seed, buf, sizeof(buf));
        names[i] = strdup(buf);
    }
    x = build((const char *const *)names, N);
    for (size_t qi = 0; qi < Q; qi++) {
        char buf[256];
        tts_nname q;
        tts_error err;
        double t = thr[qi % 4];
        tts_nameidx_hit *a = NULL, *b = NULL;
        size_t na = 0, nb = 0, want = 0;
        double best[N / 2 + 1];
        tts_error_clear(&err);
        if (qi % 2 == 0)
            random_name(&seed, buf, sizeof(buf));
        else
            tts_q_perturb(names[tts_q_rand(&seed) % N], &seed, buf, sizeof(buf));
        assert_int_equal(tts_names_normalize(buf, strlen(buf), 0, &q, &err), TTS_OK);
        for (size_t e = 0; e <= N / 2; e++)
            best[e] = -1.0;
        for (uint32_t nm = 0; nm < N; nm++) {
            double sc = tts_nameidx_score(x, &q, nm);
            if (sc > best[nm / 2])
                best[nm / 2] = sc;
        }
        assert_int_equal(tts_nameidx_search(x, &q, t, 1, NULL, NULL, &b, &nb, &err), TTS_OK);
        assert_int_equal(tts_nameidx_search(x, &q, t, 0, NULL, NULL, &a, &na, &err), TTS_OK);
        /* token similarities are cached as float in both modes: compare to 1e-6 */
        for (size_t e = 0; e <= N / 2; e++) {
            int found = 0;
            for (size_t k = 0; k < nb; k++)
                found |= b[k].entry == e;
            if (best[e] >= t + 1e-6 && !found)
                fail_msg("query '%s' at %.2f: entry %zu scores %.6f unbounded, exhaustive misses "
                         "it",
                         buf, t, e, best[e]);
            want += found;
        }
        assert_int_equal(want, nb);
        for (size_t k = 0; k < nb; k++)
            if (fabs(b[k].score - best[b[k].entry]) > 1e-6 ||
                fabs(b[k].score - tts_nameidx_score(x, &q, b[k].name)) > 1e-6)
                fail_msg("query '%s': exhaustive score %.6f of name %u, unbounded %.6f, entry "
                         "best %.6f",
                         buf, b[k].score, b[k].name, tts_nameidx_score(x, &q, b[k].name),
                         best[b[k].entry]);
        for (size_t k = 0; k < na; k++)
            if (fabs(a[k].score - tts_nameidx_score(x, &q, a[k].name)) > 1e-6 || a[k].score < t)
                fail_msg("query '%s': indexed score %.6f of name %u, unbounded %.6f", buf,
                         a[k].score, a[k].name, tts_nameidx_score(x, &q, a[k].name));
        tts_free(a);
        tts_free(b);
        tts_nname_clear(&q);
    }
    tts_nameidx_free(x);
    for (size_t i = 0; i < N; i++)
        free(names[i]);
    free(names);
}

/* ---- the stored form --------------------------------------------------- */

static const char *const probe_queries[] = {
    "AEROCARIBEAN AIRLINES", "Banco Nacional Cuba", "JSCARGUMENT", "Deutsche Bank GmbH",
    "CATL", "寧德時代", "Contemporary Amperex Tech", "National Bank of Kuba", "ARGUMENT",
};

/* The stored bytes of x at offset `off` of a new tts_malloc block (the layout loading expects). */
static unsigned char *stored(const tts_nameidx *x, size_t off, size_t *n)
{
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    unsigned char *blob;
    tts_error_clear(&err);
    assert_int_equal(tts_nameidx_serialize(x, &b, &err), TTS_OK);
    blob = tts_malloc(off + b.len);
    assert_non_null(blob);
    memset(blob, 0, off);
    memcpy(blob + off, b.data, b.len);
    *n = b.len;
    tts_buf_free(&b);
    return blob;
}

/* Run every probe query through y in both modes (results only compared when want != NULL). */
static void probe(tts_nameidx *y, tts_nameidx *want)
{
    for (size_t i = 0; i < sizeof(probe_queries) / sizeof(probe_queries[0]); i++) {
        tts_nname q;
        tts_error err;
        tts_error_clear(&err);
        assert_int_equal(
            tts_names_normalize(probe_queries[i], strlen(probe_queries[i]), 0, &q, &err), TTS_OK);
        for (int ex = 0; ex < 2; ex++) {
            tts_nameidx_hit *a = NULL, *b = NULL;
            size_t na = 0, nb = 0;
            tts_status rc = tts_nameidx_search(y, &q, 0.5, ex, NULL, NULL, &a, &na, &err);
            assert_true(rc == TTS_OK);
            if (want != NULL) {
                assert_int_equal(tts_nameidx_search(want, &q, 0.5, ex, NULL, NULL, &b, &nb, &err),
                                 TTS_OK);
                assert_int_equal(na, nb);
                for (size_t k = 0; k < na; k++) {
                    assert_int_equal(a[k].name, b[k].name);
                    assert_int_equal(a[k].entry, b[k].entry);
                    assert_true(a[k].score == b[k].score);
                }
            }
            tts_free(a);
            tts_free(b);
        }
        if (want != NULL && tts_nameidx_count(y) > 5) {
            tts_buf e1 = TTS_BUF_INIT, e2 = TTS_BUF_INIT;
            tts_nameidx_explain(y, &q, 5, &e1);
            tts_nameidx_explain(want, &q, 5, &e2);
            assert_string_equal(e1.data, e2.data);
            tts_buf_free(&e1);
            tts_buf_free(&e2);
        }
        tts_nname_clear(&q);
    }
}

/*
 * The table of the lengths-and-masks test answers as the arithmetic it
 * replaces: token pairs over small alphabets (shared letters, many
 * lengths), scored with the table and without, give the same bits.
 */
static void test_apart_table_changes_no_score(void **state)
{
    uint64_t seed = 42;
    char a[80], b[80];
    tts_nsapart ap;
    (void)state;
    tts_namescore_apart_init(&ap);
    for (int round = 0; round < 40000; round++) {
        size_t la = 1 + (size_t)(tts_q_rand(&seed) % 70), lb = 1 + (size_t)(tts_q_rand(&seed) % 70);
        unsigned alpha = 2 + (unsigned)(tts_q_rand(&seed) % 12);
        double x, y;
        if (round % 3 == 0)
            lb = la > 2 ? la - 1 + (size_t)(tts_q_rand(&seed) % 3) : la;
        for (size_t i = 0; i < la; i++)
            a[i] = (char)('a' + tts_q_rand(&seed) % alpha);
        for (size_t i = 0; i < lb; i++)
            b[i] = round % 2 == 0 && i < la && tts_q_rand(&seed) % 4 != 0
                       ? a[i]
                       : (char)('a' + tts_q_rand(&seed) % alpha);
        x = tts_namescore_tok_sim_m(NULL, a, la, tts_namescore_mask(a, la), b, lb,
                                    tts_namescore_mask(b, lb));
        y = tts_namescore_tok_sim_m(&ap, a, la, tts_namescore_mask(a, la), b, lb,
                                    tts_namescore_mask(b, lb));
        if (memcmp(&x, &y, sizeof(x)) != 0)
            fail_msg("'%.*s' '%.*s': %.17g without the table, %.17g with", (int)la, a, (int)lb, b,
                     x, y);
        x = tts_namescore_tok_bound_m(NULL, a, la, tts_namescore_mask(a, la), b, lb,
                                      tts_namescore_mask(b, lb));
        y = tts_namescore_tok_bound_m(&ap, a, la, tts_namescore_mask(a, la), b, lb,
                                      tts_namescore_mask(b, lb));
        if (memcmp(&x, &y, sizeof(x)) != 0)
            fail_msg("bound '%.*s' '%.*s': %.17g without the table, %.17g with", (int)la, a,
                     (int)lb, b, x, y);
    }
}

static void test_stored_index_round_trips(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0])), *y = NULL, *e = NULL;
    tts_error err;
    size_t n;
    unsigned char *blob = stored(x, 16, &n);
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_nameidx_adopt(blob, 16, n, 6, &y, &err), TTS_OK);
    assert_int_equal(tts_nameidx_count(y), tts_nameidx_count(x));
    probe(y, x);
    /* and stored again, byte for byte the same */
    {
        size_t n2;
        unsigned char *again = stored(y, 0, &n2);
        assert_int_equal(n, n2);
        assert_memory_equal(again, blob + 16, n);
        tts_free(again);
    }
    tts_nameidx_free(y); /* frees blob */
    /* an empty index too */
    e = tts_nameidx_new();
    assert_non_null(e);
    assert_int_equal(tts_nameidx_finish(e, &err), TTS_OK);
    blob = stored(e, 0, &n);
    assert_int_equal(tts_nameidx_adopt(blob, 0, n, 0, &y, &err), TTS_OK);
    assert_int_equal(tts_nameidx_count(y), 0);
    probe(y, e);
    tts_nameidx_free(y);
    tts_nameidx_free(e);
    tts_nameidx_free(x);
}

/* Hits of q against y with scratch sc (NULL: tts_nameidx_search) equal those of want. */
static void same_hits(const tts_nameidx *y, tts_nameidx_scratch *sc, tts_nameidx *want,
                      const tts_nname *q, int ex)
{
    tts_nameidx_hit *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_nameidx_search_with(y, sc, q, 0.5, ex, NULL, NULL, &a, &na, &err), TTS_OK);
    assert_int_equal(tts_nameidx_search(want, q, 0.5, ex, NULL, NULL, &b, &nb, &err), TTS_OK);
    assert_int_equal(na, nb);
    for (size_t k = 0; k < na; k++) {
        assert_int_equal(a[k].name, b[k].name);
        assert_int_equal(a[k].entry, b[k].entry);
        assert_true(a[k].score == b[k].score);
    }
    tts_free(a);
    tts_free(b);
}

/*
 * A stored index used in place from read-only pages (as the index file is
 * mapped): searches through two scratches, interleaved, answer as the
 * index it was stored from, and never write the pages (a write would
 * fault). A scratch of another index, a short or foreign region, are
 * refused.
 */
static void test_mapped_index_is_read_only_and_shared(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0])), *y = NULL, *e;
    tts_nameidx_scratch *s1, *s2, *se;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    unsigned char *page;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_nameidx_serialize(x, &b, &err), TTS_OK);
    page = mmap(NULL, b.len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(page != MAP_FAILED);
    memcpy(page, b.data, b.len);
    assert_int_equal(mprotect(page, b.len, PROT_READ), 0);
    assert_int_equal(tts_nameidx_adopt_mapped(page, b.len - 8, &y, &err), TTS_ERR_DB);
    assert_null(y);
    assert_int_equal(tts_nameidx_adopt_mapped(page + 8, b.len - 8, &y, &err), TTS_ERR_DB);
    assert_int_equal(tts_nameidx_adopt_mapped(page, b.len, &y, &err), TTS_OK);
    assert_int_equal(tts_nameidx_count(y), tts_nameidx_count(x));
    s1 = tts_nameidx_scratch_new(y);
    s2 = tts_nameidx_scratch_new(y);
    assert_non_null(s1);
    assert_non_null(s2);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof(probe_queries) / sizeof(probe_queries[0]); i++) {
            tts_nname q;
            assert_int_equal(tts_names_normalize(probe_queries[i], strlen(probe_queries[i]), 0,
                                                 &q, &err),
                             TTS_OK);
            for (int ex = 0; ex < 2; ex++) {
                same_hits(y, s1, x, &q, ex);
                same_hits(y, s2, x, &q, ex);
                same_hits(y, round == 0 ? s1 : s2, x, &q, ex);
            }
            tts_nname_clear(&q);
        }
    /* the scratch of another index */
    e = tts_nameidx_new();
    assert_non_null(e);
    assert_int_equal(tts_nameidx_finish(e, &err), TTS_OK);
    se = tts_nameidx_scratch_new(e);
    assert_non_null(se);
    {
        tts_nname q;
        tts_nameidx_hit *h = NULL;
        size_t nh = 0;
        assert_int_equal(tts_names_normalize("CATL", 4, 0, &q, &err), TTS_OK);
        assert_int_equal(tts_nameidx_search_with(y, se, &q, 0.5, 0, NULL, NULL, &h, &nh, &err),
                         TTS_ERR_INTERNAL);
        tts_nname_clear(&q);
    }
    tts_nameidx_scratch_free(se);
    tts_nameidx_scratch_free(s1);
    tts_nameidx_scratch_free(s2);
    tts_nameidx_free(y);
    tts_nameidx_free(e);
    tts_nameidx_free(x);
    munmap(page, b.len);
    tts_buf_free(&b);
}

/*
 * Damaged stored bytes (another version, wrong entry count, truncated,
 * bytes changed anywhere) are refused with TTS_ERR_DB or, where the damage
 * only changes values, give an index that answers queries: never a crash
 * or a read out of bounds (the sanitiser build runs this too).
 */
static void test_damaged_stored_index_is_refused_or_harmless(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0])), *y = NULL;
    tts_error err;
    size_t n;
    unsigned char *good = stored(x, 0, &n);
    uint64_t seed = 7;
    size_t refused = 0, accepted = 0;
    (void)state;
    tts_error_clear(&err);
    /* another format version */
    {
        unsigned char *b = tts_malloc(n);
        uint64_t v;
        memcpy(b, good, n);
        memcpy(&v, b + 8, 8);
        v++;
        memcpy(b + 8, &v, 8);
        assert_int_equal(tts_nameidx_adopt(b, 0, n, 6, &y, &err), TTS_ERR_DB);
        assert_null(y);
        tts_free(b);
    }
    /* entry numbers beyond the entries there are */
    {
        unsigned char *b = tts_malloc(n);
        memcpy(b, good, n);
        assert_int_equal(tts_nameidx_adopt(b, 0, n, 5, &y, &err), TTS_ERR_DB);
        tts_free(b);
    }
    /* every truncation */
    for (size_t len = 0; len < n; len += 1 + len / 64) {
        unsigned char *b = tts_malloc(len > 0 ? len : 1);
        memcpy(b, good, len);
        assert_int_equal(tts_nameidx_adopt(b, 0, len, 6, &y, &err), TTS_ERR_DB);
        tts_free(b);
    }
    /* random bytes changed, one to four at a time */
    for (int round = 0; round < 3000; round++) {
        unsigned char *b = tts_malloc(n);
        int k = 1 + (int)(tts_q_rand(&seed) % 4);
        tts_status rc;
        memcpy(b, good, n);
        for (int j = 0; j < k; j++) {
            size_t at = (size_t)(tts_q_rand(&seed) % n);
            b[at] = (unsigned char)(round % 3 == 0 ? 0xff : tts_q_rand(&seed));
        }
        tts_error_clear(&err);
        rc = tts_nameidx_adopt(b, 0, n, 6, &y, &err);
        if (rc == TTS_OK) {
            accepted++;
            probe(y, NULL);
            tts_nameidx_free(y);
        } else {
            assert_int_equal(rc, TTS_ERR_DB);
            refused++;
            tts_free(b);
        }
    }
    assert_true(refused > 0 && accepted > 0);
    tts_free(good);
    tts_nameidx_free(x);
}

/* Out of memory at every allocation while loading: a clean TTS_ERR_NOMEM, nothing leaked. */
static void test_loading_stored_index_out_of_memory_is_clean(void **state)
{
    tts_nameidx *x = build(small, sizeof(small) / sizeof(small[0])), *y = NULL;
    tts_error err;
    size_t n;
    unsigned char *good = stored(x, 0, &n);
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    for (unsigned long k = 1; rc == TTS_ERR_NOMEM && k < 100; k++) {
        unsigned char *b = tts_malloc(n);
        assert_non_null(b);
        memcpy(b, good, n);
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_nameidx_adopt(b, 0, n, 6, &y, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK) {
            probe(y, x);
            tts_nameidx_free(y);
        } else {
            assert_int_equal(rc, TTS_ERR_NOMEM);
            assert_null(y);
            tts_free(b);
        }
    }
    assert_int_equal(rc, TTS_OK);
    /* and storing: out of memory at every allocation fails cleanly */
    rc = TTS_ERR_NOMEM;
    for (unsigned long k = 1; rc == TTS_ERR_NOMEM && k < 100; k++) {
        tts_buf b = TTS_BUF_INIT;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_nameidx_serialize(x, &b, &err);
        tts_mem_fail_after(0);
        tts_buf_free(&b);
    }
    assert_int_equal(rc, TTS_OK);
    tts_free(good);
    tts_nameidx_free(x);
}

/* ---- quality on the 2019 SDN -------------------------------------------- */

typedef struct corpus {
    char **name;    /* every primary name and alias */
    char **entry;   /* its entry's list id */
    size_t n, cap;
    int64_t *rowid; /* entries: rowid -> list id */
    char **rowid_id;
    size_t n_ent, cap_ent;
} corpus;

static int on_entry(void *u, const tts_store_row *r)
{
    corpus *c = u;
    if (c->n_ent == c->cap_ent) {
        c->cap_ent = c->cap_ent ? c->cap_ent * 2 : 1024;
        c->rowid = realloc(c->rowid, c->cap_ent * sizeof(int64_t));
        c->rowid_id = realloc(c->rowid_id, c->cap_ent * sizeof(char *));
    }
    c->rowid[c->n_ent] = r->entry;
    c->rowid_id[c->n_ent++] = strdup(r->entry_id);
    return 0;
}

static int on_name(void *u, const tts_store_name *n)
{
    corpus *c = u;
    size_t lo = 0, hi = c->n_ent;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->rowid[mid] < n->entry)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 1024;
        c->name = realloc(c->name, c->cap * sizeof(char *));
        c->entry = realloc(c->entry, c->cap * sizeof(char *));
    }
    c->name[c->n] = strdup(n->name);
    c->entry[c->n++] = c->rowid_id[lo];
    return 0;
}

static tts_lists *load_sdn(corpus *c)
{
    const char *files[3];
    char paths[3][512];
    tts_lists *l = NULL;
    tts_error err;
    tts_error_clear(&err);
    snprintf(paths[0], 512, "%s", tts_test_fixture("lists/ofac-sdn-2019-01/sdn.csv"));
    snprintf(paths[1], 512, "%s", tts_test_fixture("lists/ofac-sdn-2019-01/alt.csv"));
    snprintf(paths[2], 512, "%s", tts_test_fixture("lists/ofac-sdn-2019-01/add.csv"));
    for (int i = 0; i < 3; i++)
        files[i] = paths[i];
    assert_int_equal(tts_lists_open(":memory:", 0, &l, &err), TTS_OK);
    if (tts_lists_import(l, "ofac-sdn", "sdn-csv", files, 3, "2019-01-01T00:00:00Z", NULL, &err) !=
        TTS_OK)
        fail_msg("%s", err.message);
    memset(c, 0, sizeof(*c));
    assert_int_equal(tts_store_entries_each(tts_listdb_store(l), on_entry, c, &err), TTS_OK);
    assert_int_equal(tts_store_names_each(tts_listdb_store(l), on_name, c, &err), TTS_OK);
    return l;
}

static void corpus_free(corpus *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->name[i]);
    for (size_t i = 0; i < c->n_ent; i++)
        free(c->rowid_id[i]);
    free(c->name);
    free(c->entry);
    free(c->rowid);
    free(c->rowid_id);
}

static tts_search_result *run(tts_lists *l, const char *q, int exhaustive)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = 0.85;
    o.exhaustive = exhaustive;
    if (tts_lists_search(l, q, &o, &r, &err) != TTS_OK)
        fail_msg("search '%s': %s", q, err.message);
    return r;
}

/* Every hit of a and b the same: entry, matched name, score to the bit. */
static void same_results(const tts_search_result *a, const tts_search_result *b, const char *q)
{
    if (a->n != b->n)
        fail_msg("'%s': %zu and %zu hits", q, a->n, b->n);
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->hits[i].entry_id, b->hits[i].entry_id) != 0 ||
            strcmp(a->hits[i].matched, b->hits[i].matched) != 0 ||
            memcmp(&a->hits[i].score, &b->hits[i].score, sizeof(double)) != 0)
            fail_msg("'%s' hit %zu: %s '%s' %.17g and %s '%s' %.17g", q, i, a->hits[i].entry_id,
                     a->hits[i].matched, a->hits[i].score, b->hits[i].entry_id,
                     b->hits[i].matched, b->hits[i].score);
}

/*
 * The kept similar tokens of query tokens change no result: 2,000 perturbed
 * queries searched without them, with 16 slots (tokens of one query and
 * of successive queries keep taking each other's slots), and twice with
 * the default slots, which double several times on the way (the second
 * time mostly from what was kept).
 */
static void test_token_cache_changes_no_result(void **state)
{
    corpus c;
    tts_lists *l = load_sdn(&c);
    uint64_t seed = 77;
    size_t nq = 2000, lookups = 0, found = 0, found_small = 0;
    char (*qs)[256] = tts_malloc(nq * 256);
    tts_search_result **base = tts_calloc(nq, sizeof(*base));
    tts_nameidx *x;
    (void)state;
    assert_non_null(qs);
    assert_non_null(base);
    tts_search_result_free(run(l, "load the index", 0));
    x = tts_listdb_index(l);
    assert_non_null(x);
    for (size_t q = 0; q < nq; q++)
        tts_q_perturb(c.name[tts_q_rand(&seed) % c.n], &seed, qs[q], 256);
    tts_nameidx_set_token_cache(x, 0);
    for (size_t q = 0; q < nq; q++)
        base[q] = run(l, qs[q], 0);
    tts_nameidx_set_token_cache(x, 16);
    for (size_t q = 0; q < nq; q++) {
        tts_search_result *r = run(l, qs[q], 0);
        same_results(base[q], r, qs[q]);
        tts_search_result_free(r);
    }
    tts_nameidx_token_cache_stats(x, &lookups, &found_small);
    tts_nameidx_set_token_cache(x, TTS_NAMEIDX_TC_DEFAULT); /* growing as it is used */
    for (int pass = 0; pass < 2; pass++)
        for (size_t q = 0; q < nq; q++) {
            tts_search_result *r = run(l, qs[q], 0);
            same_results(base[q], r, qs[q]);
            tts_search_result_free(r);
        }
    tts_nameidx_token_cache_stats(x, &lookups, &found);
    printf("# token cache: %zu of %zu query tokens found kept (%zu with 16 slots)\n", found,
           lookups, found_small);
    assert_true(found_small > 0);
    assert_true(found > found_small + lookups / 4); /* the second pass finds most */
    for (size_t q = 0; q < nq; q++)
        tts_search_result_free(base[q]);
    tts_free(base);
    tts_free(qs);
    tts_lists_close(l);
    corpus_free(&c);
}

static void test_quality_self_recall_sdn_2019(void **state)
{
    corpus c;
    tts_lists *l = load_sdn(&c);
    size_t ok = 0, shown = 0;
    (void)state;
    for (size_t i = 0; i < c.n; i++) {
        tts_search_result *r = run(l, c.name[i], 0);
        int found = 0;
        for (size_t k = 0; k < r->n; k++)
            if (strcmp(r->hits[k].entry_id, c.entry[i]) == 0 && r->hits[k].score >= r->hits[0].score)
                found = 1;
        if (found)
            ok++;
        else if (shown++ < 10)
            printf("#   self-recall exception: '%s' (entry %s): top %s %.3f\n", c.name[i],
                   c.entry[i], r->n ? r->hits[0].entry_id : "-", r->n ? r->hits[0].score : 0.0);
        tts_search_result_free(r);
    }
    printf("# QUALITY self-recall, 2019 SDN: %zu of %zu names and aliases return their own entry "
           "first or tied first (%.3f%%; %zu exceptions)\n",
           ok, c.n, 100.0 * (double)ok / (double)c.n, c.n - ok);
    assert_true(c.n > 17000);
    assert_int_equal(ok, c.n);
    tts_lists_close(l);
    corpus_free(&c);
}

static void test_quality_indexed_recall_perturbed_sdn_2019(void **state)
{
    corpus c;
    tts_lists *l = load_sdn(&c);
    uint64_t seed = 20190101;
    size_t want = 0, got = 0, empty = 0, nq = 10000;
    (void)state;
    for (size_t q = 0; q < nq; q++) {
        char buf[1024];
        size_t pick = (size_t)(tts_q_rand(&seed) % c.n);
        tts_search_result *e, *ix;
        tts_q_perturb(c.name[pick], &seed, buf, sizeof(buf));
        e = run(l, buf, 1);
        ix = run(l, buf, 0);
        if (e->n == 0)
            empty++;
        for (size_t a = 0; a < e->n; a++) {
            int hit = 0;
            want++;
            for (size_t b = 0; b < ix->n; b++)
                if (strcmp(e->hits[a].entry_id, ix->hits[b].entry_id) == 0) {
                    got++;
                    hit = 1;
                    break;
                }
            if (!hit && getenv("TTS_SHOW_MISSES") != NULL)
                printf("#   missed: '%s' -> %s '%s' %.3f\n", buf, e->hits[a].entry_id,
                       e->hits[a].matched, e->hits[a].score);
        }
        tts_search_result_free(e);
        tts_search_result_free(ix);
    }
    printf("# QUALITY indexed vs exhaustive recall at 0.85, 2019 SDN, %zu perturbed queries "
           "(seed 20190101): %zu of %zu matches (%.3f%%); %zu queries with no match\n",
           nq, got, want, 100.0 * (double)got / (double)(want ? want : 1), empty);
    assert_true(want > 0);
    assert_true((double)got >= 0.995 * (double)want);
    tts_lists_close(l);
    corpus_free(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scores_follow_the_table),
        cmocka_unit_test(test_sister_entity_scores_below_exact),
        cmocka_unit_test(test_index_finds_short_han_names_and_other_scripts),
        cmocka_unit_test(test_index_agrees_with_exhaustive_search),
        cmocka_unit_test(test_search_returns_each_entry_once_best_first),
        cmocka_unit_test(test_explain_names_token_pairs),
        cmocka_unit_test(test_bounded_scoring_reports_exact_scores),
        cmocka_unit_test(test_apart_table_changes_no_score),
        cmocka_unit_test(test_stored_index_round_trips),
        cmocka_unit_test(test_mapped_index_is_read_only_and_shared),
        cmocka_unit_test(test_damaged_stored_index_is_refused_or_harmless),
        cmocka_unit_test(test_loading_stored_index_out_of_memory_is_clean),
    };
    const struct CMUnitTest quality[] = {
        cmocka_unit_test(test_token_cache_changes_no_result),
        cmocka_unit_test(test_quality_self_recall_sdn_2019),
        cmocka_unit_test(test_quality_indexed_recall_perturbed_sdn_2019),
    };
    int fails = cmocka_run_group_tests_name("nameidx", tests, tts_test_use_cmocka_allocator,
                                            tts_test_use_default_allocator);
    /* The quality runs use the plain allocator: they allocate millions of small blocks. */
    fails += cmocka_run_group_tests_name("nameidx-quality", quality, NULL, NULL);
    return fails;
}
