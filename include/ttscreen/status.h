/* SPDX-License-Identifier: MIT */
/*
 * Status codes and error details shared by every ttscreen entry point.
 * Every fallible function returns a tts_status; detail goes into a
 * caller-owned tts_error (first error recorded wins). Status values are
 * append-only: never renumber a released value.
 */
#ifndef TTS_STATUS_H
#define TTS_STATUS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define TTS_API __attribute__((visibility("default")))
#else
#define TTS_API
#endif

typedef enum tts_status {
    TTS_OK = 0,
    TTS_ERR_NOMEM = 1,
    TTS_ERR_IO = 2,
    TTS_ERR_SYNTAX = 3,
    TTS_ERR_SEMANTIC = 4,
    TTS_ERR_LIMIT = 5,
    TTS_ERR_JSON = 6,
    TTS_ERR_DB = 7,
    TTS_ERR_NET = 8,
    TTS_ERR_CRYPTO = 9,
    TTS_ERR_VERIFY = 10,
    TTS_ERR_ARG = 11,
    TTS_ERR_INTERNAL = 12,
    TTS_ERR_EOF = 13 /* no more records in a stream; not an error */
} tts_status;

typedef struct tts_error {
    tts_status status; /* TTS_OK while nothing was recorded */
    char source[256];  /* file name, or "" */
    int line;          /* 1-based, 0 when unknown */
    int column;        /* 1-based, 0 when unknown */
    size_t offset;     /* byte offset of the offending span */
    size_t length;     /* length of the offending span, 0 when unknown */
    char message[512]; /* complete one-line message, ready to print */
} tts_error;

/* Static, never NULL. */
TTS_API const char *tts_strerror(tts_status status);

/* Reset *err to "no error". */
TTS_API void tts_error_clear(tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
