/* SPDX-License-Identifier: MIT */
/*
 * Parser state shared by the expression parser (expr.c) and the rule-file
 * parser (parse.c): token stepping, error reporting (once per clause, so a
 * mistake yields one message), string decoding, node allocation and the
 * tree-height bound that keeps later recursion shallow.
 */
#include "rules/pstate.h"

#include "util/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"

static const char *const clause_names[] = {
    "revision",    "title",      "severity",        "citation",       "status",          "tags",
    "description", "references", "false_positives", "effective_from", "effective_until", "for",
    "when",        "message",    "subject",         "path",           "matches",         "example",
    "list_citation", NULL};

const char *const *tts_ps_clause_names(void) { return clause_names; }

static const char *const reserved[] = {"and",  "or",  "not", "in",    "true",   "false",
                                       "null", "any", "all", "count", "filter", "if", "then", "else", NULL};

void tts_ps_error(tts_parser *p, const tts_token *t, const char *fmt, ...)
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

void tts_ps_nomem(tts_parser *p)
{
    if (p->rc == TTS_OK || p->rc == TTS_ERR_SYNTAX)
        p->rc = tts_err_set(p->err, TTS_ERR_NOMEM, "out of memory");
    p->failed = 1;
}

void tts_ps_advance(tts_parser *p)
{
    p->prev_line = p->tok.line;
    p->prev_end = p->tok.off + p->tok.len;
    p->tok = tts_lex_next(&p->lx);
    if (p->tok.kind == TTS_TOK_ERROR)
        tts_ps_error(p, &p->tok, "%s", p->lx.error);
}

int tts_ps_is(const tts_parser *p, const char *w) { return tts_lex_is(&p->tok, w); }

int tts_ps_accept(tts_parser *p, tts_tok_kind k)
{
    if (p->tok.kind != k)
        return 0;
    tts_ps_advance(p);
    return 1;
}

/* Describe the current token for "expected X, found Y". */
void tts_ps_found(const tts_parser *p, char *buf, size_t len)
{
    if (p->tok.kind == TTS_TOK_IDENT || p->tok.kind == TTS_TOK_NUMBER ||
        p->tok.kind == TTS_TOK_DATE)
        snprintf(buf, len, "'%.*s'", (int)(p->tok.len > 40 ? 40 : p->tok.len), p->tok.start);
    else
        snprintf(buf, len, "%s", tts_lex_kind_name(p->tok.kind));
}

int tts_ps_expect(tts_parser *p, tts_tok_kind k, const char *what)
{
    char f[64];
    if (p->tok.kind == k) {
        tts_ps_advance(p);
        return 1;
    }
    tts_ps_found(p, f, sizeof(f));
    tts_ps_error(p, &p->tok, "expected %s, found %s", what, f);
    return 0;
}

char *tts_ps_dup(tts_parser *p, const tts_token *t)
{
    char *s = tts_arena_strndup(p->a, t->start, t->len);
    if (s == NULL)
        tts_ps_nomem(p);
    return s;
}

/* Decode a string token (escapes) into a new arena string. */
char *tts_ps_string(tts_parser *p, const tts_token *t)
{
    char *out = tts_arena_alloc(p->a, t->len);
    size_t j = 0;
    if (out == NULL) {
        tts_ps_nomem(p);
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
    /* titles, citations and messages reach reports and terminals: one line of valid UTF-8 */
    if (tts_text_unfit(out) != 0)
        tts_ps_error(p, t, "a string must be one line of valid UTF-8 (byte %zu is a control "
                           "character such as a line break, tab or escape, or is not UTF-8)",
                     tts_text_unfit(out));
    return out;
}

tts_node *tts_ps_node(tts_parser *p, tts_nkind k, const tts_token *t)
{
    tts_node *n = tts_ast_node(p->a, k, t->line, t->col, t->off, t->len);
    if (n == NULL)
        tts_ps_nomem(p);
    return n;
}

/*
 * Record n's tree height from its children. Left-deep chains (a and b and
 * ...) and long field paths are built by loops, not recursion, so this
 * bound is what keeps the checker's and evaluator's recursion shallow.
 */
tts_node *tts_ps_height(tts_parser *p, tts_node *n)
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
        tts_ps_error(p, &t, "expression deeper than %d levels", TTS_RULES_MAX_TREE);
        return NULL;
    }
    return n;
}

/* Extend n's span to the end of the previous token. */
void tts_ps_span_end(tts_parser *p, tts_node *n)
{
    if (p->prev_end > n->off)
        n->len = p->prev_end - n->off;
}

int tts_ps_reserved(const tts_token *t)
{
    for (size_t i = 0; reserved[i] != NULL; i++)
        if (tts_lex_is(t, reserved[i]))
            return 1;
    return 0;
}

int tts_ps_clause_start(const tts_parser *p)
{
    if (p->tok.kind != TTS_TOK_IDENT || p->tok.line == p->prev_line)
        return 0;
    for (size_t i = 0; clause_names[i] != NULL; i++)
        if (tts_lex_is(&p->tok, clause_names[i]))
            return 1;
    return 0;
}
