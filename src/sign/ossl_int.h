/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the files of the OpenSSL boundary (ossl.c implements
 * them; cms.c, keygen.c and tsa.c use them); no other folder includes this
 * header.
 */
#ifndef TTS_SIGN_INT_H
#define TTS_SIGN_INT_H

#include <stddef.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/evp.h>
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

/*
 * Load a private key: permission check on the opened file (refused when
 * group or others may read it, unless `insecure`), PEM decode (encrypted
 * PKCS #8 needs `pass`), buffer wiped afterwards.
 */
tts_status tts_sign_load_key(const char *path, const char *pass, int insecure, EVP_PKEY **out,
                             tts_error *err);

/* Every certificate in a PEM file; at least one. */
tts_status tts_sign_load_certs(const char *path, STACK_OF(X509) **out, tts_error *err);

/* SHA-256 of a certificate's DER as lower-case hex into out[65] ("" when it fails). */
void tts_sign_cert_fingerprint(const X509 *x, char out[65]);

/* The key's algorithm and size as text: "P-256", "RSA-3072", "Ed25519", ... */
void tts_sign_key_text(EVP_PKEY *pk, char *out, size_t size);

#endif
