/* SPDX-License-Identifier: MIT */
/*
 * Growable buffer. Growth doubles capacity; a failed allocation sets a
 * sticky flag and later appends are ignored, so callers check once.
 */
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "util/mem.h"

void tts_buf_free(tts_buf *b)
{
    tts_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void tts_buf_reset(tts_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

int tts_buf_failed(const tts_buf *b)
{
    return b->failed;
}

/* Make room for n more bytes plus a NUL; returns 0 on failure. */
static int reserve(tts_buf *b, size_t n)
{
    size_t want, cap;
    char *p;
    if (b->failed)
        return 0;
    if (n > (size_t)-1 - b->len - 1) {
        b->failed = 1;
        return 0;
    }
    want = b->len + n + 1;
    if (want <= b->cap)
        return 1;
    cap = b->cap ? b->cap : 64;
    while (cap < want)
        cap = cap > ((size_t)-1) / 2 ? want : cap * 2;
    p = tts_realloc(b->data, cap);
    if (p == NULL) {
        b->failed = 1;
        return 0;
    }
    b->data = p;
    b->cap = cap;
    return 1;
}

/* The room check of reserve, inline: most appends fit (cap > len whenever data is set). */
#define HAS_ROOM(b, n) (!(b)->failed && (b)->cap > 0 && (n) < (b)->cap - (b)->len)

void tts_buf_append(tts_buf *b, const char *s, size_t n)
{
    if (!HAS_ROOM(b, n) && !reserve(b, n))
        return;
    if (n > 0)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void tts_buf_puts(tts_buf *b, const char *s)
{
    tts_buf_append(b, s, strlen(s));
}

void tts_buf_putc(tts_buf *b, char c)
{
    if (!HAS_ROOM(b, 1) && !reserve(b, 1))
        return;
    b->data[b->len++] = c;
    b->data[b->len] = '\0';
}

void tts_buf_vprintf(tts_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    size_t room;
    int n;
    if (b->failed)
        return;
    /* one pass when the text fits in the room already there (the usual case: a
       buffer grows by doubling), a second only after growing */
    room = b->cap > b->len ? b->cap - b->len : 0;
    va_copy(ap2, ap);
    n = vsnprintf(room > 0 ? b->data + b->len : NULL, room, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        b->failed = 1;
        if (room > 0)
            b->data[b->len] = '\0';
        return;
    }
    if ((size_t)n >= room) {
        if (!reserve(b, (size_t)n)) {
            if (room > 0)
                b->data[b->len] = '\0';
            return;
        }
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    }
    b->len += (size_t)n;
}

void tts_buf_put_uint(tts_buf *b, unsigned long long v)
{
    char digits[24];
    size_t n = sizeof(digits);
    do {
        digits[--n] = (char)('0' + v % 10);
        v /= 10;
    } while (v > 0);
    tts_buf_append(b, digits + n, sizeof(digits) - n);
}

void tts_buf_put_utf8(tts_buf *b, unsigned cp)
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

void tts_buf_put_int(tts_buf *b, long long v)
{
    if (v < 0) {
        tts_buf_putc(b, '-');
        /* negated in unsigned arithmetic: LLONG_MIN has no positive long long */
        tts_buf_put_uint(b, 0ULL - (unsigned long long)v);
        return;
    }
    tts_buf_put_uint(b, (unsigned long long)v);
}

void tts_buf_printf(tts_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tts_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void tts_buf_json_str(tts_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    const unsigned char *p = (const unsigned char *)s;
    char *o;
    /* room for the string as it is and its quotes, reserved once, written in place (every
       field of every report comes here); an escape reserves the rest again */
    if (n > (size_t)-1 - 3) {
        b->failed = 1;
        return;
    }
    if (!HAS_ROOM(b, n + 2) && !reserve(b, n + 2))
        return;
    o = b->data + b->len;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = p[i];
        if (c >= 0x20 && c != '"' && c != '\\' && c != 0x7f) {
            *o++ = (char)c;
            continue;
        }
        /* the escape takes up to 6 bytes where 1 was reserved */
        b->len = (size_t)(o - b->data);
        if (!reserve(b, (n - i) + 6 + 1)) {
            b->data[b->len] = '\0';
            return;
        }
        o = b->data + b->len;
        *o++ = '\\';
        switch (c) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        default:
            *o++ = 'u';
            *o++ = '0';
            *o++ = '0';
            *o++ = hex[c >> 4];
            *o++ = hex[c & 15];
            break;
        }
    }
    *o++ = '"';
    *o = '\0';
    b->len = (size_t)(o - b->data);
}

void tts_buf_json_cstr(tts_buf *b, const char *s)
{
    if (s == NULL)
        tts_buf_puts(b, "null");
    else
        tts_buf_json_str(b, s, strlen(s));
}

void tts_buf_json_field(tts_buf *b, const char *key, const char *value, int comma)
{
    if (comma)
        tts_buf_putc(b, ',');
    tts_buf_json_cstr(b, key);
    tts_buf_putc(b, ':');
    tts_buf_json_cstr(b, value);
}

char *tts_buf_steal(tts_buf *b, size_t *len)
{
    char *d = b->data;
    if (len != NULL)
        *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return d;
}

size_t tts_text_unfit(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i] != 0) {
        unsigned c = p[i], n, cp;
        if (c < 0x20 || c == 0x7f)
            return i + 1;
        if (c < 0x80) {
            i++;
            continue;
        }
        n = c >= 0xf0 && c <= 0xf4 ? 3 : c >= 0xe0 ? 2 : c >= 0xc2 && c < 0xe0 ? 1 : 0;
        if (n == 0 || c > 0xf4)
            return i + 1;
        cp = c & (0x3fu >> n);
        for (unsigned k = 1; k <= n; k++) {
            if ((p[i + k] & 0xc0) != 0x80)
                return i + 1;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        /* overlong forms, surrogates, beyond U+10FFFF, C1 controls */
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
            return i + 1;
        i += n + 1;
    }
    return 0;
}
