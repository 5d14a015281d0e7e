/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen verify`: check a report's detached signature against a pinned
 * certificate (--cert) or a CA (--ca). Exit 0 valid, 1 invalid (one line
 * naming the reason), 2 unreadable input or bad usage. For a valid
 * ttscreen JSON report it also prints what the signed bytes say about the
 * screening: record, verdict, rule set and list versions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen verify REPORT [--sig REPORT.p7s] (--cert CERT.pem | --ca CA.pem)\n"
    "Check the detached signature of a report written by 'screen -o REPORT --sign ...'.\n"
    "\n"
    "  --sig PATH    the signature (default REPORT.p7s)\n"
    "  --cert PATH   the signer's certificate (pinned: the signer must be it or issued under it)\n"
    "  --ca PATH     trusted CA certificates; the signer must chain to one of them\n"
    "\n"
    "The certificate is checked as of the signing time recorded in the signature. An RFC 3161\n"
    "timestamp in the signature (screen --tsa) is reported and must be a token over this\n"
    "signature whose own signature verifies; the TSA's certificate is not checked against a\n"
    "trust anchor (see docs/signing.md for openssl ts -verify).\n"
    "Exit status: 0 valid, 1 invalid (the reason is printed), 2 unreadable input or usage.\n";

/* Largest report whose content summary we print (the signature check has no limit). */
#define MAX_SUMMARY_INPUT (256L * 1024 * 1024)

/* Print a value from the signed file with control characters made visible. */
static void put_clean(const char *label, const char *s)
{
    printf("%-14s ", label);
    for (const unsigned char *p = (const unsigned char *)(s != NULL ? s : "-"); *p; p++) {
        if (*p < 0x20 || *p == 0x7f)
            printf("\\x%02x", *p);
        else
            putchar(*p);
    }
    putchar('\n');
}

static void print_summary(const tts_report_summary *s)
{
    char buf[64];
    put_clean("record:", s->record_id);
    if (s->record_title != NULL)
        put_clean("title:", s->record_title);
    put_clean("verdict:", s->verdict);
    put_clean("as of:", s->as_of);
    put_clean("generated at:", s->generated_at);
    if (s->rules_count >= 0) {
        snprintf(buf, sizeof(buf), "%ld", s->rules_count);
        put_clean("rules count:", buf);
    }
    put_clean("rules sha256:", s->rules_sha256);
    if (s->n_lists == 0)
        put_clean("lists:", "(none consulted)");
    for (size_t i = 0; i < s->n_lists; i++) {
        const tts_report_list_summary *l = &s->lists[i];
        put_clean("list:", l->source);
        if (l->entries >= 0) {
            snprintf(buf, sizeof(buf), "%ld", l->entries);
            put_clean("  entries:", buf);
        }
        put_clean("  version:", l->version);
        put_clean("  sha256:", l->sha256);
    }
}

/* What the report says about itself, when it is a ttscreen JSON report. */
static void report_summary(const char *path)
{
    size_t len = 0, n = 0;
    char *data = NULL;
    tts_report_summary *s = NULL;
    tts_error err;
    tts_error_clear(&err);
    /* the signature was checked on these bytes already; a file that cannot be read again has
       no summary to add */
    if (tts_file_read(path, MAX_SUMMARY_INPUT, &data, &len, &err) != TTS_OK)
        return;
    if (tts_report_summarize(data, len, &s, &n, &err) == TTS_OK) {
        for (size_t i = 0; i < n; i++) {
            if (n > 1)
                printf("-- report %zu of %zu\n", i + 1, n);
            print_summary(&s[i]);
        }
    }
    tts_report_summaries_free(s, n);
    tts_free(data);
}

static void print_result(const char *report, const tts_verify_result *r)
{
    printf("%s: signature valid\n", report);
    put_clean("signer:", r->signer);
    put_clean("issuer:", r->issuer);
    put_clean("key:", r->algorithm);
    put_clean("cert sha256:", r->fingerprint);
    put_clean("signing time:", r->signing_time[0] != '\0' ? r->signing_time : "(not recorded)");
    if (r->timestamped) {
        char ts[700];
        snprintf(ts, sizeof(ts),
                 "%s by %s (token imprint and signature verified; TSA certificate not checked)",
                 r->timestamp, r->tsa[0] != '\0' ? r->tsa : "(unnamed authority)");
        put_clean("timestamp:", ts);
    } else {
        put_clean("timestamp:", "(none: the signing time is the signer's own claim)");
    }
    if (r->not_after_t != 0 && r->not_after_t < time(NULL)) {
        char note[96];
        snprintf(note, sizeof(note), "%s (expired since the signing time)", r->not_after);
        put_clean("cert expires:", note);
    } else {
        put_clean("cert expires:", r->not_after);
    }
}

int cmd_verify(int argc, char **argv)
{
    const char *sig = NULL, *cert = NULL, *ca = NULL;
    int help = 0, rc = EXIT_ERROR;
    const cli_option opts[] = {
        {"sig", 0, 1, &sig, NULL}, {"cert", 0, 1, &cert, NULL}, {"ca", 0, 1, &ca, NULL},
        {"help", 'h', 0, NULL, &help}, {NULL, 0, 0, NULL, NULL},
    };
    char **operands = NULL;
    size_t n_operands = 0;
    tts_verify_opts vo;
    tts_verify_result res;
    tts_error err;
    tts_status st;

    tts_error_clear(&err);
    if (cli_parse("verify", argc, argv, opts, &operands, &n_operands) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (n_operands != 1) {
        cli_error("verify: expected exactly one REPORT (see 'ttscreen verify --help')");
        goto out;
    }
    if ((cert == NULL) == (ca == NULL)) {
        cli_error("verify: give exactly one of --cert CERT.pem and --ca CA.pem");
        goto out;
    }
    memset(&vo, 0, sizeof(vo));
    vo.size = sizeof(vo);
    vo.report_path = operands[0];
    vo.sig_path = sig;
    vo.cert_path = cert;
    vo.ca_path = ca;
    st = tts_verify_file(&vo, &res, &err);
    if (st == TTS_ERR_VERIFY) {
        cli_report(&err);
        rc = EXIT_FINDINGS;
        goto out;
    }
    if (st != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    print_result(operands[0], &res);
    report_summary(operands[0]);
    rc = fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
out:
    free(operands);
    return rc;
}
