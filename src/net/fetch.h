/* SPDX-License-Identifier: MIT */
/*
 * HTTP(S) and file:// downloads (the only libcurl user). One easy handle
 * per fetch; TLS peer and host verification always on (there is no way to
 * turn it off); conditional GET; bounded redirects, time and size; retries
 * with exponential back-off on 5xx answers and timeouts. The body is
 * written to a file the caller names; the caller imports it and only then
 * replaces anything. tts_fetch_post sends a small request body (an RFC 3161
 * time-stamp query) over http or https with the same bounds and keeps the
 * answer in memory.
 */
#ifndef TTS_FETCH_H
#define TTS_FETCH_H

#include "ttscreen/lists.h"
#include "ttscreen/status.h"

/* Process-wide set-up and tear-down (curl_global_init/cleanup), from tts_init/tts_fini. */
tts_status tts_fetch_init(void);
void tts_fetch_fini(void);

typedef struct tts_fetch_req {
    const char *url;           /* http://, https:// or file:// */
    const char *etag;          /* sent as If-None-Match, or NULL */
    const char *last_modified; /* sent as If-Modified-Since, or NULL */
    const char *dest;          /* file the body is written to (truncated first) */
    long connect_timeout_ms;
    long timeout_ms;
    long long max_bytes;
    int max_redirects;
    int retries;               /* extra attempts on 5xx and timeouts */
    long retry_delay_ms;       /* first back-off; doubled after each retry */
    const char *ca_file;       /* extra CA bundle, or NULL */
    int allow_http;            /* GET: also http:// URLs, and redirects from one to http://
                                  (an https:// URL is never redirected to http://) */
    tts_progress_fn progress;  /* or NULL */
    void *progress_user;
    const char *label;         /* passed to progress */
    /* tts_fetch_post only (dest, etag, last_modified and max_redirects are ignored there): */
    const void *post_data;     /* the request body */
    size_t post_len;
    const char *content_type;  /* its Content-Type, e.g. "application/timestamp-query" */
    const char *accept;        /* Accept header, or NULL */
} tts_fetch_req;

typedef struct tts_fetch_resp {
    long status;         /* HTTP status of the final answer (200 for file://) */
    int not_modified;    /* 304: dest holds nothing useful */
    char *etag;          /* of the final answer, or NULL; caller owns */
    char *last_modified; /* or NULL; caller owns */
    long long bytes;     /* body bytes written */
    int attempts;        /* tries made */
    char transport[8];   /* scheme of the final answer: "https", "http" or "file" */
} tts_fetch_resp;

/*
 * Perform the request. TTS_OK for 200 (body in dest) and 304; TTS_ERR_NET
 * for other statuses, connection failures, redirect loops, redirects to
 * http:// (unless allow_http), truncated bodies, bodies whose framing does
 * not prove them complete (HTTP/1 without Content-Length or chunked
 * encoding: ended by a closed connection, which a cut also looks like) and
 * timeouts after the retries; TTS_ERR_LIMIT when the body
 * exceeds max_bytes; TTS_ERR_IO when dest cannot be written. On success
 * *resp is filled (tts_fetch_resp_clear).
 */
tts_status tts_fetch_get(const tts_fetch_req *req, tts_fetch_resp *resp /* OUT */,
                         tts_error *err);
void tts_fetch_resp_clear(tts_fetch_resp *r);

/*
 * POST req->post_data to req->url (http or https only; redirects are not
 * followed) and return the body of a 200 answer in *body (*len bytes,
 * NUL-terminated; free with tts_free). The bounds, retries and TLS
 * verification of tts_fetch_get apply. TTS_ERR_NET for any other status,
 * connection failures and timeouts; TTS_ERR_LIMIT when the answer exceeds
 * max_bytes; TTS_ERR_ARG without a body or content type.
 */
tts_status tts_fetch_post(const tts_fetch_req *req, char **body /* OUT */, size_t *len /* OUT */,
                          tts_error *err);

/* The version of libcurl linked at run time, into out[cap] (for --version). */
void tts_fetch_lib_version(char *out, size_t cap);

#endif
