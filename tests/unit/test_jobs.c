/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: tts_jobs_run (ttscreen/jobs.h) with 0, 1, 2, 8 and more threads
 * than TTS_JOBS_MAX. Every item is consumed exactly once, in produce order,
 * each after exactly one work; work leaves the calling thread when jobs > 1;
 * a consume that stops ends the production, and every slot read but not
 * consumed is discarded exactly once; bad arguments and no memory fail
 * cleanly; tts_jobs_parse and tts_jobs_available. The callbacks never call
 * cmocka (work runs on other threads, and an assertion would longjmp out of
 * tts_jobs_run): they count faults, checked after the run.
 */
#include "helpers.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ttscreen/jobs.h"
#include "util/mem.h"

#define MAGIC 0x6a6f6273u /* "jobs" */
#define NO_STOP ((size_t)-1)

enum { UNSEEN, PRODUCED, CONSUMED, DISCARDED };

typedef struct item_slot {
    size_t seq;       /* position in produce order */
    unsigned magic;   /* set by produce: the slot was filled */
    unsigned worked;  /* work calls on this slot */
    size_t result;    /* written by work, checked by consume */
    pthread_t worker; /* the thread that ran work */
    char pad[40];     /* an odd slot size, so slots do not fall on neat boundaries */
} item_slot;

typedef struct run {
    size_t n_items, next; /* items to produce; produced so far */
    size_t stop_at;       /* consume of this seq returns 1 (NO_STOP: never) */
    size_t consumed, discarded;
    size_t on_caller, off_caller; /* work calls seen on / off the calling thread */
    int ended, stopped;
    size_t produce_after_end, produce_after_stop;
    size_t faults;
    char fault[160];      /* the first fault */
    unsigned char *state; /* per item: UNSEEN, PRODUCED, CONSUMED, DISCARDED */
    pthread_t caller;
    atomic_size_t works;
} run;

static void fault(run *r, const char *what, size_t seq)
{
    if (r->faults++ == 0)
        snprintf(r->fault, sizeof(r->fault), "%s (item %zu)", what, seq);
}

static size_t expected_result(size_t seq) { return seq * 2654435761u + 17; }

static int produce(void *user, void *slot)
{
    static const item_slot zero;
    run *r = user;
    item_slot *sl = slot;
    if (!pthread_equal(pthread_self(), r->caller))
        fault(r, "produce off the calling thread", r->next);
    if (r->ended) {
        r->produce_after_end++;
        return 0;
    }
    if (r->stopped)
        r->produce_after_stop++;
    if (memcmp(sl, &zero, sizeof(zero)) != 0)
        fault(r, "produce given a slot that is not zeroed", r->next);
    if (r->next == r->n_items) {
        r->ended = 1;
        return 0;
    }
    sl->seq = r->next;
    sl->magic = MAGIC;
    r->state[r->next++] = PRODUCED;
    return 1;
}

/* Some early items take longer, so later ones finish first on other threads. */
static void work(void *user, void *slot)
{
    run *r = user;
    item_slot *sl = slot;
    atomic_fetch_add(&r->works, 1);
    sl->worker = pthread_self();
    sl->worked++;
    if (sl->seq < 4000 && sl->seq % 16 == 0) {
        struct timespec ts = {0, 20000};
        nanosleep(&ts, NULL);
    }
    sl->result = expected_result(sl->seq);
}

static int consume(void *user, void *slot)
{
    run *r = user;
    item_slot *sl = slot;
    if (!pthread_equal(pthread_self(), r->caller))
        fault(r, "consume off the calling thread", sl->seq);
    if (sl->magic != MAGIC) {
        fault(r, "consume given a slot that was never produced", r->consumed);
        return 1;
    }
    if (sl->seq != r->consumed)
        fault(r, "consumed out of produce order", sl->seq);
    if (sl->seq >= r->next || r->state[sl->seq] != PRODUCED)
        fault(r, "consumed an item that is not produced-and-pending", sl->seq);
    else
        r->state[sl->seq] = CONSUMED;
    if (sl->worked != 1)
        fault(r, "consumed an item not worked exactly once", sl->seq);
    if (sl->result != expected_result(sl->seq))
        fault(r, "consumed an item whose work result is not there", sl->seq);
    if (pthread_equal(sl->worker, r->caller))
        r->on_caller++;
    else
        r->off_caller++;
    r->consumed++;
    if (sl->seq == r->stop_at) {
        r->stopped = 1;
        return 1;
    }
    return 0;
}

static void discard(void *user, void *slot)
{
    run *r = user;
    item_slot *sl = slot;
    if (!pthread_equal(pthread_self(), r->caller))
        fault(r, "discard off the calling thread", sl->seq);
    if (!r->stopped)
        fault(r, "discard without a stop", sl->seq);
    if (sl->magic != MAGIC) {
        fault(r, "discard given a slot that was never produced", 0);
        return;
    }
    if (sl->seq >= r->next || r->state[sl->seq] != PRODUCED)
        fault(r, "discarded an item that is not produced-and-pending", sl->seq);
    else
        r->state[sl->seq] = DISCARDED;
    if (sl->worked > 1)
        fault(r, "discarded an item worked more than once", sl->seq);
    r->discarded++;
}

static const tts_jobs_ops ops = {sizeof(tts_jobs_ops), produce, work, consume, discard};

static tts_status run_items(run *r, unsigned jobs, size_t n_items, size_t stop_at)
{
    tts_error err;
    tts_status rc;
    memset(r, 0, sizeof(*r));
    atomic_init(&r->works, 0);
    r->n_items = n_items;
    r->stop_at = stop_at;
    r->caller = pthread_self();
    r->state = calloc(n_items + 1, 1);
    assert_non_null(r->state);
    tts_error_clear(&err);
    rc = tts_jobs_run(jobs, sizeof(item_slot), &ops, r, &err);
    return rc;
}

/* What holds after every run: each produced item consumed or discarded, exactly once. */
static void check_accounting(run *r, unsigned jobs)
{
    size_t pending = 0;
    if (r->faults != 0)
        fail_msg("jobs %u: %zu faults, the first: %s", jobs, r->faults, r->fault);
    assert_int_equal(r->produce_after_end, 0);
    assert_int_equal(r->produce_after_stop, 0);
    assert_int_equal(r->next, r->consumed + r->discarded);
    for (size_t i = 0; i < r->next; i++)
        if (r->state[i] != CONSUMED && r->state[i] != DISCARDED)
            pending++;
    if (pending != 0)
        fail_msg("jobs %u: %zu produced items neither consumed nor discarded", jobs, pending);
    /* each consumed item was worked once; a discarded one at most once */
    assert_true(atomic_load(&r->works) >= r->consumed);
    assert_true(atomic_load(&r->works) <= r->next);
    free(r->state);
    r->state = NULL;
}

static void all_in_order(unsigned jobs, size_t n_items)
{
    run r;
    assert_int_equal(run_items(&r, jobs, n_items, NO_STOP), TTS_OK);
    assert_int_equal(r.consumed, n_items);
    assert_int_equal(r.discarded, 0);
    assert_int_equal(r.next, n_items);
    assert_true(r.ended);
    if (jobs <= 1)
        /* jobs.h: 0 or 1 runs everything on the calling thread */
        assert_int_equal(r.off_caller, 0);
    else if (n_items >= 1000 && r.off_caller == 0)
        fail_msg("jobs %u: all %zu items were worked on the calling thread", jobs, n_items);
    check_accounting(&r, jobs);
}

static void test_every_item_is_consumed_once_in_produce_order(void **state)
{
    static const unsigned jobs[] = {0, 1, 2, 8};
    (void)state;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
        all_in_order(jobs[i], 10000);
}

static void test_few_items_on_many_threads_are_all_consumed(void **state)
{
    (void)state;
    for (size_t n = 1; n <= 40; n++) {
        all_in_order(2, n);
        all_in_order(8, n);
    }
}

static void test_more_jobs_than_the_maximum_still_run(void **state)
{
    (void)state;
    all_in_order(TTS_JOBS_MAX, 3000);
    all_in_order(TTS_JOBS_MAX + 1000, 3000);
}

static void test_zero_items_call_nothing_but_produce(void **state)
{
    static const unsigned jobs[] = {1, 2, 8};
    (void)state;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
        run r;
        assert_int_equal(run_items(&r, jobs[i], 0, NO_STOP), TTS_OK);
        assert_true(r.ended);
        assert_int_equal(r.consumed, 0);
        assert_int_equal(r.discarded, 0);
        assert_int_equal(atomic_load(&r.works), 0);
        check_accounting(&r, jobs[i]);
    }
}

/*
 * A consume that returns nonzero: nothing is produced after it, no more than
 * a few slots per thread were read ahead, and each of those is discarded once.
 */
static void stop_after(unsigned jobs, size_t n_items, size_t stop_at)
{
    run r;
    size_t ahead;
    assert_int_equal(run_items(&r, jobs, n_items, stop_at), TTS_OK);
    assert_true(r.stopped);
    assert_int_equal(r.consumed, stop_at + 1);
    ahead = r.next - r.consumed;
    if (jobs <= 1)
        assert_int_equal(ahead, 0);
    else if (ahead > 8 * (size_t)jobs)
        fail_msg("jobs %u, stop at %zu: %zu items read past the stop", jobs, stop_at, ahead);
    assert_int_equal(r.discarded, ahead);
    check_accounting(&r, jobs);
}

static void test_a_stopping_consume_ends_production_and_discards_the_rest(void **state)
{
    static const unsigned jobs[] = {1, 2, 8};
    static const size_t stops[] = {0, 1, 37, 5000, 9999};
    (void)state;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++)
        for (size_t k = 0; k < sizeof(stops) / sizeof(stops[0]); k++)
            stop_after(jobs[i], 10000, stops[k]);
}

static void test_stop_at_the_last_item_discards_nothing(void **state)
{
    (void)state;
    stop_after(8, 100, 99);
}

static int never_produce(void *user, void *slot)
{
    (void)slot;
    (*(int *)user)++;
    return 0;
}

static void test_bad_arguments_are_refused(void **state)
{
    tts_jobs_ops o = ops;
    tts_error err;
    int calls = 0;
    (void)state;
    o.produce = never_produce;

    tts_error_clear(&err);
    assert_int_equal(tts_jobs_run(2, sizeof(item_slot), NULL, &calls, &err), TTS_ERR_ARG);
    assert_int_equal(err.status, TTS_ERR_ARG);
    for (unsigned jobs = 1; jobs <= 8; jobs *= 2) {
        tts_jobs_ops b;
        tts_error_clear(&err);
        assert_int_equal(tts_jobs_run(jobs, 0, &o, &calls, &err), TTS_ERR_ARG);
        assert_int_equal(err.status, TTS_ERR_ARG);
        b = o;
        b.size = 0;
        assert_int_equal(tts_jobs_run(jobs, sizeof(item_slot), &b, &calls, &err), TTS_ERR_ARG);
        b = o;
        b.produce = NULL;
        assert_int_equal(tts_jobs_run(jobs, sizeof(item_slot), &b, &calls, &err), TTS_ERR_ARG);
        b = o;
        b.work = NULL;
        assert_int_equal(tts_jobs_run(jobs, sizeof(item_slot), &b, &calls, &err), TTS_ERR_ARG);
        b = o;
        b.consume = NULL;
        assert_int_equal(tts_jobs_run(jobs, sizeof(item_slot), &b, &calls, &err), TTS_ERR_ARG);
    }
    assert_int_equal(calls, 0);
    /* discard is optional */
    o.discard = NULL;
    assert_int_equal(tts_jobs_run(2, sizeof(item_slot), &o, &calls, &err), TTS_OK);
    assert_int_equal(calls, 1);
}

/* No slot memory: TTS_ERR_NOMEM, nothing produced, nothing leaked (the checked allocator). */
static void test_no_memory_fails_before_producing(void **state)
{
    static const unsigned jobs[] = {1, 2, 8};
    (void)state;
    for (size_t i = 0; i < sizeof(jobs) / sizeof(jobs[0]); i++) {
        for (unsigned long n = 1;; n++) {
            run r;
            tts_status rc;
            tts_mem_fail_after(n);
            rc = run_items(&r, jobs[i], 100, NO_STOP);
            tts_mem_fail_after(0);
            if (rc == TTS_OK) {
                assert_int_equal(r.consumed, 100);
                check_accounting(&r, jobs[i]);
                break;
            }
            assert_int_equal(rc, TTS_ERR_NOMEM);
            assert_int_equal(r.next, 0);
            assert_int_equal(r.consumed, 0);
            assert_int_equal(atomic_load(&r.works), 0);
            free(r.state);
            assert_true(n < 10);
        }
    }
}

static void test_parse_accepts_one_to_the_maximum(void **state)
{
    char s[16];
    (void)state;
    assert_int_equal(TTS_JOBS_MAX, 256);
    for (unsigned n = 1; n <= TTS_JOBS_MAX; n++) {
        unsigned got = 0;
        snprintf(s, sizeof(s), "%u", n);
        if (tts_jobs_parse(s, &got) != TTS_OK || got != n)
            fail_msg("\"%s\" gave %u", s, got);
    }
}

static void test_parse_rejects_what_is_not_one_to_the_maximum(void **state)
{
    static const char *const rows[] = {
        "0",
        "257",
        "",
        "x",
        "2x",
        "-1",
        "+1",
        " 1",
        "1 ",
        "1.5",
        "0x10",
        "1000",
        "4294967297",
        "18446744073709551617",
        "99999999999999999999999",
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        unsigned got = 12345;
        if (tts_jobs_parse(rows[i], &got) != TTS_ERR_ARG)
            fail_msg("row %zu: \"%s\" accepted", i, rows[i]);
        if (got != 12345)
            fail_msg("row %zu: \"%s\" wrote %u on failure", i, rows[i], got);
    }
}

static void test_available_is_between_one_and_the_maximum(void **state)
{
    unsigned n = tts_jobs_available();
    (void)state;
    assert_true(n >= 1);
    assert_true(n <= TTS_JOBS_MAX);
    assert_int_equal(tts_jobs_available(), n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_item_is_consumed_once_in_produce_order),
        cmocka_unit_test(test_few_items_on_many_threads_are_all_consumed),
        cmocka_unit_test(test_more_jobs_than_the_maximum_still_run),
        cmocka_unit_test(test_zero_items_call_nothing_but_produce),
        cmocka_unit_test(test_a_stopping_consume_ends_production_and_discards_the_rest),
        cmocka_unit_test(test_stop_at_the_last_item_discards_nothing),
        cmocka_unit_test(test_bad_arguments_are_refused),
        cmocka_unit_test(test_no_memory_fails_before_producing),
        cmocka_unit_test(test_parse_accepts_one_to_the_maximum),
        cmocka_unit_test(test_parse_rejects_what_is_not_one_to_the_maximum),
        cmocka_unit_test(test_available_is_between_one_and_the_maximum),
    };
    return cmocka_run_group_tests(tests, tts_test_use_cmocka_allocator,
                                  tts_test_use_default_allocator);
}
