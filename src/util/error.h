/* SPDX-License-Identifier: MIT */
/*
 * Recording errors into a caller's tts_error. The first error recorded
 * wins: later calls leave an already-set error alone, so the innermost,
 * most precise message reaches the user.
 */
#ifndef TTS_ERROR_H
#define TTS_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#include "ttscreen/status.h"

/*
 * Record `status` with a printf-style one-line message (the complete text
 * the user sees). err may be NULL. Returns status, for `return tts_err_set(...)`.
 */
tts_status tts_err_set(tts_error *err, tts_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
tts_status tts_err_vset(tts_error *err, tts_status status, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Set source/line/column of an error already recorded (no-op when err is NULL). */
void tts_err_locate(tts_error *err, const char *source, int line, int column);

/*
 * The len bytes at in, made fit for a one-line message into out (n bytes,
 * NUL-terminated, cut short when full): control bytes (below 0x20, and
 * 0x7f) become \xNN, so quoted input can neither break the line nor reach
 * a terminal as an escape sequence.
 */
void tts_err_printable(const char *in, size_t len, char *out, size_t n);

/* Propagation macro: assign rc, jump to out on failure. */
#define TTS_TRY(expr)                                                                      \
    do {                                                                                   \
        rc = (expr);                                                                       \
        if (rc != TTS_OK)                                                                  \
            goto out;                                                                      \
    } while (0)

/* Set rc to expr (a tts_err_set(...) call) and leave through `out` unconditionally:
 * unlike TTS_TRY(tts_err_set(...)), analysers see that the path ends there. */
#define TTS_FAIL(expr)                                                                     \
    do {                                                                                   \
        rc = (expr);                                                                       \
        goto out;                                                                          \
    } while (0)

#endif
