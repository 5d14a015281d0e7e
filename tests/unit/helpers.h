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

#endif
