/* SPDX-License-Identifier: MIT */
/* Unit tests: allocation wrappers, failure injection and the arena. */
#include "helpers.h"

#include <stdint.h>
#include <string.h>

#include "util/mem.h"

static void test_arena_allocations_are_zeroed_aligned_and_distinct(void **state)
{
    tts_arena *a = tts_arena_new();
    char *p[100];
    (void)state;
    assert_non_null(a);
    for (int i = 0; i < 100; i++) {
        p[i] = tts_arena_alloc(a, (size_t)i * 37 + 1);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % 16, 0);
        for (int k = 0; k < i * 37 + 1; k++)
            assert_int_equal(p[i][k], 0);
        memset(p[i], 0xAB, (size_t)i * 37 + 1);
    }
    /* a block larger than the arena's block size gets its own */
    assert_non_null(tts_arena_alloc(a, 100000));
    assert_string_equal(tts_arena_strdup(a, "hello"), "hello");
    assert_string_equal(tts_arena_strndup(a, "hello", 3), "hel");
    tts_arena_free(a);
    tts_arena_free(NULL);
}

static void test_arena_calloc_rejects_overflow(void **state)
{
    tts_arena *a = tts_arena_new();
    (void)state;
    assert_null(tts_arena_calloc(a, SIZE_MAX / 2, 4));
    tts_arena_free(a);
}

static void test_fail_after_fails_exactly_the_nth_allocation(void **state)
{
    void *p1, *p2, *p3;
    (void)state;
    tts_mem_fail_after(3);
    p1 = tts_malloc(8);
    p2 = tts_malloc(8);
    p3 = tts_malloc(8);
    assert_non_null(p1);
    assert_non_null(p2);
    assert_null(p3);
    assert_int_equal(tts_mem_count(), 3);
    tts_mem_fail_after(0);
    p3 = tts_strdup("x");
    assert_non_null(p3);
    tts_free(p1);
    tts_free(p2);
    tts_free(p3);
    tts_free(NULL);
}

static void test_calloc_checks_multiplication_overflow(void **state)
{
    (void)state;
    assert_null(tts_calloc(SIZE_MAX / 2, 3));
}

static void test_grow_doubles_and_refuses_overflow(void **state)
{
    int *v = NULL;
    size_t cap = 0;
    (void)state;
    assert_int_equal(tts_grow(&v, &cap, 1, sizeof(*v)), 1);
    assert_int_equal(cap, 16);
    v[15] = 7;
    assert_int_equal(tts_grow(&v, &cap, 16, sizeof(*v)), 1); /* fits: unchanged */
    assert_int_equal(cap, 16);
    assert_int_equal(tts_grow(&v, &cap, 17, sizeof(*v)), 1);
    assert_int_equal(cap, 32);
    assert_int_equal(v[15], 7);
    assert_int_equal(tts_grow(&v, &cap, 1000, sizeof(*v)), 1);
    assert_int_equal(cap, 1024);
    /* a size that overflows size_t is refused, and nothing changes */
    assert_int_equal(tts_grow(&v, &cap, SIZE_MAX / 2 + 2, sizeof(*v)), 0);
    assert_int_equal(tts_grow(&v, &cap, SIZE_MAX / sizeof(*v) + 1, sizeof(*v)), 0);
    assert_int_equal(cap, 1024);
    assert_int_equal(v[15], 7);
    /* out of memory: 0, array and capacity kept */
    tts_mem_fail_after(1);
    assert_int_equal(tts_grow(&v, &cap, 1025, sizeof(*v)), 0);
    tts_mem_fail_after(0);
    assert_int_equal(cap, 1024);
    assert_int_equal(v[15], 7);
    tts_free(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_arena_allocations_are_zeroed_aligned_and_distinct),
        cmocka_unit_test(test_arena_calloc_rejects_overflow),
        cmocka_unit_test(test_fail_after_fails_exactly_the_nth_allocation),
        cmocka_unit_test(test_calloc_checks_multiplication_overflow),
        cmocka_unit_test(test_grow_doubles_and_refuses_overflow),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
