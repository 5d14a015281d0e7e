/* SPDX-License-Identifier: MIT */
/*
 * The case file's logic over the store: identity of findings across
 * screenings, reviewer decisions and false-positive memory, re-screening
 * with new/gone findings, rendering of case listings, and the audit
 * chain's public face. SQL lives in store_cases.c; this file never sees
 * SQLite.
 */
#include "ttscreen/cases.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cases/cases_int.h"
#include "util/error.h"
#include "util/mem.h"
#include "record/model.h"
#include "record/record_json.h"
#include "rules/findings.h"
#include "store/store.h"
#include "store/store_cases.h"

struct tts_cases {
    tts_store *store;
    /* reviewers' decisions are read on worker threads while the caller's thread stores
     * screenings (ttscreen/jobs.h): one database handle, used under this lock */
    pthread_mutex_t lock;
    int snapshot; /* read-only: the read transaction held from open to close */
};

void tts_cases_lock(tts_cases *c)
{
    pthread_mutex_lock(&c->lock);
}

void tts_cases_unlock(tts_cases *c)
{
    pthread_mutex_unlock(&c->lock);
}

tts_status tts_cases_open(const char *db_path, int read_only, tts_cases **out, tts_error *err)
{
    tts_cases *c = tts_calloc(1, sizeof(*c));
    tts_status rc;
    *out = NULL;
    if (c == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    rc = tts_store_open(db_path, read_only ? TTS_STORE_READONLY : 0, &c->store, err);
    if (rc != TTS_OK) {
        tts_free(c);
        return rc;
    }
    pthread_mutex_init(&c->lock, NULL);
    if (read_only && (rc = tts_store_begin_read(c->store, err)) != TTS_OK) {
        tts_cases_close(c);
        return rc;
    }
    c->snapshot = read_only;
    *out = c;
    return TTS_OK;
}

tts_status tts_cases_batch(tts_cases *c, int on, tts_error *err)
{
    tts_status rc;
    tts_cases_lock(c);
    rc = tts_store_group(c->store, on ? TTS_CASES_GROUP_RECORDS : 0, TTS_CASES_GROUP_MS, err);
    tts_cases_unlock(c);
    return rc;
}

tts_status tts_cases_sync(tts_cases *c, int full, tts_error *err)
{
    return tts_store_sync(c->store, full, err);
}

void tts_cases_close(tts_cases *c)
{
    if (c == NULL)
        return;
    if (c->snapshot)
        tts_store_end_read(c->store);
    tts_store_close(c->store);
    pthread_mutex_destroy(&c->lock);
    tts_free(c);
}

/* "source:entry_id" of a match. */
static void entry_name(tts_buf *b, const tts_match *m)
{
    tts_buf_printf(b, "%s:%s", m->source ? m->source : "", m->entry_id ? m->entry_id : "");
}

/*
 * A finding's identity across screenings: rule, subject and the list
 * entries it matched. Fields are separated by US (0x1f), which no id holds.
 */
static void finding_key(tts_buf *b, const tts_finding *f)
{
    tts_buf_printf(b, "%s\x1f%s\x1f", f->rule ? f->rule : "", f->subject ? f->subject : "");
    for (size_t i = 0; i < f->n_matches; i++) {
        if (i > 0)
            tts_buf_putc(b, ',');
        entry_name(b, &f->matches[i]);
    }
}

/* ---- decisions in memory ---- */

typedef struct decision {
    char *rule, *entry, *entry_sha256, *disposition, *by, *at, *reason;
} decision;

typedef struct decision_list {
    decision *items;
    size_t n, cap;
    int failed;
} decision_list;

static void decisions_free(decision_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        decision *d = &l->items[i];
        tts_free(d->rule);
        tts_free(d->entry);
        tts_free(d->entry_sha256);
        tts_free(d->disposition);
        tts_free(d->by);
        tts_free(d->at);
        tts_free(d->reason);
    }
    tts_free(l->items);
    memset(l, 0, sizeof(*l));
}

static char *dup_or_null(const char *s, int *failed)
{
    char *d;
    if (s == NULL)
        return NULL;
    d = tts_strdup(s);
    if (d == NULL)
        *failed = 1;
    return d;
}

static int collect_decision(void *user, const tts_store_decision *sd)
{
    decision_list *l = user;
    decision *d;
    if (!tts_grow(&l->items, &l->cap, l->n + 1, sizeof(*l->items))) {
        l->failed = 1;
        return 1;
    }
    d = &l->items[l->n++];
    memset(d, 0, sizeof(*d));
    d->rule = dup_or_null(sd->rule, &l->failed);
    d->entry = dup_or_null(sd->entry, &l->failed);
    d->entry_sha256 = dup_or_null(sd->entry_sha256, &l->failed);
    d->disposition = dup_or_null(sd->disposition, &l->failed);
    d->by = dup_or_null(sd->decided_by, &l->failed);
    d->at = dup_or_null(sd->decided_at, &l->failed);
    d->reason = dup_or_null(sd->reason, &l->failed);
    return l->failed;
}

static tts_status load_decisions(tts_cases *c, const char *record_id, decision_list *l,
                                 tts_error *err)
{
    tts_status rc = tts_store_decisions_each(c->store, record_id, collect_decision, l, err);
    if (l->failed) {
        tts_error_clear(err);
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    return rc;
}

/* Newest decision about rule + entry (entry NULL: about the rule as a whole). */
static const decision *newest(const decision_list *l, const char *rule, const char *entry)
{
    for (size_t i = l->n; i-- > 0;) {
        const decision *d = &l->items[i];
        if (d->rule == NULL || strcmp(d->rule, rule) != 0)
            continue;
        if ((entry == NULL) != (d->entry == NULL))
            continue;
        if (entry == NULL || strcmp(d->entry, entry) == 0)
            return d;
    }
    return NULL;
}

/* Does the newest decision on this match clear it, with the entry unchanged? */
static const decision *clears(const decision_list *l, const char *rule, const tts_match *m,
                              tts_buf *name)
{
    const decision *d;
    tts_buf_reset(name);
    entry_name(name, m);
    if (tts_buf_failed(name))
        return NULL;
    d = newest(l, rule, name->data);
    if (d == NULL || strcmp(d->disposition, "cleared") != 0)
        return NULL;
    if (d->entry_sha256 == NULL || m->entry_sha256 == NULL ||
        strcmp(d->entry_sha256, m->entry_sha256) != 0)
        return NULL; /* the entry changed since (or cannot be compared): raise it again */
    return d;
}

/* Apply clearances to one finding; returns -1 when out of memory. */
static int apply_one(const decision_list *l, tts_finding *f, tts_buf *name)
{
    const decision *last = NULL;
    size_t kept = 0, n = f->n_matches;
    int *gone;
    if (n == 0 || f->rule == NULL)
        return 0;
    gone = tts_calloc(n, sizeof(int));
    if (gone == NULL)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const decision *d = clears(l, f->rule, &f->matches[i], name);
        if (tts_buf_failed(name)) {
            tts_free(gone);
            return -1;
        }
        gone[i] = d != NULL;
        if (d != NULL)
            last = d;
    }
    for (size_t i = 0; i < n; i++)
        kept += !gone[i];
    if (kept == 0 && last != NULL) { /* n > 0, so kept == 0 means last is set */
        /* every match was cleared: show the finding as cleared, keep its matches */
        tts_buf b = TTS_BUF_INIT;
        tts_buf_printf(&b, "cleared by %s on %.10s: %s", last->by, last->at, last->reason);
        tts_free(gone);
        if (tts_buf_failed(&b)) {
            tts_buf_free(&b);
            return -1;
        }
        tts_free(f->cleared);
        f->cleared = tts_buf_steal(&b, NULL);
        return 0;
    }
    /* drop the cleared matches, keep the rest in order */
    kept = 0;
    for (size_t i = 0; i < n; i++) {
        if (gone[i])
            tts_match_clear(&f->matches[i]);
        else
            f->matches[kept++] = f->matches[i];
    }
    f->n_matches = kept;
    tts_free(gone);
    return 0;
}

struct tts_case_decisions {
    decision_list l;
};

tts_status tts_cases_decisions_load(tts_cases *c, const char *record_id,
                                    tts_case_decisions **out, tts_error *err)
{
    tts_case_decisions *d = tts_calloc(1, sizeof(*d));
    tts_status rc;
    *out = NULL;
    if (d == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    tts_cases_lock(c);
    rc = load_decisions(c, record_id, &d->l, err);
    tts_cases_unlock(c);
    if (rc != TTS_OK) {
        tts_case_decisions_free(d);
        return rc;
    }
    *out = d;
    return TTS_OK;
}

size_t tts_case_decisions_count(const tts_case_decisions *d)
{
    return d != NULL ? d->l.n : 0;
}

tts_status tts_case_decisions_apply(const tts_case_decisions *d, tts_findings *f, tts_error *err)
{
    tts_buf name = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    for (size_t i = 0; d != NULL && i < tts_findings_count(f) && d->l.n > 0; i++) {
        if (apply_one(&d->l, tts_findings_edit(f, i), &name) != 0) {
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
            break;
        }
    }
    tts_buf_free(&name);
    return rc;
}

void tts_case_decisions_free(tts_case_decisions *d)
{
    if (d == NULL)
        return;
    decisions_free(&d->l);
    tts_free(d);
}

tts_status tts_cases_apply_decisions(tts_cases *c, const char *record_id, tts_findings *f,
                                     tts_error *err)
{
    tts_case_decisions *d = NULL;
    tts_status rc = tts_cases_decisions_load(c, record_id, &d, err);
    if (rc == TTS_OK)
        rc = tts_case_decisions_apply(d, f, err);
    tts_case_decisions_free(d);
    return rc;
}

/* ---- storing a screening ---- */

/*
 * The lists consulted, as a JSON array for the screening row and the
 * rescreen run (cases_int.h): source, entries, content hash, and the list
 * version when known (the delta rescreen follows changes from it).
 */
void tts_cases_lists_json(tts_buf *b, const tts_list_info *l, size_t n)
{
    tts_buf_putc(b, '[');
    for (size_t i = 0; i < n; i++) {
        tts_buf_puts(b, i > 0 ? ",{\"source\":" : "{\"source\":");
        tts_buf_json_cstr(b, l[i].source);
        tts_buf_puts(b, ",\"entries\":");
        tts_buf_put_int(b, l[i].entries);
        tts_buf_puts(b, ",\"sha256\":");
        tts_buf_json_cstr(b, l[i].sha256);
        if (l[i].version > 0) {
            tts_buf_puts(b, ",\"version\":");
            tts_buf_put_int(b, l[i].version);
        }
        tts_buf_putc(b, '}');
    }
    tts_buf_putc(b, ']');
}

/* Strings of the finding rows; freed together. */
typedef struct finding_rows {
    tts_store_finding *rows;
    tts_buf *bufs; /* 3 per finding: key, entries, entry hashes */
    size_t n;
} finding_rows;

static void finding_rows_free(finding_rows *fr)
{
    for (size_t i = 0; i < fr->n * 3 && fr->bufs != NULL; i++)
        tts_buf_free(&fr->bufs[i]);
    tts_free(fr->bufs);
    tts_free(fr->rows);
}

static tts_status build_rows(const tts_findings *f, finding_rows *fr, tts_error *err)
{
    size_t n = f != NULL ? tts_findings_count(f) : 0;
    fr->n = n;
    fr->rows = tts_calloc(n + 1, sizeof(tts_store_finding));
    fr->bufs = tts_calloc(n * 3 + 1, sizeof(tts_buf));
    if (fr->rows == NULL || fr->bufs == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const tts_finding *x = tts_findings_get(f, i);
        tts_buf *key = &fr->bufs[3 * i], *ent = key + 1, *sha = key + 2;
        finding_key(key, x);
        for (size_t k = 0; k < x->n_matches; k++) {
            if (k > 0) {
                tts_buf_putc(ent, ',');
                tts_buf_putc(sha, ',');
            }
            entry_name(ent, &x->matches[k]);
            tts_buf_puts(sha, x->matches[k].entry_sha256 ? x->matches[k].entry_sha256 : "-");
        }
        if (tts_buf_failed(key) || tts_buf_failed(ent) || tts_buf_failed(sha))
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        fr->rows[i].fkey = key->data;
        fr->rows[i].rule = x->rule;
        fr->rows[i].severity = tts_severity_name(x->severity);
        fr->rows[i].subject = x->subject ? x->subject : "$";
        fr->rows[i].entry = ent->data;
        fr->rows[i].entry_sha256 = sha->data;
        fr->rows[i].message = x->message ? x->message : "";
        fr->rows[i].cleared = x->cleared;
    }
    return TTS_OK;
}

static tts_status store_locked(tts_cases *c, const tts_screening_info *in, tts_error *err);

tts_status tts_cases_store(tts_cases *c, const tts_screening_info *in, tts_error *err)
{
    tts_status rc;
    tts_cases_lock(c);
    rc = store_locked(c, in, err);
    tts_cases_unlock(c);
    return rc;
}

static tts_status store_locked(tts_cases *c, const tts_screening_info *in, tts_error *err)
{
    tts_store_screening sc;
    finding_rows fr = {NULL, NULL, 0};
    tts_buf lists = TTS_BUF_INIT;
    char rec_sha[65];
    int64_t id = 0;
    size_t len = 0;
    tts_status rc;

    TTS_TRY(tts_record_sha256(in->record, rec_sha, err));
    TTS_TRY(build_rows(in->findings, &fr, err));
    tts_cases_lists_json(&lists, in->lists, in->n_lists);
    if (tts_buf_failed(&lists)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    memset(&sc, 0, sizeof(sc));
    sc.record_id = tts_record_id(in->record);
    sc.screened_at = in->at;
    sc.as_of = in->as_of;
    sc.actor = in->actor;
    sc.kind = in->rescreen ? "rescreen" : "screen";
    sc.record_json = tts_record_canonical(in->record, &len);
    sc.record_sha256 = rec_sha;
    sc.rules_sha256 = tts_rules_sha256(in->rules);
    sc.rules_count = (long)tts_rules_count(in->rules);
    sc.lists_json = lists.data;
    sc.verdict = tts_findings_verdict(in->findings);
    sc.report_json = in->report_jsonl;
    /* the kind of a case the record creates, from the hashed record (so the audit chain
       covers it); the store's TTS_STORE_KIND_OF_RECORD says the same in SQL */
    sc.case_kind = tts_record_is_counterparty(in->record) ? "counterparty" : "deal";
    rc = tts_store_screening_add(c->store, &sc, fr.rows, fr.n, &id, err);
out:
    tts_buf_free(&lists);
    finding_rows_free(&fr);
    return rc;
}

/* ---- decisions ---- */

typedef struct latest_ctx {
    int64_t screening;
} latest_ctx;

static int latest_row(void *user, const tts_store_case *k)
{
    ((latest_ctx *)user)->screening = k->latest.id;
    return 0;
}

/* Look for rule (and entry) among a screening's findings; copy the entry's hash. */
typedef struct lookup_ctx {
    const char *rule, *entry;
    int found;
    char sha[65];
} lookup_ctx;

static int lookup_row(void *user, const tts_store_finding *f)
{
    lookup_ctx *l = user;
    const char *ents = f->entry ? f->entry : "", *shas = f->entry_sha256 ? f->entry_sha256 : "";
    size_t want;
    if (strcmp(f->rule, l->rule) != 0)
        return 0;
    if (l->entry == NULL) {
        l->found = 1;
        return 0;
    }
    /* entries and hashes are parallel comma-separated lists */
    want = strlen(l->entry);
    for (const char *e = ents, *h = shas; *e != '\0';) {
        const char *ee = strchr(e, ','), *he = strchr(h, ',');
        size_t el = ee ? (size_t)(ee - e) : strlen(e), hl = he ? (size_t)(he - h) : strlen(h);
        if (el == want && strncmp(e, l->entry, want) == 0) {
            l->found = 1;
            if (hl == 64)
                memcpy(l->sha, h, 64), l->sha[64] = '\0';
            return 0;
        }
        if (ee == NULL)
            break;
        e = ee + 1;
        h = he ? he + 1 : h + hl;
    }
    return 0;
}

static int valid_disposition(const char *d)
{
    static const char *const ok[] = {"cleared", "escalated", "licence-required", "rejected"};
    for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcmp(d, ok[i]) == 0)
            return 1;
    return 0;
}

tts_status tts_cases_decide(tts_cases *c, const tts_decision_input *d, tts_error *err)
{
    tts_store_decision sd;
    latest_ctx latest = {0};
    lookup_ctx look;
    char *rule = NULL;
    const char *colon;
    size_t found = 0;
    int64_t id = 0;
    tts_status rc = TTS_OK;

    memset(&look, 0, sizeof(look));
    if (d->reason != NULL && tts_text_unfit(d->reason) != 0)
        return tts_err_set(err, TTS_ERR_ARG,
                           "--reason holds a control character or invalid UTF-8 at byte %zu: "
                           "a reason is stored and shown as one line of text",
                           tts_text_unfit(d->reason));
    if (d->disposition == NULL || !valid_disposition(d->disposition))
        return tts_err_set(err, TTS_ERR_ARG,
                           "unknown disposition '%s' (expected cleared, escalated, "
                           "licence-required or rejected)",
                           d->disposition ? d->disposition : "");
    if (d->by == NULL || d->by[0] == '\0' || d->reason == NULL || d->reason[0] == '\0')
        return tts_err_set(err, TTS_ERR_ARG, "a decision needs --by and a non-empty --reason");
    TTS_TRY(tts_store_cases_each(c->store, d->record_id, latest_row, &latest, &found, err));
    if (found == 0)
        return tts_err_set(err, TTS_ERR_ARG, "no case \"%s\" in the database (screen it first)",
                           d->record_id);
    memset(&sd, 0, sizeof(sd));
    if (d->finding != NULL) {
        colon = strchr(d->finding, ':');
        rule = colon ? tts_strndup(d->finding, (size_t)(colon - d->finding))
                     : tts_strdup(d->finding);
        if (rule == NULL)
            return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        look.rule = rule;
        look.entry = colon ? colon + 1 : NULL;
        TTS_TRY(tts_store_findings_each(c->store, latest.screening, lookup_row, &look, err));
        if (!look.found) {
            rc = tts_err_set(err, TTS_ERR_ARG,
                             "case \"%s\": its latest screening has no finding %s%s%s",
                             d->record_id, rule, look.entry ? " matching " : "",
                             look.entry ? look.entry : "");
            goto out;
        }
        sd.rule = rule;
        sd.entry = look.entry;
        sd.entry_sha256 = look.sha[0] != '\0' ? look.sha : NULL;
    }
    sd.record_id = d->record_id;
    sd.decided_at = d->at;
    sd.decided_by = d->by;
    sd.disposition = d->disposition;
    sd.reason = d->reason;
    rc = tts_store_decision_add(c->store, &sd, &id, err);
out:
    tts_free(rule);
    return rc;
}

/* ---- rendering: cases list / cases show ---- */

typedef struct render_ctx {
    tts_cases *c;
    tts_buf *b;
    int json;
    size_t n;
    tts_error *err;
    tts_status rc;
    const char *kind; /* cases list: only cases of this kind, or NULL for all */
} render_ctx;

static int list_row(void *user, const tts_store_case *k)
{
    render_ctx *r = user;
    tts_buf *b = r->b;
    const char *kind = k->kind != NULL ? k->kind : "deal";
    if (r->kind != NULL && strcmp(r->kind, kind) != 0)
        return 0;
    if (r->json) {
        tts_buf_puts(b, r->n++ > 0 ? ",{" : "{");
        tts_buf_json_field(b, "id", k->record_id, 0);
        tts_buf_json_field(b, "kind", kind, 1);
        tts_buf_json_field(b, "created_at", k->created_at, 1);
        tts_buf_printf(b, ",\"screenings\":%ld,\"latest\":{\"screening\":%lld", k->n_screenings,
                       (long long)k->latest.id);
        tts_buf_json_field(b, "at", k->latest.screened_at, 1);
        tts_buf_json_field(b, "kind", k->latest.kind, 1);
        tts_buf_json_field(b, "as_of", k->latest.as_of, 1);
        tts_buf_json_field(b, "verdict", k->latest.verdict, 1);
        tts_buf_printf(b, ",\"findings\":%ld", k->n_findings);
        tts_buf_json_field(b, "rules_sha256", k->latest.rules_sha256, 1);
        tts_buf_putc(b, '}');
        tts_buf_json_field(b, "disposition", k->disposition, 1);
        tts_buf_putc(b, '}');
    } else {
        if (r->n++ == 0)
            tts_buf_printf(b, "%-40s %-12s %10s  %-20s  %-7s  %8s  %s\n", "CASE", "KIND",
                           "SCREENINGS", "LATEST", "VERDICT", "FINDINGS", "DECISION");
        tts_buf_printf(b, "%-40s %-12s %10ld  %-20s  %-7s  %8ld  %s\n", k->record_id, kind,
                       k->n_screenings, k->latest.screened_at, k->latest.verdict, k->n_findings,
                       k->disposition ? k->disposition : "-");
    }
    return tts_buf_failed(b);
}

static tts_status finish(tts_buf *b, char **out, size_t *len, tts_status rc, tts_error *err)
{
    if (rc == TTS_OK && tts_buf_failed(b))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (rc == TTS_OK && b->data == NULL)
        tts_buf_puts(b, "");
    if (rc == TTS_OK && tts_buf_failed(b))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (rc != TTS_OK) {
        tts_buf_free(b);
        return rc;
    }
    *out = tts_buf_steal(b, len);
    return TTS_OK;
}

tts_status tts_cases_render_list(tts_cases *c, tts_format fmt, char **out, size_t *len,
                                 tts_error *err)
{
    return tts_cases_render_list_of(c, fmt, NULL, out, len, err);
}

tts_status tts_cases_render_list_of(tts_cases *c, tts_format fmt, const char *kind, char **out,
                                    size_t *len, tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    render_ctx r = {c, &b, fmt == TTS_FORMAT_JSON, 0, err, TTS_OK, kind};
    tts_status rc;
    *out = NULL;
    if (kind != NULL && strcmp(kind, "deal") != 0 && strcmp(kind, "counterparty") != 0)
        return tts_err_set(err, TTS_ERR_ARG, "case kind must be deal or counterparty, got '%s'",
                           kind);
    if (r.json)
        tts_buf_puts(&b, "{\"cases\":[");
    rc = tts_store_cases_each(c->store, NULL, list_row, &r, NULL, err);
    if (r.json)
        tts_buf_puts(&b, "]}\n");
    else if (r.n == 0 && kind != NULL)
        tts_buf_printf(&b, "no %s cases\n", kind);
    else if (r.n == 0)
        tts_buf_puts(&b, "no cases yet: `ttscreen screen` records one per record id\n");
    return finish(&b, out, len, rc, err);
}

static int finding_json(void *user, const tts_store_finding *f)
{
    render_ctx *r = user;
    tts_buf *b = r->b;
    tts_buf_puts(b, r->n++ > 0 ? ",{" : "{");
    tts_buf_json_field(b, "rule", f->rule, 0);
    tts_buf_json_field(b, "severity", f->severity, 1);
    tts_buf_json_field(b, "subject", f->subject, 1);
    tts_buf_json_field(b, "entry", f->entry != NULL && f->entry[0] != '\0' ? f->entry : NULL, 1);
    tts_buf_json_field(b, "message", f->message, 1);
    tts_buf_json_field(b, "cleared", f->cleared, 1);
    tts_buf_putc(b, '}');
    return tts_buf_failed(b);
}

static int finding_text(void *user, const tts_store_finding *f)
{
    render_ctx *r = user;
    r->n++;
    tts_buf_printf(r->b, "  %-8s %s  %s\n", f->severity, f->rule, f->subject);
    tts_buf_printf(r->b, "           %s\n", f->message);
    if (f->entry != NULL && f->entry[0] != '\0')
        tts_buf_printf(r->b, "           list entries: %s\n", f->entry);
    if (f->cleared != NULL)
        tts_buf_printf(r->b, "           %s (not raised)\n", f->cleared);
    return tts_buf_failed(r->b);
}

static int screening_json(void *user, const tts_store_screening *sc)
{
    render_ctx *r = user;
    render_ctx inner = {r->c, r->b, 1, 0, r->err, TTS_OK, NULL};
    tts_buf *b = r->b;
    tts_buf_puts(b, r->n++ > 0 ? ",{" : "{");
    tts_buf_printf(b, "\"screening\":%lld", (long long)sc->id);
    tts_buf_json_field(b, "at", sc->screened_at, 1);
    tts_buf_json_field(b, "kind", sc->kind, 1);
    tts_buf_json_field(b, "actor", sc->actor, 1);
    tts_buf_json_field(b, "as_of", sc->as_of, 1);
    tts_buf_json_field(b, "verdict", sc->verdict, 1);
    tts_buf_json_field(b, "record_sha256", sc->record_sha256, 1);
    tts_buf_json_field(b, "rules_sha256", sc->rules_sha256, 1);
    tts_buf_printf(b, ",\"rules_count\":%ld,\"lists\":%s,\"findings\":[", sc->rules_count,
                   sc->lists_json ? sc->lists_json : "[]");
    r->rc = tts_store_findings_each(r->c->store, sc->id, finding_json, &inner, r->err);
    tts_buf_puts(b, "]}");
    return r->rc != TTS_OK || tts_buf_failed(b);
}

static int screening_text(void *user, const tts_store_screening *sc)
{
    render_ctx *r = user;
    r->n++;
    tts_buf_printf(r->b, "  #%-5lld %s  %-8s %-7s as of %s  by %s  rules %.12s  record %.12s\n",
                   (long long)sc->id, sc->screened_at, sc->kind, sc->verdict, sc->as_of, sc->actor,
                   sc->rules_sha256, sc->record_sha256);
    return tts_buf_failed(r->b);
}

static int decision_json(void *user, const tts_store_decision *d)
{
    render_ctx *r = user;
    tts_buf *b = r->b;
    tts_buf_puts(b, r->n++ > 0 ? ",{" : "{");
    tts_buf_printf(b, "\"decision\":%lld", (long long)d->id);
    tts_buf_json_field(b, "at", d->decided_at, 1);
    tts_buf_json_field(b, "by", d->decided_by, 1);
    tts_buf_json_field(b, "disposition", d->disposition, 1);
    tts_buf_json_field(b, "reason", d->reason, 1);
    tts_buf_json_field(b, "rule", d->rule, 1);
    tts_buf_json_field(b, "entry", d->entry, 1);
    tts_buf_putc(b, '}');
    return tts_buf_failed(b);
}

static int decision_text(void *user, const tts_store_decision *d)
{
    render_ctx *r = user;
    r->n++;
    tts_buf_printf(r->b, "  %s  %-16s by %s", d->decided_at, d->disposition, d->decided_by);
    if (d->rule != NULL)
        tts_buf_printf(r->b, "  [%s%s%s]", d->rule, d->entry ? ":" : "", d->entry ? d->entry : "");
    else
        tts_buf_puts(r->b, "  [whole case]");
    tts_buf_printf(r->b, "\n           %s\n", d->reason);
    return tts_buf_failed(r->b);
}

typedef struct show_head {
    tts_store_case k;
    char *report;
    int failed;
    int64_t screening;
    char created[40], at[40], verdict[16], as_of[16], disposition[24], kind[16];
    long n, n_findings;
} show_head;

static int show_head_row(void *user, const tts_store_case *k)
{
    show_head *h = user;
    h->screening = k->latest.id;
    h->n = k->n_screenings;
    h->n_findings = k->n_findings;
    snprintf(h->created, sizeof(h->created), "%s", k->created_at);
    snprintf(h->kind, sizeof(h->kind), "%s", k->kind != NULL ? k->kind : "deal");
    snprintf(h->at, sizeof(h->at), "%s", k->latest.screened_at);
    snprintf(h->verdict, sizeof(h->verdict), "%s", k->latest.verdict);
    snprintf(h->as_of, sizeof(h->as_of), "%s", k->latest.as_of);
    snprintf(h->disposition, sizeof(h->disposition), "%s", k->disposition ? k->disposition : "");
    h->report = tts_strdup(k->latest.report_json ? k->latest.report_json : "null");
    h->failed = h->report == NULL;
    return h->failed;
}

tts_status tts_cases_render_show(tts_cases *c, const char *record_id, tts_format fmt, char **out,
                                 size_t *len, tts_error *err)
{
    tts_buf b = TTS_BUF_INIT;
    show_head h;
    render_ctx r = {c, &b, fmt == TTS_FORMAT_JSON, 0, err, TTS_OK, NULL};
    size_t found = 0;
    tts_status rc;

    memset(&h, 0, sizeof(h));
    *out = NULL;
    rc = tts_store_cases_each(c->store, record_id, show_head_row, &h, &found, err);
    if (rc == TTS_OK && h.failed)
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (rc == TTS_OK && found == 0)
        rc = tts_err_set(err, TTS_ERR_ARG, "no case \"%s\" in the database", record_id);
    if (rc != TTS_OK)
        goto out;
    if (r.json) {
        tts_buf_putc(&b, '{');
        tts_buf_json_field(&b, "id", record_id, 0);
        tts_buf_json_field(&b, "kind", h.kind, 1);
        tts_buf_json_field(&b, "created_at", h.created, 1);
        tts_buf_json_field(&b, "disposition", h.disposition[0] ? h.disposition : NULL, 1);
        tts_buf_puts(&b, ",\"screenings\":[");
        TTS_TRY(tts_store_screenings_each(c->store, record_id, screening_json, &r, err));
        TTS_TRY(r.rc);
        tts_buf_puts(&b, "],\"decisions\":[");
        r.n = 0;
        TTS_TRY(tts_store_decisions_each(c->store, record_id, decision_json, &r, err));
        tts_buf_printf(&b, "],\"report\":%s}\n", h.report);
    } else {
        tts_buf_printf(&b, "case %s\n  %-11s %s\n  %-11s %s\n  %-11s %ld\n  %-11s %s (screened "
                           "%s, as of %s), %ld finding%s\n",
                       record_id, "kind", h.kind, "created", h.created, "screenings", h.n,
                       "verdict", h.verdict, h.at, h.as_of, h.n_findings, h.n_findings == 1 ? "" : "s");
        if (h.disposition[0] != '\0')
            tts_buf_printf(&b, "  %-11s %s\n", "decision", h.disposition);
        tts_buf_puts(&b, "\nfindings of the latest screening\n");
        TTS_TRY(tts_store_findings_each(c->store, h.screening, finding_text, &r, err));
        if (r.n == 0)
            tts_buf_puts(&b, "  none\n");
        tts_buf_puts(&b, "\ndecisions\n");
        r.n = 0;
        TTS_TRY(tts_store_decisions_each(c->store, record_id, decision_text, &r, err));
        if (r.n == 0)
            tts_buf_puts(&b, "  none\n");
        tts_buf_puts(&b, "\nscreenings\n");
        TTS_TRY(tts_store_screenings_each(c->store, record_id, screening_text, &r, err));
    }
out:
    tts_free(h.report);
    return finish(&b, out, len, rc, err);
}

/* ---- re-screening: rescreen.c ---- */

tts_store *tts_cases_db(tts_cases *c)
{
    return c->store;
}

void tts_cases_finding_key(tts_buf *b, const tts_finding *f)
{
    finding_key(b, f);
}

/* ---- audit log ---- */

tts_status tts_cases_audit_verify(tts_cases *c, const char *head, tts_audit_result *r,
                                  tts_error *err)
{
    return tts_cases_audit_check(c, head, 0, r, err);
}

tts_status tts_cases_audit_check(tts_cases *c, const char *head, unsigned flags,
                                 tts_audit_result *r, tts_error *err)
{
    tts_store_audit_result sr;
    tts_status rc = tts_store_audit_verify(
        c->store, head, (flags & TTS_AUDIT_FULL) ? TTS_STORE_VERIFY_FULL : 0, &sr, err);
    memset(r, 0, sizeof(*r));
    if (rc != TTS_OK)
        return rc;
    r->rows = sr.rows;
    r->broken_row = sr.broken_seq;
    memcpy(r->head, sr.head, sizeof(r->head));
    memcpy(r->problem, sr.problem, sizeof(r->problem));
    r->damaged = sr.damaged;
    r->legacy_lists = sr.legacy_lists;
    return TTS_OK;
}

typedef struct export_ctx {
    tts_line_fn fn;
    void *user;
    tts_buf line;
    long rows;
    char head[65];
} export_ctx;

static int export_row(void *user, const tts_store_audit *a)
{
    export_ctx *x = user;
    tts_buf *b = &x->line;
    tts_buf_reset(b);
    tts_buf_printf(b, "{\"seq\":%lld", (long long)a->seq);
    tts_buf_json_field(b, "at", a->at, 1);
    tts_buf_json_field(b, "actor", a->actor, 1);
    tts_buf_json_field(b, "action", a->action, 1);
    tts_buf_json_field(b, "object", a->object, 1);
    tts_buf_json_field(b, "content_sha256", a->content_sha256, 1);
    tts_buf_json_field(b, "prev_hash", a->prev_hash, 1);
    tts_buf_json_field(b, "hash", a->hash, 1);
    tts_buf_printf(b, ",\"format\":%d}\n", a->format);
    if (tts_buf_failed(b))
        return 1;
    x->rows++;
    snprintf(x->head, sizeof(x->head), "%s", a->hash ? a->hash : "");
    return x->fn(x->user, b->data, b->len);
}

tts_status tts_cases_audit_export(tts_cases *c, tts_line_fn fn, void *user, tts_error *err)
{
    export_ctx x;
    tts_status rc;
    memset(&x, 0, sizeof(x));
    x.fn = fn;
    x.user = user;
    rc = tts_store_audit_each(c->store, export_row, &x, err);
    if (rc == TTS_OK) {
        tts_buf_reset(&x.line);
        tts_buf_puts(&x.line, "{\"head\":");
        tts_buf_json_cstr(&x.line, x.rows > 0 ? x.head : "");
        tts_buf_printf(&x.line, ",\"rows\":%ld}\n", x.rows);
        if (tts_buf_failed(&x.line))
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        else if (fn(user, x.line.data, x.line.len) != 0)
            rc = tts_err_set(err, TTS_ERR_IO, "audit export: write failed");
    } else if (tts_buf_failed(&x.line)) {
        tts_error_clear(err);
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    tts_buf_free(&x.line);
    return rc;
}

tts_status tts_cases_audit_note(tts_cases *c, const char *at, const char *actor,
                                const char *action, const char *object,
                                const char *content_sha256, tts_error *err)
{
    tts_status rc;
    TTS_TRY(tts_store_begin(c->store, err));
    rc = tts_store_audit_append(c->store, at, actor, action, object, content_sha256, err);
    if (rc == TTS_OK)
        rc = tts_store_commit(c->store, err);
out:
    if (rc != TTS_OK)
        tts_store_rollback_report(c->store, err);
    return rc;
}
