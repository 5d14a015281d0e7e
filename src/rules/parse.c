/* SPDX-License-Identifier: MIT */
/*
 * Parser of rule files (grammar in docs/rule-language.md); expressions are
 * parsed by expr.c over the shared state of pstate.c.
 * Top level: `set`, `predicate`, `def`, `classify` and `rule` items. Each
 * syntax error is reported once per clause; the parser then resumes at the
 * next clause keyword that starts a line, or at the next top-level item, so
 * one run reports every independent error. Regular expressions are compiled
 * here, at load, so a bad pattern is reported with its position.
 */
#include "rules/parse.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "rules/expr.h"
#include "rules/pstate.h"
#include "ttscreen/scan.h"

/* Clause numbers, in the order of tts_ps_clause_names. */
enum {
    C_REVISION,
    C_TITLE,
    C_SEVERITY,
    C_CITATION,
    C_STATUS,
    C_TAGS,
    C_DESCRIPTION,
    C_REFERENCES,
    C_FALSE_POSITIVES,
    C_FROM,
    C_UNTIL,
    C_FOR,
    C_WHEN,
    C_MESSAGE,
    C_SUBJECT,
    C_PATH,
    C_MATCHES,
    C_EXAMPLE,
    C_LIST_CITATION
};

static int is_item_start(const tts_parser *p)
{
    return tts_ps_is(p, "rule") || tts_ps_is(p, "set") || tts_ps_is(p, "predicate") ||
           tts_ps_is(p, "def") || tts_ps_is(p, "classify");
}

/* After an error inside a rule: skip to the next clause or the rule's '}'. */
static void recover_clause(tts_parser *p, int *brace)
{
    int depth = 0;
    for (;;) {
        if (p->tok.kind == TTS_TOK_EOF)
            return;
        if (depth == 0 && p->tok.kind == TTS_TOK_RBRACE) {
            *brace = 1;
            return;
        }
        if (depth == 0 && (tts_ps_clause_start(p) || (is_item_start(p) && p->tok.col == 1)))
            return;
        if (p->tok.kind == TTS_TOK_LBRACE || p->tok.kind == TTS_TOK_LBRACK ||
            p->tok.kind == TTS_TOK_LPAREN)
            depth++;
        else if ((p->tok.kind == TTS_TOK_RBRACE || p->tok.kind == TTS_TOK_RBRACK ||
                  p->tok.kind == TTS_TOK_RPAREN) &&
                 depth > 0)
            depth--;
        tts_ps_advance(p);
    }
}

/* After an error at top level: skip to the next item keyword in column 1. */
static void recover_item(tts_parser *p)
{
    while (p->tok.kind != TTS_TOK_EOF && !(is_item_start(p) && p->tok.col == 1))
        tts_ps_advance(p);
}

static const char *string_clause(tts_parser *p, const char *what)
{
    tts_token t = p->tok;
    if (t.kind != TTS_TOK_STRING) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &t, "expected a string for '%s', found %s", what, f);
        return NULL;
    }
    tts_ps_advance(p);
    return tts_ps_string(p, &t);
}

static void strings_clause(tts_parser *p, tts_strs *out, const char *what)
{
    const char *items[256];
    size_t n = 0;
    if (!tts_ps_expect(p, TTS_TOK_LBRACK, "'['"))
        return;
    while (p->tok.kind != TTS_TOK_RBRACK) {
        const char *s = string_clause(p, what);
        if (s == NULL)
            return;
        if (n == sizeof(items) / sizeof(items[0])) {
            tts_ps_error(p, &p->tok, "too many entries in '%s'", what);
            return;
        }
        items[n++] = s;
        if (!tts_ps_accept(p, TTS_TOK_COMMA))
            break;
    }
    if (!tts_ps_expect(p, TTS_TOK_RBRACK, "']'"))
        return;
    out->n = n;
    out->items = n > 0 ? tts_arena_calloc(p->a, n, sizeof(char *)) : NULL;
    if (n > 0 && out->items == NULL) {
        tts_ps_nomem(p);
        return;
    }
    for (size_t i = 0; i < n; i++)
        out->items[i] = items[i];
}

static tts_date date_clause(tts_parser *p, const char *what)
{
    tts_date d = {0, 0, 0};
    char tmp[11];
    if (p->tok.kind != TTS_TOK_DATE) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected a date YYYY-MM-DD for '%s', found %s", what, f);
        return d;
    }
    memcpy(tmp, p->tok.start, 10);
    tmp[10] = '\0';
    if (!tts_date_parse(tmp, &d))
        tts_ps_error(p, &p->tok, "'%s' is not a calendar date", tmp);
    tts_ps_advance(p);
    return d;
}

/*
 * Parse the {expression} hole of message token t that starts at byte *i
 * (the '{'); on return *i is just past the closing '}'. A nested lexer over
 * the same source text keeps positions inside the hole exact.
 */
static tts_node *template_hole(tts_parser *p, const tts_token *t, size_t end, size_t *i)
{
    tts_lexer outer = p->lx;
    tts_token outer_tok = p->tok;
    tts_node *e;
    int col = t->col;
    for (size_t k = 0; k <= *i; k++) /* column of the hole: count characters */
        if (((unsigned char)t->start[k] & 0xC0) != 0x80)
            col++;
    tts_lex_init_at(&p->lx, p->src->text, t->off + end, t->off + *i + 1, t->line, col);
    tts_ps_advance(p);
    e = tts_expr_clause(p);
    if (e != NULL && p->tok.kind != TTS_TOK_RBRACE) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        if (p->tok.kind == TTS_TOK_EOF)
            snprintf(f, sizeof(f), "the end of the message");
        tts_ps_error(p, &p->tok, "expected '}' to close the message hole, found %s", f);
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
static void template_clause(tts_parser *p, tts_rule *r)
{
    tts_token t = p->tok;
    tts_part parts[128];
    size_t n = 0, i = 1, end;
    tts_buf lit = TTS_BUF_INIT;
    if (t.kind != TTS_TOK_STRING) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &t, "expected a string for 'message', found %s", f);
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
            tts_ps_error(p, &at, "unmatched '}' in message (write \\} for a brace)");
        } else if (c == '{') {
            if (n + 2 > sizeof(parts) / sizeof(parts[0])) {
                tts_ps_error(p, &t, "too many parts in message");
                break;
            }
            if (lit.len > 0) {
                parts[n].text = tts_arena_strndup(p->a, lit.data, lit.len);
                parts[n++].expr = NULL;
                tts_buf_reset(&lit);
                if (parts[n - 1].text == NULL) {
                    tts_ps_nomem(p);
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
            tts_ps_nomem(p);
    }
    if (tts_buf_failed(&lit))
        tts_ps_nomem(p);
    tts_buf_free(&lit);
    tts_ps_advance(p);
    if (p->failed)
        return;
    r->message = tts_arena_calloc(p->a, n ? n : 1, sizeof(tts_part));
    if (r->message == NULL) {
        tts_ps_nomem(p);
        return;
    }
    memcpy(r->message, parts, n * sizeof(tts_part));
    r->n_message = n;
}

static void example_clause(tts_parser *p, tts_rule *r)
{
    tts_example ex = {NULL, 0, NULL, p->tok.line};
    tts_example *grown;
    ex.file = string_clause(p, "example");
    if (ex.file == NULL)
        return;
    if (tts_ps_is(p, "hit") || tts_ps_is(p, "clear")) {
        ex.expect_hit = tts_ps_is(p, "hit");
        tts_ps_advance(p);
    } else {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected 'hit' or 'clear' after the example file, found %s", f);
        return;
    }
    if (p->tok.kind == TTS_TOK_STRING && p->tok.line == p->prev_line)
        ex.message = string_clause(p, "example");
    grown = tts_arena_calloc(p->a, r->n_examples + 1, sizeof(tts_example));
    if (grown == NULL) {
        tts_ps_nomem(p);
        return;
    }
    if (r->n_examples > 0)
        memcpy(grown, r->examples, r->n_examples * sizeof(tts_example));
    grown[r->n_examples++] = ex;
    r->examples = grown;
}

static int word_in(const tts_parser *p, const char *const *words)
{
    for (size_t i = 0; words[i] != NULL; i++)
        if (tts_ps_is(p, words[i]))
            return (int)i;
    return -1;
}

static void for_clause(tts_parser *p, tts_rule *r)
{
    if (p->tok.kind != TTS_TOK_IDENT || tts_ps_reserved(&p->tok)) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected a variable name after 'for', found %s", f);
        return;
    }
    r->var = tts_ps_dup(p, &p->tok);
    r->var_line = p->tok.line;
    r->var_col = p->tok.col;
    r->var_off = p->tok.off;
    r->var_len = p->tok.len;
    tts_ps_advance(p);
    if (!tts_ps_is(p, "in")) {
        tts_ps_error(p, &p->tok, "expected 'in' after the 'for' variable");
        return;
    }
    tts_ps_advance(p);
    r->collection = tts_expr_clause(p);
}

static void enum_clause(tts_parser *p, tts_rule *r, int c)
{
    static const char *const sev[] = {"info", "low", "medium", "high", "critical", NULL};
    static const char *const status[] = {"stable", "test", "experimental", "deprecated", NULL};
    const char *const *words = c == C_SEVERITY ? sev : status;
    int k = word_in(p, words);
    if (k < 0) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected one of %s, found %s",
                     c == C_SEVERITY ? "info, low, medium, high, critical"
                                     : "stable, test, experimental, deprecated",
                     f);
        return;
    }
    if (c == C_SEVERITY)
        r->severity = k;
    else
        r->status = status[k];
    tts_ps_advance(p);
}

static void revision_clause(tts_parser *p, tts_rule *r)
{
    long v = 0;
    if (p->tok.kind == TTS_TOK_NUMBER && memchr(p->tok.start, '.', p->tok.len) == NULL &&
        p->tok.len < 9) {
        for (size_t i = 0; i < p->tok.len; i++)
            v = v * 10 + (p->tok.start[i] - '0');
    }
    if (v < 1) {
        tts_ps_error(p, &p->tok, "expected a revision number (a whole number from 1)");
        return;
    }
    r->revision = (int)v;
    tts_ps_advance(p);
}

static void clause(tts_parser *p, tts_rule *r, int c)
{
    switch (c) {
    case C_REVISION:
        revision_clause(p, r);
        break;
    case C_TITLE:
        r->title = string_clause(p, "title");
        break;
    case C_SEVERITY:
    case C_STATUS:
        enum_clause(p, r, c);
        break;
    case C_CITATION:
        r->citation = string_clause(p, "citation");
        break;
    case C_TAGS:
        strings_clause(p, &r->tags, "tags");
        break;
    case C_DESCRIPTION:
        r->description = string_clause(p, "description");
        break;
    case C_REFERENCES:
        strings_clause(p, &r->references, "references");
        break;
    case C_FALSE_POSITIVES:
        strings_clause(p, &r->false_positives, "false_positives");
        break;
    case C_FROM:
        r->effective_from = date_clause(p, "effective_from");
        break;
    case C_UNTIL:
        r->effective_until = date_clause(p, "effective_until");
        break;
    case C_FOR:
        for_clause(p, r);
        break;
    case C_WHEN:
        r->when = tts_expr_clause(p);
        break;
    case C_MESSAGE:
        template_clause(p, r);
        break;
    case C_SUBJECT:
        r->subject = tts_expr_clause(p);
        break;
    case C_PATH:
        r->path = tts_expr_clause(p);
        break;
    case C_MATCHES:
        r->matches = tts_expr_clause(p);
        break;
    case C_EXAMPLE:
        example_clause(p, r);
        break;
    case C_LIST_CITATION: /* no argument: the finding cites its matches (eval.c) */
        r->list_citation = 1;
        break;
    }
}

static void check_required(tts_parser *p, tts_rule *r)
{
    static const int req[] = {C_REVISION, C_TITLE, C_SEVERITY, C_CITATION, C_WHEN, C_MESSAGE};
    for (size_t i = 0; i < sizeof(req) / sizeof(req[0]); i++) {
        if (!(r->seen & (1u << req[i]))) {
            tts_status st = tts_rules_diag(p->set, p->opts, p->err, TTS_DIAG_ERROR, TTS_ERR_SYNTAX,
                                           p->src, r->id_line, r->id_col, r->off, r->len,
                                           "rule '%s' has no '%s' clause", r->id,
                                           tts_ps_clause_names()[req[i]]);
            if (p->rc == TTS_OK)
                p->rc = st;
        }
    }
    if (r->list_citation && !(r->seen & (1u << C_MATCHES))) {
        tts_status st = tts_rules_diag(p->set, p->opts, p->err, TTS_DIAG_ERROR, TTS_ERR_SYNTAX,
                                       p->src, r->id_line, r->id_col, r->off, r->len,
                                       "rule '%s': 'list_citation' needs a 'matches' clause "
                                       "(the finding cites its matches)",
                                       r->id);
        if (p->rc == TTS_OK)
            p->rc = st;
    }
}

static void parse_rule(tts_parser *p)
{
    tts_token kw = p->tok, idtok;
    tts_rule *r = tts_arena_alloc(p->a, sizeof(tts_rule));
    int closed = 0;
    if (r == NULL) {
        tts_ps_nomem(p);
        return;
    }
    r->src = p->src;
    r->status = "stable";
    r->severity = -1;
    idtok = tts_lex_rule_id(&p->lx);
    if (idtok.kind == TTS_TOK_ERROR) {
        p->tok = idtok;
        tts_ps_error(p, &idtok, "%s", p->lx.error);
        return;
    }
    r->id = tts_ps_dup(p, &idtok);
    r->line = kw.line;
    r->col = kw.col;
    r->id_line = idtok.line;
    r->id_col = idtok.col;
    r->off = idtok.off;
    r->len = idtok.len;
    p->tok = idtok;
    tts_ps_advance(p);
    if (!tts_ps_expect(p, TTS_TOK_LBRACE, "'{' after the rule id"))
        return;
    while (!closed && p->tok.kind != TTS_TOK_EOF && !tts_rules_too_many(p->set, p->opts)) {
        tts_token ct = p->tok;
        int c;
        p->failed = 0;
        if (tts_ps_accept(p, TTS_TOK_RBRACE)) {
            closed = 1;
            break;
        }
        c = word_in(p, tts_ps_clause_names());
        if (c < 0) {
            char f[64];
            tts_ps_found(p, f, sizeof(f));
            tts_ps_error(p, &ct,
                         "expected a rule clause (revision, title, severity, citation, "
                         "when, message, ...), found %s",
                         f);
        } else if (c != C_EXAMPLE && (r->seen & (1u << c))) {
            tts_ps_error(p, &ct, "duplicate '%s' clause", tts_ps_clause_names()[c]);
        } else {
            r->seen |= 1u << c;
            tts_ps_advance(p);
            clause(p, r, c);
        }
        if (p->failed) {
            r->broken = 1;
            recover_clause(p, &closed);
        }
        if (closed)
            tts_ps_advance(p);
    }
    p->failed = 0;
    if (!closed) {
        tts_ps_error(p, &kw, "rule '%s' is not closed with '}'", r->id);
        return;
    }
    check_required(p, r);
    if (tts_rules_add_rule(p->set, r) != TTS_OK)
        tts_ps_nomem(p);
}

static int parse_param_type(tts_parser *p, tts_type *out)
{
    int list = 0;
    tts_tbase b;
    if (tts_ps_is(p, "list")) {
        tts_ps_advance(p);
        if (!tts_ps_is(p, "of")) {
            tts_ps_error(p, &p->tok, "expected 'of' after 'list' (list of party, ...)");
            return 0;
        }
        tts_ps_advance(p);
        list = 1;
    }
    b = p->tok.kind == TTS_TOK_IDENT ? tts_tbase_parse(p->tok.start, p->tok.len) : TTS_T_ERR;
    if (b == TTS_T_ERR || b == TTS_T_NULL) {
        tts_ps_error(p, &p->tok,
                     "unknown type; use bool, number, string, date, record, party, "
                     "person, actor, transfer, technology, relation, funding, "
                     "affiliation, licence, clearance, control, controls, match or "
                     "'list of' one of them");
        return 0;
    }
    tts_ps_advance(p);
    *out = list ? tts_type_list(b, TTS_D_NONE) : tts_type_of(b);
    return 1;
}

static tts_def *new_def(tts_parser *p, tts_defkind k)
{
    tts_def *d = tts_arena_alloc(p->a, sizeof(tts_def));
    if (d == NULL) {
        tts_ps_nomem(p);
        return NULL;
    }
    d->kind = k;
    d->src = p->src;
    tts_ps_advance(p); /* the keyword */
    if (p->tok.kind != TTS_TOK_IDENT || tts_ps_reserved(&p->tok)) {
        char f[64];
        tts_ps_found(p, f, sizeof(f));
        tts_ps_error(p, &p->tok, "expected a name, found %s", f);
        return NULL;
    }
    d->name = tts_ps_dup(p, &p->tok);
    d->line = p->tok.line;
    d->col = p->tok.col;
    d->off = p->tok.off;
    d->len = p->tok.len;
    tts_ps_advance(p);
    return d;
}

/*
 * A definition whose body failed to parse is still registered, marked
 * broken, so later references to it do not each raise "unknown name".
 */
static void add_def(tts_parser *p, tts_def *d)
{
    if (d == NULL)
        return;
    d->broken = p->failed;
    if (tts_rules_add_def(p->set, d) != TTS_OK)
        tts_ps_nomem(p);
}

static void parse_set(tts_parser *p)
{
    tts_def *d = new_def(p, TTS_DEF_SET);
    if (d == NULL)
        return;
    if (!tts_ps_expect(p, TTS_TOK_ASSIGN, "'=' after the set name")) {
        add_def(p, d);
        return;
    }
    if (p->tok.kind != TTS_TOK_LBRACK)
        tts_ps_error(p, &p->tok, "expected a list of literals such as [\"CN\", \"RU\"]");
    else
        d->body = tts_expr_primary(p);
    add_def(p, d);
}

static void parse_pred(tts_parser *p, tts_defkind k)
{
    tts_def *d = new_def(p, k);
    tts_param params[TTS_RULES_MAX_ARGS];
    size_t n = 0;
    if (d == NULL)
        return;
    if (!tts_ps_expect(p, TTS_TOK_LPAREN, "'(' after the name"))
        goto out;
    while (p->tok.kind == TTS_TOK_IDENT) {
        if (n == TTS_RULES_MAX_ARGS) {
            tts_ps_error(p, &p->tok, "more than %d parameters", TTS_RULES_MAX_ARGS);
            goto out;
        }
        if (tts_ps_reserved(&p->tok)) {
            tts_ps_error(p, &p->tok, "'%.*s' is a reserved word", (int)p->tok.len, p->tok.start);
            goto out;
        }
        params[n].name = tts_ps_dup(p, &p->tok);
        params[n].line = p->tok.line;
        params[n].col = p->tok.col;
        params[n].off = p->tok.off;
        params[n].len = p->tok.len;
        tts_ps_advance(p);
        if (!tts_ps_expect(p, TTS_TOK_COLON, "':' and a type after the parameter name") ||
            !parse_param_type(p, &params[n].type))
            goto out;
        n++;
        if (!tts_ps_accept(p, TTS_TOK_COMMA))
            break;
    }
    if (!tts_ps_expect(p, TTS_TOK_RPAREN, "')'") ||
        !tts_ps_expect(p, TTS_TOK_ASSIGN, "'=' before the body"))
        goto out;
    d->body = tts_expr_clause(p);
    d->n_params = n;
    d->params = n > 0 ? tts_arena_calloc(p->a, n, sizeof(tts_param)) : NULL;
    if (n > 0 && d->params == NULL) {
        tts_ps_nomem(p);
        return;
    }
    if (n > 0)
        memcpy(d->params, params, n * sizeof(tts_param));
out:
    add_def(p, d);
}

static void parse_table(tts_parser *p)
{
    tts_def *d = new_def(p, TTS_DEF_TABLE);
    tts_table_entry entries[512];
    size_t n = 0;
    if (d == NULL)
        return;
    d->type = tts_type_list(TTS_T_STR, TTS_D_NONE);
    if (!tts_ps_expect(p, TTS_TOK_LBRACE, "'{' after the table name")) {
        add_def(p, d);
        return;
    }
    while (p->tok.kind == TTS_TOK_STRING) {
        tts_node *rx;
        const char *label = string_clause(p, "classify");
        if (label == NULL || !tts_ps_expect(p, TTS_TOK_COLON, "':' after the label"))
            break;
        if (p->tok.kind != TTS_TOK_REGEX) {
            tts_ps_error(p, &p->tok, "expected a regular expression /.../ after the label");
            break;
        }
        rx = tts_expr_regex(p);
        if (rx == NULL || p->failed)
            break;
        if (n == sizeof(entries) / sizeof(entries[0])) {
            tts_ps_error(p, &p->tok, "too many entries in a classification table");
            break;
        }
        entries[n].label = label;
        entries[n++].rx = rx->lit.u.rx;
        tts_ps_accept(p, TTS_TOK_COMMA);
    }
    if (p->failed || !tts_ps_expect(p, TTS_TOK_RBRACE, "a \"label\": /pattern/ entry or '}'")) {
        add_def(p, d); /* broken: no entries */
        return;
    }
    d->entries = n > 0 ? tts_arena_calloc(p->a, n, sizeof(tts_table_entry)) : NULL;
    if (n > 0 && d->entries == NULL) {
        tts_ps_nomem(p);
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
    tts_parser p;
    memset(&p, 0, sizeof(p));
    p.set = set;
    p.opts = opts;
    p.err = err;
    p.src = src;
    p.a = set->arena;
    tts_lex_init(&p.lx, src->text, src->len);
    tts_ps_advance(&p);
    while (p.tok.kind != TTS_TOK_EOF && !tts_rules_too_many(set, opts) && p.rc != TTS_ERR_NOMEM) {
        p.failed = 0;
        if (p.tok.kind == TTS_TOK_ERROR) {
            tts_ps_advance(&p);
            continue;
        }
        if (tts_ps_is(&p, "rule")) {
            parse_rule(&p);
        } else if (tts_ps_is(&p, "set")) {
            parse_set(&p);
        } else if (tts_ps_is(&p, "predicate")) {
            parse_pred(&p, TTS_DEF_PRED);
        } else if (tts_ps_is(&p, "def")) {
            parse_pred(&p, TTS_DEF_FUNC);
        } else if (tts_ps_is(&p, "classify")) {
            parse_table(&p);
        } else {
            char f[64];
            tts_ps_found(&p, f, sizeof(f));
            tts_ps_error(&p, &p.tok,
                         "expected 'rule', 'set', 'predicate', 'def' or 'classify', "
                         "found %s",
                         f);
        }
        if (p.failed) {
            if (p.tok.kind != TTS_TOK_EOF && !(is_item_start(&p) && p.tok.col == 1))
                tts_ps_advance(&p);
            recover_item(&p);
        }
    }
    return p.rc;
}
