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

/* Read a whole file; caller frees with free(). NULL and a cmocka failure on error. */
char *tts_test_read_file(const char *path, size_t *len);

#endif
