/* SPDX-License-Identifier: MIT */
/*
 * `make bench` for denied-party screening. Prints, for one run on this
 * machine and one core:
 *   1. the 2019 OFAC SDN (7,379 entries, 9,682 aliases): load + index build
 *      time, indexed batch queries per second (50,000 distinct perturbed
 *      names, one pass, with and without the token cache), exhaustive
 *      queries per second measured in the same run, and their ratios;
 *   2. a generated list of 1,000,000 entries: index build time, median and
 *      p99 query time, index memory and the process's peak resident size.
 * Queries are the perturbed names of the quality test (fixed seed).
 * Usage: bench_lists FIXTURES_DIR [N_GENERATED]
 *
 * bench_lists --db DB QUERIES: searches of an imported database through
 * the lists API, read-only, as `ttscreen search` does: the time to open it
 * and answer the first query (the index file mapped, or the index built
 * from the rows when there is none), then the median, p99 and largest
 * time of every other query of the file QUERIES (one a line), and the
 * process's peak resident size (tests/bench/scale.sh).
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lists/listdb.h"
#include "util/mem.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "quality.h"
#include "store/store.h"

#define N_QUERIES 50000 /* distinct perturbed names of the SDN, searched once each */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A field of /proc/self/status in kB (VmHWM: peak resident size), -1 when unknown. */
static long status_kb(const char *field)
{
    FILE *fp = fopen("/proc/self/status", "r");
    char line[256];
    long kb = -1;
    size_t n = strlen(field);
    if (fp == NULL)
        return -1;
    while (fgets(line, sizeof(line), fp) != NULL)
        if (strncmp(line, field, n) == 0)
            kb = strtol(line + n, NULL, 10);
    fclose(fp);
    return kb;
}

static long peak_rss_kb(void)
{
    return status_kb("VmHWM:");
}

typedef struct names {
    char **v;
    size_t n, cap;
} names;

static void push(names *ns, const char *s)
{
    if (ns->n == ns->cap) {
        ns->cap = ns->cap ? ns->cap * 2 : 1024;
        ns->v = realloc(ns->v, ns->cap * sizeof(char *));
        if (ns->v == NULL)
            exit(2);
    }
    ns->v[ns->n++] = strdup(s);
}

static int on_name(void *u, const tts_store_name *n)
{
    push(u, n->name);
    return 0;
}

static void die(const tts_error *err)
{
    fprintf(stderr, "bench: %s\n", err->message);
    exit(2);
}

static tts_search_result *query(tts_lists *l, const char *q, int exhaustive)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = TTS_LISTS_THRESHOLD;
    o.exhaustive = exhaustive;
    if (tts_lists_search(l, q, &o, &r, &err) != TTS_OK)
        die(&err);
    return r;
}

/*
 * Hits of query q of the --db run: a name that more than
 * TTS_LIST_MAX_CANDIDATES entries match is refused by the search (a
 * one-line error, nothing answered); it is counted in *refused, 0 hits.
 */
static size_t query_db(tts_lists *l, const char *q, size_t *refused)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    size_t n;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = TTS_LISTS_THRESHOLD;
    switch (tts_lists_search(l, q, &o, &r, &err)) {
    case TTS_OK:
        break;
    case TTS_ERR_LIMIT:
        ++*refused;
        return 0;
    default:
        die(&err);
    }
    n = r->n;
    tts_search_result_free(r);
    return n;
}

/* Seconds per query for one indexed pass over qs; adds the hits to *hits. */
static double batch(tts_lists *l, const names *qs, size_t *hits)
{
    double t0 = now_s();
    for (size_t i = 0; i < qs->n; i++) {
        tts_search_result *r = query(l, qs->v[i], 0);
        *hits += r->n;
        tts_search_result_free(r);
    }
    return (now_s() - t0) / (double)qs->n;
}

static void bench_sdn(const char *fix)
{
    char p[3][1024];
    const char *files[3];
    tts_lists *l = NULL;
    tts_error err;
    names all = {NULL, 0, 0}, qs = {NULL, 0, 0};
    uint64_t seed = 20190101;
    double t0, t_load, t_build, t_import, t_idx, t_plain, t_ex;
    char dir[64] = "/tmp/tts-bench-XXXXXX", db[128];
    size_t n_ex = 300, hits = 0, hits_plain = 0, lookups = 0, found = 0;
    tts_nameidx *idx;
    tts_error_clear(&err);
    snprintf(p[0], sizeof(p[0]), "%s/lists/ofac-sdn-2019-01/sdn.csv", fix);
    snprintf(p[1], sizeof(p[1]), "%s/lists/ofac-sdn-2019-01/alt.csv", fix);
    snprintf(p[2], sizeof(p[2]), "%s/lists/ofac-sdn-2019-01/add.csv", fix);
    for (int i = 0; i < 3; i++)
        files[i] = p[i];
    if (mkdtemp(dir) == NULL) {
        perror("bench: mkdtemp");
        exit(2);
    }
    snprintf(db, sizeof(db), "%s/sdn.db", dir);
    /* the import stores the search index in the database */
    t0 = now_s();
    if (tts_lists_open(db, 0, &l, &err) != TTS_OK ||
        tts_lists_import(l, "ofac-sdn", "sdn-csv", files, 3, "2019-01-01T00:00:00Z", NULL, &err) !=
            TTS_OK ||
        tts_store_names_each(tts_listdb_store(l), on_name, &all, &err) != TTS_OK)
        die(&err);
    tts_lists_close(l);
    t_import = now_s() - t0;
    /* first search of a process without a usable stored index: read every name, build */
    if (tts_lists_open(db, 0, &l, &err) != TTS_OK ||
        tts_store_index_put(tts_listdb_store(l), 0, "", "", 0, &err) != TTS_OK)
        die(&err);
    tts_lists_close(l);
    if (tts_lists_open(db, TTS_LISTS_READONLY, &l, &err) != TTS_OK)
        die(&err);
    t0 = now_s();
    tts_search_result_free(query(l, "warm up: build the index", 0));
    t_build = now_s() - t0;
    tts_lists_close(l);
    /* stored again by a writable process, then read by a read-only one */
    if (tts_lists_open(db, 0, &l, &err) != TTS_OK)
        die(&err);
    tts_search_result_free(query(l, "warm up: build and store the index", 0));
    tts_lists_close(l);
    if (tts_lists_open(db, TTS_LISTS_READONLY, &l, &err) != TTS_OK)
        die(&err);
    for (size_t i = 0; i < N_QUERIES; i++) {
        char buf[1024];
        tts_q_perturb(all.v[tts_q_rand(&seed) % all.n], &seed, buf, sizeof(buf));
        push(&qs, buf);
    }
    t0 = now_s();
    tts_search_result_free(query(l, "warm up: load the stored index", 0));
    t_load = now_s() - t0;
    idx = tts_listdb_index(l);
    /* one pass over the queries without the token cache, then one with it, starting empty */
    tts_nameidx_set_token_cache(idx, 0);
    t_plain = batch(l, &qs, &hits_plain);
    tts_nameidx_set_token_cache(idx, TTS_NAMEIDX_TC_DEFAULT);
    t_idx = batch(l, &qs, &hits);
    tts_nameidx_token_cache_stats(idx, &lookups, &found);
    t0 = now_s();
    for (size_t i = 0; i < n_ex; i++)
        tts_search_result_free(query(l, qs.v[i], 1));
    t_ex = (now_s() - t0) / (double)n_ex;
    printf("SDN 2019: %zu names; import %.0f ms (index stored with it); first search of a "
           "process: stored index %.1f ms, rebuilt from the rows %.1f ms\n",
           all.n, t_import * 1e3, t_load * 1e3, t_build * 1e3);
    printf("SDN 2019: indexed   %.0f queries/s (%.1f us/query, %zu distinct perturbed queries, one "
           "pass, %.2f hits/query; query tokens found in the token cache: %.1f%%)\n",
           1.0 / t_idx, t_idx * 1e6, qs.n, (double)hits / (double)qs.n,
           100.0 * (double)found / (double)(lookups ? lookups : 1));
    printf("SDN 2019: indexed without the token cache %.0f queries/s (%.1f us/query, same "
           "queries, %.2f hits/query)\n",
           1.0 / t_plain, t_plain * 1e6, (double)hits_plain / (double)qs.n);
    printf("SDN 2019: exhaustive %.0f queries/s (%.1f us/query, the first %zu queries)\n",
           1.0 / t_ex, t_ex * 1e6, n_ex);
    printf("SDN 2019: indexed is %.0fx faster than exhaustive (same run); %.0fx without the "
           "token cache\n",
           t_ex / t_idx, t_ex / t_plain);
    tts_lists_close(l);
    {
        char cmd[128];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "bench: cannot remove %s\n", dir);
    }
    for (size_t i = 0; i < all.n; i++)
        free(all.v[i]);
    for (size_t i = 0; i < qs.n; i++)
        free(qs.v[i]);
    free(all.v);
    free(qs.v);
}

/* A pronounceable, deterministic company or person name. */
static void gen_name(uint64_t *st, char *out, size_t cap)
{
    static const char *const syl[] = {"ka", "ro", "mi", "tan", "sel", "vo", "ri", "zha", "ng",
                                      "el", "bar", "ko", "shi", "ma", "den", "lu", "fer", "ta",
                                      "qi", "an", "dro", "sun", "wei", "par", "no", "gu", "lin",
                                      "hai", "ber", "sa", "to", "yu"};
    static const char *const tail[] = {"TRADING", "INDUSTRIES", "SHIPPING", "HOLDINGS",
                                       "ELECTRONICS", "MACHINERY", "TECHNOLOGY", "BANK",
                                       "GROUP", "LOGISTICS", "CHEMICAL", "ENERGY"};
    static const char *const legal[] = {"LTD", "CO., LTD.", "LLC", "GMBH", "JSC", "INC", "", ""};
    size_t len = 0;
    int words = 1 + (int)(tts_q_rand(st) % 3);
    out[0] = '\0';
    for (int w = 0; w < words; w++) {
        int s = 2 + (int)(tts_q_rand(st) % 3);
        if (len > 0)
            out[len++] = ' ';
        for (int k = 0; k < s; k++) {
            const char *y = syl[tts_q_rand(st) % (sizeof(syl) / sizeof(syl[0]))];
            for (; *y && len + 1 < cap; y++)
                out[len++] = (char)(*y - 'a' + 'A');
        }
    }
    out[len] = '\0';
    if (tts_q_rand(st) % 2)
        len += (size_t)snprintf(out + len, cap - len, " %s",
                                tail[tts_q_rand(st) % (sizeof(tail) / sizeof(tail[0]))]);
    if (len < cap)
        snprintf(out + len, cap - len, " %s",
                 legal[tts_q_rand(st) % (sizeof(legal) / sizeof(legal[0]))]);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void bench_generated(size_t n)
{
    tts_nameidx *x = tts_nameidx_new();
    tts_error err;
    uint64_t seed = 1000003;
    double t0, t_build, lat[1000];
    size_t nq = 1000, hits = 0;
    char **sample = calloc(nq, sizeof(char *));
    tts_error_clear(&err);
    if (x == NULL || sample == NULL)
        exit(2);
    t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        char buf[256];
        tts_nname nn;
        gen_name(&seed, buf, sizeof(buf));
        if (i % (n / nq) == 0 && i / (n / nq) < nq)
            sample[i / (n / nq)] = strdup(buf);
        if (tts_names_normalize(buf, strlen(buf), 0, &nn, &err) != TTS_OK ||
            tts_nameidx_add(x, (uint32_t)i, nn.tokens, nn.legal, nn.glued, &err) != TTS_OK)
            die(&err);
        tts_nname_clear(&nn);
    }
    if (tts_nameidx_finish(x, &err) != TTS_OK)
        die(&err);
    t_build = now_s() - t0;
    for (size_t i = 0; i < nq; i++) {
        char buf[512];
        tts_nname q;
        tts_nameidx_hit *h = NULL;
        size_t nh = 0;
        tts_q_perturb(sample[i], &seed, buf, sizeof(buf));
        t0 = now_s();
        if (tts_names_normalize(buf, strlen(buf), 0, &q, &err) != TTS_OK ||
            tts_nameidx_search(x, &q, 0.85, 0, NULL, NULL, &h, &nh, &err) != TTS_OK)
            die(&err);
        lat[i] = now_s() - t0;
        hits += nh;
        tts_free(h);
        tts_nname_clear(&q);
        free(sample[i]);
    }
    qsort(lat, nq, sizeof(double), cmp_double);
    printf("generated %zu entries: normalise + index build %.1f s; index %.0f MB; peak RSS %.0f "
           "MB\n",
           n, t_build, (double)tts_nameidx_memory(x) / 1048576.0, (double)peak_rss_kb() / 1024.0);
    printf("generated %zu entries: query median %.3f ms, p99 %.3f ms, max %.3f ms (%zu perturbed "
           "queries, %.1f hits/query)\n",
           n, lat[nq / 2] * 1e3, lat[nq * 99 / 100] * 1e3, lat[nq - 1] * 1e3, nq,
           (double)hits / (double)nq);
    free(sample);
    tts_nameidx_free(x);
}

/* Times of the queries of file `path` against database `db` (see the comment at the top). */
static void bench_db(const char *db, const char *path)
{
    names qs = {NULL, 0, 0};
    char line[1024];
    FILE *fp = fopen(path, "r");
    tts_lists *l = NULL;
    tts_error err;
    double t0, first, *lat;
    size_t hits = 0, refused = 0;
    tts_error_clear(&err);
    if (fp == NULL) {
        perror(path);
        exit(2);
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] != '\0')
            push(&qs, line);
    }
    fclose(fp);
    if (qs.n < 2)
        exit(2);
    lat = calloc(qs.n, sizeof(double));
    if (lat == NULL)
        exit(2);
    t0 = now_s();
    if (tts_lists_open(db, TTS_LISTS_READONLY, &l, &err) != TTS_OK)
        die(&err);
    hits += query_db(l, qs.v[0], &refused);
    first = now_s() - t0;
    for (size_t i = 1; i < qs.n; i++) {
        t0 = now_s();
        hits += query_db(l, qs.v[i], &refused);
        lat[i - 1] = now_s() - t0;
    }
    qsort(lat, qs.n - 1, sizeof(double), cmp_double);
    printf("open + first query %.1f ms (index %s); %zu more queries: median %.3f ms, p99 %.3f "
           "ms, max %.3f ms; %.2f hits/query (%zu refused: more than %d matches); peak RSS %.0f MB (now %.0f MB of pages of files, "
           "shared with the page cache, and %.0f MB private)\n",
           first * 1e3, tts_listdb_from_file(l) ? "file mapped" : "built from the rows",
           qs.n - 1, lat[(qs.n - 1) / 2] * 1e3, lat[(qs.n - 1) * 99 / 100] * 1e3,
           lat[qs.n - 2] * 1e3, (double)hits / (double)qs.n, refused, TTS_LIST_MAX_CANDIDATES, (double)peak_rss_kb() / 1024.0,
           (double)status_kb("RssFile:") / 1024.0, (double)status_kb("RssAnon:") / 1024.0);
    tts_lists_close(l);
    for (size_t i = 0; i < qs.n; i++)
        free(qs.v[i]);
    free(qs.v);
    free(lat);
}

int main(int argc, char **argv)
{
    const char *fix = argc > 1 ? argv[1] : "fixtures";
    size_t n = argc > 2 ? (size_t)strtoul(argv[2], NULL, 10) : 1000000;
    if (argc == 4 && strcmp(argv[1], "--db") == 0) {
        bench_db(argv[2], argv[3]);
        return 0;
    }
    bench_sdn(fix);
    if (n >= 1000)
        bench_generated(n);
    return 0;
}
