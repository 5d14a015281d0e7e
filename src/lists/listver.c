/* SPDX-License-Identifier: MIT */
/*
 * List versions and their changes (see listver.h and ttscreen/versions.h).
 * An import snapshots the source's entries with their content hashes
 * before and after it replaces them, compares the two by entry id and
 * stores only the differences. The net change between any two versions is
 * composed from those rows: for each entry touched, the hash before the
 * first change and after the last one. No SQL here: store_listver.c.
 */
#include "lists/listver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/error.h"
#include "store/store_digest.h"
#include "store/store_listver.h"

void tts_listver_snap_free(tts_listver_snap *s)
{
    if (s == NULL)
        return;
    tts_arena_free(s->arena);
    tts_free(s->items);
    memset(s, 0, sizeof(*s));
}

typedef struct snap_ctx {
    tts_store *st;
    const char *source;
    tts_listver_snap *s;
    tts_error *err;
    tts_status rc;
} snap_ctx;

static int snap_row(void *u, const char *entry_id, const char *name)
{
    snap_ctx *c = u;
    tts_listver_snap *s = c->s;
    char sha[65];
    int found = 0;
    tts_listver_ent *e;
    c->rc = tts_store_entry_sha256(c->st, c->source, entry_id, sha, NULL, NULL, &found, c->err);
    if (c->rc != TTS_OK)
        return 1;
    if (!tts_grow(&s->items, &s->cap, s->n + 1, sizeof(*s->items)))
        goto nomem;
    e = &s->items[s->n];
    e->entry_id = tts_arena_strdup(s->arena, entry_id);
    e->name = tts_arena_strdup(s->arena, name != NULL ? name : "");
    e->sha256 = tts_arena_strdup(s->arena, found ? sha : "");
    if (e->entry_id == NULL || e->name == NULL || e->sha256 == NULL)
        goto nomem;
    s->n++;
    return 0;
nomem:
    c->rc = tts_err_set(c->err, TTS_ERR_NOMEM, "out of memory reading a list's entries");
    return 1;
}

static int ent_cmp(const void *a, const void *b)
{
    return strcmp(((const tts_listver_ent *)a)->entry_id, ((const tts_listver_ent *)b)->entry_id);
}

tts_status tts_listver_snapshot(tts_store *st, const char *source, tts_listver_snap *s,
                                tts_error *err)
{
    snap_ctx c = {st, source, s, err, TTS_OK};
    tts_status rc;
    memset(s, 0, sizeof(*s));
    s->arena = tts_arena_new();
    if (s->arena == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading a list's entries");
    rc = tts_store_source_sha256(st, source, s->sha256, &s->existed, err);
    if (rc == TTS_OK)
        rc = tts_store_source_ids_each(st, source, snap_row, &c, err);
    if (rc != TTS_OK && c.rc != TTS_OK)
        rc = c.rc;
    if (rc == TTS_OK && s->n > 1)
        qsort(s->items, s->n, sizeof(*s->items), ent_cmp); /* SQL's order already, normally */
    return rc;
}

int tts_listver_compare(const tts_listver_ent *old, size_t n_old, const tts_listver_ent *now,
                        size_t n_now, tts_listver_emit emit, void *user)
{
    size_t i = 0, j = 0;
    int r = 0;
    while (r == 0 && (i < n_old || j < n_now)) {
        int c = i == n_old ? 1 : j == n_now ? -1 : strcmp(old[i].entry_id, now[j].entry_id);
        if (c < 0) {
            r = emit(user, "removed", &old[i++], NULL);
        } else if (c > 0) {
            r = emit(user, "added", NULL, &now[j++]);
        } else {
            if (strcmp(old[i].sha256, now[j].sha256) != 0)
                r = emit(user, "changed", &old[i], &now[j]);
            i++;
            j++;
        }
    }
    return r;
}

/* ---- net change over versions ---- */

void tts_listver_net_add(tts_listver_net *net, const char *entry_id, const char *name,
                         const char *old_sha256, const char *new_sha256)
{
    tts_list_change *c;
    if (net->failed)
        return;
    if (net->arena == NULL && (net->arena = tts_arena_new()) == NULL) {
        net->failed = 1;
        return;
    }
    if (!tts_grow(&net->items, &net->cap, net->n + 1, sizeof(*net->items))) {
        net->failed = 1;
        return;
    }
    c = &net->items[net->n];
    memset(c, 0, sizeof(*c));
    c->entry_id = tts_arena_strdup(net->arena, entry_id);
    c->name = tts_arena_strdup(net->arena, name != NULL ? name : "");
    c->old_sha256 = old_sha256 != NULL ? tts_arena_strdup(net->arena, old_sha256) : NULL;
    c->new_sha256 = new_sha256 != NULL ? tts_arena_strdup(net->arena, new_sha256) : NULL;
    if (c->entry_id == NULL || c->name == NULL || (old_sha256 != NULL && c->old_sha256 == NULL) ||
        (new_sha256 != NULL && c->new_sha256 == NULL)) {
        net->failed = 1;
        return;
    }
    c->change = NULL; /* classified by tts_listver_net_finish */
    net->n++;
}

/*
 * By entry id, then order of arrival: the rows come by version, and qsort
 * is not stable, so the arrival order rides along in a parallel index.
 */
typedef struct net_ref {
    const tts_list_change *c;
    size_t seq;
} net_ref;

static int net_cmp(const void *a, const void *b)
{
    const net_ref *x = a, *y = b;
    int c = strcmp(x->c->entry_id, y->c->entry_id);
    if (c != 0)
        return c;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

tts_status tts_listver_net_finish(tts_listver_net *net, tts_error *err)
{
    net_ref *r;
    tts_list_change *out;
    size_t w = 0;
    if (net->failed)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory composing list changes");
    if (net->n == 0)
        return TTS_OK;
    r = tts_malloc(net->n * sizeof(*r));
    out = tts_malloc(net->n * sizeof(*out));
    if (r == NULL || out == NULL) {
        tts_free(r);
        tts_free(out);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory composing list changes");
    }
    for (size_t i = 0; i < net->n; i++) {
        r[i].c = &net->items[i];
        r[i].seq = i;
    }
    qsort(r, net->n, sizeof(*r), net_cmp);
    for (size_t i = 0; i < net->n;) {
        size_t k = i;
        tts_list_change c;
        while (k + 1 < net->n && strcmp(r[k + 1].c->entry_id, r[i].c->entry_id) == 0)
            k++;
        /* the state before the first change and after the last one */
        c = *r[k].c;
        c.old_sha256 = r[i].c->old_sha256;
        if (c.old_sha256 == NULL && c.new_sha256 == NULL)
            c.change = NULL; /* added, then removed */
        else if (c.old_sha256 == NULL)
            c.change = "added";
        else if (c.new_sha256 == NULL)
            c.change = "removed";
        else if (strcmp(c.old_sha256, c.new_sha256) != 0)
            c.change = "changed";
        else
            c.change = NULL; /* changed, then changed back */
        if (c.change != NULL)
            out[w++] = c;
        i = k + 1;
    }
    tts_free(r);
    tts_free(net->items);
    net->items = out;
    net->n = w;
    net->cap = net->n;
    return TTS_OK;
}

void tts_listver_net_free(tts_listver_net *net)
{
    if (net == NULL)
        return;
    tts_arena_free(net->arena);
    tts_free(net->items);
    memset(net, 0, sizeof(*net));
}

/* ---- the import hooks ---- */

/*
 * The stored entries as the versions recorded them: every change from
 * version 0 to the newest composes into the entries present and their
 * hashes, one read of the change rows instead of hashing every entry
 * again. Used only while the stored list is that newest version.
 */
static tts_status snapshot_from_versions(tts_store *st, const char *source, long newest,
                                         tts_listver_snap *s, tts_error *err)
{
    tts_listver_net net;
    tts_status rc;
    TTS_TRY(tts_listver_changes(st, source, 0, newest, &net, err));
    s->items = tts_calloc(net.n + 1, sizeof(*s->items));
    if (s->items == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading a list's entries"));
    s->cap = net.n + 1;
    for (size_t i = 0; i < net.n; i++) {
        tts_listver_ent *e = &s->items[s->n];
        if (net.items[i].new_sha256 == NULL)
            continue; /* not reached: from version 0 every entry present is "added" */
        e->entry_id = tts_arena_strdup(s->arena, net.items[i].entry_id);
        e->name = tts_arena_strdup(s->arena, net.items[i].name);
        e->sha256 = tts_arena_strdup(s->arena, net.items[i].new_sha256);
        if (e->entry_id == NULL || e->name == NULL || e->sha256 == NULL)
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading a list's entries"));
        s->n++;
    }
out:
    tts_listver_net_free(&net);
    return rc;
}

tts_status tts_listver_before(tts_store *st, const char *source, tts_listver_snap *before,
                              tts_error *err)
{
    char sha[65];
    long newest = 0;
    tts_status rc;
    TTS_TRY(tts_listver_latest(st, source, &newest, sha, err));
    memset(before, 0, sizeof(*before));
    before->arena = tts_arena_new();
    if (before->arena == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory reading a list's entries");
    TTS_TRY(tts_store_source_sha256(st, source, before->sha256, &before->existed, err));
    if (newest > 0 && before->existed && strcmp(sha, before->sha256) == 0)
        return snapshot_from_versions(st, source, newest, before, err);
    /* no versions kept yet (or not of what is stored): hash what is stored */
    tts_listver_snap_free(before);
    return tts_listver_snapshot(st, source, before, err);
out:
    return rc;
}

typedef struct record_ctx {
    tts_store *st;
    int64_t vid;
    long added, removed, changed;
    int count_only;
    tts_error *err;
    tts_status rc;
} record_ctx;

static int record_change(void *u, const char *change, const tts_listver_ent *old,
                         const tts_listver_ent *now)
{
    record_ctx *c = u;
    tts_store_change ch;
    if (change[0] == 'a')
        c->added++;
    else if (change[0] == 'r')
        c->removed++;
    else
        c->changed++;
    if (c->count_only)
        return 0;
    /* the entry as it is now, else as it was (a change has one side at least) */
    const tts_listver_ent *e = now != NULL ? now : old;
    if (e == NULL) {
        c->rc = tts_err_set(c->err, TTS_ERR_INTERNAL, "a list change without an entry");
        return 1;
    }
    ch.version = 0;
    ch.entry_id = e->entry_id;
    ch.change = change;
    ch.old_sha256 = old != NULL ? old->sha256 : NULL;
    ch.new_sha256 = now != NULL ? now->sha256 : NULL;
    ch.name = e->name;
    c->rc = tts_store_change_add(c->st, c->vid, &ch, c->err);
    return c->rc != TTS_OK;
}

/* Store version `version` of source: the changes from old to now. */
static tts_status add_version(tts_store *st, const char *source, long version,
                              const tts_listver_ent *old, size_t n_old, const tts_listver_ent *now,
                              size_t n_now, const char *sha256, const char *imported_at,
                              long entries, tts_error *err)
{
    record_ctx c = {st, 0, 0, 0, 0, 1, err, TTS_OK};
    tts_store_version v;
    tts_status rc;
    /* count first: the version row carries its counts and is never updated */
    tts_listver_compare(old, n_old, now, n_now, record_change, &c);
    memset(&v, 0, sizeof(v));
    v.source = source;
    v.version = version;
    v.sha256 = sha256;
    v.imported_at = imported_at;
    v.entries = entries;
    v.added = c.added;
    v.removed = c.removed;
    v.changed = c.changed;
    TTS_TRY(tts_store_version_add(st, &v, &c.vid, err));
    c.count_only = 0;
    c.added = c.removed = c.changed = 0;
    if (tts_listver_compare(old, n_old, now, n_now, record_change, &c) != 0)
        rc = c.rc != TTS_OK ? c.rc : tts_err_set(err, TTS_ERR_INTERNAL, "recording list changes");
out:
    return rc;
}

typedef struct latest_ctx {
    long version;
    char sha[65];
    char imported_at[40];
} latest_ctx;

static int latest_row(void *u, const tts_store_version *v)
{
    latest_ctx *c = u;
    c->version = v->version;
    snprintf(c->sha, sizeof(c->sha), "%s", v->sha256 != NULL ? v->sha256 : "");
    snprintf(c->imported_at, sizeof(c->imported_at), "%s", v->imported_at ? v->imported_at : "");
    return 0;
}

tts_status tts_listver_latest(tts_store *st, const char *source, long *version, char sha[65],
                              tts_error *err)
{
    latest_ctx c;
    tts_status rc;
    memset(&c, 0, sizeof(c));
    rc = tts_store_versions_each(st, source, latest_row, &c, err);
    if (rc != TTS_OK)
        return rc;
    *version = c.version;
    if (sha != NULL)
        memcpy(sha, c.sha, 65);
    return TTS_OK;
}

tts_status tts_listver_after(tts_store *st, const char *source, const tts_listver_snap *before,
                             const char *imported_at, const char *sha256, long entries,
                             tts_error *err)
{
    tts_listver_snap now;
    long version = 0;
    tts_status rc;
    memset(&now, 0, sizeof(now));
    TTS_TRY(tts_listver_latest(st, source, &version, NULL, err));
    if (version == 0 && before->existed && before->n > 0) {
        /* imported before versions were kept: its old contents become version 1 */
        TTS_TRY(add_version(st, source, 1, NULL, 0, before->items, before->n, before->sha256,
                            imported_at, (long)before->n, err));
        version = 1;
    }
    TTS_TRY(tts_listver_snapshot(st, source, &now, err));
    rc = add_version(st, source, version + 1, before->items, before->n, now.items, now.n, sha256,
                     imported_at, entries, err);
out:
    tts_listver_snap_free(&now);
    return rc;
}

/* ---- composing changes ---- */

static int net_row(void *u, const tts_store_change *c)
{
    tts_listver_net_add(u, c->entry_id, c->name, c->old_sha256, c->new_sha256);
    return ((tts_listver_net *)u)->failed;
}

tts_status tts_listver_changes(tts_store *st, const char *source, long from, long to,
                               tts_listver_net *net, tts_error *err)
{
    tts_status rc;
    memset(net, 0, sizeof(*net));
    rc = tts_store_changes_each(st, source, from, to, net_row, net, err);
    if (net->failed) {
        tts_error_clear(err);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory composing list changes");
    }
    if (rc != TTS_OK)
        return rc;
    return tts_listver_net_finish(net, err);
}

typedef struct sha_ctx {
    const char *sha;
    long version;
} sha_ctx;

static int sha_row(void *u, const tts_store_version *v)
{
    sha_ctx *c = u;
    if (v->sha256 != NULL && strcmp(v->sha256, c->sha) == 0)
        c->version = v->version; /* oldest first: the newest one wins */
    return 0;
}

tts_status tts_listver_by_sha(tts_store *st, const char *source, const char *sha256, long *version,
                              tts_error *err)
{
    sha_ctx c = {sha256, 0};
    tts_status rc = tts_store_versions_each(st, source, sha_row, &c, err);
    *version = rc == TTS_OK ? c.version : 0;
    return rc;
}
