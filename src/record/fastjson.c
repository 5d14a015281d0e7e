/* SPDX-License-Identifier: MIT */
/*
 * Fast path in front of jansson's parser (see fastjson.h). A recursive
 * descent over the bytes; values are made by jansson's constructors.
 * Strings without escapes go to jansson straight from the input; strings
 * with escapes are decoded into one scratch buffer per parse, used as a
 * stack (a key decoded there stays until its member is set, so it is found
 * again by offset: the buffer may move while the value is parsed).
 *
 * What jansson 2.14 accepts, as mirrored here (anything else gives NULL):
 * whitespace is space, tab, LF, CR; strings are strict UTF-8 (no overlong
 * forms, no UTF-8-encoded surrogates, nothing above U+10FFFF), no byte below
 * 0x20, escapes \" \\ \/ \b \f \n \r \t \uXXXX (hex in either case; a high
 * surrogate must be followed by an escaped low one; \u0000 is refused);
 * numbers are -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, an integer
 * (json_int_t, out of range refused) when there is no '.', 'e' or 'E', a
 * real read by strtod otherwise (overflow refused, underflow taken).
 *
 * A jansson 2.14 quirk not copied: a NUL byte right after a number or after
 * true/false/null is skipped (its stream takes the NUL it ungets for an
 * empty buffer), so it accepts "[1\0]" as [1]. Here any NUL byte gives up,
 * and jansson then does what it always did.
 */
#include "record/fastjson.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

#if !JSON_INTEGER_IS_LONG_LONG
#error "fastjson assumes json_int_t is long long"
#endif

typedef struct parser {
    const unsigned char *p;   /* next byte */
    const unsigned char *end; /* one past the last byte */
    int depth;                /* arrays and objects open around p */
    tts_buf scratch;          /* decoded strings, a stack (see the top of the file) */
} parser;

/* A string just read: straight from the input, or at scratch.data + off. */
typedef struct str {
    const char *ptr; /* when !in_scratch */
    size_t off;      /* when in_scratch */
    size_t len;
    int in_scratch;
} str;

static json_t *parse_value(parser *s);

static void skip_ws(parser *s)
{
    const unsigned char *p = s->p, *end = s->end;
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    s->p = p;
}

/* Drop what the scratch stack holds above off. */
static void release(parser *s, size_t off)
{
    s->scratch.len = off;
    if (s->scratch.data != NULL)
        s->scratch.data[off] = '\0';
}

/*
 * Length of the valid UTF-8 sequence at p (p[0] >= 0x80), or 0 when it is
 * not one jansson accepts (utf8_check_first/utf8_check_full of 2.14).
 */
static size_t utf8_seq(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t avail = (size_t)(end - p);
    if (c < 0xC2)
        return 0; /* a continuation byte, or an overlong 2-byte lead */
    if (c < 0xE0)
        return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0; /* overlong; a surrogate */
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 || (p[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
            return 0; /* overlong; above U+10FFFF */
        return 4;
    }
    return 0;
}

#define ONES UINT64_C(0x0101010101010101)
#define HIGHS UINT64_C(0x8080808080808080)

/*
 * From p inside a string, the first '"' or '\\', having checked the bytes
 * before it; NULL at a control character, invalid UTF-8 or the end of the
 * input. Eight plain ASCII bytes are passed at once: a word needs a closer
 * look when a byte has its high bit set, is below 0x20 (subtracting 0x20
 * borrows), or is '"' or '\\' (xor makes it 0, subtracting 1 borrows); with
 * no high bit set anywhere no other byte can set one.
 */
static const unsigned char *scan_run(const unsigned char *p, const unsigned char *end)
{
    for (;;) {
        unsigned c;
        size_t n;
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, sizeof(w));
            if (((w | (w - ONES * 0x20) | ((w ^ (ONES * '"')) - ONES) |
                  ((w ^ (ONES * '\\')) - ONES)) &
                 HIGHS) != 0)
                break;
            p += 8;
        }
        if (p >= end)
            return NULL;
        c = *p;
        if (c == '"' || c == '\\')
            return p;
        if (c < 0x20)
            return NULL;
        if (c < 0x80) {
            p++;
            continue;
        }
        n = utf8_seq(p, end);
        if (n == 0)
            return NULL;
        p += n;
    }
}

static int hex4(const unsigned char *p, unsigned *out)
{
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
            d = (c | 0x20) - 'a' + 10;
        else
            return 0;
        v = v << 4 | d;
    }
    *out = v;
    return 1;
}

/*
 * The escape at q (q[0] == '\\') decoded onto the scratch stack; returns
 * the byte after it, or NULL when jansson would refuse it.
 */
static const unsigned char *unescape(parser *s, const unsigned char *q)
{
    unsigned cp, lo;
    char c;
    if (s->end - q < 2)
        return NULL;
    switch (q[1]) {
    case '"':
    case '\\':
    case '/':
        c = (char)q[1];
        break;
    case 'b':
        c = '\b';
        break;
    case 'f':
        c = '\f';
        break;
    case 'n':
        c = '\n';
        break;
    case 'r':
        c = '\r';
        break;
    case 't':
        c = '\t';
        break;
    case 'u':
        if (s->end - q < 6 || !hex4(q + 2, &cp))
            return NULL;
        q += 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s->end - q < 6 || q[0] != '\\' || q[1] != 'u' || !hex4(q + 2, &lo) || lo < 0xDC00 ||
                lo > 0xDFFF)
                return NULL;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            q += 6;
        } else if ((cp >= 0xDC00 && cp <= 0xDFFF) || cp == 0) {
            return NULL; /* a lone low surrogate; NUL, refused without JSON_ALLOW_NUL */
        }
        tts_buf_put_utf8(&s->scratch, cp);
        return q;
    default:
        return NULL;
    }
    tts_buf_putc(&s->scratch, c);
    return q + 2;
}

/* The string whose opening quote is just behind s->p; 0 when jansson would refuse it. */
static int parse_string(parser *s, str *out)
{
    const unsigned char *start = s->p, *q = scan_run(start, s->end);
    tts_buf *b = &s->scratch;
    size_t base = b->len;
    if (q == NULL)
        return 0;
    if (*q == '"') {
        out->ptr = (const char *)start;
        out->len = (size_t)(q - start);
        out->in_scratch = 0;
        s->p = q + 1;
        return 1;
    }
    for (;;) {
        tts_buf_append(b, (const char *)start, (size_t)(q - start));
        if (*q == '"')
            break;
        if ((start = unescape(s, q)) == NULL || (q = scan_run(start, s->end)) == NULL)
            return 0;
    }
    if (tts_buf_failed(b))
        return 0;
    out->ptr = NULL;
    out->off = base;
    out->len = b->len - base;
    out->in_scratch = 1;
    s->p = q + 1;
    return 1;
}

static int is_digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && *p >= '0' && *p <= '9';
}

static json_t *parse_number(parser *s)
{
    const unsigned char *p = s->p, *end = s->end, *start = p, *digits, *int_end;
    int neg = 0, is_real = 0;
    if (*p == '-') {
        neg = 1;
        p++;
    }
    digits = p;
    if (!is_digit(p, end))
        return NULL;
    if (*p++ != '0')
        while (is_digit(p, end))
            p++;
    int_end = p; /* a digit after a leading 0 ends the number: the caller then fails */
    if (p < end && *p == '.') {
        p++;
        if (!is_digit(p, end))
            return NULL;
        while (is_digit(p, end))
            p++;
        is_real = 1;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (!is_digit(p, end))
            return NULL;
        while (is_digit(p, end))
            p++;
        is_real = 1;
    }
    s->p = p;
    if (!is_real) {
        /* jansson: strtoll, ERANGE an error; at most 19 digits fit an unsigned 64 bits */
        uint64_t u = 0;
        if (int_end - digits > 19)
            return NULL;
        for (const unsigned char *d = digits; d < int_end; d++)
            u = u * 10 + (uint64_t)(*d - '0');
        if (neg) {
            if (u > (uint64_t)LLONG_MAX + 1)
                return NULL;
            return json_integer(u == (uint64_t)LLONG_MAX + 1 ? LLONG_MIN : -(json_int_t)u);
        }
        if (u > (uint64_t)LLONG_MAX)
            return NULL;
        return json_integer((json_int_t)u);
    } else {
        /*
         * jansson (jsonp_strtod): strtod after turning '.' into the locale's
         * decimal point; ERANGE with +-HUGE_VAL (overflow) is its error,
         * ERANGE otherwise (underflow: 0 or a subnormal) is taken as strtod
         * gives it. Here strtod must also read the whole text, so a locale
         * whose decimal point is not '.' gives up.
         */
        char text[128], *e;
        size_t n = (size_t)(p - start);
        double d;
        if (n >= sizeof(text))
            return NULL;
        memcpy(text, start, n);
        text[n] = '\0';
        errno = 0;
        d = strtod(text, &e);
        if (e != text + n || (errno == ERANGE && (d == HUGE_VAL || d == -HUGE_VAL)))
            return NULL;
        return json_real(d);
    }
}

/* After an array's or object's member: 1 past its `close`, 0 past a comma (another member
   follows), -1 for anything else. */
static int after_member(parser *s, char close)
{
    skip_ws(s);
    if (s->p >= s->end)
        return -1;
    if (*s->p == (unsigned char)close) {
        s->p++;
        return 1;
    }
    if (*s->p != ',')
        return -1;
    s->p++;
    skip_ws(s);
    return 0;
}

static json_t *parse_array(parser *s)
{
    json_t *a = json_array(), *v;
    if (a == NULL)
        return NULL;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return a;
    }
    for (;;) {
        int after;
        if ((v = parse_value(s)) == NULL || json_array_append_new(a, v) != 0)
            break;
        if ((after = after_member(s, ']')) > 0)
            return a;
        if (after < 0)
            break;
    }
    json_decref(a);
    return NULL;
}

static json_t *parse_object(parser *s)
{
    json_t *o = json_object(), *v;
    if (o == NULL)
        return NULL;
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return o;
    }
    for (;;) {
        str k;
        const char *key;
        size_t n;
        int after;
        if (s->p >= s->end || *s->p != '"')
            break;
        s->p++;
        if (!parse_string(s, &k))
            break;
        skip_ws(s);
        if (s->p >= s->end || *s->p != ':')
            break;
        s->p++;
        skip_ws(s);
        if ((v = parse_value(s)) == NULL)
            break;
        key = k.in_scratch ? s->scratch.data + k.off : k.ptr;
        n = json_object_size(o);
        if (json_object_setn_new_nocheck(o, key, k.len, v) != 0) /* takes v either way */
            break;
        if (json_object_size(o) == n)
            break; /* a duplicate key replaced a member: jansson's error */
        if (k.in_scratch)
            release(s, k.off);
        if ((after = after_member(s, '}')) > 0)
            return o;
        if (after < 0)
            break;
    }
    json_decref(o);
    return NULL;
}

/* The value at s->p (whitespace before it already skipped). */
static json_t *parse_value(parser *s)
{
    const unsigned char *p = s->p;
    size_t left = (size_t)(s->end - p);
    json_t *v;
    str t;
    if (left == 0)
        return NULL;
    switch (*p) {
    case '{':
    case '[':
        if (++s->depth > TTS_FASTJSON_MAX_DEPTH)
            return NULL;
        v = *p == '{' ? parse_object(s) : parse_array(s);
        s->depth--;
        return v;
    case '"':
        s->p++;
        if (!parse_string(s, &t))
            return NULL;
        if (!t.in_scratch)
            return json_stringn_nocheck(t.ptr, t.len);
        v = json_stringn_nocheck(s->scratch.data + t.off, t.len);
        release(s, t.off);
        return v;
    case 't':
        if (left < 4 || memcmp(p, "true", 4) != 0)
            return NULL;
        s->p += 4;
        return json_true();
    case 'f':
        if (left < 5 || memcmp(p, "false", 5) != 0)
            return NULL;
        s->p += 5;
        return json_false();
    case 'n':
        if (left < 4 || memcmp(p, "null", 4) != 0)
            return NULL;
        s->p += 4;
        return json_null();
    default:
        if (*p == '-' || (*p >= '0' && *p <= '9'))
            return parse_number(s);
        return NULL;
    }
}

json_t *tts_json_fast_parse(const char *data, size_t len)
{
    parser s;
    json_t *v;
    if (data == NULL)
        return NULL;
    s.p = (const unsigned char *)data;
    s.end = s.p + len;
    s.depth = 0;
    s.scratch = (tts_buf)TTS_BUF_INIT;
    skip_ws(&s);
    v = parse_value(&s);
    if (v != NULL) {
        skip_ws(&s);
        if (s.p != s.end) {
            json_decref(v);
            v = NULL;
        }
    }
    tts_buf_free(&s.scratch);
    return v;
}
