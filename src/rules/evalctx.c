/* SPDX-License-Identifier: MIT */
/*
 * The per-scan state of the evaluator (evalctx.h): set-up and release,
 * the out-of-memory and limit error, and the evidence a condition
 * collects. Below both the executor (eval.c) and the built-ins (ops.c).
 */
#include "rules/evalctx.h"

#include <string.h>

#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

/* Evidence beyond this many facts is not needed to explain a finding. */
#define MAX_FACTS 4096

tts_status tts_eval_nomem(tts_eval *ev)
{
    if ((ev->arena != NULL && tts_arena_over_max(ev->arena)) ||
        (ev->keep != NULL && tts_arena_over_max(ev->keep)))
        return tts_err_set(ev->err, TTS_ERR_LIMIT,
                           "record \"%s\": evaluating the rules needs more than %d MiB "
                           "(TTS_EVAL_MAX_MIB)",
                           ev->rec != NULL && ev->rec->id != NULL ? ev->rec->id : "?",
                           TTS_EVAL_MAX_MIB);
    return tts_err_set(ev->err, TTS_ERR_NOMEM, "out of memory");
}

tts_status tts_eval_init(tts_eval *ev, const tts_rules *set, const tts_record *rec,
                         const tts_scan_opts *opts, tts_date as_of, tts_error *err)
{
    memset(ev, 0, sizeof(*ev));
    ev->set = set;
    ev->rec = rec;
    ev->opts = opts;
    ev->as_of = as_of;
    ev->err = err;
    ev->arena = tts_arena_new();
    ev->keep = tts_arena_new();
    if (ev->arena == NULL || ev->keep == NULL)
        return tts_eval_nomem(ev);
    tts_arena_set_max(ev->arena, (size_t)TTS_EVAL_MAX_MIB << 20);
    tts_arena_set_max(ev->keep, (size_t)TTS_EVAL_MAX_MIB << 20);
    return TTS_OK;
}

void tts_eval_fini(tts_eval *ev)
{
    tts_arena_free(ev->arena);
    tts_arena_free(ev->keep);
    tts_rx_scratch_free(ev->rx);
    tts_free(ev->slots);
    tts_free(ev->facts);
    tts_free(ev->listed);
    for (size_t i = 0; i < ev->n_looked; i++)
        tts_matches_free(ev->looked[i].hits, ev->looked[i].n);
    tts_free(ev->looked);
    memset(ev, 0, sizeof(*ev));
}

void tts_eval_add_fact(tts_eval *ev, const tts_val *v, const tts_node *call, const tts_val *args)
{
    if (ev->n_facts >= MAX_FACTS)
        return; /* evidence beyond this is not needed to explain a finding */
    if (!tts_grow(&ev->facts, &ev->cap_facts, ev->n_facts + 1, sizeof(*ev->facts)))
        return; /* evidence is best effort; the finding itself still stands */
    ev->facts[ev->n_facts].v = *v;
    ev->facts[ev->n_facts].call = call;
    ev->facts[ev->n_facts].args = args;
    ev->n_facts++;
}

void tts_eval_fact(tts_eval *ev, const tts_val *v)
{
    if (v->pk != 0 || (tts_tbase_is_elem(v->k) && v->k != TTS_T_MATCH))
        tts_eval_add_fact(ev, v, NULL, NULL);
}
