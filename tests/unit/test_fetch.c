/* SPDX-License-Identifier: MIT */
/*
 * Downloads and `lists update` against the test server (tests/httpd/ttsd,
 * started here on 127.0.0.1 with an ephemeral port) and file:// URLs:
 * 200, 304, 404, 500-then-200, a redirect loop, a good redirect, a slow
 * body past the timeout, a body over the size limit, a truncated body,
 * and a malformed body that must leave the previous list in place; POSTs
 * (answer in memory, no redirects, the same bounds). No other network
 * address is ever used.
 */
#define _XOPEN_SOURCE 700
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH_MAX 4096

#include "ttscreen.h"
#include "net/fetch.h"
#include "lists/listdb.h"
#include "store/store.h"
#include "helpers.h"
#include "util/mem.h"

static pid_t server = -1;
static int port;
static char scratch[PATH_MAX];
static char ttsd[PATH_MAX];

static int start_server(void **state)
{
    int fds[2];
    char dir[PATH_MAX], buf[32];
    ssize_t n;
    (void)state;
    if (tts_test_scratch_make(scratch, sizeof(scratch), "fetch") != 0 || pipe(fds) != 0)
        return -1;
    if (realpath(tts_test_fixture("lists"), dir) == NULL)
        return -1;
    server = fork();
    if (server == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(ttsd, ttsd, dir, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    n = read(fds[0], buf, sizeof(buf) - 1);
    close(fds[0]);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    port = atoi(buf);
    if (tts_init() != TTS_OK)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int stop_server(void **state)
{
    if (server > 0) {
        kill(server, SIGTERM);
        waitpid(server, NULL, 0);
    }
    tts_fini();
    if (tts_test_scratch_remove(scratch) != 0)
        fprintf(stderr, "cannot remove %s\n", scratch);
    return tts_test_use_default_allocator(state);
}

static const char *url(const char *path)
{
    static char u[512];
    snprintf(u, sizeof(u), "http://127.0.0.1:%d%s", port, path);
    return u;
}

static tts_fetch_req request(const char *u, const char *dest)
{
    tts_fetch_req r;
    memset(&r, 0, sizeof(r));
    r.url = u;
    r.dest = dest;
    r.connect_timeout_ms = 2000;
    r.timeout_ms = 5000;
    r.max_bytes = 1 << 20;
    r.max_redirects = 3;
    r.retries = 0;
    r.retry_delay_ms = 10;
    r.label = "test";
    r.allow_http = 1; /* the test server speaks plain HTTP */
    return r;
}

static const char *dest(const char *name)
{
    static char p[PATH_MAX + 64];
    snprintf(p, sizeof(p), "%s/%s", scratch, name);
    return p;
}

static void test_fetch_200_then_304_with_validators(void **state)
{
    tts_fetch_req r = request(url("/f/us-1260h.csv"), dest("a"));
    tts_fetch_resp a, b;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_get(&r, &a, &err), TTS_OK);
    assert_int_equal(a.status, 200);
    assert_false(a.not_modified);
    assert_true(a.bytes > 50);
    assert_non_null(a.etag);
    assert_non_null(a.last_modified);
    r.etag = a.etag;
    assert_int_equal(tts_fetch_get(&r, &b, &err), TTS_OK);
    assert_int_equal(b.status, 304);
    assert_true(b.not_modified);
    tts_fetch_resp_clear(&b);
    /* Last-Modified alone also makes the server answer 304. */
    r.etag = NULL;
    r.last_modified = a.last_modified;
    assert_int_equal(tts_fetch_get(&r, &b, &err), TTS_OK);
    assert_int_equal(b.status, 304);
    tts_fetch_resp_clear(&b);
    tts_fetch_resp_clear(&a);
}

static void expect_fail(const char *path, tts_status want, const char *needle, int retries,
                        long timeout_ms)
{
    tts_fetch_req r = request(url(path), dest("f"));
    tts_fetch_resp resp;
    tts_error err;
    tts_error_clear(&err);
    r.retries = retries;
    if (timeout_ms > 0)
        r.timeout_ms = timeout_ms;
    assert_int_equal(tts_fetch_get(&r, &resp, &err), want);
    if (strstr(err.message, needle) == NULL)
        fail_msg("%s: message '%s' lacks '%s'", path, err.message, needle);
}

static void test_fetch_404_is_a_network_error(void **state)
{
    (void)state;
    expect_fail("/missing", TTS_ERR_NET, "HTTP status 404", 2, 0);
}

static void test_fetch_500_then_200_succeeds_after_retries(void **state)
{
    tts_fetch_req r = request(url("/flaky/2/us-1260h.csv"), dest("g"));
    tts_fetch_resp resp;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    r.retries = 3;
    assert_int_equal(tts_fetch_get(&r, &resp, &err), TTS_OK);
    assert_int_equal(resp.status, 200);
    assert_int_equal(resp.attempts, 3);
    tts_fetch_resp_clear(&resp);
}

static void test_fetch_500_gives_up_after_retries(void **state)
{
    (void)state;
    expect_fail("/flaky/9/us-1260h.csv", TTS_ERR_NET, "HTTP status 500 after 3 attempts", 2, 0);
}

static void test_fetch_redirect_loop_is_bounded(void **state)
{
    (void)state;
    expect_fail("/loop", TTS_ERR_NET, "redirect", 0, 0);
}

static void test_fetch_follows_a_redirect(void **state)
{
    tts_fetch_req r = request(url("/moved/jp-eul.csv"), dest("h"));
    tts_fetch_resp resp;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_get(&r, &resp, &err), TTS_OK);
    assert_int_equal(resp.status, 200);
    tts_fetch_resp_clear(&resp);
}

static void test_fetch_slow_body_times_out(void **state)
{
    (void)state;
    expect_fail("/slow", TTS_ERR_NET, "after 2 attempts", 1, 400);
}

static void test_fetch_body_over_limit_is_refused(void **state)
{
    (void)state;
    expect_fail("/big", TTS_ERR_LIMIT, "larger than", 0, 0);
}

static void test_fetch_truncated_body_is_an_error(void **state)
{
    (void)state;
    expect_fail("/truncated", TTS_ERR_NET, "127.0.0.1", 0, 0);
}

static void test_fetch_only_allowed_schemes(void **state)
{
    tts_fetch_req r = request("ftp://127.0.0.1/x", dest("i"));
    tts_fetch_resp resp;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_get(&r, &resp, &err), TTS_ERR_NET);
}

static void test_fetch_plain_http_needs_allow_http(void **state)
{
    tts_fetch_req r = request(url("/f/us-1260h.csv"), dest("j"));
    tts_fetch_resp resp;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    r.allow_http = 0;
    assert_int_equal(tts_fetch_get(&r, &resp, &err), TTS_ERR_NET);
}

static void test_fetch_close_delimited_body_is_refused(void **state)
{
    (void)state;
    expect_fail("/close/us-1260h.csv", TTS_ERR_NET, "neither a Content-Length nor chunked", 0,
                0);
    expect_fail("/cut/us-1260h.csv", TTS_ERR_NET, "nothing proves the body complete", 0, 0);
}

static void test_fetch_chunked_body_is_complete(void **state)
{
    tts_fetch_req r = request(url("/chunked/us-1260h.csv"), dest("k"));
    tts_fetch_resp resp;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_get(&r, &resp, &err), TTS_OK);
    assert_true(resp.bytes > 50);
    assert_string_equal(resp.transport, "http");
    tts_fetch_resp_clear(&resp);
}

/* ---- POST (time-stamp queries) ---- */

static tts_status post(const char *path, int retries, long long max_bytes, char **body, size_t *len,
                       tts_error *err)
{
    tts_fetch_req r = request(url(path), NULL);
    r.post_data = "\x30\x03\x02\x01\x01";
    r.post_len = 5;
    r.content_type = "application/timestamp-query";
    r.accept = "application/timestamp-reply";
    r.retries = retries;
    if (max_bytes > 0)
        r.max_bytes = max_bytes;
    tts_error_clear(err);
    return tts_fetch_post(&r, body, len, err);
}

static void test_post_keeps_the_answer_in_memory(void **state)
{
    char *body = NULL;
    size_t len = 0;
    tts_error err;
    (void)state;
    assert_int_equal(post("/tsa/garbage", 0, 0, &body, &len, &err), TTS_OK);
    assert_int_equal(len, 12);
    assert_string_equal(body, "not a reply\n");
    tts_free(body);
}

static void test_post_failures(void **state)
{
    char *body = NULL;
    size_t len = 0;
    tts_error err;
    tts_fetch_req r = request(url("/tsa/garbage"), NULL);
    (void)state;
    assert_int_equal(post("/tsa/500", 1, 0, &body, &len, &err), TTS_ERR_NET);
    assert_non_null(strstr(err.message, "HTTP status 500 after 2 attempts"));
    assert_null(body);
    /* a redirect is an answer, not followed: a POST must not turn into a GET elsewhere */
    assert_int_equal(post("/moved/jp-eul.csv", 0, 0, &body, &len, &err), TTS_ERR_NET);
    assert_non_null(strstr(err.message, "HTTP status 302"));
    assert_int_equal(post("/missing", 0, 0, &body, &len, &err), TTS_ERR_NET);
    assert_non_null(strstr(err.message, "HTTP status 404"));
    assert_int_equal(post("/big", 0, 100000, &body, &len, &err), TTS_ERR_LIMIT);
    assert_null(body);
    r.url = "file:///etc/hostname";
    r.post_data = "x";
    r.post_len = 1;
    r.content_type = "text/plain";
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_post(&r, &body, &len, &err), TTS_ERR_NET);
    r.content_type = NULL;
    tts_error_clear(&err);
    assert_int_equal(tts_fetch_post(&r, &body, &len, &err), TTS_ERR_ARG);
    assert_null(body);
}

/* ---- lists update end to end ---- */

static tts_update_opts uopts(const char *u, const char *now)
{
    tts_update_opts o;
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.url = u;
    o.format = "ttscreen-csv";
    o.now = now;
    o.tmp_dir = scratch;
    o.connect_timeout_ms = 2000;
    o.timeout_ms = 5000;
    o.retry_delay_ms = 10;
    o.allow_insecure_http = 1;
    return o;
}

static long entries_of(tts_lists *l, const char *source)
{
    tts_list_status *st = NULL;
    size_t n = 0;
    long e = -1;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_status(l, &st, &n, &err), TTS_OK);
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].source, source) == 0)
            e = st[i].entries;
    tts_list_status_free(st, n);
    return e;
}

static void test_update_imports_then_gets_304_and_keeps_list_on_failure(void **state)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_update_outcome out;
    tts_import_result res;
    tts_update_opts o;
    tts_store_fetch f;
    int found = 0;
    char u1[512];
    (void)state;
    tts_error_clear(&err);
    snprintf(u1, sizeof(u1), "%s", url("/f/us-1260h.csv"));
    assert_int_equal(tts_lists_open(dest("u.db"), 0, &l, &err), TTS_OK);
    o = uopts(u1, "2026-01-01T00:00:00Z");
    assert_int_equal(tts_lists_update(l, "us-1260h", &o, &out, &res, &err), TTS_OK);
    assert_int_equal(out, TTS_UPDATE_IMPORTED);
    assert_int_equal(res.entries, 1);
    /* Same URL again: the stored ETag makes it a 304. */
    o = uopts(u1, "2026-01-02T00:00:00Z");
    assert_int_equal(tts_lists_update(l, "us-1260h", &o, &out, &res, &err), TTS_OK);
    assert_int_equal(out, TTS_UPDATE_UNCHANGED);
    assert_int_equal(tts_store_fetch_get(tts_listdb_store(l), "us-1260h", &f, &found, &err),
                     TTS_OK);
    assert_true(found);
    assert_int_equal(f.http_status, 304);
    assert_string_equal(f.checked_at, "2026-01-02T00:00:00Z");
    assert_string_equal(f.fetched_at, "2026-01-01T00:00:00Z");
    tts_store_fetch_clear(&f);
    /* A malformed body and a failing server both leave the list as it was. */
    o = uopts(url("/f/bad/wrong-columns.csv"), "2026-01-03T00:00:00Z");
    assert_int_not_equal(tts_lists_update(l, "us-1260h", &o, &out, &res, &err), TTS_OK);
    assert_int_equal(entries_of(l, "us-1260h"), 1);
    tts_error_clear(&err);
    o = uopts(url("/missing"), "2026-01-03T00:00:00Z");
    assert_int_equal(tts_lists_update(l, "us-1260h", &o, &out, &res, &err), TTS_ERR_NET);
    assert_int_equal(entries_of(l, "us-1260h"), 1);
    tts_lists_close(l);
}

static void test_update_from_file_url_detects_unchanged_content(void **state)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_update_outcome out;
    tts_import_result res;
    tts_update_opts o;
    char path[PATH_MAX], u[PATH_MAX + 16];
    (void)state;
    tts_error_clear(&err);
    assert_non_null(realpath(tts_test_fixture("lists/jp-eul.csv"), path));
    snprintf(u, sizeof(u), "file://%s", path);
    assert_int_equal(tts_lists_open(dest("v.db"), 0, &l, &err), TTS_OK);
    o = uopts(u, "2026-01-01T00:00:00Z");
    assert_int_equal(tts_lists_update(l, "jp-eul", &o, &out, &res, &err), TTS_OK);
    assert_int_equal(out, TTS_UPDATE_IMPORTED);
    assert_int_equal(tts_lists_update(l, "jp-eul", &o, &out, &res, &err), TTS_OK);
    assert_int_equal(out, TTS_UPDATE_UNCHANGED);
    tts_lists_close(l);
}

static void test_update_without_feed_explains_convert_then_import(void **state)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_update_outcome out;
    tts_update_opts o = uopts(NULL, "2026-01-01T00:00:00Z");
    (void)state;
    tts_error_clear(&err);
    o.format = NULL;
    assert_int_equal(tts_lists_open(dest("w.db"), 0, &l, &err), TTS_OK);
    assert_int_equal(tts_lists_update(l, "jp-eul", &o, &out, NULL, &err), TTS_ERR_ARG);
    assert_non_null(strstr(err.message, "convert"));
    tts_lists_close(l);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fetch_200_then_304_with_validators),
        cmocka_unit_test(test_fetch_404_is_a_network_error),
        cmocka_unit_test(test_fetch_500_then_200_succeeds_after_retries),
        cmocka_unit_test(test_fetch_500_gives_up_after_retries),
        cmocka_unit_test(test_fetch_redirect_loop_is_bounded),
        cmocka_unit_test(test_fetch_follows_a_redirect),
        cmocka_unit_test(test_fetch_slow_body_times_out),
        cmocka_unit_test(test_fetch_body_over_limit_is_refused),
        cmocka_unit_test(test_fetch_truncated_body_is_an_error),
        cmocka_unit_test(test_fetch_only_allowed_schemes),
        cmocka_unit_test(test_fetch_plain_http_needs_allow_http),
        cmocka_unit_test(test_fetch_close_delimited_body_is_refused),
        cmocka_unit_test(test_fetch_chunked_body_is_complete),
        cmocka_unit_test(test_post_keeps_the_answer_in_memory),
        cmocka_unit_test(test_post_failures),
        cmocka_unit_test(test_update_imports_then_gets_304_and_keeps_list_on_failure),
        cmocka_unit_test(test_update_from_file_url_detects_unchanged_content),
        cmocka_unit_test(test_update_without_feed_explains_convert_then_import),
    };
    const char *env = getenv("TTSD");
    const char *slash = strrchr(argv[0], '/');
    (void)argc;
    if (env != NULL)
        snprintf(ttsd, sizeof(ttsd), "%s", env);
    else if (slash != NULL)
        snprintf(ttsd, sizeof(ttsd), "%.*s/ttsd", (int)(slash - argv[0]), argv[0]);
    else
        snprintf(ttsd, sizeof(ttsd), "./ttsd");
    return cmocka_run_group_tests_name("fetch", tests, start_server, stop_server);
}
