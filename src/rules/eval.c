/* SPDX-License-Identifier: MIT */
/*
 * Rule evaluation (see eval.h). The evaluator is a switch with one small
 * function per node kind. Null propagates through field access (reading a
 * field of an absent object gives null) and is false in a boolean context;
 * ordered comparisons with null are false.
 *
 * Evidence: comparisons, `in` and fact-stating built-ins record the values
 * they read. Boolean operators keep only the evidence of the operands that
 * decided their result (the true side of a true `or`, the false side of a
 * false `and`, the witness of a true `any`, ...), so a finding lists the
 * facts that made its condition true, each as "JSON path = value".
 */
#include "rules/eval.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"
#include "rules/chain.h"
#include "rules/ops.h"
#include "rules/findings.h"
#include "rules/schema.h"

static tts_status ensure_slots(tts_eval *ev, size_t n)
{
    if (!tts_grow(&ev->slots, &ev->cap_slots, n, sizeof(*ev->slots)))
        return tts_eval_nomem(ev);
    return TTS_OK;
}

/* Drop facts [from, to): the evidence of an operand that did not decide the result. */
static void drop_facts(tts_eval *ev, size_t from, size_t to)
{
    if (to > ev->n_facts)
        to = ev->n_facts;
    if (from >= to)
        return;
    memmove(ev->facts + from, ev->facts + to, (ev->n_facts - to) * sizeof(tts_fact));
    ev->n_facts -= to - from;
}

/* ---- tracing ---------------------------------------------------------------- */

static void trace(tts_eval *ev, const tts_node *n, const tts_val *v)
{
    tts_buf b = TTS_BUF_INIT;
    int space = 0;
    if (ev->opts->trace == NULL || ev->src == NULL)
        return;
    for (size_t i = 0; i < n->len && i < 160; i++) {
        char c = ev->src->text[n->off + i];
        if (c == '\n' || c == '\t' || c == ' ' || c == '\r') {
            space = 1;
            continue;
        }
        if (space)
            tts_buf_putc(&b, ' ');
        space = 0;
        tts_buf_putc(&b, c);
    }
    if (n->len > 160)
        tts_buf_puts(&b, "...");
    tts_buf_puts(&b, " => ");
    tts_val_render_json(&b, v);
    if (!tts_buf_failed(&b))
        ev->opts->trace(ev->opts->trace_user, ev->depth, b.data);
    tts_buf_free(&b);
}

/* ---- node evaluation -------------------------------------------------------- */

static tts_status eval_list(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val *items = n->n_args ? tts_arena_calloc(ev->arena, n->n_args, sizeof(tts_val)) : NULL;
    tts_status rc;
    if (n->n_args > 0 && items == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < n->n_args; i++)
        if ((rc = tts_eval_node(ev, n->args[i], &items[i])) != TTS_OK)
            return rc;
    *out = tts_val_null();
    out->k = TTS_T_LIST;
    out->n = n->n_args;
    out->u.items = items;
    return TTS_OK;
}

static tts_status eval_global(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val rec = tts_val_elem(TTS_T_RECORD, ev->rec, NULL);
    tts_status rc;
    switch (n->op) {
    case TTS_G_RECORD:
        *out = rec;
        return TTS_OK;
    case TTS_G_AS_OF:
        *out = tts_val_date(ev->as_of);
        return TTS_OK;
    case TTS_G_CHAIN:
        if ((rc = tts_eval_chain(ev)) != TTS_OK)
            return rc;
        *out = ev->chain;
        return TTS_OK;
    default: {
        /* Record-level fields never change during a scan: build each once. */
        const tts_field *f = n->ref;
        int cacheable = f->id >= 0 && f->id < 16;
        if (cacheable && ev->have_global[f->id]) {
            *out = ev->globals[f->id];
            return TTS_OK;
        }
        if (tts_schema_get(f, &rec, cacheable ? ev->keep : ev->arena, out) != 0)
            return tts_eval_nomem(ev);
        if (cacheable) {
            ev->globals[f->id] = *out;
            ev->have_global[f->id] = 1;
        }
        return TTS_OK;
    }
    }
}

static tts_status eval_field(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val base;
    tts_status rc = tts_eval_node(ev, n->a, &base);
    if (rc != TTS_OK)
        return rc;
    if (base.k == TTS_T_NULL) {
        *out = base; /* null propagates, keeping where the absent value sits */
        return TTS_OK;
    }
    if (tts_schema_get(n->ref, &base, ev->arena, out) != 0)
        return tts_eval_nomem(ev);
    return TTS_OK;
}

static tts_status eval_args(tts_eval *ev, const tts_node *n, tts_val **args)
{
    tts_status rc;
    *args = n->n_args ? tts_arena_calloc(ev->arena, n->n_args, sizeof(tts_val)) : NULL;
    if (n->n_args > 0 && *args == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < n->n_args; i++)
        if ((rc = tts_eval_node(ev, n->args[i], &(*args)[i])) != TTS_OK)
            return rc;
    return TTS_OK;
}

static tts_status eval_builtin(tts_eval *ev, const tts_node *n, tts_val *out)
{
    const tts_builtin *b = n->ref;
    tts_val *args;
    tts_status rc = eval_args(ev, n, &args);
    if (rc != TTS_OK)
        return rc;
    rc = b->fn(ev, n, args, n->n_args, out);
    if (rc != TTS_OK)
        return rc;
    if (out->k != TTS_T_LIST && !tts_tbase_is_elem(out->k) && out->pk == 0) {
        /* A call result states where it came from: name(args). */
        out->pk = TTS_T_ANY;
        out->pp = n;
        out->pown = args;
    }
    if (b->fact)
        tts_eval_add_fact(ev, out, n, args);
    return TTS_OK;
}

static tts_status eval_pred(tts_eval *ev, const tts_node *n, tts_val *out)
{
    const tts_def *d = n->ref;
    size_t saved_frame = ev->frame, saved_size = ev->frame_size, base;
    const tts_src *saved_src = ev->src;
    tts_val args[TTS_RULES_MAX_ARGS];
    tts_status rc;
    /* Arguments go straight into the callee's frame: no copy outlives the call. */
    for (size_t i = 0; i < n->n_args; i++)
        if ((rc = tts_eval_node(ev, n->args[i], &args[i])) != TTS_OK)
            return rc;
    base = ev->frame + ev->frame_size;
    if ((rc = ensure_slots(ev, base + d->n_slots)) != TTS_OK)
        return rc;
    for (size_t i = 0; i < n->n_args; i++)
        ev->slots[base + i] = args[i];
    ev->frame = base;
    ev->frame_size = d->n_slots;
    ev->src = d->src;
    rc = tts_eval_node(ev, d->body, out);
    ev->frame = saved_frame;
    ev->frame_size = saved_size;
    ev->src = saved_src;
    return rc;
}

static tts_status eval_table(tts_eval *ev, const tts_node *n, tts_val *out)
{
    const tts_def *d = n->ref;
    tts_val arg;
    tts_status rc = tts_eval_node(ev, n->args[0], &arg);
    if (rc != TTS_OK)
        return rc;
    return tts_ops_classify(ev, d, &arg, out);
}

static tts_status eval_bool_op(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val a, b;
    size_t m0 = ev->n_facts, m1;
    int is_and = n->kind == TTS_N_AND, va;
    tts_status rc = tts_eval_node(ev, n->a, &a);
    if (rc != TTS_OK)
        return rc;
    va = tts_val_truthy(&a);
    if (is_and ? !va : va) {
        *out = tts_val_bool(va); /* short circuit: the left side decided */
        return TTS_OK;
    }
    m1 = ev->n_facts;
    if ((rc = tts_eval_node(ev, n->b, &b)) != TTS_OK)
        return rc;
    /* and=false or or=true: the right side decided alone. */
    if (is_and ? !tts_val_truthy(&b) : tts_val_truthy(&b))
        drop_facts(ev, m0, m1);
    *out = tts_val_bool(tts_val_truthy(&b));
    return TTS_OK;
}

static int compare(const tts_val *a, const tts_val *b, int op)
{
    int c;
    if (op == TTS_CMP_EQ)
        return tts_val_equal(a, b);
    if (op == TTS_CMP_NE)
        return !tts_val_equal(a, b);
    if (a->k != b->k)
        return 0; /* null or mixed: ordered comparisons are false */
    if (a->k == TTS_T_NUM)
        c = a->u.n < b->u.n ? -1 : a->u.n > b->u.n ? 1 : 0;
    else if (a->k == TTS_T_DATE)
        c = tts_date_cmp(a->u.d, b->u.d);
    else if (a->k == TTS_T_STR)
        c = strcmp(a->u.s, b->u.s);
    else
        return 0;
    switch (op) {
    case TTS_CMP_LT:
        return c < 0;
    case TTS_CMP_LE:
        return c <= 0;
    case TTS_CMP_GT:
        return c > 0;
    default:
        return c >= 0;
    }
}

static tts_status eval_cmp(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val a, b;
    tts_status rc = tts_eval_node(ev, n->a, &a);
    if (rc != TTS_OK || (rc = tts_eval_node(ev, n->b, &b)) != TTS_OK)
        return rc;
    if (n->kind == TTS_N_CMP) {
        *out = tts_val_bool(compare(&a, &b, n->op));
    } else {
        int found = 0;
        if (b.k == TTS_T_LIST)
            for (size_t i = 0; i < b.n && !found; i++)
                found = tts_val_equal(&a, &b.u.items[i]);
        *out = tts_val_bool(n->op ? !found : found);
    }
    tts_eval_fact(ev, &a);
    tts_eval_fact(ev, &b);
    return TTS_OK;
}

static tts_status eval_arith(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val a, b = tts_val_num(0);
    tts_status rc = tts_eval_node(ev, n->a, &a);
    if (rc != TTS_OK || (n->b != NULL && (rc = tts_eval_node(ev, n->b, &b)) != TTS_OK))
        return rc;
    if (a.k != TTS_T_NUM || b.k != TTS_T_NUM) {
        *out = tts_val_null();
        return TTS_OK;
    }
    if (n->kind == TTS_N_NEG)
        *out = tts_val_num(-a.u.n);
    else
        *out = tts_val_num(n->op == '+' ? a.u.n + b.u.n : a.u.n - b.u.n);
    return TTS_OK;
}

/* any / all / count / filter over a list, binding the variable's slot. */
static tts_status eval_quant(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val coll, body, *kept = NULL;
    size_t m0 = ev->n_facts, count = 0;
    tts_status rc = tts_eval_node(ev, n->a, &coll);
    int decided = 0;
    if (rc != TTS_OK)
        return rc;
    if (coll.k != TTS_T_LIST)
        coll.n = 0;
    if (n->op == TTS_Q_FILTER && coll.n > 0 &&
        (kept = tts_arena_calloc(ev->arena, coll.n, sizeof(tts_val))) == NULL)
        return tts_eval_nomem(ev);
    for (size_t i = 0; i < coll.n && !decided; i++) {
        size_t mi = ev->n_facts;
        int t;
        ev->slots[ev->frame + (size_t)n->slot] = coll.u.items[i];
        if ((rc = tts_eval_node(ev, n->b, &body)) != TTS_OK)
            return rc;
        t = tts_val_truthy(&body);
        if ((n->op == TTS_Q_ANY && t) || (n->op == TTS_Q_ALL && !t)) {
            drop_facts(ev, m0, mi); /* the witness alone explains the result */
            decided = 1;
        } else if ((n->op == TTS_Q_COUNT || n->op == TTS_Q_FILTER) && !t) {
            drop_facts(ev, mi, ev->n_facts);
        }
        if (t && kept != NULL)
            kept[count] = coll.u.items[i];
        count += t != 0;
    }
    switch (n->op) {
    case TTS_Q_ANY:
        *out = tts_val_bool(decided);
        break;
    case TTS_Q_ALL:
        *out = tts_val_bool(!decided);
        break;
    case TTS_Q_COUNT:
        *out = tts_val_num((double)count);
        break;
    default:
        *out = tts_val_null();
        out->k = TTS_T_LIST;
        out->n = count;
        out->u.items = kept;
        break;
    }
    return TTS_OK;
}

/* if c then a else b: the condition's evidence stays with the chosen branch's. */
static tts_status eval_if(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_val c;
    tts_status rc = tts_eval_node(ev, n->args[0], &c);
    if (rc != TTS_OK)
        return rc;
    return tts_eval_node(ev, tts_val_truthy(&c) ? n->a : n->b, out);
}

static int traced_kind(int k)
{
    return k == TTS_N_AND || k == TTS_N_OR || k == TTS_N_NOT || k == TTS_N_CMP || k == TTS_N_IN ||
           k == TTS_N_QUANT || k == TTS_N_BUILTIN || k == TTS_N_PRED || k == TTS_N_TABLE ||
           k == TTS_N_IF;
}

tts_status tts_eval_node(tts_eval *ev, const tts_node *n, tts_val *out)
{
    tts_status rc = TTS_OK;
    if (++ev->steps > TTS_EVAL_MAX_STEPS)
        return tts_err_set(ev->err, TTS_ERR_LIMIT,
                           "evaluation of one record took more than %lu steps", TTS_EVAL_MAX_STEPS);
    ev->depth++;
    switch (n->kind) {
    case TTS_N_LIT:
        *out = n->lit;
        break;
    case TTS_N_LIST:
        rc = eval_list(ev, n, out);
        break;
    case TTS_N_VAR:
        *out = ev->slots[ev->frame + (size_t)n->slot];
        break;
    case TTS_N_GLOBAL:
        rc = eval_global(ev, n, out);
        break;
    case TTS_N_SET:
        *out = ((const tts_def *)n->ref)->value;
        break;
    case TTS_N_FIELD:
        rc = eval_field(ev, n, out);
        break;
    case TTS_N_BUILTIN:
        rc = eval_builtin(ev, n, out);
        break;
    case TTS_N_PRED:
        rc = eval_pred(ev, n, out);
        break;
    case TTS_N_TABLE:
        rc = eval_table(ev, n, out);
        break;
    case TTS_N_NOT:
        rc = tts_eval_node(ev, n->a, out);
        if (rc == TTS_OK)
            *out = tts_val_bool(!tts_val_truthy(out));
        break;
    case TTS_N_AND:
    case TTS_N_OR:
        rc = eval_bool_op(ev, n, out);
        break;
    case TTS_N_CMP:
    case TTS_N_IN:
        rc = eval_cmp(ev, n, out);
        break;
    case TTS_N_NEG:
    case TTS_N_ARITH:
        rc = eval_arith(ev, n, out);
        break;
    case TTS_N_QUANT:
        rc = eval_quant(ev, n, out);
        break;
    case TTS_N_IF:
        rc = eval_if(ev, n, out);
        break;
    default:
        rc = tts_err_set(ev->err, TTS_ERR_INTERNAL, "unresolved expression in a rule");
    }
    ev->depth--;
    if (rc == TTS_OK && ev->opts->trace != NULL && traced_kind(n->kind))
        trace(ev, n, out);
    return rc;
}

/* ---- findings --------------------------------------------------------------- */

static void render_ref(tts_buf *b, const tts_val *v);

/* name(arg, ...) with each argument shown by its path when it has one. */
static void render_call(tts_buf *b, const tts_node *call, const tts_val *args)
{
    tts_buf_printf(b, "%s(", call->name);
    for (size_t i = 0; i < call->n_args; i++) {
        if (i > 0)
            tts_buf_puts(b, ", ");
        if (args[i].k == TTS_T_REGEX)
            tts_buf_puts(b, tts_rx_source(args[i].u.rx));
        else
            render_ref(b, &args[i]);
    }
    tts_buf_putc(b, ')');
}

/* A value by where it came from (path or call), else by its literal text. */
static void render_ref(tts_buf *b, const tts_val *v)
{
    if (v->pk == TTS_T_ANY)
        render_call(b, v->pp, v->pown);
    else if (!tts_val_path(b, v))
        tts_val_render_json(b, v);
}

static tts_status add_str(char ***items, size_t *n, const char *s)
{
    char **p = tts_realloc(*items, (*n + 1) * sizeof(char *));
    if (p == NULL)
        return TTS_ERR_NOMEM;
    *items = p;
    p[*n] = tts_strdup(s);
    if (p[*n] == NULL)
        return TTS_ERR_NOMEM;
    (*n)++;
    return TTS_OK;
}

/* Render the collected facts as "path = value", without duplicates. */
static tts_status fill_evidence(tts_eval *ev, tts_finding *f)
{
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < ev->n_facts && f->n_evidence < TTS_FINDING_MAX_EVIDENCE; i++) {
        const tts_fact *fa = &ev->facts[i];
        int dup = 0;
        tts_buf_reset(&b);
        if (fa->call != NULL)
            render_call(&b, fa->call, fa->args);
        else if (fa->v.pk == TTS_T_ANY)
            render_call(&b, fa->v.pp, fa->v.pown);
        else if (!tts_val_path(&b, &fa->v))
            continue;
        tts_buf_puts(&b, " = ");
        tts_val_render_json(&b, &fa->v);
        if (tts_buf_failed(&b)) {
            rc = TTS_ERR_NOMEM;
            break;
        }
        for (size_t j = 0; j < f->n_evidence && !dup; j++)
            dup = strcmp(f->evidence[j], b.data) == 0;
        if (!dup && (rc = add_str(&f->evidence, &f->n_evidence, b.data)) != TTS_OK)
            break;
    }
    tts_buf_free(&b);
    return rc;
}

static tts_status render_message(tts_eval *ev, const tts_rule *r, tts_buf *b)
{
    size_t saved = ev->n_facts;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < r->n_message && rc == TTS_OK; i++) {
        tts_val v;
        if (r->message[i].expr == NULL) {
            tts_buf_puts(b, r->message[i].text);
            continue;
        }
        rc = tts_eval_node(ev, r->message[i].expr, &v);
        if (rc == TTS_OK)
            tts_val_render_text(b, &v);
    }
    ev->n_facts = saved; /* what the message reads is not evidence */
    if (rc == TTS_OK && b->len > TTS_MESSAGE_MAX_BYTES) {
        size_t cut = TTS_MESSAGE_MAX_BYTES;
        while (cut > 0 && ((unsigned char)b->data[cut] & 0xC0) == 0x80)
            cut--;
        b->len = cut;
        b->data[cut] = '\0';
        tts_buf_puts(b, "...");
    }
    return rc;
}

static tts_status fill_outputs(tts_eval *ev, const tts_rule *r, const tts_val *bound,
                               tts_finding *f)
{
    tts_buf b = TTS_BUF_INIT;
    tts_val v;
    size_t saved = ev->n_facts;
    tts_status rc = TTS_OK;
    v = bound != NULL ? *bound : tts_val_elem(TTS_T_RECORD, ev->rec, NULL);
    if (r->subject != NULL && (rc = tts_eval_node(ev, r->subject, &v)) != TTS_OK)
        goto out;
    if (!tts_val_path(&b, &v))
        tts_buf_putc(&b, '$');
    if (tts_buf_failed(&b) || (f->subject = tts_buf_steal(&b, NULL)) == NULL)
        goto nomem;
    if (r->path != NULL) {
        if ((rc = tts_eval_node(ev, r->path, &v)) != TTS_OK)
            goto out;
        /* the ids and the array in one allocation: a long chain's path is one block */
        size_t n_ids = 0, bytes = 0;
        char *text = NULL;
        for (int pass = 0; pass < 2 && v.k == TTS_T_LIST; pass++) {
            for (size_t i = 0; i < v.n; i++) {
                const tts_val *it = &v.u.items[i];
                const char *id = it->k == TTS_T_PARTY    ? ((const tts_party *)it->u.p)->id
                                 : it->k == TTS_T_PERSON ? ((const tts_person *)it->u.p)->id
                                                         : NULL;
                size_t len = id != NULL ? strlen(id) + 1 : 0;
                if (id == NULL)
                    continue;
                if (pass == 0) {
                    n_ids++;
                    bytes += len;
                    continue;
                }
                memcpy(text, id, len);
                f->path[f->n_path++] = text;
                text += len;
            }
            if (pass == 0) {
                if (n_ids == 0)
                    break;
                if (n_ids > (SIZE_MAX - bytes) / sizeof(char *) ||
                    (f->path = tts_malloc(n_ids * sizeof(char *) + bytes)) == NULL)
                    goto nomem;
                text = (char *)(f->path + n_ids);
            }
        }
    }
    if (r->matches != NULL) {
        if ((rc = tts_eval_node(ev, r->matches, &v)) != TTS_OK)
            goto out;
        if (v.k == TTS_T_LIST && v.n > 0) {
            f->matches = tts_calloc(v.n, sizeof(tts_match));
            if (f->matches == NULL)
                goto nomem;
            for (size_t i = 0; i < v.n; i++) {
                if (tts_match_copy(&f->matches[f->n_matches], v.u.items[i].u.p) != 0)
                    goto nomem;
                f->n_matches++;
            }
        }
    }
    ev->n_facts = saved;
    if ((rc = render_message(ev, r, &b)) != TTS_OK)
        goto out;
    if (tts_buf_failed(&b) || (f->message = tts_buf_steal(&b, NULL)) == NULL)
        goto nomem;
    rc = fill_evidence(ev, f);
    if (rc == TTS_ERR_NOMEM)
        goto nomem;
    goto out;
nomem:
    rc = tts_eval_nomem(ev);
out:
    ev->n_facts = saved;
    tts_buf_free(&b);
    return rc;
}

/*
 * A `list_citation` rule's finding cites the law of what it matched: each
 * match's citation (data/list-citations.tsv) once, "; " between, in match
 * order, and the rule's own citation as well when some match has none.
 */
static int cite_matches(const tts_rule *r, tts_finding *f)
{
    tts_buf b = TTS_BUF_INIT;
    int uncited = 0;
    char *c;
    if (!r->list_citation || f->n_matches == 0)
        return 0;
    for (size_t i = 0; i < f->n_matches; i++) {
        const char *m = f->matches[i].citation;
        int seen = 0;
        if (m == NULL) {
            uncited = 1;
            continue;
        }
        for (size_t j = 0; j < i && !seen; j++)
            seen = f->matches[j].citation != NULL && strcmp(f->matches[j].citation, m) == 0;
        if (seen)
            continue;
        if (b.len > 0)
            tts_buf_puts(&b, "; ");
        tts_buf_puts(&b, m);
    }
    if (b.len == 0)
        return 0;
    if (uncited) {
        tts_buf_puts(&b, "; ");
        tts_buf_puts(&b, r->citation);
    }
    if (tts_buf_failed(&b) || (c = tts_buf_steal(&b, NULL)) == NULL) {
        tts_buf_free(&b);
        return -1;
    }
    tts_free(f->citation);
    f->citation = c;
    return 0;
}

static tts_status emit(tts_eval *ev, const tts_rule *r, const tts_val *bound, tts_findings *out)
{
    tts_finding *f;
    tts_status rc;
    if (out->n >= TTS_EVAL_MAX_FINDINGS)
        return tts_err_set(ev->err, TTS_ERR_LIMIT, "more than %d findings for one record",
                           TTS_EVAL_MAX_FINDINGS);
    f = tts_findings_add(out);
    if (f == NULL)
        return tts_eval_nomem(ev);
    f->revision = r->revision;
    f->severity = (tts_severity)r->severity;
    f->rule = tts_strdup(r->id);
    f->title = tts_strdup(r->title);
    f->citation = tts_strdup(r->citation);
    if (f->rule == NULL || f->title == NULL || f->citation == NULL)
        rc = tts_eval_nomem(ev);
    else
        rc = fill_outputs(ev, r, bound, f);
    if (rc == TTS_OK && cite_matches(r, f) != 0)
        rc = tts_eval_nomem(ev);
    if (rc == TTS_OK) {
        /* what the findings carry grows with the record: bound it, fail fast and say so */
        /* each string counted with its allocation's overhead */
        size_t bytes = strlen(f->message) + strlen(f->subject ? f->subject : "") + 256;
        for (size_t i = 0; i < f->n_path; i++)
            bytes += strlen(f->path[i]) + 1 + sizeof(char *);
        for (size_t i = 0; i < f->n_evidence; i++)
            bytes += strlen(f->evidence[i]) + 40;
        ev->finding_bytes += bytes;
        if (ev->finding_bytes > TTS_EVAL_MAX_FINDING_BYTES)
            rc = tts_err_set(ev->err, TTS_ERR_LIMIT,
                             "record \"%s\": its findings would take more than %lu MiB "
                             "(TTS_EVAL_MAX_FINDING_BYTES)",
                             ev->rec->id, TTS_EVAL_MAX_FINDING_BYTES >> 20);
    }
    if (rc != TTS_OK)
        tts_findings_drop_last(out);
    return rc;
}

static tts_status eval_when(tts_eval *ev, const tts_rule *r, const tts_val *bound,
                            tts_findings *out)
{
    tts_val v;
    tts_status rc;
    ev->n_facts = 0;
    if ((rc = tts_eval_node(ev, r->when, &v)) != TTS_OK)
        return rc;
    if (!tts_val_truthy(&v))
        return TTS_OK;
    return emit(ev, r, bound, out);
}

static void trace_binding(tts_eval *ev, const tts_rule *r, const tts_val *item)
{
    tts_buf b = TTS_BUF_INIT;
    if (ev->opts->trace == NULL)
        return;
    tts_buf_printf(&b, "for %s = ", r->var);
    if (!tts_val_path(&b, item))
        tts_val_render_json(&b, item);
    if (!tts_buf_failed(&b))
        ev->opts->trace(ev->opts->trace_user, 0, b.data);
    tts_buf_free(&b);
}

int tts_eval_rule_applies(const tts_rule *r, tts_date as_of)
{
    if (r->effective_from.y != 0 && tts_date_cmp(as_of, r->effective_from) < 0)
        return 0;
    if (r->effective_until.y != 0 && tts_date_cmp(as_of, r->effective_until) > 0)
        return 0;
    return 1;
}

tts_status tts_eval_rule(tts_eval *ev, const tts_rule *r, tts_findings *out)
{
    tts_val coll;
    tts_arena_mark mark;
    tts_status rc;
    if (!tts_eval_rule_applies(r, ev->as_of))
        return TTS_OK;
    ev->frame = 0;
    ev->frame_size = r->n_slots;
    ev->src = r->src;
    ev->depth = 0;
    if ((rc = ensure_slots(ev, r->n_slots + 1)) != TTS_OK)
        return rc;
    if (r->var == NULL) {
        tts_arena_mark_at(ev->arena, &mark);
        rc = eval_when(ev, r, NULL, out);
        tts_arena_rewind(ev->arena, &mark);
        return rc;
    }
    if ((rc = tts_eval_node(ev, r->collection, &coll)) != TTS_OK)
        return rc;
    /* a finding owns copies of what it shows: each element's scratch goes with it */
    tts_arena_mark_at(ev->arena, &mark);
    for (size_t i = 0; coll.k == TTS_T_LIST && i < coll.n; i++) {
        tts_val item = coll.u.items[i];
        ev->slots[0] = item;
        trace_binding(ev, r, &item);
        rc = eval_when(ev, r, &item, out);
        tts_arena_rewind(ev->arena, &mark);
        if (rc != TTS_OK)
            return rc;
    }
    return TTS_OK;
}
