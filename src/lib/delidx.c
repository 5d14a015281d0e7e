/* SPDX-License-Identifier: MIT */
/*
 * Deletion-neighbourhood index (see delidx.h): one open-addressing hash
 * table of (fingerprint, token) pairs, at most half full, linear probing.
 * The slot comes from the low bits of a 64-bit FNV-1a hash of the variant
 * (its length mixed in), the fingerprint from the high bits.
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
};

/* Hash of s[0..n) without the bytes at positions a and b (n = none). */
static uint64_t vhash(const char *s, size_t n, size_t a, size_t b)
{
    uint64_t h = 1469598103934665603ULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == a || i == b)
            continue;
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
        len++;
    }
    h ^= (uint64_t)len * 0x9E3779B97F4A7C15ULL;
    h *= 1099511628211ULL;
    return h;
}

size_t tts_delidx_keys(size_t n)
{
    size_t k = 1;
    if (n >= DELIDX_MIN1 && n <= DELIDX_MAX1)
        k += n;
    if (n >= DELIDX_MIN2 && n <= DELIDX_MAX2)
        k += n * (n - 1) / 2;
    return k;
}

tts_delidx *tts_delidx_new(size_t keys)
{
    tts_delidx *d = tts_calloc(1, sizeof(*d));
    size_t cap = 1024;
    if (d == NULL)
        return NULL;
    while (cap < keys * 2)
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

void tts_delidx_add(tts_delidx *d, const char *s, size_t n, uint32_t tok)
{
    put(d, vhash(s, n, n, n), tok);
    if (n >= DELIDX_MIN1 && n <= DELIDX_MAX1)
        for (size_t a = 0; a < n; a++)
            if (first_of_run(s, a))
                put(d, vhash(s, n, a, n), tok);
    if (n >= DELIDX_MIN2 && n <= DELIDX_MAX2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                put(d, vhash(s, n, a, b), tok);
}

static void get(const tts_delidx *d, uint64_t h, tts_delidx_fn fn, void *user)
{
    size_t i = (size_t)h & d->mask;
    uint32_t fp = (uint32_t)(h >> 32) | 1u;
    while (d->t[i].fp != 0) {
        if (d->t[i].fp == fp)
            fn(user, d->t[i].tok);
        i = (i + 1) & d->mask;
    }
}

void tts_delidx_probe(const tts_delidx *d, const char *s, size_t n, int max_del, tts_delidx_fn fn,
                      void *user)
{
    get(d, vhash(s, n, n, n), fn, user);
    if (n + 1 >= DELIDX_MIN1 && n <= DELIDX_MAX1 + 1)
        for (size_t a = 0; a < n; a++)
            if (first_of_run(s, a))
                get(d, vhash(s, n, a, n), fn, user);
    if (max_del >= 2 && n + 2 >= DELIDX_MIN2 && n <= DELIDX_MAX2 + 2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                get(d, vhash(s, n, a, b), fn, user);
}

size_t tts_delidx_memory(const tts_delidx *d)
{
    return sizeof(*d) + (d->mask + 1) * sizeof(slot);
}
