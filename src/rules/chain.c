/* SPDX-License-Identifier: MIT */
/*
 * The subcontracting chain of a record (chain.h), computed once per scan
 * on first use by the rules that walk it.
 */
#include "rules/chain.h"

#include "rules/val.h"

/*
 * Breadth-first walk from screened_for over transfers (to parties) and
 * `subcontracts` relations, in record order, so tiers and paths are
 * deterministic: tier 1 receives directly from the screened organisation.
 * Edges are bucketed by sending party first, so the walk is linear in the
 * size of the record.
 */
tts_status tts_eval_chain(tts_eval *ev)
{
    const tts_record *rec = ev->rec;
    size_t n = rec->n_parties, m = rec->n_transfers + rec->n_relations, head = 0, tail = 0, k = 0;
    size_t *queue, *start, *edge, *fill;
    tts_val *items;
    if (ev->chain_done)
        return TTS_OK;
    ev->tier = tts_arena_calloc(ev->keep, n + 1, sizeof(int));
    ev->parent = tts_arena_calloc(ev->keep, n + 1, sizeof(tts_party *));
    ev->via = tts_arena_calloc(ev->keep, n + 1, sizeof(tts_transfer *));
    queue = tts_arena_calloc(ev->keep, n + 1, sizeof(size_t));
    items = tts_arena_calloc(ev->keep, n + 1, sizeof(tts_val));
    start = tts_arena_calloc(ev->keep, n + 2, sizeof(size_t));
    fill = tts_arena_calloc(ev->keep, n + 1, sizeof(size_t));
    edge = tts_arena_calloc(ev->keep, m + 1, sizeof(size_t)); /* i < T: transfer, else relation */
    if (ev->tier == NULL || ev->parent == NULL || ev->via == NULL || queue == NULL ||
        items == NULL || start == NULL || fill == NULL || edge == NULL)
        return tts_eval_nomem(ev);
    /* Bucket edges by sender (counting sort keeps record order inside a bucket). */
    for (size_t i = 0; i < rec->n_transfers; i++)
        if (rec->transfers[i].to_party != NULL)
            start[rec->transfers[i].from->index + 1]++;
    for (size_t i = 0; i < rec->n_relations; i++)
        if (rec->relations[i].type == TTS_REL_SUBCONTRACTS)
            start[rec->relations[i].from->index + 1]++;
    for (size_t i = 0; i < n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; i < rec->n_transfers; i++)
        if (rec->transfers[i].to_party != NULL) {
            size_t u = rec->transfers[i].from->index;
            edge[start[u] + fill[u]++] = i;
        }
    for (size_t i = 0; i < rec->n_relations; i++)
        if (rec->relations[i].type == TTS_REL_SUBCONTRACTS) {
            size_t u = rec->relations[i].from->index;
            edge[start[u] + fill[u]++] = rec->n_transfers + i;
        }
    for (size_t i = 0; i < n; i++)
        ev->tier[i] = -1;
    if (rec->screened_for != NULL) {
        ev->tier[rec->screened_for->index] = 0;
        queue[tail++] = rec->screened_for->index;
    }
    while (head < tail) {
        size_t u = queue[head++];
        for (size_t e = start[u]; e < start[u + 1]; e++) {
            const tts_transfer *t = edge[e] < rec->n_transfers ? &rec->transfers[edge[e]] : NULL;
            const tts_party *to =
                t != NULL ? t->to_party : rec->relations[edge[e] - rec->n_transfers].to;
            if (ev->tier[to->index] >= 0)
                continue;
            ev->tier[to->index] = ev->tier[u] + 1;
            ev->parent[to->index] = &rec->parties[u];
            ev->via[to->index] = t;
            queue[tail++] = to->index;
        }
    }
    for (size_t i = 1; i < tail; i++)
        items[k++] = tts_val_elem(TTS_T_PARTY, &rec->parties[queue[i]], NULL);
    ev->chain = tts_val_null();
    ev->chain.k = TTS_T_LIST;
    ev->chain.n = k;
    ev->chain.u.items = items;
    ev->chain_done = 1;
    return TTS_OK;
}
