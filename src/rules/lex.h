/* SPDX-License-Identifier: MIT */
/*
 * Lexer of the rule language: turns rule-file text into tokens on demand,
 * tracking 1-based line and column (columns count UTF-8 characters). Tokens
 * point into the text; they never own memory. The lexer never fails hard:
 * a malformed token comes back as TTS_TOK_ERROR with a message.
 */
#ifndef TTS_LEX_H
#define TTS_LEX_H

#include <stddef.h>

typedef enum tts_tok_kind {
    TTS_TOK_EOF,
    TTS_TOK_ERROR,  /* bad input; tts_lexer.error says why */
    TTS_TOK_IDENT,  /* letters, digits, '_' (keywords are identifiers too) */
    TTS_TOK_STRING, /* "...", escapes kept in the text */
    TTS_TOK_NUMBER, /* 12, 12.5 */
    TTS_TOK_DATE,   /* 2022-05-01 */
    TTS_TOK_REGEX,  /* /.../flags */
    TTS_TOK_LPAREN,
    TTS_TOK_RPAREN,
    TTS_TOK_LBRACK,
    TTS_TOK_RBRACK,
    TTS_TOK_LBRACE,
    TTS_TOK_RBRACE,
    TTS_TOK_COMMA,
    TTS_TOK_DOT,
    TTS_TOK_COLON,
    TTS_TOK_ASSIGN, /* = */
    TTS_TOK_EQ,     /* == */
    TTS_TOK_NE,     /* != */
    TTS_TOK_LT,
    TTS_TOK_LE,
    TTS_TOK_GT,
    TTS_TOK_GE,
    TTS_TOK_PLUS,
    TTS_TOK_MINUS
} tts_tok_kind;

typedef struct tts_token {
    tts_tok_kind kind;
    const char *start; /* first byte, inside the lexer's text */
    size_t len;        /* bytes */
    size_t off;        /* byte offset of start */
    int line, col;     /* 1-based position of start */
} tts_token;

typedef struct tts_lexer {
    const char *text; /* borrowed */
    size_t len;
    size_t pos;
    int line, col;
    const char *error; /* static message for the last TTS_TOK_ERROR */
} tts_lexer;

/* Start lexing text[0..len) (borrowed for the lexer's life). */
void tts_lex_init(tts_lexer *lx, const char *text, size_t len);
/* Start at byte `off` of text, which is at line/col (for template holes). */
void tts_lex_init_at(tts_lexer *lx, const char *text, size_t len, size_t off, int line, int col);
/* Next token (skips blanks and '#' comments). */
tts_token tts_lex_next(tts_lexer *lx);
/*
 * Rule id at the current position (after blanks): a dotted name such as
 * fefta.art25.unlicensed-transfer. Returns a TTS_TOK_IDENT token, or
 * TTS_TOK_ERROR when none is there.
 */
tts_token tts_lex_rule_id(tts_lexer *lx);
/* Printable name of a token kind, for messages ("identifier", "'('"). */
const char *tts_lex_kind_name(tts_tok_kind k);
/* 1 when tok is the identifier `word`. */
int tts_lex_is(const tts_token *tok, const char *word);

#endif
