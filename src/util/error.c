/* SPDX-License-Identifier: MIT */
/*
 * Status names and error recording. Messages are truncated to the size of
 * tts_error.message on a UTF-8 boundary, never mid-character.
 */
#include "util/error.h"

#include <stdio.h>
#include <string.h>

const char *tts_strerror(tts_status status)
{
    switch (status) {
    case TTS_OK: return "success";
    case TTS_ERR_NOMEM: return "out of memory";
    case TTS_ERR_IO: return "input/output error";
    case TTS_ERR_SYNTAX: return "syntax error";
    case TTS_ERR_SEMANTIC: return "semantic error";
    case TTS_ERR_LIMIT: return "limit exceeded";
    case TTS_ERR_JSON: return "invalid JSON input";
    case TTS_ERR_DB: return "database error";
    case TTS_ERR_NET: return "network error";
    case TTS_ERR_CRYPTO: return "cryptographic error";
    case TTS_ERR_VERIFY: return "verification failed";
    case TTS_ERR_ARG: return "invalid argument";
    case TTS_ERR_INTERNAL: return "internal error";
    case TTS_ERR_EOF: return "end of input";
    }
    return "unknown error";
}

void tts_error_clear(tts_error *err)
{
    if (err != NULL)
        memset(err, 0, sizeof(*err));
}

/* Cut a string at the last complete UTF-8 character that fits. */
static void trim_utf8(char *s)
{
    size_t n = strlen(s), i = n;
    if (n == 0)
        return;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
        i--;
    if (i > 0) {
        unsigned char lead = (unsigned char)s[i - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (n - (i - 1) < want)
            s[i - 1] = '\0';
    }
}

tts_status tts_err_vset(tts_error *err, tts_status status, const char *fmt, va_list ap)
{
    int n;
    if (err == NULL || err->status != TTS_OK)
        return status;
    err->status = status;
    n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
    if (n >= (int)sizeof(err->message))
        trim_utf8(err->message);
    /* One line: fold any newline the inputs smuggled in. */
    for (char *p = err->message; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
    return status;
}

void tts_err_printable(const char *in, size_t len, char *out, size_t n)
{
    size_t o = 0;
    if (n == 0)
        return;
    for (size_t i = 0; i < len && o + 5 < n; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c < 0x20 || c == 0x7f)
            o += (size_t)snprintf(out + o, n - o, "\\x%02x", c);
        else
            out[o++] = (char)c;
    }
    out[o] = '\0';
}

tts_status tts_err_set(tts_error *err, tts_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tts_err_vset(err, status, fmt, ap);
    va_end(ap);
    return status;
}

void tts_err_locate(tts_error *err, const char *source, int line, int column)
{
    if (err == NULL)
        return;
    if (source != NULL)
        snprintf(err->source, sizeof(err->source), "%s", source);
    err->line = line;
    err->column = column;
}
