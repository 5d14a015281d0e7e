/* SPDX-License-Identifier: MIT */
/*
 * Deletion-neighbourhood index (see delidx.h): one open-addressing hash
 * table of (fingerprint, token) pairs, at most two thirds full, kept as an
 * ordered hash table (O. Amble and D. E. Knuth, "Ordered hash tables",
 * The Computer Journal 17(2), 1974): a key's home slot is the top bits of
 * its 32-bit fingerprint, and every run of occupied slots is sorted by
 * fingerprint. A probe starts at the home slot, steps over the smaller
 * fingerprints other keys pushed there, reads the equal ones (every token
 * under that key, side by side) and stops at the first larger one or an
 * empty slot, so a probe that finds nothing usually reads one slot, and
 * the tokens of a key shared by many never lengthen the probes of others.
 * There is no wrap-around: slots past the last home slot form a tail that
 * grows while the table is built.
 *
 * Stored form (tts_delidx_bytes): one header slot {home bits, tail slots}
 * followed by the 2^bits + tail slots.
 */
#include "lists/match/delidx.h"

#include <string.h>

#include "util/mem.h"

typedef struct slot {
    uint32_t fp;  /* 0 = empty */
    uint32_t tok;
} slot;

struct tts_delidx {
    slot *block; /* header slot, then the table */
    slot *t;     /* block + 1 */
    size_t len;  /* slots in t: 2^bits home slots and the tail */
    unsigned shift; /* home slot = fp >> shift */
    int borrowed; /* block belongs to someone else (a stored index) */
};

_Static_assert(DELIDX_MAX_PROBES >= 1 + DELIDX_MAX1 + 1, "one-deletion probes fit");

#define MIN_BITS 10
#define MAX_BITS 31
#define TAIL0 64 /* tail slots to start with */

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

static uint32_t fingerprint(uint64_t h) { return (uint32_t)(h >> 32) | 1u; }

tts_delidx *tts_delidx_new(size_t keys)
{
    tts_delidx *d = tts_calloc(1, sizeof(*d));
    unsigned bits = MIN_BITS;
    if (d == NULL)
        return NULL;
    while (bits < MAX_BITS && ((size_t)1 << bits) < keys + keys / 2) /* at most two thirds full */
        bits++;
    d->len = ((size_t)1 << bits) + TAIL0;
    d->block = tts_calloc(d->len + 1, sizeof(slot));
    if (d->block == NULL) {
        tts_free(d);
        return NULL;
    }
    d->t = d->block + 1;
    d->shift = 32 - bits;
    d->block[0].fp = bits;
    d->block[0].tok = TAIL0;
    return d;
}

void tts_delidx_free(tts_delidx *d)
{
    if (d == NULL)
        return;
    if (!d->borrowed)
        tts_free(d->block);
    tts_free(d);
}

/* Twice the tail; 0 when out of memory. */
static int grow_tail(tts_delidx *d)
{
    size_t tail = d->len - ((size_t)1 << (32 - d->shift)), len = d->len + tail;
    slot *b = tts_realloc(d->block, (len + 1) * sizeof(slot));
    if (b == NULL)
        return 0;
    memset(b + 1 + d->len, 0, tail * sizeof(slot));
    d->block = b;
    d->t = b + 1;
    d->len = len;
    b[0].tok = (uint32_t)(tail * 2);
    return 1;
}

/*
 * Insert in order: walk from the home slot, and wherever a larger
 * fingerprint sits, put the carried pair there and carry that one on,
 * which moves the rest of the run one slot along. Equal fingerprints keep
 * their order of insertion. 0 when out of memory.
 */
static int put(tts_delidx *d, uint64_t h, uint32_t tok)
{
    slot cur = {fingerprint(h), tok};
    size_t i = cur.fp >> d->shift;
    for (;; i++) {
        if (i == d->len && !grow_tail(d))
            return 0;
        if (d->t[i].fp == 0)
            break;
        if (d->t[i].fp > cur.fp) {
            slot tmp = d->t[i];
            d->t[i] = cur;
            cur = tmp;
        }
    }
    d->t[i] = cur;
    return 1;
}

/*
 * Deleting any byte of a run of equal bytes gives the same string, so only
 * the first of a run is deleted: fewer keys, same neighbourhood.
 */
static int first_of_run(const char *s, size_t i)
{
    return i == 0 || s[i] != s[i - 1];
}

int tts_delidx_add(tts_delidx *d, const char *s, size_t n, int max_del, uint32_t tok)
{
    phash p;
    int ok;
    if (n > MAX_VARIANT)
        return put(d, whole_hash(s, n), tok);
    phash_init(&p, s, n);
    ok = put(d, vhash(&p, n, n), tok);
    if (max_del >= 1 && n >= DELIDX_MIN1 && n <= DELIDX_MAX1)
        for (size_t a = 0; a < n && ok; a++)
            if (first_of_run(s, a))
                ok = put(d, vhash(&p, a, n), tok);
    if (max_del >= 2 && n >= DELIDX_MIN2 && n <= DELIDX_MAX2)
        for (size_t a = 0; a < n && ok; a++)
            for (size_t b = a + 1; b < n && ok; b++)
                ok = put(d, vhash(&p, a, b), tok);
    return ok;
}

/* Every token stored under hash h; bounded by the table whatever its bytes. */
static void get(const tts_delidx *d, uint64_t h, tts_delidx_fn fn, void *user)
{
    uint32_t fp = fingerprint(h);
    size_t i = fp >> d->shift;
    while (i < d->len && d->t[i].fp != 0 && d->t[i].fp < fp)
        i++;
    for (; i < d->len && d->t[i].fp == fp; i++)
        fn(user, d->t[i].tok);
}

/*
 * The probes of a query token hit unrelated cache lines of a table much
 * larger than the cache: tts_delidx_prepare computes their hashes and asks
 * for their slots, and the caller does other work (the previous token's)
 * before tts_delidx_lookup reads them, so the memory accesses overlap
 * instead of queueing.
 */
static void want(const tts_delidx *d, uint64_t h)
{
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(&d->t[fingerprint(h) >> d->shift]);
#else
    (void)d;
    (void)h;
#endif
}

size_t tts_delidx_prepare(const tts_delidx *d, const char *s, size_t n, int max_del,
                          uint64_t hs[DELIDX_MAX_PROBES])
{
    phash p;
    size_t nh = 0;
    if (n > MAX_VARIANT) {
        hs[nh++] = whole_hash(s, n);
        want(d, hs[0]);
        return nh;
    }
    phash_init(&p, s, n);
    hs[nh++] = vhash(&p, n, n);
    if (max_del >= 1 && n + 1 >= DELIDX_MIN1 && n <= DELIDX_MAX1 + 1)
        for (size_t a = 0; a < n; a++)
            if (first_of_run(s, a))
                hs[nh++] = vhash(&p, a, n);
    if (max_del >= 2 && n + 2 >= DELIDX_MIN2 && n <= DELIDX_MAX2 + 2)
        for (size_t a = 0; a < n; a++)
            for (size_t b = a + 1; b < n; b++)
                hs[nh++] = vhash(&p, a, b);
    for (size_t i = 0; i < nh; i++)
        want(d, hs[i]);
    return nh;
}

void tts_delidx_lookup(const tts_delidx *d, const uint64_t *hs, size_t nh, tts_delidx_fn fn,
                       void *user)
{
    for (size_t i = 0; i < nh; i++)
        get(d, hs[i], fn, user);
}

void tts_delidx_probe(const tts_delidx *d, const char *s, size_t n, int max_del, tts_delidx_fn fn,
                      void *user)
{
    uint64_t hs[DELIDX_MAX_PROBES];
    tts_delidx_lookup(d, hs, tts_delidx_prepare(d, s, n, max_del, hs), fn, user);
}

size_t tts_delidx_memory(const tts_delidx *d) { return sizeof(*d) + (d->len + 1) * sizeof(slot); }

void tts_delidx_bytes(const tts_delidx *d, const void **data, size_t *n)
{
    *data = d->block;
    *n = (d->len + 1) * sizeof(slot);
}

tts_delidx *tts_delidx_borrow(void *data, size_t n, int *nomem)
{
    slot *b = data;
    size_t len;
    tts_delidx *d;
    *nomem = 0;
    if (n % sizeof(slot) != 0 || n < 2 * sizeof(slot) || b[0].fp < MIN_BITS || b[0].fp > MAX_BITS)
        return NULL;
    len = n / sizeof(slot) - 1;
    if (len != ((size_t)1 << b[0].fp) + b[0].tok)
        return NULL;
    d = tts_calloc(1, sizeof(*d));
    if (d == NULL) {
        *nomem = 1;
        return NULL;
    }
    d->block = b;
    d->t = b + 1;
    d->len = len;
    d->shift = 32 - b[0].fp;
    d->borrowed = 1;
    return d;
}
