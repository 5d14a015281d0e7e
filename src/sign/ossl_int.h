/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of the OpenSSL boundary (sign.c and
 * sign_tsa.c); no other module includes this header.
 */
#ifndef TTS_SIGN_INT_H
#define TTS_SIGN_INT_H

#include <stddef.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/x509.h>

#include "ttscreen/status.h"

/*
 * Record an error "what (OpenSSL's innermost reason)" and clear OpenSSL's
 * error queue; returns status.
 */
tts_status tts_sign_ossl_fail(tts_error *err, tts_status status, const char *what);

/* One-line subject or issuer, control characters escaped, UTF-8 kept. */
void tts_sign_name_text(const X509_NAME *name, char *out, size_t size);

/* ASN1_TIME to RFC 3339 UTC text (out[32]) and time_t; 0 when unusable. */
int tts_sign_asn1_time(const ASN1_TIME *t, char out[32], time_t *tt);

#endif
