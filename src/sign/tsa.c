/* SPDX-License-Identifier: MIT */
/*
 * RFC 3161 time-stamp requests, replies and tokens (see sign_tsa.h). Part
 * of the OpenSSL boundary: every OpenSSL object is freed on all paths,
 * OpenSSL's error queue is cleared before returning, and only plain bytes
 * cross the interface. The request travels through the fetch module.
 *
 * The token's signature is checked with a store that trusts the
 * certificates the token itself carries (partial chains allowed), as of the
 * token's genTime: this proves the token was signed by the key of the TSA
 * certificate it names, for time stamping, without any claim that the TSA
 * is one the reader trusts. That last check needs the TSA's CA and is left
 * to the reader (docs/signing.md shows `openssl ts -verify`).
 */
#include "sign/tsa.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pkcs7.h>
#include <openssl/rand.h>
#include <openssl/ts.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "util/error.h"
#include "net/fetch.h"
#include "util/mem.h"
#include "sign/ossl_int.h"

#define NONCE_BYTES 8

/* A copy of OpenSSL-allocated DER in our allocator. */
static tts_status der_copy(const unsigned char *der, int n, unsigned char **out, size_t *out_len,
                           tts_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (n <= 0)
        return tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot encode a time-stamp structure");
    *out = tts_malloc((size_t)n);
    if (*out == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    memcpy(*out, der, (size_t)n);
    *out_len = (size_t)n;
    return TTS_OK;
}

tts_status tts_tsa_request(const unsigned char *data, size_t len, unsigned char **req,
                           size_t *req_len, tts_error *err)
{
    unsigned char md[EVP_MAX_MD_SIZE], nb[NONCE_BYTES];
    unsigned int md_len = 0;
    TS_REQ *rq = TS_REQ_new();
    TS_MSG_IMPRINT *mi = TS_MSG_IMPRINT_new();
    X509_ALGOR *alg = X509_ALGOR_new();
    BIGNUM *bn = NULL;
    ASN1_INTEGER *nonce = NULL;
    unsigned char *der = NULL;
    int n;
    tts_status rc;
    *req = NULL;
    *req_len = 0;
    if (rq == NULL || mi == NULL || alg == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (RAND_bytes(nb, sizeof(nb)) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "no random bytes for the time-stamp nonce");
        goto out;
    }
    nb[0] = (unsigned char)((nb[0] & 0x7f) | 0x40); /* always 8 bytes, positive */
    bn = BN_bin2bn(nb, sizeof(nb), NULL);
    nonce = bn != NULL ? BN_to_ASN1_INTEGER(bn, NULL) : NULL;
    if (nonce == NULL || EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL) != 1 ||
        X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, NULL) != 1 ||
        TS_MSG_IMPRINT_set_algo(mi, alg) != 1 || TS_MSG_IMPRINT_set_msg(mi, md, (int)md_len) != 1 ||
        TS_REQ_set_version(rq, 1) != 1 || TS_REQ_set_msg_imprint(rq, mi) != 1 ||
        TS_REQ_set_nonce(rq, nonce) != 1 || TS_REQ_set_cert_req(rq, 1) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "cannot build the time-stamp request");
        goto out;
    }
    n = i2d_TS_REQ(rq, &der);
    rc = der_copy(der, n, req, req_len, err);
out:
    OPENSSL_free(der);
    ASN1_INTEGER_free(nonce);
    BN_free(bn);
    X509_ALGOR_free(alg);
    TS_MSG_IMPRINT_free(mi);
    TS_REQ_free(rq);
    ERR_clear_error();
    return rc;
}

/* A reason as TTS_ERR_VERIFY, OpenSSL's queue cleared. */
static tts_status reject(tts_error *err, const char *what)
{
    ERR_clear_error();
    return tts_err_set(err, TTS_ERR_VERIFY, "%s", what);
}

/* "rejection (badAlg): text" for a status that grants no token. */
static tts_status refused(const TS_STATUS_INFO *si, long status, tts_error *err)
{
    static const char *const names[] = {"granted", "grantedWithMods", "rejection", "waiting",
                                        "revocationWarning", "revocationNotification"};
    static const struct {
        int bit;
        const char *name;
    } fails[] = {{TS_INFO_BAD_ALG, "badAlg"},
                 {TS_INFO_BAD_REQUEST, "badRequest"},
                 {TS_INFO_BAD_DATA_FORMAT, "badDataFormat"},
                 {TS_INFO_TIME_NOT_AVAILABLE, "timeNotAvailable"},
                 {TS_INFO_UNACCEPTED_POLICY, "unacceptedPolicy"},
                 {TS_INFO_UNACCEPTED_EXTENSION, "unacceptedExtension"},
                 {TS_INFO_ADD_INFO_NOT_AVAILABLE, "addInfoNotAvailable"},
                 {TS_INFO_SYSTEM_FAILURE, "systemFailure"}};
    const STACK_OF(ASN1_UTF8STRING) *text = TS_STATUS_INFO_get0_text(si);
    const ASN1_BIT_STRING *fi = TS_STATUS_INFO_get0_failure_info(si);
    char what[300] = "", detail[200] = "";
    size_t k;
    for (size_t i = 0; fi != NULL && i < sizeof(fails) / sizeof(fails[0]); i++)
        if (ASN1_BIT_STRING_get_bit(fi, fails[i].bit)) {
            k = strlen(what);
            snprintf(what + k, sizeof(what) - k, "%s%s", k > 0 ? ", " : "", fails[i].name);
        }
    if (text != NULL && sk_ASN1_UTF8STRING_num(text) > 0) {
        const ASN1_UTF8STRING *t = sk_ASN1_UTF8STRING_value(text, 0);
        tts_err_printable((const char *)ASN1_STRING_get0_data(t), (size_t)ASN1_STRING_length(t),
                          detail, sizeof(detail));
    }
    ERR_clear_error();
    return tts_err_set(err, TTS_ERR_VERIFY,
                       "the time-stamp authority granted no token: status %s%s%s%s%s%s",
                       status >= 0 && status <= 5 ? names[status] : "unknown",
                       what[0] != '\0' ? " (" : "", what, what[0] != '\0' ? ")" : "",
                       detail[0] != '\0' ? ": " : "", detail);
}

/* What the token says: time, TSA name (or its signer), serial, policy, digest. */
static void describe(TS_TST_INFO *ti, X509 *signer, tts_tsa_info *info)
{
    GENERAL_NAME *gn = TS_TST_INFO_get_tsa(ti);
    const ASN1_INTEGER *serial = TS_TST_INFO_get_serial(ti);
    ASN1_OBJECT *policy = TS_TST_INFO_get_policy_id(ti);
    X509_ALGOR *alg = TS_MSG_IMPRINT_get_algo(TS_TST_INFO_get_msg_imprint(ti));
    const ASN1_OBJECT *obj = NULL;
    BIGNUM *bn;
    char *hex;
    tts_sign_asn1_time(TS_TST_INFO_get_time(ti), info->gen_time, &info->gen_time_t);
    if (gn != NULL && gn->type == GEN_DIRNAME)
        tts_sign_name_text(gn->d.directoryName, info->tsa, sizeof(info->tsa));
    else if (signer != NULL)
        tts_sign_name_text(X509_get_subject_name(signer), info->tsa, sizeof(info->tsa));
    bn = serial != NULL ? ASN1_INTEGER_to_BN(serial, NULL) : NULL;
    hex = bn != NULL ? BN_bn2hex(bn) : NULL;
    if (hex != NULL)
        snprintf(info->serial, sizeof(info->serial), "%s", hex);
    OPENSSL_free(hex);
    BN_free(bn);
    if (policy != NULL && OBJ_obj2txt(info->policy, sizeof(info->policy), policy, 1) <= 0)
        info->policy[0] = '\0';
    if (alg != NULL)
        X509_ALGOR_get0(&obj, NULL, NULL, alg);
    if (obj != NULL && OBJ_obj2nid(obj) != NID_undef)
        snprintf(info->hash, sizeof(info->hash), "%s", OBJ_nid2sn(OBJ_obj2nid(obj)));
    ERR_clear_error();
}

/*
 * The token's signature, made by the key of a certificate the token
 * carries, bound to it by the ESS signing-certificate attribute, for time
 * stamping, valid at genTime (see the top of this file).
 */
static tts_status token_signature(PKCS7 *tok, TS_TST_INFO *ti, tts_tsa_info *info,
                                  tts_error *err)
{
    STACK_OF(X509) *certs;
    X509_STORE *store = NULL;
    X509 *signer = NULL;
    char when[32];
    time_t t = 0;
    tts_status rc = TTS_OK;
    if (!PKCS7_type_is_signed(tok) || tok->d.sign == NULL)
        return reject(err, "the time-stamp token is not signed data");
    certs = tok->d.sign->cert;
    if (sk_X509_num(certs) <= 0)
        return reject(err, "the time-stamp token carries no TSA certificate");
    store = X509_STORE_new();
    if (store == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    for (int i = 0; i < sk_X509_num(certs); i++)
        X509_STORE_add_cert(store, sk_X509_value(certs, i));
    X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store), X509_V_FLAG_PARTIAL_CHAIN);
    if (tts_sign_asn1_time(TS_TST_INFO_get_time(ti), when, &t) && t > 0)
        X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store), t);
    if (TS_RESP_verify_signature(tok, NULL, store, &signer) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_VERIFY,
                                "the time-stamp token's signature does not verify");
        goto out;
    }
    if (info != NULL)
        describe(ti, signer, info);
out:
    X509_free(signer);
    X509_STORE_free(store);
    ERR_clear_error();
    return rc;
}

tts_status tts_tsa_reply_check(const unsigned char *req, size_t req_len,
                               const unsigned char *resp, size_t resp_len, unsigned char **token,
                               size_t *token_len, tts_tsa_info *info, tts_error *err)
{
    const unsigned char *p;
    TS_REQ *rq = NULL;
    TS_RESP *rs = NULL;
    TS_TST_INFO *ti;
    TS_MSG_IMPRINT *want, *got;
    const ASN1_INTEGER *tn;
    PKCS7 *tok;
    unsigned char *der = NULL;
    long status;
    int n;
    tts_status rc;
    *token = NULL;
    *token_len = 0;
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    p = req;
    if (req_len > (size_t)TTS_TSA_MAX_REPLY || (rq = d2i_TS_REQ(NULL, &p, (long)req_len)) == NULL) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "unreadable time-stamp request");
        goto out;
    }
    p = resp;
    if (resp_len == 0 || resp_len > (size_t)TTS_TSA_MAX_REPLY ||
        (rs = d2i_TS_RESP(NULL, &p, (long)resp_len)) == NULL || p != resp + resp_len) {
        rc = reject(err, "the answer is not an RFC 3161 time-stamp response");
        goto out;
    }
    status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(rs)));
    if (status != TS_STATUS_GRANTED && status != TS_STATUS_GRANTED_WITH_MODS) {
        rc = refused(TS_RESP_get_status_info(rs), status, err);
        goto out;
    }
    tok = TS_RESP_get_token(rs);
    ti = TS_RESP_get_tst_info(rs);
    if (tok == NULL || ti == NULL) {
        rc = reject(err, "the time-stamp response grants a token but carries none");
        goto out;
    }
    if (TS_TST_INFO_get_version(ti) != 1) {
        rc = reject(err, "the time-stamp token has an unknown version");
        goto out;
    }
    want = TS_REQ_get_msg_imprint(rq);
    got = TS_TST_INFO_get_msg_imprint(ti);
    if (got == NULL ||
        OBJ_cmp(TS_MSG_IMPRINT_get_algo(want)->algorithm,
                TS_MSG_IMPRINT_get_algo(got)->algorithm) != 0 ||
        ASN1_STRING_cmp(TS_MSG_IMPRINT_get_msg(want), TS_MSG_IMPRINT_get_msg(got)) != 0) {
        rc = reject(err, "the token's message imprint does not match the signature (a "
                         "time stamp for other data)");
        goto out;
    }
    tn = TS_TST_INFO_get_nonce(ti);
    if (tn == NULL || ASN1_INTEGER_cmp(TS_REQ_get_nonce(rq), tn) != 0) {
        rc = reject(err, "the token's nonce does not match the request (a replayed or "
                         "misdirected answer)");
        goto out;
    }
    TTS_TRY(token_signature(tok, ti, info, err));
    n = i2d_PKCS7(tok, &der);
    rc = der_copy(der, n, token, token_len, err);
out:
    OPENSSL_free(der);
    TS_RESP_free(rs);
    TS_REQ_free(rq);
    ERR_clear_error();
    return rc;
}

tts_status tts_tsa_token_check(const unsigned char *token, size_t token_len,
                               const unsigned char *data, size_t len, tts_tsa_info *info,
                               tts_error *err)
{
    const unsigned char *p = token;
    PKCS7 *tok = NULL;
    TS_TST_INFO *ti = NULL;
    TS_MSG_IMPRINT *mi;
    const ASN1_OBJECT *obj = NULL;
    const EVP_MD *md = NULL;
    ASN1_OCTET_STRING *want;
    unsigned char got[EVP_MAX_MD_SIZE];
    unsigned int got_len = 0;
    tts_status rc;
    if (info != NULL)
        memset(info, 0, sizeof(*info));
    if (token_len == 0 || token_len > (size_t)TTS_TSA_MAX_REPLY ||
        (tok = d2i_PKCS7(NULL, &p, (long)token_len)) == NULL || p != token + token_len ||
        (ti = PKCS7_to_TS_TST_INFO(tok)) == NULL) {
        rc = reject(err, "the time-stamp token is malformed");
        goto out;
    }
    if (info != NULL)
        describe(ti, NULL, info);
    mi = TS_TST_INFO_get_msg_imprint(ti);
    if (mi != NULL && TS_MSG_IMPRINT_get_algo(mi) != NULL)
        X509_ALGOR_get0(&obj, NULL, NULL, TS_MSG_IMPRINT_get_algo(mi));
    md = obj != NULL ? EVP_get_digestbyobj(obj) : NULL;
    if (md == NULL) {
        rc = reject(err, "the time-stamp token uses an unknown digest");
        goto out;
    }
    want = TS_MSG_IMPRINT_get_msg(mi);
    if (EVP_Digest(data, len, got, &got_len, md, NULL) != 1) {
        rc = tts_sign_ossl_fail(err, TTS_ERR_CRYPTO, "digest failed");
        goto out;
    }
    if (want == NULL || (unsigned)ASN1_STRING_length(want) != got_len ||
        memcmp(ASN1_STRING_get0_data(want), got, got_len) != 0) {
        rc = reject(err, "the token's message imprint does not match the signature (a time "
                         "stamp for other data)");
        goto out;
    }
    rc = token_signature(tok, ti, info, err);
out:
    TS_TST_INFO_free(ti);
    PKCS7_free(tok);
    ERR_clear_error();
    return rc;
}

tts_status tts_tsa_stamp(const char *url, const unsigned char *data, size_t len,
                         unsigned char **token, size_t *token_len, tts_error *err)
{
    unsigned char *req = NULL;
    size_t req_len = 0, resp_len = 0;
    char *resp = NULL;
    tts_fetch_req fr;
    tts_error tmp;
    tts_status rc;
    *token = NULL;
    *token_len = 0;
    tts_error_clear(&tmp);
    if (url == NULL || (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return tts_err_set(err, TTS_ERR_ARG, "timestamp: %s: the time-stamp authority URL must "
                                             "start with http:// or https://",
                           url != NULL ? url : "(none)");
    rc = tts_tsa_request(data, len, &req, &req_len, &tmp);
    if (rc == TTS_OK) {
        memset(&fr, 0, sizeof(fr));
        fr.url = url;
        fr.post_data = req;
        fr.post_len = req_len;
        fr.content_type = "application/timestamp-query";
        fr.accept = "application/timestamp-reply";
        fr.connect_timeout_ms = TTS_TSA_CONNECT_TIMEOUT_MS;
        fr.timeout_ms = TTS_TSA_TIMEOUT_MS;
        fr.max_bytes = TTS_TSA_MAX_REPLY;
        fr.retries = 1;
        fr.retry_delay_ms = 1000;
        rc = tts_fetch_post(&fr, &resp, &resp_len, &tmp);
        if (rc == TTS_OK) {
            rc = tts_tsa_reply_check(req, req_len, (const unsigned char *)resp, resp_len, token,
                                     token_len, NULL, &tmp);
            if (rc == TTS_ERR_VERIFY)
                tts_err_set(err, rc, "timestamp: %s: %s", url, tmp.message);
        }
    }
    if (rc != TTS_OK)
        tts_err_set(err, rc, "timestamp: %s", tmp.message);
    tts_free(resp);
    tts_free(req);
    return rc;
}
