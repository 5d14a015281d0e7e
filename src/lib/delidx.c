/* SPDX-License-Identifier: MIT */
/*
 * Deletion-neighbourhood index (see delidx.h): one open-addressing hash
 * table of (fingerprint, token) pairs, at most two thirds full, linear
 * probing.
 * The slot comes from the low bits of a 64-bit polynomial hash of the
 * variant (its length mixed in), the fingerprint from the high bits.
 */
#include "delidx.h"

#include "mem.h"

typedef struct slot {
    uint32_t fp;  /* 0 = empty */
    uint32_t tok;
} slot;

struct tts_delidx {
    slot *t;
    size_t mask;
    int borrowed; /* t belongs to someone else (a stored index) */
};

#define PRIME 1099511628211ULL
#define MAX_VARIANT 64 /* longer strings are only stored and probed whole */

/*
 * Polynomial hashing (mod 2^64) so that every deletion variant of a string
 * costs O(1) from its prefix hashes: h(x || y) = h(x) * P^|y| + h(y).
 */
typedef struct phash {
    uint64_t pre[MAX_VARIANT + 1]; /* pre[i] = h(s[0..i)) */
    uint64_t pw[MAX_VARIANT + 1];  /* P^i */
    size_t n;
} phash;

static void phash_init(phash *p, const char *s, size_t n)
{
    p->n = n;
    p->pre[0] = 0;
    p->pw[0] = 1;
    for (size_t i = 0; i < n; i++) {
        p->pre[i + 1] = p->pre[i] * PRIME + (unsigned char)s[i] + 1;
        p->pw[i + 1] = p->pw[i] * PRIME;
    }
}

/* h(s[i..j)) */
static uint64_t sub(const phash *p, size_t i, size_t j)
{
    return p->pre[j] - p->pre[i] * p->pw[j - i];
}

/* Final mix so that low bits (the slot) depend on every byte and on the length. */
static uint64_t mix(uint64_t h, size_t len)
{
    h ^= (uint64_t)len * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 31;
    h *= 0xBF58476D1CE4E5B9ULL;
    h ^= h >> 29;
    return h;
}

/* Hash of the string without the bytes at positions a < b (b = n: only a; a = n: none). */
static uint64_t vhash(const phash *p, size_t a, size_t b)
{
    size_t n = p->n;
    uint64_t h;
    if (a >= n)
        return mix(p->pre[n], n);
    if (b >= n)
        return mix(p->pre[a] * p->pw[n - a - 1] + sub(p, a + 1, n), n - 1);
    h = p->pre[a] * p->pw[b - a - 1] + sub(p, a + 1, b);
    return mix(h * p->pw[n - b - 1] + sub(p, b + 1, n), n - 2);
}

/* Hash of a string too long for deletion variants. */
static uint64_t whole_hash(const char *s, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * PRIME + (unsigned char)s[i] + 1;
    return mix(h, n);
}

size_t tts_delidx_keys(size_t n, int max_del)
{
    size_t k = 1;
    if (max_del >= 1 && n >= DELIDX_MIN1 && n <= DELIDX_MAX1)
        k += n;
    if (max_del >= 2 && n >= DELIDX_MIN2 && n <= DELIDX_MAX2)
        k += n * (n - 1) / 2;
    return k;
}

tts_delidx *tts_delidx_new(size_t keys)
{
    tts_delidx *d = tts_calloc(1, sizeof(*d));
    size_t cap = 1024;
    if (d == NULL)
        return NULL;
    while (cap < keys + keys / 2) /* at most two thirds full */
        cap *= 2;
    d->t = tts_calloc(cap, sizeof(slot));
    if (d->t == NULL) {
        tts_free(d);
        return NULL;
    }
    d->mask = cap - 1;
    return d;
}

void tts_delidx_free(tts_delidx *d)
{
    if (d == NULL)
        return;
    if (!d->borrowed)
        tts_free(d->t);
    tts_free(d);
}

static void put(tts_delidx *d, uint64_t h, uint32_t tok)
{
    size_t i = (size_t)h & d->mask;
    uint32_t fp = (uint32_t)(h >> 32) | 1u;
    while (d->t[i].fp != 0)
        i = (i + 1) & d->mask;
    d->t[i].fp = fp;
    d->t[i].tok = tok;
}

/*
 * Deleting any byte of a run of equal bytes gives the same string, so only
 * the first of a run is deleted: fewer keys, same neighbourhood.
 */
static int first_of_run(const char *s, size_t i)
{
    return i == 0 || s[i] != s[i - 1];
}

void tts_delidx_add(tts_delidx *d, const char *s, size_t n, int max_del, uint32_t tok)
{
    phash p;
    if (n > MAX_VARIANT) {
        put(d, whole_hash(s, n), tok);
        return;
    }
    phash_init(&p, s, n);
    put(d, vhash(&p, n, n), tok);
    if (max_del >= 1 && n >= DELIDX_MIN1 && n <= DELIDX_MAX1)
        for (size_t a = 0; a < n; a++)
            if (first_of_run(s, a))
                put(d, vhash(&p, a, n), tok);
    if (max_del >= 2 && n >= DELIDX_MIN2 && n <= DELIDX_MAX2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                put(d, vhash(&p, a, b), tok);
}

static void get(const tts_delidx *d, uint64_t h, tts_delidx_fn fn, void *user)
{
    size_t i = (size_t)h & d->mask;
    uint32_t fp = (uint32_t)(h >> 32) | 1u;
    /* bounded: a stored table might have no empty slot */
    for (size_t k = 0; k <= d->mask && d->t[i].fp != 0; k++) {
        if (d->t[i].fp == fp)
            fn(user, d->t[i].tok);
        i = (i + 1) & d->mask;
    }
}

/*
 * The probes of one query token hit unrelated cache lines of a table much
 * larger than the cache: all their slots are computed and prefetched
 * first, then read, so the memory accesses overlap instead of queueing.
 */
#define PROBE_BATCH 128

static void get_all(const tts_delidx *d, const uint64_t *hs, size_t n, tts_delidx_fn fn, void *user)
{
#if defined(__GNUC__) || defined(__clang__)
    for (size_t i = 0; i < n; i++)
        __builtin_prefetch(&d->t[(size_t)hs[i] & d->mask]);
#endif
    for (size_t i = 0; i < n; i++)
        get(d, hs[i], fn, user);
}

void tts_delidx_probe(const tts_delidx *d, const char *s, size_t n, int max_del, tts_delidx_fn fn,
                      void *user)
{
    phash p;
    uint64_t hs[PROBE_BATCH];
    size_t nh = 0;
    if (n > MAX_VARIANT) {
        get(d, whole_hash(s, n), fn, user);
        return;
    }
    phash_init(&p, s, n);
    hs[nh++] = vhash(&p, n, n);
    if (max_del >= 1 && n + 1 >= DELIDX_MIN1 && n <= DELIDX_MAX1 + 1)
        for (size_t a = 0; a < n; a++) {
            if (!first_of_run(s, a))
                continue;
            if (nh == PROBE_BATCH) {
                get_all(d, hs, nh, fn, user);
                nh = 0;
            }
            hs[nh++] = vhash(&p, a, n);
        }
    if (max_del >= 2 && n + 2 >= DELIDX_MIN2 && n <= DELIDX_MAX2 + 2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++) {
                if (nh == PROBE_BATCH) {
                    get_all(d, hs, nh, fn, user);
                    nh = 0;
                }
                hs[nh++] = vhash(&p, a, b);
            }
    get_all(d, hs, nh, fn, user);
}

size_t tts_delidx_memory(const tts_delidx *d)
{
    return sizeof(*d) + (d->mask + 1) * sizeof(slot);
}

void tts_delidx_bytes(const tts_delidx *d, const void **data, size_t *n)
{
    *data = d->t;
    *n = (d->mask + 1) * sizeof(slot);
}

tts_delidx *tts_delidx_borrow(void *data, size_t n, int *nomem)
{
    size_t cap = n / sizeof(slot);
    tts_delidx *d;
    *nomem = 0;
    if (n % sizeof(slot) != 0 || cap < 2 || (cap & (cap - 1)) != 0)
        return NULL;
    d = tts_calloc(1, sizeof(*d));
    if (d == NULL) {
        *nomem = 1;
        return NULL;
    }
    d->t = data;
    d->mask = cap - 1;
    d->borrowed = 1;
    return d;
}
