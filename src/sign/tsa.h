/* SPDX-License-Identifier: MIT */
/*
 * RFC 3161 trusted timestamps over a CMS signature value (part of the
 * OpenSSL boundary; plain bytes in and out, DER throughout). A request
 * carries a SHA-256 message imprint of the data, a fresh 64-bit nonce and
 * certReq; a reply is accepted only when granted, when its token's imprint
 * and nonce are those of the request and when the token's signature
 * verifies with the TSA certificate the token carries (ESS signing
 * certificate binding and the timeStamping key purpose included). The TSA
 * certificate is not checked against any trust anchor here.
 */
#ifndef TTS_SIGN_TSA_H
#define TTS_SIGN_TSA_H

#include <stddef.h>
#include <time.h>

#include "ttscreen/status.h"

/* What a time-stamp token says. */
typedef struct tts_tsa_info {
    char gen_time[32]; /* RFC 3339 UTC, seconds */
    time_t gen_time_t;
    char tsa[512];    /* the token's TSA name, else the subject of its signer */
    char serial[84];  /* token serial number, hex */
    char policy[84];  /* TSA policy, dotted OID */
    char hash[16];    /* digest of the message imprint, e.g. "SHA256" */
} tts_tsa_info;

/* Bounds on TSA traffic. */
#define TTS_TSA_MAX_REPLY (1024 * 1024)
#define TTS_TSA_CONNECT_TIMEOUT_MS 10000L
#define TTS_TSA_TIMEOUT_MS 30000L

/*
 * A DER TimeStampReq for data (SHA-256 imprint, random nonce, certReq
 * true) into *req (free with tts_free). TTS_ERR_CRYPTO, TTS_ERR_NOMEM.
 */
tts_status tts_tsa_request(const unsigned char *data, size_t len, unsigned char **req,
                           size_t *req_len, tts_error *err);

/*
 * Check a DER TimeStampResp against the DER request it answers; on success
 * the DER token (ContentInfo) in *token (free with tts_free) and, when info
 * is not NULL, what it says. TTS_ERR_VERIFY with a one-line reason when the
 * reply is not a time-stamp response, not granted, or its token does not
 * match the request or does not verify; TTS_ERR_NOMEM.
 */
tts_status tts_tsa_reply_check(const unsigned char *req, size_t req_len,
                               const unsigned char *resp, size_t resp_len, unsigned char **token,
                               size_t *token_len, tts_tsa_info *info, tts_error *err);

/*
 * Check a DER time-stamp token over data: its message imprint (any
 * digest OpenSSL knows) and its signature. Fills info as far as known.
 * TTS_ERR_VERIFY with a one-line reason; TTS_ERR_NOMEM.
 */
tts_status tts_tsa_token_check(const unsigned char *token, size_t token_len,
                               const unsigned char *data, size_t len, tts_tsa_info *info,
                               tts_error *err);

/*
 * Ask the TSA at url (http or https; TLS always verified) for a token over
 * data and check the reply (tts_tsa_reply_check). *token as there.
 * TTS_ERR_NET (unreachable, HTTP error, timeout), TTS_ERR_VERIFY (bad
 * reply), TTS_ERR_LIMIT (reply too large), TTS_ERR_NOMEM, TTS_ERR_CRYPTO;
 * every message starts with "timestamp: ".
 */
tts_status tts_tsa_stamp(const char *url, const unsigned char *data, size_t len,
                         unsigned char **token, size_t *token_len, tts_error *err);

#endif
