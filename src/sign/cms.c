/* SPDX-License-Identifier: MIT */
/*
 * Detached CMS signatures over report files (tts_sign_file) and their
 * verification (tts_verify_file), on the OpenSSL base of ossl.c.
 *
 * Ed25519: OpenSSL 3's CMS code cannot sign or verify RFC 8419 signatures
 * (it feeds a digest name to the pure EdDSA signer), so for Ed25519 keys
 * this module builds the signed attributes itself and signs their DER with
 * pure Ed25519, and verifies them the same way.
 *
 * Trusted timestamps (RFC 3161, sign_tsa.c): with a TSA URL the finished
 * SignerInfo's signature value is time-stamped and the token is added as
 * the unsigned attribute id-smime-aa-timeStampToken (RFC 3161 appendix A),
 * which leaves the signed bytes, and so `openssl cms -verify`, unchanged.
 */
#include "ttscreen/sign.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h> /* before cms.h: it declares PEM_*_CMS only after pem.h */
#include <openssl/cms.h>
#include <openssl/x509.h>

#include "sign/ossl_int.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/mem.h"
#include "sign/tsa.h"

/* DER SET OF order: bytewise, a shorter prefix first. */
/* ------------------------------------------------- RFC 8419 (Ed25519) CMS */

typedef struct der_item {
    unsigned char *der;
    int len;
} der_item;

static int cmp_der(const void *pa, const void *pb)
{
    const der_item *a = pa, *b = pb;
    int n = a->len < b->len ? a->len : b->len;
    int c = memcmp(a->der, b->der, (size_t)n);
    return c != 0 ? c : (a->len > b->len) - (a->len < b->len);
}

/*
 * The DER of a signer's signed attributes as an explicit SET OF (tag 0x31):
 * the bytes a CMS signature with signed attributes covers (RFC 5652 5.4).
 * Caller frees *out with tts_free.
 */
static tts_status signed_attrs_der(CMS_SignerInfo *si, unsigned char **out, size_t *out_len,
                                   tts_error *err)
{
    int n = CMS_signed_get_attr_count(si);
    der_item *items = NULL;
    unsigned char *buf = NULL, *p;
    size_t body = 0, hdr, total;
    tts_status rc = TTS_OK;
    *out = NULL;
    if (n <= 0)
        return tts_err_set(err, TTS_ERR_VERIFY, "signature has no signed attributes");
    items = tts_calloc((size_t)n, sizeof(*items));
    if (items == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        items[i].len = i2d_X509_ATTRIBUTE(CMS_signed_get_attr(si, i), &items[i].der);
        if (items[i].len <= 0) {
            rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot encode the signed attributes");
            goto out;
        }
        body += (size_t)items[i].len;
    }
    qsort(items, (size_t)n, sizeof(*items), cmp_der);
    hdr = body < 0x80 ? 2 : body < 0x100 ? 3 : body < 0x10000 ? 4 : 5;
    total = hdr + body;
    buf = tts_malloc(total);
    if (buf == NULL || body >= 0x1000000) {
        rc = tts_err_set(err, buf == NULL ? TTS_ERR_NOMEM : TTS_ERR_LIMIT,
                         "signed attributes too large");
        goto out;
    }
    p = buf;
    *p++ = 0x31;
    if (hdr == 2) {
        *p++ = (unsigned char)body;
    } else {
        *p++ = (unsigned char)(0x80 | (hdr - 2));
        for (size_t k = hdr - 2; k > 0; k--)
            *p++ = (unsigned char)(body >> (8 * (k - 1)));
    }
    for (int i = 0; i < n; i++) {
        memcpy(p, items[i].der, (size_t)items[i].len);
        p += items[i].len;
    }
    *out = buf;
    *out_len = total;
    buf = NULL;
out:
    for (int i = 0; i < n; i++)
        OPENSSL_free(items[i].der);
    tts_free(items);
    tts_free(buf);
    return rc;
}

/* Digest of a whole file with md; out must hold EVP_MAX_MD_SIZE bytes. */
static tts_status digest_file(const char *path, const EVP_MD *md, unsigned char *out,
                              unsigned int *out_len, tts_error *err)
{
    unsigned char chunk[16384];
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    FILE *fp = fopen(path, "rb");
    tts_status rc = TTS_OK;
    size_t n;
    if (fp == NULL) {
        rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
        goto out;
    }
    if (ctx == NULL || EVP_DigestInit_ex(ctx, md, NULL) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "digest initialisation failed");
        goto out;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (EVP_DigestUpdate(ctx, chunk, n) != 1) {
            rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "digest failed");
            goto out;
        }
    if (ferror(fp)) {
        rc = tts_err_set(err, TTS_ERR_IO, "%s: read failed", path);
        goto out;
    }
    if (EVP_DigestFinal_ex(ctx, out, out_len) != 1)
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "digest failed");
out:
    if (fp != NULL)
        fclose(fp);
    EVP_MD_CTX_free(ctx);
    return rc;
}

/*
 * Complete an Ed25519 SignerInfo added with CMS_PARTIAL: contentType,
 * messageDigest (SHA-512 of the report, RFC 8419 3.1) and the pure
 * Ed25519 signature over the DER of the signed attributes.
 */
static tts_status ed25519_finish(CMS_SignerInfo *si, EVP_PKEY *pkey, const char *report,
                                 tts_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE], sig[64];
    unsigned int md_len = 0;
    size_t sig_len = sizeof(sig), der_len = 0;
    unsigned char *der = NULL;
    EVP_MD_CTX *ctx = NULL;
    X509_ALGOR *pdig = NULL, *psig = NULL;
    tts_status rc;
    TTS_TRY(digest_file(report, EVP_sha512(), md, &md_len, err));
    if (CMS_signed_add1_attr_by_NID(si, NID_pkcs9_contentType, V_ASN1_OBJECT,
                                    OBJ_nid2obj(NID_pkcs7_data), -1) != 1 ||
        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_messageDigest, V_ASN1_OCTET_STRING, md,
                                    (int)md_len) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot add the signed attributes");
        goto out;
    }
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &pdig, &psig);
    if (psig == NULL || X509_ALGOR_set0(psig, OBJ_nid2obj(NID_ED25519), V_ASN1_UNDEF, NULL) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot set the signature algorithm");
        goto out;
    }
    TTS_TRY(signed_attrs_der(si, &der, &der_len, err));
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) != 1 ||
        EVP_DigestSign(ctx, sig, &sig_len, der, der_len) != 1 ||
        ASN1_STRING_set(CMS_SignerInfo_get0_signature(si), sig, (int)sig_len) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "Ed25519 signing failed");
        goto out;
    }
    rc = TTS_OK;
out:
    EVP_MD_CTX_free(ctx);
    tts_free(der);
    return rc;
}

/* Check an Ed25519 SignerInfo's signature over its signed attributes. */
static tts_status ed25519_verify(CMS_SignerInfo *si, EVP_PKEY *pk, int *ok, tts_error *err)
{
    unsigned char *der = NULL;
    size_t der_len = 0;
    ASN1_OCTET_STRING *sig = CMS_SignerInfo_get0_signature(si);
    EVP_MD_CTX *ctx = NULL;
    tts_status rc;
    *ok = 0;
    TTS_TRY(signed_attrs_der(si, &der, &der_len, err));
    ctx = EVP_MD_CTX_new();
    if (ctx == NULL || EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, pk) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "Ed25519 verification set-up failed");
        goto out;
    }
    *ok = EVP_DigestVerify(ctx, ASN1_STRING_get0_data(sig), (size_t)ASN1_STRING_length(sig), der,
                           der_len) == 1;
    ERR_clear_error();
    rc = TTS_OK;
out:
    EVP_MD_CTX_free(ctx);
    tts_free(der);
    return rc;
}

/* ------------------------------------------------------------------ signing */

/* The signature path: opts->sig_path or report + ".p7s". Caller frees. */
static char *sig_path_for(const char *report, const char *sig)
{
    size_t n;
    char *p;
    if (sig != NULL)
        return tts_strdup(sig);
    n = strlen(report);
    p = tts_malloc(n + 5);
    if (p != NULL) {
        memcpy(p, report, n);
        memcpy(p + n, ".p7s", 5);
    }
    return p;
}

/* keyUsage, when present, must allow digitalSignature or nonRepudiation. */
static int cert_signs(X509 *cert)
{
    uint32_t ku = X509_get_key_usage(cert);
    return ku == UINT32_MAX || (ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION)) != 0;
}

/* The signer certificate must be usable at the signing time. */
static tts_status check_validity(X509 *cert, const char *path, time_t when, tts_error *err)
{
    char nb[32], na[32];
    time_t tnb, tna;
    if (!tts_sign_asn1_time(X509_get0_notBefore(cert), nb, &tnb) ||
        !tts_sign_asn1_time(X509_get0_notAfter(cert), na, &tna))
        return tts_err_set(err, TTS_ERR_CRYPTO, "%s: unreadable validity dates", path);
    if (when > tna)
        return tts_err_set(err, TTS_ERR_CRYPTO, "%s: certificate expired on %s", path, na);
    if (when < tnb)
        return tts_err_set(err, TTS_ERR_CRYPTO, "%s: certificate is not valid before %s", path,
                           nb);
    return TTS_OK;
}

/*
 * Time-stamp the signature value of a finished SignerInfo and add the token
 * as its unsigned attribute id-smime-aa-timeStampToken.
 */
static tts_status add_timestamp(CMS_SignerInfo *si, const char *url, tts_error *err)
{
    ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
    unsigned char *token = NULL;
    size_t token_len = 0;
    tts_status rc;
    if (sv == NULL || ASN1_STRING_length(sv) <= 0)
        return tts_err_set(err, TTS_ERR_CRYPTO, "timestamp: the signature has no value yet");
    TTS_TRY(tts_tsa_stamp(url, ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv), &token,
                          &token_len, err));
    if (token_len > INT_MAX ||
        CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken, V_ASN1_SEQUENCE, token,
                                      (int)token_len) != 1)
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "timestamp: cannot add the token");
out:
    tts_free(token);
    return rc;
}

/*
 * The signature from make_signature (DER), time-stamped when tsa_url is
 * given, as PEM into a memory BIO. It is parsed afresh so that the private
 * key, which the signing CMS structure holds, is already released during
 * the round trip to the time-stamp authority.
 */
static tts_status finish_signature(BIO *der, const char *tsa_url, BIO *pem, tts_error *err)
{
    CMS_ContentInfo *cms = d2i_CMS_bio(der, NULL);
    STACK_OF(CMS_SignerInfo) *sinfos = cms != NULL ? CMS_get0_SignerInfos(cms) : NULL;
    tts_status rc = TTS_OK;
    if (sk_CMS_SignerInfo_num(sinfos) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot re-read the signature");
        goto out;
    }
    if (tsa_url != NULL)
        TTS_TRY(add_timestamp(sk_CMS_SignerInfo_value(sinfos, 0), tsa_url, err));
    if (PEM_write_bio_CMS(pem, cms) != 1)
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot encode the signature");
out:
    CMS_ContentInfo_free(cms);
    return rc;
}

/* Build the signature of opts->report_path, DER, into a memory BIO. */
static tts_status make_signature(const tts_sign_opts *opts, X509 *cert, EVP_PKEY *pkey,
                                 STACK_OF(X509) *chain, BIO *der, tts_error *err)
{
    const unsigned flags = CMS_DETACHED | CMS_BINARY | CMS_NOSMIMECAP | CMS_PARTIAL;
    int ed = EVP_PKEY_is_a(pkey, "ED25519");
    CMS_ContentInfo *cms = NULL;
    CMS_SignerInfo *si = NULL;
    ASN1_TIME *st = NULL;
    BIO *in = NULL;
    tts_status rc = TTS_OK;
    cms = CMS_sign(NULL, NULL, NULL, NULL, flags);
    if (cms == NULL) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot create the CMS structure");
        goto out;
    }
    for (int i = 0; chain != NULL && i < sk_X509_num(chain); i++)
        if (CMS_add1_cert(cms, sk_X509_value(chain, i)) != 1) {
            rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot add a chain certificate");
            goto out;
        }
    si = CMS_add1_signer(cms, cert, pkey, ed ? EVP_sha512() : EVP_sha256(), flags);
    st = ASN1_TIME_set(NULL, opts->signing_time);
    if (si == NULL || st == NULL ||
        CMS_signed_add1_attr_by_NID(si, NID_pkcs9_signingTime, ASN1_STRING_type(st), st, -1) !=
            1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot add the signer");
        goto out;
    }
    if (ed) {
        TTS_TRY(ed25519_finish(si, pkey, opts->report_path, err));
    } else {
        in = BIO_new_file(opts->report_path, "rb");
        if (in == NULL) {
            rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot open: %s", opts->report_path,
                             strerror(errno));
            ERR_clear_error();
            goto out;
        }
        if (CMS_final(cms, in, NULL, CMS_DETACHED | CMS_BINARY) != 1) {
            rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "signing failed");
            goto out;
        }
    }
    if (i2d_CMS_bio(der, cms) != 1)
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot encode the signature");
out:
    BIO_free(in);
    ASN1_TIME_free(st);
    CMS_ContentInfo_free(cms);
    return rc;
}

tts_status tts_sign_file(const tts_sign_opts *opts, tts_error *err)
{
    STACK_OF(X509) *certs = NULL, *chain = NULL;
    EVP_PKEY *pkey = NULL;
    X509 *cert = NULL;
    BIO *pem = NULL, *der = NULL;
    char *sig = NULL;
    char *data = NULL;
    long len;
    tts_status rc;
    if (opts == NULL || opts->size < sizeof(*opts) || opts->report_path == NULL ||
        opts->key_path == NULL || opts->cert_path == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "signing needs a report, a key and a certificate");
    TTS_TRY(tts_sign_load_key(opts->key_path, opts->pass, opts->insecure_key_permissions, &pkey, err));
    TTS_TRY(tts_sign_load_certs(opts->cert_path, &certs, err));
    cert = sk_X509_value(certs, 0);
    if (X509_check_private_key(cert, pkey) != 1) {
        ERR_clear_error();
        rc = tts_err_set(err, TTS_ERR_CRYPTO, "%s: the private key does not match certificate %s",
                         opts->key_path, opts->cert_path);
        goto out;
    }
    TTS_TRY(check_validity(cert, opts->cert_path, opts->signing_time, err));
    if (!cert_signs(cert)) {
        rc = tts_err_set(err, TTS_ERR_CRYPTO,
                         "%s: the certificate's key usage does not allow digital signatures",
                         opts->cert_path);
        goto out;
    }
    if (opts->chain_path != NULL)
        TTS_TRY(tts_sign_load_certs(opts->chain_path, &chain, err));
    sig = sig_path_for(opts->report_path, opts->sig_path);
    pem = BIO_new(BIO_s_mem());
    der = BIO_new(BIO_s_mem());
    if (sig == NULL || pem == NULL || der == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    TTS_TRY(make_signature(opts, cert, pkey, chain, der, err));
    EVP_PKEY_free(pkey); /* the key is done with: not held during the time-stamp round trip */
    pkey = NULL;
    TTS_TRY(finish_signature(der, opts->tsa_url, pem, err));
    len = BIO_get_mem_data(pem, &data);
    rc = tts_fileio_write_atomic(sig, data, (size_t)len, 0644, 1, err);
out:
    BIO_free(der);
    BIO_free(pem);
    tts_free(sig);
    sk_X509_pop_free(chain, X509_free);
    sk_X509_pop_free(certs, X509_free);
    EVP_PKEY_free(pkey);
    return rc;
}

/* ------------------------------------------------------------- verification */

const char *tts_verify_reason_name(tts_verify_reason r)
{
    switch (r) {
    case TTS_VERIFY_VALID: return "valid";
    case TTS_VERIFY_CONTENT_CHANGED: return "content changed";
    case TTS_VERIFY_WRONG_SIGNER: return "wrong signer";
    case TTS_VERIFY_EXPIRED: return "expired certificate";
    case TTS_VERIFY_MALFORMED: return "malformed signature";
    case TTS_VERIFY_BAD_SIGNATURE: return "bad signature";
    case TTS_VERIFY_UNTRUSTED: return "untrusted certificate";
    case TTS_VERIFY_BAD_TIMESTAMP: return "bad timestamp";
    }
    return "unknown";
}


/* Record a verification failure: the reason in res, one line in err. */
static tts_status verify_fail(tts_verify_result *res, tts_error *err, tts_verify_reason reason,
                              const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static tts_status verify_fail(tts_verify_result *res, tts_error *err, tts_verify_reason reason,
                              const char *fmt, ...)
{
    va_list ap;
    res->reason = reason;
    va_start(ap, fmt);
    tts_err_vset(err, TTS_ERR_VERIFY, fmt, ap);
    va_end(ap);
    ERR_clear_error();
    return TTS_ERR_VERIFY;
}

/* Parse the PEM signature; anything unparseable is a malformed signature. */
static tts_status load_cms(const char *path, CMS_ContentInfo **out, tts_verify_result *res,
                           tts_error *err)
{
    char *data = NULL;
    size_t len = 0;
    BIO *bio = NULL;
    CMS_ContentInfo *cms = NULL;
    tts_status rc;
    *out = NULL;
    TTS_TRY(tts_fileio_read(path, 16 * TTS_PEM_MAX_BYTES, 0, 0, &data, &len, err));
    bio = BIO_new_mem_buf(data, (int)len);
    if (bio == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    cms = PEM_read_bio_CMS(bio, NULL, NULL, NULL);
    if (cms == NULL) {
        rc = verify_fail(res, err, TTS_VERIFY_MALFORMED,
                         "%s: malformed signature: not a PEM CMS signature (truncated or damaged)",
                         path);
        goto out;
    }
    if (OBJ_obj2nid(CMS_get0_type(cms)) != NID_pkcs7_signed) {
        rc = verify_fail(res, err, TTS_VERIFY_MALFORMED,
                         "%s: malformed signature: CMS content is not signed data", path);
        goto out;
    }
    if (CMS_is_detached(cms) != 1) {
        rc = verify_fail(res, err, TTS_VERIFY_MALFORMED,
                         "%s: malformed signature: not a detached signature", path);
        goto out;
    }
    if (sk_CMS_SignerInfo_num(CMS_get0_SignerInfos(cms)) <= 0) {
        rc = verify_fail(res, err, TTS_VERIFY_MALFORMED, "%s: malformed signature: no signer",
                         path);
        goto out;
    }
    *out = cms;
    cms = NULL;
    rc = TTS_OK;
out:
    CMS_ContentInfo_free(cms);
    BIO_free(bio);
    tts_free(data);
    return rc;
}

/* The signingTime attribute, if any. */
static int signing_time(CMS_SignerInfo *si, char out[32], time_t *t)
{
    int idx = CMS_signed_get_attr_by_NID(si, NID_pkcs9_signingTime, -1);
    ASN1_TYPE *v;
    out[0] = '\0';
    *t = 0;
    if (idx < 0)
        return 0;
    v = X509_ATTRIBUTE_get0_type(CMS_signed_get_attr(si, idx), 0);
    if (v == NULL || (v->type != V_ASN1_UTCTIME && v->type != V_ASN1_GENERALIZEDTIME))
        return 0;
    return tts_sign_asn1_time(v->value.asn1_string, out, t);
}

/* Describe the signer in res (first signer only). */
static void describe_signer(CMS_SignerInfo *si, X509 *signer, EVP_PKEY *pk,
                            tts_verify_result *res)
{
    tts_sign_name_text(X509_get_subject_name(signer), res->signer, sizeof(res->signer));
    tts_sign_name_text(X509_get_issuer_name(signer), res->issuer, sizeof(res->issuer));
    tts_sign_asn1_time(X509_get0_notAfter(signer), res->not_after, &res->not_after_t);
    signing_time(si, res->signing_time, &res->signing_time_t);
    if (pk != NULL)
        tts_sign_key_text(pk, res->algorithm, sizeof(res->algorithm));
    tts_sign_cert_fingerprint(signer, res->fingerprint);
}

/*
 * Cryptographic check of one signer: the signature over the signed
 * attributes, then the messageDigest attribute against the report's bytes.
 * Signatures without signed attributes go through CMS_verify as a whole.
 */
static tts_status check_signer_crypto(CMS_ContentInfo *cms, CMS_SignerInfo *si, EVP_PKEY *pk,
                                      const tts_verify_opts *opts, tts_verify_result *res,
                                      tts_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int md_len = 0;
    X509_ALGOR *pdig = NULL;
    const ASN1_OBJECT *dobj = NULL;
    const EVP_MD *mdt;
    ASN1_OCTET_STRING *want;
    int ok = 0;
    tts_status rc;
    if (CMS_signed_get_attr_count(si) <= 0) {
        BIO *in = BIO_new_file(opts->report_path, "rb");
        ok = in != NULL && CMS_verify(cms, NULL, NULL, in, NULL,
                                      CMS_BINARY | CMS_NO_SIGNER_CERT_VERIFY) == 1;
        BIO_free(in);
        if (!ok)
            return verify_fail(res, err, TTS_VERIFY_CONTENT_CHANGED,
                               "%s: content changed (or the signature does not match it)",
                               opts->report_path);
        return TTS_OK;
    }
    if (EVP_PKEY_is_a(pk, "ED25519")) {
        TTS_TRY(ed25519_verify(si, pk, &ok, err));
    } else {
        ok = CMS_SignerInfo_verify(si) == 1;
    }
    if (!ok)
        return verify_fail(res, err, TTS_VERIFY_BAD_SIGNATURE,
                           "%s: bad signature: the signature value does not match the signer's key",
                           opts->report_path);
    CMS_SignerInfo_get0_algs(si, NULL, NULL, &pdig, NULL);
    if (pdig != NULL)
        X509_ALGOR_get0(&dobj, NULL, NULL, pdig);
    mdt = dobj != NULL ? EVP_get_digestbyobj(dobj) : NULL;
    want = CMS_signed_get0_data_by_OBJ(si, OBJ_nid2obj(NID_pkcs9_messageDigest), -3,
                                       V_ASN1_OCTET_STRING);
    if (mdt == NULL || want == NULL)
        return verify_fail(res, err, TTS_VERIFY_MALFORMED,
                           "%s: malformed signature: unknown digest or no message digest",
                           opts->report_path);
    TTS_TRY(digest_file(opts->report_path, mdt, md, &md_len, err));
    if ((unsigned)ASN1_STRING_length(want) != md_len ||
        memcmp(ASN1_STRING_get0_data(want), md, md_len) != 0)
        return verify_fail(res, err, TTS_VERIFY_CONTENT_CHANGED,
                           "%s: content changed: its bytes differ from what was signed",
                           opts->report_path);
    rc = TTS_OK;
out:
    return rc;
}

/*
 * Every trusted timestamp of a signer (unsigned attribute
 * id-smime-aa-timeStampToken) must be a token over this signer's signature
 * value whose own signature verifies; the first is described in res.
 */
static tts_status check_timestamps(CMS_SignerInfo *si, int describe, const tts_verify_opts *opts,
                                   tts_verify_result *res, tts_error *err)
{
    ASN1_OCTET_STRING *sv = CMS_SignerInfo_get0_signature(si);
    int idx = -1;
    while ((idx = CMS_unsigned_get_attr_by_NID(si, NID_id_smime_aa_timeStampToken, idx)) >= 0) {
        X509_ATTRIBUTE *at = CMS_unsigned_get_attr(si, idx);
        ASN1_TYPE *t = X509_ATTRIBUTE_count(at) == 1 ? X509_ATTRIBUTE_get0_type(at, 0) : NULL;
        tts_tsa_info info;
        tts_error tmp;
        tts_status rc;
        if (t == NULL || t->type != V_ASN1_SEQUENCE || sv == NULL)
            return verify_fail(res, err, TTS_VERIFY_BAD_TIMESTAMP,
                               "%s: bad timestamp: the timeStampToken attribute is malformed",
                               opts->report_path);
        tts_error_clear(&tmp);
        rc = tts_tsa_token_check(ASN1_STRING_get0_data(t->value.sequence),
                                 (size_t)ASN1_STRING_length(t->value.sequence),
                                 ASN1_STRING_get0_data(sv), (size_t)ASN1_STRING_length(sv), &info,
                                 &tmp);
        if (rc == TTS_ERR_VERIFY)
            return verify_fail(res, err, TTS_VERIFY_BAD_TIMESTAMP, "%s: bad timestamp: %s",
                               opts->report_path, tmp.message);
        if (rc != TTS_OK)
            return tts_err_set(err, rc, "%s: %s", opts->report_path, tmp.message);
        if (describe && !res->timestamped) {
            res->timestamped = 1;
            memcpy(res->timestamp, info.gen_time, sizeof(res->timestamp));
            res->timestamp_t = info.gen_time_t;
            memcpy(res->tsa, info.tsa, sizeof(res->tsa));
        }
    }
    ERR_clear_error();
    return TTS_OK;
}

/* Map a certificate-path failure to a reason and a message. */
static tts_status chain_fail(X509_STORE_CTX *ctx, X509 *signer, const tts_verify_opts *opts,
                             const tts_verify_result *rin, tts_verify_result *res, tts_error *err)
{
    int e = X509_STORE_CTX_get_error(ctx);
    X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
    char subj[512], nb[32], na[32];
    time_t t;
    const char *trust = opts->cert_path != NULL ? opts->cert_path : opts->ca_path;
    tts_sign_name_text(X509_get_subject_name(cur != NULL ? cur : signer), subj, sizeof(subj));
    switch (e) {
    case X509_V_ERR_CERT_HAS_EXPIRED:
    case X509_V_ERR_CERT_NOT_YET_VALID:
        tts_sign_asn1_time(X509_get0_notBefore(cur != NULL ? cur : signer), nb, &t);
        tts_sign_asn1_time(X509_get0_notAfter(cur != NULL ? cur : signer), na, &t);
        return verify_fail(res, err, TTS_VERIFY_EXPIRED,
                           "%s: expired certificate: '%s' is valid from %s to %s, not at the "
                           "signing time %s",
                           opts->report_path, subj, nb, na,
                           rin->signing_time[0] != '\0' ? rin->signing_time : "(none given)");
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED:
    case X509_V_ERR_CERT_REJECTED:
        return verify_fail(res, err, TTS_VERIFY_WRONG_SIGNER,
                           "%s: wrong signer: signed by '%s', which %s %s", opts->report_path,
                           rin->signer, opts->cert_path != NULL ? "is not the certificate in"
                                                                : "is not issued by a CA in",
                           trust);
    default:
        return verify_fail(res, err, TTS_VERIFY_UNTRUSTED,
                           "%s: untrusted certificate '%s': %s", opts->report_path, subj,
                           X509_verify_cert_error_string(e));
    }
}

/*
 * The signer's certificate must lead to the trusted certificates, as of
 * the signing time. With --cert the given certificate is a pinned anchor
 * (partial chains allowed): the signer is it, or issued under it.
 */
static tts_status check_chain(X509 *signer, STACK_OF(X509) *untrusted, STACK_OF(X509) *trust,
                              const tts_verify_opts *opts, tts_verify_result *res,
                              tts_error *err)
{
    X509_STORE *store = X509_STORE_new();
    X509_STORE_CTX *ctx = X509_STORE_CTX_new();
    X509_VERIFY_PARAM *param;
    tts_verify_result snapshot = *res;
    tts_status rc = TTS_OK;
    if (store == NULL || ctx == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (int i = 0; i < sk_X509_num(trust); i++)
        X509_STORE_add_cert(store, sk_X509_value(trust, i));
    if (X509_STORE_CTX_init(ctx, store, signer, untrusted) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "certificate store set-up failed");
        goto out;
    }
    param = X509_STORE_CTX_get0_param(ctx);
    if (res->signing_time_t != 0)
        X509_VERIFY_PARAM_set_time(param, res->signing_time_t);
    if (opts->cert_path != NULL)
        X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (X509_verify_cert(ctx) != 1) {
        rc = chain_fail(ctx, signer, opts, &snapshot, res, err);
        goto out;
    }
    if (!cert_signs(signer))
        rc = verify_fail(res, err, TTS_VERIFY_UNTRUSTED,
                         "%s: untrusted certificate: '%s' is not for digital signatures",
                         opts->report_path, res->signer);
out:
    ERR_clear_error();
    X509_STORE_CTX_free(ctx);
    X509_STORE_free(store);
    return rc;
}

/* Everything tts_verify_file checks before the per-signer work. */
static tts_status verify_inputs(const tts_verify_opts *opts, tts_error *err)
{
    FILE *fp;
    if (opts == NULL || opts->size < sizeof(*opts) || opts->report_path == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "verify needs a report");
    if ((opts->cert_path == NULL) == (opts->ca_path == NULL))
        return tts_err_set(err, TTS_ERR_ARG, "verify needs exactly one of --cert and --ca");
    fp = fopen(opts->report_path, "rb");
    if (fp == NULL)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot open: %s", opts->report_path,
                           strerror(errno));
    fclose(fp);
    return TTS_OK;
}

tts_status tts_verify_file(const tts_verify_opts *opts, tts_verify_result *res, tts_error *err)
{
    STACK_OF(X509) *trust = NULL, *untrusted = NULL;
    STACK_OF(CMS_SignerInfo) *sinfos;
    CMS_ContentInfo *cms = NULL;
    char *sig = NULL;
    tts_status rc;
    memset(res, 0, sizeof(*res));
    res->reason = TTS_VERIFY_VALID;
    TTS_TRY(verify_inputs(opts, err));
    sig = sig_path_for(opts->report_path, opts->sig_path);
    if (sig == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    TTS_TRY(tts_sign_load_certs(opts->cert_path != NULL ? opts->cert_path : opts->ca_path, &trust, err));
    TTS_TRY(load_cms(sig, &cms, res, err));
    untrusted = CMS_get1_certs(cms);
    if (untrusted == NULL)
        untrusted = sk_X509_new_null();
    if (untrusted == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    /* A signature made without embedded certificates names its signer by
     * issuer and serial: the pinned certificate can supply it. */
    CMS_set1_signers_certs(cms, opts->cert_path != NULL ? trust : NULL, 0);
    ERR_clear_error();
    sinfos = CMS_get0_SignerInfos(cms);
    for (int i = 0; i < sk_CMS_SignerInfo_num(sinfos); i++) {
        CMS_SignerInfo *si = sk_CMS_SignerInfo_value(sinfos, i);
        EVP_PKEY *pk = NULL;
        X509 *signer = NULL;
        CMS_SignerInfo_get0_algs(si, &pk, &signer, NULL, NULL);
        if (signer == NULL) {
            rc = verify_fail(res, err, TTS_VERIFY_WRONG_SIGNER,
                             "%s: wrong signer: the signer's certificate is neither in the "
                             "signature nor %s",
                             opts->report_path,
                             opts->cert_path != NULL ? opts->cert_path : "given");
            goto out;
        }
        if (i == 0)
            describe_signer(si, signer, pk, res);
        TTS_TRY(check_signer_crypto(cms, si, pk, opts, res, err));
        TTS_TRY(check_timestamps(si, i == 0, opts, res, err));
        TTS_TRY(check_chain(signer, untrusted, trust, opts, res, err));
    }
    rc = TTS_OK;
out:
    sk_X509_pop_free(untrusted, X509_free);
    sk_X509_pop_free(trust, X509_free);
    CMS_ContentInfo_free(cms);
    tts_free(sig);
    return rc;
}
