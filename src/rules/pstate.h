/* SPDX-License-Identifier: MIT */
/*
 * Parser state and helpers shared by the two halves of the rule parser:
 * expressions (expr.c) and rule files (parse.c). Internal to them.
 */
#ifndef TTS_PSTATE_H
#define TTS_PSTATE_H

#include "rules/ast.h"
#include "rules/lex.h"
#include "rules/ruleset.h"

typedef struct tts_parser {
    tts_rules *set;
    const tts_rules_opts *opts;
    tts_error *err;
    const tts_src *src;
    tts_arena *a;
    tts_lexer lx;
    tts_token tok;
    int prev_line;   /* line of the previous token */
    size_t prev_end; /* byte offset just after the previous token */
    int depth;       /* expression nesting */
    int failed;      /* an error was reported in the current clause */
    tts_status rc;   /* first error status */
} tts_parser;

/* Rule clause keywords, NULL-terminated; parse.c's clause enum follows this order. */
const char *const *tts_ps_clause_names(void);

/* Report an error at t (once per clause: later ones are dropped until p->failed is reset). */
void tts_ps_error(tts_parser *p, const tts_token *t, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Record out of memory (status TTS_ERR_NOMEM) and fail the clause. */
void tts_ps_nomem(tts_parser *p);
/* Step to the next token; a bad token is reported. */
void tts_ps_advance(tts_parser *p);
/* 1 when the current token is the identifier w. */
int tts_ps_is(const tts_parser *p, const char *w);
/* Step over the current token when it is of kind k; 1 when it was. */
int tts_ps_accept(tts_parser *p, tts_tok_kind k);
/* Describe the current token for "expected X, found Y" into buf. */
void tts_ps_found(const tts_parser *p, char *buf, size_t len);
/* Step over a token of kind k, or report "expected what"; 1 on success. */
int tts_ps_expect(tts_parser *p, tts_tok_kind k, const char *what);
/* Token text copied into the set's arena (NULL after reporting out of memory). */
char *tts_ps_dup(tts_parser *p, const tts_token *t);
/* A string token's value with escapes decoded, in the set's arena. */
char *tts_ps_string(tts_parser *p, const tts_token *t);
/* New node of kind k at t's position. */
tts_node *tts_ps_node(tts_parser *p, tts_nkind k, const tts_token *t);
/* Set n's tree height from its children; NULL (reported) above TTS_RULES_MAX_TREE. */
tts_node *tts_ps_height(tts_parser *p, tts_node *n);
/* Extend n's source span to the end of the previous token. */
void tts_ps_span_end(tts_parser *p, tts_node *n);
/* 1 when t is a reserved word (and, or, not, in, true, false, null, any, all, count, filter). */
int tts_ps_reserved(const tts_token *t);
/* 1 when the current token is a clause keyword at the start of a line. */
int tts_ps_clause_start(const tts_parser *p);

#endif
