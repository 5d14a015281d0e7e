/* SPDX-License-Identifier: MIT */
/*
 * Work over many items on several threads, in input order. One thread (the
 * caller's) reads each item into a slot and, later, takes the finished slots
 * back one by one in the order they were read; worker threads do the work of
 * each slot in between. Output written by `consume` therefore comes out in
 * input order whatever the number of threads, and with jobs = 1 everything
 * runs on the calling thread, one item at a time.
 */
#ifndef TTSCREEN_JOBS_H
#define TTSCREEN_JOBS_H

#include <stddef.h>

#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The most threads tts_jobs_run starts. */
#define TTS_JOBS_MAX 256

typedef struct tts_jobs_ops {
    size_t size; /* sizeof(tts_jobs_ops) */
    /* Calling thread: fill the zeroed slot with the next item. 1: filled; 0: no more. */
    int (*produce)(void *user, void *slot);
    /* A worker thread (several at once, each on its own slot): the item's work. */
    void (*work)(void *user, void *slot);
    /* Calling thread, in produce order: use the finished slot and release what it holds.
     * 0 carries on; anything else stops: nothing more is produced. */
    int (*consume)(void *user, void *slot);
    /* Calling thread, after a stop: release a produced slot that is not consumed. */
    void (*discard)(void *user, void *slot);
} tts_jobs_ops;

/*
 * Run produce -> work -> consume over every item on `jobs` threads: the
 * calling thread and jobs - 1 workers (0 or 1: the calling thread alone);
 * the calling thread also works on slots when it has none to read or take
 * back. At most 8 slots per thread are in flight. Fails only when no slot
 * memory can be had; a thread that cannot be started leaves the work to
 * the others.
 */
TTS_API tts_status tts_jobs_run(unsigned jobs, size_t slot_size, const tts_jobs_ops *ops,
                                void *user, tts_error *err);

/* The processors this process may run on (its affinity mask), at least 1. */
TTS_API unsigned tts_jobs_available(void);

/* "N" with 1 <= N <= TTS_JOBS_MAX into *out; TTS_ERR_ARG otherwise. */
TTS_API tts_status tts_jobs_parse(const char *s, unsigned *out);

#ifdef __cplusplus
}
#endif

#endif
