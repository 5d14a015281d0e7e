/* SPDX-License-Identifier: MIT */
/*
 * Recursive-descent parser of rule files (grammar in docs/rule-language.md).
 * Top level: `set`, `predicate`, `def`, `classify` and `rule` items. Each
 * syntax error is reported once per clause; the parser then resumes at the
 * next clause keyword that starts a line, or at the next top-level item, so
 * one run reports every independent error. Regular expressions are compiled
 * here, at load, so a bad pattern is reported with its position.
 */
#include "parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "lex.h"
#include "rx.h"
#include "ttscreen/scan.h"

typedef struct parser {
    tts_rules *set;
    const tts_rules_opts *opts;
    tts_error *err;
    const tts_src *src;
    tts_arena *a;
    tts_lexer lx;
    tts_token tok;
    int prev_line; /* line of the previous token */
    size_t prev_end; /* byte offset just after the previous token */
    int depth;     /* expression nesting */
    int failed;    /* an error was reported in the current clause */
    tts_status rc; /* first error status */
} parser;

static const char *const clause_names[] = {
    "revision", "title", "severity", "citation", "status", "tags", "description",
    "references", "false_positives", "effective_from", "effective_until", "for", "when",
    "message", "subject", "path", "matches", "example", NULL};
enum { C_REVISION, C_TITLE, C_SEVERITY, C_CITATION, C_STATUS, C_TAGS, C_DESCRIPTION,
       C_REFERENCES, C_FALSE_POSITIVES, C_FROM, C_UNTIL, C_FOR, C_WHEN, C_MESSAGE, C_SUBJECT,
       C_PATH, C_MATCHES, C_EXAMPLE };

static const char *const reserved[] = {"and", "or", "not", "in", "true", "false", "null",
                                       "any", "all", "count", "filter", NULL};

static void error_at(parser *p, const tts_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void error_at(parser *p, const tts_token *t, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    tts_status st;
    if (p->failed)
        return;
    p->failed = 1;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    st = tts_rules_diag(p->set, p->opts, p->err, TTS_DIAG_ERROR, TTS_ERR_SYNTAX, p->src, t->line,
                        t->col, t->off, t->len, "%s", msg);
    if (p->rc == TTS_OK)
        p->rc = st;
}

static void nomem(parser *p)
{
    if (p->rc == TTS_OK || p->rc == TTS_ERR_SYNTAX)
        p->rc = tts_err_set(p->err, TTS_ERR_NOMEM, "out of memory");
    p->failed = 1;
}

static void advance(parser *p)
{
    p->prev_line = p->tok.line;
    p->prev_end = p->tok.off + p->tok.len;
    p->tok = tts_lex_next(&p->lx);
    if (p->tok.kind == TTS_TOK_ERROR)
        error_at(p, &p->tok, "%s", p->lx.error);
}

static int is_word(const parser *p, const char *w)
{
    return tts_lex_is(&p->tok, w);
}

static int accept(parser *p, tts_tok_kind k)
{
    if (p->tok.kind != k)
        return 0;
    advance(p);
    return 1;
}

/* Describe the current token for "expected X, found Y". */
static void found(const parser *p, char *buf, size_t len)
{
    if (p->tok.kind == TTS_TOK_IDENT || p->tok.kind == TTS_TOK_NUMBER ||
        p->tok.kind == TTS_TOK_DATE)
        snprintf(buf, len, "'%.*s'", (int)(p->tok.len > 40 ? 40 : p->tok.len), p->tok.start);
    else
        snprintf(buf, len, "%s", tts_lex_kind_name(p->tok.kind));
}

static int expect(parser *p, tts_tok_kind k, const char *what)
{
    char f[64];
    if (p->tok.kind == k) {
        advance(p);
        return 1;
    }
    found(p, f, sizeof(f));
    error_at(p, &p->tok, "expected %s, found %s", what, f);
    return 0;
}

static char *tok_dup(parser *p, const tts_token *t)
{
    char *s = tts_arena_strndup(p->a, t->start, t->len);
    if (s == NULL)
        nomem(p);
    return s;
}

/* Decode a string token (escapes) into a new arena string. */
static char *string_value(parser *p, const tts_token *t)
{
    char *out = tts_arena_alloc(p->a, t->len);
    size_t j = 0;
    if (out == NULL) {
        nomem(p);
        return NULL;
    }
    for (size_t i = 1; i + 1 < t->len; i++) {
        char c = t->start[i];
        if (c == '\\') {
            c = t->start[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        out[j++] = c;
    }
    out[j] = '\0';
    return out;
}

static tts_node *node(parser *p, tts_nkind k, const tts_token *t)
{
    tts_node *n = tts_ast_node(p->a, k, t->line, t->col, t->off, t->len);
    if (n == NULL)
        nomem(p);
    return n;
}

/*
 * Record n's tree height from its children. Left-deep chains (a and b and
 * ...) and long field paths are built by loops, not recursion, so this
 * bound is what keeps the checker's and evaluator's recursion shallow.
 */
static tts_node *height(parser *p, tts_node *n)
{
    unsigned h = 0;
    if (n == NULL)
        return NULL;
    if (n->a != NULL && n->a->depth > h)
        h = n->a->depth;
    if (n->b != NULL && n->b->depth > h)
        h = n->b->depth;
    for (size_t i = 0; i < n->n_args; i++)
        if (n->args[i] != NULL && n->args[i]->depth > h)
            h = n->args[i]->depth;
    n->depth = (unsigned short)(h + 1);
    if (h + 1 > TTS_RULES_MAX_TREE) {
        tts_token t;
        memset(&t, 0, sizeof(t));
        t.line = n->line;
        t.col = n->col;
        t.off = n->off;
        t.len = 1;
        error_at(p, &t, "expression deeper than %d levels", TTS_RULES_MAX_TREE);
        return NULL;
    }
    return n;
}

/* Extend n's span to the end of the previous token. */
static void span_end(parser *p, tts_node *n)
{
    if (p->prev_end > n->off)
        n->len = p->prev_end - n->off;
}

static tts_node *parse_expr(parser *p);
static int is_clause_start(const parser *p);

static tts_node *regex_literal(parser *p)
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
    n = node(p, TTS_N_LIT, &t);
    if (pat == NULL || n == NULL) {
        nomem(p);
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
            nomem(p);
        else
            error_at(p, &t, "bad regular expression at offset %zu: %s", erroff, msg);
    }
    n->type = tts_type_of(TTS_T_REGEX);
    advance(p);
    return n;
}

static tts_node *literal(parser *p)
{
    tts_token t = p->tok;
    tts_node *n = node(p, TTS_N_LIT, &t);
    if (n == NULL)
        return NULL;
    if (t.kind == TTS_TOK_NUMBER) {
        char tmp[64];
        snprintf(tmp, sizeof(tmp), "%.*s", (int)(t.len < 63 ? t.len : 63), t.start);
        n->lit = tts_val_num(strtod(tmp, NULL));
    } else if (t.kind == TTS_TOK_STRING) {
        n->lit = tts_val_str(string_value(p, &t));
    } else if (t.kind == TTS_TOK_DATE) {
        char tmp[11];
        tts_date d;
        memcpy(tmp, t.start, 10);
        tmp[10] = '\0';
        if (!tts_date_parse(tmp, &d))
            error_at(p, &t, "'%s' is not a calendar date", tmp);
        n->lit = tts_val_date(d);
    } else if (is_word(p, "true") || is_word(p, "false")) {
        n->lit = tts_val_bool(is_word(p, "true"));
    }
    advance(p);
    return n;
}

/* Parse "a, b, c" up to the closing token into n->args. */
static void arg_list(parser *p, tts_node *n, tts_tok_kind close, const char *what)
{
    tts_node *items[TTS_RULES_MAX_ARGS * 16];
    size_t k = 0;
    if (p->tok.kind != close) {
        do {
            tts_node *e;
            if (p->tok.kind == close) /* trailing comma */
                break;
            if (k == sizeof(items) / sizeof(items[0])) {
                error_at(p, &p->tok, "too many %s", what);
                return;
            }
            e = parse_expr(p);
            if (e == NULL)
                return;
            items[k++] = e;
        } while (accept(p, TTS_TOK_COMMA));
    }
    if (!expect(p, close, close == TTS_TOK_RPAREN ? "')'" : "']'"))
        return;
    n->n_args = k;
    if (k > 0) {
        n->args = tts_arena_calloc(p->a, k, sizeof(tts_node *));
        if (n->args == NULL) {
            nomem(p);
            return;
        }
        memcpy(n->args, items, k * sizeof(tts_node *));
    }
}

static int is_reserved(const tts_token *t)
{
    for (size_t i = 0; reserved[i] != NULL; i++)
        if (tts_lex_is(t, reserved[i]))
            return 1;
    return 0;
}

/* Parse "x in C: body" (after the quantifier keyword and an optional '('). */
static tts_node *quantifier(parser *p, const tts_token *kw, tts_quant q)
{
    int paren = accept(p, TTS_TOK_LPAREN);
    tts_node *n = node(p, TTS_N_QUANT, kw);
    if (n == NULL)
        return NULL;
    n->op = (unsigned char)q;
    if (p->tok.kind != TTS_TOK_IDENT || is_reserved(&p->tok)) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected a variable name after '%.*s', found %s", (int)kw->len,
                 kw->start, f);
        return NULL;
    }
    n->name = tok_dup(p, &p->tok);
    n->args = tts_arena_calloc(p->a, 1, sizeof(tts_node *));
    if (n->args == NULL || (n->args[0] = node(p, TTS_N_NAME, &p->tok)) == NULL) {
        nomem(p);
        return NULL;
    }
    n->args[0]->name = n->name;
    n->n_args = 1;
    advance(p);
    if (!is_word(p, "in")) {
        error_at(p, &p->tok, "expected 'in' after the variable of '%.*s'", (int)kw->len,
                 kw->start);
        return NULL;
    }
    advance(p);
    n->a = parse_expr(p);
    if (n->a == NULL)
        return NULL;
    if (!expect(p, TTS_TOK_COLON, "':' before the condition"))
        return NULL;
    n->b = parse_expr(p);
    if (n->b == NULL)
        return NULL;
    if (paren && !expect(p, TTS_TOK_RPAREN, "')'"))
        return NULL;
    span_end(p, n);
    return height(p, n);
}

static tts_node *primary(parser *p)
{
    tts_token t = p->tok;
    tts_node *n;
    char f[64];
    switch (t.kind) {
    case TTS_TOK_NUMBER:
    case TTS_TOK_STRING:
    case TTS_TOK_DATE: return literal(p);
    case TTS_TOK_REGEX: return regex_literal(p);
    case TTS_TOK_LPAREN:
        advance(p);
        n = parse_expr(p);
        if (n == NULL || !expect(p, TTS_TOK_RPAREN, "')'"))
            return NULL;
        return n;
    case TTS_TOK_LBRACK:
        advance(p);
        n = node(p, TTS_N_LIST, &t);
        if (n == NULL)
            return NULL;
        arg_list(p, n, TTS_TOK_RBRACK, "list items");
        return p->failed ? NULL : height(p, n);
    case TTS_TOK_IDENT: break;
    default:
        found(p, f, sizeof(f));
        error_at(p, &t, "expected an expression, found %s", f);
        return NULL;
    }
    if (is_word(p, "true") || is_word(p, "false"))
        return literal(p);
    if (is_word(p, "null")) {
        advance(p);
        return node(p, TTS_N_LIT, &t);
    }
    if (is_word(p, "any") || is_word(p, "all") || is_word(p, "count") || is_word(p, "filter")) {
        tts_quant q = is_word(p, "any")     ? TTS_Q_ANY
                      : is_word(p, "all")   ? TTS_Q_ALL
                      : is_word(p, "count") ? TTS_Q_COUNT
                                            : TTS_Q_FILTER;
        advance(p);
        return quantifier(p, &t, q);
    }
    if (is_reserved(&t)) {
        error_at(p, &t, "expected an expression, found '%.*s'", (int)t.len, t.start);
        return NULL;
    }
    if (is_clause_start(p)) {
        error_at(p, &t, "expected an expression before the '%.*s' clause", (int)t.len, t.start);
        return NULL;
    }
    advance(p);
    if (p->tok.kind == TTS_TOK_LPAREN) {
        n = node(p, TTS_N_CALL, &t);
        if (n == NULL)
            return NULL;
        n->name = tok_dup(p, &t);
        advance(p);
        arg_list(p, n, TTS_TOK_RPAREN, "arguments");
        if (p->failed)
            return NULL;
        span_end(p, n);
        return height(p, n);
    }
    n = node(p, TTS_N_NAME, &t);
    if (n != NULL)
        n->name = tok_dup(p, &t);
    return n;
}

static tts_node *postfix(parser *p)
{
    tts_node *n = primary(p);
    while (n != NULL && p->tok.kind == TTS_TOK_DOT) {
        tts_node *f;
        advance(p);
        if (p->tok.kind != TTS_TOK_IDENT) {
            char buf[64];
            found(p, buf, sizeof(buf));
            error_at(p, &p->tok, "expected a field name after '.', found %s", buf);
            return NULL;
        }
        f = node(p, TTS_N_FIELD, &p->tok);
        if (f == NULL)
            return NULL;
        f->name = tok_dup(p, &p->tok);
        f->nline = p->tok.line;
        f->ncol = p->tok.col;
        f->noff = p->tok.off;
        f->nlen = p->tok.len;
        f->a = n;
        advance(p);
        /* A field node spans its whole path (a.b.c) for messages and traces. */
        f->line = n->line;
        f->col = n->col;
        f->off = n->off;
        span_end(p, f);
        n = height(p, f);
    }
    return n;
}

static tts_node *unary(parser *p)
{
    if (p->tok.kind == TTS_TOK_MINUS) {
        tts_token t = p->tok;
        tts_node *n;
        advance(p);
        if (++p->depth > TTS_RULES_MAX_DEPTH) {
            error_at(p, &t, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
            return NULL;
        }
        n = node(p, TTS_N_NEG, &t);
        if (n != NULL)
            n->a = unary(p);
        p->depth--;
        if (n == NULL || n->a == NULL)
            return NULL;
        span_end(p, n);
        return height(p, n);
    }
    return postfix(p);
}

static tts_node *binary(parser *p, tts_nkind k, int op, const tts_token *t, tts_node *l,
                        tts_node *r)
{
    tts_node *n;
    if (l == NULL || r == NULL)
        return NULL;
    n = node(p, k, t);
    if (n == NULL)
        return NULL;
    n->op = (unsigned char)op;
    n->a = l;
    n->b = r;
    /* The node spans from its left operand to the end of its right one. */
    n->line = l->line;
    n->col = l->col;
    n->off = l->off;
    span_end(p, n);
    return height(p, n);
}

static tts_node *additive(parser *p)
{
    tts_node *l = unary(p);
    while (l != NULL && (p->tok.kind == TTS_TOK_PLUS || p->tok.kind == TTS_TOK_MINUS)) {
        tts_token t = p->tok;
        advance(p);
        l = binary(p, TTS_N_ARITH, t.kind == TTS_TOK_PLUS ? '+' : '-', &t, l, unary(p));
    }
    return l;
}

static int cmp_op(tts_tok_kind k)
{
    switch (k) {
    case TTS_TOK_EQ: return TTS_CMP_EQ;
    case TTS_TOK_NE: return TTS_CMP_NE;
    case TTS_TOK_LT: return TTS_CMP_LT;
    case TTS_TOK_LE: return TTS_CMP_LE;
    case TTS_TOK_GT: return TTS_CMP_GT;
    case TTS_TOK_GE: return TTS_CMP_GE;
    default: return -1;
    }
}

static tts_node *comparison(parser *p)
{
    tts_node *l = additive(p);
    tts_token t = p->tok;
    int op = cmp_op(t.kind);
    if (l == NULL)
        return NULL;
    if (op >= 0) {
        advance(p);
        l = binary(p, TTS_N_CMP, op, &t, l, additive(p));
    } else if (is_word(p, "in")) {
        advance(p);
        l = binary(p, TTS_N_IN, 0, &t, l, additive(p));
    } else if (is_word(p, "not")) {
        tts_lexer save = p->lx;
        tts_token next = tts_lex_next(&save);
        if (tts_lex_is(&next, "in")) {
            advance(p);
            advance(p);
            l = binary(p, TTS_N_IN, 1, &t, l, additive(p));
        }
    }
    if (l != NULL && (cmp_op(p->tok.kind) >= 0 || is_word(p, "in"))) {
        error_at(p, &p->tok, "comparisons do not chain; use 'and' or parentheses");
        return NULL;
    }
    return l;
}

static tts_node *negation(parser *p)
{
    if (is_word(p, "not")) {
        tts_token t = p->tok;
        tts_node *n;
        advance(p);
        if (++p->depth > TTS_RULES_MAX_DEPTH) {
            error_at(p, &t, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
            return NULL;
        }
        n = node(p, TTS_N_NOT, &t);
        if (n != NULL)
            n->a = negation(p);
        p->depth--;
        if (n == NULL || n->a == NULL)
            return NULL;
        span_end(p, n);
        return height(p, n);
    }
    return comparison(p);
}

static tts_node *conjunction(parser *p)
{
    tts_node *l = negation(p);
    while (l != NULL && is_word(p, "and")) {
        tts_token t = p->tok;
        advance(p);
        l = binary(p, TTS_N_AND, 0, &t, l, negation(p));
    }
    return l;
}

static tts_node *parse_expr(parser *p)
{
    tts_node *l;
    if (++p->depth > TTS_RULES_MAX_DEPTH) {
        error_at(p, &p->tok, "expression nested deeper than %d", TTS_RULES_MAX_DEPTH);
        p->depth--;
        return NULL;
    }
    l = conjunction(p);
    while (l != NULL && is_word(p, "or")) {
        tts_token t = p->tok;
        advance(p);
        l = binary(p, TTS_N_OR, 0, &t, l, conjunction(p));
    }
    p->depth--;
    return l;
}


/* ---- top-level items ---------------------------------------------------- */

static int is_clause_start(const parser *p)
{
    if (p->tok.kind != TTS_TOK_IDENT || p->tok.line == p->prev_line)
        return 0;
    for (size_t i = 0; clause_names[i] != NULL; i++)
        if (tts_lex_is(&p->tok, clause_names[i]))
            return 1;
    return 0;
}

static int is_item_start(const parser *p)
{
    return is_word(p, "rule") || is_word(p, "set") || is_word(p, "predicate") ||
           is_word(p, "def") || is_word(p, "classify");
}

/* After an error inside a rule: skip to the next clause or the rule's '}'. */
static void recover_clause(parser *p, int *brace)
{
    int depth = 0;
    for (;;) {
        if (p->tok.kind == TTS_TOK_EOF)
            return;
        if (depth == 0 && p->tok.kind == TTS_TOK_RBRACE) {
            *brace = 1;
            return;
        }
        if (depth == 0 && (is_clause_start(p) || (is_item_start(p) && p->tok.col == 1)))
            return;
        if (p->tok.kind == TTS_TOK_LBRACE || p->tok.kind == TTS_TOK_LBRACK ||
            p->tok.kind == TTS_TOK_LPAREN)
            depth++;
        else if ((p->tok.kind == TTS_TOK_RBRACE || p->tok.kind == TTS_TOK_RBRACK ||
                  p->tok.kind == TTS_TOK_RPAREN) && depth > 0)
            depth--;
        advance(p);
    }
}

/* After an error at top level: skip to the next item keyword in column 1. */
static void recover_item(parser *p)
{
    while (p->tok.kind != TTS_TOK_EOF && !(is_item_start(p) && p->tok.col == 1))
        advance(p);
}

static tts_node *expr_clause(parser *p)
{
    p->depth = 0;
    return parse_expr(p);
}

static const char *string_clause(parser *p, const char *what)
{
    tts_token t = p->tok;
    if (t.kind != TTS_TOK_STRING) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &t, "expected a string for '%s', found %s", what, f);
        return NULL;
    }
    advance(p);
    return string_value(p, &t);
}

static void strings_clause(parser *p, tts_strs *out, const char *what)
{
    const char *items[256];
    size_t n = 0;
    if (!expect(p, TTS_TOK_LBRACK, "'['"))
        return;
    while (p->tok.kind != TTS_TOK_RBRACK) {
        const char *s = string_clause(p, what);
        if (s == NULL)
            return;
        if (n == sizeof(items) / sizeof(items[0])) {
            error_at(p, &p->tok, "too many entries in '%s'", what);
            return;
        }
        items[n++] = s;
        if (!accept(p, TTS_TOK_COMMA))
            break;
    }
    if (!expect(p, TTS_TOK_RBRACK, "']'"))
        return;
    out->n = n;
    out->items = n > 0 ? tts_arena_calloc(p->a, n, sizeof(char *)) : NULL;
    if (n > 0 && out->items == NULL) {
        nomem(p);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out->items[i] = items[i];
}

static tts_date date_clause(parser *p, const char *what)
{
    tts_date d = {0, 0, 0};
    char tmp[11];
    if (p->tok.kind != TTS_TOK_DATE) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected a date YYYY-MM-DD for '%s', found %s", what, f);
        return d;
    }
    memcpy(tmp, p->tok.start, 10);
    tmp[10] = '\0';
    if (!tts_date_parse(tmp, &d))
        error_at(p, &p->tok, "'%s' is not a calendar date", tmp);
    advance(p);
    return d;
}

/*
 * Parse the {expression} hole of message token t that starts at byte *i
 * (the '{'); on return *i is just past the closing '}'. A nested lexer over
 * the same source text keeps positions inside the hole exact.
 */
static tts_node *template_hole(parser *p, const tts_token *t, size_t end, size_t *i)
{
    tts_lexer outer = p->lx;
    tts_token outer_tok = p->tok;
    tts_node *e;
    int col = t->col;
    for (size_t k = 0; k <= *i; k++) /* column of the hole: count characters */
        if (((unsigned char)t->start[k] & 0xC0) != 0x80)
            col++;
    tts_lex_init_at(&p->lx, p->src->text, t->off + end, t->off + *i + 1, t->line, col);
    advance(p);
    e = expr_clause(p);
    if (e != NULL && p->tok.kind != TTS_TOK_RBRACE) {
        char f[64];
        found(p, f, sizeof(f));
        if (p->tok.kind == TTS_TOK_EOF)
            snprintf(f, sizeof(f), "the end of the message");
        error_at(p, &p->tok, "expected '}' to close the message hole, found %s", f);
    }
    *i = p->tok.off + p->tok.len - t->off;
    p->lx = outer;
    p->tok = outer_tok;
    return e;
}

/*
 * A message template: literal text with {expression} holes. Each hole is
 * parsed by a nested lexer over the same source text, so positions inside
 * holes are exact.
 */
static void template_clause(parser *p, tts_rule *r)
{
    tts_token t = p->tok;
    tts_part parts[128];
    size_t n = 0, i = 1, end;
    tts_buf lit = TTS_BUF_INIT;
    if (t.kind != TTS_TOK_STRING) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &t, "expected a string for 'message', found %s", f);
        return;
    }
    r->message_line = t.line;
    end = t.len - 1;
    while (i < end && !p->failed) {
        char c = t.start[i];
        if (c == '\\') {
            c = t.start[i + 1];
            tts_buf_putc(&lit, c == 'n' ? '\n' : c == 't' ? '\t' : c);
            i += 2;
        } else if (c == '}') {
            tts_token at = t;
            at.col = t.col + (int)i; /* ASCII before the brace is the common case */
            at.off = t.off + i;
            at.len = 1;
            error_at(p, &at, "unmatched '}' in message (write \\} for a brace)");
        } else if (c == '{') {
            if (n + 2 > sizeof(parts) / sizeof(parts[0])) {
                error_at(p, &t, "too many parts in message");
                break;
            }
            if (lit.len > 0) {
                parts[n].text = tts_arena_strndup(p->a, lit.data, lit.len);
                parts[n++].expr = NULL;
                tts_buf_reset(&lit);
                if (parts[n - 1].text == NULL) {
                    nomem(p);
                    break;
                }
            }
            parts[n].text = NULL;
            parts[n++].expr = template_hole(p, &t, end, &i);
        } else {
            tts_buf_putc(&lit, c);
            i++;
        }
    }
    if (lit.len > 0 && !p->failed) {
        parts[n].text = tts_arena_strndup(p->a, lit.data, lit.len);
        parts[n++].expr = NULL;
        if (parts[n - 1].text == NULL)
            nomem(p);
    }
    if (tts_buf_failed(&lit))
        nomem(p);
    tts_buf_free(&lit);
    advance(p);
    if (p->failed)
        return;
    r->message = tts_arena_calloc(p->a, n ? n : 1, sizeof(tts_part));
    if (r->message == NULL) {
        nomem(p);
        return;
    }
    memcpy(r->message, parts, n * sizeof(tts_part));
    r->n_message = n;
}

static void example_clause(parser *p, tts_rule *r)
{
    tts_example ex = {NULL, 0, NULL, p->tok.line};
    tts_example *grown;
    ex.file = string_clause(p, "example");
    if (ex.file == NULL)
        return;
    if (is_word(p, "hit") || is_word(p, "clear")) {
        ex.expect_hit = is_word(p, "hit");
        advance(p);
    } else {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected 'hit' or 'clear' after the example file, found %s", f);
        return;
    }
    if (p->tok.kind == TTS_TOK_STRING && p->tok.line == p->prev_line)
        ex.message = string_clause(p, "example");
    grown = tts_arena_calloc(p->a, r->n_examples + 1, sizeof(tts_example));
    if (grown == NULL) {
        nomem(p);
        return;
    }
    if (r->n_examples > 0)
        memcpy(grown, r->examples, r->n_examples * sizeof(tts_example));
    grown[r->n_examples++] = ex;
    r->examples = grown;
}

static int word_in(const parser *p, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++)
        if (is_word(p, words[i]))
            return (int)i;
    return -1;
}

static void for_clause(parser *p, tts_rule *r)
{
    if (p->tok.kind != TTS_TOK_IDENT || is_reserved(&p->tok)) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected a variable name after 'for', found %s", f);
        return;
    }
    r->var = tok_dup(p, &p->tok);
    r->var_line = p->tok.line;
    r->var_col = p->tok.col;
    r->var_off = p->tok.off;
    r->var_len = p->tok.len;
    advance(p);
    if (!is_word(p, "in")) {
        error_at(p, &p->tok, "expected 'in' after the 'for' variable");
        return;
    }
    advance(p);
    r->collection = expr_clause(p);
}

static void enum_clause(parser *p, tts_rule *r, int c)
{
    static const char *const sev[] = {"info", "low", "medium", "high", "critical", NULL};
    static const char *const status[] = {"stable", "test", "experimental", "deprecated", NULL};
    const char *const *words = c == C_SEVERITY ? sev : status;
    int k = word_in(p, words);
    if (k < 0) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected one of %s, found %s",
                 c == C_SEVERITY ? "info, low, medium, high, critical"
                                 : "stable, test, experimental, deprecated",
                 f);
        return;
    }
    if (c == C_SEVERITY)
        r->severity = k;
    else
        r->status = status[k];
    advance(p);
}

static void revision_clause(parser *p, tts_rule *r)
{
    long v = 0;
    if (p->tok.kind == TTS_TOK_NUMBER && memchr(p->tok.start, '.', p->tok.len) == NULL &&
        p->tok.len < 9) {
        for (size_t i = 0; i < p->tok.len; i++)
            v = v * 10 + (p->tok.start[i] - '0');
    }
    if (v < 1) {
        error_at(p, &p->tok, "expected a revision number (a whole number from 1)");
        return;
    }
    r->revision = (int)v;
    advance(p);
}

static void clause(parser *p, tts_rule *r, int c)
{
    switch (c) {
    case C_REVISION: revision_clause(p, r); break;
    case C_TITLE: r->title = string_clause(p, "title"); break;
    case C_SEVERITY: case C_STATUS: enum_clause(p, r, c); break;
    case C_CITATION: r->citation = string_clause(p, "citation"); break;
    case C_TAGS: strings_clause(p, &r->tags, "tags"); break;
    case C_DESCRIPTION: r->description = string_clause(p, "description"); break;
    case C_REFERENCES: strings_clause(p, &r->references, "references"); break;
    case C_FALSE_POSITIVES: strings_clause(p, &r->false_positives, "false_positives"); break;
    case C_FROM: r->effective_from = date_clause(p, "effective_from"); break;
    case C_UNTIL: r->effective_until = date_clause(p, "effective_until"); break;
    case C_FOR: for_clause(p, r); break;
    case C_WHEN: r->when = expr_clause(p); break;
    case C_MESSAGE: template_clause(p, r); break;
    case C_SUBJECT: r->subject = expr_clause(p); break;
    case C_PATH: r->path = expr_clause(p); break;
    case C_MATCHES: r->matches = expr_clause(p); break;
    case C_EXAMPLE: example_clause(p, r); break;
    }
}

static void check_required(parser *p, tts_rule *r)
{
    static const int req[] = {C_REVISION, C_TITLE, C_SEVERITY, C_CITATION, C_WHEN, C_MESSAGE};
    for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
        if (!(r->seen & (1u << req[i]))) {
            tts_status st = tts_rules_diag(p->set, p->opts, p->err, TTS_DIAG_ERROR,
                                           TTS_ERR_SYNTAX, p->src, r->id_line, r->id_col, r->off,
                                           r->len, "rule '%s' has no '%s' clause", r->id,
                                           clause_names[req[i]]);
            if (p->rc == TTS_OK)
                p->rc = st;
        }
    }
}

static void parse_rule(parser *p)
{
    tts_token kw = p->tok, idtok;
    tts_rule *r = tts_arena_alloc(p->a, sizeof(tts_rule));
    int closed = 0;
    if (r == NULL) {
        nomem(p);
        return;
    }
    r->src = p->src;
    r->status = "stable";
    r->severity = -1;
    idtok = tts_lex_rule_id(&p->lx);
    if (idtok.kind == TTS_TOK_ERROR) {
        p->tok = idtok;
        error_at(p, &idtok, "%s", p->lx.error);
        return;
    }
    r->id = tok_dup(p, &idtok);
    r->line = kw.line;
    r->col = kw.col;
    r->id_line = idtok.line;
    r->id_col = idtok.col;
    r->off = idtok.off;
    r->len = idtok.len;
    p->tok = idtok;
    advance(p);
    if (!expect(p, TTS_TOK_LBRACE, "'{' after the rule id"))
        return;
    while (!closed && p->tok.kind != TTS_TOK_EOF && !tts_rules_too_many(p->set, p->opts)) {
        tts_token ct = p->tok;
        int c;
        p->failed = 0;
        if (accept(p, TTS_TOK_RBRACE)) {
            closed = 1;
            break;
        }
        c = word_in(p, clause_names);
        if (c < 0) {
            char f[64];
            found(p, f, sizeof(f));
            error_at(p, &ct, "expected a rule clause (revision, title, severity, citation, "
                             "when, message, ...), found %s", f);
        } else if (c != C_EXAMPLE && (r->seen & (1u << c))) {
            error_at(p, &ct, "duplicate '%s' clause", clause_names[c]);
        } else {
            r->seen |= 1u << c;
            advance(p);
            clause(p, r, c);
        }
        if (p->failed) {
            r->broken = 1;
            recover_clause(p, &closed);
        }
        if (closed)
            advance(p);
    }
    p->failed = 0;
    if (!closed) {
        error_at(p, &kw, "rule '%s' is not closed with '}'", r->id);
        return;
    }
    check_required(p, r);
    if (tts_rules_add_rule(p->set, r) != TTS_OK)
        nomem(p);
}

static int parse_param_type(parser *p, tts_type *out)
{
    int list = 0;
    tts_tbase b;
    if (is_word(p, "list")) {
        advance(p);
        if (!is_word(p, "of")) {
            error_at(p, &p->tok, "expected 'of' after 'list' (list of party, ...)");
            return 0;
        }
        advance(p);
        list = 1;
    }
    b = p->tok.kind == TTS_TOK_IDENT ? tts_tbase_parse(p->tok.start, p->tok.len) : TTS_T_ERR;
    if (b == TTS_T_ERR || b == TTS_T_NULL) {
        error_at(p, &p->tok, "unknown type; use bool, number, string, date, record, party, "
                             "person, actor, transfer, technology, relation, funding, "
                             "affiliation, licence, clearance, control, controls, match or "
                             "'list of' one of them");
        return 0;
    }
    advance(p);
    *out = list ? tts_type_list(b, TTS_D_NONE) : tts_type_of(b);
    return 1;
}

static tts_def *new_def(parser *p, tts_defkind k)
{
    tts_def *d = tts_arena_alloc(p->a, sizeof(tts_def));
    if (d == NULL) {
        nomem(p);
        return NULL;
    }
    d->kind = k;
    d->src = p->src;
    advance(p); /* the keyword */
    if (p->tok.kind != TTS_TOK_IDENT || is_reserved(&p->tok)) {
        char f[64];
        found(p, f, sizeof(f));
        error_at(p, &p->tok, "expected a name, found %s", f);
        return NULL;
    }
    d->name = tok_dup(p, &p->tok);
    d->line = p->tok.line;
    d->col = p->tok.col;
    d->off = p->tok.off;
    d->len = p->tok.len;
    advance(p);
    return d;
}

/*
 * A definition whose body failed to parse is still registered, marked
 * broken, so later references to it do not each raise "unknown name".
 */
static void add_def(parser *p, tts_def *d)
{
    if (d == NULL)
        return;
    d->broken = p->failed;
    if (tts_rules_add_def(p->set, d) != TTS_OK)
        nomem(p);
}

static void parse_set(parser *p)
{
    tts_def *d = new_def(p, TTS_DEF_SET);
    if (d == NULL)
        return;
    if (!expect(p, TTS_TOK_ASSIGN, "'=' after the set name")) {
        add_def(p, d);
        return;
    }
    if (p->tok.kind != TTS_TOK_LBRACK)
        error_at(p, &p->tok, "expected a list of literals such as [\"CN\", \"RU\"]");
    else
        d->body = primary(p);
    add_def(p, d);
}

static void parse_pred(parser *p, tts_defkind k)
{
    tts_def *d = new_def(p, k);
    tts_param params[TTS_RULES_MAX_ARGS];
    size_t n = 0;
    if (d == NULL)
        return;
    if (!expect(p, TTS_TOK_LPAREN, "'(' after the name"))
        goto out;
    while (p->tok.kind == TTS_TOK_IDENT) {
        if (n == TTS_RULES_MAX_ARGS) {
            error_at(p, &p->tok, "more than %d parameters", TTS_RULES_MAX_ARGS);
            goto out;
        }
        if (is_reserved(&p->tok)) {
            error_at(p, &p->tok, "'%.*s' is a reserved word", (int)p->tok.len, p->tok.start);
            goto out;
        }
        params[n].name = tok_dup(p, &p->tok);
        params[n].line = p->tok.line;
        params[n].col = p->tok.col;
        params[n].off = p->tok.off;
        params[n].len = p->tok.len;
        advance(p);
        if (!expect(p, TTS_TOK_COLON, "':' and a type after the parameter name") ||
            !parse_param_type(p, &params[n].type))
            goto out;
        n++;
        if (!accept(p, TTS_TOK_COMMA))
            break;
    }
    if (!expect(p, TTS_TOK_RPAREN, "')'") || !expect(p, TTS_TOK_ASSIGN, "'=' before the body"))
        goto out;
    d->body = expr_clause(p);
    d->n_params = n;
    d->params = n > 0 ? tts_arena_calloc(p->a, n, sizeof(tts_param)) : NULL;
    if (n > 0 && d->params == NULL) {
        nomem(p);
        return;
    }
    if (n > 0)
        memcpy(d->params, params, n * sizeof(tts_param));
out:
    add_def(p, d);
}

static void parse_table(parser *p)
{
    tts_def *d = new_def(p, TTS_DEF_TABLE);
    tts_table_entry entries[512];
    size_t n = 0;
    if (d == NULL)
        return;
    d->type = tts_type_list(TTS_T_STR, TTS_D_NONE);
    if (!expect(p, TTS_TOK_LBRACE, "'{' after the table name")) {
        add_def(p, d);
        return;
    }
    while (p->tok.kind == TTS_TOK_STRING) {
        tts_node *rx;
        const char *label = string_clause(p, "classify");
        if (label == NULL || !expect(p, TTS_TOK_COLON, "':' after the label"))
            break;
        if (p->tok.kind != TTS_TOK_REGEX) {
            error_at(p, &p->tok, "expected a regular expression /.../ after the label");
            break;
        }
        rx = regex_literal(p);
        if (rx == NULL || p->failed)
            break;
        if (n == sizeof(entries) / sizeof(entries[0])) {
            error_at(p, &p->tok, "too many entries in a classification table");
            break;
        }
        entries[n].label = label;
        entries[n++].rx = rx->lit.u.rx;
        accept(p, TTS_TOK_COMMA);
    }
    if (p->failed || !expect(p, TTS_TOK_RBRACE, "a \"label\": /pattern/ entry or '}'")) {
        add_def(p, d); /* broken: no entries */
        return;
    }
    d->entries = n > 0 ? tts_arena_calloc(p->a, n, sizeof(tts_table_entry)) : NULL;
    if (n > 0 && d->entries == NULL) {
        nomem(p);
        return;
    }
    if (n > 0)
        memcpy(d->entries, entries, n * sizeof(tts_table_entry));
    d->n_entries = n;
    add_def(p, d);
}

tts_status tts_parse_file(tts_rules *set, const tts_src *src, const tts_rules_opts *opts,
                          tts_error *err)
{
    parser p;
    memset(&p, 0, sizeof(p));
    p.set = set;
    p.opts = opts;
    p.err = err;
    p.src = src;
    p.a = set->arena;
    tts_lex_init(&p.lx, src->text, src->len);
    advance(&p);
    while (p.tok.kind != TTS_TOK_EOF && !tts_rules_too_many(set, opts) &&
           p.rc != TTS_ERR_NOMEM) {
        p.failed = 0;
        if (p.tok.kind == TTS_TOK_ERROR) {
            advance(&p);
            continue;
        }
        if (is_word(&p, "rule")) {
            parse_rule(&p);
        } else if (is_word(&p, "set")) {
            parse_set(&p);
        } else if (is_word(&p, "predicate")) {
            parse_pred(&p, TTS_DEF_PRED);
        } else if (is_word(&p, "def")) {
            parse_pred(&p, TTS_DEF_FUNC);
        } else if (is_word(&p, "classify")) {
            parse_table(&p);
        } else {
            char f[64];
            found(&p, f, sizeof(f));
            error_at(&p, &p.tok, "expected 'rule', 'set', 'predicate', 'def' or 'classify', "
                                 "found %s", f);
        }
        if (p.failed) {
            if (p.tok.kind != TTS_TOK_EOF && !(is_item_start(&p) && p.tok.col == 1))
                advance(&p);
            recover_item(&p);
        }
    }
    return p.rc;
}
