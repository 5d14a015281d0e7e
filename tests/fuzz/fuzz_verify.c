/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: report verification with a malformed or forged detached CMS
 * signature over a fixed report, pinned to a fixed certificate. Whatever
 * the bytes, verify must answer valid, invalid or unreadable, never crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_report[96], g_sig[96], g_cert[96];

static const char cert_pem_path[] = "fixtures/keys/p256.crt";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/tts-fuzz-verify-XXXXXX";
    FILE *in, *out;
    char buf[4096];
    size_t n;
    (void)argc;
    (void)argv;
    tts_init();
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(g_report, sizeof(g_report), "%s/report.json", dir);
    snprintf(g_sig, sizeof(g_sig), "%s/report.json.p7s", dir);
    snprintf(g_cert, sizeof(g_cert), "%s/cert.pem", dir);
    out = fopen(g_report, "wb");
    if (out == NULL)
        abort();
    fputs("{\"format\":\"ttscreen-report/1\",\"verdict\":\"clear\"}\n", out);
    fclose(out);
    /* the certificate comes from the fixtures when run from the repository root */
    in = fopen(cert_pem_path, "rb");
    out = fopen(g_cert, "wb");
    if (out == NULL)
        abort();
    while (in != NULL && (n = fread(buf, 1, sizeof(buf), in)) > 0)
        fwrite(buf, 1, n, out);
    if (in != NULL)
        fclose(in);
    fclose(out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_verify_opts o;
    tts_verify_result res;
    tts_error err;
    FILE *fp;
    if (g_report[0] == '\0')
        LLVMFuzzerInitialize(NULL, NULL);
    fp = fopen(g_sig, "wb");
    if (fp == NULL)
        return 0;
    fwrite(data, 1, size, fp);
    fclose(fp);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.report_path = g_report;
    o.sig_path = g_sig;
    o.cert_path = g_cert;
    tts_error_clear(&err);
    (void)tts_verify_file(&o, &res, &err);
    return 0;
}
