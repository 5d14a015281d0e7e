/* SPDX-License-Identifier: MIT */
/*
 * The per-scan state of the evaluator. One tts_eval holds a scratch arena
 * (lists, copies; freed after the record), the variable frames, the
 * evidence collected so far, derived data computed on first use (the
 * subcontracting chain, chain.h), regex scratch and a step budget. The
 * executor (eval.h) and the built-ins (ops.h) both work on it.
 */
#ifndef TTS_EVALCTX_H
#define TTS_EVALCTX_H

#include "rules/ast.h"
#include "rules/ruleset.h"
#include "rules/rx.h"
#include "ttscreen/scan.h"

/* One piece of evidence: a value read from the record, or a function's result. */
typedef struct tts_fact {
    tts_val v;            /* the value (with provenance) or the call's result */
    const tts_node *call; /* built-in or predicate call, or NULL */
    const tts_val *args;  /* the call's arguments (scan arena) */
} tts_fact;

typedef struct tts_eval tts_eval;

/* One denied-party lookup made during a scan: who, how strictly, which lists, the answer. */
typedef struct tts_listed_memo {
    const void *who;
    double threshold;
    const char *const *sources; /* scan arena copy of the source names */
    size_t n_sources;
    tts_val result;
} tts_listed_memo;

/*
 * One name looked up in every list during a scan: whose name, the name, how
 * strictly, by which algorithm, and every hit (owned). The listed() calls
 * that ask the same name of other lists take their sources' hits from it.
 */
typedef struct tts_name_memo {
    const void *who;
    const char *text;
    double threshold;
    int algorithm;
    tts_match *hits;
    size_t n;
} tts_name_memo;

struct tts_eval {
    const tts_rules *set;
    const tts_record *rec;
    const tts_scan_opts *opts;
    tts_date as_of;
    tts_arena *arena; /* scratch: rewound after each element a rule loops over */
    tts_arena *keep;  /* the scan's own memory: chain, record-level values, list answers */
    size_t finding_bytes; /* text of the findings emitted so far */
    tts_error *err;
    tts_rx_scratch *rx; /* created on first regex match */
    tts_val *slots;     /* variable frames */
    size_t n_slots, cap_slots;
    size_t frame;       /* base of the current frame */
    size_t frame_size;  /* slots of the current frame */
    const tts_src *src; /* source of the code being evaluated (traces) */
    tts_fact *facts;    /* evidence of the condition being evaluated */
    size_t n_facts, cap_facts;
    unsigned long steps;
    int depth; /* trace indentation */
    /* Subcontracting chain from screened_for, computed on first use. */
    int chain_done;
    int *tier; /* per party index; -1 unreachable */
    const tts_party **parent;
    const tts_transfer **via; /* transfer used to reach the party, or NULL (relation) */
    tts_val chain;            /* list of reachable parties, BFS order */
    tts_val globals[16];      /* record-level fields read so far (lists built once) */
    tts_listed_memo *listed;  /* listed() answers already fetched in this scan */
    size_t n_listed, cap_listed;
    unsigned char have_global[16];
    tts_name_memo *looked; /* names already looked up in every list in this scan */
    size_t n_looked, cap_looked;
};

/* Set up ev for one record (borrowed). Returns TTS_ERR_NOMEM on failure. */
tts_status tts_eval_init(tts_eval *ev, const tts_rules *set, const tts_record *rec,
                         const tts_scan_opts *opts, tts_date as_of, tts_error *err);
/* Release everything ev holds (accepts a zeroed ev). */
void tts_eval_fini(tts_eval *ev);


/* Out of memory in the evaluator: records the error and returns TTS_ERR_NOMEM (or the
 * limit error when an arena is over its bound). */
tts_status tts_eval_nomem(tts_eval *ev);

/* Record a fact: value v, and the call and arguments that produced it (or NULL). Best
 * effort: beyond the bound or out of memory the evidence is shorter, the finding stands. */
void tts_eval_add_fact(tts_eval *ev, const tts_val *v, const tts_node *call, const tts_val *args);

/* Record v as evidence when it was read from the record (has a path). */
void tts_eval_fact(tts_eval *ev, const tts_val *v);

#endif
