/* SPDX-License-Identifier: MIT */
/*
 * Rule-language lexer. Tokens are produced one at a time so the parser can
 * switch to the rule-id shape after `rule`. There is no division operator
 * in the language, so '/' always opens a regular expression literal; a
 * date literal is exactly four digits, '-', two digits, '-', two digits.
 * Token lengths are bounded by TTS_RULES_MAX_TOKEN.
 */
#include "rules/lex.h"

#include <string.h>

#include "util/limits.h"

void tts_lex_init(tts_lexer *lx, const char *text, size_t len)
{
    tts_lex_init_at(lx, text, len, 0, 1, 1);
}

void tts_lex_init_at(tts_lexer *lx, const char *text, size_t len, size_t off, int line, int col)
{
    lx->text = text;
    lx->len = len;
    lx->pos = off;
    lx->line = line;
    lx->col = col;
    lx->error = NULL;
}

static int peek(const tts_lexer *lx, size_t ahead)
{
    return lx->pos + ahead < lx->len ? (unsigned char)lx->text[lx->pos + ahead] : -1;
}

/* Advance one byte, keeping line and (character) column current. */
static void bump(tts_lexer *lx)
{
    unsigned char c = (unsigned char)lx->text[lx->pos++];
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static int is_digit(int c) { return c >= '0' && c <= '9'; }

static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

static void skip_blanks(tts_lexer *lx)
{
    for (;;) {
        int c = peek(lx, 0);
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            bump(lx);
        } else if (c == '#') {
            while (peek(lx, 0) != -1 && peek(lx, 0) != '\n')
                bump(lx);
        } else {
            return;
        }
    }
}

static tts_token make(tts_lexer *lx, tts_tok_kind k, size_t start, int line, int col)
{
    tts_token t;
    t.kind = k;
    t.start = lx->text + start;
    t.len = lx->pos - start;
    t.off = start;
    t.line = line;
    t.col = col;
    if (k != TTS_TOK_ERROR && t.len > TTS_RULES_MAX_TOKEN) {
        t.kind = TTS_TOK_ERROR;
        lx->error = "token longer than the limit of " TTS_STR(TTS_RULES_MAX_TOKEN) " bytes";
    }
    return t;
}

static tts_token fail(tts_lexer *lx, const char *msg, size_t start, int line, int col)
{
    lx->error = msg;
    return make(lx, TTS_TOK_ERROR, start, line, col);
}

/*
 * "..." or '...': escapes are checked here, decoded by the parser. Single
 * quotes let a message template hole hold a string: "{join(xs, ', ')}".
 */
static tts_token lex_string(tts_lexer *lx, size_t start, int line, int col)
{
    int quote = peek(lx, 0);
    bump(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c == -1 || c == '\n')
            return fail(lx, "unterminated string", start, line, col);
        if (c == 0)
            return fail(lx, "NUL byte in string", start, line, col);
        if (c == quote) {
            bump(lx);
            return make(lx, TTS_TOK_STRING, start, line, col);
        }
        if (c == '\\') {
            int e = peek(lx, 1);
            if (e != '"' && e != '\'' && e != '\\' && e != 'n' && e != 't' && e != '{' && e != '}')
                return fail(lx, "unknown escape in string (use \\\" \\' \\\\ \\n \\t \\{ \\})",
                            start, line, col);
            bump(lx);
        }
        bump(lx);
    }
}

static tts_token lex_regex(tts_lexer *lx, size_t start, int line, int col)
{
    bump(lx);
    for (;;) {
        int c = peek(lx, 0);
        if (c == -1 || c == '\n')
            return fail(lx, "unterminated regular expression", start, line, col);
        if (c == 0)
            return fail(lx, "NUL byte in regular expression", start, line, col);
        if (c == '/')
            break;
        if (c == '\\' && peek(lx, 1) != -1 && peek(lx, 1) != '\n')
            bump(lx);
        bump(lx);
    }
    bump(lx);
    while (peek(lx, 0) == 'i' || peek(lx, 0) == 'm' || peek(lx, 0) == 's' || peek(lx, 0) == 'x' ||
           peek(lx, 0) == 'u')
        bump(lx);
    if (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
        return fail(lx, "unknown regular expression flag (use i, m, s, x, u)", start, line, col);
    return make(lx, TTS_TOK_REGEX, start, line, col);
}

static int date_shape(const tts_lexer *lx)
{
    static const char shape[] = "dddd-dd-dd";
    for (size_t i = 0; i < 10; i++) {
        int c = peek(lx, i);
        if (shape[i] == 'd' ? !is_digit(c) : c != '-')
            return 0;
    }
    return !is_digit(peek(lx, 10)) && !is_alpha(peek(lx, 10));
}

static tts_token lex_number(tts_lexer *lx, size_t start, int line, int col)
{
    if (date_shape(lx)) {
        for (int i = 0; i < 10; i++)
            bump(lx);
        return make(lx, TTS_TOK_DATE, start, line, col);
    }
    while (is_digit(peek(lx, 0)))
        bump(lx);
    if (peek(lx, 0) == '.' && is_digit(peek(lx, 1))) {
        bump(lx);
        while (is_digit(peek(lx, 0)))
            bump(lx);
    }
    if (is_alpha(peek(lx, 0)))
        return fail(lx, "malformed number", start, line, col);
    return make(lx, TTS_TOK_NUMBER, start, line, col);
}

/* Two-character operators first, then single characters. */
static tts_token lex_punct(tts_lexer *lx, size_t start, int line, int col)
{
    int c = peek(lx, 0), d = peek(lx, 1);
    tts_tok_kind k;
    if (d == '=' && (c == '=' || c == '!' || c == '<' || c == '>')) {
        bump(lx);
        bump(lx);
        k = c == '=' ? TTS_TOK_EQ : c == '!' ? TTS_TOK_NE : c == '<' ? TTS_TOK_LE : TTS_TOK_GE;
        return make(lx, k, start, line, col);
    }
    switch (c) {
    case '(':
        k = TTS_TOK_LPAREN;
        break;
    case ')':
        k = TTS_TOK_RPAREN;
        break;
    case '[':
        k = TTS_TOK_LBRACK;
        break;
    case ']':
        k = TTS_TOK_RBRACK;
        break;
    case '{':
        k = TTS_TOK_LBRACE;
        break;
    case '}':
        k = TTS_TOK_RBRACE;
        break;
    case ',':
        k = TTS_TOK_COMMA;
        break;
    case '.':
        k = TTS_TOK_DOT;
        break;
    case ':':
        k = TTS_TOK_COLON;
        break;
    case '=':
        k = TTS_TOK_ASSIGN;
        break;
    case '<':
        k = TTS_TOK_LT;
        break;
    case '>':
        k = TTS_TOK_GT;
        break;
    case '+':
        k = TTS_TOK_PLUS;
        break;
    case '-':
        k = TTS_TOK_MINUS;
        break;
    default:
        bump(lx);
        while (peek(lx, 0) != -1 && ((unsigned)peek(lx, 0) & 0xC0) == 0x80)
            bump(lx);
        return fail(lx, c == '!' ? "unexpected '!' (use 'not' or '!=')" : "unexpected character",
                    start, line, col);
    }
    bump(lx);
    return make(lx, k, start, line, col);
}

tts_token tts_lex_next(tts_lexer *lx)
{
    size_t start;
    int line, col, c;
    skip_blanks(lx);
    start = lx->pos;
    line = lx->line;
    col = lx->col;
    c = peek(lx, 0);
    if (c == -1)
        return make(lx, TTS_TOK_EOF, start, line, col);
    if (is_alpha(c)) {
        while (is_alpha(peek(lx, 0)) || is_digit(peek(lx, 0)))
            bump(lx);
        return make(lx, TTS_TOK_IDENT, start, line, col);
    }
    if (is_digit(c))
        return lex_number(lx, start, line, col);
    if (c == '"' || c == '\'')
        return lex_string(lx, start, line, col);
    if (c == '/')
        return lex_regex(lx, start, line, col);
    return lex_punct(lx, start, line, col);
}

tts_token tts_lex_rule_id(tts_lexer *lx)
{
    size_t start;
    int line, col;
    skip_blanks(lx);
    start = lx->pos;
    line = lx->line;
    col = lx->col;
    if (!is_alpha(peek(lx, 0)) || peek(lx, 0) == '_' || (peek(lx, 0) >= 'A' && peek(lx, 0) <= 'Z'))
        return fail(lx, "expected a rule id such as area.topic.name (lower case)", start, line,
                    col);
    for (;;) {
        int c = peek(lx, 0);
        if ((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_') {
            bump(lx);
        } else if (c == '.' &&
                   ((peek(lx, 1) >= 'a' && peek(lx, 1) <= 'z') || is_digit(peek(lx, 1)))) {
            bump(lx);
        } else {
            break;
        }
    }
    if (is_alpha(peek(lx, 0)) || peek(lx, 0) == '.')
        return fail(lx, "rule ids use lower-case letters, digits, '-', '_' and single dots", start,
                    line, col);
    return make(lx, TTS_TOK_IDENT, start, line, col);
}

const char *tts_lex_kind_name(tts_tok_kind k)
{
    static const char *const names[] = {
        "end of file", "bad token", "identifier", "string", "number", "date", "regular expression",
        "'('",         "')'",       "'['",        "']'",    "'{'",    "'}'",  "','",
        "'.'",         "':'",       "'='",        "'=='",   "'!='",   "'<'",  "'<='",
        "'>'",         "'>='",      "'+'",        "'-'"};
    return (size_t)k < sizeof(names) / sizeof(names[0]) ? names[k] : "token";
}

int tts_lex_is(const tts_token *tok, const char *word)
{
    return tok->kind == TTS_TOK_IDENT && strlen(word) == tok->len &&
           memcmp(tok->start, word, tok->len) == 0;
}
