/* SPDX-License-Identifier: MIT */
/*
 * Which stored cases a change can affect (see caseidx.h). One pass over
 * the latest screening of every case sorts the cases into groups by the
 * list versions they were last checked against; each group's net change to
 * the current versions comes from the stored list changes (listver.c).
 * Cases of groups with changes have their names normalised into one
 * tts_nameidx (the list index's matcher, with case numbers as entries);
 * the names of every added or changed entry are then searched in it, the
 * identifiers of those cases looked up in the lists, and the entries the
 * cases hold compared with the removed and changed ones.
 */
#include "cases/caseidx.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cases/cases_int.h"
#include "util/error.h"
#include "lists/listver.h"
#include "util/mem.h"
#include "record/model.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "record/record_json.h"
#include "store/store_listver.h"
#include "ttscreen/lists.h"

/* ---- reading the stored lists JSON ---- */

/* A member of the current element, copied into the arena; NULL when absent. */
static tts_status member(tts_jlist *r, const char *key, tts_arena *a, const char **out,
                         tts_error *err)
{
    const char *v = NULL;
    tts_status rc = tts_jlist_string(r, key, &v, err);
    *out = NULL;
    if (rc == TTS_OK && v != NULL && (*out = tts_arena_strdup(a, v)) == NULL)
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    return rc;
}

long tts_caseidx_parse_lists(const char *json, tts_arena *a, tts_caseidx_pair **pairs)
{
    long n = 0, cap = 0;
    tts_caseidx_pair *v = NULL;
    tts_jlist *r = NULL;
    tts_error err;
    int more = 0, done = 0;
    *pairs = NULL;
    tts_error_clear(&err);
    if (json == NULL || tts_jlist_open(json, strlen(json), "lists", NULL, &r, &err) != TTS_OK)
        return -1;
    while (tts_jlist_next(r, &more, &err) == TTS_OK && (more || !(done = 1))) {
        const char *src = NULL, *sha = NULL, *ver = NULL;
        char *end = NULL;
        if (member(r, "source", a, &src, &err) != TTS_OK ||
            member(r, "sha256", a, &sha, &err) != TTS_OK ||
            member(r, "version", a, &ver, &err) != TTS_OK || src == NULL || sha == NULL)
            break;
        if (n == cap) {
            long nc = cap ? cap * 2 : 8;
            tts_caseidx_pair *np = tts_arena_alloc(a, (size_t)nc * sizeof(*np));
            if (np == NULL)
                break;
            if (n > 0)
                memcpy(np, v, (size_t)n * sizeof(*np));
            v = np;
            cap = nc;
        }
        v[n].source = src;
        v[n].sha256 = sha;
        v[n].version = ver != NULL ? strtol(ver, &end, 10) : 0;
        if (ver != NULL && (end == ver || *end != '\0' || v[n].version < 0))
            break;
        n++;
    }
    tts_jlist_free(r);
    if (!done) /* stopped early: bad JSON, a bad element or no memory */
        return -1;
    *pairs = v;
    return n;
}

/* ---- groups of cases by the list versions they were checked against ---- */

typedef struct group {
    const char *lists; /* the stored lists JSON, in the arena */
    int unknown;       /* the change cannot be followed: every case of the group is affected */
    int changed;       /* something changed: its cases' names are indexed */
    char **query;      /* "source\x1fentry_id" of added and changed entries, sorted */
    size_t n_query, cap_query;
    char **held; /* "source:entry_id" of removed and changed entries, sorted */
    size_t n_held, cap_held;
} group;

typedef struct kase {
    const char *id; /* arena */
    uint32_t group;
    int affected;
} kase;

typedef struct ident {
    uint32_t kase;
    const char *scheme, *value; /* arena */
} ident;

typedef struct run_mark {
    int found;
    int64_t last_screening;
    char *lists, *rules, *as_of, *today, *at;
} run_mark;

typedef struct ctx {
    tts_cases *c;
    tts_store *db;
    const tts_rescreen_opts *o;
    const char *lists_now;
    long *versions; /* newest version of each o->lists */
    run_mark mark;
    tts_arena *arena;
    group *groups;
    size_t n_groups, cap_groups;
    kase *cases;
    size_t n_cases, cap_cases;
    ident *idents;
    size_t n_idents, cap_idents;
    tts_nameidx *idx;
    tts_error *err;
    tts_status rc;
} ctx;

static int nomem(ctx *x)
{
    x->rc = tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory finding the cases to rescreen");
    return 1;
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has(char **v, size_t n, const char *key)
{
    return n > 0 && bsearch(&key, v, n, sizeof(*v), str_cmp) != NULL;
}

static int add_key(ctx *x, char ***v, size_t *n, size_t *cap, const char *a, char sep,
                   const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *k = tts_arena_alloc(x->arena, la + lb + 2);
    if (k == NULL || !tts_grow(v, cap, *n + 1, sizeof(char *)))
        return nomem(x);
    memcpy(k, a, la);
    k[la] = sep;
    memcpy(k + la + 1, b, lb + 1);
    (*v)[(*n)++] = k;
    return 0;
}

/*
 * The net change of one group from its lists to the current ones; marks it
 * unknown when a version cannot be followed (a list screened without
 * versions kept, a list gone, a screening without lists, or now none).
 */
static tts_status group_changes(ctx *x, group *g)
{
    const tts_rescreen_opts *o = x->o;
    tts_caseidx_pair *base = NULL;
    long n = tts_caseidx_parse_lists(g->lists, x->arena, &base);
    tts_status rc = TTS_OK;
    if (n < 0 || o->no_lists || n == 0) {
        g->unknown = !(o->no_lists && n == 0); /* no lists then and now: no list change */
        return TTS_OK;
    }
    for (long k = 0; k < n; k++) {
        size_t i = 0;
        while (i < o->n_lists && strcmp(o->lists[i].source, base[k].source) != 0)
            i++;
        if (i == o->n_lists)
            g->unknown = 1; /* a list consulted then is gone */
    }
    for (size_t i = 0; i < o->n_lists && !g->unknown; i++) {
        const char *sha = NULL;
        long from = 0, to = x->versions[i];
        tts_listver_net net;
        for (long k = 0; k < n; k++)
            if (strcmp(base[k].source, o->lists[i].source) == 0) {
                sha = base[k].sha256;
                from = base[k].version;
            }
        if (sha != NULL && strcmp(sha, o->lists[i].sha256 ? o->lists[i].sha256 : "") == 0)
            continue; /* the very same content */
        /* screenings that did not store the version name it by the imported file's hash */
        if (sha != NULL && from == 0)
            TTS_TRY(tts_listver_by_sha(x->db, o->lists[i].source, sha, &from, x->err));
        /* the lists screened with now must be the newest stored version of each */
        if ((sha != NULL && from == 0) || to == 0 || from > to || o->lists[i].version != to) {
            g->unknown = 1;
            break;
        }
        TTS_TRY(tts_listver_changes(x->db, o->lists[i].source, from, to, &net, x->err));
        for (size_t k = 0; k < net.n && x->rc == TTS_OK; k++) {
            const tts_list_change *ch = &net.items[k];
            g->changed = 1;
            if (ch->change[0] != 'r')
                add_key(x, &g->query, &g->n_query, &g->cap_query, o->lists[i].source, '\x1f',
                        ch->entry_id);
            if (ch->change[0] != 'a')
                add_key(x, &g->held, &g->n_held, &g->cap_held, o->lists[i].source, ':',
                        ch->entry_id);
        }
        tts_listver_net_free(&net);
        TTS_TRY(x->rc);
    }
    if (g->n_query > 1)
        qsort(g->query, g->n_query, sizeof(char *), str_cmp);
    if (g->n_held > 1)
        qsort(g->held, g->n_held, sizeof(char *), str_cmp);
out:
    return rc;
}

/* The group of cases last checked against `lists` (found or added). */
static tts_status group_of(ctx *x, const char *lists, uint32_t *gi)
{
    group *g;
    for (size_t i = 0; i < x->n_groups; i++)
        if (strcmp(x->groups[i].lists, lists) == 0) {
            *gi = (uint32_t)i;
            return TTS_OK;
        }
    if (!tts_grow(&x->groups, &x->cap_groups, x->n_groups + 1, sizeof(group)))
        return tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory");
    g = &x->groups[x->n_groups];
    memset(g, 0, sizeof(*g));
    g->lists = tts_arena_strdup(x->arena, lists);
    if (g->lists == NULL)
        return tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory");
    *gi = (uint32_t)x->n_groups++;
    if (strcmp(lists, x->lists_now) == 0)
        return TTS_OK; /* checked against the current lists */
    return group_changes(x, g);
}

/* Add one name of case k to the index; a name that cannot be normalised affects the case. */
static int add_name(ctx *x, uint32_t k, const char *name)
{
    tts_nname nn = {NULL, NULL, NULL};
    tts_error e2;
    tts_status rc;
    if (name == NULL || name[0] == '\0')
        return 0;
    tts_error_clear(&e2);
    rc = tts_names_normalize(name, strlen(name), 0, &nn, &e2);
    if (rc == TTS_ERR_NOMEM)
        return nomem(x);
    if (rc != TTS_OK) {
        x->cases[k].affected = 1;
        return 0;
    }
    x->rc = tts_nameidx_add(x->idx, k, nn.tokens, nn.legal, nn.glued, x->err);
    tts_nname_clear(&nn);
    return x->rc != TTS_OK;
}

static int add_ident(ctx *x, uint32_t k, const char *scheme, const char *value)
{
    ident *d;
    if (value == NULL)
        return 0;
    if (!tts_grow(&x->idents, &x->cap_idents, x->n_idents + 1, sizeof(ident)))
        return nomem(x);
    d = &x->idents[x->n_idents];
    d->kase = k;
    d->scheme = tts_arena_strdup(x->arena, scheme != NULL ? scheme : "");
    d->value = tts_arena_strdup(x->arena, value);
    if (d->scheme == NULL || d->value == NULL)
        return nomem(x);
    x->n_idents++;
    return 0;
}

/* Every name and identifier a screening asks the lists about (ops.c listed_names). */
static int index_record(ctx *x, uint32_t k, const tts_record *r)
{
    int bad = 0;
    for (size_t i = 0; i < r->n_parties && !bad; i++) {
        const tts_party *p = &r->parties[i];
        bad |= add_name(x, k, p->name);
        for (size_t a = 0; a < p->n_aliases && !bad; a++)
            bad |= add_name(x, k, p->aliases[a]);
        for (size_t a = 0; a < p->n_identifiers && !bad; a++)
            bad |= add_ident(x, k, p->identifiers[a].key, p->identifiers[a].value);
    }
    for (size_t i = 0; i < r->n_people && !bad; i++) {
        const tts_person *p = &r->people[i];
        bad |= add_name(x, k, p->name);
        for (size_t a = 0; a < p->n_affiliations && !bad; a++)
            bad |= add_name(x, k, p->affiliations[a].organisation);
    }
    for (size_t i = 0; i < r->n_funding && !bad; i++)
        if (r->funding[i].from_party == NULL)
            bad |= add_name(x, k, r->funding[i].from_name);
    return bad;
}

static int eq_or_null(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* One case: its base, whether rules or date alone affect it, its names when its lists changed. */
static int case_row(void *u, const tts_store_latest *l)
{
    ctx *x = u;
    const tts_rescreen_opts *o = x->o;
    int from_mark = x->mark.found && l->screening <= x->mark.last_screening;
    const char *lists = from_mark ? x->mark.lists : l->lists_json;
    const char *rules = from_mark ? x->mark.rules : l->rules_sha256;
    const char *base_as_of = l->as_of, *now_as_of;
    const char *checked_at = from_mark ? x->mark.at : l->screened_at;
    tts_record *rec = NULL;
    tts_error e2;
    uint32_t k, gi = 0;
    kase *kc;
    if (!tts_grow(&x->cases, &x->cap_cases, x->n_cases + 1, sizeof(kase)))
        return nomem(x);
    k = (uint32_t)x->n_cases;
    kc = &x->cases[x->n_cases++];
    memset(kc, 0, sizeof(*kc));
    kc->id = tts_arena_strdup(x->arena, l->record_id);
    if (kc->id == NULL)
        return nomem(x);
    tts_error_clear(&e2);
    if (tts_record_parse(l->record_json, strlen(l->record_json), l->record_id, &rec, &e2) !=
        TTS_OK) {
        kc->affected = 1; /* the rescreen reports what is wrong with it */
        return 0;
    }
    /* the date the case was checked at and the date it would be screened at now */
    if (from_mark)
        base_as_of = x->mark.as_of != NULL           ? x->mark.as_of
                     : tts_record_as_of(rec) != NULL ? tts_record_as_of(rec)
                                                     : x->mark.today;
    now_as_of = o->scan.as_of != NULL           ? o->scan.as_of
                : tts_record_as_of(rec) != NULL ? tts_record_as_of(rec)
                                                : o->today;
    /* a reviewer's decision since (same second included) may clear or raise a finding */
    if (!eq_or_null(rules, tts_rules_sha256(o->rules)) || !eq_or_null(base_as_of, now_as_of) ||
        (l->decided_at != NULL && (checked_at == NULL || strcmp(l->decided_at, checked_at) >= 0))) {
        kc->affected = 1;
        goto out;
    }
    x->rc = group_of(x, lists != NULL ? lists : "", &gi);
    if (x->rc != TTS_OK)
        goto out;
    kc = &x->cases[k];
    kc->group = gi;
    if (x->groups[gi].unknown)
        kc->affected = 1;
    else if (x->groups[gi].changed && index_record(x, k, rec) != 0 && x->rc == TTS_OK)
        x->rc = tts_err_set(x->err, TTS_ERR_INTERNAL, "indexing the cases' names");
out:
    tts_record_free(rec);
    return x->rc != TTS_OK;
}

typedef struct filter_ctx {
    const ctx *x;
    uint32_t group;
} filter_ctx;

static int same_group(void *u, uint32_t entry)
{
    const filter_ctx *f = u;
    return f->x->cases[entry].group == f->group && !f->x->cases[entry].affected;
}

typedef struct search_ctx {
    ctx *x;
    uint32_t group;
} search_ctx;

/* One stored name of a changed entry against the case-name index. */
static int search_name(void *u, const tts_store_name *n)
{
    search_ctx *s = u;
    ctx *x = s->x;
    tts_nname q;
    tts_nameidx_hit *hits = NULL;
    size_t n_hits = 0;
    filter_ctx f = {x, s->group};
    q.tokens = (char *)(uintptr_t)n->tokens; /* read only: the index never writes the query */
    q.legal = (char *)(uintptr_t)n->legal;
    q.glued = (char *)(uintptr_t)n->glued;
    x->rc = tts_nameidx_search(x->idx, &q, TTS_CASEIDX_THRESHOLD, 0, same_group, &f, &hits, &n_hits,
                               x->err);
    for (size_t i = 0; x->rc == TTS_OK && i < n_hits; i++)
        x->cases[hits[i].entry].affected = 1;
    tts_free(hits);
    return x->rc != TTS_OK;
}

/* Names of every added and changed entry of every group, against the cases' names. */
static tts_status search_changes(ctx *x)
{
    tts_status rc = TTS_OK;
    for (size_t g = 0; g < x->n_groups && rc == TTS_OK; g++) {
        search_ctx s = {x, (uint32_t)g};
        for (size_t i = 0; i < x->groups[g].n_query && rc == TTS_OK; i++) {
            char *key = x->groups[g].query[i], *sep = strchr(key, '\x1f');
            if (sep == NULL) /* every key is "source\x1fentry_id" (add_key) */
                return tts_err_set(x->err, TTS_ERR_INTERNAL, "a list change key without a source");
            *sep = '\0';
            rc = tts_store_entry_names_each(x->db, key, sep + 1, search_name, &s, x->err);
            *sep = '\x1f';
            if (rc != TTS_OK && x->rc != TTS_OK)
                rc = x->rc;
        }
    }
    return rc;
}

/* Identifiers of the indexed cases against the lists: a hit on an added or changed entry. */
static tts_status search_idents(ctx *x)
{
    tts_buf key = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    for (size_t i = 0; i < x->n_idents && rc == TTS_OK; i++) {
        const ident *d = &x->idents[i];
        const group *g = &x->groups[x->cases[d->kase].group];
        tts_match *hits = NULL;
        size_t n = 0;
        if (x->cases[d->kase].affected || g->n_query == 0 || x->o->lists_db == NULL)
            continue;
        rc = tts_lists_lookup_ident(x->o->lists_db, d->scheme, d->value, &hits, &n, x->err);
        for (size_t h = 0; rc == TTS_OK && h < n; h++) {
            tts_buf_reset(&key);
            tts_buf_printf(&key, "%s\x1f%s", hits[h].source ? hits[h].source : "",
                           hits[h].entry_id ? hits[h].entry_id : "");
            if (tts_buf_failed(&key))
                rc = tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory");
            else if (has(g->query, g->n_query, key.data))
                x->cases[d->kase].affected = 1;
        }
        tts_matches_free(hits, n);
    }
    tts_buf_free(&key);
    return rc;
}

static int kase_cmp(const void *a, const void *b)
{
    return strcmp(((const kase *)a)->id, ((const kase *)b)->id);
}

/* A case holding a finding or a decision on a removed or changed entry. */
static int held_row(void *u, const char *record_id, const char *entries)
{
    ctx *x = u;
    kase probe, *kc;
    const group *g;
    char one[600];
    probe.id = record_id;
    kc = bsearch(&probe, x->cases, x->n_cases, sizeof(kase), kase_cmp);
    if (kc == NULL || kc->affected)
        return 0;
    g = &x->groups[kc->group];
    if (g->n_held == 0)
        return 0;
    for (const char *e = entries; e != NULL && *e != '\0';) {
        size_t len = strcspn(e, ",");
        if (len < sizeof(one)) {
            memcpy(one, e, len);
            one[len] = '\0';
            if (has(g->held, g->n_held, one)) {
                kc->affected = 1;
                break;
            }
        }
        e += len;
        if (*e == ',')
            e++;
    }
    return 0;
}

static int mark_row(void *u, const tts_store_run *r)
{
    run_mark *m = u;
    m->last_screening = r->last_screening;
    m->lists = tts_strdup(r->lists_json);
    m->rules = tts_strdup(r->rules_sha256);
    m->as_of = r->as_of != NULL ? tts_strdup(r->as_of) : NULL;
    m->today = tts_strdup(r->today);
    m->at = tts_strdup(r->at);
    return m->at == NULL || m->lists == NULL || m->rules == NULL || m->today == NULL ||
           (r->as_of != NULL && m->as_of == NULL);
}

static void ctx_free(ctx *x)
{
    for (size_t g = 0; g < x->n_groups; g++) {
        tts_free(x->groups[g].query);
        tts_free(x->groups[g].held);
    }
    tts_free(x->groups);
    tts_free(x->cases);
    tts_free(x->idents);
    tts_free(x->versions);
    tts_free(x->mark.lists);
    tts_free(x->mark.rules);
    tts_free(x->mark.as_of);
    tts_free(x->mark.today);
    tts_free(x->mark.at);
    tts_nameidx_free(x->idx);
    tts_arena_free(x->arena);
}

/* The plan: the affected cases' ids (the cases come sorted by record id). */
static tts_status make_plan(ctx *x, tts_caseidx_plan *plan)
{
    size_t n = 0;
    for (size_t i = 0; i < x->n_cases; i++)
        n += x->cases[i].affected != 0;
    plan->total = x->n_cases;
    plan->ids = tts_calloc(n + 1, sizeof(char *));
    if (plan->ids == NULL)
        return tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < x->n_cases; i++) {
        if (!x->cases[i].affected)
            continue;
        if ((plan->ids[plan->n] = tts_strdup(x->cases[i].id)) == NULL)
            return tts_err_set(x->err, TTS_ERR_NOMEM, "out of memory");
        plan->n++;
    }
    return TTS_OK;
}

tts_status tts_caseidx_affected(tts_cases *c, const tts_rescreen_opts *o, const char *lists_now,
                                tts_caseidx_plan *plan, tts_error *err)
{
    ctx x;
    tts_status rc;
    memset(&x, 0, sizeof(x));
    memset(plan, 0, sizeof(*plan));
    x.c = c;
    x.db = tts_cases_db(c);
    x.o = o;
    x.lists_now = lists_now != NULL ? lists_now : "[]";
    x.err = err;
    x.arena = tts_arena_new();
    x.idx = tts_nameidx_new();
    x.versions = tts_calloc(o->n_lists + 1, sizeof(long));
    if (x.arena == NULL || x.idx == NULL || x.versions == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory"));
    for (size_t i = 0; i < o->n_lists && !o->no_lists; i++)
        if (!o->lists[i].names_current)
            TTS_FAIL(tts_err_set(err, TTS_ERR_VERIFY,
                                 "list \"%s\" was imported by an earlier version of ttscreen "
                                 "whose name matching differs: import it again before "
                                 "rescreening",
                                 o->lists[i].source));
    for (size_t i = 0; i < o->n_lists; i++) {
        char sha[65];
        TTS_TRY(tts_listver_latest(x.db, o->lists[i].source, &x.versions[i], sha, err));
    }
    TTS_TRY(tts_store_run_last(x.db, mark_row, &x.mark, &x.mark.found, err));
    rc = tts_store_latest_each(x.db, case_row, &x, err);
    if (rc != TTS_OK && x.rc != TTS_OK)
        rc = x.rc;
    TTS_TRY(rc);
    TTS_TRY(tts_nameidx_finish(x.idx, err));
    TTS_TRY(search_changes(&x));
    TTS_TRY(search_idents(&x));
    TTS_TRY(tts_store_held_each(x.db, held_row, &x, err));
    rc = make_plan(&x, plan);
out:
    if (rc != TTS_OK)
        tts_caseidx_plan_free(plan);
    ctx_free(&x);
    return rc;
}

void tts_caseidx_plan_free(tts_caseidx_plan *plan)
{
    if (plan == NULL)
        return;
    for (size_t i = 0; i < plan->n; i++)
        tts_free(plan->ids[i]);
    tts_free(plan->ids);
    memset(plan, 0, sizeof(*plan));
}
