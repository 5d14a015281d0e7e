/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the signing module: digests, passphrase specs, atomic
 * writes, key generation, signing and every verification outcome, key
 * file permissions, and the report summary scanner (including allocation
 * failures). Keys come from fixtures/keys, copied to a private temporary
 * directory with mode 0600 (git does not keep file modes).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/fileio.h"
#include "util/mem.h"
#include "sign/ossl.h"

static char tmpdir[256];

static const char *tmp(const char *name)
{
    static char bufs[8][512];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, 512, "%s/%s", tmpdir, name);
    return b;
}

/* "file:PATH" for a temporary file, in a static buffer. */
static const char *file_spec(const char *name)
{
    static char spec[600];
    snprintf(spec, sizeof(spec), "file:%s", tmp(name));
    return spec;
}

static void write_file(const char *path, const char *data, size_t len, mode_t mode)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

/* Copy fixtures/keys/NAME into the temporary directory with `mode`. */
static const char *key_copy(const char *name, mode_t mode)
{
    char rel[128];
    size_t len = 0;
    char *data;
    const char *dst = tmp(name);
    snprintf(rel, sizeof(rel), "keys/%s", name);
    data = tts_test_read_file(tts_test_fixture(rel), &len);
    unlink(dst);
    write_file(dst, data, len, mode);
    free(data);
    return dst;
}

static int setup_group(void **state)
{
    if (tts_test_scratch_make(tmpdir, sizeof(tmpdir), "sign") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown_group(void **state)
{
    if (tts_test_scratch_remove(tmpdir) != 0)
        return -1;
    return tts_test_use_default_allocator(state);
}

static void test_sha256_known_vector(void **state)
{
    char hex[65];
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_sha256_hex("abc", 3, hex, &err), TTS_OK);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_pass_specs(void **state)
{
    char *pass = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_pass_load("env:X", "secret", &pass, &err), TTS_OK);
    assert_string_equal(pass, "secret");
    tts_pass_free(pass);

    write_file(tmp("pass.txt"), "line one\nline two\n", 18, 0600);
    assert_int_equal(tts_pass_load(file_spec("pass.txt"), NULL, &pass, &err),
                     TTS_OK);
    assert_string_equal(pass, "line one");
    tts_pass_free(pass);

    tts_error_clear(&err);
    assert_int_equal(tts_pass_load("env:MISSING", NULL, &pass, &err), TTS_ERR_ARG);
    assert_null(pass);
    assert_non_null(strstr(err.message, "MISSING is not set"));
    tts_error_clear(&err);
    assert_int_equal(tts_pass_load("pass:secret", NULL, &pass, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "never given on the command line"));
    tts_error_clear(&err);
    assert_int_equal(tts_pass_load("file:/nonexistent/pass", NULL, &pass, &err), TTS_ERR_IO);
    write_file(tmp("empty.txt"), "\n", 1, 0600);
    tts_error_clear(&err);
    assert_int_equal(tts_pass_load(file_spec("empty.txt"), NULL, &pass, &err),
                     TTS_ERR_ARG);
}

static void test_algorithm_names(void **state)
{
    tts_key_algorithm a = TTS_KEY_P256;
    (void)state;
    assert_int_equal(tts_key_algorithm_parse("ed25519", &a), TTS_OK);
    assert_int_equal(a, TTS_KEY_ED25519);
    assert_int_equal(tts_key_algorithm_parse("rsa3072", &a), TTS_OK);
    assert_int_equal(a, TTS_KEY_RSA3072);
    assert_int_equal(tts_key_algorithm_parse("p256", &a), TTS_OK);
    assert_int_equal(a, TTS_KEY_P256);
    assert_int_equal(tts_key_algorithm_parse("dsa", &a), TTS_ERR_ARG);
    assert_int_equal(tts_key_algorithm_parse(NULL, &a), TTS_ERR_ARG);
}

static void test_write_atomic_create_only_and_replace(void **state)
{
    struct stat st;
    size_t len = 0;
    char *data;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    unlink(tmp("atomic"));
    assert_int_equal(tts_fileio_write_atomic(tmp("atomic"), "one", 3, 0600, 0, &err), TTS_OK);
    assert_int_equal(stat(tmp("atomic"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(tts_fileio_write_atomic(tmp("atomic"), "two", 3, 0600, 0, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "already exists"));
    data = tts_test_read_file(tmp("atomic"), &len);
    assert_memory_equal(data, "one", 3);
    free(data);
    tts_error_clear(&err);
    assert_int_equal(tts_fileio_write_atomic(tmp("atomic"), "three", 5, 0600, 1, &err), TTS_OK);
    data = tts_test_read_file(tmp("atomic"), &len);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "three", 5);
    free(data);
    tts_error_clear(&err);
    assert_int_equal(tts_fileio_write_atomic("/nonexistent-dir/x", "x", 1, 0600, 1, &err),
                     TTS_ERR_IO);
}

static tts_status sign_with(const char *report, const char *key, const char *cert,
                            const char *chain, int insecure, tts_error *err)
{
    tts_sign_opts so;
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.report_path = report;
    so.key_path = key;
    so.cert_path = cert;
    so.chain_path = chain;
    so.insecure_key_permissions = insecure;
    so.signing_time = time(NULL);
    return tts_sign_file(&so, err);
}

static tts_status verify_with(const char *report, const char *sig, const char *cert,
                              const char *ca, tts_verify_result *res, tts_error *err)
{
    tts_verify_opts vo;
    memset(&vo, 0, sizeof(vo));
    vo.size = sizeof(vo);
    vo.report_path = report;
    vo.sig_path = sig;
    vo.cert_path = cert;
    vo.ca_path = ca;
    return tts_verify_file(&vo, res, err);
}

static const char report_text[] = "{\"format\":\"ttscreen-report/1\",\"verdict\":\"clear\"}\n";

/* Sign with fixture key NAME, verify, flip one byte, verify again. */
static void round_trip(const char *name, const char *algorithm)
{
    char key[64], crt[64];
    const char *kp, *cp, *rp = tmp("report.json");
    tts_verify_result res;
    tts_error err;
    char flipped[sizeof(report_text)];
    snprintf(key, sizeof(key), "%s.key", name);
    snprintf(crt, sizeof(crt), "%s.crt", name);
    kp = key_copy(key, 0600);
    cp = key_copy(crt, 0644);
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, kp, cp, NULL, 0, &err), TTS_OK);
    assert_int_equal(verify_with(rp, NULL, cp, NULL, &res, &err), TTS_OK);
    assert_int_equal(res.reason, TTS_VERIFY_VALID);
    assert_string_equal(res.algorithm, algorithm);
    assert_int_equal(strlen(res.fingerprint), 64);
    assert_non_null(strstr(res.signer, "ttscreen test signer"));
    assert_int_not_equal(res.signing_time_t, 0);
    assert_int_equal(strlen(res.signing_time), 20);
    memcpy(flipped, report_text, sizeof(report_text));
    flipped[20] ^= 1;
    write_file(rp, flipped, sizeof(report_text) - 1, 0644);
    assert_int_equal(verify_with(rp, NULL, cp, NULL, &res, &err), TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_CONTENT_CHANGED);
    assert_non_null(strstr(err.message, "content changed"));
}

static void test_round_trip_p256(void **state)
{
    (void)state;
    round_trip("p256", "P-256");
}

static void test_round_trip_rsa3072(void **state)
{
    (void)state;
    round_trip("rsa3072", "RSA-3072");
}

static void test_round_trip_ed25519(void **state)
{
    (void)state;
    round_trip("ed25519", "Ed25519");
}

static void test_verify_wrong_signer_and_chain(void **state)
{
    const char *rp = tmp("chain.json"), *kp = key_copy("leaf.key", 0600);
    const char *cp = key_copy("leaf.crt", 0644), *chain = key_copy("chain.pem", 0644);
    const char *ca = key_copy("ca.crt", 0644), *other = key_copy("other.crt", 0644);
    tts_verify_result res;
    tts_error err;
    (void)state;
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, kp, cp, chain, 0, &err), TTS_OK);
    assert_int_equal(verify_with(rp, NULL, NULL, ca, &res, &err), TTS_OK);
    assert_non_null(strstr(res.signer, "compliance officer"));
    assert_non_null(strstr(res.issuer, "Test Org Signing CA"));
    assert_int_equal(verify_with(rp, NULL, cp, NULL, &res, &err), TTS_OK);
    assert_int_equal(verify_with(rp, NULL, other, NULL, &res, &err), TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_WRONG_SIGNER);
    assert_non_null(strstr(err.message, "wrong signer"));
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, NULL, other, &res, &err), TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_WRONG_SIGNER);
}

static void test_verify_expired_certificate(void **state)
{
    tts_verify_result res;
    tts_error err;
    char rp[4096];
    (void)state;
    snprintf(rp, sizeof(rp), "%s", tts_test_fixture("keys/expired-report.txt"));
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, tts_test_fixture("keys/expired.crt"), NULL, &res, &err),
                     TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_EXPIRED);
    assert_non_null(strstr(err.message, "2021-01-01"));
}

static void test_verify_certificate_not_for_signatures(void **state)
{
    tts_verify_result res;
    tts_error err;
    char rp[4096];
    (void)state;
    snprintf(rp, sizeof(rp), "%s", tts_test_fixture("keys/certsign-report.txt"));
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, tts_test_fixture("keys/certsign.crt"), NULL, &res,
                                 &err),
                     TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_UNTRUSTED);
    assert_non_null(strstr(err.message, "not for digital signatures"));
}

static void test_sign_refuses_expired_certificate(void **state)
{
    const char *rp = tmp("exp.json"), *kp = key_copy("expired.key", 0600);
    const char *cp = key_copy("expired.crt", 0644);
    tts_error err;
    (void)state;
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, kp, cp, NULL, 0, &err), TTS_ERR_CRYPTO);
    assert_non_null(strstr(err.message, "expired on 2021-01-01"));
}

static void test_verify_malformed_and_unreadable(void **state)
{
    const char *rp = tmp("m.json"), *sp = tmp("m.json.p7s"), *cp = key_copy("p256.crt", 0644);
    tts_verify_result res;
    tts_error err;
    (void)state;
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    write_file(sp, "-----BEGIN CMS-----\nAAAA\n-----END CMS-----\n", 42, 0644);
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, cp, NULL, &res, &err), TTS_ERR_VERIFY);
    assert_int_equal(res.reason, TTS_VERIFY_MALFORMED);
    tts_error_clear(&err);
    assert_int_equal(verify_with(tmp("none.json"), sp, cp, NULL, &res, &err), TTS_ERR_IO);
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, tmp("none.p7s"), cp, NULL, &res, &err), TTS_ERR_IO);
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, cp, cp, &res, &err), TTS_ERR_ARG);
    tts_error_clear(&err);
    assert_int_equal(verify_with(rp, NULL, rp, NULL, &res, &err), TTS_ERR_CRYPTO);
}

static void test_key_permissions(void **state)
{
    const char *rp = tmp("perm.json"), *loose = key_copy("p256.key", 0640);
    const char *cp = key_copy("p256.crt", 0644), *link_path = tmp("link.key");
    tts_error err;
    (void)state;
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, loose, cp, NULL, 0, &err), TTS_ERR_IO);
    assert_non_null(strstr(err.message, "mode 0640"));
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, loose, cp, NULL, 1, &err), TTS_OK);
    unlink(link_path);
    assert_int_equal(symlink(loose, link_path), 0);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, link_path, cp, NULL, 0, &err), TTS_ERR_IO);
    assert_int_equal(chmod(loose, 0600), 0);
    tts_error_clear(&err);
    assert_int_equal(sign_with(rp, link_path, cp, NULL, 0, &err), TTS_OK);
}

static void test_keygen_then_sign(void **state)
{
    static const tts_key_algorithm algs[] = {TTS_KEY_P256, TTS_KEY_ED25519};
    struct stat st;
    tts_keygen_opts ko;
    tts_verify_result res;
    tts_error err;
    (void)state;
    for (size_t i = 0; i < 2; i++) {
        const char *kp = tmp("gen.key"), *cp = tmp("gen.crt"), *rp = tmp("gen.json");
        unlink(kp);
        unlink(cp);
        memset(&ko, 0, sizeof(ko));
        ko.size = sizeof(ko);
        ko.key_path = kp;
        ko.cert_path = cp;
        ko.subject = "/O=Acme \\/ Partners/CN=Officer";
        ko.algorithm = algs[i];
        ko.now = time(NULL);
        tts_error_clear(&err);
        assert_int_equal(tts_keygen(&ko, NULL, &err), TTS_OK);
        assert_int_equal(stat(kp, &st), 0);
        assert_int_equal(st.st_mode & 0777, 0600);
        assert_int_equal(tts_keygen(&ko, NULL, &err), TTS_ERR_ARG);
        write_file(rp, report_text, sizeof(report_text) - 1, 0644);
        tts_error_clear(&err);
        assert_int_equal(sign_with(rp, kp, cp, NULL, 0, &err), TTS_OK);
        assert_int_equal(verify_with(rp, NULL, cp, NULL, &res, &err), TTS_OK);
        assert_non_null(strstr(res.signer, "O = Acme / Partners, CN = Officer"));
    }
    ko.subject = "/O=";
    ko.force = 1;
    tts_error_clear(&err);
    assert_int_equal(tts_keygen(&ko, NULL, &err), TTS_ERR_ARG);
    ko.subject = NULL;
    ko.days = 40000;
    tts_error_clear(&err);
    assert_int_equal(tts_keygen(&ko, NULL, &err), TTS_ERR_ARG);
}

static void test_keygen_encrypted_key_needs_pass(void **state)
{
    const char *kp = tmp("enc.key"), *cp = tmp("enc.crt"), *rp = tmp("enc.json");
    tts_keygen_opts ko;
    tts_sign_opts so;
    tts_error err;
    (void)state;
    unlink(kp);
    unlink(cp);
    memset(&ko, 0, sizeof(ko));
    ko.size = sizeof(ko);
    ko.key_path = kp;
    ko.cert_path = cp;
    ko.pass = "correct horse";
    ko.now = time(NULL);
    tts_error_clear(&err);
    assert_int_equal(tts_keygen(&ko, NULL, &err), TTS_OK);
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.report_path = rp;
    so.key_path = kp;
    so.cert_path = cp;
    so.signing_time = time(NULL);
    assert_int_equal(tts_sign_file(&so, &err), TTS_ERR_CRYPTO);
    assert_non_null(strstr(err.message, "encrypted"));
    so.pass = "wrong horse";
    tts_error_clear(&err);
    assert_int_equal(tts_sign_file(&so, &err), TTS_ERR_CRYPTO);
    assert_non_null(strstr(err.message, "wrong passphrase"));
    so.pass = "correct horse";
    tts_error_clear(&err);
    assert_int_equal(tts_sign_file(&so, &err), TTS_OK);
}

/* Every allocation of ours failing in turn: a clean TTS_ERR_NOMEM, no leak. */
static void test_sign_verify_keygen_out_of_memory(void **state)
{
    char rp[512], kp[512], cp[512], okey[512], ocrt[512];
    tts_verify_result res;
    tts_keygen_opts ko;
    tts_error err;
    tts_status rc;
    int phase;
    (void)state;
    snprintf(rp, sizeof(rp), "%s", tmp("oom.json"));
    snprintf(kp, sizeof(kp), "%s", key_copy("p256.key", 0600));
    snprintf(cp, sizeof(cp), "%s", key_copy("p256.crt", 0644));
    snprintf(okey, sizeof(okey), "%s", tmp("oom.key"));
    snprintf(ocrt, sizeof(ocrt), "%s", tmp("oom.crt"));
    write_file(rp, report_text, sizeof(report_text) - 1, 0644);
    for (phase = 0; phase < 3; phase++) {
        unsigned long k;
        rc = TTS_ERR_NOMEM;
        for (k = 1; k < 200 && rc == TTS_ERR_NOMEM; k++) {
            tts_error_clear(&err);
            unlink(okey);
            unlink(ocrt);
            tts_mem_fail_after(k);
            if (phase == 0) {
                rc = sign_with(rp, kp, cp, NULL, 0, &err);
            } else if (phase == 1) {
                rc = verify_with(rp, NULL, cp, NULL, &res, &err);
            } else {
                memset(&ko, 0, sizeof(ko));
                ko.size = sizeof(ko);
                ko.key_path = okey;
                ko.cert_path = ocrt;
                ko.now = time(NULL);
                rc = tts_keygen(&ko, NULL, &err);
            }
            tts_mem_fail_after(0);
        }
        if (rc != TTS_OK)
            fail_msg("phase %d: %s", phase, err.message);
        assert_true(k > 2); /* at least one allocation did fail on the way */
    }
}

/* ------------------------------------------------------- report summaries */

static const char sample_report[] =
    "{\"format\":\"ttscreen-report/1\",\"tool\":{\"name\":\"ttscreen\",\"version\":\"0.1.0\"},"
    "\"generated_at\":\"2026-01-01T00:00:00Z\",\"as_of\":\"2026-01-01\","
    "\"record\":{\"id\":\"acme-1\",\"sha256\":\"00\",\"title\":\"Caf\\u00e9 \\ud83d\\ude00\","
    "\"kind\":\"licence\"},\"rules\":{\"count\":42,\"sha256\":\"abc\"},"
    "\"lists\":[{\"source\":\"us-csl\",\"entries\":7,\"imported_at\":\"2026-01-02T00:00:00Z\","
    "\"sha256\":\"ff\"},{\"source\":\"ofac-sdn\",\"fetched_at\":\"2026-01-03T00:00:00Z\"}],"
    "\"verdict\":\"review\",\"findings\":[{\"rule\":\"x\",\"evidence\":[\"a = 1\",{\"n\":[1,2.5e3,"
    "true,false,null]}]}]}\n";

static void test_summary_of_a_report(void **state)
{
    tts_report_summary *s = NULL;
    size_t n = 0;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_report_summarize(sample_report, strlen(sample_report), &s, &n, &err),
                     TTS_OK);
    assert_int_equal(n, 1);
    assert_string_equal(s[0].record_id, "acme-1");
    assert_string_equal(s[0].record_title, "Caf\xc3\xa9 \xf0\x9f\x98\x80");
    assert_string_equal(s[0].verdict, "review");
    assert_string_equal(s[0].rules_sha256, "abc");
    assert_int_equal(s[0].rules_count, 42);
    assert_string_equal(s[0].as_of, "2026-01-01");
    assert_int_equal(s[0].n_lists, 2);
    assert_string_equal(s[0].lists[0].source, "us-csl");
    assert_int_equal(s[0].lists[0].entries, 7);
    assert_string_equal(s[0].lists[0].version, "2026-01-02T00:00:00Z");
    assert_string_equal(s[0].lists[1].version, "2026-01-03T00:00:00Z");
    assert_null(s[0].lists[1].sha256);
    assert_int_equal(s[0].lists[1].entries, -1);
    tts_report_summaries_free(s, n);
}

static void test_summary_of_json_lines_and_other_json(void **state)
{
    static const char two[] = "{\"format\":\"ttscreen-report/1\",\"record\":{\"id\":\"a\"}}\n"
                              "{\"format\":\"other\"}\n"
                              "{\"format\":\"ttscreen-report/1\",\"record\":{\"id\":\"b\"}}\n";
    tts_report_summary *s = NULL;
    size_t n = 0;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_report_summarize(two, strlen(two), &s, &n, &err), TTS_OK);
    assert_int_equal(n, 2);
    assert_string_equal(s[0].record_id, "a");
    assert_string_equal(s[1].record_id, "b");
    tts_report_summaries_free(s, n);
    assert_int_equal(tts_report_summarize("{\"a\":1}", 7, &s, &n, &err), TTS_OK);
    assert_int_equal(n, 0);
    assert_null(s);
}

static void test_summary_rejects_bad_json_with_position(void **state)
{
    static const struct {
        const char *text;
        const char *message;
        int line, column;
    } bad[] = {
        {"{\"a\":1,\n \"b\":}", "unexpected token", 2, 6},
        {"{\"a\":\"x\x01\"}", "control character", 1, 7},
        {"{\"a\":\"\\ud800\"}", "invalid Unicode", 1, 13},
        {"{\"a\":\"\\q\"}", "invalid escape", 1, 8},
        {"{\"a\":01}", "invalid token", 1, 6},
        {"{\"a\":[1,2}", "']' expected", 1, 10},
        {"{\"a\" 1}", "':' expected", 1, 6},
        {"[1]", "expected a JSON object", 1, 1},
        {"{\"a\":\"unterminated", "premature end of input", 1, 18},
        {"{\"a\":tru}", "invalid token", 1, 8},
        {"{\"a\":1}\n{\"b\":2}\n3", "expected a JSON object", 3, 1},
    };
    tts_report_summary *s = NULL;
    size_t n = 0;
    tts_error err;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        tts_error_clear(&err);
        if (tts_report_summarize(bad[i].text, strlen(bad[i].text), &s, &n, &err) != TTS_ERR_JSON)
            fail_msg("row %zu: accepted %s", i, bad[i].text);
        if (strstr(err.message, bad[i].message) == NULL)
            fail_msg("row %zu: message '%s' lacks '%s'", i, err.message, bad[i].message);
        if (err.line != bad[i].line || err.column != bad[i].column)
            fail_msg("row %zu: position %d:%d, expected %d:%d", i, err.line, err.column,
                     bad[i].line, bad[i].column);
        assert_null(s);
        assert_int_equal(n, 0);
    }
}

static void test_summary_bounds_nesting(void **state)
{
    char deep[400];
    tts_report_summary *s = NULL;
    size_t n = 0, k = 0;
    tts_error err;
    (void)state;
    /* {"a":[[...[]...]]} nested 100 deep: well-formed, and deeper than the bound */
    memset(deep, 0, sizeof(deep));
    k += (size_t)snprintf(deep, sizeof(deep), "{\"a\":");
    memset(deep + k, '[', 100);
    memset(deep + k + 100, ']', 100);
    deep[k + 200] = '}';
    tts_error_clear(&err);
    assert_int_equal(tts_report_summarize(deep, strlen(deep), &s, &n, &err), TTS_ERR_JSON);
    assert_non_null(strstr(err.message, "nesting too deep"));
    assert_null(s);
    /* the same text cut short is an error too, not a report */
    deep[k + 150] = '\0';
    tts_error_clear(&err);
    assert_int_equal(tts_report_summarize(deep, strlen(deep), &s, &n, &err), TTS_ERR_JSON);
    assert_null(s);
}

static void test_summary_out_of_memory(void **state)
{
    tts_report_summary *s = NULL;
    size_t n = 0;
    tts_error err;
    tts_status rc;
    (void)state;
    for (unsigned long k = 1; k < 1000; k++) {
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_report_summarize(sample_report, strlen(sample_report), &s, &n, &err);
        tts_mem_fail_after(0);
        if (rc == TTS_OK) {
            assert_int_equal(n, 1);
            tts_report_summaries_free(s, n);
            return;
        }
        assert_int_equal(rc, TTS_ERR_NOMEM);
        assert_null(s);
    }
    fail_msg("never succeeded");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_known_vector),
        cmocka_unit_test(test_pass_specs),
        cmocka_unit_test(test_algorithm_names),
        cmocka_unit_test(test_write_atomic_create_only_and_replace),
        cmocka_unit_test(test_round_trip_p256),
        cmocka_unit_test(test_round_trip_rsa3072),
        cmocka_unit_test(test_round_trip_ed25519),
        cmocka_unit_test(test_verify_wrong_signer_and_chain),
        cmocka_unit_test(test_verify_expired_certificate),
        cmocka_unit_test(test_verify_certificate_not_for_signatures),
        cmocka_unit_test(test_sign_refuses_expired_certificate),
        cmocka_unit_test(test_verify_malformed_and_unreadable),
        cmocka_unit_test(test_key_permissions),
        cmocka_unit_test(test_keygen_then_sign),
        cmocka_unit_test(test_keygen_encrypted_key_needs_pass),
        cmocka_unit_test(test_sign_verify_keygen_out_of_memory),
        cmocka_unit_test(test_summary_of_a_report),
        cmocka_unit_test(test_summary_of_json_lines_and_other_json),
        cmocka_unit_test(test_summary_rejects_bad_json_with_position),
        cmocka_unit_test(test_summary_bounds_nesting),
        cmocka_unit_test(test_summary_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
