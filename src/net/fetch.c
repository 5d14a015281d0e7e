/* SPDX-License-Identifier: MIT */
/*
 * Downloads with libcurl (see fetch.h). Invariants: verification options
 * are set explicitly on every handle and never from caller input; only
 * https and file are allowed (http only when the caller allows it), and
 * redirects may only lead to https (or http when allowed); an HTTP/1 body
 * counts only when its framing proves it complete (Content-Length, which
 * curl holds it to, or chunked encoding, whose end curl requires), never
 * when only a closed connection ends it; the write callback stops a body at max_bytes; response headers
 * are captured for the final answer only (a redirect's headers are reset
 * when the next status line arrives). A POST (tts_fetch_post) shares all of
 * it, but allows only http and https, follows no redirect and keeps the
 * answer in memory.
 */
#include "net/fetch.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ttscreen.h"

#include "util/buf.h"
#include "util/dl.h"
#include "util/error.h"
#include "util/mem.h"

/*
 * libcurl is loaded when a download first needs it, not linked: with the
 * libraries it brings (TLS, HTTP/2, IDN, Kerberos, LDAP, ...) it doubled the
 * start-up of every process, most of which (screen, search, cases) never
 * download. The functions used, resolved once; a libcurl that cannot be
 * loaded fails the download with dlopen's reason, never silently.
 */
#ifndef TTS_LIBCURL_SONAME
#define TTS_LIBCURL_SONAME "libcurl.so.4"
#endif

static struct {
    CURLcode (*global_init)(long flags);
    void (*global_cleanup)(void);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *h, CURLoption opt, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    void (*easy_cleanup)(CURL *h);
    const char *(*easy_strerror)(CURLcode code);
    struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
    void (*slist_free_all)(struct curl_slist *l);
    curl_version_info_data *(*version_info)(CURLversion v);
} curl;
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static int curl_loaded;
static char curl_problem[320];

static void load_curl(void)
{
    void *lib = tts_dl_open(TTS_LIBCURL_SONAME, "libcurl", curl_problem, sizeof(curl_problem));
    if (lib == NULL)
        return;
#define RESOLVE(field, name)                                                               \
    tts_dl_sym(lib, "libcurl", name, &curl.field, sizeof(curl.field), curl_problem,         \
               sizeof(curl_problem))
    if (RESOLVE(global_init, "curl_global_init") || RESOLVE(global_cleanup, "curl_global_cleanup") ||
        RESOLVE(easy_init, "curl_easy_init") || RESOLVE(easy_setopt, "curl_easy_setopt") ||
        RESOLVE(easy_perform, "curl_easy_perform") ||
        RESOLVE(easy_getinfo, "curl_easy_getinfo") ||
        RESOLVE(easy_cleanup, "curl_easy_cleanup") ||
        RESOLVE(easy_strerror, "curl_easy_strerror") ||
        RESOLVE(slist_append, "curl_slist_append") ||
        RESOLVE(slist_free_all, "curl_slist_free_all") ||
        RESOLVE(version_info, "curl_version_info"))
        return; /* the library stays loaded: unloading TLS libraries is not safe */
#undef RESOLVE
    if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(curl_problem, sizeof(curl_problem), "libcurl: global initialisation failed");
        return;
    }
    curl_loaded = 1;
}

/* libcurl loaded and initialised, or the reason it is not as the error (about url). */
static tts_status curl_ready(const char *url, tts_error *err)
{
    pthread_once(&curl_once, load_curl);
    if (!curl_loaded)
        return tts_err_set(err, TTS_ERR_NET, "%s: cannot download: %s", url, curl_problem);
    return TTS_OK;
}

#define TTS_TRY_CURL(url, err)                                                             \
    do {                                                                                   \
        tts_status curl_rc_ = curl_ready(url, err);                                        \
        if (curl_rc_ != TTS_OK)                                                            \
            return curl_rc_;                                                               \
    } while (0)

tts_status tts_fetch_init(void)
{
    return TTS_OK; /* libcurl is loaded on first use (curl_ready) */
}

void tts_fetch_fini(void)
{
    if (curl_loaded)
        curl.global_cleanup();
}

typedef struct xfer {
    const tts_fetch_req *req;
    int post;    /* a POST: the body goes to mem, not to a file */
    tts_buf mem; /* the body of a POST answer */
    FILE *fp;
    long long bytes;
    int too_big;
    int io_error;
    char etag[512];
    char last_modified[128];
    int has_length; /* the final answer has a Content-Length */
    int chunked;    /* ... or Transfer-Encoding: chunked */
} xfer;

static size_t on_body(char *data, size_t size, size_t nmemb, void *u)
{
    xfer *x = u;
    size_t n = size * nmemb;
    if (x->req->max_bytes > 0 && x->bytes + (long long)n > x->req->max_bytes) {
        x->too_big = 1;
        return 0;
    }
    if (x->post) {
        tts_buf_append(&x->mem, data, n);
        if (tts_buf_failed(&x->mem)) {
            x->io_error = 1;
            return 0;
        }
    } else if (fwrite(data, 1, n, x->fp) != n) {
        x->io_error = 1;
        return 0;
    }
    x->bytes += (long long)n;
    return n;
}

/* Copy a header value (trimmed) into out when the line is `name: value`. */
static void header_value(const char *line, size_t n, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name), s, e;
    if (n <= nl + 1 || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return;
    s = nl + 1;
    while (s < n && (line[s] == ' ' || line[s] == '\t'))
        s++;
    e = n;
    while (e > s && (line[e - 1] == '\r' || line[e - 1] == '\n' || line[e - 1] == ' '))
        e--;
    if (e - s >= cap)
        return;
    memcpy(out, line + s, e - s);
    out[e - s] = '\0';
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *u)
{
    xfer *x = u;
    size_t n = size * nmemb;
    char te[64];
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        x->etag[0] = '\0';
        x->last_modified[0] = '\0';
        x->has_length = x->chunked = 0;
    }
    if (n > 15 && strncasecmp(line, "Content-Length:", 15) == 0)
        x->has_length = 1;
    te[0] = '\0';
    header_value(line, n, "Transfer-Encoding", te, sizeof(te));
    if (te[0] != '\0' && strstr(te, "chunked") != NULL)
        x->chunked = 1;
    header_value(line, n, "ETag", x->etag, sizeof(x->etag));
    header_value(line, n, "Last-Modified", x->last_modified, sizeof(x->last_modified));
    return n;
}

static int on_progress(void *u, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow)
{
    xfer *x = u;
    (void)ultotal;
    (void)ulnow;
    if (x->req->progress != NULL)
        x->req->progress(x->req->progress_user, x->req->label, (long long)dlnow,
                         dltotal > 0 ? (long long)dltotal : -1);
    return 0;
}

static void sleep_ms(long ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

/* Set every option of one attempt; returns the first failing option's code. */
static CURLcode setup(CURL *h, const tts_fetch_req *r, xfer *x, struct curl_slist *hdrs,
                      char *errbuf)
{
    CURLcode c = CURLE_OK;
#define SET(opt, val)                                                                      \
    do {                                                                                   \
        if (c == CURLE_OK)                                                                 \
            c = curl.easy_setopt(h, opt, val);                                             \
    } while (0)
    SET(CURLOPT_ERRORBUFFER, errbuf);
    SET(CURLOPT_URL, r->url);
    if (x->post) {
        SET(CURLOPT_PROTOCOLS_STR, "http,https");
        SET(CURLOPT_FOLLOWLOCATION, 0L);
        SET(CURLOPT_POST, 1L);
        SET(CURLOPT_POSTFIELDS, r->post_data);
        SET(CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->post_len);
    } else {
        SET(CURLOPT_PROTOCOLS_STR, r->allow_http ? "http,https,file" : "https,file");
        /* an https:// request is never downgraded, whatever the caller allows */
        SET(CURLOPT_REDIR_PROTOCOLS_STR,
            r->allow_http && strncmp(r->url, "http://", 7) == 0 ? "http,https" : "https");
        SET(CURLOPT_FOLLOWLOCATION, 1L);
        SET(CURLOPT_MAXREDIRS, (long)r->max_redirects);
    }
    SET(CURLOPT_CONNECTTIMEOUT_MS, r->connect_timeout_ms);
    SET(CURLOPT_TIMEOUT_MS, r->timeout_ms);
    SET(CURLOPT_SSL_VERIFYPEER, 1L);
    SET(CURLOPT_SSL_VERIFYHOST, 2L);
    if (r->ca_file != NULL)
        SET(CURLOPT_CAINFO, r->ca_file);
    SET(CURLOPT_NOSIGNAL, 1L);
    SET(CURLOPT_USERAGENT, "ttscreen/" TTS_VERSION);
    SET(CURLOPT_WRITEFUNCTION, on_body);
    SET(CURLOPT_WRITEDATA, x);
    SET(CURLOPT_HEADERFUNCTION, on_header);
    SET(CURLOPT_HEADERDATA, x);
    SET(CURLOPT_NOPROGRESS, 0L);
    SET(CURLOPT_XFERINFOFUNCTION, on_progress);
    SET(CURLOPT_XFERINFODATA, x);
    if (r->max_bytes > 0)
        SET(CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)r->max_bytes);
    if (hdrs != NULL)
        SET(CURLOPT_HTTPHEADER, hdrs);
#undef SET
    return c;
}

/* Append one formatted header line; *ok drops to 0 when out of memory. */
static struct curl_slist *add_header(struct curl_slist *l, int *ok, const char *name,
                                     const char *value)
{
    struct curl_slist *t;
    char line[700];
    snprintf(line, sizeof(line), "%s: %s", name, value);
    if ((t = curl.slist_append(l, line)) == NULL) {
        *ok = 0;
        return l;
    }
    return t;
}

/*
 * POST headers: Content-Type, Accept, and an empty Expect (no
 * "100-continue" round trip). *ok is 0 when out of memory.
 */
static struct curl_slist *post_headers(const tts_fetch_req *r, int *ok)
{
    struct curl_slist *l = NULL, *t;
    *ok = 1;
    l = add_header(l, ok, "Content-Type", r->content_type);
    if (r->accept != NULL)
        l = add_header(l, ok, "Accept", r->accept);
    if ((t = curl.slist_append(l, "Expect:")) == NULL)
        *ok = 0;
    else
        l = t;
    return l;
}

/* Conditional GET headers; NULL when there are none (or out of memory: a plain GET then). */
static struct curl_slist *conditional(const tts_fetch_req *r)
{
    struct curl_slist *l = NULL, *t;
    char line[700];
    if (r->etag != NULL && r->etag[0] != '\0') {
        snprintf(line, sizeof(line), "If-None-Match: %s", r->etag);
        if ((t = curl.slist_append(l, line)) != NULL)
            l = t;
    }
    if (r->last_modified != NULL && r->last_modified[0] != '\0') {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", r->last_modified);
        if ((t = curl.slist_append(l, line)) != NULL)
            l = t;
    }
    return l;
}

typedef struct attempt {
    CURLcode code;
    long status;
    int retry;          /* worth another try */
    int http2;          /* HTTP/2 or 3: every body ends in an explicit end of stream */
    char transport[8];  /* scheme of the final answer, lower case */
    char redirect[512]; /* the URL a redirect led to, when not the one asked, or "" */
} attempt;

static tts_status one_attempt(const tts_fetch_req *r, xfer *x, struct curl_slist *hdrs,
                              attempt *a, tts_error *err)
{
    char errbuf[CURL_ERROR_SIZE];
    CURL *h = curl.easy_init();
    errbuf[0] = '\0';
    a->status = 0;
    a->retry = 0;
    if (h == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "cannot create a download handle");
    if (x->post) {
        tts_buf_reset(&x->mem);
    } else if ((x->fp = fopen(r->dest, "wb")) == NULL) {
        curl.easy_cleanup(h);
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot write: %s", r->dest, strerror(errno));
    }
    x->bytes = 0;
    x->too_big = x->io_error = 0;
    x->etag[0] = x->last_modified[0] = '\0';
    x->has_length = x->chunked = 0;
    a->code = setup(h, r, x, hdrs, errbuf);
    if (a->code == CURLE_OK)
        a->code = curl.easy_perform(h);
    curl.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &a->status);
    {
        long version = 0;
        char *scheme = NULL, *loc = NULL;
        curl.easy_getinfo(h, CURLINFO_HTTP_VERSION, &version);
        a->http2 = version == CURL_HTTP_VERSION_2_0 || version == CURL_HTTP_VERSION_3;
        a->transport[0] = '\0';
        if (curl.easy_getinfo(h, CURLINFO_SCHEME, &scheme) == CURLE_OK && scheme != NULL) {
            size_t i = 0;
            for (; scheme[i] != '\0' && i + 1 < sizeof(a->transport); i++)
                a->transport[i] = (char)(scheme[i] >= 'A' && scheme[i] <= 'Z' ? scheme[i] + 32
                                                                                : scheme[i]);
            a->transport[i] = '\0';
        }
        /* where a refused redirect led: the URL curl stopped at, when not the one asked */
        a->redirect[0] = '\0';
        if (curl.easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &loc) == CURLE_OK && loc != NULL &&
            strcmp(loc, r->url) != 0)
            snprintf(a->redirect, sizeof(a->redirect), "%s", loc);
    }
    curl.easy_cleanup(h);
    if (x->fp != NULL && fclose(x->fp) != 0)
        x->io_error = 1;
    x->fp = NULL;
    if (x->io_error && x->post)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory for the answer", r->url);
    if (x->io_error)
        return tts_err_set(err, TTS_ERR_IO, "%s: write error", r->dest);
    if (x->too_big || a->code == CURLE_FILESIZE_EXCEEDED)
        return tts_err_set(err, TTS_ERR_LIMIT, "%s: body is larger than %lld bytes", r->url,
                           r->max_bytes);
    if (a->code == CURLE_OPERATION_TIMEDOUT || a->code == CURLE_COULDNT_CONNECT ||
        (a->code == CURLE_OK && a->status >= 500)) {
        a->retry = 1;
        return tts_err_set(err, TTS_ERR_NET, "%s: %s", r->url,
                           a->code == CURLE_OK ? "server error"
                           : errbuf[0] != '\0' ? errbuf
                                               : curl.easy_strerror(a->code));
    }
    if (a->code == CURLE_UNSUPPORTED_PROTOCOL && a->redirect[0] != '\0')
        return tts_err_set(err, TTS_ERR_NET,
                           "%s: redirected to %s, which is not https:// (refused)", r->url,
                           a->redirect);
    if (a->code != CURLE_OK)
        return tts_err_set(err, TTS_ERR_NET, "%s: %s", r->url,
                           errbuf[0] != '\0' ? errbuf : curl.easy_strerror(a->code));
    if (!x->post && a->status == 200 && strcmp(a->transport, "file") != 0 && !a->http2 &&
        !x->has_length && !x->chunked)
        return tts_err_set(err, TTS_ERR_NET,
                           "%s: the answer has neither a Content-Length nor chunked encoding, so "
                           "nothing proves the body complete (a cut connection looks the same): "
                           "refused",
                           r->url);
    if (a->status != 0 && a->status != 200 && (a->status != 304 || x->post))
        return tts_err_set(err, TTS_ERR_NET, "%s: HTTP status %ld", r->url, a->status);
    return TTS_OK;
}

/* Attempts with exponential back-off until success, a final failure or the retries run out. */
static tts_status perform(const tts_fetch_req *r, xfer *x, struct curl_slist *hdrs, attempt *out,
                          int *n_tries, tts_error *err)
{
    attempt a;
    long delay = r->retry_delay_ms;
    tts_status rc = TTS_OK;
    int tries = 0;
    memset(&a, 0, sizeof(a));
    for (;;) {
        tts_error tmp;
        tts_error_clear(&tmp);
        tries++;
        rc = one_attempt(r, x, hdrs, &a, &tmp);
        if (rc == TTS_OK || !a.retry || tries > r->retries) {
            if (rc != TTS_OK) {
                if (a.retry && a.status >= 500)
                    tts_err_set(err, rc, "%s: HTTP status %ld after %d attempts", r->url,
                                a.status, tries);
                else if (a.retry)
                    tts_err_set(err, rc, "%s (after %d attempts)", tmp.message, tries);
                else
                    tts_err_set(err, rc, "%s", tmp.message);
            }
            break;
        }
        sleep_ms(delay);
        delay *= 2;
    }
    *out = a;
    *n_tries = tries;
    return rc;
}

tts_status tts_fetch_get(const tts_fetch_req *r, tts_fetch_resp *resp, tts_error *err)
{
    xfer *x = NULL;
    struct curl_slist *hdrs = NULL;
    attempt a;
    memset(&a, 0, sizeof(a));
    tts_status rc;
    int tries = 0;
    memset(resp, 0, sizeof(*resp));
    TTS_TRY_CURL(r->url != NULL ? r->url : "?", err);
    x = tts_calloc(1, sizeof(*x));
    if (x == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory downloading %s", r->url);
    x->req = r;
    hdrs = conditional(r);
    rc = perform(r, x, hdrs, &a, &tries, err);
    if (rc == TTS_OK) {
        resp->status = a.status == 0 ? 200 : a.status;
        resp->not_modified = a.status == 304;
        resp->bytes = x->bytes;
        resp->attempts = tries;
        snprintf(resp->transport, sizeof(resp->transport), "%s",
                 a.transport[0] != '\0' ? a.transport : "file");
        if ((x->etag[0] != '\0' && (resp->etag = tts_strdup(x->etag)) == NULL) ||
            (x->last_modified[0] != '\0' &&
             (resp->last_modified = tts_strdup(x->last_modified)) == NULL)) {
            tts_fetch_resp_clear(resp);
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory downloading %s", r->url);
        }
    }
    curl.slist_free_all(hdrs);
    tts_free(x);
    return rc;
}

tts_status tts_fetch_post(const tts_fetch_req *r, char **body, size_t *len, tts_error *err)
{
    xfer *x = NULL;
    struct curl_slist *hdrs = NULL;
    attempt a;
    memset(&a, 0, sizeof(a));
    tts_status rc;
    int tries = 0, ok = 1;
    *body = NULL;
    *len = 0;
    if (r->url == NULL || r->post_data == NULL || r->post_len == 0 || r->content_type == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "a POST needs a URL, a body and its content type");
    TTS_TRY_CURL(r->url != NULL ? r->url : "?", err);
    x = tts_calloc(1, sizeof(*x));
    if (x != NULL)
        hdrs = post_headers(r, &ok);
    if (x == NULL || !ok) {
        curl.slist_free_all(hdrs);
        tts_free(x);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory posting to %s", r->url);
    }
    x->req = r;
    x->post = 1;
    rc = perform(r, x, hdrs, &a, &tries, err);
    if (rc == TTS_OK) {
        tts_buf_append(&x->mem, "", 0); /* allocated and NUL-terminated even when empty */
        if (tts_buf_failed(&x->mem))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory posting to %s", r->url);
        else
            *body = tts_buf_steal(&x->mem, len);
    }
    tts_buf_free(&x->mem);
    curl.slist_free_all(hdrs);
    tts_free(x);
    return rc;
}

void tts_fetch_resp_clear(tts_fetch_resp *r)
{
    if (r == NULL)
        return;
    tts_free(r->etag);
    tts_free(r->last_modified);
    memset(r, 0, sizeof(*r));
}

void tts_fetch_lib_version(char *out, size_t cap)
{
    const curl_version_info_data *v;
    pthread_once(&curl_once, load_curl);
    if (!curl_loaded) {
        snprintf(out, cap, "libcurl not available (%s)", curl_problem);
        return;
    }
    v = curl.version_info(CURLVERSION_NOW);
    snprintf(out, cap, "libcurl %s (%s)", v != NULL && v->version != NULL ? v->version : "?",
             v != NULL && v->ssl_version != NULL ? v->ssl_version : "no TLS");
}
