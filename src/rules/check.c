/* SPDX-License-Identifier: MIT */
/*
 * Type checker of the rule language. Names resolve innermost first: local
 * variables (for, quantifiers, predicate parameters), then record-level
 * names (record, as_of, chain and the record's own fields such as
 * transfers), then named sets. Calls resolve to built-ins, then predicates
 * and definitions, then classification tables. Literal strings compared
 * with enumerated fields (country codes, party types, forms, ...) are
 * checked against the field's values, so a misspelt "compnay" is an error
 * rather than a rule that silently never fires.
 */
#include "rules/check.h"

#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "rules/ops.h"
#include "rules/schema.h"
#include "ttscreen/scan.h"

typedef struct var {
    const char *name;
    tts_type type;
    int slot;
    int used;
} var;

typedef struct checker {
    tts_rules *set;
    const tts_rules_opts *opts;
    tts_error *err;
    const tts_src *src;
    var vars[TTS_RULES_MAX_VARS];
    size_t n_vars;
    int n_slots; /* slots used by the current rule/predicate */
    int calls;   /* definitions being checked, nested */
    int deepest; /* deepest call_depth among definitions the current body calls */
    tts_status rc;
} checker;

static tts_type check_node(checker *c, tts_node *n);

static void report(checker *c, int level, int line, int col, size_t off, size_t len,
                   const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void report(checker *c, int level, int line, int col, size_t off, size_t len,
                   const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    tts_status st;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st = tts_rules_diag(c->set, c->opts, c->err, level, TTS_ERR_SEMANTIC, c->src, line, col, off,
                        len, "%s", msg);
    if (level == TTS_DIAG_ERROR && c->rc == TTS_OK)
        c->rc = st;
}

#define ERR_AT(c, n, ...)                                                                          \
    report(c, TTS_DIAG_ERROR, (n)->line, (n)->col, (n)->off, (n)->len, __VA_ARGS__)
#define ERR_NAME(c, n, ...)                                                                        \
    report(c, TTS_DIAG_ERROR, (n)->nline, (n)->ncol, (n)->noff, (n)->nlen, __VA_ARGS__)

static const char *tname(tts_type t, char *buf, size_t len) { return tts_type_name(t, buf, len); }

static tts_type err_type(void) { return tts_type_of(TTS_T_ERR); }

static int is_err(tts_type t) { return t.base == TTS_T_ERR; }

/* ---- scopes -------------------------------------------------------------- */

static int push_var(checker *c, const char *name, tts_type t, const tts_node *at)
{
    if (c->n_vars == TTS_RULES_MAX_VARS) {
        if (at != NULL)
            ERR_AT(c, at, "more than %d variables in scope", TTS_RULES_MAX_VARS);
        return -1;
    }
    c->vars[c->n_vars].name = name;
    c->vars[c->n_vars].type = t;
    c->vars[c->n_vars].slot = (int)c->n_vars;
    c->vars[c->n_vars].used = 0;
    if ((int)c->n_vars + 1 > c->n_slots)
        c->n_slots = (int)c->n_vars + 1;
    return (int)c->n_vars++;
}

static var *find_var(checker *c, const char *name)
{
    for (size_t i = c->n_vars; i > 0; i--)
        if (strcmp(c->vars[i - 1].name, name) == 0)
            return &c->vars[i - 1];
    return NULL;
}

static int is_global_name(const char *name)
{
    return strcmp(name, "record") == 0 || strcmp(name, "as_of") == 0 ||
           strcmp(name, "chain") == 0 || tts_schema_field(TTS_T_RECORD, name, strlen(name)) != NULL;
}

/* ---- definitions ----------------------------------------------------------- */

static void check_def(checker *c, tts_def *d);

/* Sets: a list of literals of one type. */
static void check_set_def(checker *c, tts_def *d)
{
    tts_node *l = d->body;
    tts_val *items = l->n_args ? tts_arena_calloc(c->set->arena, l->n_args, sizeof(tts_val)) : NULL;
    tts_tbase elem = TTS_T_ERR;
    if (l->n_args > 0 && items == NULL) {
        c->rc = TTS_ERR_NOMEM;
        return;
    }
    for (size_t i = 0; i < l->n_args; i++) {
        tts_node *it = l->args[i];
        if (it->kind != TTS_N_LIT || it->lit.k == TTS_T_NULL || it->lit.k == TTS_T_REGEX) {
            ERR_AT(c, it, "set '%s' may hold only string, number, date or bool literals", d->name);
            continue;
        }
        if (elem != TTS_T_ERR && it->lit.k != elem) {
            ERR_AT(c, it, "set '%s' mixes %s and %s values", d->name, tts_tbase_name(elem),
                   tts_tbase_name((tts_tbase)it->lit.k));
            continue;
        }
        elem = (tts_tbase)it->lit.k;
        items[i] = it->lit;
    }
    d->value = tts_val_null();
    d->value.k = TTS_T_LIST;
    d->value.n = l->n_args;
    d->value.u.items = items;
    d->type = tts_type_list(elem, TTS_D_NONE);
}

/* Predicates and defs: the body is checked with the parameters in scope. */
static void check_pred_def(checker *c, tts_def *d)
{
    checker sub = *c;
    tts_type t;
    sub.n_vars = 0;
    sub.n_slots = 0;
    sub.deepest = 0;
    sub.src = d->src;
    for (size_t i = 0; i < d->n_params; i++) {
        for (size_t j = 0; j < i; j++)
            if (strcmp(d->params[i].name, d->params[j].name) == 0)
                report(c, TTS_DIAG_ERROR, d->params[i].line, d->params[i].col, d->params[i].off,
                       d->params[i].len, "duplicate parameter '%s'", d->params[i].name);
        push_var(&sub, d->params[i].name, d->params[i].type, NULL);
    }
    t = check_node(&sub, d->body);
    for (size_t i = 0; i < d->n_params; i++)
        if (!sub.vars[i].used)
            report(c, TTS_DIAG_WARNING, d->params[i].line, d->params[i].col, d->params[i].off,
                   d->params[i].len, "parameter '%s' of '%s' is never used", d->params[i].name,
                   d->name);
    if (d->kind == TTS_DEF_PRED && !is_err(t) && t.base != TTS_T_BOOL) {
        char b[48];
        ERR_AT(&sub, d->body,
               "predicate '%s' must give a bool, not %s (use 'def' for other values)", d->name,
               tname(t, b, sizeof(b)));
    }
    d->type = t;
    d->n_slots = (size_t)sub.n_slots;
    /* Bound the evaluator's recursion: chains of definitions stay shallow. */
    d->call_depth = sub.deepest + 1;
    if (d->call_depth > TTS_RULES_MAX_CALLS) {
        report(c, TTS_DIAG_ERROR, d->line, d->col, d->off, d->len,
               "'%s' calls definitions nested more than %d deep", d->name, TTS_RULES_MAX_CALLS);
        d->broken = 1; /* its callers stay silent: one message for the chain */
    }
    if (sub.rc != TTS_OK && c->rc == TTS_OK)
        c->rc = sub.rc;
}

static void check_def(checker *c, tts_def *d)
{
    const tts_src *saved = c->src;
    if (d->state == 2)
        return;
    if (d->state == 1) {
        report(c, TTS_DIAG_ERROR, d->line, d->col, d->off, d->len,
               "'%s' refers to itself (recursion is not allowed)", d->name);
        d->type = err_type();
        return;
    }
    if (d->broken || (d->kind != TTS_DEF_TABLE && d->body == NULL)) {
        d->state = 2;
        d->type = err_type();
        return;
    }
    if (c->calls >= TTS_RULES_MAX_CALLS) {
        report(c, TTS_DIAG_ERROR, d->line, d->col, d->off, d->len,
               "'%s' is reached through more than %d nested definitions", d->name,
               TTS_RULES_MAX_CALLS);
        d->type = err_type();
        return;
    }
    c->calls++;
    d->state = 1;
    c->src = d->src;
    if (d->kind == TTS_DEF_SET)
        check_set_def(c, d);
    else if (d->kind == TTS_DEF_PRED || d->kind == TTS_DEF_FUNC)
        check_pred_def(c, d);
    c->src = saved;
    d->state = 2;
    c->calls--;
}

/* ---- expressions ------------------------------------------------------------ */

static void suggest_name(checker *c, tts_node *n)
{
    const char *best = NULL;
    size_t len = strlen(n->name);
    int best_d = (int)(len / 3) + 2;
    /* Candidate names: variables, sets, record-level names. */
    const char *globals[] = {"record",  "as_of",     "chain",        "parties",
                             "people",  "transfers", "technologies", "relations",
                             "funding", "controls",  "screened_for"};
    for (size_t i = 0; i < c->n_vars + c->set->n_defs + sizeof(globals) / sizeof(globals[0]); i++) {
        const char *cand;
        size_t la, lb, k, d = 0;
        if (i < c->n_vars)
            cand = c->vars[i].name;
        else if (i < c->n_vars + c->set->n_defs)
            cand = c->set->defs[i - c->n_vars]->name;
        else
            cand = globals[i - c->n_vars - c->set->n_defs];
        la = strlen(cand);
        lb = len;
        /* cheap distance: length difference plus mismatches on the common prefix */
        for (k = 0; k < la && k < lb; k++)
            d += cand[k] != n->name[k];
        d += la > lb ? la - lb : lb - la;
        if ((int)d < best_d) {
            best_d = (int)d;
            best = cand;
        }
    }
    if (best != NULL)
        ERR_AT(c, n, "unknown name '%s' (did you mean '%s'?)", n->name, best);
    else
        ERR_AT(c, n, "unknown name '%s'", n->name);
}

static tts_type check_name(checker *c, tts_node *n)
{
    var *v = find_var(c, n->name);
    tts_def *d;
    if (v != NULL) {
        v->used = 1;
        n->kind = TTS_N_VAR;
        n->slot = v->slot;
        return v->type;
    }
    if (is_global_name(n->name)) {
        n->kind = TTS_N_GLOBAL;
        if (strcmp(n->name, "record") == 0) {
            n->op = TTS_G_RECORD;
            return tts_type_of(TTS_T_RECORD);
        }
        if (strcmp(n->name, "as_of") == 0) {
            n->op = TTS_G_AS_OF;
            return tts_type_of(TTS_T_DATE);
        }
        if (strcmp(n->name, "chain") == 0) {
            n->op = TTS_G_CHAIN;
            return tts_type_list(TTS_T_PARTY, TTS_D_NONE);
        }
        n->op = TTS_G_FIELD;
        n->ref = tts_schema_field(TTS_T_RECORD, n->name, strlen(n->name));
        return ((const tts_field *)n->ref)->type;
    }
    d = tts_rules_find_def(c->set, n->name, strlen(n->name));
    if (d != NULL && d->kind == TTS_DEF_SET) {
        check_def(c, d);
        if (d->broken) {
            n->kind = TTS_N_SET;
            n->ref = d;
            return err_type();
        }
        d->used = 1;
        n->kind = TTS_N_SET;
        n->ref = d;
        return d->type;
    }
    if (d != NULL) {
        ERR_AT(c, n, "'%s' is a %s; call it with arguments", n->name,
               d->kind == TTS_DEF_TABLE ? "classification table" : "predicate");
        return err_type();
    }
    suggest_name(c, n);
    return err_type();
}

static tts_type check_field(checker *c, tts_node *n)
{
    tts_type base = check_node(c, n->a);
    const tts_field *f;
    char b[48];
    if (is_err(base))
        return err_type();
    if (base.base == TTS_T_LIST) {
        ERR_NAME(c, n, "'%s' is read from a %s; use any/all/count/filter to look inside a list",
                 n->name, tname(base, b, sizeof(b)));
        return err_type();
    }
    if (!tts_tbase_is_elem(base.base)) {
        ERR_NAME(c, n, "%s has no fields (reading '%s')", tname(base, b, sizeof(b)), n->name);
        return err_type();
    }
    f = tts_schema_field(base.base, n->name, strlen(n->name));
    if (f == NULL) {
        const char *s = tts_schema_suggest(base.base, n->name, strlen(n->name));
        if (s != NULL)
            ERR_NAME(c, n, "unknown field '%s' of %s (did you mean '%s'?)", n->name,
                     tts_tbase_name((tts_tbase)base.base), s);
        else
            ERR_NAME(c, n, "unknown field '%s' of %s", n->name,
                     tts_tbase_name((tts_tbase)base.base));
        return err_type();
    }
    n->ref = f;
    return f->type;
}

/* A literal string compared with a value of domain `dom` must belong to it. */
static void check_literal_dom(checker *c, tts_dom dom, const tts_node *lit, const char *what)
{
    if (dom == TTS_D_NONE || lit->kind != TTS_N_LIT || lit->lit.k != TTS_T_STR)
        return;
    if (!tts_dom_accepts(dom, lit->lit.u.s))
        ERR_AT(c, lit, "\"%s\" can never equal %s (expected %s)", lit->lit.u.s, what,
               tts_dom_choices(dom));
}

static void check_list_dom(checker *c, tts_dom dom, const tts_node *list, const char *what)
{
    const tts_node *items = list;
    if (dom == TTS_D_NONE)
        return;
    if (list->kind == TTS_N_SET)
        items = ((const tts_def *)list->ref)->body;
    else if (list->kind != TTS_N_LIST)
        return;
    for (size_t i = 0; i < items->n_args; i++)
        check_literal_dom(c, dom, items->args[i], what);
}

static tts_type check_cmp(checker *c, tts_node *n)
{
    tts_type l = check_node(c, n->a), r = check_node(c, n->b);
    char bl[48], br[48];
    if (is_err(l) || is_err(r))
        return tts_type_of(TTS_T_BOOL);
    if (n->op == TTS_CMP_EQ || n->op == TTS_CMP_NE) {
        if (!tts_type_accepts(l, r) && !tts_type_accepts(r, l))
            ERR_AT(c, n, "cannot compare %s with %s", tname(l, bl, sizeof(bl)),
                   tname(r, br, sizeof(br)));
        if (l.base == TTS_T_REGEX || r.base == TTS_T_REGEX)
            ERR_AT(c, n, "use matches(text, /pattern/) to test a regular expression");
        check_literal_dom(c, (tts_dom)l.dom, n->b, "this field");
        check_literal_dom(c, (tts_dom)r.dom, n->a, "this field");
        return tts_type_of(TTS_T_BOOL);
    }
    if (l.base == TTS_T_NULL || r.base == TTS_T_NULL) {
        ERR_AT(c, n, "null can only be compared with == or !=");
    } else if (l.base != r.base ||
               (l.base != TTS_T_NUM && l.base != TTS_T_DATE && l.base != TTS_T_STR)) {
        ERR_AT(c, n,
               "cannot order %s against %s (ordering works on two numbers, two dates or "
               "two strings)",
               tname(l, bl, sizeof(bl)), tname(r, br, sizeof(br)));
    }
    return tts_type_of(TTS_T_BOOL);
}

static tts_type check_in(checker *c, tts_node *n)
{
    tts_type l = check_node(c, n->a), r = check_node(c, n->b);
    char bl[48], br[48];
    if (is_err(l) || is_err(r))
        return tts_type_of(TTS_T_BOOL);
    if (r.base != TTS_T_LIST) {
        ERR_AT(c, n->b, "the right side of 'in' must be a list, not %s", tname(r, br, sizeof(br)));
        return tts_type_of(TTS_T_BOOL);
    }
    if (r.elem != TTS_T_ERR && !tts_type_accepts(tts_type_of((tts_tbase)r.elem), l) &&
        !tts_type_accepts(l, tts_type_of((tts_tbase)r.elem)))
        ERR_AT(c, n, "cannot look for %s in a %s", tname(l, bl, sizeof(bl)),
               tname(r, br, sizeof(br)));
    check_list_dom(c, (tts_dom)l.dom, n->b, "the left side");
    return tts_type_of(TTS_T_BOOL);
}

static tts_type want_bool(checker *c, tts_node *n, const char *where)
{
    tts_type t = check_node(c, n);
    char b[48];
    if (!is_err(t) && t.base != TTS_T_BOOL)
        ERR_AT(c, n, "%s needs a bool, not %s", where, tname(t, b, sizeof(b)));
    return tts_type_of(TTS_T_BOOL);
}

static tts_type check_list(checker *c, tts_node *n)
{
    tts_type elem = err_type();
    for (size_t i = 0; i < n->n_args; i++) {
        tts_type t = check_node(c, n->args[i]);
        char b1[48], b2[48];
        if (is_err(t) || t.base == TTS_T_NULL)
            continue;
        if (t.base == TTS_T_LIST || t.base == TTS_T_REGEX) {
            ERR_AT(c, n->args[i], "a list cannot hold a %s", tname(t, b1, sizeof(b1)));
            continue;
        }
        if (!is_err(elem) && !tts_type_accepts(elem, t)) {
            if (tts_type_accepts(t, elem)) {
                elem = t;
                continue;
            }
            ERR_AT(c, n->args[i], "list mixes %s and %s", tname(elem, b1, sizeof(b1)),
                   tname(t, b2, sizeof(b2)));
            continue;
        }
        if (is_err(elem))
            elem = t;
    }
    return tts_type_list((tts_tbase)elem.base, (tts_dom)elem.dom);
}

static tts_type check_quant(checker *c, tts_node *n)
{
    tts_type coll = check_node(c, n->a);
    tts_type vt = err_type();
    char b[48];
    int idx;
    if (!is_err(coll)) {
        if (coll.base != TTS_T_LIST)
            ERR_AT(c, n->a, "'%s' needs a list after 'in', not %s", n->name,
                   tname(coll, b, sizeof(b)));
        else
            vt = tts_type_dom((tts_tbase)coll.elem, (tts_dom)coll.dom);
    }
    if (is_global_name(n->name) || tts_rules_find_def(c->set, n->name, strlen(n->name)))
        report(c, TTS_DIAG_WARNING, n->args[0]->line, n->args[0]->col, n->args[0]->off,
               n->args[0]->len, "variable '%s' hides a name of the same spelling", n->name);
    idx = push_var(c, n->name, vt, n);
    if (idx < 0)
        return err_type();
    n->slot = c->vars[idx].slot;
    want_bool(c, n->b, "the condition of a quantifier");
    if (!c->vars[idx].used)
        report(c, TTS_DIAG_WARNING, n->args[0]->line, n->args[0]->col, n->args[0]->off,
               n->args[0]->len, "variable '%s' is not used in the condition", n->name);
    c->n_vars--;
    switch (n->op) {
    case TTS_Q_COUNT:
        return tts_type_of(TTS_T_NUM);
    case TTS_Q_FILTER:
        return coll.base == TTS_T_LIST ? coll : err_type();
    default:
        return tts_type_of(TTS_T_BOOL);
    }
}

static void check_args(checker *c, tts_node *n, tts_type *types)
{
    for (size_t i = 0; i < n->n_args; i++)
        types[i] = check_node(c, n->args[i]);
}

static tts_type check_builtin(checker *c, tts_node *n, const tts_builtin *b, tts_type *types)
{
    char b1[48], b2[48];
    if (n->n_args < b->min_args || n->n_args > b->max_args) {
        ERR_NAME(c, n, "%s takes %s%zu argument%s, not %zu (%s)", b->name,
                 b->max_args == (size_t)-1 ? "at least " : "", b->min_args,
                 b->min_args == 1 ? "" : "s", n->n_args, b->signature);
        return err_type();
    }
    for (size_t i = 0; i < n->n_args; i++) {
        tts_type want = b->params[i < 3 ? i : 2];
        if (b->max_args == (size_t)-1 && i >= 2)
            want = b->params[2];
        if (!tts_type_accepts(want, types[i]))
            ERR_AT(c, n->args[i], "argument %zu of %s must be %s, not %s", i + 1, b->name,
                   tname(want, b1, sizeof(b1)), tname(types[i], b2, sizeof(b2)));
        if (want.dom != TTS_D_NONE)
            check_literal_dom(c, (tts_dom)want.dom, n->args[i], "this argument");
    }
    if (b->fn != NULL && (strcmp(b->name, "listed") == 0 || strcmp(b->name, "listed_at") == 0))
        for (size_t i = 1; i < n->n_args; i++) {
            const tts_node *x = n->args[i];
            int algorithm;
            if (x->kind == TTS_N_LIT && x->lit.k == TTS_T_STR &&
                tts_ops_listed_option(x->lit.u.s, &algorithm) < 0)
                ERR_AT(c, x, "unknown option \"%s\" of %s (algorithm=default or algorithm=ofac)",
                       x->lit.u.s, b->name);
        }
    if (b->needs != NULL) {
        tts_def *d = tts_rules_find_def(c->set, b->needs, strlen(b->needs));
        if (d == NULL)
            ERR_NAME(c, n, "%s needs a rule file to define '%s'", b->name, b->needs);
        else
            d->used = 1;
        n->lit.u.p = d; /* resolved once here, read by the built-in */
    } else if (strcmp(b->name, "fields") == 0) {
        n->lit.u.p = tts_rules_find_def(c->set, "fields", 6); /* the optional table */
    }
    n->kind = TTS_N_BUILTIN;
    n->ref = b;
    return b->result;
}

static tts_type check_call(checker *c, tts_node *n)
{
    tts_type types[TTS_RULES_MAX_ARGS * 16];
    const tts_builtin *b = tts_ops_find(n->name);
    tts_def *d;
    char b1[48], b2[48];
    check_args(c, n, types);
    if (b != NULL)
        return check_builtin(c, n, b, types);
    d = tts_rules_find_def(c->set, n->name, strlen(n->name));
    if (d == NULL) {
        ERR_NAME(c, n, "unknown function '%s' (see 'ttscreen rules functions')", n->name);
        return err_type();
    }
    d->used = 1;
    if (d->kind == TTS_DEF_SET) {
        ERR_NAME(c, n, "'%s' is a set, not a function", n->name);
        return err_type();
    }
    if (d->kind == TTS_DEF_TABLE) {
        if (n->n_args != 1 || !tts_type_accepts(tts_type_of(TTS_T_STR), types[0]))
            ERR_NAME(c, n, "classification table '%s' takes one string", n->name);
        n->kind = TTS_N_TABLE;
        n->ref = d;
        return d->type;
    }
    check_def(c, d);
    if (d->broken)
        return err_type();
    if (d->call_depth > c->deepest)
        c->deepest = d->call_depth;
    if (n->n_args != d->n_params) {
        ERR_NAME(c, n, "'%s' takes %zu argument%s, not %zu", n->name, d->n_params,
                 d->n_params == 1 ? "" : "s", n->n_args);
        return err_type();
    }
    for (size_t i = 0; i < n->n_args; i++)
        if (!tts_type_accepts(d->params[i].type, types[i]))
            ERR_AT(c, n->args[i], "argument %zu of '%s' must be %s, not %s", i + 1, n->name,
                   tname(d->params[i].type, b1, sizeof(b1)), tname(types[i], b2, sizeof(b2)));
    n->kind = TTS_N_PRED;
    n->ref = d;
    return d->type;
}

static tts_type check_arith(checker *c, tts_node *n)
{
    tts_type l = check_node(c, n->a);
    tts_type r = n->b != NULL ? check_node(c, n->b) : tts_type_of(TTS_T_NUM);
    char b[48];
    if (!is_err(l) && l.base != TTS_T_NUM)
        ERR_AT(c, n->a, "arithmetic needs numbers, not %s (use add_days for dates)",
               tname(l, b, sizeof(b)));
    else if (!is_err(r) && r.base != TTS_T_NUM)
        ERR_AT(c, n->b, "arithmetic needs numbers, not %s (use add_days for dates)",
               tname(r, b, sizeof(b)));
    return tts_type_of(TTS_T_NUM);
}

/* if c then a else b: a bool condition and two branches of one type (or null). */
static tts_type check_if(checker *c, tts_node *n)
{
    tts_type a, b;
    char b1[48], b2[48];
    want_bool(c, n->args[0], "the condition of 'if'");
    a = check_node(c, n->a);
    b = check_node(c, n->b);
    if (is_err(a) || a.base == TTS_T_NULL)
        return b;
    if (is_err(b) || b.base == TTS_T_NULL)
        return a;
    if (tts_type_accepts(a, b))
        return a;
    if (tts_type_accepts(b, a))
        return b;
    ERR_AT(c, n, "the branches of 'if' give %s and %s", tname(a, b1, sizeof(b1)),
           tname(b, b2, sizeof(b2)));
    return err_type();
}

static tts_type check_node(checker *c, tts_node *n)
{
    tts_type t;
    switch (n->kind) {
    case TTS_N_LIT:
        t = n->lit.k == TTS_T_REGEX ? tts_type_of(TTS_T_REGEX) : tts_type_of((tts_tbase)n->lit.k);
        break;
    case TTS_N_LIST:
        t = check_list(c, n);
        break;
    case TTS_N_NAME:
        t = check_name(c, n);
        break;
    case TTS_N_FIELD:
        t = check_field(c, n);
        break;
    case TTS_N_CALL:
        t = check_call(c, n);
        break;
    case TTS_N_NOT:
        t = want_bool(c, n->a, "'not'");
        break;
    case TTS_N_AND:
    case TTS_N_OR:
        want_bool(c, n->a, n->kind == TTS_N_AND ? "'and'" : "'or'");
        t = want_bool(c, n->b, n->kind == TTS_N_AND ? "'and'" : "'or'");
        break;
    case TTS_N_CMP:
        t = check_cmp(c, n);
        break;
    case TTS_N_IN:
        t = check_in(c, n);
        break;
    case TTS_N_NEG:
    case TTS_N_ARITH:
        t = check_arith(c, n);
        break;
    case TTS_N_QUANT:
        t = check_quant(c, n);
        break;
    case TTS_N_IF:
        t = check_if(c, n);
        break;
    default:
        t = n->type;
        break; /* already resolved (shared subtree) */
    }
    n->type = t;
    return t;
}

/* ---- rules ------------------------------------------------------------------ */

static void check_for(checker *c, tts_rule *r)
{
    tts_type coll = check_node(c, r->collection), vt = err_type();
    char b[48];
    if (!is_err(coll)) {
        if (coll.base != TTS_T_LIST)
            ERR_AT(c, r->collection, "'for' needs a list (transfers, parties, chain, ...), not %s",
                   tname(coll, b, sizeof(b)));
        else
            vt = tts_type_dom((tts_tbase)coll.elem, (tts_dom)coll.dom);
    }
    push_var(c, r->var, vt, NULL);
}

static void check_outputs(checker *c, tts_rule *r)
{
    char b[48];
    for (size_t i = 0; i < r->n_message; i++)
        if (r->message[i].expr != NULL) {
            tts_type t = check_node(c, r->message[i].expr);
            if (t.base == TTS_T_REGEX)
                ERR_AT(c, r->message[i].expr, "a regular expression cannot be printed");
        }
    if (r->subject != NULL) {
        tts_type t = check_node(c, r->subject);
        if (!is_err(t) && (!tts_tbase_is_elem(t.base) || t.base == TTS_T_MATCH))
            ERR_AT(c, r->subject,
                   "'subject' must be a record element (party, transfer, ...), "
                   "not %s",
                   tname(t, b, sizeof(b)));
    }
    if (r->path != NULL) {
        tts_type t = check_node(c, r->path);
        if (!tts_type_accepts(tts_type_list(TTS_T_ACTOR, TTS_D_NONE), t))
            ERR_AT(c, r->path, "'path' must be a list of parties, not %s", tname(t, b, sizeof(b)));
    }
    if (r->matches != NULL) {
        tts_type t = check_node(c, r->matches);
        if (!tts_type_accepts(tts_type_list(TTS_T_MATCH, TTS_D_NONE), t))
            ERR_AT(c, r->matches,
                   "'matches' must be a list of list matches (from listed()), "
                   "not %s",
                   tname(t, b, sizeof(b)));
    }
}

static void check_rule(checker *c, tts_rule *r)
{
    int has_hit = 0, has_clear = 0;
    c->src = r->src;
    if (r->broken)
        return; /* its syntax errors were reported; checking the rest would only echo them */
    c->n_vars = 0;
    c->n_slots = 0;
    if (r->var != NULL)
        check_for(c, r);
    if (r->when != NULL)
        want_bool(c, r->when, "'when'");
    if (r->var != NULL && !c->vars[0].used)
        report(c, TTS_DIAG_ERROR, r->var_line, r->var_col, r->var_off, r->var_len,
               "the 'for' variable '%s' is not used in the 'when' condition, so every element "
               "would give the same result",
               r->var);
    check_outputs(c, r);
    if (tts_date_cmp(r->effective_from, r->effective_until) > 0 && r->effective_until.y != 0 &&
        r->effective_from.y != 0)
        report(c, TTS_DIAG_ERROR, r->id_line, r->id_col, r->off, r->len,
               "rule '%s' has effective_from after effective_until", r->id);
    for (size_t i = 0; i < r->n_examples; i++) {
        has_hit |= r->examples[i].expect_hit;
        has_clear |= !r->examples[i].expect_hit;
    }
    if (!has_hit || !has_clear)
        report(c, TTS_DIAG_WARNING, r->id_line, r->id_col, r->off, r->len,
               "rule '%s' has no '%s' example", r->id, !has_hit ? "hit" : "clear");
    r->n_slots = (size_t)c->n_slots;
}

static void check_duplicates(checker *c)
{
    for (size_t i = 0; i < c->set->n_rules; i++) {
        tts_rule *r = c->set->rules[i];
        for (size_t j = 0; j < i; j++) {
            const tts_rule *o = c->set->rules[j];
            if (strcmp(o->id, r->id) == 0) {
                c->src = r->src;
                report(c, TTS_DIAG_ERROR, r->id_line, r->id_col, r->off, r->len,
                       "duplicate rule id '%s' (first defined at %s:%d)", r->id, o->src->path,
                       o->line);
                break;
            }
        }
    }
    for (size_t i = 0; i < c->set->n_defs; i++) {
        tts_def *d = c->set->defs[i];
        c->src = d->src;
        for (size_t j = 0; j < i; j++) {
            const tts_def *o = c->set->defs[j];
            if (strcmp(o->name, d->name) == 0) {
                report(c, TTS_DIAG_ERROR, d->line, d->col, d->off, d->len,
                       "'%s' is already defined at %s:%d", d->name, o->src->path, o->line);
                break;
            }
        }
        if ((tts_ops_find(d->name) != NULL || is_global_name(d->name)) &&
            !(d->kind == TTS_DEF_TABLE && strcmp(d->name, "fields") == 0))
            report(c, TTS_DIAG_ERROR, d->line, d->col, d->off, d->len,
                   "'%s' is a built-in name and cannot be redefined", d->name);
    }
}

tts_status tts_check_set(tts_rules *set, const tts_rules_opts *opts, tts_error *err)
{
    checker c;
    memset(&c, 0, sizeof(c));
    c.set = set;
    c.opts = opts;
    c.err = err;
    check_duplicates(&c);
    for (size_t i = 0; i < set->n_defs && c.rc != TTS_ERR_NOMEM; i++)
        check_def(&c, set->defs[i]);
    for (size_t i = 0; i < set->n_rules && c.rc != TTS_ERR_NOMEM; i++)
        check_rule(&c, set->rules[i]);
    if (c.rc == TTS_ERR_NOMEM)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    return c.rc;
}
