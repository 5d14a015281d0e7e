/* SPDX-License-Identifier: MIT */
/*
 * `lists update` (entry points in ttscreen/lists.h). The feed of a source
 * is the URL given for this run, else the one configured in the database (list_config), else
 * the compiled-in default. The body never touches the stored list until
 * it has been imported successfully: it goes to a mkstemp file next to the
 * database (same file system, private mode), which is removed on every
 * path. An unchanged body (same SHA-256) or a 304 only refreshes the
 * fetch metadata (logged like an import: the list's hash covers it).
 * Plain http:// feeds need the caller's allow_insecure_http; a new version
 * that loses more than max_drop of the stored entries is refused unless
 * accept_drop.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/error.h"
#include "net/fetch.h"
#include "lists/import.h"
#include "lists/listdb.h"
#include "lists/listmeta.h"
#include "util/mem.h"
#include "sign/ossl.h"
#include "store/store.h"
#include "store/store_digest.h"

static int known_scheme(const char *url)
{
    return strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0 ||
           strncmp(url, "file://", 7) == 0;
}

tts_status tts_lists_set_url(tts_lists *l, const char *source, const char *url,
                             const char *format, tts_error *err)
{
    tts_status rc;
    if (!known_scheme(url))
        return tts_err_set(err, TTS_ERR_ARG, "feed URL must start with https://, http:// or "
                                             "file://: %s",
                           url);
    if (format == NULL || !tts_import_format_known(format))
        return tts_err_set(err, TTS_ERR_ARG, "feed of %s needs a list format", source);
    rc = tts_store_begin(tts_listdb_store(l), err);
    if (rc == TTS_OK)
        rc = tts_store_config_set(tts_listdb_store(l), source, url, format, err);
    if (rc == TTS_OK) {
        /* the configuration is part of the list's logged content; dated by its last check */
        tts_store_fetch f;
        int found = 0;
        rc = tts_store_fetch_get(tts_listdb_store(l), source, &f, &found, err);
        if (rc == TTS_OK)
            rc = tts_listdb_log(l, found && f.checked_at ? f.checked_at : "", "list-config",
                                source, NULL, err);
        tts_store_fetch_clear(&f);
    }
    if (rc == TTS_OK)
        rc = tts_store_commit(tts_listdb_store(l), err);
    if (rc != TTS_OK)
        tts_store_rollback(tts_listdb_store(l));
    return rc;
}

/* Resolve the feed of source into owned strings *url and *format. */
static tts_status feed_of(tts_lists *l, const char *source, const tts_update_opts *o, char **url,
                          char **format, tts_error *err)
{
    int found = 0;
    const char *du = NULL, *df = NULL;
    tts_status rc;
    *url = *format = NULL;
    if (o->url != NULL) {
        *url = tts_strdup(o->url);
        if (o->format != NULL) {
            *format = tts_strdup(o->format);
        } else {
            char *cfg_url = NULL;
            rc = tts_store_config_get(tts_listdb_store(l), source, &cfg_url, format, &found, err);
            tts_free(cfg_url);
            if (rc != TTS_OK)
                return rc;
        }
    } else {
        rc = tts_store_config_get(tts_listdb_store(l), source, url, format, &found, err);
        if (rc != TTS_OK)
            return rc;
        if (!found && tts_lists_default_url(source, &du, &df) == TTS_OK) {
            *url = tts_strdup(du);
            *format = tts_strdup(df);
        }
    }
    if (*url == NULL && o->url == NULL)
        return tts_err_set(err, TTS_ERR_ARG,
                           "list %s has no feed URL (give --url, or convert the publication to "
                           "ttscreen-csv and use 'lists import')",
                           source);
    if (*url == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (*format == NULL && o->format == NULL && tts_lists_default_url(source, &du, &df) == TTS_OK)
        *format = tts_strdup(df);
    if (*format == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "list %s: the feed's format is unknown (give --format)",
                           source);
    if (!known_scheme(*url))
        return tts_err_set(err, TTS_ERR_ARG,
                           "feed URL must start with https://, http:// or file://: %s", *url);
    if (strncmp(*url, "http://", 7) == 0 && !o->allow_insecure_http)
        return tts_err_set(err, TTS_ERR_ARG,
                           "%s: plain HTTP is refused (anyone on the network path could change "
                           "the list); use https://, or give --allow-insecure-http",
                           *url);
    return TTS_OK;
}

/* A private temporary file in dir (or the database's directory). */
static tts_status make_temp(tts_lists *l, const tts_update_opts *o, char *path, size_t cap,
                            tts_error *err)
{
    const char *db = tts_listdb_path(l), *slash = strrchr(db, '/');
    int fd;
    if (o->tmp_dir != NULL)
        snprintf(path, cap, "%s/.ttscreen-fetch-XXXXXX", o->tmp_dir);
    else if (slash != NULL)
        snprintf(path, cap, "%.*s/.ttscreen-fetch-XXXXXX", (int)(slash - db), db);
    else
        snprintf(path, cap, ".ttscreen-fetch-XXXXXX");
    fd = mkstemp(path);
    if (fd < 0)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot create a temporary file", path);
    close(fd);
    return TTS_OK;
}

typedef struct current {
    tts_store_fetch fetch;
    int found;
    char sha256[65];
} current;

static int find_sha(void *u, const tts_store_source *s)
{
    const char **want = u;
    if (strcmp(s->name, want[0]) == 0 && s->sha256 != NULL)
        snprintf((char *)(uintptr_t)want[1], 65, "%s", s->sha256);
    return 0;
}

/* The stored fetch metadata and content hash of source. */
static tts_status read_current(tts_lists *l, const char *source, current *c, tts_error *err)
{
    const char *want[2];
    tts_status rc;
    c->sha256[0] = '\0';
    want[0] = source;
    want[1] = c->sha256;
    rc = tts_store_fetch_get(tts_listdb_store(l), source, &c->fetch, &c->found, err);
    if (rc == TTS_OK)
        rc = tts_store_sources_each(tts_listdb_store(l), find_sha, (void *)want, err);
    return rc;
}

static tts_status file_sha256(const char *path, char out[65], tts_error *err)
{
    FILE *fp = fopen(path, "rb");
    tts_sha256 *h;
    char buf[65536];
    size_t n;
    tts_status rc = TTS_OK;
    if (fp == NULL)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot read the download", path);
    h = tts_sha256_new();
    if (h == NULL) {
        fclose(fp);
        return tts_err_set(err, TTS_ERR_NOMEM, "cannot hash the download");
    }
    while (rc == TTS_OK && (n = fread(buf, 1, sizeof(buf), fp)) > 0)
        rc = tts_sha256_update(h, buf, n);
    fclose(fp);
    if (rc != TTS_OK) {
        tts_sha256_free(h);
        return tts_err_set(err, rc, "cannot hash the download");
    }
    return tts_sha256_final(h, out);
}

/*
 * Record a check that changed nothing (304 or identical body). An
 * identical body served with a Last-Modified dates the stored list by it,
 * as the download of a new version would have; a 304 says nothing new.
 */
static tts_status record_check(tts_lists *l, const char *source, const char *url, current *c,
                               const tts_fetch_resp *resp, const tts_update_opts *o,
                               const char *format, tts_error *err)
{
    const char *now = o->now;
    tts_store_fetch f = c->fetch;
    tts_store *s = tts_listdb_store(l);
    tts_status rc;
    char lm[21];
    f.url = (char *)(uintptr_t)url;
    if (resp->etag != NULL)
        f.etag = resp->etag;
    if (resp->last_modified != NULL)
        f.last_modified = resp->last_modified;
    f.checked_at = (char *)(uintptr_t)now;
    f.http_status = resp->status;
    rc = tts_store_begin(s, err);
    if (rc == TTS_OK)
        rc = tts_store_fetch_put(s, source, &f, err);
    if (rc == TTS_OK && tts_store_has_audit2(s))
        rc = tts_store_fetch_transport_set(s, source, resp->transport, err);
    if (rc == TTS_OK && !resp->not_modified &&
        tts_listmeta_feed_date(url, resp->last_modified, lm))
        rc = tts_store_source_redate(s, source, lm, err);
    if (rc == TTS_OK && o->remember_url && o->url != NULL && format != NULL)
        rc = tts_store_config_set(s, source, o->url, format, err);
    /* what the check changed is logged like an import (nothing on an older database) */
    if (rc == TTS_OK)
        rc = tts_listdb_log(l, now, "list-check", source, NULL, err);
    if (rc == TTS_OK)
        rc = tts_store_commit(s, err);
    if (rc != TTS_OK)
        tts_store_rollback(s);
    return rc;
}

static void defaults_fill(tts_fetch_req *r, const tts_update_opts *o)
{
    r->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
    r->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 300000;
    r->max_bytes = o->max_bytes > 0 ? o->max_bytes : 256LL * 1024 * 1024;
    r->max_redirects = o->max_redirects > 0 ? o->max_redirects : 5;
    r->retries = o->retries > 0 ? o->retries : o->retries < 0 ? 0 : 3;
    r->retry_delay_ms = o->retry_delay_ms > 0 ? o->retry_delay_ms : 1000;
    r->ca_file = o->ca_file;
    r->allow_http = o->allow_insecure_http;
    r->progress = o->progress;
    r->progress_user = o->progress_user;
}

tts_status tts_lists_update(tts_lists *l, const char *source, const tts_update_opts *o,
                            tts_update_outcome *outcome, tts_import_result *res, tts_error *err)
{
    char *url = NULL, *format = NULL, tmp[4096], sha[65];
    current cur;
    tts_fetch_req req;
    tts_fetch_resp resp;
    tts_status rc;
    int have_tmp = 0;
    memset(&cur, 0, sizeof(cur));
    memset(&resp, 0, sizeof(resp));
    if (o == NULL || o->size < sizeof(tts_update_opts) || o->now == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "tts_lists_update: options missing or incomplete");
    TTS_TRY(feed_of(l, source, o, &url, &format, err));
    TTS_TRY(read_current(l, source, &cur, err));
    TTS_TRY(make_temp(l, o, tmp, sizeof(tmp), err));
    have_tmp = 1;
    memset(&req, 0, sizeof(req));
    defaults_fill(&req, o);
    req.url = url;
    req.dest = tmp;
    req.label = source;
    /* Conditional only against the same URL: another feed's validators mean nothing. */
    if (cur.found && cur.fetch.url != NULL && strcmp(cur.fetch.url, url) == 0 && cur.sha256[0]) {
        req.etag = cur.fetch.etag;
        req.last_modified = cur.fetch.last_modified;
    }
    TTS_TRY(tts_fetch_get(&req, &resp, err));
    if (!resp.not_modified)
        TTS_TRY(file_sha256(tmp, sha, err));
    if (resp.not_modified || strcmp(sha, cur.sha256) == 0) {
        TTS_TRY(record_check(l, source, url, &cur, &resp, o, format, err));
        *outcome = TTS_UPDATE_UNCHANGED;
    } else {
        tts_store_fetch f;
        tts_listdb_feed feed;
        const char *files[1];
        memset(&f, 0, sizeof(f));
        memset(&feed, 0, sizeof(feed));
        feed.fetch = &f;
        feed.transport = resp.transport;
        feed.max_drop = o->accept_drop ? -1.0
                        : o->max_drop < 0 ? -1.0
                        : o->max_drop > 0 ? o->max_drop / 100.0
                                          : 0.10;
        if (o->remember_url && o->url != NULL) {
            feed.config_url = o->url;
            feed.config_format = format;
        }
        f.url = url;
        f.etag = resp.etag;
        f.last_modified = resp.last_modified;
        f.fetched_at = f.checked_at = (char *)(uintptr_t)o->now;
        f.http_status = resp.status;
        f.bytes = resp.bytes;
        files[0] = tmp;
        TTS_TRY(tts_listdb_import(l, source, format, files, 1, o->now, url, &feed, NULL, res, err));
        *outcome = TTS_UPDATE_IMPORTED;
    }
out:
    if (have_tmp)
        remove(tmp);
    if (rc != TTS_OK && err != NULL && strstr(err->message, tmp) != NULL && have_tmp) {
        /* Name the feed, not our temporary file, in import errors. */
        char msg[sizeof(err->message)];
        const char *p = strstr(err->message, tmp);
        snprintf(msg, sizeof(msg), "%.*s%s%s", (int)(p - err->message), err->message, url,
                 p + strlen(tmp));
        snprintf(err->message, sizeof(err->message), "%s", msg);
    }
    tts_fetch_resp_clear(&resp);
    tts_store_fetch_clear(&cur.fetch);
    tts_free(url);
    tts_free(format);
    return rc;
}
