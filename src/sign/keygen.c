/* SPDX-License-Identifier: MIT */
/*
 * A new signing key and its self-signed certificate (tts_keygen): the key
 * file is written with mode 0600 and never replaced unless asked.
 */
#include "ttscreen/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h> /* before cms.h: it declares PEM_*_CMS only after pem.h */
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sign/ossl_int.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/mem.h"

#define DEFAULT_DAYS 730
#define DEFAULT_SUBJECT "/CN=ttscreen report signer"

/* ---------------------------------------------------------- key generation */

tts_status tts_key_algorithm_parse(const char *name, tts_key_algorithm *out)
{
    static const struct {
        const char *name;
        tts_key_algorithm alg;
    } table[] = {{"p256", TTS_KEY_P256}, {"ed25519", TTS_KEY_ED25519}, {"rsa3072", TTS_KEY_RSA3072}};
    for (size_t i = 0; name != NULL && i < sizeof(table) / sizeof(table[0]); i++)
        if (strcmp(name, table[i].name) == 0) {
            *out = table[i].alg;
            return TTS_OK;
        }
    return TTS_ERR_ARG;
}

/*
 * Parse an OpenSSL-style subject "/O=Acme Corp/CN=Officer" (a backslash
 * escapes the next character, so "\/" is a slash in a value).
 */
static tts_status parse_subject(const char *s, X509_NAME **out, tts_error *err)
{
    size_t n = strlen(s), k = 0;
    char *buf = NULL, *key, *val = NULL;
    X509_NAME *name = NULL;
    tts_status rc = TTS_OK;
    *out = NULL;
    if (n == 0 || n > 1024 || s[0] != '/')
        return tts_err_set(err, TTS_ERR_ARG,
                           "--subject: expected \"/KEY=VALUE/...\", e.g. \"/O=Acme/CN=Officer\"");
    buf = tts_malloc(n + 1);
    name = X509_NAME_new();
    if (buf == NULL || name == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 1; i <= n; i++) {
        if (i < n && s[i] == '\\' && i + 1 < n) {
            buf[k++] = s[++i];
            continue;
        }
        if (i < n && s[i] == '=' && val == NULL) {
            buf[k++] = '\0';
            val = buf + k;
            continue;
        }
        if (i < n && s[i] != '/') {
            buf[k++] = s[i];
            continue;
        }
        buf[k] = '\0';
        key = buf;
        if (val == NULL || key[0] == '\0' || val[0] == '\0') {
            rc = tts_err_set(err, TTS_ERR_ARG, "--subject: each part must be KEY=VALUE, both "
                                               "non-empty");
            goto out;
        }
        if (X509_NAME_add_entry_by_txt(name, key, MBSTRING_UTF8, (const unsigned char *)val, -1,
                                       -1, 0) != 1) {
            ERR_clear_error();
            rc = tts_err_set(err, TTS_ERR_ARG, "--subject: unknown attribute '%s' or bad value",
                             key);
            goto out;
        }
        k = 0;
        val = NULL;
    }
    *out = name;
    name = NULL;
out:
    X509_NAME_free(name);
    tts_free(buf);
    return rc;
}

/* Add one X.509 v3 extension given in OpenSSL's configuration syntax. */
static int add_ext(X509 *x, int nid, const char *value)
{
    X509V3_CTX ctx;
    X509_EXTENSION *ext;
    int ok;
    X509V3_set_ctx(&ctx, x, x, NULL, NULL, 0);
    ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (ext == NULL)
        return 0;
    ok = X509_add_ext(x, ext, -1);
    X509_EXTENSION_free(ext);
    return ok;
}

/* A self-signed v3 certificate for pkey, valid from now for `days`. */
static tts_status make_cert(EVP_PKEY *pkey, X509_NAME *name, int days, time_t now, X509 **out,
                            tts_error *err)
{
    X509 *x = X509_new();
    BIGNUM *serial = BN_new();
    time_t start = now;
    tts_status rc = TTS_OK;
    *out = NULL;
    if (x == NULL || serial == NULL || X509_set_version(x, 2) != 1 ||
        BN_rand(serial, 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 || BN_is_zero(serial) ||
        BN_to_ASN1_INTEGER(serial, X509_get_serialNumber(x)) == NULL ||
        X509_time_adj_ex(X509_getm_notBefore(x), 0, 0, &start) == NULL ||
        X509_time_adj_ex(X509_getm_notAfter(x), days, 0, &start) == NULL ||
        X509_set_subject_name(x, name) != 1 || X509_set_issuer_name(x, name) != 1 ||
        X509_set_pubkey(x, pkey) != 1 ||
        !add_ext(x, NID_basic_constraints, "critical,CA:TRUE") ||
        !add_ext(x, NID_key_usage, "critical,digitalSignature,nonRepudiation,keyCertSign") ||
        !add_ext(x, NID_subject_key_identifier, "hash") ||
        !add_ext(x, NID_authority_key_identifier, "keyid:always") ||
        X509_sign(x, pkey, EVP_PKEY_is_a(pkey, "ED25519") ? NULL : EVP_sha256()) <= 0) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot create the certificate");
        goto out;
    }
    *out = x;
    x = NULL;
out:
    BN_free(serial);
    X509_free(x);
    return rc;
}

static EVP_PKEY *new_key(tts_key_algorithm alg)
{
    switch (alg) {
    case TTS_KEY_ED25519: return EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    case TTS_KEY_RSA3072: return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072);
    case TTS_KEY_P256: break;
    }
    return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

/* Refuse existing outputs up front (without --force), before any work. */
static tts_status keygen_check(const tts_keygen_opts *o, tts_error *err)
{
    struct stat st;
    if (o == NULL || o->size < sizeof(*o) || o->key_path == NULL || o->cert_path == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "keygen needs --key and --cert");
    if (strcmp(o->key_path, o->cert_path) == 0)
        return tts_err_set(err, TTS_ERR_ARG, "--key and --cert must name different files");
    if (o->days < 0 || o->days > TTS_CERT_MAX_DAYS)
        return tts_err_set(err, TTS_ERR_ARG, "--days: must be between 1 and %d", TTS_CERT_MAX_DAYS);
    if (!o->force && lstat(o->key_path, &st) == 0)
        return tts_err_set(err, TTS_ERR_ARG, "%s: already exists (use --force to replace it)",
                           o->key_path);
    if (!o->force && lstat(o->cert_path, &st) == 0)
        return tts_err_set(err, TTS_ERR_ARG, "%s: already exists (use --force to replace it)",
                           o->cert_path);
    return TTS_OK;
}

tts_status tts_keygen(const tts_keygen_opts *o, char fingerprint[65], tts_error *err)
{
    EVP_PKEY *pkey = NULL;
    X509_NAME *name = NULL;
    X509 *cert = NULL;
    BIO *kb = NULL, *cb = NULL;
    char *kdata = NULL, *cdata = NULL;
    long klen, clen;
    tts_status rc;
    TTS_TRY(keygen_check(o, err));
    TTS_TRY(parse_subject(o->subject != NULL ? o->subject : DEFAULT_SUBJECT, &name, err));
    pkey = new_key(o->algorithm);
    if (pkey == NULL) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "key generation failed");
        goto out;
    }
    TTS_TRY(make_cert(pkey, name, o->days > 0 ? o->days : DEFAULT_DAYS, o->now, &cert, err));
    if (fingerprint != NULL)
        tts_sign_cert_fingerprint(cert, fingerprint);
    kb = BIO_new(BIO_s_secmem()); /* wiped when freed */
    cb = BIO_new(BIO_s_mem());
    if (kb == NULL || cb == NULL ||
        PEM_write_bio_PKCS8PrivateKey(kb, pkey, o->pass != NULL ? EVP_aes_256_cbc() : NULL,
                                      o->pass, o->pass != NULL ? (int)strlen(o->pass) : 0, NULL,
                                      NULL) != 1 ||
        PEM_write_bio_X509(cb, cert) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot encode the key or certificate");
        goto out;
    }
    klen = BIO_get_mem_data(kb, &kdata);
    clen = BIO_get_mem_data(cb, &cdata);
    TTS_TRY(tts_fileio_write_atomic(o->key_path, kdata, (size_t)klen, 0600, o->force, err));
    rc = tts_fileio_write_atomic(o->cert_path, cdata, (size_t)clen, 0644, o->force, err);
    if (rc != TTS_OK && !o->force)
        unlink(o->key_path); /* ours: created just now, useless without its certificate */
out:
    BIO_free(cb);
    BIO_free(kb);
    X509_free(cert);
    X509_NAME_free(name);
    EVP_PKEY_free(pkey);
    return rc;
}
