/* SPDX-License-Identifier: MIT */
/*
 * All allocation in libttscreen goes through these wrappers, so tests can
 * route it to a checked allocator or fail the Nth call (allocation-failure
 * testing). The arena hands out many small blocks freed all at once; a
 * record and a compiled rule set each own one.
 */
#ifndef TTS_MEM_H
#define TTS_MEM_H

#include <stddef.h>

void *tts_malloc(size_t n);
void *tts_calloc(size_t count, size_t size);
void *tts_realloc(void *p, size_t n);
char *tts_strdup(const char *s);
char *tts_strndup(const char *s, size_t n);
/* tts_free is public (ttscreen.h); it accepts NULL. */
void tts_free(void *p);

/*
 * Make the array *pp (a pointer to the array's pointer) of elements of
 * elsize bytes hold at least need elements, doubling its capacity *cap
 * (first 16). Returns 1, or 0 when out of memory or when the size would
 * overflow size_t; *pp and *cap are unchanged then.
 */
int tts_grow(void *pp, size_t *cap, size_t need, size_t elsize);

typedef struct tts_mem_hooks {
    void *(*malloc_fn)(size_t n);
    void *(*realloc_fn)(void *p, size_t n);
    void (*free_fn)(void *p);
} tts_mem_hooks;

/*
 * Test-only: replace the allocator (NULL restores malloc/realloc/free) and
 * make the Nth allocation from now fail (0 = never). Not thread-safe.
 */
void tts_mem_set_hooks(const tts_mem_hooks *hooks);
void tts_mem_fail_after(unsigned long n);
/* Allocations counted since the last tts_mem_fail_after() call. */
unsigned long tts_mem_count(void);

typedef struct tts_arena tts_arena;

tts_arena *tts_arena_new(void);
/* Accepts NULL; frees every block the arena handed out. */
void tts_arena_free(tts_arena *a);
/* Zeroed, aligned for any type; NULL when out of memory. */
void *tts_arena_alloc(tts_arena *a, size_t n);
/* count * size with overflow check; zeroed. */
void *tts_arena_calloc(tts_arena *a, size_t count, size_t size);
char *tts_arena_strdup(tts_arena *a, const char *s);
char *tts_arena_strndup(tts_arena *a, const char *s, size_t n);

/*
 * A point to come back to: tts_arena_rewind(a, m) releases everything
 * allocated since tts_arena_mark(a, m), so scratch memory of one step of a
 * loop does not pile up over the loop. What was allocated before the mark
 * stays valid.
 */
typedef struct tts_arena_mark {
    size_t serial; /* blocks made after the mark have a larger serial */
    size_t used;   /* fill of the current block at the mark */
    void *block;   /* the current block at the mark, or NULL */
} tts_arena_mark;
void tts_arena_mark_at(tts_arena *a, tts_arena_mark *m /* OUT */);
void tts_arena_rewind(tts_arena *a, const tts_arena_mark *m);
/* Bytes the arena holds in blocks now. */
size_t tts_arena_bytes(const tts_arena *a);
/* Refuse (NULL) allocations that would take the arena past max bytes; 0 = no bound. */
void tts_arena_set_max(tts_arena *a, size_t max);
/* 1 when an allocation was refused for the bound of tts_arena_set_max. */
int tts_arena_over_max(const tts_arena *a);

#endif
