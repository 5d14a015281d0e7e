/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen keygen`: a new private key (mode 0600 from creation) and a
 * self-signed certificate for signing reports. Existing files are kept
 * unless --force; a passphrase comes from env:VAR or file:PATH, never from
 * the command line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen keygen --key KEY.pem --cert CERT.pem [options]\n"
    "Create a private key (file mode 0600) and a self-signed X.509 certificate for\n"
    "signing reports (screen --sign KEY --cert CERT).\n"
    "\n"
    "  --key PATH            the new private key (PEM, PKCS #8)\n"
    "  --cert PATH           the new certificate (PEM); give it to whoever verifies\n"
    "  --subject NAME        certificate subject, e.g. \"/O=Acme Corp/CN=Export Control Office\"\n"
    "                        (default \"/CN=ttscreen report signer\")\n"
    "  --days N              validity in days, 1..36500 (default 730)\n"
    "  --algorithm ALG       p256 (default), ed25519 or rsa3072\n"
    "  --pass env:VAR|file:PATH  encrypt the key with this passphrase\n"
    "  --force               replace existing files (atomically)\n"
    "\n"
    "Note: stock 'openssl cms' cannot verify Ed25519 signatures; prefer p256 or rsa3072\n"
    "when auditors check reports without ttscreen.\n"
    "Exit status: 0 success, 2 error.\n";

/* Parse --days: a whole number in 1..36500. */
static int parse_days(const char *s, int *out)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno != 0 || end == s || *end != '\0' || v < 1 || v > 36500)
        return -1;
    *out = (int)v;
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    const char *key = NULL, *cert = NULL, *subject = NULL, *days = NULL, *alg = NULL,
               *pass_spec = NULL;
    int force = 0, help = 0, rc = EXIT_ERROR;
    const cli_option opts[] = {
        {"key", 0, 1, &key, NULL},         {"cert", 0, 1, &cert, NULL},
        {"subject", 0, 1, &subject, NULL}, {"days", 0, 1, &days, NULL},
        {"algorithm", 0, 1, &alg, NULL},   {"pass", 0, 1, &pass_spec, NULL},
        {"force", 0, 0, NULL, &force},     {"help", 'h', 0, NULL, &help},
        {NULL, 0, 0, NULL, NULL},
    };
    char **operands = NULL;
    size_t n_operands = 0;
    char *pass = NULL, fingerprint[65] = "";
    tts_keygen_opts ko;
    tts_error err;

    tts_error_clear(&err);
    memset(&ko, 0, sizeof(ko));
    ko.size = sizeof(ko);
    if (cli_parse("keygen", argc, argv, opts, &operands, &n_operands) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        rc = EXIT_CLEAN;
        goto out;
    }
    if (n_operands > 0) {
        cli_error("keygen: unexpected operand '%s' (see 'ttscreen keygen --help')", operands[0]);
        goto out;
    }
    if (key == NULL || cert == NULL) {
        cli_error("keygen: --key and --cert are required (see 'ttscreen keygen --help')");
        goto out;
    }
    if (days != NULL && parse_days(days, &ko.days) != 0) {
        cli_error("keygen: --days '%s' is not a number of days between 1 and 36500", days);
        goto out;
    }
    if (alg != NULL && tts_key_algorithm_parse(alg, &ko.algorithm) != TTS_OK) {
        cli_error("keygen: unknown --algorithm '%s' (expected p256, ed25519 or rsa3072)", alg);
        goto out;
    }
    if (pass_spec != NULL &&
        tts_pass_load(pass_spec, strncmp(pass_spec, "env:", 4) == 0 ? getenv(pass_spec + 4) : NULL,
                      &pass, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    ko.key_path = key;
    ko.cert_path = cert;
    ko.subject = subject;
    ko.pass = pass;
    ko.force = force;
    ko.now = time(NULL);
    if (tts_keygen(&ko, fingerprint, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    printf("%s: new %s private key (mode 0600%s)\n%s: self-signed certificate, %d days\n"
           "certificate SHA-256 fingerprint: %s\n",
           key, alg != NULL ? alg : "p256", pass != NULL ? ", encrypted" : "", cert,
           ko.days > 0 ? ko.days : 730, fingerprint);
    rc = EXIT_CLEAN;
out:
    tts_pass_free(pass);
    free(operands);
    return rc;
}
