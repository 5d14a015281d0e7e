/* SPDX-License-Identifier: MIT */
/*
 * Expression parser of the rule language (precedence climbing by hand:
 * or < and < not < comparison < + - < unary minus < field access).
 * Nesting is bounded by TTS_RULES_MAX_DEPTH and tree height by
 * TTS_RULES_MAX_TREE. Regular expressions are compiled here, at load, so a
 * bad pattern is reported with its position.
 */
#include "rules/expr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rx.h"

tts_node *tts_expr_regex(tts_parser *p)
{
    tts_token t = p->tok;
    const char *close = t.start + t.len;
    char flags[8], msg[160], *pat;
    size_t nflags = 0, plen = 0, erroff;
    tts_node *n;
    while (close > t.start && close[-1] != '/')
        close--;
    for (const char *f = close; f < t.start + t.len && nflags < sizeof(flags) - 1; f++)
        flags[nflags++] = *f;
    flags[nflags] = '\0';
    pat = tts_arena_alloc(p->a, t.len);
    n = tts_ps_node(p, TTS_N_LIT, &t);
    if (pat == NULL || n == NULL) {
        tts_ps_nomem(p);
        return NULL;
    }
    for (const char *c = t.start + 1; c < close - 1; c++) {
        if (c[0] == '\\' && c + 1 < close - 1 && c[1] == '/')
            c++;
        pat[plen++] = *c;
    }
    n->lit.k = TTS_T_REGEX;
    n->lit.u.rx = tts_rx_compile(&p->set->regexes, pat, plen, flags, msg, sizeof(msg), &erroff);
    if (n->lit.u.rx == NULL) {
        if (erroff == (size_t)-1)
            tts_ps_nomem(p);
        else
            tts_ps_error(p, &t, "bad regular expression at offset %zu: %s", erroff, msg);
    }
    n->type = tts_type_of(TTS_T_REGEX);
    tts_ps_advance(p);
    return n;
}

static tts_node *literal(tts_parser *p)
{
    tts_token t = p->tok;
    tts_node *n = tts_ps_node(p, TTS_N_LIT, &t);
    if (n == NULL)
        return NULL;
    if (t.kind == TTS_TOK_NUMBER) {
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "%.*s", (int)(t.len < 63 ? t.len : 63), t.start);
        n->lit = tts_val_num(strtod(tmp, NULL));
    } else if (t.kind == TTS_TOK_STRING) {
        n->lit = tts_val_str(tts_ps_string(p, &t));
    } else if (t.kind == TTS_TOK_DATE) {
        char tmp[11];
        tts_date d;
        memcpy(tmp, t.start, 10);
        tmp[10] = '\0';
        if (!tts_date_parse(tmp, &d))
            tts_ps_error(p, &t, "'%s' is not a calendar date", tmp);
        n->lit = tts_val_date(d);
    } else if (tts_ps_is(p, "true") || tts_ps_is(p, "false")) {
        n->lit = tts_val_bool(tts_ps_is(p, "true"));
    }
    tts_ps_advance(p);
    return n;
}

/* Parse "a, b, c" up to the closing token into n->args. */
static void arg_list(tts_parser *p, tts_node *n, tts_tok_kind close, const char *what)
{
    tts_node *items[TTS_RULES_MAX_ARGS * 16];
    size_t k = 0;
    if (p->tok.kind != close) {
        do {
            tts_node *e;
            if (p->tok.kind == close) /* trailing comma */
                break;
            if (k == sizeof(items) / sizeof(items[0])) {
                tts_ps_error(p, &p->tok, "too many %s", what);
                return;
            }
            e = tts_expr_parse(p);
            if (e == NULL)
                return;
            items[k++] = e;
        } while (tts_ps_accept(p, TTS_TOK_COMMA));
    }
    if (!tts_ps_expect(p, close, close == TTS_TOK_RPAREN ? "')'" : "']'"))
        return;
    n->n_args = k;
    if (k > 0) {
        n->args = tts_arena_calloc(p->a, k, sizeof(tts_node *));
        if (n->args == NULL) {
            tts_ps_nomem(p);
            return;
        }
        memcpy(n->args, items, k * sizeof(tts_node *));
    }
}

/* Parse "x in C: body" (after the quantifier keyword and an optional '('). */
static tts_node *quantifier(tts_parser *p, const tts_token *kw, tts_quant q)
{
    int paren = tts_ps_accept(p, TTS_TOK_LPAREN);
    tts_node *n = tts_ps_node(p, TTS_N_QUANT, kw);
    if (n == NULL)
        return NULL;
    n->op = (unsigned char)q;
    if (p->tok.kind != TTS_TOK_IDENT || tts_ps_reserved(&p->tok)) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected a variable name after '%.*s', found %s", (int)kw->len,
                     kw->start, f);
        return NULL;
    }
    n->name = tts_ps_dup(p, &p->tok);
    n->args = tts_arena_calloc(p->a, 1, sizeof(tts_node *));
    if (n->args == NULL || (n->args[0] = tts_ps_node(p, TTS_N_NAME, &p->tok)) == NULL) {
        tts_ps_nomem(p);
        return NULL;
    }
    n->args[0]->name = n->name;
    n->n_args = 1;
    tts_ps_advance(p);
    if (!tts_ps_is(p, "in")) {
        tts_ps_error(p, &p->tok, "expected 'in' after the variable of '%.*s'", (int)kw->len,
                     kw->start);
        return NULL;
    }
    tts_ps_advance(p);
    n->a = tts_expr_parse(p);
    if (n->a == NULL)
        return NULL;
    if (!tts_ps_expect(p, TTS_TOK_COLON, "':' before the condition"))
        return NULL;
    n->b = tts_expr_parse(p);
    if (n->b == NULL)
        return NULL;
    if (paren && !tts_ps_expect(p, TTS_TOK_RPAREN, "')'"))
        return NULL;
    tts_ps_span_end(p, n);
    return tts_ps_height(p, n);
}

/* "if c then a else b" (after nothing: the current token is `if`). */
static tts_node *conditional(tts_parser *p, const tts_token *kw)
{
    tts_node *n = tts_ps_node(p, TTS_N_IF, kw);
    if (n == NULL)
        return NULL;
    n->args = tts_arena_calloc(p->a, 1, sizeof(tts_node *));
    if (n->args == NULL) {
        tts_ps_nomem(p);
        return NULL;
    }
    n->n_args = 1;
    tts_ps_advance(p);
    if ((n->args[0] = tts_expr_parse(p)) == NULL)
        return NULL;
    if (!tts_ps_is(p, "then")) {
        tts_ps_error(p, &p->tok, "expected 'then' after the condition of 'if'");
        return NULL;
    }
    tts_ps_advance(p);
    if ((n->a = tts_expr_parse(p)) == NULL)
        return NULL;
    if (!tts_ps_is(p, "else")) {
        tts_ps_error(p, &p->tok, "expected 'else': every 'if' needs both branches");
        return NULL;
    }
    tts_ps_advance(p);
    if ((n->b = tts_expr_parse(p)) == NULL)
        return NULL;
    tts_ps_span_end(p, n);
    return tts_ps_height(p, n);
}

tts_node *tts_expr_primary(tts_parser *p)
{
    tts_token t = p->tok;
    tts_node *n;
    char f[64];
    switch (t.kind) {
    case TTS_TOK_NUMBER:
    case TTS_TOK_STRING:
    case TTS_TOK_DATE:
        return literal(p);
    case TTS_TOK_REGEX:
        return tts_expr_regex(p);
    case TTS_TOK_LPAREN:
        tts_ps_advance(p);
        n = tts_expr_parse(p);
        if (n == NULL || !tts_ps_expect(p, TTS_TOK_RPAREN, "')'"))
            return NULL;
        return n;
    case TTS_TOK_LBRACK:
        tts_ps_advance(p);
        n = tts_ps_node(p, TTS_N_LIST, &t);
        if (n == NULL)
            return NULL;
        arg_list(p, n, TTS_TOK_RBRACK, "list items");
        return p->failed ? NULL : tts_ps_height(p, n);
    case TTS_TOK_IDENT:
        break;
    default:
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &t, "expected an expression, found %s", f);
        return NULL;
    }
    if (tts_ps_is(p, "true") || tts_ps_is(p, "false"))
        return literal(p);
    if (tts_ps_is(p, "null")) {
        tts_ps_advance(p);
        return tts_ps_node(p, TTS_N_LIT, &t);
    }
    if (tts_ps_is(p, "if"))
        return conditional(p, &t);
    if (tts_ps_is(p, "any") || tts_ps_is(p, "all") || tts_ps_is(p, "count") ||
        tts_ps_is(p, "filter")) {
        tts_quant q = tts_ps_is(p, "any")     ? TTS_Q_ANY
                      : tts_ps_is(p, "all")   ? TTS_Q_ALL
                      : tts_ps_is(p, "count") ? TTS_Q_COUNT
                                              : TTS_Q_FILTER;
        tts_ps_advance(p);
        return quantifier(p, &t, q);
    }
    if (tts_ps_reserved(&t)) {
        tts_ps_error(p, &t, "expected an expression, found '%.*s'", (int)t.len, t.start);
        return NULL;
    }
    if (tts_ps_clause_start(p)) {
        tts_ps_error(p, &t, "expected an expression before the '%.*s' clause", (int)t.len, t.start);
        return NULL;
    }
    tts_ps_advance(p);
    if (p->tok.kind == TTS_TOK_LPAREN) {
        n = tts_ps_node(p, TTS_N_CALL, &t);
        if (n == NULL)
            return NULL;
        n->name = tts_ps_dup(p, &t);
        tts_ps_advance(p);
        arg_list(p, n, TTS_TOK_RPAREN, "arguments");
        if (p->failed)
            return NULL;
        tts_ps_span_end(p, n);
        return tts_ps_height(p, n);
    }
    n = tts_ps_node(p, TTS_N_NAME, &t);
    if (n != NULL)
        n->name = tts_ps_dup(p, &t);
    return n;
}

static tts_node *postfix(tts_parser *p)
{
    tts_node *n = tts_expr_primary(p);
    while (n != NULL && p->tok.kind == TTS_TOK_DOT) {
        tts_node *f;
        tts_ps_advance(p);
        if (p->tok.kind != TTS_TOK_IDENT) {
            char buf[64];
            tts_ps_found(p, buf, sizeof(buf));
            tts_ps_error(p, &p->tok, "expected a field name after '.', found %s", buf);
            return NULL;
        }
        f = tts_ps_node(p, TTS_N_FIELD, &p->tok);
        if (f == NULL)
            return NULL;
        f->name = tts_ps_dup(p, &p->tok);
        f->nline = p->tok.line;
        f->ncol = p->tok.col;
        f->noff = p->tok.off;
        f->nlen = p->tok.len;
        f->a = n;
        tts_ps_advance(p);
        /* A field node spans its whole path (a.b.c) for messages and traces. */
        f->line = n->line;
        f->col = n->col;
        f->off = n->off;
        tts_ps_span_end(p, f);
        n = tts_ps_height(p, f);
    }
    return n;
}

static tts_node *unary(tts_parser *p)
{
    if (p->tok.kind == TTS_TOK_MINUS) {
        tts_token t = p->tok;
        tts_node *n;
        tts_ps_advance(p);
        if (++p->depth > TTS_RULES_MAX_DEPTH) {
            tts_ps_error(p, &t, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
            return NULL;
        }
        n = tts_ps_node(p, TTS_N_NEG, &t);
        if (n != NULL)
            n->a = unary(p);
        p->depth--;
        if (n == NULL || n->a == NULL)
            return NULL;
        tts_ps_span_end(p, n);
        return tts_ps_height(p, n);
    }
    return postfix(p);
}

static tts_node *binary(tts_parser *p, tts_nkind k, int op, const tts_token *t, tts_node *l,
                        tts_node *r)
{
    tts_node *n;
    if (l == NULL || r == NULL)
        return NULL;
    n = tts_ps_node(p, k, t);
    if (n == NULL)
        return NULL;
    n->op = (unsigned char)op;
    n->a = l;
    n->b = r;
    /* The node spans from its left operand to the end of its right one. */
    n->line = l->line;
    n->col = l->col;
    n->off = l->off;
    tts_ps_span_end(p, n);
    return tts_ps_height(p, n);
}

static tts_node *additive(tts_parser *p)
{
    tts_node *l = unary(p);
    while (l != NULL && (p->tok.kind == TTS_TOK_PLUS || p->tok.kind == TTS_TOK_MINUS)) {
        tts_token t = p->tok;
        tts_ps_advance(p);
        l = binary(p, TTS_N_ARITH, t.kind == TTS_TOK_PLUS ? '+' : '-', &t, l, unary(p));
    }
    return l;
}

static int cmp_op(tts_tok_kind k)
{
    switch (k) {
    case TTS_TOK_EQ:
        return TTS_CMP_EQ;
    case TTS_TOK_NE:
        return TTS_CMP_NE;
    case TTS_TOK_LT:
        return TTS_CMP_LT;
    case TTS_TOK_LE:
        return TTS_CMP_LE;
    case TTS_TOK_GT:
        return TTS_CMP_GT;
    case TTS_TOK_GE:
        return TTS_CMP_GE;
    default:
        return -1;
    }
}

static tts_node *comparison(tts_parser *p)
{
    tts_node *l = additive(p);
    tts_token t = p->tok;
    int op = cmp_op(t.kind);
    if (l == NULL)
        return NULL;
    if (op >= 0) {
        tts_ps_advance(p);
        l = binary(p, TTS_N_CMP, op, &t, l, additive(p));
    } else if (tts_ps_is(p, "in")) {
        tts_ps_advance(p);
        l = binary(p, TTS_N_IN, 0, &t, l, additive(p));
    } else if (tts_ps_is(p, "not")) {
        tts_lexer save = p->lx;
        tts_token next = tts_lex_next(&save);
        if (tts_lex_is(&next, "in")) {
            tts_ps_advance(p);
            tts_ps_advance(p);
            l = binary(p, TTS_N_IN, 1, &t, l, additive(p));
        }
    }
    if (l != NULL && (cmp_op(p->tok.kind) >= 0 || tts_ps_is(p, "in"))) {
        tts_ps_error(p, &p->tok, "comparisons do not chain; use 'and' or parentheses");
        return NULL;
    }
    return l;
}

static tts_node *negation(tts_parser *p)
{
    if (tts_ps_is(p, "not")) {
        tts_token t = p->tok;
        tts_node *n;
        tts_ps_advance(p);
        if (++p->depth > TTS_RULES_MAX_DEPTH) {
            tts_ps_error(p, &t, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
            return NULL;
        }
        n = tts_ps_node(p, TTS_N_NOT, &t);
        if (n != NULL)
            n->a = negation(p);
        p->depth--;
        if (n == NULL || n->a == NULL)
            return NULL;
        tts_ps_span_end(p, n);
        return tts_ps_height(p, n);
    }
    return comparison(p);
}

static tts_node *conjunction(tts_parser *p)
{
    tts_node *l = negation(p);
    while (l != NULL && tts_ps_is(p, "and")) {
        tts_token t = p->tok;
        tts_ps_advance(p);
        l = binary(p, TTS_N_AND, 0, &t, l, negation(p));
    }
    return l;
}

tts_node *tts_expr_parse(tts_parser *p)
{
    tts_node *l;
    if (++p->depth > TTS_RULES_MAX_DEPTH) {
        tts_ps_error(p, &p->tok, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
        p->depth--;
        return NULL;
    }
    l = conjunction(p);
    while (l != NULL && tts_ps_is(p, "or")) {
        tts_token t = p->tok;
        tts_ps_advance(p);
        l = binary(p, TTS_N_OR, 0, &t, l, conjunction(p));
    }
    p->depth--;
    return l;
}

tts_node *tts_expr_clause(tts_parser *p)
{
    p->depth = 0;
    return tts_expr_parse(p);
}
