/* SPDX-License-Identifier: MIT */
/*
 * Report summaries for `ttscreen verify`: a small, strict JSON scanner that
 * reads only the top-level fields of ttscreen-report/1 objects (format,
 * record, verdict, rules, lists, dates) and skips everything else. It does
 * not use jansson on purpose: the record module is the only jansson user,
 * and verification needs nothing more than these few fields. Input is
 * untrusted: nesting depth, sizes and object counts are bounded, every
 * string is decoded and checked (escapes, surrogates, control characters).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ttscreen/sign.h"
#include "util/buf.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

#define REPORT_FORMAT "ttscreen-report/1"

typedef struct scan {
    const char *start, *p, *end;
    tts_error *err;
} scan;

static tts_status fail(scan *sc, const char *what)
{
    int line = 1, col = 1;
    for (const char *q = sc->start; q < sc->p && q < sc->end; q++) {
        if (*q == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)*q & 0xC0) != 0x80) {
            col++;
        }
    }
    tts_err_set(sc->err, TTS_ERR_JSON, "report: line %d, column %d: %s", line, col, what);
    tts_err_locate(sc->err, NULL, line, col);
    return TTS_ERR_JSON;
}

static void skip_ws(scan *sc)
{
    while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' || *sc->p == '\n' || *sc->p == '\r'))
        sc->p++;
}

static int peek(scan *sc)
{
    skip_ws(sc);
    return sc->p < sc->end ? (unsigned char)*sc->p : -1;
}

static int hex4(const char *s, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return 0;
    }
    *out = v;
    return 1;
}

static void put_utf8(tts_buf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    tts_buf_append(b, u, n);
}

/* One \u escape (with its surrogate pair partner), sc->p after the 'u'. */
static tts_status unicode_escape(scan *sc, tts_buf *b)
{
    unsigned cp, lo;
    if (sc->end - sc->p < 4 || !hex4(sc->p, &cp))
        return fail(sc, "bad \\u escape");
    sc->p += 4;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return fail(sc, "lone low surrogate in \\u escape");
    if (cp >= 0xD800 && cp <= 0xDBFF) {
        if (sc->end - sc->p < 6 || sc->p[0] != '\\' || sc->p[1] != 'u' || !hex4(sc->p + 2, &lo) ||
            lo < 0xDC00 || lo > 0xDFFF)
            return fail(sc, "unpaired high surrogate in \\u escape");
        sc->p += 6;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp == 0)
        return fail(sc, "NUL character in a string");
    if (b != NULL)
        put_utf8(b, cp);
    return TTS_OK;
}

/* A string at sc->p ('"'); decoded into *out (caller frees) when out != NULL. */
static tts_status read_string(scan *sc, char **out)
{
    tts_buf b = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    sc->p++;
    while (rc == TTS_OK) {
        const char *q = sc->p;
        while (q < sc->end && *q != '"' && *q != '\\' && (unsigned char)*q >= 0x20)
            q++;
        if (out != NULL)
            tts_buf_append(&b, sc->p, (size_t)(q - sc->p));
        sc->p = q;
        if (q >= sc->end) {
            rc = fail(sc, "unterminated string");
        } else if (*q == '"') {
            sc->p++;
            break;
        } else if ((unsigned char)*q < 0x20) {
            rc = fail(sc, "control character in a string");
        } else {
            const char *esc = "\"\\/bfnrt", *val = "\"\\/\b\f\n\r\t", *k;
            if (++sc->p >= sc->end) {
                rc = fail(sc, "unterminated string");
            } else if (*sc->p == 'u') {
                sc->p++;
                rc = unicode_escape(sc, out != NULL ? &b : NULL);
            } else if ((k = strchr(esc, *sc->p)) != NULL && *k != '\0') {
                if (out != NULL)
                    tts_buf_putc(&b, val[k - esc]);
                sc->p++;
            } else {
                rc = fail(sc, "bad escape in a string");
            }
        }
    }
    if (rc == TTS_OK && out != NULL) {
        tts_buf_putc(&b, '\0');
        if (tts_buf_failed(&b)) {
            rc = tts_err_set(sc->err, TTS_ERR_NOMEM, "out of memory");
        } else {
            *out = tts_buf_steal(&b, NULL);
        }
    }
    tts_buf_free(&b);
    return rc;
}

/* A JSON number; *out gets its value when it is a whole number that fits. */
static tts_status read_number(scan *sc, long *out)
{
    const char *q = sc->p;
    int whole = 1;
    if (q < sc->end && *q == '-')
        q++;
    if (q >= sc->end || *q < '0' || *q > '9')
        return fail(sc, "invalid value");
    if (*q == '0' && q + 1 < sc->end && q[1] >= '0' && q[1] <= '9')
        return fail(sc, "leading zero in a number");
    while (q < sc->end && *q >= '0' && *q <= '9')
        q++;
    if (q < sc->end && *q == '.') {
        whole = 0;
        if (++q >= sc->end || *q < '0' || *q > '9')
            return fail(sc, "bad number");
        while (q < sc->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (q < sc->end && (*q == 'e' || *q == 'E')) {
        whole = 0;
        q++;
        if (q < sc->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= sc->end || *q < '0' || *q > '9')
            return fail(sc, "bad number");
        while (q < sc->end && *q >= '0' && *q <= '9')
            q++;
    }
    if (out != NULL && whole && q - sc->p < 20) {
        char tmp[24];
        memcpy(tmp, sc->p, (size_t)(q - sc->p));
        tmp[q - sc->p] = '\0';
        errno = 0;
        *out = strtol(tmp, NULL, 10);
        if (errno != 0)
            *out = -1;
    }
    sc->p = q;
    return TTS_OK;
}

static tts_status skip_value(scan *sc, int depth);

/* Literal true/false/null. */
static tts_status read_literal(scan *sc)
{
    static const char *const words[] = {"true", "false", "null"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(words[i]);
        if ((size_t)(sc->end - sc->p) >= n && memcmp(sc->p, words[i], n) == 0) {
            sc->p += n;
            return TTS_OK;
        }
    }
    return fail(sc, "invalid value");
}

/* Skip an object or array body, sc->p at its opening bracket. */
static tts_status skip_container(scan *sc, int depth)
{
    char close = *sc->p == '{' ? '}' : ']';
    tts_status rc;
    if (depth >= TTS_REPORT_MAX_DEPTH)
        return fail(sc, "nesting too deep");
    sc->p++;
    if (peek(sc) == close) {
        sc->p++;
        return TTS_OK;
    }
    for (;;) {
        if (close == '}') {
            if (peek(sc) != '"')
                return fail(sc, "expected a member name");
            if ((rc = read_string(sc, NULL)) != TTS_OK)
                return rc;
            if (peek(sc) != ':')
                return fail(sc, "expected ':'");
            sc->p++;
        }
        if ((rc = skip_value(sc, depth + 1)) != TTS_OK)
            return rc;
        if (peek(sc) == ',') {
            sc->p++;
            continue;
        }
        if (peek(sc) == close) {
            sc->p++;
            return TTS_OK;
        }
        return fail(sc, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static tts_status skip_value(scan *sc, int depth)
{
    int c = peek(sc);
    if (c == '{' || c == '[')
        return skip_container(sc, depth);
    if (c == '"')
        return read_string(sc, NULL);
    if (c == '-' || (c >= '0' && c <= '9'))
        return read_number(sc, NULL);
    if (c < 0)
        return fail(sc, "unexpected end of input");
    return read_literal(sc);
}

/* A string member into *dst (replacing a duplicate), any other type skipped. */
static tts_status str_member(scan *sc, char **dst, int depth)
{
    if (peek(sc) != '"')
        return skip_value(sc, depth);
    tts_free(*dst);
    *dst = NULL;
    return read_string(sc, dst);
}

static tts_status long_member(scan *sc, long *dst, int depth)
{
    int c = peek(sc);
    if (c == '-' || (c >= '0' && c <= '9'))
        return read_number(sc, dst);
    return skip_value(sc, depth);
}

/*
 * Walk the members of an object, sc->p at '{', calling fn for each member
 * name with sc->p at its value; fn consumes the value.
 */
typedef tts_status (*member_fn)(scan *sc, const char *name, void *ctx, int depth);

static tts_status walk_object(scan *sc, member_fn fn, void *ctx, int depth)
{
    tts_status rc;
    char *name = NULL;
    if (depth >= TTS_REPORT_MAX_DEPTH)
        return fail(sc, "nesting too deep");
    sc->p++;
    if (peek(sc) == '}') {
        sc->p++;
        return TTS_OK;
    }
    for (;;) {
        if (peek(sc) != '"')
            return fail(sc, "expected a member name");
        if ((rc = read_string(sc, &name)) != TTS_OK)
            return rc;
        if (peek(sc) != ':') {
            tts_free(name);
            return fail(sc, "expected ':'");
        }
        sc->p++;
        rc = fn(sc, name, ctx, depth + 1);
        tts_free(name);
        name = NULL;
        if (rc != TTS_OK)
            return rc;
        if (peek(sc) == ',') {
            sc->p++;
            continue;
        }
        if (peek(sc) == '}') {
            sc->p++;
            return TTS_OK;
        }
        return fail(sc, "expected ',' or '}'");
    }
}

static tts_status record_member(scan *sc, const char *name, void *ctx, int depth)
{
    tts_report_summary *s = ctx;
    if (strcmp(name, "id") == 0)
        return str_member(sc, &s->record_id, depth);
    if (strcmp(name, "title") == 0)
        return str_member(sc, &s->record_title, depth);
    return skip_value(sc, depth);
}

static tts_status rules_member(scan *sc, const char *name, void *ctx, int depth)
{
    tts_report_summary *s = ctx;
    if (strcmp(name, "sha256") == 0)
        return str_member(sc, &s->rules_sha256, depth);
    if (strcmp(name, "count") == 0)
        return long_member(sc, &s->rules_count, depth);
    return skip_value(sc, depth);
}

static tts_status list_member(scan *sc, const char *name, void *ctx, int depth)
{
    tts_report_list_summary *l = ctx;
    if (strcmp(name, "source") == 0)
        return str_member(sc, &l->source, depth);
    if (strcmp(name, "sha256") == 0)
        return str_member(sc, &l->sha256, depth);
    if (strcmp(name, "entries") == 0)
        return long_member(sc, &l->entries, depth);
    if (strcmp(name, "fetched_at") == 0 || (strcmp(name, "imported_at") == 0 && l->version == NULL))
        return str_member(sc, &l->version, depth);
    return skip_value(sc, depth);
}

static void list_clear(tts_report_list_summary *l)
{
    tts_free(l->source);
    tts_free(l->sha256);
    tts_free(l->version);
}

/* The "lists" array: one summary per object element, other elements skipped. */
static tts_status read_lists(scan *sc, tts_report_summary *s, int depth)
{
    tts_status rc;
    if (peek(sc) != '[')
        return skip_value(sc, depth);
    if (depth >= TTS_REPORT_MAX_DEPTH)
        return fail(sc, "nesting too deep");
    sc->p++;
    if (peek(sc) == ']') {
        sc->p++;
        return TTS_OK;
    }
    for (;;) {
        if (peek(sc) == '{') {
            tts_report_list_summary *grown, *l;
            if (s->n_lists >= TTS_REPORT_MAX_LISTS)
                return fail(sc, "too many lists");
            grown = tts_realloc(s->lists, (s->n_lists + 1) * sizeof(*grown));
            if (grown == NULL)
                return tts_err_set(sc->err, TTS_ERR_NOMEM, "out of memory");
            s->lists = grown;
            l = &s->lists[s->n_lists++];
            memset(l, 0, sizeof(*l));
            l->entries = -1;
            rc = walk_object(sc, list_member, l, depth + 1);
        } else {
            rc = skip_value(sc, depth + 1);
        }
        if (rc != TTS_OK)
            return rc;
        if (peek(sc) == ',') {
            sc->p++;
            continue;
        }
        if (peek(sc) == ']') {
            sc->p++;
            return TTS_OK;
        }
        return fail(sc, "expected ',' or ']'");
    }
}

static tts_status top_member(scan *sc, const char *name, void *ctx, int depth)
{
    tts_report_summary *s = ctx;
    if (strcmp(name, "format") == 0)
        return str_member(sc, &s->format, depth);
    if (strcmp(name, "generated_at") == 0)
        return str_member(sc, &s->generated_at, depth);
    if (strcmp(name, "as_of") == 0)
        return str_member(sc, &s->as_of, depth);
    if (strcmp(name, "verdict") == 0)
        return str_member(sc, &s->verdict, depth);
    if (strcmp(name, "record") == 0 && peek(sc) == '{')
        return walk_object(sc, record_member, s, depth);
    if (strcmp(name, "rules") == 0 && peek(sc) == '{')
        return walk_object(sc, rules_member, s, depth);
    if (strcmp(name, "lists") == 0)
        return read_lists(sc, s, depth);
    return skip_value(sc, depth);
}

static void summary_clear(tts_report_summary *s)
{
    tts_free(s->format);
    tts_free(s->generated_at);
    tts_free(s->as_of);
    tts_free(s->record_id);
    tts_free(s->record_title);
    tts_free(s->verdict);
    tts_free(s->rules_sha256);
    for (size_t i = 0; i < s->n_lists; i++)
        list_clear(&s->lists[i]);
    tts_free(s->lists);
    memset(s, 0, sizeof(*s));
}

void tts_report_summaries_free(tts_report_summary *s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        summary_clear(&s[i]);
    tts_free(s);
}

tts_status tts_report_summarize(const char *data, size_t len, tts_report_summary **out,
                                size_t *n, tts_error *err)
{
    scan sc = {data, data, data + len, err};
    tts_report_summary *arr = NULL, cur;
    size_t count = 0;
    tts_status rc = TTS_OK;
    *out = NULL;
    *n = 0;
    memset(&cur, 0, sizeof(cur));
    while (peek(&sc) >= 0) {
        if (*sc.p != '{') {
            rc = fail(&sc, "expected a JSON object");
            goto out;
        }
        memset(&cur, 0, sizeof(cur));
        cur.rules_count = -1;
        TTS_TRY(walk_object(&sc, top_member, &cur, 0));
        if (cur.format == NULL || strcmp(cur.format, REPORT_FORMAT) != 0) {
            summary_clear(&cur);
            continue;
        }
        if (count >= TTS_REPORT_MAX_RECORDS) {
            rc = fail(&sc, "too many reports");
            goto out;
        }
        {
            tts_report_summary *grown = tts_realloc(arr, (count + 1) * sizeof(*grown));
            if (grown == NULL) {
                rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
                goto out;
            }
            arr = grown;
        }
        arr[count++] = cur;
        memset(&cur, 0, sizeof(cur));
    }
    *out = arr;
    *n = count;
    arr = NULL;
    count = 0;
out:
    summary_clear(&cur);
    tts_report_summaries_free(arr, count);
    return rc;
}
