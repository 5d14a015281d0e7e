/* SPDX-License-Identifier: MIT */
/*
 * OpenSSL (libcrypto) boundary, its base: SHA-256 digests, errors, pass
 * phrases, loading keys and certificates, and the helpers the signing and
 * verification (cms.c), key generation (keygen.c) and timestamp (tsa.c)
 * files share through ossl_int.h. Every OpenSSL
 * object is freed on all paths and OpenSSL errors are translated into a
 * tts_status with a one-line message here, never leaked upward. Private
 * key bytes live only in buffers that are wiped (OPENSSL_cleanse) before
 * they are freed, and never appear in a message. Files are written through
 * tts_fileio_write_atomic(): a temporary file created with its final mode,
 * then rename() (replace) or link() (create only).
 */
#include "sign/ossl.h"

#include <stdio.h>
#include <stdlib.h>
#include <pthread.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h> /* before cms.h: it declares PEM_*_CMS only after pem.h */
#include <openssl/x509.h>
#include <openssl/crypto.h>

#include "util/dates.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/fileio.h"
#include "util/mem.h"
#include "sign/ossl_int.h"

/* Bounds on what we read into memory: keys, certificates, signatures. */

/* ------------------------------------------------------------------ SHA-256 */

struct tts_sha256 {
    EVP_MD_CTX *ctx;
};

/*
 * SHA-256 fetched from the provider once: EVP_sha256() in a digest's set-up
 * fetches it again on every call, a cost as large as hashing a list entry.
 */
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;
static EVP_MD *sha256_fetched;

static void fetch_sha256(void)
{
    sha256_fetched = EVP_MD_fetch(NULL, "SHA256", NULL);
}

static const EVP_MD *sha256_md(void)
{
    pthread_once(&sha256_once, fetch_sha256);
    return sha256_fetched != NULL ? sha256_fetched : EVP_sha256();
}

tts_sha256 *tts_sha256_new(void)
{
    tts_sha256 *h = tts_calloc(1, sizeof(*h));
    if (h == NULL)
        return NULL;
    h->ctx = EVP_MD_CTX_new();
    if (h->ctx == NULL || EVP_DigestInit_ex(h->ctx, sha256_md(), NULL) != 1) {
        tts_sha256_free(h);
        return NULL;
    }
    return h;
}

tts_status tts_sha256_update(tts_sha256 *h, const void *data, size_t len)
{
    if (len == 0)
        return TTS_OK;
    return EVP_DigestUpdate(h->ctx, data, len) == 1 ? TTS_OK : TTS_ERR_CRYPTO;
}

tts_status tts_sha256_final(tts_sha256 *h, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    tts_status rc = TTS_ERR_CRYPTO;
    if (EVP_DigestFinal_ex(h->ctx, md, &n) == 1 && n == 32) {
        for (unsigned int i = 0; i < n; i++) {
            out[2 * i] = hex[md[i] >> 4];
            out[2 * i + 1] = hex[md[i] & 15];
        }
        out[64] = '\0';
        rc = TTS_OK;
    }
    tts_sha256_free(h);
    return rc;
}

void tts_sha256_free(tts_sha256 *h)
{
    if (h == NULL)
        return;
    EVP_MD_CTX_free(h->ctx);
    tts_free(h);
}

tts_status tts_sha256_hex(const void *data, size_t len, char out[65], tts_error *err)
{
    tts_sha256 *h = tts_sha256_new();
    if (h == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory computing SHA-256");
    if (tts_sha256_update(h, data, len) != TTS_OK) {
        tts_sha256_free(h);
        return tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
    }
    if (tts_sha256_final(h, out) != TTS_OK)
        return tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
    return TTS_OK;
}

/* ------------------------------------------------------------ error helpers */

/*
 * Record an error with OpenSSL's innermost reason appended, then clear
 * OpenSSL's queue so nothing stale reaches a later call.
 */
tts_status tts_sign_ossl_fail(tts_error *err, tts_status status, const char *what)
{
    unsigned long e = ERR_peek_last_error();
    const char *reason = e != 0 ? ERR_reason_error_string(e) : NULL;
    if (reason != NULL)
        tts_err_set(err, status, "%s (%s)", what, reason);
    else
        tts_err_set(err, status, "%s", what);
    ERR_clear_error();
    return status;
}

/* Wipe then free a buffer that may have held key material. */
static void free_secret(void *p, size_t len)
{
    if (p == NULL)
        return;
    OPENSSL_cleanse(p, len);
    tts_free(p);
}

/* ------------------------------------------------------------- passphrases */

tts_status tts_pass_load(const char *spec, const char *env_value, char **out, tts_error *err)
{
    char *data = NULL;
    size_t len = 0, n;
    tts_status rc;
    *out = NULL;
    if (spec == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "--pass: missing value");
    if (strncmp(spec, "env:", 4) == 0) {
        if (spec[4] == '\0')
            return tts_err_set(err, TTS_ERR_ARG, "--pass env: names no variable");
        if (env_value == NULL || env_value[0] == '\0')
            return tts_err_set(err, TTS_ERR_ARG, "--pass: environment variable %s is not set",
                               spec + 4);
        if (strlen(env_value) > TTS_PASS_MAX_BYTES)
            return tts_err_set(err, TTS_ERR_LIMIT, "--pass: passphrase longer than %d bytes",
                               TTS_PASS_MAX_BYTES);
        *out = tts_strdup(env_value);
        return *out != NULL ? TTS_OK : tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    if (strncmp(spec, "file:", 5) != 0)
        return tts_err_set(err, TTS_ERR_ARG,
                           "--pass: expected env:VAR or file:PATH (a passphrase is never "
                           "given on the command line)");
    rc = tts_fileio_read(spec + 5, TTS_PASS_MAX_BYTES + 2, 0, 0, &data, &len, err);
    if (rc != TTS_OK)
        return rc;
    n = strcspn(data, "\r\n");
    if (n == 0 || memchr(data, '\0', n) != NULL) {
        free_secret(data, len + 1);
        return tts_err_set(err, TTS_ERR_ARG, "%s: empty passphrase", spec + 5);
    }
    *out = tts_strndup(data, n);
    free_secret(data, len + 1);
    return *out != NULL ? TTS_OK : tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
}

void tts_pass_free(char *pass)
{
    if (pass != NULL)
        free_secret(pass, strlen(pass) + 1);
}

/* --------------------------------------------------------- keys and certs */

/* PEM passphrase callback: hand over the caller's passphrase, or refuse. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
    const char *pass = u;
    size_t n;
    (void)rwflag;
    if (pass == NULL || size <= 0)
        return -1;
    n = strlen(pass);
    if (n > (size_t)size)
        return -1;
    memcpy(buf, pass, n);
    return (int)n;
}

/*
 * Load a private key: permission check on the opened file, PEM decode
 * (encrypted PKCS #8 needs `pass`), buffer wiped afterwards.
 */
tts_status tts_sign_load_key(const char *path, const char *pass, int insecure, EVP_PKEY **out,
                           tts_error *err)
{
    char *data = NULL;
    size_t len = 0;
    BIO *bio = NULL;
    tts_status rc;
    int encrypted;
    *out = NULL;
    TTS_TRY(tts_fileio_read(path, TTS_PEM_MAX_BYTES, 1, insecure, &data, &len, err));
    encrypted = strstr(data, "ENCRYPTED") != NULL;
    if (encrypted && pass == NULL) {
        rc = tts_err_set(err, TTS_ERR_CRYPTO,
                         "%s: the private key is encrypted; give its passphrase with "
                         "--pass env:VAR or --pass file:PATH",
                         path);
        goto out;
    }
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    *out = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, (void *)(uintptr_t)pass);
    if (*out == NULL) {
        char what[600];
        snprintf(what, sizeof(what), "%s: %s", path,
                 encrypted ? "cannot decrypt the private key (wrong passphrase?)"
                           : "not a PEM private key");
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, what);
        goto out;
    }
    rc = TTS_OK;
out:
    BIO_free(bio);
    free_secret(data, len + 1);
    return rc;
}

/* Every certificate in a PEM file; at least one. */
tts_status tts_sign_load_certs(const char *path, STACK_OF(X509) **out, tts_error *err)
{
    char *data = NULL;
    size_t len = 0;
    BIO *bio = NULL;
    STACK_OF(X509) *sk = NULL;
    X509 *x = NULL;
    tts_status rc;
    *out = NULL;
    TTS_TRY(tts_fileio_read(path, TTS_PEM_MAX_BYTES, 0, 0, &data, &len, err));
    bio = BIO_new_mem_buf(data, (int)len);
    sk = sk_X509_new_null();
    if (bio == NULL || sk == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
        goto out;
    }
    while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
        if (!sk_X509_push(sk, x)) {
            X509_free(x);
            rc = tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
            goto out;
        }
    }
    if (sk_X509_num(sk) == 0) {
        char what[600];
        snprintf(what, sizeof(what), "%s: no PEM certificate in the file", path);
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, what);
        goto out;
    }
    ERR_clear_error(); /* the expected "no start line" at the end */
    *out = sk;
    sk = NULL;
    rc = TTS_OK;
out:
    sk_X509_pop_free(sk, X509_free);
    BIO_free(bio);
    tts_free(data);
    return rc;
}

/* ------------------------------------------------------------------- time */

/* ASN1_TIME to RFC 3339 UTC text (out[32]) and time_t; 0 when unusable. */
int tts_sign_asn1_time(const ASN1_TIME *t, char out[32], time_t *tt)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    out[0] = '\0';
    *tt = 0;
    if (t == NULL || ASN1_TIME_to_tm(t, &tm) != 1)
        return 0;
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", (tm.tm_year + 1900) % 10000,
             (tm.tm_mon + 1) % 100, tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
             tm.tm_sec % 100);
    *tt = (time_t)((long long)tts_date_days((tts_date){tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday}) * 86400LL +
                   tm.tm_hour * 3600LL + tm.tm_min * 60LL + tm.tm_sec);
    return 1;
}

/* One-line subject or issuer, control characters escaped, UTF-8 kept. */
void tts_sign_name_text(const X509_NAME *name, char *out, size_t size)
{
    BIO *b = BIO_new(BIO_s_mem());
    int n;
    out[0] = '\0';
    if (b == NULL)
        return;
    if (X509_NAME_print_ex(b, name, 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB) >= 0) {
        n = BIO_read(b, out, (int)size - 1);
        out[n > 0 ? n : 0] = '\0';
    }
    BIO_free(b);
}

/* SHA-256 of a certificate's DER as lower-case hex into out[65]. */
void tts_sign_cert_fingerprint(const X509 *x, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    out[0] = '\0';
    if (X509_digest(x, EVP_sha256(), md, &n) != 1 || n != 32) {
        ERR_clear_error();
        return;
    }
    for (unsigned int i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[64] = '\0';
}

/* "P-256", "RSA-3072", "Ed25519", ... */
void tts_sign_key_text(EVP_PKEY *pk, char *out, size_t size)
{
    char group[32];
    size_t glen = 0;
    if (EVP_PKEY_is_a(pk, "ED25519"))
        snprintf(out, size, "Ed25519");
    else if (EVP_PKEY_is_a(pk, "RSA"))
        snprintf(out, size, "RSA-%d", EVP_PKEY_get_bits(pk));
    else if (EVP_PKEY_is_a(pk, "EC") &&
             EVP_PKEY_get_group_name(pk, group, sizeof(group), &glen) == 1)
        snprintf(out, size, "%s", strcmp(group, "prime256v1") == 0 ? "P-256" : group);
    else
        snprintf(out, size, "%s", EVP_PKEY_get0_type_name(pk) ? EVP_PKEY_get0_type_name(pk) : "?");
}

void tts_sign_lib_version(char *out, size_t cap)
{
    snprintf(out, cap, "%s", OpenSSL_version(OPENSSL_VERSION));
}

tts_status tts_digest_sha256(const void *data, size_t len, char out[65], tts_error *err)
{
    return tts_sha256_hex(data, len, out, err);
}
