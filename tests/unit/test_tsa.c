/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of RFC 3161 time stamps (sign_tsa.c and the verification of
 * embedded tokens in sign.c): the shape of a request, and the checking of
 * replies and tokens made by the stock `openssl ts -reply` with the test
 * authority (tests/httpd/tsa.cnf, fixtures/keys/tsa*): granted, for another
 * request (imprint, nonce), rejected, garbage, damaged; allocation failures.
 * No network: replies are made from files.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/pem.h> /* before cms.h */
#include <openssl/cms.h>
#include <openssl/ts.h>

#include "ttscreen.h"
#include "util/mem.h"
#include "sign/tsa.h"

static char dir[256];
static char conf[4096];

static const char *path_in(const char *name)
{
    static char bufs[4][512];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, 512, "%s/%s", dir, name);
    return b;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
}

static void copy_fixture(const char *name, mode_t mode)
{
    char rel[64];
    size_t len = 0;
    char *data;
    snprintf(rel, sizeof(rel), "keys/%s", name);
    data = tts_test_read_file(tts_test_fixture(rel), &len);
    assert_non_null(data);
    write_file(path_in(name), data, len);
    assert_int_equal(chmod(path_in(name), mode), 0);
    free(data);
}

static int setup_group(void **state)
{
    if (tts_test_scratch_make(dir, sizeof(dir), "tsa") != 0 || realpath(tts_test_fixture("../tests/httpd/tsa.cnf"), conf) == NULL)
        return -1;
    setenv("TTS_TSA_DIR", dir, 1);
    if (tts_init() != TTS_OK)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown_group(void **state)
{
    tts_fini();
    if (tts_test_scratch_remove(dir) != 0)
        return -1;
    return tts_test_use_default_allocator(state);
}

static int setup_keys(void **state)
{
    (void)state;
    copy_fixture("tsa.key", 0600);
    copy_fixture("tsa.crt", 0644);
    copy_fixture("tsa-ca.crt", 0644);
    return 0;
}

/* The test authority's reply to a DER query (malloc'd). */
static unsigned char *reply_to(const unsigned char *q, size_t qlen, size_t *rlen)
{
    char cmd[5000];
    unsigned char *r;
    write_file(path_in("q.tsq"), q, qlen);
    unlink(path_in("r.tsr"));
    snprintf(cmd, sizeof(cmd), "openssl ts -reply -config '%s' -queryfile '%s' -out '%s' 2>/dev/null",
             conf, path_in("q.tsq"), path_in("r.tsr"));
    assert_int_equal(system(cmd), 0);
    r = (unsigned char *)tts_test_read_file(path_in("r.tsr"), rlen);
    assert_non_null(r);
    return r;
}

static unsigned char *request(const char *data, size_t *len)
{
    unsigned char *q = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_request((const unsigned char *)data, strlen(data), &q, len, &err),
                     TTS_OK);
    assert_non_null(q);
    return q;
}

static void test_request_shape(void **state)
{
    static const unsigned char abc_sha256[32] = {
        0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
        0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
    size_t la = 0, lb = 0;
    unsigned char *a = request("abc", &la), *b = request("abc", &lb);
    const unsigned char *p = a;
    TS_REQ *ra = d2i_TS_REQ(NULL, &p, (long)la), *rb;
    TS_MSG_IMPRINT *mi;
    (void)state;
    assert_non_null(ra);
    p = b;
    rb = d2i_TS_REQ(NULL, &p, (long)lb);
    assert_non_null(rb);
    assert_int_equal(TS_REQ_get_version(ra), 1);
    assert_int_equal(TS_REQ_get_cert_req(ra), 1);
    mi = TS_REQ_get_msg_imprint(ra);
    assert_int_equal(OBJ_obj2nid(TS_MSG_IMPRINT_get_algo(mi)->algorithm), NID_sha256);
    assert_int_equal(ASN1_STRING_length(TS_MSG_IMPRINT_get_msg(mi)), 32);
    assert_memory_equal(ASN1_STRING_get0_data(TS_MSG_IMPRINT_get_msg(mi)), abc_sha256, 32);
    assert_non_null(TS_REQ_get_nonce(ra));
    assert_int_equal(ASN1_STRING_length(TS_REQ_get_nonce(ra)), 8);
    assert_int_not_equal(ASN1_INTEGER_cmp(TS_REQ_get_nonce(ra), TS_REQ_get_nonce(rb)), 0);
    assert_null(TS_REQ_get_policy_id(ra));
    TS_REQ_free(ra);
    TS_REQ_free(rb);
    tts_free(a);
    tts_free(b);
}

static void test_granted_reply_and_its_token(void **state)
{
    size_t ql = 0, rl = 0, tl = 0;
    unsigned char *q = request("signature value", &ql), *r = reply_to(q, ql, &rl), *tok = NULL;
    tts_tsa_info info;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, rl, &tok, &tl, &info, &err), TTS_OK);
    assert_non_null(tok);
    assert_true(tl > 100);
    assert_int_equal(strlen(info.gen_time), 20);
    assert_true(info.gen_time_t > 1700000000);
    assert_string_equal(info.tsa, "O = Test TSA, CN = ttscreen test time-stamp authority");
    assert_string_equal(info.hash, "SHA256");
    assert_string_equal(info.policy, "1.2.3.4.1");
    assert_true(strlen(info.serial) > 0);
    /* the token alone, over the right and over other data */
    memset(&info, 0, sizeof(info));
    assert_int_equal(tts_tsa_token_check(tok, tl, (const unsigned char *)"signature value", 15,
                                         &info, &err),
                     TTS_OK);
    assert_string_equal(info.tsa, "O = Test TSA, CN = ttscreen test time-stamp authority");
    assert_int_equal(tts_tsa_token_check(tok, tl, (const unsigned char *)"signature valuE", 15,
                                         &info, &err),
                     TTS_ERR_VERIFY);
    assert_non_null(strstr(err.message, "message imprint does not match"));
    free(r);
    tts_free(q);
    tts_free(tok);
}

static void test_reply_to_another_request(void **state)
{
    size_t la = 0, lb = 0, lc = 0, rl = 0, tl = 0;
    unsigned char *a = request("data A", &la), *b = request("data B", &lb),
                  *c = request("data A", &lc), *r = reply_to(a, la, &rl), *tok = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(b, lb, r, rl, &tok, &tl, NULL, &err), TTS_ERR_VERIFY);
    assert_null(tok);
    assert_non_null(strstr(err.message, "message imprint does not match the signature"));
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(c, lc, r, rl, &tok, &tl, NULL, &err), TTS_ERR_VERIFY);
    assert_null(tok);
    assert_non_null(strstr(err.message, "nonce does not match the request"));
    free(r);
    tts_free(a);
    tts_free(b);
    tts_free(c);
}

static void test_garbage_and_truncated_replies(void **state)
{
    size_t ql = 0, rl = 0, tl = 0;
    unsigned char *q = request("x", &ql), *r = reply_to(q, ql, &rl), *tok = NULL;
    unsigned char *longer = malloc(rl + 1);
    tts_error err;
    (void)state;
    assert_non_null(longer);
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, (const unsigned char *)"not a reply\n", 12, &tok,
                                         &tl, NULL, &err),
                     TTS_ERR_VERIFY);
    assert_non_null(strstr(err.message, "not an RFC 3161 time-stamp response"));
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, 0, &tok, &tl, NULL, &err), TTS_ERR_VERIFY);
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, rl / 2, &tok, &tl, NULL, &err), TTS_ERR_VERIFY);
    assert_non_null(strstr(err.message, "not an RFC 3161"));
    memcpy(longer, r, rl);
    longer[rl] = 0;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, longer, rl + 1, &tok, &tl, NULL, &err),
                     TTS_ERR_VERIFY);
    assert_null(tok);
    free(longer);
    free(r);
    tts_free(q);
}

static void test_rejected_request(void **state)
{
    char cmd[5000];
    size_t ql = 0, rl = 0, tl = 0;
    unsigned char *q, *r, *tok = NULL;
    tts_error err;
    (void)state;
    write_file(path_in("data"), "x", 1);
    /* SHA-1 is not among the test authority's digests: a rejection (badAlg) */
    snprintf(cmd, sizeof(cmd), "openssl ts -query -data '%s' -sha1 -cert -out '%s' 2>/dev/null",
             path_in("data"), path_in("sha1.tsq"));
    assert_int_equal(system(cmd), 0);
    q = (unsigned char *)tts_test_read_file(path_in("sha1.tsq"), &ql);
    assert_non_null(q);
    r = reply_to(q, ql, &rl);
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, rl, &tok, &tl, NULL, &err), TTS_ERR_VERIFY);
    assert_null(tok);
    assert_non_null(strstr(err.message, "granted no token: status rejection (badAlg)"));
    free(r);
    free(q);
}

static void test_damaged_token(void **state)
{
    size_t ql = 0, rl = 0, tl = 0;
    unsigned char *q = request("d", &ql), *r = reply_to(q, ql, &rl), *tok = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, rl, &tok, &tl, NULL, &err), TTS_OK);
    tok[tl - 1] ^= 1; /* the TSA's signature value ends the token */
    assert_int_equal(tts_tsa_token_check(tok, tl, (const unsigned char *)"d", 1, NULL, &err),
                     TTS_ERR_VERIFY);
    assert_non_null(strstr(err.message, "token's signature does not verify"));
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_token_check(tok, tl / 2, (const unsigned char *)"d", 1, NULL, &err),
                     TTS_ERR_VERIFY);
    assert_non_null(strstr(err.message, "malformed"));
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_token_check(r, rl, (const unsigned char *)"d", 1, NULL, &err),
                     TTS_ERR_VERIFY); /* a whole response is not a token */
    free(r);
    tts_free(q);
    tts_free(tok);
}

static void test_stamp_refuses_other_schemes_and_reports_unreachable(void **state)
{
    unsigned char *tok = NULL;
    size_t tl = 0;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_stamp("file:///etc/passwd", (const unsigned char *)"x", 1, &tok, &tl,
                                   &err),
                     TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "http:// or https://"));
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_stamp("http://127.0.0.1:1/tsa", (const unsigned char *)"x", 1, &tok,
                                   &tl, &err),
                     TTS_ERR_NET);
    assert_null(tok);
    assert_true(strncmp(err.message, "timestamp: http://127.0.0.1:1/tsa: ", 35) == 0);
}

/* ----------------------------------------- tokens embedded in a signature */

/* Add the token the test authority gives for `data` to the first signer of a PEM .p7s. */
static void embed_token(const char *p7s_path, const unsigned char *data, size_t len, int use_sig)
{
    char p7s[512];
    BIO *in, *out;
    CMS_ContentInfo *cms;
    CMS_SignerInfo *si;
    ASN1_OCTET_STRING *sv;
    size_t ql = 0, rl = 0, tl = 0;
    unsigned char *q, *r, *tok = NULL;
    tts_error err;
    snprintf(p7s, sizeof(p7s), "%s", p7s_path); /* path_in() buffers are reused below */
    in = BIO_new_file(p7s, "rb");
    assert_non_null(in);
    cms = PEM_read_bio_CMS(in, NULL, NULL, NULL);
    BIO_free(in);
    assert_non_null(cms);
    si = sk_CMS_SignerInfo_value(CMS_get0_SignerInfos(cms), 0);
    sv = CMS_SignerInfo_get0_signature(si);
    if (use_sig) {
        data = ASN1_STRING_get0_data(sv);
        len = (size_t)ASN1_STRING_length(sv);
    }
    tts_error_clear(&err);
    assert_int_equal(tts_tsa_request(data, len, &q, &ql, &err), TTS_OK);
    r = reply_to(q, ql, &rl);
    assert_int_equal(tts_tsa_reply_check(q, ql, r, rl, &tok, &tl, NULL, &err), TTS_OK);
    assert_int_equal(CMS_unsigned_add1_attr_by_NID(si, NID_id_smime_aa_timeStampToken,
                                                   V_ASN1_SEQUENCE, tok, (int)tl),
                     1);
    out = BIO_new_file(p7s, "wb");
    assert_non_null(out);
    assert_int_equal(PEM_write_bio_CMS(out, cms), 1);
    BIO_free(out);
    CMS_ContentInfo_free(cms);
    free(r);
    tts_free(q);
    tts_free(tok);
}

static tts_status sign_and_verify(int stamp, int use_sig, tts_verify_result *res, tts_error *err)
{
    static const char report[] = "{\"format\":\"ttscreen-report/1\",\"verdict\":\"clear\"}\n";
    tts_sign_opts so;
    tts_verify_opts vo;
    copy_fixture("p256.key", 0600);
    copy_fixture("p256.crt", 0644);
    write_file(path_in("r.json"), report, sizeof(report) - 1);
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.report_path = path_in("r.json");
    so.key_path = path_in("p256.key");
    so.cert_path = path_in("p256.crt");
    so.signing_time = time(NULL);
    tts_error_clear(err);
    assert_int_equal(tts_sign_file(&so, err), TTS_OK);
    if (stamp)
        embed_token(path_in("r.json.p7s"), (const unsigned char *)"other data", 10, use_sig);
    memset(&vo, 0, sizeof(vo));
    vo.size = sizeof(vo);
    vo.report_path = path_in("r.json");
    vo.cert_path = path_in("p256.crt");
    return tts_verify_file(&vo, res, err);
}

static void test_verify_reports_an_embedded_token(void **state)
{
    tts_verify_result res;
    tts_error err;
    (void)state;
    assert_int_equal(sign_and_verify(0, 0, &res, &err), TTS_OK);
    assert_int_equal(res.timestamped, 0);
    assert_string_equal(res.timestamp, "");
    assert_int_equal(sign_and_verify(1, 1, &res, &err), TTS_OK);
    assert_int_equal(res.reason, TTS_VERIFY_VALID);
    assert_int_equal(res.timestamped, 1);
    assert_int_equal(strlen(res.timestamp), 20);
    assert_true(res.timestamp_t > 1700000000);
    assert_string_equal(res.tsa, "O = Test TSA, CN = ttscreen test time-stamp authority");
}

static void test_verify_refuses_a_token_for_other_data(void **state)
{
    tts_verify_result res;
    tts_error err;
    (void)state;
    assert_int_equal(sign_and_verify(1, 0, &res, &err), TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_BAD_TIMESTAMP);
    assert_string_equal(tts_verify_reason_name(res.reason), "bad timestamp");
    assert_non_null(strstr(err.message, "bad timestamp: the token's message imprint"));
}

/* Every allocation of ours failing in turn: a clean TTS_ERR_NOMEM, no leak. */
static void test_out_of_memory(void **state)
{
    size_t ql = 0, rl = 0, tl = 0, ql2 = 0;
    unsigned char *q = request("oom", &ql), *r = reply_to(q, ql, &rl), *tok = NULL, *q2 = NULL;
    tts_error err;
    tts_status rc = TTS_ERR_NOMEM;
    unsigned long k;
    (void)state;
    for (k = 1; k < 50 && rc == TTS_ERR_NOMEM; k++) {
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_tsa_request((const unsigned char *)"oom", 3, &q2, &ql2, &err);
        if (rc == TTS_OK)
            rc = tts_tsa_reply_check(q, ql, r, rl, &tok, &tl, NULL, &err);
        tts_mem_fail_after(0);
        tts_free(q2);
        q2 = NULL;
        tts_free(tok);
        tok = NULL;
    }
    assert_int_equal(rc, TTS_OK);
    assert_true(k > 2);
    free(r);
    tts_free(q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_request_shape, setup_keys),
        cmocka_unit_test_setup(test_granted_reply_and_its_token, setup_keys),
        cmocka_unit_test_setup(test_reply_to_another_request, setup_keys),
        cmocka_unit_test_setup(test_garbage_and_truncated_replies, setup_keys),
        cmocka_unit_test_setup(test_rejected_request, setup_keys),
        cmocka_unit_test_setup(test_damaged_token, setup_keys),
        cmocka_unit_test_setup(test_stamp_refuses_other_schemes_and_reports_unreachable, setup_keys),
        cmocka_unit_test_setup(test_verify_reports_an_embedded_token, setup_keys),
        cmocka_unit_test_setup(test_verify_refuses_a_token_for_other_data, setup_keys),
        cmocka_unit_test_setup(test_out_of_memory, setup_keys),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
