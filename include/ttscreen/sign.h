/* SPDX-License-Identifier: MIT */
/*
 * Signed audit reports: key generation, detached CMS (PKCS #7) signatures
 * over a report file's exact bytes, and their verification. Signatures are
 * PEM, made with CMS_DETACHED | CMS_BINARY and a signing-time attribute, so
 * the stock `openssl cms -verify -binary` checks them too (Ed25519 excepted:
 * stock OpenSSL 3 cannot process RFC 8419 signatures; ttscreen can). An
 * RFC 3161 trusted timestamp over the signature value can be embedded as an
 * unsigned attribute, which stock `openssl ts -verify` checks too.
 * Private keys are never logged; key material is wiped after use. The
 * library never reads the environment or the clock: callers pass the
 * passphrase and the signing time.
 */
#ifndef TTS_SIGN_PUBLIC_H
#define TTS_SIGN_PUBLIC_H

#include <stddef.h>
#include <time.h>

#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tts_key_algorithm {
    TTS_KEY_P256 = 0,    /* ECDSA over NIST P-256 with SHA-256 (default) */
    TTS_KEY_ED25519 = 1, /* Ed25519 (RFC 8419 in CMS) */
    TTS_KEY_RSA3072 = 2  /* RSA 3072 bits, PKCS #1 v1.5 with SHA-256 */
} tts_key_algorithm;

/* Parse "p256", "ed25519", "rsa3072"; TTS_ERR_ARG when unknown. */
TTS_API tts_status tts_key_algorithm_parse(const char *name, tts_key_algorithm *out /* OUT */);

/*
 * Read a passphrase named by an OpenSSL-style spec:
 *   "file:PATH"  the first line of PATH (without its line end);
 *   "env:VAR"    the value of VAR, which the caller looked up and passes as
 *                env_value (NULL when VAR is not set: an error naming VAR).
 * A passphrase on the command line ("pass:...") is refused on purpose.
 * On success *out is a NUL-terminated copy the caller owns; release it with
 * tts_pass_free(), which wipes it. Errors: TTS_ERR_ARG (bad spec, unset or
 * empty), TTS_ERR_IO (unreadable file).
 */
TTS_API tts_status tts_pass_load(const char *spec, const char *env_value, char **out,
                                 tts_error *err);

/* Wipe and free a passphrase from tts_pass_load(); accepts NULL. */
TTS_API void tts_pass_free(char *pass);

typedef struct tts_keygen_opts {
    size_t size;                 /* sizeof(tts_keygen_opts) */
    const char *key_path;        /* new private key, PEM PKCS #8, mode 0600 */
    const char *cert_path;       /* new self-signed certificate, PEM */
    const char *subject;         /* "/O=.../CN=..."; NULL = "/CN=ttscreen report signer" */
    int days;                    /* validity in days, 1..36500; 0 = 730 */
    tts_key_algorithm algorithm; /* key type */
    const char *pass;            /* encrypt the key (AES-256-CBC) with this; NULL = plain */
    int force;                   /* replace existing files (atomically) */
    time_t now;                  /* start of validity */
} tts_keygen_opts;

/*
 * Create a private key and a self-signed X.509 v3 certificate for it
 * (basicConstraints CA:TRUE so it can serve as -CAfile; keyUsage
 * digitalSignature, nonRepudiation, keyCertSign). The key file is created
 * with mode 0600 at open time; neither file is ever replaced unless
 * opts->force, and then through a temporary file and rename(). Nothing is
 * left behind on failure. fingerprint (may be NULL) receives the SHA-256 of
 * the certificate's DER in lower-case hex, to publish next to it. Errors:
 * TTS_ERR_ARG (bad subject or days; file exists), TTS_ERR_IO,
 * TTS_ERR_CRYPTO, TTS_ERR_NOMEM.
 */
TTS_API tts_status tts_keygen(const tts_keygen_opts *opts, char fingerprint[65] /* OUT */,
                              tts_error *err);

typedef struct tts_sign_opts {
    size_t size;                  /* sizeof(tts_sign_opts) */
    const char *report_path;      /* file to sign (its exact bytes) */
    const char *sig_path;         /* output; NULL = report_path + ".p7s" */
    const char *key_path;         /* private key, PEM (PKCS #8 or traditional) */
    const char *cert_path;        /* signer's certificate, PEM */
    const char *chain_path;       /* intermediate certificates to embed, PEM; or NULL */
    const char *pass;             /* passphrase of an encrypted key, or NULL (borrowed) */
    int insecure_key_permissions; /* accept a key readable by group or others */
    const char *tsa_url;          /* RFC 3161 time-stamp authority (http:// or https://), or NULL */
    time_t signing_time;          /* the signingTime attribute */
} tts_sign_opts;

/*
 * Sign opts->report_path with a detached CMS signature in PEM, written
 * atomically (temporary file + rename) to the signature path. The key must
 * be a regular file not readable by group or others (checked on the opened
 * file, so a symlink to a readable file is refused too) unless
 * insecure_key_permissions; it must match the certificate, and the
 * certificate must be valid at signing_time. With tsa_url, the signature
 * value is time-stamped by that RFC 3161 authority (SHA-256 imprint, nonce,
 * certReq; the reply must be granted, match the request and verify) and
 * the token is embedded as the unsigned attribute
 * id-smime-aa-timeStampToken; nothing is written when that fails. Errors:
 * TTS_ERR_IO (unreadable file, bad permissions), TTS_ERR_CRYPTO (bad key or
 * certificate, wrong passphrase, mismatch), TTS_ERR_NET (time-stamp
 * authority unreachable or failing), TTS_ERR_VERIFY (its answer is not a
 * valid token for this signature), TTS_ERR_LIMIT, TTS_ERR_ARG,
 * TTS_ERR_NOMEM.
 */
TTS_API tts_status tts_sign_file(const tts_sign_opts *opts, tts_error *err);

/* Why a signature did not verify. */
typedef enum tts_verify_reason {
    TTS_VERIFY_VALID = 0,
    TTS_VERIFY_CONTENT_CHANGED = 1, /* report bytes differ from what was signed */
    TTS_VERIFY_WRONG_SIGNER = 2,    /* signer not the given certificate / not issued by the CA */
    TTS_VERIFY_EXPIRED = 3,         /* certificate expired (or not yet valid) at signing time */
    TTS_VERIFY_MALFORMED = 4,       /* not a detached CMS signature in PEM, or truncated */
    TTS_VERIFY_BAD_SIGNATURE = 5,   /* signature value does not match the signer's key */
    TTS_VERIFY_UNTRUSTED = 6,       /* other certificate problem (see message) */
    TTS_VERIFY_BAD_TIMESTAMP = 7    /* an embedded RFC 3161 token is not for this signature,
                                       is malformed or its signature does not verify */
} tts_verify_reason;

/* Short static name: "valid", "content changed", "wrong signer", ... */
TTS_API const char *tts_verify_reason_name(tts_verify_reason r);

typedef struct tts_verify_opts {
    size_t size;             /* sizeof(tts_verify_opts) */
    const char *report_path; /* the signed file */
    const char *sig_path;    /* signature; NULL = report_path + ".p7s" */
    const char *cert_path;   /* the expected signer's certificate (pinned), or NULL */
    const char *ca_path;     /* trusted CA certificates (PEM bundle), or NULL */
} tts_verify_opts;

typedef struct tts_verify_result {
    tts_verify_reason reason;   /* TTS_VERIFY_VALID on success */
    char signer[512];           /* signer's subject, one line, e.g. "O = Acme, CN = Officer" */
    char issuer[512];           /* signer certificate's issuer */
    char signing_time[32];      /* RFC 3339 UTC, "" when the signature carries none */
    time_t signing_time_t;      /* same, as time_t; 0 when absent */
    char not_after[32];         /* signer certificate's end of validity, RFC 3339 */
    time_t not_after_t;         /* same, as time_t */
    char algorithm[32];         /* signer key type: "P-256", "RSA-3072", "Ed25519", ... */
    char fingerprint[65];       /* SHA-256 of the signer certificate (DER), lower-case hex */
    int timestamped;            /* the signature carries an RFC 3161 token (checked) */
    char timestamp[32];         /* its genTime, RFC 3339 UTC; "" when none */
    time_t timestamp_t;         /* same, as time_t; 0 when none */
    char tsa[512];              /* the time-stamp authority's name, one line */
} tts_verify_result;

/*
 * Verify the detached signature over the report. Exactly one of cert_path
 * and ca_path is given: cert_path pins the signer (the signer's certificate
 * must be it or be issued under it); ca_path is a trust store the signer
 * must chain to. The certificate chain is checked as of the signing time.
 * An embedded RFC 3161 timestamp must be a token over this signature whose
 * own signature verifies with the TSA certificate it carries (that
 * certificate is not checked against a trust anchor); it is described in
 * res.
 * Returns TTS_OK (res->reason = VALID), TTS_ERR_VERIFY with res->reason and
 * a one-line err message naming the reason, TTS_ERR_IO when an input cannot
 * be read, TTS_ERR_ARG on bad options, TTS_ERR_CRYPTO when a certificate
 * file holds no certificate. res is filled as far as known in every case.
 */
TTS_API tts_status tts_verify_file(const tts_verify_opts *opts, tts_verify_result *res,
                                   tts_error *err);

/* Lower-case hex SHA-256 of data[0..len) into out[65]. */
TTS_API tts_status tts_digest_sha256(const void *data, size_t len, char out[65], tts_error *err);

/* What a ttscreen JSON report says about itself (top-level fields only). */
typedef struct tts_report_list_summary {
    char *source;  /* list source name */
    char *sha256;  /* content hash, or NULL */
    long entries;  /* -1 when absent */
    char *version; /* fetched_at or imported_at, or NULL */
} tts_report_list_summary;

typedef struct tts_report_summary {
    char *format;       /* "ttscreen-report/1" */
    char *generated_at; /* or NULL */
    char *as_of;        /* or NULL */
    char *record_id;    /* or NULL */
    char *record_title; /* or NULL */
    char *verdict;      /* or NULL */
    char *rules_sha256; /* or NULL */
    long rules_count;   /* -1 when absent */
    tts_report_list_summary *lists;
    size_t n_lists;
} tts_report_summary;

/*
 * Summarise the report objects in data (one JSON object, or JSON Lines of
 * objects) that carry "format": "ttscreen-report/1". On success *out is an
 * array of *n summaries the caller owns (tts_report_summaries_free); *n is 0
 * when the data is valid JSON but not a ttscreen report. TTS_ERR_JSON with
 * a line and column for malformed JSON, TTS_ERR_LIMIT beyond the bounds.
 */
TTS_API tts_status tts_report_summarize(const char *data, size_t len,
                                        tts_report_summary **out, size_t *n, tts_error *err);

/* Accepts NULL. */
TTS_API void tts_report_summaries_free(tts_report_summary *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
