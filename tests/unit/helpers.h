/* SPDX-License-Identifier: MIT */
/*
 * Shared unit-test helpers: route library allocation through cmocka's
 * checked allocator (so every test also fails on leaks) and read fixtures.
 */
#ifndef TTS_TEST_HELPERS_H
#define TTS_TEST_HELPERS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

/* Point tts_malloc & co. at cmocka's test allocator (group setup). */
int tts_test_use_cmocka_allocator(void **state);
/* Restore the default allocator (group teardown). */
int tts_test_use_default_allocator(void **state);

/* $FIXTURES (default "fixtures") joined with rel; returns a static buffer. */
const char *tts_test_fixture(const char *rel);

/* A new directory /tmp/tts-NAME-XXXXXX into dir[n]; 0, or -1 when it cannot be made. */
int tts_test_scratch_make(char *dir, size_t n, const char *name);

/* Remove a scratch directory and everything in it; 0, or -1 on failure. */
int tts_test_scratch_remove(const char *dir);

/* Read a whole file; caller frees with free(). NULL and a cmocka failure on error. */
char *tts_test_read_file(const char *path, size_t *len);

/*
 * Every regular file under dir (recursively), whole, then, for a *.jsonl
 * file, each of its lines on its own: cb(user, file, where, data, len,
 * line) with where the file or "FILE:LINE" and line 0 for the whole file.
 */
typedef void (*tts_test_text_fn)(void *user, const char *file, const char *where,
                                 const char *data, size_t len, size_t line);
void tts_test_each_text(const char *dir, tts_test_text_fn cb, void *user);

/* A deterministic pseudo-random sequence (splitmix64) from tts_test_seed's seed. */
void tts_test_seed(unsigned long long seed);
unsigned long long tts_test_random(void);
/* 0 .. n-1 from tts_test_random. */
unsigned tts_test_pick(unsigned n);

#endif
