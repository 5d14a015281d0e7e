/* SPDX-License-Identifier: MIT */
/*
 * Allocation wrappers and the arena. Every allocation in the library passes
 * through tts_malloc/tts_realloc so that a test can count calls and fail the
 * Nth one; the arena keeps a chain of blocks and frees them together.
 */
#include "util/mem.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static tts_mem_hooks g_hooks = {malloc, realloc, free};
/* per thread: a test that fails the Nth allocation counts its own thread's only, and
 * worker threads (ttscreen/jobs.h) never race on a shared counter */
static _Thread_local unsigned long g_fail_at;
static _Thread_local unsigned long g_count;

void tts_mem_set_hooks(const tts_mem_hooks *hooks)
{
    if (hooks == NULL) {
        g_hooks.malloc_fn = malloc;
        g_hooks.realloc_fn = realloc;
        g_hooks.free_fn = free;
    } else {
        g_hooks = *hooks;
    }
}

void tts_mem_fail_after(unsigned long n)
{
    g_fail_at = n;
    g_count = 0;
}

unsigned long tts_mem_count(void)
{
    return g_count;
}

/* True when the injected failure point has been reached. */
static int should_fail(void)
{
    g_count++;
    return g_fail_at != 0 && g_count >= g_fail_at;
}

void *tts_malloc(size_t n)
{
    if (should_fail())
        return NULL;
    return g_hooks.malloc_fn(n == 0 ? 1 : n);
}

void *tts_calloc(size_t count, size_t size)
{
    void *p;
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    /* the C library's own calloc when it is the allocator: a large block comes as fresh
       zero pages from the kernel, touched only where used (a search's scratch arrays for a
       list of millions of names), where malloc + memset would fault in and clear every one */
    if (g_hooks.malloc_fn == malloc && g_hooks.free_fn == free) {
        if (should_fail())
            return NULL;
        return calloc(count == 0 || size == 0 ? 1 : count, count == 0 || size == 0 ? 1 : size);
    }
    p = tts_malloc(count * size);
    if (p != NULL)
        memset(p, 0, count * size);
    return p;
}

void *tts_realloc(void *p, size_t n)
{
    if (should_fail())
        return NULL;
    return g_hooks.realloc_fn(p, n == 0 ? 1 : n);
}

void tts_free(void *p)
{
    if (p != NULL)
        g_hooks.free_fn(p);
}

int tts_grow(void *pp, size_t *cap, size_t need, size_t elsize)
{
    void **p = pp;
    size_t nc = *cap > 0 ? *cap : 16;
    void *np;
    if (need <= *cap)
        return 1;
    while (nc < need) {
        if (nc > SIZE_MAX / 2)
            return 0;
        nc *= 2;
    }
    if (elsize > 0 && nc > SIZE_MAX / elsize)
        return 0;
    np = tts_realloc(*p, nc * elsize);
    if (np == NULL)
        return 0;
    *p = np;
    *cap = nc;
    return 1;
}

char *tts_strndup(const char *s, size_t n)
{
    char *d = tts_malloc(n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *tts_strdup(const char *s)
{
    return tts_strndup(s, strlen(s));
}

/* Arena: a singly linked chain of blocks; big requests get their own block. */
#define ARENA_BLOCK 8192
#define ARENA_ALIGN 16

typedef struct arena_block {
    struct arena_block *next;
    size_t used;
    size_t cap;
    size_t serial; /* order of making: 1, 2, ... */
    /* data follows, aligned */
} arena_block;

struct tts_arena {
    arena_block *head;
    size_t serial; /* blocks made so far */
    size_t bytes;  /* held in blocks */
    size_t max;    /* bound on bytes; 0 = none */
    int over;      /* an allocation was refused for the bound */
};

#define BLOCK_HDR ((sizeof(arena_block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

tts_arena *tts_arena_new(void)
{
    return tts_calloc(1, sizeof(tts_arena));
}

void tts_arena_free(tts_arena *a)
{
    arena_block *b, *next;
    if (a == NULL)
        return;
    for (b = a->head; b != NULL; b = next) {
        next = b->next;
        tts_free(b);
    }
    tts_free(a);
}

void *tts_arena_alloc(tts_arena *a, size_t n)
{
    arena_block *b = a->head;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    unsigned char *p;
    if (need < n)
        return NULL;
    if (need == 0)
        need = ARENA_ALIGN;
    if (b == NULL || b->cap - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;
        if (cap > SIZE_MAX - BLOCK_HDR)
            return NULL;
        if (a->max != 0 && (a->bytes > a->max || BLOCK_HDR + cap > a->max - a->bytes)) {
            a->over = 1;
            return NULL;
        }
        b = tts_malloc(BLOCK_HDR + cap);
        if (b == NULL)
            return NULL;
        b->used = 0;
        b->cap = cap;
        b->serial = ++a->serial;
        a->bytes += BLOCK_HDR + cap;
        if (a->head != NULL && cap > ARENA_BLOCK) {
            /* Keep the partly used current block first. */
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = (unsigned char *)b + BLOCK_HDR + b->used;
    b->used += need;
    memset(p, 0, need);
    return p;
}

void *tts_arena_calloc(tts_arena *a, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return tts_arena_alloc(a, count * size);
}

char *tts_arena_strndup(tts_arena *a, const char *s, size_t n)
{
    char *d;
    if (n == SIZE_MAX)
        return NULL;
    d = tts_arena_alloc(a, n + 1);
    if (d == NULL)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *tts_arena_strdup(tts_arena *a, const char *s)
{
    return tts_arena_strndup(a, s, strlen(s));
}

void tts_arena_mark_at(tts_arena *a, tts_arena_mark *m)
{
    m->serial = a->serial;
    m->block = a->head;
    m->used = a->head != NULL ? a->head->used : 0;
}

void tts_arena_rewind(tts_arena *a, const tts_arena_mark *m)
{
    arena_block **pp = &a->head;
    while (*pp != NULL) {
        arena_block *b = *pp;
        if (b->serial > m->serial) {
            *pp = b->next;
            a->bytes -= BLOCK_HDR + b->cap;
            tts_free(b);
        } else {
            pp = &b->next;
        }
    }
    /* blocks made later were put before the marked one (or after the head, when large) */
    if (m->block != NULL && a->head == m->block)
        a->head->used = m->used;
}

size_t tts_arena_bytes(const tts_arena *a)
{
    return a->bytes;
}

void tts_arena_set_max(tts_arena *a, size_t max)
{
    a->max = max;
}

int tts_arena_over_max(const tts_arena *a)
{
    return a->over;
}
