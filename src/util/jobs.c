/* SPDX-License-Identifier: MIT */
/*
 * tts_jobs_run (ttscreen/jobs.h): a ring of slots. The calling thread
 * produces at the tail and consumes at the head; workers take the slots in
 * between in order, so the slot a worker finishes is usually the next one
 * the caller waits for. One mutex guards the ring's counters; the slots
 * themselves are touched by one thread at a time (the producer, then one
 * worker, then the consumer), handed over under the mutex.
 */
#define _GNU_SOURCE /* sched_getaffinity */
#include "ttscreen/jobs.h"

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "util/mem.h"

/* Slots in flight per thread: enough that a slow item does not idle the others. */
#define SLOTS_PER_JOB 8

enum { FREE, READY, DONE };

typedef struct ring {
    const tts_jobs_ops *ops;
    void *user;
    unsigned char *slots;
    unsigned char *state;
    size_t slot_size, n;
    size_t head, tail, next; /* counters: consume at head, produce at tail, work at next */
    int quit;
    int idle; /* workers waiting for a slot (woken only then) */
    pthread_mutex_t mu;
    pthread_cond_t work_cv, done_cv;
} ring;

static void *slot_at(const ring *r, size_t i)
{
    return r->slots + (i % r->n) * r->slot_size;
}

static void *worker(void *arg)
{
    ring *r = arg;
    pthread_mutex_lock(&r->mu);
    for (;;) {
        size_t i;
        while (r->next == r->tail && !r->quit) {
            r->idle++;
            pthread_cond_wait(&r->work_cv, &r->mu);
            r->idle--;
        }
        if (r->quit)
            break;
        i = r->next++;
        pthread_mutex_unlock(&r->mu);
        r->ops->work(r->user, slot_at(r, i));
        pthread_mutex_lock(&r->mu);
        r->state[i % r->n] = DONE;
        if (i == r->head)
            pthread_cond_signal(&r->done_cv);
    }
    pthread_mutex_unlock(&r->mu);
    return NULL;
}

/* Everything on the calling thread, one item at a time. */
static tts_status run_inline(size_t slot_size, const tts_jobs_ops *ops, void *user,
                             tts_error *err)
{
    void *slot = tts_calloc(1, slot_size);
    if (slot == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory starting the work");
    for (;;) {
        memset(slot, 0, slot_size);
        if (!ops->produce(user, slot))
            break;
        ops->work(user, slot);
        if (ops->consume(user, slot) != 0)
            break;
    }
    tts_free(slot);
    return TTS_OK;
}

/*
 * The caller's loop: consume what is done at the head, produce while there
 * is room, and otherwise work on a slot itself (so that jobs threads, the
 * caller's among them, share jobs processors), waiting only when every slot
 * in flight is being worked on.
 */
static void drive(ring *r)
{
    int end = 0, stop = 0;
    pthread_mutex_lock(&r->mu);
    while (!stop) {
        if (r->head < r->tail && r->state[r->head % r->n] == DONE) {
            void *s = slot_at(r, r->head);
            pthread_mutex_unlock(&r->mu);
            stop = r->ops->consume(r->user, s) != 0;
            pthread_mutex_lock(&r->mu);
            r->state[r->head % r->n] = FREE;
            r->head++;
        } else if (!end && r->tail - r->head < r->n) {
            void *s = slot_at(r, r->tail);
            pthread_mutex_unlock(&r->mu);
            memset(s, 0, r->slot_size);
            end = !r->ops->produce(r->user, s);
            pthread_mutex_lock(&r->mu);
            if (!end) {
                r->state[r->tail % r->n] = READY;
                r->tail++;
                if (r->idle > 0)
                    pthread_cond_signal(&r->work_cv);
            }
        } else if (end && r->head == r->tail) {
            break;
        } else if (r->next < r->tail) {
            size_t i = r->next++;
            pthread_mutex_unlock(&r->mu);
            r->ops->work(r->user, slot_at(r, i));
            pthread_mutex_lock(&r->mu);
            r->state[i % r->n] = DONE;
        } else {
            pthread_cond_wait(&r->done_cv, &r->mu);
        }
    }
    r->quit = 1;
    pthread_cond_broadcast(&r->work_cv);
    pthread_mutex_unlock(&r->mu);
}

tts_status tts_jobs_run(unsigned jobs, size_t slot_size, const tts_jobs_ops *ops, void *user,
                        tts_error *err)
{
    ring r;
    pthread_t th[TTS_JOBS_MAX];
    unsigned started = 0;
    tts_status rc = TTS_OK;

    if (ops == NULL || ops->size < sizeof(tts_jobs_ops) || ops->produce == NULL ||
        ops->work == NULL || ops->consume == NULL || slot_size == 0)
        return tts_err_set(err, TTS_ERR_ARG, "tts_jobs_run: operations missing");
    if (jobs > TTS_JOBS_MAX)
        jobs = TTS_JOBS_MAX;
    if (jobs <= 1)
        return run_inline(slot_size, ops, user, err);
    memset(&r, 0, sizeof(r));
    r.ops = ops;
    r.user = user;
    r.slot_size = slot_size;
    r.n = (size_t)jobs * SLOTS_PER_JOB;
    r.slots = tts_calloc(r.n, slot_size);
    r.state = tts_calloc(r.n, 1);
    if (r.slots == NULL || r.state == NULL) {
        tts_free(r.slots);
        tts_free(r.state);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory starting %u jobs", jobs);
    }
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.work_cv, NULL);
    pthread_cond_init(&r.done_cv, NULL);
    /* the caller's thread is one of the jobs: it works too when it has nothing else to do */
    for (unsigned i = 0; i + 1 < jobs; i++)
        if (pthread_create(&th[started], NULL, worker, &r) == 0)
            started++;
    if (started == 0) {
        rc = run_inline(slot_size, ops, user, err);
    } else {
        drive(&r);
        for (unsigned i = 0; i < started; i++)
            pthread_join(th[i], NULL);
        /* after a stop: the slots read but never consumed */
        for (size_t i = r.head; i < r.tail; i++)
            if (ops->discard != NULL)
                ops->discard(user, slot_at(&r, i));
    }
    pthread_cond_destroy(&r.done_cv);
    pthread_cond_destroy(&r.work_cv);
    pthread_mutex_destroy(&r.mu);
    tts_free(r.slots);
    tts_free(r.state);
    return rc;
}

unsigned tts_jobs_available(void)
{
    long online;
    /* the affinity mask, in a set as large as the kernel's (past 1,024 processors too) */
    for (int cpus = 1024; cpus <= 1 << 20; cpus *= 2) {
        cpu_set_t *set = CPU_ALLOC(cpus);
        size_t size = CPU_ALLOC_SIZE(cpus);
        int n = -1;
        if (set == NULL)
            break;
        if (sched_getaffinity(0, size, set) == 0)
            n = CPU_COUNT_S(size, set);
        CPU_FREE(set);
        if (n > 0)
            return n > TTS_JOBS_MAX ? TTS_JOBS_MAX : (unsigned)n;
        if (n == 0 || errno != EINVAL)
            break;
    }
    online = sysconf(_SC_NPROCESSORS_ONLN);
    return online < 1 ? 1 : online > TTS_JOBS_MAX ? TTS_JOBS_MAX : (unsigned)online;
}

tts_status tts_jobs_parse(const char *s, unsigned *out)
{
    char *end = NULL;
    unsigned long v;
    if (s == NULL || *s < '0' || *s > '9')
        return TTS_ERR_ARG;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || v < 1 || v > TTS_JOBS_MAX)
        return TTS_ERR_ARG;
    *out = (unsigned)v;
    return TTS_OK;
}
