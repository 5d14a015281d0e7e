/* SPDX-License-Identifier: MIT */
/*
 * The only OpenSSL user: digests (SHA-256) for records, rule sets and list
 * content; key generation, signatures and verification of reports (the
 * public part is include/ttscreen/sign.h).
 */
#ifndef TTS_SIGN_H
#define TTS_SIGN_H

#include <stddef.h>

#include "ttscreen/sign.h"
#include "ttscreen/status.h"

typedef struct tts_sha256 tts_sha256;

/* New incremental SHA-256; NULL when out of memory or OpenSSL fails. */
tts_sha256 *tts_sha256_new(void);
tts_status tts_sha256_update(tts_sha256 *h, const void *data, size_t len);
/* Finish into lower-case hex out[65] and free h (also on failure). */
tts_status tts_sha256_final(tts_sha256 *h, char out[65]);
/* Accepts NULL; frees an unfinished hash. */
void tts_sha256_free(tts_sha256 *h);

/* One-shot SHA-256 of data into lower-case hex out[65]. */
tts_status tts_sha256_hex(const void *data, size_t len, char out[65], tts_error *err);

/* The version of OpenSSL (libcrypto) linked at run time, into out[cap] (for --version). */
void tts_sign_lib_version(char *out, size_t cap);

#endif
