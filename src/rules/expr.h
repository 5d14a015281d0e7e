/* SPDX-License-Identifier: MIT */
/*
 * Expression parser of the rule language (grammar in docs/rule-language.md).
 */
#ifndef TTS_EXPR_H
#define TTS_EXPR_H

#include "rules/pstate.h"

/* A full expression (or-level); NULL after reporting an error. */
tts_node *tts_expr_parse(tts_parser *p);
/* An expression that starts a clause: nesting count starts afresh. */
tts_node *tts_expr_clause(tts_parser *p);
/* A primary expression (literal, list, call, name, quantifier, parenthesis). */
tts_node *tts_expr_primary(tts_parser *p);
/* The current /regex/flags token, compiled. */
tts_node *tts_expr_regex(tts_parser *p);

#endif
