/* SPDX-License-Identifier: MIT */
/*
 * Growable byte buffer with a sticky out-of-memory flag: append freely,
 * check tts_buf_failed() once at the end. Also JSON string escaping, used
 * by every module that writes JSON by hand.
 */
#ifndef TTS_BUF_H
#define TTS_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct tts_buf {
    char *data; /* NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
    int failed; /* an allocation failed; contents are incomplete */
} tts_buf;

#define TTS_BUF_INIT {NULL, 0, 0, 0}

void tts_buf_free(tts_buf *b);
void tts_buf_reset(tts_buf *b);
int tts_buf_failed(const tts_buf *b);
void tts_buf_append(tts_buf *b, const char *s, size_t n);
void tts_buf_puts(tts_buf *b, const char *s);
void tts_buf_putc(tts_buf *b, char c);
void tts_buf_printf(tts_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tts_buf_vprintf(tts_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append an integer in decimal (no printf: these are written for every field of a record). */
void tts_buf_put_uint(tts_buf *b, unsigned long long v);
void tts_buf_put_int(tts_buf *b, long long v);
/* Append code point cp (at most U+10FFFF, not a surrogate: the caller checks) in UTF-8. */
void tts_buf_put_utf8(tts_buf *b, unsigned cp);
/* Append s (n bytes, valid UTF-8 assumed) as a quoted JSON string. */
void tts_buf_json_str(tts_buf *b, const char *s, size_t n);
/* tts_buf_json_str of a NUL-terminated string, or `null` when s is NULL. */
void tts_buf_json_cstr(tts_buf *b, const char *s);
/* Append `"key":` and the value as a JSON string (null when NULL), after a comma when comma. */
void tts_buf_json_field(tts_buf *b, const char *key, const char *value, int comma);
/*
 * Text fit to store and show: valid UTF-8 with no control character (C0,
 * DEL, C1; a line break or an escape in a name could forge a line of
 * output or drive a terminal). Returns 0 when fit, else 1 + the byte offset
 * of the first offending byte.
 */
size_t tts_text_unfit(const char *s);

/* Hand the data to the caller (may be NULL if nothing was appended) and reset. */
char *tts_buf_steal(tts_buf *b, size_t *len);

#endif
