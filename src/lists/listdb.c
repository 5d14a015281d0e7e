/* SPDX-License-Identifier: MIT */
/*
 * Lists in the database: imports (one transaction each), the in-memory
 * view used for searching (sources, entries and the name index, built from
 * the stored normalised names on first use and dropped after an import),
 * search with the country qualifier, the rule-language lookup callback, and
 * the list summaries reports and `lists status` print.
 */
#include "lists/listdb.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/fileio.h"
#include "lists/match/identidx.h"
#include "lists/citations.h"
#include "lists/import.h"
#include "lists/listmeta.h"
#include "lists/listver.h"
#include "util/mem.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "lists/match/ofacscore.h"
#include "rules/findings.h"
#include "store/store_cases.h"
#include "store/store_digest.h"
#include "sign/ossl.h"

#define COUNTRY_PENALTY 0.05 /* query country absent from the entry's countries */
#define COUNTRY_RAISE 0.02   /* a query country among the entry's countries */
#define EXACT_NAME 0.99995   /* a name score this high is an exact name (scores print to 4 places) */

typedef struct src {
    int64_t id;
    char *name;
    char *kind, *severity; /* never NULL (listmeta: stored, else the defaults) */
} src;

/* Entry types as stored in the search view (0: unknown). */
static const char *const entry_types[] = {NULL, "person", "organisation", "vessel", "aircraft"};
#define N_ENTRY_TYPES (sizeof(entry_types) / sizeof(entry_types[0]))

typedef struct ent {
    int64_t rowid;
    uint32_t src;
    uint32_t type; /* index into entry_types */
    char *entry_id, *name, *country, *programs;
} ent;

typedef struct nm {
    char *name, *kind;
} nm;

struct tts_lists {
    tts_store *store;
    char *path;
    char *actor; /* who imports, for the audit log (tts_lists_set_actor) */
    /* search view, loaded on demand */
    int loaded;
    tts_arena *arena;
    src *srcs;
    size_t n_srcs, cap_srcs;
    ent *ents;
    size_t n_ents, cap_ents;
    nm *names;
    size_t n_names, cap_names;
    /* the view read from its stored bytes (the mapped index file): ents and names stay
       NULL, each is decoded in place when asked (ent_at, nm_at), so opening costs the
       same for any size of list */
    const unsigned char *vents, *vnames;
    char *vstrs;
    uint64_t vstrs_len;
    tts_nameidx *idx;
    tts_identidx *ids;  /* identifier index, built on the first identifier lookup */
    size_t index_limit; /* larger search indexes are not stored (tts_listdb_set_index_limit) */
    void *map;          /* the index file, mapped read-only, when the view is read from it */
    size_t map_len;
    const char *stale;  /* (arena) the first list whose names another normaliser made */
    /*
     * Searches and lookups may run on several threads at once (ttscreen/jobs.h):
     * `lock` guards loading, the identifier index, the database handle and the
     * spare scratches; the loaded view and the name index are only read.
     */
    pthread_mutex_t lock;
    int snapshot, snapshot_held; /* TTS_LISTS_SNAPSHOT asked; its read transaction is open */
    int own_busy;                  /* the index's own scratch is in use */
    struct qcache *qc;             /* lookups answered under the snapshot (lookup_query) */
    tts_nameidx_scratch **spare;   /* more scratches, for searches at the same time */
    size_t n_spare, cap_spare;
};

/* By default every search index is stored (in its file next to the database). */
#define INDEX_LIMIT SIZE_MAX

tts_store *tts_listdb_store(tts_lists *l)
{
    return l->store;
}

struct tts_nameidx *tts_listdb_index(tts_lists *l)
{
    return l->idx;
}

int tts_listdb_from_file(const tts_lists *l)
{
    return l->loaded && l->map != NULL;
}

const char *tts_listdb_path(const tts_lists *l)
{
    return l->path;
}

void tts_listdb_set_index_limit(tts_lists *l, size_t bytes)
{
    l->index_limit = bytes;
}

static void qcache_free(struct qcache *qc);

static void unload(tts_lists *l)
{
    qcache_free(l->qc); /* answers of the view being unloaded */
    l->qc = NULL;
    for (size_t i = 0; i < l->n_spare; i++) /* sized to the index they searched */
        tts_nameidx_scratch_free(l->spare[i]);
    tts_free(l->spare);
    l->spare = NULL;
    l->n_spare = l->cap_spare = 0;
    tts_identidx_free(l->ids);
    l->ids = NULL;
    tts_nameidx_free(l->idx);
    if (l->map != NULL)
        munmap(l->map, l->map_len); /* after the index and the entries, which point into it */
    l->map = NULL;
    l->map_len = 0;
    tts_arena_free(l->arena);
    tts_free(l->srcs);
    tts_free(l->ents);
    tts_free(l->names);
    l->idx = NULL;
    l->arena = NULL;
    l->srcs = NULL;
    l->ents = NULL;
    l->names = NULL;
    l->vents = l->vnames = NULL;
    l->vstrs = NULL;
    l->vstrs_len = 0;
    l->stale = NULL;
    l->n_srcs = l->cap_srcs = l->n_ents = l->cap_ents = l->n_names = l->cap_names = 0;
    l->loaded = 0;
}

tts_status tts_lists_open(const char *path, unsigned flags, tts_lists **out, tts_error *err)
{
    tts_lists *l;
    tts_status rc;
    *out = NULL;
    l = tts_calloc(1, sizeof(*l));
    if (l == NULL || (l->path = tts_strdup(path)) == NULL) {
        tts_free(l);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory opening the lists");
    }
    l->index_limit = INDEX_LIMIT;
    l->snapshot = (flags & TTS_LISTS_READONLY) && (flags & TTS_LISTS_SNAPSHOT);
    pthread_mutex_init(&l->lock, NULL);
    rc = tts_store_open(path, (flags & TTS_LISTS_READONLY) ? TTS_STORE_READONLY : 0, &l->store,
                        err);
    if (rc != TTS_OK) {
        pthread_mutex_destroy(&l->lock);
        tts_free(l->path);
        tts_free(l);
        return rc;
    }
    /* the snapshot from here: the versions a report names (tts_lists_info) and the entries
       its search reads are then of one state, whatever another process imports meanwhile */
    if (l->snapshot) {
        if ((rc = tts_store_begin_read(l->store, err)) != TTS_OK) {
            tts_lists_close(l);
            return rc;
        }
        l->snapshot_held = 1;
    }
    *out = l;
    return TTS_OK;
}

void tts_lists_close(tts_lists *l)
{
    if (l == NULL)
        return;
    unload(l);
    if (l->snapshot_held)
        tts_store_end_read(l->store);
    pthread_mutex_destroy(&l->lock);
    tts_store_close(l->store);
    tts_free(l->path);
    tts_free(l->actor);
    tts_free(l);
}

tts_status tts_lists_set_actor(tts_lists *l, const char *actor, tts_error *err)
{
    char *a = tts_strdup(actor != NULL ? actor : "unknown");
    if (a == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    tts_free(l->actor);
    l->actor = a;
    return TTS_OK;
}

/* ---- import ------------------------------------------------------ */

static tts_status load_view(tts_lists *l, int store_it, tts_error *err);

/*
 * The date a new version's age counts from: the feed's Last-Modified when
 * it was downloaded over HTTP(S) with one, else the import. (None of the formats read
 * today carries a publication date of the whole list: the legacy OFAC CSV
 * has none, CSL and DPL files date only their entries.)
 */
static const char *dated_of(const tts_store_fetch *fetch, const char *imported_at, char lm[21],
                            const char **dated_by)
{
    if (fetch != NULL && tts_listmeta_feed_date(fetch->url, fetch->last_modified, lm)) {
        *dated_by = "last-modified";
        return lm;
    }
    *dated_by = "imported";
    return imported_at;
}

tts_status tts_listdb_log(tts_lists *l, const char *at, const char *action, const char *source,
                          const char *file_sha256, tts_error *err)
{
    char object[80], sha[65];
    int found = 0;
    tts_status rc;
    const char *actor = l->actor ? l->actor : "unknown";
    snprintf(object, sizeof(object), "list:%s", source);
    if (!tts_store_has_audit2(l->store))
        return file_sha256 == NULL ? TTS_OK
                                   : tts_store_audit_append(l->store, at, actor, action, object,
                                                            file_sha256, err);
    TTS_TRY(tts_store_list_sha256(l->store, source, sha, &found, err));
    TTS_TRY(tts_store_list_content_set(l->store, source, sha, err));
    rc = tts_store_audit_append(l->store, at, actor, action, object, sha, err);
out:
    return rc;
}

/*
 * A new version that lost more than `max_drop` of the stored entries is
 * more likely a cut or broken feed than a list that shrank overnight.
 */
static tts_status check_drop(const char *source, const tts_store_meta *old, int found,
                             const tts_listdb_feed *feed, long entries, tts_error *err)
{
    double gone;
    if (feed == NULL || feed->max_drop < 0 || !found || old->entries <= 0 ||
        entries >= old->entries)
        return TTS_OK;
    gone = (double)(old->entries - entries) / (double)old->entries;
    if (gone <= feed->max_drop + 1e-9)
        return TTS_OK;
    return tts_err_set(err, TTS_ERR_VERIFY,
                       "%s: the new version has %ld entries, %.0f %% fewer than the %ld stored "
                       "(more than the %.0f %% allowed by --max-drop): the stored list is kept "
                       "(give --accept-drop to take it)",
                       source, entries, gone * 100.0, old->entries, feed->max_drop * 100.0);
}

tts_status tts_listdb_import(tts_lists *l, const char *source, const char *format,
                             const char *const *files, size_t n_files, const char *imported_at,
                             const char *label, const tts_listdb_feed *feed,
                             const tts_import_opts *opts, tts_import_result *res, tts_error *err)
{
    tts_status rc;
    tts_import_counts c;
    tts_store_meta old;
    tts_listver_snap before; /* the entries as they were: the new version's changes */
    int64_t sid = 0;
    int found = 0;
    char lm[21];
    const char *kind, *jur, *sev, *dated, *dated_by;
    const tts_store_fetch *fetch = feed != NULL ? feed->fetch : NULL;
    const char *ok = opts != NULL ? opts->kind : NULL, *oj = opts != NULL ? opts->jurisdiction : NULL,
               *os = opts != NULL ? opts->severity : NULL;
    memset(&old, 0, sizeof(old));
    memset(&before, 0, sizeof(before));
    if (source == NULL || source[0] == '\0' || strlen(source) > 64)
        return tts_err_set(err, TTS_ERR_ARG, "list source name must be 1 to 64 characters");
    /* callers built before the progress fields pass a smaller size: those read as unset */
    if (opts != NULL && opts->size < offsetof(tts_import_opts, progress))
        return tts_err_set(err, TTS_ERR_ARG, "tts_lists_import_with: options too old");
    TTS_TRY(tts_listmeta_check(ok, oj, os, err));
    TTS_TRY(tts_store_begin(l->store, err));
    TTS_TRY(tts_store_source_meta_get(l->store, source, &old, &found, err));
    tts_listmeta_resolve(source, format, ok, oj, os, old.kind, old.jurisdiction, old.severity,
                         &kind, &jur, &sev);
    dated = dated_of(fetch, imported_at, lm, &dated_by);
    TTS_TRY(tts_listver_before(l->store, source, &before, err)); /* list versions (listver.c) */
    TTS_TRY(tts_store_source_replace(l->store, source, format, &sid, err));
    memset(&c, 0, sizeof(c));
    if (opts != NULL && opts->size >= sizeof(tts_import_opts)) {
        c.progress = opts->progress;
        c.progress_user = opts->progress_user;
    }
    TTS_TRY(tts_import_files(l->store, sid, format, files, n_files, &c, err));
    TTS_TRY(check_drop(source, &old, found, feed, c.entries, err));
    TTS_TRY(tts_store_source_finish(l->store, sid, c.entries, c.aliases, c.sha256, imported_at,
                                    label, err));
    TTS_TRY(tts_listver_after(l->store, source, &before, imported_at, c.sha256, c.entries, err));
    TTS_TRY(tts_store_source_meta_set(l->store, sid, kind, jur, sev, dated, dated_by, err));
    TTS_TRY(tts_store_source_names_version_set(l->store, sid, TTS_NAMES_VERSION, err));
    if (fetch != NULL) {
        TTS_TRY(tts_store_fetch_put(l->store, source, fetch, err));
        if (feed->transport != NULL && tts_store_has_audit2(l->store))
            TTS_TRY(tts_store_fetch_transport_set(l->store, source, feed->transport, err));
    }
    if (feed != NULL && feed->config_url != NULL && feed->config_format != NULL)
        TTS_TRY(tts_store_config_set(l->store, source, feed->config_url, feed->config_format,
                                     err));
    /* the import's audit row, in the same transaction, over what is now stored */
    TTS_TRY(tts_listdb_log(l, imported_at, fetch != NULL ? "list-update" : "list-import", source,
                           c.sha256, err));
    /* the search view of the new lists, stored in the same transaction */
    unload(l);
    TTS_TRY(load_view(l, 1, err));
    TTS_TRY(tts_store_commit(l->store, err));
    if (res != NULL) {
        res->entries = c.entries;
        res->aliases = c.aliases;
        memcpy(res->sha256, c.sha256, sizeof(res->sha256));
        res->warnings = c.warnings;
        snprintf(res->warning, sizeof(res->warning), "%s", c.warning);
    }
out:
    if (rc != TTS_OK) {
        tts_store_rollback(l->store);
        unload(l);
    }
    tts_store_meta_clear(&old);
    tts_listver_snap_free(&before);
    return rc;
}

tts_status tts_lists_import(tts_lists *l, const char *source, const char *format,
                            const char *const *files, size_t n_files, const char *imported_at,
                            tts_import_result *res, tts_error *err)
{
    return tts_listdb_import(l, source, format, files, n_files, imported_at,
                             n_files > 0 ? files[0] : NULL, NULL, NULL, res, err);
}

tts_status tts_lists_import_with(tts_lists *l, const char *source, const char *format,
                                 const char *const *files, size_t n_files,
                                 const char *imported_at, const tts_import_opts *opts,
                                 tts_import_result *res, tts_error *err)
{
    return tts_listdb_import(l, source, format, files, n_files, imported_at,
                             n_files > 0 ? files[0] : NULL, NULL, opts, res, err);
}

/* ---- loading the search view ---------------------------------------- */

static char *adup(tts_arena *a, const char *s, int *oom)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = tts_arena_strdup(a, s);
    if (d == NULL)
        *oom = 1;
    return d;
}

typedef struct load_ctx {
    tts_lists *l;
    tts_error *err;
    tts_status rc;
    tts_buf *key; /* the list versions, for the stored index */
} load_ctx;

/* Stop an iteration for want of memory: the status is NOMEM, not "stopped by the caller". */
static int load_nomem(load_ctx *c)
{
    c->rc = tts_err_set(c->err, TTS_ERR_NOMEM, "out of memory loading the lists");
    return 1;
}

/* The store reports a stopped iteration as internal; the callback's own status wins. */
static tts_status own_status(tts_status rc, tts_status own)
{
    return rc != TTS_OK && own != TTS_OK ? own : rc;
}

static int load_src(void *u, const tts_store_source *s)
{
    load_ctx *c = u;
    tts_lists *l = c->l;
    int oom = 0;
    if (!tts_grow(&l->srcs, &l->cap_srcs, l->n_srcs + 1, sizeof(src)))
        return load_nomem(c);
    {
        const char *kind, *jur, *sev;
        tts_listmeta_resolve(s->name, s->format, NULL, NULL, NULL, s->kind, s->jurisdiction,
                             s->severity, &kind, &jur, &sev);
        l->srcs[l->n_srcs].id = s->id;
        l->srcs[l->n_srcs].name = adup(l->arena, s->name, &oom);
        l->srcs[l->n_srcs].kind = adup(l->arena, kind, &oom);
        l->srcs[l->n_srcs].severity = adup(l->arena, sev, &oom);
        l->n_srcs++;
    }
    /* tokens made by another normaliser would not meet today's queries: never searched */
    if (s->names_version != TTS_NAMES_VERSION && l->stale == NULL)
        l->stale = adup(l->arena, s->name, &oom);
    if (c->key != NULL)
        tts_buf_printf(c->key, "%lld\t%s\t%s\t%s\t%ld\t%ld\n", (long long)s->id, s->name,
                       s->sha256 != NULL ? s->sha256 : "",
                       s->imported_at != NULL ? s->imported_at : "", s->entries, s->aliases);
    return oom ? load_nomem(c) : 0;
}

/* Index of a normalised entry type in entry_types (0 for NULL). */
static uint32_t type_index(const char *type)
{
    for (uint32_t i = 1; type != NULL && i < N_ENTRY_TYPES; i++)
        if (strcmp(entry_types[i], type) == 0)
            return i;
    return 0;
}

static int load_ent(void *u, const tts_store_row *r)
{
    load_ctx *c = u;
    tts_lists *l = c->l;
    ent *e;
    int oom = 0;
    uint32_t si = 0;
    while (si < l->n_srcs && l->srcs[si].id != r->source_id)
        si++;
    if (si == l->n_srcs)
        return 1;
    if (!tts_grow(&l->ents, &l->cap_ents, l->n_ents + 1, sizeof(ent)))
        return load_nomem(c);
    e = &l->ents[l->n_ents++];
    e->rowid = r->entry;
    e->src = si;
    e->type = type_index(tts_listmeta_entry_type(r->type));
    e->entry_id = adup(l->arena, r->entry_id, &oom);
    e->name = adup(l->arena, r->name, &oom);
    e->country = adup(l->arena, r->country, &oom);
    e->programs = adup(l->arena, r->programs, &oom);
    return oom ? load_nomem(c) : 0;
}

static int64_t ent_rowid(const tts_lists *l, size_t i);

static size_t find_ent(const tts_lists *l, int64_t rowid)
{
    size_t lo = 0, hi = l->n_ents;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int64_t at = ent_rowid(l, mid);
        if (at == rowid)
            return mid;
        if (at < rowid)
            lo = mid + 1;
        else
            hi = mid;
    }
    return SIZE_MAX;
}

static int load_name(void *u, const tts_store_name *n)
{
    load_ctx *c = u;
    tts_lists *l = c->l;
    size_t e = find_ent(l, n->entry);
    int oom = 0;
    if (e == SIZE_MAX)
        return 1;
    if (!tts_grow(&l->names, &l->cap_names, l->n_names + 1, sizeof(nm)))
        return load_nomem(c);
    c->rc = tts_nameidx_add(l->idx, (uint32_t)e, n->tokens, n->legal, n->glued, c->err);
    if (c->rc != TTS_OK)
        return 1;
    l->names[l->n_names].name = adup(l->arena, n->name, &oom);
    l->names[l->n_names].kind = adup(l->arena, n->kind, &oom);
    l->n_names++;
    return oom ? load_nomem(c) : 0;
}

/*
 * The search view is stored in a file next to the database (PATH-index),
 * so that a process maps it read-only and searches it in place instead of
 * reading every name and building the index: opening costs the same for
 * a list of a million entries as for one of a thousand (the pages a query
 * touches are read when it touches them), and no SQLite value limit caps
 * its size. The view (VIEW_*) is, in host byte order: a header of
 * VIEW_HEADER 64-bit words (magic, entries, names, string bytes, index
 * bytes), the entries, the names, the strings (each NUL-terminated; NO_STR
 * for NULL), then the index (tts_nameidx_serialize). The file (SIDE_*) is
 * a header (magic, format, key length, view length, the view's SHA-256 in
 * hex), the key of the list versions it was built from (every source's
 * id, name, content hash, import time and counts), then the view.
 *
 * The database's list_index row, written in the transaction that changed
 * the lists, holds the same key and "SHA256 LENGTH" of the view. A file is
 * used only when its size, format, key and hash are those of the row and
 * the row's key is that of the lists as stored now; otherwise (missing,
 * truncated, of another version, of other lists) the view is built from
 * the rows and, when the database is writable, written again. Opening
 * does not hash the whole file (that would cost as much as reading it);
 * `audit verify` does, through tts_lists_check_index, and compares it
 * with a view built from the rows.
 */
#define VIEW_MAGIC 0x31574549565354ULL /* "TSVIEW1" */
#define VIEW_FORMAT (200 + TTS_NAMEIDX_FORMAT) /* 200: entries carry their type */
#define VIEW_HEADER 5
#define NO_STR UINT32_MAX
#define SIDE_MAGIC 0x3145444953535454ULL /* "TTSSIDE1" read as a little-endian word */
#define SIDE_FORMAT (10000 + VIEW_FORMAT) /* list_index.format of a view kept in its file */
#define SIDE_SUFFIX "-index"

typedef struct side_header {
    uint64_t magic, format, key_len, view_len;
    char sha256[64]; /* of the view, lower-case hex */
} side_header;

typedef struct view_ent {
    int64_t rowid;
    uint32_t src, entry_id, name, country, programs, type;
} view_ent;

typedef struct view_name {
    uint32_t name, kind;
} view_name;

/* Offset of s in the string area of *len bytes so far (then past it), or NO_STR for NULL. */
static uint32_t str_at(uint64_t *len, const char *s)
{
    uint32_t off = (uint32_t)*len;
    if (s == NULL)
        return NO_STR;
    *len += strlen(s) + 1;
    return off;
}

/* s with its NUL, when there is one, to sink. */
static tts_status put_str(tts_nameidx_sink sink, void *user, const char *s, tts_error *err)
{
    return s != NULL ? sink(user, s, strlen(s) + 1, err) : TTS_OK;
}

static tts_status count_sink(void *user, const void *p, size_t n, tts_error *err)
{
    (void)p;
    (void)err;
    *(uint64_t *)user += n;
    return TTS_OK;
}

/*
 * The loaded view to sink, in order: its length is known up front (the
 * strings and the index counted first), so it is written once, never held
 * in memory as a copy of the index.
 */
static tts_status view_write(const tts_lists *l, tts_nameidx_sink sink, void *user,
                             tts_error *err)
{
    static const char zero[8] = {0};
    uint64_t h[VIEW_HEADER], slen = 0, ilen = 0, at = 0;
    tts_status rc;
    if (l->ents == NULL && l->n_ents > 0) /* not reached: only a view built here is written */
        return tts_err_set(err, TTS_ERR_INTERNAL, "writing a search index read from its file");
    for (size_t i = 0; i < l->n_ents; i++) {
        str_at(&slen, l->ents[i].entry_id);
        str_at(&slen, l->ents[i].name);
        str_at(&slen, l->ents[i].country);
        str_at(&slen, l->ents[i].programs);
    }
    for (size_t i = 0; i < l->n_names; i++) {
        str_at(&slen, l->names[i].name);
        str_at(&slen, l->names[i].kind);
    }
    slen = (slen + 7) & ~(uint64_t)7; /* the index starts 8-byte aligned */
    if (slen >= UINT32_MAX)
        return tts_err_set(err, TTS_ERR_LIMIT, "list names too large to store as an index");
    TTS_TRY(tts_nameidx_write(l->idx, count_sink, &ilen, err));
    h[0] = VIEW_MAGIC;
    h[1] = l->n_ents;
    h[2] = l->n_names;
    h[3] = slen;
    h[4] = ilen;
    TTS_TRY(sink(user, h, sizeof(h), err));
    for (size_t i = 0; i < l->n_ents; i++) {
        view_ent v;
        memset(&v, 0, sizeof(v));
        v.rowid = l->ents[i].rowid;
        v.src = l->ents[i].src;
        v.entry_id = str_at(&at, l->ents[i].entry_id);
        v.name = str_at(&at, l->ents[i].name);
        v.country = str_at(&at, l->ents[i].country);
        v.programs = str_at(&at, l->ents[i].programs);
        v.type = l->ents[i].type;
        TTS_TRY(sink(user, &v, sizeof(v), err));
    }
    for (size_t i = 0; i < l->n_names; i++) {
        view_name v;
        v.name = str_at(&at, l->names[i].name);
        v.kind = str_at(&at, l->names[i].kind);
        TTS_TRY(sink(user, &v, sizeof(v), err));
    }
    for (size_t i = 0; i < l->n_ents; i++) {
        TTS_TRY(put_str(sink, user, l->ents[i].entry_id, err));
        TTS_TRY(put_str(sink, user, l->ents[i].name, err));
        TTS_TRY(put_str(sink, user, l->ents[i].country, err));
        TTS_TRY(put_str(sink, user, l->ents[i].programs, err));
    }
    for (size_t i = 0; i < l->n_names; i++) {
        TTS_TRY(put_str(sink, user, l->names[i].name, err));
        TTS_TRY(put_str(sink, user, l->names[i].kind, err));
    }
    if (slen > at)
        TTS_TRY(sink(user, zero, (size_t)(slen - at), err));
    TTS_TRY(tts_nameidx_write(l->idx, sink, user, err));
out:
    return rc;
}

/* The string at offset off of strs[0..n), NULL for NO_STR; *bad when out of range. */
static char *get_str(char *strs, uint64_t n, uint32_t off, int *bad)
{
    if (off == NO_STR)
        return NULL;
    if (off >= n) {
        *bad = 1;
        return NULL;
    }
    return strs + off; /* NUL-terminated within: the area ends with a NUL (view_restore) */
}

/*
 * Entry i of the view: the one built from the rows, or decoded in place from
 * the stored bytes. A number or offset the bytes should not hold sets *bad
 * (the stored index is damaged: the caller fails the search) and leaves
 * harmless placeholders.
 */
static ent ent_at(const tts_lists *l, size_t i, int *bad)
{
    view_ent v;
    ent e;
    int b = 0;
    if (i >= l->n_ents) { /* an index that names an entry the view does not hold */
        static char none[] = "";
        *bad = 1;
        memset(&e, 0, sizeof(e));
        e.entry_id = e.name = none;
        return e;
    }
    if (l->ents != NULL)
        return l->ents[i];
    memcpy(&v, l->vents + i * sizeof(v), sizeof(v));
    e.rowid = v.rowid;
    e.src = v.src;
    e.type = v.type;
    e.entry_id = get_str(l->vstrs, l->vstrs_len, v.entry_id, &b);
    e.name = get_str(l->vstrs, l->vstrs_len, v.name, &b);
    e.country = get_str(l->vstrs, l->vstrs_len, v.country, &b);
    e.programs = get_str(l->vstrs, l->vstrs_len, v.programs, &b);
    if (b || e.entry_id == NULL || e.name == NULL || e.src >= l->n_srcs ||
        e.type >= N_ENTRY_TYPES) {
        static char none[] = "";
        *bad = 1;
        e.src = 0;
        e.type = 0;
        e.entry_id = e.name = none;
        e.country = e.programs = NULL;
    }
    return e;
}

static int64_t ent_rowid(const tts_lists *l, size_t i)
{
    view_ent v;
    if (i >= l->n_ents)
        return -1;
    if (l->ents != NULL)
        return l->ents[i].rowid;
    memcpy(&v, l->vents + i * sizeof(v), sizeof(v));
    return v.rowid;
}

/* The error of a search that met a damaged entry of a stored index: never a partial answer. */
static tts_status damaged(const tts_lists *l, tts_error *err)
{
    return tts_err_set(err, TTS_ERR_DB,
                       "%s%s: the stored search index is damaged (an entry points outside it): "
                       "import the list again, or run 'ttscreen audit verify'",
                       l->path, SIDE_SUFFIX);
}

/* Name i of the view, as ent_at does it. */
static nm nm_at(const tts_lists *l, size_t i, int *bad)
{
    view_name v;
    nm m;
    int b = 0;
    if (i >= l->n_names) {
        static char none[] = "";
        *bad = 1;
        m.name = m.kind = none;
        return m;
    }
    if (l->names != NULL)
        return l->names[i];
    memcpy(&v, l->vnames + i * sizeof(v), sizeof(v));
    m.name = get_str(l->vstrs, l->vstrs_len, v.name, &b);
    m.kind = get_str(l->vstrs, l->vstrs_len, v.kind, &b);
    if (b || m.name == NULL || m.kind == NULL) {
        static char none[] = "";
        *bad = 1;
        m.name = m.kind = none;
    }
    return m;
}

/*
 * The entries and names of the view at p[0..n) with header h (checked),
 * pointing into its strings, which are never written.
 */
static tts_status view_entries(tts_lists *l, const uint64_t *h, unsigned char *p, size_t n,
                               tts_error *err)
{
    (void)err;
    /* in place: the sizes were checked by view_restore, each entry when it is read */
    l->vents = p + VIEW_HEADER * 8;
    l->vnames = l->vents + h[1] * sizeof(view_ent);
    l->vstrs = (char *)p + (n - h[4] - h[3]);
    l->vstrs_len = h[3];
    l->n_ents = h[1];
    l->n_names = h[2];
    return TTS_OK;
}

/*
 * The view from its stored bytes p[0..n), sources already loaded, used in
 * place. mapped: p is the read-only mapping of the index file (l->map,
 * kept by l); else p is from tts_malloc and on success the index owns it.
 * TTS_ERR_DB when they are damaged (the caller builds the view instead;
 * p is still the caller's unless l->idx is set), TTS_ERR_NOMEM.
 */
static tts_status view_restore(tts_lists *l, unsigned char *p, size_t n, int mapped,
                               tts_error *err)
{
    uint64_t h[VIEW_HEADER];
    tts_status rc;
    if (n < sizeof(h))
        return tts_err_set(err, TTS_ERR_DB, "stored search index is truncated");
    memcpy(h, p, sizeof(h));
    if (h[0] != VIEW_MAGIC || h[1] >= UINT32_MAX || h[2] >= UINT32_MAX ||
        h[1] > (n - sizeof(h)) / sizeof(view_ent) ||
        h[2] > (n - sizeof(h) - h[1] * sizeof(view_ent)) / sizeof(view_name) ||
        h[3] > n - sizeof(h) - h[1] * sizeof(view_ent) - h[2] * sizeof(view_name) ||
        h[4] != n - sizeof(h) - h[1] * sizeof(view_ent) - h[2] * sizeof(view_name) - h[3] ||
        (h[3] > 0 && p[n - h[4] - 1] != '\0'))
        return tts_err_set(err, TTS_ERR_DB, "stored search index is damaged");
    TTS_TRY(view_entries(l, h, p, n, err));
    if (mapped)
        rc = tts_nameidx_adopt_mapped(p + (n - (size_t)h[4]), (size_t)h[4], &l->idx, err);
    else
        rc = tts_nameidx_adopt(p, n - (size_t)h[4], (size_t)h[4], (uint32_t)h[1], &l->idx, err);
    if (rc != TTS_OK)
        return rc;
    if (tts_nameidx_count(l->idx) != h[2]) {
        /* p now belongs to the index: the caller must not free it */
        return tts_err_set(err, TTS_ERR_DB, "stored search index is damaged");
    }
out:
    return rc;
}

/* Empty view with its sources read (and their key into *key). */
static tts_status load_sources(tts_lists *l, tts_buf *key, tts_error *err)
{
    load_ctx c = {l, err, TTS_OK, key};
    tts_status rc;
    l->arena = tts_arena_new();
    if (l->arena == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory loading the lists");
    rc = tts_store_sources_each(l->store, load_src, &c, err);
    if (rc != TTS_OK)
        return own_status(rc, c.rc);
    if (key != NULL && tts_buf_failed(key))
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory loading the lists");
    return TTS_OK;
}

/* Entries and names from their rows, and the index built from them (sources loaded). */
static tts_status build_rest(tts_lists *l, tts_error *err)
{
    load_ctx c = {l, err, TTS_OK, NULL};
    tts_status rc;
    l->idx = tts_nameidx_new();
    if (l->idx == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory loading the lists");
    rc = tts_store_entries_each(l->store, load_ent, &c, err);
    if (rc == TTS_OK)
        rc = tts_store_names_each(l->store, load_name, &c, err);
    if (rc != TTS_OK)
        return own_status(rc, c.rc);
    return tts_nameidx_finish(l->idx, err);
}

/* ---- the index file --------------------------------------------------- */

/*
 * PATH-index for the database at PATH into *out (caller owns); NULL for an
 * in-memory database. TTS_ERR_NOMEM.
 */
static tts_status side_path(const tts_lists *l, char **out, tts_error *err)
{
    size_t n = strlen(l->path);
    *out = NULL;
    if (n == 0 || strcmp(l->path, ":memory:") == 0 || strncmp(l->path, "file:", 5) == 0)
        return TTS_OK;
    *out = tts_malloc(n + sizeof(SIDE_SUFFIX));
    if (*out == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory storing the search index");
    snprintf(*out, n + sizeof(SIDE_SUFFIX), "%s%s", l->path, SIDE_SUFFIX);
    return TTS_OK;
}

static size_t pad8(size_t n) { return (n + 7) & ~(size_t)7; }

/* Remove the index file of l, when there is one. */
static tts_status side_remove(const tts_lists *l, tts_error *err)
{
    char *p = NULL;
    tts_status rc = side_path(l, &p, err);
    if (p != NULL)
        unlink(p);
    tts_free(p);
    return rc;
}

/*
 * "SHA256 LENGTH" of the row into sha[65] and *len; 0 when the row's data
 * is not of that form.
 */
static int side_row_parse(const void *data, size_t n, char sha[65], uint64_t *len)
{
    char buf[96];
    unsigned long long v = 0;
    int used = 0;
    if (n < 66 || n >= sizeof(buf))
        return 0;
    memcpy(buf, data, n);
    buf[n] = '\0';
    if (sscanf(buf, "%64[0-9a-f] %llu%n", sha, &v, &used) != 2 || (size_t)used != n ||
        strlen(sha) != 64)
        return 0;
    *len = v;
    return 1;
}

/*
 * Map the index file the row (data[0..n)) describes, for lists of key
 * `key`: on success l->map holds it and *view, *view_len the view inside.
 * A file that is missing, of another size, format, key or hash is refused
 * with TTS_ERR_DB and why in err (the caller builds the view instead);
 * TTS_ERR_NOMEM.
 */
static tts_status side_map(tts_lists *l, const char *key, const void *data, size_t n,
                           unsigned char **view, size_t *view_len, tts_error *err)
{
    char sha[65], *path = NULL;
    uint64_t len = 0;
    side_header h;
    struct stat st;
    size_t klen = strlen(key), total = 0;
    void *m = MAP_FAILED;
    int fd = -1;
    tts_status rc = side_path(l, &path, err);
    if (rc != TTS_OK)
        return rc;
    rc = TTS_ERR_DB;
    if (path == NULL || !side_row_parse(data, n, sha, &len)) {
        tts_err_set(err, TTS_ERR_DB, "the database describes no search index file");
        goto out;
    }
    total = sizeof(h) + pad8(klen) + (size_t)len;
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        tts_err_set(err, TTS_ERR_DB, "%s: %s", path, strerror(errno));
        goto out;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_size != total) {
        tts_err_set(err, TTS_ERR_DB, "%s: not the size the database recorded (truncated?)",
                    path);
        goto out;
    }
    m = mmap(NULL, total, PROT_READ, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        tts_err_set(err, TTS_ERR_DB, "%s: cannot map: %s", path, strerror(errno));
        goto out;
    }
    memcpy(&h, m, sizeof(h));
    if (h.magic != SIDE_MAGIC || h.format != VIEW_FORMAT) {
        tts_err_set(err, TTS_ERR_DB, "%s: of another format", path);
        goto out;
    }
    if (h.key_len != klen || h.view_len != len ||
        memcmp((const char *)m + sizeof(h), key, klen) != 0 ||
        memcmp(h.sha256, sha, sizeof(h.sha256)) != 0) {
        tts_err_set(err, TTS_ERR_DB, "%s: built from other list versions than those stored",
                    path);
        goto out;
    }
    l->map = m;
    l->map_len = total;
    m = MAP_FAILED;
    *view = (unsigned char *)l->map + sizeof(h) + pad8(klen);
    *view_len = (size_t)len;
    rc = TTS_OK;
out:
    if (m != MAP_FAILED)
        munmap(m, total);
    if (fd >= 0)
        close(fd);
    tts_free(path);
    return rc;
}

/* The index file being written: the view through a buffer, hashed on the way. */
typedef struct side_out {
    tts_fileio_out f;
    tts_sha256 *h;
    char *buf;
    size_t n, cap;
    uint64_t len; /* bytes of the view so far */
} side_out;

static tts_status side_pass(side_out *o, const void *p, size_t n, tts_error *err)
{
    if (tts_sha256_update(o->h, p, n) != TTS_OK)
        return tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
    return tts_fileio_out_write(&o->f, p, n, err);
}

static tts_status side_flush(side_out *o, tts_error *err)
{
    tts_status rc = o->n > 0 ? side_pass(o, o->buf, o->n, err) : TTS_OK;
    o->n = 0;
    return rc;
}

static tts_status side_put(void *user, const void *p, size_t n, tts_error *err)
{
    side_out *o = user;
    tts_status rc = TTS_OK;
    o->len += n;
    if (n > o->cap - o->n)
        rc = side_flush(o, err);
    if (rc != TTS_OK || n == 0)
        return rc;
    if (n >= o->cap)
        return side_pass(o, p, n, err);
    memcpy(o->buf + o->n, p, n);
    o->n += n;
    return TTS_OK;
}

/*
 * Write the loaded view of key to the index file (a temporary file
 * renamed over it, so no reader ever sees half of one) and describe it in
 * the database's row (inside the caller's transaction). The view goes to
 * the file as it is written, so storing it costs no copy of the index.
 */
static tts_status side_write(tts_lists *l, const char *key, tts_error *err)
{
    static const char zero[8] = {0};
    side_out o;
    side_header h;
    char sha[65], row[96];
    size_t klen = strlen(key);
    char *path = NULL;
    int open = 0;
    tts_status rc = side_path(l, &path, err);
    if (rc != TTS_OK)
        return rc;
    if (path == NULL)
        return tts_err_set(err, TTS_ERR_LIMIT, "an in-memory database keeps no index file");
    memset(&o, 0, sizeof(o));
    memset(&h, 0, sizeof(h));
    o.cap = (size_t)1 << 20;
    o.buf = tts_malloc(o.cap);
    o.h = tts_sha256_new();
    if (o.buf == NULL || o.h == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory storing the search index"));
    TTS_TRY(tts_fileio_out_open(&o.f, path, 0644, err));
    open = 1;
    /* the header (its hash and length filled in at the end), the key, the view */
    TTS_TRY(tts_fileio_out_write(&o.f, &h, sizeof(h), err));
    TTS_TRY(tts_fileio_out_write(&o.f, key, klen, err));
    TTS_TRY(tts_fileio_out_write(&o.f, zero, pad8(klen) - klen, err));
    TTS_TRY(view_write(l, side_put, &o, err));
    TTS_TRY(side_flush(&o, err));
    rc = tts_sha256_final(o.h, sha);
    o.h = NULL;
    if (rc != TTS_OK)
        TTS_FAIL(tts_err_set(err, rc, "SHA-256 failed"));
    h.magic = SIDE_MAGIC;
    h.format = VIEW_FORMAT;
    h.key_len = klen;
    h.view_len = o.len;
    memcpy(h.sha256, sha, sizeof(h.sha256));
    snprintf(row, sizeof(row), "%s %llu", sha, (unsigned long long)h.view_len);
    TTS_TRY(tts_fileio_out_pwrite(&o.f, 0, &h, sizeof(h), err));
    open = 0;
    TTS_TRY(tts_fileio_out_commit(&o.f, 1, err));
    rc = tts_store_index_put(l->store, SIDE_FORMAT, key, row, strlen(row), err);
out:
    if (open)
        tts_fileio_out_abort(&o.f);
    tts_sha256_free(o.h);
    tts_free(o.buf);
    tts_free(path);
    return rc;
}

/*
 * Store the loaded view with key (inside the caller's transaction). A view
 * larger than the limit, or one whose file cannot be written (an
 * in-memory database, a directory not writable), is not: the row and the
 * file of earlier lists are removed and every process builds the index
 * from the rows.
 */
static tts_status view_store(tts_lists *l, const tts_buf *key, tts_error *err)
{
    tts_status rc;
    tts_error e2;
    tts_error_clear(&e2);
    if (tts_nameidx_memory(l->idx) > l->index_limit)
        rc = TTS_ERR_LIMIT;
    else
        rc = side_write(l, key->data != NULL ? key->data : "", &e2);
    if (rc == TTS_OK)
        return TTS_OK;
    if (rc == TTS_ERR_NOMEM || rc == TTS_ERR_DB) {
        tts_err_set(err, rc, "%s", e2.message);
        return rc;
    }
    TTS_TRY(side_remove(l, err));
    rc = tts_store_index_clear(l->store, err);
out:
    return rc;
}

/*
 * A view built here because the stored one was missing, old or damaged is
 * stored for the next process when the database can be written and the
 * lists are still those it was built from (checked again under the write
 * lock). Best effort: a failure only means the next process builds again.
 */
static void view_store_later(tts_lists *l, const tts_buf *key)
{
    tts_error e2;
    tts_buf now = TTS_BUF_INIT;
    tts_lists probe;
    tts_error_clear(&e2);
    if (tts_store_read_only(l->store) || tts_store_in_transaction(l->store) ||
        tts_store_begin(l->store, &e2) != TTS_OK)
        return;
    memset(&probe, 0, sizeof(probe));
    probe.store = l->store;
    if (load_sources(&probe, &now, &e2) == TTS_OK && now.len == key->len &&
        (key->len == 0 || memcmp(now.data, key->data, key->len) == 0) &&
        view_store(l, key, &e2) == TTS_OK && tts_store_commit(l->store, &e2) == TTS_OK) {
        /* stored */
    } else {
        tts_store_rollback(l->store);
    }
    unload(&probe);
    tts_buf_free(&now);
}

/*
 * The view from the index file the stored row describes, when that row is
 * of the lists of key: 1 when l now holds it; 0 when it must be built (l
 * is then empty again, its sources to be read anew); TTS_ERR_NOMEM as
 * *rc.
 */
static int view_from_file(tts_lists *l, const tts_buf *key, tts_status *rc, tts_error *err)
{
    int format = 0, found = 0;
    char *stored_key = NULL;
    void *data = NULL;
    size_t len = 0, view_len = 0;
    unsigned char *view = NULL;
    int used = 0;
    tts_error e2;
    tts_error_clear(&e2);
    tts_status r2 = TTS_ERR_DB;
    *rc = tts_store_index_get(l->store, &format, &stored_key, &data, &len, &found, err);
    if (*rc == TTS_OK && found && format == SIDE_FORMAT && key->data != NULL &&
        strcmp(stored_key, key->data) == 0)
        r2 = side_map(l, key->data, data, len, &view, &view_len, &e2);
    if (r2 == TTS_OK)
        r2 = view_restore(l, view, view_len, 1, &e2);
    if (r2 == TTS_OK)
        used = 1;
    else if (r2 == TTS_ERR_NOMEM)
        *rc = tts_err_set(err, r2, "%s", e2.message);
    tts_free(stored_key);
    tts_free(data);
    return used;
}

/*
 * The search view: the stored one when it matches the lists, else built
 * from the rows (and then stored when possible). store_it: inside an
 * import's transaction, always build and store.
 */
static tts_status load_view(tts_lists *l, int store_it, tts_error *err)
{
    tts_buf key = TTS_BUF_INIT;
    tts_status rc;
    int fresh = 0, own = 0;
    /* one snapshot for the sources, the stored row and the rows */
    if (!tts_store_in_transaction(l->store)) {
        rc = tts_store_begin_read(l->store, err);
        if (rc != TTS_OK)
            return rc;
        own = 1;
    }
    rc = load_sources(l, &key, err);
    if (rc == TTS_OK && !store_it) {
        fresh = view_from_file(l, &key, &rc, err);
        if (rc == TTS_OK && !fresh && (l->idx != NULL || l->map != NULL || l->ents != NULL)) {
            /* refused half way: start the view again from its sources */
            tts_buf_reset(&key);
            unload(l);
            rc = load_sources(l, &key, err);
        }
    }
    if (rc == TTS_OK && !fresh) {
        rc = build_rest(l, err);
        if (rc == TTS_OK && store_it)
            rc = view_store(l, &key, err);
        if (own)
            tts_store_end_read(l->store);
        own = 0;
        if (rc == TTS_OK && !store_it)
            view_store_later(l, &key);
    }
    if (own)
        tts_store_end_read(l->store);
    if (rc == TTS_OK)
        l->loaded = 1;
    else
        unload(l);
    tts_buf_free(&key);
    return rc;
}

/*
 * Build the search view from the database unless it is already there, and
 * refuse to search lists whose stored names another normaliser made.
 */
static tts_status load_unlocked(tts_lists *l, tts_error *err)
{
    if (!l->loaded) {
        tts_status rc = load_view(l, 0, err);
        if (rc != TTS_OK)
            return rc;
    }
    if (l->stale != NULL)
        return tts_err_set(err, TTS_ERR_VERIFY,
                           "list \"%s\" was imported by an earlier version of ttscreen whose "
                           "name matching differs: import it again (lists import or lists "
                           "update) before screening against it",
                           l->stale);
    return TTS_OK;
}

/* The view, loaded once however many threads ask at the same time. */
static tts_status load(tts_lists *l, tts_error *err)
{
    tts_status rc = TTS_OK;
    pthread_mutex_lock(&l->lock);
    /* the snapshot first, so that the view is loaded from it too */
    if (l->snapshot && !l->snapshot_held && !tts_store_in_transaction(l->store) &&
        (rc = tts_store_begin_read(l->store, err)) == TTS_OK)
        l->snapshot_held = 1;
    if (rc == TTS_OK)
        rc = load_unlocked(l, err);
    pthread_mutex_unlock(&l->lock);
    return rc;
}

/* ---- search ---------------------------------------------------------- */

typedef struct filter_ctx {
    const tts_lists *l;
    const uint8_t *allowed; /* by source index */
} filter_ctx;

static int filter_entry(void *u, uint32_t entry)
{
    const filter_ctx *f = u;
    int bad = 0;
    ent e = ent_at(f->l, entry, &bad);
    /* a damaged entry is let through, so that the search meets it and fails */
    return bad || f->allowed[e.src];
}

static int has_country(const char *set, const char *cc)
{
    size_t n = strlen(cc);
    const char *p = set;
    while (*p != '\0') {
        size_t k = strcspn(p, ";");
        if (k == n && strncmp(p, cc, n) == 0)
            return 1;
        p += k;
        if (*p == ';')
            p++;
    }
    return 0;
}

/* Does some code of the ';'-separated set q occur in the set e? */
static int sets_meet(const char *q, const char *e)
{
    char cc[8];
    while (*q != '\0') {
        size_t k = strcspn(q, ";");
        if (k > 0 && k < sizeof(cc)) {
            memcpy(cc, q, k);
            cc[k] = '\0';
            if (has_country(e, cc))
                return 1;
        }
        q += k;
        if (*q == ';')
            q++;
    }
    return 0;
}

/* The identifier index, built on the first use. */
static tts_status ensure_ids(tts_lists *l, tts_error *err)
{
    tts_status rc = TTS_OK;
    pthread_mutex_lock(&l->lock);
    if (l->ids == NULL)
        rc = tts_identidx_build(l->store, &l->ids, err);
    pthread_mutex_unlock(&l->lock);
    return rc;
}

/*
 * The name index searched with a scratch of this search's own: the index's
 * own one when free (a single thread always has it), else a spare, made on
 * the first search that finds the others busy and kept for the next.
 */
static tts_status index_search(tts_lists *l, const tts_nname *q, double threshold,
                               int exhaustive, filter_ctx *fc, tts_nameidx_hit **h, size_t *n,
                               tts_error *err)
{
    tts_nameidx_scratch *sc = NULL;
    int own = 0;
    tts_status rc;
    pthread_mutex_lock(&l->lock);
    if (!l->own_busy)
        l->own_busy = own = 1;
    else if (l->n_spare > 0)
        sc = l->spare[--l->n_spare];
    pthread_mutex_unlock(&l->lock);
    if (own)
        rc = tts_nameidx_search(l->idx, q, threshold, exhaustive, filter_entry, fc, h, n, err);
    else if (sc == NULL && (sc = tts_nameidx_scratch_new(l->idx)) == NULL)
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists");
    else
        rc = tts_nameidx_search_with(l->idx, sc, q, threshold, exhaustive, filter_entry, fc, h,
                                     n, err);
    pthread_mutex_lock(&l->lock);
    if (own) {
        l->own_busy = 0;
    } else if (sc != NULL) {
        if (!tts_grow(&l->spare, &l->cap_spare, l->n_spare + 1, sizeof(*l->spare))) {
            tts_nameidx_scratch_free(sc); /* kept no longer: the next search makes one */
            sc = NULL;
        }
        if (sc != NULL)
            l->spare[l->n_spare++] = sc;
    }
    pthread_mutex_unlock(&l->lock);
    return rc;
}

/* A hit with the secondary facts that moved its score. */
typedef struct scored {
    tts_nameidx_hit h; /* h.score: after the facts */
    double name;       /* the name's own score */
    double country;    /* what the country added or took */
    int kept;          /* an exact name the facts would have hidden, kept at the threshold */
    double ident;      /* what the party's identifiers added or took */
    int ident_same;    /* 1: the same identifier listed; -1: another of its scheme; 0: neither */
    const char *ident_scheme, *ident_listed; /* which scheme, and the entry's value (borrowed) */
} scored;

/*
 * The country qualifier (tts_lists_search): the query's countries (a
 * party's country, a person's nationalities, ';'-separated) against the
 * entry's. One of them among the entry's raises the score by COUNTRY_RAISE
 * (at most to 1); an entry with countries and none of the query's lowers it
 * by COUNTRY_PENALTY, but never under the threshold for an exact name: a
 * different country does not hide the name itself.
 */
static void qualify(scored *x, const char *qc, const char *ec, double threshold)
{
    x->name = x->h.score;
    x->country = 0.0;
    x->kept = 0;
    if (qc == NULL || qc[0] == '\0' || ec == NULL || ec[0] == '\0')
        return;
    if (sets_meet(qc, ec)) {
        x->h.score = x->name + COUNTRY_RAISE > 1.0 ? 1.0 : x->name + COUNTRY_RAISE;
    } else {
        x->h.score = x->name - COUNTRY_PENALTY;
        if (x->name >= EXACT_NAME && x->h.score < threshold) {
            x->h.score = threshold;
            x->kept = 1;
        }
    }
    x->country = x->h.score - x->name;
}

/*
 * The identifier qualifier, after the country's: the party's identifiers
 * against those the entry lists under the same scheme (tts_identidx_compare).
 * The same one is decisive: the score becomes 1. Another one of a scheme that
 * gives an entity one number lowers the score by TTS_IDENT_PENALTY, but an
 * exact name stays at the threshold: a different number does not hide the
 * name itself.
 */
static void qualify_ids(const tts_lists *l, scored *x, int64_t rowid, const tts_search_opts *o)
{
    double before = x->h.score;
    x->ident = 0.0;
    x->ident_same = 0;
    for (size_t i = 0; i < o->n_ids && x->ident_same != 1; i++) {
        const char *listed = NULL;
        int c = tts_identidx_compare(l->ids, rowid, o->id_schemes[i], o->id_values[i], &listed);
        if (c != 0 && (c == 1 || x->ident_same == 0)) {
            x->ident_same = c;
            x->ident_scheme = o->id_schemes[i];
            x->ident_listed = listed;
        }
    }
    if (x->ident_same == 1) {
        x->h.score = 1.0;
    } else if (x->ident_same == -1) {
        x->h.score = before - TTS_IDENT_PENALTY;
        if (x->name >= EXACT_NAME && x->h.score < o->threshold) {
            x->h.score = o->threshold;
            x->kept = 1;
        }
    }
    x->ident = x->h.score - before;
}

static int cmp_hit(const void *a, const void *b)
{
    const scored *x = a, *y = b;
    if (x->h.score != y->h.score)
        return x->h.score > y->h.score ? -1 : 1;
    return x->h.entry < y->h.entry ? -1 : x->h.entry > y->h.entry;
}

/* The facts' part of --explain: the country's and the identifiers' amounts, or nothing. */
static void explain_facts(const scored *x, const char *qc, const char *ec, tts_buf *b)
{
    int country = qc != NULL && qc[0] != '\0' && ec != NULL && ec[0] != '\0';
    if (!country && x->ident_same == 0)
        return;
    tts_buf_printf(b, "; name %.4f", x->name);
    if (country)
        tts_buf_printf(b, "; country %s %s the entry's (%s): %+.4f", qc,
                       x->country > 0.0 || sets_meet(qc, ec) ? "among" : "not among", ec,
                       x->country);
    if (x->ident_same != 0)
        tts_buf_printf(b, "; %s %s the entry's (%s): %+.4f", x->ident_scheme,
                       x->ident_same > 0 ? "the same as" : "not", x->ident_listed, x->ident);
    if (x->kept)
        tts_buf_puts(b, " (an exact name: kept at the threshold, not hidden)");
}

static char *sdup(const char *s, int *oom)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = tts_strdup(s);
    if (d == NULL)
        *oom = 1;
    return d;
}

void tts_search_result_free(tts_search_result *r)
{
    if (r == NULL)
        return;
    tts_matches_free(r->hits, r->n);
    tts_free(r);
}

/* Copy index hits into the public result, with the explanation when asked. */
static tts_status fill(tts_lists *l, const tts_nname *q, const tts_nname *qw, const scored *sc,
                       size_t n, const char *qc, int explain, tts_search_result *r,
                       tts_error *err)
{
    int oom = 0;
    r->hits = tts_calloc(n > 0 ? n : 1, sizeof(tts_match));
    if (r->hits == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists");
    for (size_t i = 0; i < n; i++) {
        int bad = 0;
        ent ev = ent_at(l, sc[i].h.entry, &bad);
        nm mv = nm_at(l, sc[i].h.name, &bad);
        const ent *e = &ev;
        tts_match *o = &r->hits[i];
        if (bad)
            return damaged(l, err);
        r->n++;
        o->source = sdup(l->srcs[e->src].name, &oom);
        o->entry_id = sdup(e->entry_id, &oom);
        o->name = sdup(e->name, &oom);
        o->matched = sdup(mv.name, &oom);
        o->name_kind = sdup(mv.kind, &oom);
        o->country = sdup(e->country, &oom);
        o->programs = sdup(e->programs, &oom);
        o->entry_type = sdup(entry_types[e->type], &oom);
        o->score = sc[i].h.score;
        o->name_score = sc[i].name;
        o->country_delta = sc[i].country;
        o->ident_delta = sc[i].ident;
        o->exact_kept = sc[i].kept;
        {
            tts_status rc;
            pthread_mutex_lock(&l->lock);
            rc = tts_store_entry_shown(l->store, e->rowid, &o->listed_on, &o->source_url, err);
            pthread_mutex_unlock(&l->lock);
            if (rc != TTS_OK)
                return rc;
        }
        if (explain) {
            tts_buf b = TTS_BUF_INIT;
            if (qw != NULL) {
                tts_nname m = {NULL, NULL, NULL};
                const char *mn = mv.name;
                tts_status rc = tts_names_normalize(mn, strlen(mn), TTS_NAME_AS_WRITTEN, &m, err);
                if (rc != TTS_OK)
                    return rc;
                tts_ofac_explain(qw->tokens, m.tokens, &b);
                tts_nname_clear(&m);
            } else {
                tts_nameidx_explain(l->idx, q, sc[i].h.name, &b);
            }
            explain_facts(&sc[i], qc, e->country, &b);
            if (tts_buf_failed(&b))
                oom = 1;
            o->why = tts_buf_steal(&b, NULL);
        }
    }
    return oom ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists") : TTS_OK;
}

tts_status tts_algorithm_parse(const char *name, int *out, tts_error *err)
{
    if (strcmp(name, "default") == 0)
        *out = TTS_ALGORITHM_DEFAULT;
    else if (strcmp(name, "ofac") == 0)
        *out = TTS_ALGORITHM_OFAC;
    else
        return tts_err_set(err, TTS_ERR_ARG,
                           "unknown algorithm \"%.40s\" (default or ofac)", name);
    return TTS_OK;
}

/*
 * The OFAC-compatible search: every name of an allowed entry scored by
 * ofacscore.c against q (both as written), the best name of each entry
 * scoring threshold or more into *out (caller frees). No index: OFAC's
 * tool compares with every list name, and so does this.
 */
static tts_status ofac_search(tts_lists *l, const tts_nname *q, double threshold,
                              const uint8_t *allowed, tts_nameidx_hit **out, size_t *n_out,
                              tts_error *err)
{
    tts_status rc = TTS_OK;
    size_t n_names = tts_nameidx_count(l->idx), n = 0;
    double *best = tts_malloc((l->n_ents > 0 ? l->n_ents : 1) * sizeof(double));
    uint32_t *which = tts_malloc((l->n_ents > 0 ? l->n_ents : 1) * sizeof(uint32_t));
    tts_nameidx_hit *h = NULL;
    *out = NULL;
    *n_out = 0;
    if (best == NULL || which == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists"));
    for (size_t e = 0; e < l->n_ents; e++)
        best[e] = -1.0;
    for (size_t i = 0; i < n_names; i++) {
        uint32_t e = tts_nameidx_entry(l->idx, (uint32_t)i);
        tts_nname m = {NULL, NULL, NULL};
        int bad = 0;
        const char *mn = nm_at(l, i, &bad).name;
        double sc;
        uint32_t esrc = ent_at(l, e, &bad).src;
        if (bad)
            TTS_FAIL(damaged(l, err));
        if (!allowed[esrc])
            continue;
        TTS_TRY(tts_names_normalize(mn, strlen(mn), TTS_NAME_AS_WRITTEN, &m, err));
        sc = tts_ofac_score(q->tokens, m.tokens, NULL);
        tts_nname_clear(&m);
        if (sc > best[e]) {
            best[e] = sc;
            which[e] = (uint32_t)i;
        }
    }
    for (size_t e = 0; e < l->n_ents; e++)
        n += best[e] >= threshold;
    h = tts_calloc(n > 0 ? n : 1, sizeof(*h));
    if (h == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists"));
    n = 0;
    for (size_t e = 0; e < l->n_ents; e++)
        if (best[e] >= threshold) {
            h[n].name = which[e];
            h[n].entry = (uint32_t)e;
            h[n].score = best[e];
            n++;
        }
    *out = h;
    *n_out = n;
out:
    tts_free(best);
    tts_free(which);
    return rc;
}

tts_status tts_lists_search(tts_lists *l, const char *name, const tts_search_opts *o,
                            tts_search_result **out, tts_error *err)
{
    tts_status rc;
    tts_nname q = {NULL, NULL, NULL}, qw = {NULL, NULL, NULL};
    tts_nameidx_hit *h = NULL;
    scored *sc = NULL;
    const char *qc = NULL; /* the query's countries, when they qualify the scores */
    int ofac, ids;
    size_t n = 0, w = 0;
    uint8_t *allowed = NULL;
    tts_search_result *r = NULL;
    filter_ctx fc;
    *out = NULL;
    if (o == NULL || o->size < sizeof(tts_search_opts))
        return tts_err_set(err, TTS_ERR_ARG, "tts_lists_search: options missing or too old");
    if (!(o->threshold >= 0.0 && o->threshold <= 1.0))
        return tts_err_set(err, TTS_ERR_ARG, "threshold must be between 0 and 1");
    if (o->algorithm != TTS_ALGORITHM_DEFAULT && o->algorithm != TTS_ALGORITHM_OFAC)
        return tts_err_set(err, TTS_ERR_ARG, "unknown search algorithm %d", o->algorithm);
    ofac = o->algorithm == TTS_ALGORITHM_OFAC;
    /* OFAC's tool does not score the country: the OFAC mode leaves it out */
    qc = !ofac && o->country != NULL && o->country[0] != '\0' ? o->country : NULL;
    /* nor the identifiers */
    ids = !ofac && o->size >= offsetof(tts_search_opts, n_ids) + sizeof(size_t) && o->n_ids > 0;
    if (ids && (o->id_schemes == NULL || o->id_values == NULL))
        return tts_err_set(err, TTS_ERR_ARG, "tts_lists_search: identifiers without their arrays");
    TTS_TRY(load(l, err));
    TTS_TRY(tts_names_normalize(name, strlen(name), 0, &q, err));
    if (ofac)
        TTS_TRY(tts_names_normalize(name, strlen(name), TTS_NAME_AS_WRITTEN, &qw, err));
    allowed = tts_calloc(l->n_srcs + 1, 1);
    r = tts_calloc(1, sizeof(*r));
    if (allowed == NULL || r == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists"));
    for (size_t s = 0; s < l->n_srcs; s++) {
        allowed[s] = o->n_sources == 0;
        for (size_t k = 0; k < o->n_sources; k++)
            if (strcmp(l->srcs[s].name, o->sources[k]) == 0)
                allowed[s] = 1;
    }
    fc.l = l;
    fc.allowed = allowed;
    if (ofac)
        TTS_TRY(ofac_search(l, &qw, o->threshold, allowed, &h, &n, err));
    else
        /* a candidate the country raises to the threshold is asked for too */
        TTS_TRY(index_search(l, &q,
                             qc != NULL && o->threshold > COUNTRY_RAISE
                                 ? o->threshold - COUNTRY_RAISE
                                 : qc != NULL ? 0.0 : o->threshold,
                             o->exhaustive, &fc, &h, &n, err));
    sc = tts_calloc(n > 0 ? n : 1, sizeof(*sc));
    if (sc == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory searching the lists"));
    if (ids && n > 0)
        TTS_TRY(ensure_ids(l, err));
    for (size_t i = 0; i < n; i++) {
        int bad = 0;
        ent ev = ent_at(l, h[i].entry, &bad);
        const ent *e = &ev;
        if (bad)
            TTS_FAIL(damaged(l, err));
        sc[w].h = h[i];
        qualify(&sc[w], qc, e->country, o->threshold);
        if (ids)
            qualify_ids(l, &sc[w], e->rowid, o);
        if (sc[w].h.score >= o->threshold)
            w++;
    }
    n = w;
    if (o->limit == 0 && n > TTS_LIST_MAX_CANDIDATES)
        TTS_FAIL(tts_err_set(err, TTS_ERR_LIMIT,
                             "%zu list entries score %.2f or more for \"%.80s\", more than the limit of "
                             "%d (TTS_LIST_MAX_CANDIDATES): raise the threshold or give a limit",
                             n, o->threshold, name, TTS_LIST_MAX_CANDIDATES));
    if (n > 1)
        qsort(sc, n, sizeof(*sc), cmp_hit);
    if (o->limit > 0 && n > o->limit)
        n = o->limit;
    TTS_TRY(fill(l, &q, ofac ? &qw : NULL, sc, n, qc, o->explain, r, err));
    *out = r;
    r = NULL;
out:
    tts_search_result_free(r);
    tts_free(h);
    tts_free(sc);
    tts_free(allowed);
    tts_nname_clear(&q);
    tts_nname_clear(&qw);
    return rc;
}

/* The loaded source named `name`, or NULL. */
static const src *src_named(const tts_lists *l, const char *name)
{
    if (name == NULL)
        return NULL;
    for (size_t i = 0; i < l->n_srcs; i++)
        if (strcmp(l->srcs[i].name, name) == 0)
            return &l->srcs[i];
    return NULL;
}

/*
 * Complete a match whose source and entry_id are set: the entry's content
 * hash (a reviewer's clearance holds only while it is unchanged), sub-list
 * and type from one read of its row, the source's kind and severity from
 * the loaded sources.
 */
/* The query's skip_entry_hash, 0 for a query of the size before it. */
static int skips_hash(const tts_lookup_query *q)
{
    return q->size >= offsetof(tts_lookup_query, skip_entry_hash) + sizeof(q->skip_entry_hash) &&
           q->skip_entry_hash;
}

/* The row's sublist, type and (unless skip_hash) content hash, the list's kind, the citation. */
static tts_status complete_match(tts_lists *l, tts_match *m, int skip_hash, tts_error *err)
{
    char sha[65], sub[TTS_SUBLIST_MAX], type[TTS_ENTRY_TYPE_MAX];
    const char *et;
    const src *sr = src_named(l, m->source);
    int found = 0, oom = 0;
    tts_status rc;
    pthread_mutex_lock(&l->lock);
    rc = tts_store_entry_sha256(l->store, m->source, m->entry_id, skip_hash ? NULL : sha, sub,
                                type, &found, err);
    pthread_mutex_unlock(&l->lock);
    if (rc != TTS_OK)
        return rc;
    if (found) {
        et = tts_listmeta_entry_type(type[0] != '\0' ? type : NULL);
        m->entry_sha256 = skip_hash ? NULL : sdup(sha, &oom);
        m->sublist = sub[0] != '\0' ? sdup(sub, &oom) : NULL;
        tts_free(m->entry_type); /* the row's own type, over the loaded view's */
        m->entry_type = sdup(et, &oom);
    }
    if (sr != NULL) {
        m->kind = sdup(sr->kind, &oom);
        m->severity = sdup(sr->severity, &oom);
    }
    if (oom)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory in a list lookup");
    /* the law the entry rests on, from data/list-citations.tsv */
    return tts_citations_for(m->source, m->sublist, m->programs, &m->citation, err);
}

tts_status tts_lists_lookup(void *user, const char *name, const char *country,
                            const char *const *sources, size_t n_sources, double threshold,
                            tts_match **hits, size_t *n_hits, tts_error *err)
{
    return tts_lists_lookup_algo(user, name, country, sources, n_sources, threshold,
                                 TTS_ALGORITHM_DEFAULT, hits, n_hits, err);
}

tts_status tts_lists_lookup_algo(void *user, const char *name, const char *country,
                                 const char *const *sources, size_t n_sources, double threshold,
                                 int algorithm, tts_match **hits, size_t *n_hits, tts_error *err)
{
    tts_lookup_query q;
    memset(&q, 0, sizeof(q));
    q.size = sizeof(q);
    q.name = name;
    q.country = country;
    q.sources = sources;
    q.n_sources = n_sources;
    q.threshold = threshold;
    q.algorithm = algorithm;
    return tts_lists_lookup_query(user, &q, hits, n_hits, err);
}

/*
 * Lookups answered under a held snapshot (TTS_LISTS_SNAPSHOT), by the whole
 * query: the lists cannot change under it, so a name asked again (the
 * screening organisation's own, in every record of a batch) is answered from
 * memory with the same hits. Bounded: a full table is emptied and refilled.
 */
#define QCACHE_SLOTS 4096 /* a power of 2; at most 3/4 of it used */

typedef struct qcache_ent {
    char *key; /* NULL: free */
    uint64_t hash;
    tts_match *hits;
    size_t n;
} qcache_ent;

struct qcache {
    qcache_ent e[QCACHE_SLOTS];
    size_t used;
};

static void qcache_clear(struct qcache *qc)
{
    for (size_t i = 0; i < QCACHE_SLOTS; i++) {
        tts_free(qc->e[i].key);
        tts_matches_free(qc->e[i].hits, qc->e[i].n);
    }
    memset(qc, 0, sizeof(*qc));
}

static void qcache_free(struct qcache *qc)
{
    if (qc == NULL)
        return;
    qcache_clear(qc);
    tts_free(qc);
}

/* The query as one key: every field that can change the answer, separated by control bytes. */
static int qcache_key(const tts_lookup_query *q, tts_buf *b)
{
    uint64_t bits;
    tts_buf_puts(b, q->name);
    tts_buf_putc(b, '\x1f');
    if (q->country != NULL)
        tts_buf_puts(b, q->country);
    tts_buf_putc(b, '\x1f');
    for (size_t i = 0; i < q->n_sources; i++) {
        tts_buf_puts(b, q->sources[i] != NULL ? q->sources[i] : "");
        tts_buf_putc(b, '\x1e');
    }
    /* the threshold by its bits (a key, not text to read: %.17g costs more than the rest) */
    memcpy(&bits, &q->threshold, sizeof(bits));
    tts_buf_putc(b, '\x1f');
    tts_buf_put_uint(b, bits);
    tts_buf_putc(b, '\x1f');
    tts_buf_put_int(b, q->algorithm);
    tts_buf_putc(b, skips_hash(q) ? '-' : '#'); /* hits with or without content hashes */
    tts_buf_putc(b, '\x1f');
    for (size_t i = 0; i < q->n_ids; i++) {
        tts_buf_puts(b, q->id_schemes[i] != NULL ? q->id_schemes[i] : "");
        tts_buf_putc(b, '\x1d');
        tts_buf_puts(b, q->id_values[i] != NULL ? q->id_values[i] : "");
        tts_buf_putc(b, '\x1e');
    }
    return tts_buf_failed(b) ? -1 : 0;
}

static uint64_t qcache_hash(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return h;
}

static qcache_ent *qcache_slot(struct qcache *qc, const char *key, uint64_t h)
{
    size_t i = (size_t)h & (QCACHE_SLOTS - 1);
    while (qc->e[i].key != NULL && (qc->e[i].hash != h || strcmp(qc->e[i].key, key) != 0))
        i = (i + 1) & (QCACHE_SLOTS - 1);
    return &qc->e[i];
}

/* Deep copies of n hits into *out (1 when out of memory). */
static int copy_hits(const tts_match *m, size_t n, tts_match **out)
{
    tts_match *c;
    *out = NULL;
    if (n == 0)
        return 0;
    if ((c = tts_calloc(n, sizeof(*c))) == NULL)
        return 1;
    for (size_t i = 0; i < n; i++)
        if (tts_match_copy(&c[i], &m[i]) != 0) {
            tts_matches_free(c, i);
            return 1;
        }
    *out = c;
    return 0;
}

/* Under l->lock: the cached answer copied into *hits (1), or 0 when not cached. */
static int qcache_get(tts_lists *l, const char *key, uint64_t h, tts_match **hits, size_t *n,
                      int *oom)
{
    qcache_ent *e;
    if (l->qc == NULL)
        return 0;
    e = qcache_slot(l->qc, key, h);
    if (e->key == NULL)
        return 0;
    *oom = copy_hits(e->hits, e->n, hits);
    *n = *oom ? 0 : e->n;
    return 1;
}

/* Under l->lock: keep a copy of the answer (nothing when out of memory: it is only a cache). */
static void qcache_put(tts_lists *l, const char *key, uint64_t h, const tts_match *hits, size_t n)
{
    qcache_ent *e;
    tts_match *c = NULL;
    char *k;
    if (l->qc == NULL && (l->qc = tts_calloc(1, sizeof(*l->qc))) == NULL)
        return;
    if (l->qc->used >= QCACHE_SLOTS / 4 * 3)
        qcache_clear(l->qc);
    e = qcache_slot(l->qc, key, h);
    if (e->key != NULL || (k = tts_strdup(key)) == NULL)
        return;
    if (copy_hits(hits, n, &c) != 0) {
        tts_free(k);
        return;
    }
    e->key = k;
    e->hash = h;
    e->hits = c;
    e->n = n;
    l->qc->used++;
}

static tts_status lookup_uncached(tts_lists *l, const tts_lookup_query *q, tts_match **hits,
                                  size_t *n_hits, tts_error *err);

tts_status tts_lists_lookup_query(void *user, const tts_lookup_query *q, tts_match **hits,
                                  size_t *n_hits, tts_error *err)
{
    tts_lists *l = user;
    tts_buf key = TTS_BUF_INIT;
    uint64_t h = 0;
    int cached = 0, oom = 0, snap;
    tts_status rc;
    *hits = NULL;
    *n_hits = 0;
    if (q == NULL || q->size < offsetof(tts_lookup_query, skip_entry_hash) || q->name == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "list lookup: query missing or too old");
    TTS_TRY(load(l, err));
    pthread_mutex_lock(&l->lock);
    snap = l->snapshot_held;
    pthread_mutex_unlock(&l->lock);
    if (snap && qcache_key(q, &key) == 0) {
        h = qcache_hash(key.data, key.len);
        pthread_mutex_lock(&l->lock);
        cached = qcache_get(l, key.data, h, hits, n_hits, &oom);
        pthread_mutex_unlock(&l->lock);
        if (oom)
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory in a list lookup"));
    }
    if (!cached) {
        TTS_TRY(lookup_uncached(l, q, hits, n_hits, err));
        if (key.data != NULL) {
            pthread_mutex_lock(&l->lock);
            qcache_put(l, key.data, h, *hits, *n_hits);
            pthread_mutex_unlock(&l->lock);
        }
    }
out:
    tts_buf_free(&key);
    return rc;
}

static tts_status lookup_uncached(tts_lists *l, const tts_lookup_query *q, tts_match **hits,
                                  size_t *n_hits, tts_error *err)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_status rc;
    *hits = NULL;
    *n_hits = 0;
    if (q == NULL || q->size < offsetof(tts_lookup_query, skip_entry_hash) || q->name == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "list lookup: query missing or too old");
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.country = q->country;
    o.sources = q->sources;
    o.n_sources = q->n_sources;
    o.threshold = q->threshold;
    o.algorithm = q->algorithm;
    o.id_schemes = q->id_schemes;
    o.id_values = q->id_values;
    o.n_ids = q->n_ids;
    rc = tts_lists_search(l, q->name, &o, &r, err);
    if (rc != TTS_OK)
        return rc;
    if (r == NULL) /* not reached: a search that succeeds gives a result */
        return tts_err_set(err, TTS_ERR_INTERNAL, "list search gave no result");
    /* the search's hits are the lookup's: completed in place and handed over, never copied */
    for (size_t i = 0; i < r->n; i++) {
        rc = complete_match(l, &r->hits[i], skips_hash(q), err);
        if (rc != TTS_OK) {
            tts_search_result_free(r);
            return rc;
        }
    }
    if (r->n > 0) {
        *hits = r->hits;
        *n_hits = r->n;
        r->hits = NULL;
        r->n = 0;
    }
    tts_search_result_free(r);
    return TTS_OK;
}

/* Fill m from identifier i of the index: the entry as the loaded view has it. 0, 1 when
   out of memory, -2 when the stored view is damaged. */
static int ident_match(tts_lists *l, size_t i, tts_match *m)
{
    int64_t rowid;
    const char *source, *entry_id, *matched;
    size_t e;
    int oom = 0;
    tts_identidx_get(l->ids, i, &rowid, &source, &entry_id, &matched);
    e = find_ent(l, rowid);
    if (e != SIZE_MAX) {
        int bad = 0;
        ent ev = ent_at(l, e, &bad);
        if (bad)
            return -2;
        m->source = sdup(l->srcs[ev.src].name, &oom);
        m->entry_id = sdup(ev.entry_id, &oom);
        m->name = sdup(ev.name, &oom);
        m->programs = ev.programs != NULL ? sdup(ev.programs, &oom) : NULL;
    } else {
        m->source = sdup(source, &oom);
        m->entry_id = sdup(entry_id, &oom);
        m->name = sdup(entry_id, &oom);
        m->programs = NULL;
    }
    m->matched = sdup(matched, &oom);
    m->score = 1.0;
    return oom;
}

tts_status tts_lists_lookup_ident(void *user, const char *scheme, const char *value,
                                  tts_match **hits, size_t *n_hits, tts_error *err)
{
    tts_lists *l = user;
    tts_match *m = NULL;
    size_t first = 0, n, k = 0;
    tts_status rc = TTS_OK;
    (void)scheme;
    *hits = NULL;
    *n_hits = 0;
    if (value == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "identifier lookup without a value");
    TTS_TRY(load(l, err));
    TTS_TRY(ensure_ids(l, err));
    n = tts_identidx_find(l->ids, value, &first);
    if (n == 0)
        return TTS_OK;
    m = tts_calloc(n, sizeof(tts_match));
    if (m == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory in an identifier lookup"));
    for (size_t i = first; i < first + n; i++) {
        int64_t rowid, prev;
        const char *s_, *e_, *m_;
        tts_identidx_get(l->ids, i, &rowid, &s_, &e_, &m_);
        if (i > first) {
            /* one hit per entry: its identifiers sort together by entry */
            tts_identidx_get(l->ids, i - 1, &prev, &s_, &e_, &m_);
            if (prev == rowid)
                continue;
        }
        {
            int r = ident_match(l, i, &m[k++]);
            if (r == -2)
                TTS_FAIL(damaged(l, err));
            if (r != 0)
                TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory in an identifier lookup"));
        }
        TTS_TRY(complete_match(l, &m[k - 1], 0, err));
    }
    *hits = m;
    *n_hits = k;
    m = NULL;
out:
    if (m != NULL)
        tts_matches_free(m, k);
    return rc;
}

/* ---- summaries ------------------------------------------------------- */

typedef struct status_ctx {
    tts_lists *l;
    tts_list_status *v;
    size_t n, cap;
    tts_error *err;
    tts_status rc;
} status_ctx;

static int status_row(void *u, const tts_store_source *s)
{
    status_ctx *c = u;
    tts_list_status *st;
    int oom = 0;
    if (!tts_grow(&c->v, &c->cap, c->n + 1, sizeof(tts_list_status))) {
        c->rc = tts_err_set(c->err, TTS_ERR_NOMEM, "out of memory reading the list status");
        return 1;
    }
    st = &c->v[c->n++];
    memset(st, 0, sizeof(*st));
    st->source = sdup(s->name, &oom);
    st->format = sdup(s->format, &oom);
    st->file = sdup(s->file, &oom);
    st->imported_at = sdup(s->imported_at, &oom);
    st->sha256 = sdup(s->sha256, &oom);
    st->entries = s->entries;
    st->aliases = s->aliases;
    st->names_current = s->names_version == TTS_NAMES_VERSION;
    {
        /* rows of earlier imports read as the defaults of their name and format */
        const char *kind, *jur, *sev;
        tts_listmeta_resolve(s->name, s->format, NULL, NULL, NULL, s->kind, s->jurisdiction,
                             s->severity, &kind, &jur, &sev);
        st->kind = sdup(kind, &oom);
        st->jurisdiction = sdup(jur, &oom);
        st->severity = sdup(sev, &oom);
        if (s->dated != NULL && s->dated_by != NULL) {
            st->dated = sdup(s->dated, &oom);
            st->dated_by = sdup(s->dated_by, &oom);
        } else if (s->imported_at != NULL) {
            st->dated = sdup(s->imported_at, &oom);
            st->dated_by = sdup("imported", &oom);
        }
    }
    if (oom)
        c->rc = tts_err_set(c->err, TTS_ERR_NOMEM, "out of memory reading the list status");
    return oom;
}

/* Fetch metadata and the feed URL of each row (outside the source iteration). */
static tts_status status_fetch(tts_lists *l, tts_list_status *st, tts_error *err)
{
    tts_store_fetch f;
    int found = 0;
    char *url = NULL, *fmt = NULL;
    tts_status rc = tts_store_fetch_get(l->store, st->source, &f, &found, err);
    if (rc != TTS_OK)
        return rc;
    if (found) {
        st->fetched_at = f.fetched_at;
        st->checked_at = f.checked_at;
        st->etag = f.etag;
        st->last_modified = f.last_modified;
        f.fetched_at = f.checked_at = f.etag = f.last_modified = NULL;
        tts_store_fetch_clear(&f);
    }
    {
        char content[65], transport[8];
        int oom = 0;
        rc = tts_store_list_content_get(l->store, st->source, content, transport, err);
        if (rc != TTS_OK)
            return rc;
        st->content_sha256 = content[0] != '\0' ? sdup(content, &oom) : NULL;
        if (tts_store_has_listver(l->store)) {
            rc = tts_listver_latest(l->store, st->source, &st->version, content, err);
            if (rc != TTS_OK)
                return rc;
        }
        st->transport = transport[0] != '\0' ? sdup(transport, &oom) : NULL;
        if (oom)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    rc = tts_store_config_get(l->store, st->source, &url, &fmt, &found, err);
    if (rc != TTS_OK)
        return rc;
    tts_free(fmt);
    if (url == NULL) {
        const char *du = NULL, *df = NULL;
        if (tts_lists_default_url(st->source, &du, &df) == TTS_OK &&
            (url = tts_strdup(du)) == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    st->url = url;
    return TTS_OK;
}

void tts_list_status_free(tts_list_status *st, size_t n)
{
    if (st == NULL)
        return;
    for (size_t i = 0; i < n; i++) {
        tts_free(st[i].source);
        tts_free(st[i].format);
        tts_free(st[i].file);
        tts_free(st[i].imported_at);
        tts_free(st[i].sha256);
        tts_free(st[i].url);
        tts_free(st[i].fetched_at);
        tts_free(st[i].checked_at);
        tts_free(st[i].etag);
        tts_free(st[i].last_modified);
        tts_free(st[i].kind);
        tts_free(st[i].jurisdiction);
        tts_free(st[i].severity);
        tts_free(st[i].dated);
        tts_free(st[i].dated_by);
        tts_free(st[i].content_sha256);
        tts_free(st[i].transport);
    }
    tts_free(st);
}

tts_status tts_lists_status(tts_lists *l, tts_list_status **out, size_t *n, tts_error *err)
{
    status_ctx c = {l, NULL, 0, 0, err, TTS_OK};
    tts_status rc;
    *out = NULL;
    *n = 0;
    rc = tts_store_sources_each(l->store, status_row, &c, err);
    rc = own_status(rc, c.rc);
    for (size_t i = 0; rc == TTS_OK && i < c.n; i++)
        rc = status_fetch(l, &c.v[i], err);
    if (rc != TTS_OK) {
        tts_list_status_free(c.v, c.n);
        return rc;
    }
    *out = c.v;
    *n = c.n;
    return TTS_OK;
}

/*
 * Reports want const strings, so the whole array and its strings are one
 * allocation: the tts_list_info records first, then the text.
 */
tts_status tts_lists_info(tts_lists *l, tts_list_info **out, size_t *n, tts_error *err)
{
    tts_list_status *st = NULL;
    size_t ns = 0, bytes;
    tts_status rc;
    tts_list_info *info;
    char *p;
    *out = NULL;
    *n = 0;
    rc = tts_lists_status(l, &st, &ns, err);
    if (rc != TTS_OK)
        return rc;
    bytes = (ns > 0 ? ns : 1) * sizeof(tts_list_info);
#define LEN(s) ((s) != NULL ? strlen(s) + 1 : 0)
    for (size_t i = 0; i < ns; i++)
        bytes += LEN(st[i].source) + LEN(st[i].imported_at) + LEN(st[i].fetched_at) +
                 LEN(st[i].sha256) + LEN(st[i].content_sha256) + LEN(st[i].kind) + LEN(st[i].jurisdiction) +
                 LEN(st[i].severity) + LEN(st[i].dated) + LEN(st[i].dated_by) +
                 LEN(st[i].transport);
#undef LEN
    info = tts_calloc(1, bytes); /* fields not filled below read as NULL */
    if (info == NULL) {
        tts_list_status_free(st, ns);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory listing the lists");
    }
    p = (char *)(info + (ns > 0 ? ns : 1));
#define PUT(field, s)                                                                      \
    do {                                                                                   \
        if ((s) == NULL) {                                                                 \
            info[i].field = NULL;                                                          \
        } else {                                                                           \
            size_t len_ = strlen(s) + 1;                                                   \
            memcpy(p, (s), len_);                                                          \
            info[i].field = p;                                                             \
            p += len_;                                                                     \
        }                                                                                  \
    } while (0)
    for (size_t i = 0; i < ns; i++) {
        PUT(source, st[i].source);
        PUT(imported_at, st[i].imported_at);
        PUT(fetched_at, st[i].fetched_at);
        /* a list is named by the hash `audit verify` recomputes from its rows */
        PUT(sha256, st[i].content_sha256 != NULL ? st[i].content_sha256 : st[i].sha256);
        PUT(kind, st[i].kind);
        PUT(jurisdiction, st[i].jurisdiction);
        PUT(severity, st[i].severity);
        PUT(transport, st[i].transport);
        PUT(dated, st[i].dated);
        PUT(dated_by, st[i].dated_by);
        info[i].entries = st[i].entries;
        info[i].version = st[i].version;
        info[i].names_current = st[i].names_current;
    }
#undef PUT
    tts_list_status_free(st, ns);
    *out = info;
    *n = ns;
    return TTS_OK;
}

void tts_list_info_free(tts_list_info *info, size_t n)
{
    (void)n;
    tts_free(info);
}

/* A view as it would be written, compared with one stored (p[0..n)) as it goes. */
typedef struct side_cmp {
    const unsigned char *p;
    size_t n, at;
    int differ;
} side_cmp;

static tts_status cmp_sink(void *user, const void *p, size_t n, tts_error *err)
{
    side_cmp *c = user;
    (void)err;
    if (c->differ || n > c->n - c->at || (n > 0 && memcmp(c->p + c->at, p, n) != 0))
        c->differ = 1;
    else
        c->at += n;
    return TTS_OK;
}

/*
 * The index file of l's lists: a note into problem when it is not used
 * (none stored, missing, truncated, foreign); with full, also its whole
 * hash and a comparison with a view built from the rows (*ok = 0 when
 * either differs).
 */
static tts_status check_index(tts_lists *l, int full, int *ok, char *problem, size_t cap,
                              tts_error *err)
{
    tts_lists probe, mapped;
    tts_buf key = TTS_BUF_INIT;
    side_cmp now = {NULL, 0, 0, 0};
    int format = 0, found = 0;
    char *stored_key = NULL, sha[65];
    void *data = NULL;
    unsigned char *view = NULL;
    size_t len = 0, view_len = 0;
    tts_status rc;
    tts_error e2;
    int own_read = 0;
    *ok = 1;
    if (cap > 0)
        problem[0] = '\0';
    memset(&probe, 0, sizeof(probe));
    memset(&mapped, 0, sizeof(mapped));
    probe.store = mapped.store = l->store;
    probe.path = mapped.path = l->path;
    probe.index_limit = l->index_limit;
    tts_error_clear(&e2);
    if (!tts_store_in_transaction(l->store)) { /* (a held snapshot serves) */
        TTS_TRY(tts_store_begin_read(l->store, err));
        own_read = 1;
    }
    rc = tts_store_index_get(l->store, &format, &stored_key, &data, &len, &found, err);
    if (rc == TTS_OK)
        rc = load_sources(&probe, &key, err);
    if (rc == TTS_OK && key.len == 0) {
        /* no lists: nothing to index */
    } else if (rc == TTS_OK && (!found || format != SIDE_FORMAT || key.data == NULL ||
                                strcmp(stored_key, key.data) != 0)) {
        /* an index of other list versions or another format is never used: harmless */
        snprintf(problem, cap, "none stored for these lists: each search builds it from the "
                               "rows until the next import");
    } else if (rc == TTS_OK &&
               (rc = side_map(&mapped, key.data, data, len, &view, &view_len, &e2)) != TTS_OK) {
        if (rc == TTS_ERR_NOMEM)
            tts_err_set(err, rc, "%s", e2.message);
        else
            snprintf(problem, cap, "not used (%s): each search builds it from the rows until "
                                   "the next import",
                     e2.message);
        rc = rc == TTS_ERR_NOMEM ? rc : TTS_OK;
    } else if (rc == TTS_OK && full) {
        rc = tts_sha256_hex(view, view_len, sha, err);
        if (rc == TTS_OK && memcmp(sha, ((const side_header *)mapped.map)->sha256, 64) != 0) {
            *ok = 0;
            snprintf(problem, cap, "the search index file %s%s does not match its hash "
                                   "(changed after it was written)",
                     l->path, SIDE_SUFFIX);
        }
        if (rc == TTS_OK && *ok)
            rc = build_rest(&probe, err);
        now.p = view;
        now.n = view_len;
        if (rc == TTS_OK && *ok)
            rc = view_write(&probe, cmp_sink, &now, err);
        if (rc == TTS_OK && *ok && (now.differ || now.at != view_len)) {
            *ok = 0;
            snprintf(problem, cap, "the stored search index does not match the list rows "
                                   "(edited after it was built)");
        }
    }
    if (own_read)
        tts_store_end_read(l->store);
out:
    mapped.path = probe.path = NULL;
    unload(&probe);
    unload(&mapped);
    tts_buf_free(&key);
    tts_free(stored_key);
    tts_free(data);
    return rc;
}

tts_status tts_lists_check_index(tts_lists *l, int *ok, char *problem, size_t cap,
                                 tts_error *err)
{
    return check_index(l, 1, ok, problem, cap, err);
}

tts_status tts_lists_index_note(tts_lists *l, char *note, size_t cap, tts_error *err)
{
    int ok = 1;
    return check_index(l, 0, &ok, note, cap, err);
}
