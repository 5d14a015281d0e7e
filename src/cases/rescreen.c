/* SPDX-License-Identifier: MIT */
/*
 * Re-screening the stored cases (tts_cases_rescreen in ttscreen/cases.h):
 * each case's latest record goes through tts_screen_record, the one
 * screening path, and is stored; the change report says per case which
 * findings are new and gone, the verdict before and after, the list entry
 * and list version behind each finding, and why a cleared match is raised
 * again. With changed_lists only the cases caseidx.c finds affected are
 * screened. A completed run leaves a mark (store_listver.h) with its audit
 * row: the next delta run starts from it.
 */
#include "ttscreen/cases.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "cases/caseidx.h"
#include "cases/cases_int.h"
#include "util/error.h"
#include "lists/listver.h"
#include "util/mem.h"
#include "sign/ossl.h"
#include "store/store.h"
#include "store/store_cases.h"
#include "store/store_listver.h"
#include "ttscreen/jobs.h"
#include "ttscreen/lists.h"

typedef struct str_list {
    char **items;
    size_t n, cap;
    int failed;
} str_list;

static void str_list_free(str_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        tts_free(l->items[i]);
    tts_free(l->items);
    memset(l, 0, sizeof(*l));
}

static void str_list_add(str_list *l, const char *s)
{
    if (l->failed)
        return;
    if (!tts_grow(&l->items, &l->cap, l->n + 1, sizeof(*l->items))) {
        l->failed = 1;
        return;
    }
    if ((l->items[l->n] = tts_strdup(s != NULL ? s : "")) == NULL)
        l->failed = 1;
    else
        l->n++;
}

static int str_list_has(const str_list *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->items[i], s) == 0)
            return 1;
    return 0;
}

/* What the previous screening of a case said. */
typedef struct previous {
    int64_t screening;
    char *record_json, *verdict;
    str_list keys;    /* raised findings' keys */
    str_list lines;   /* "severity\x1frule\x1fsubject\x1fmessage", parallel to keys */
    str_list entries; /* "source:id,source:id" or "", parallel to keys */
} previous;

static int previous_case(void *user, const tts_store_latest *k)
{
    previous *p = user;
    p->screening = k->screening;
    p->record_json = tts_strdup(k->record_json);
    p->verdict = tts_strdup(k->verdict);
    return p->record_json == NULL || p->verdict == NULL;
}

static int previous_finding(void *user, const tts_store_finding *f)
{
    previous *p = user;
    tts_buf line = TTS_BUF_INIT;
    if (f->cleared != NULL)
        return 0;
    tts_buf_printf(&line, "%s\x1f%s\x1f%s\x1f%s", f->severity, f->rule, f->subject, f->message);
    if (tts_buf_failed(&line))
        p->keys.failed = 1;
    else {
        str_list_add(&p->keys, f->fkey);
        str_list_add(&p->lines, line.data);
        str_list_add(&p->entries, f->entry);
    }
    tts_buf_free(&line);
    return p->keys.failed || p->lines.failed || p->entries.failed;
}

static void previous_free(previous *p)
{
    tts_free(p->record_json);
    tts_free(p->verdict);
    str_list_free(&p->keys);
    str_list_free(&p->lines);
    str_list_free(&p->entries);
}

/* A clearance of one list entry of one rule, as the case's decisions leave it. */
typedef struct clearance {
    char *rule, *entry, *sha, *disposition, *at;
} clearance;

typedef struct clearances {
    clearance *items;
    size_t n, cap;
    int failed;
} clearances;

static void clearances_free(clearances *l)
{
    for (size_t i = 0; i < l->n; i++) {
        tts_free(l->items[i].rule);
        tts_free(l->items[i].entry);
        tts_free(l->items[i].sha);
        tts_free(l->items[i].disposition);
        tts_free(l->items[i].at);
    }
    tts_free(l->items);
    memset(l, 0, sizeof(*l));
}

static char *dup_or_null(const char *s, int *failed)
{
    char *d = s != NULL ? tts_strdup(s) : NULL;
    if (s != NULL && d == NULL)
        *failed = 1;
    return d;
}

static int clearance_row(void *user, const tts_store_decision *d)
{
    clearances *l = user;
    clearance *c;
    if (d->rule == NULL || d->entry == NULL)
        return 0;
    if (!tts_grow(&l->items, &l->cap, l->n + 1, sizeof(*l->items))) {
        l->failed = 1;
        return 1;
    }
    c = &l->items[l->n++];
    memset(c, 0, sizeof(*c));
    c->rule = dup_or_null(d->rule, &l->failed);
    c->entry = dup_or_null(d->entry, &l->failed);
    c->sha = dup_or_null(d->entry_sha256, &l->failed);
    c->disposition = dup_or_null(d->disposition, &l->failed);
    c->at = dup_or_null(d->decided_at, &l->failed);
    return l->failed;
}

/*
 * Why a raised match was not raised before although a reviewer cleared it:
 * the newest decision on rule + entry clears it, for another content hash
 * of the entry. Writes "entry changed since cleared on DATE" into why.
 */
static int raised_again(const clearances *l, const char *rule, const tts_match *m, char *why,
                        size_t cap)
{
    char entry[300];
    snprintf(entry, sizeof(entry), "%s:%s", m->source ? m->source : "",
             m->entry_id ? m->entry_id : "");
    for (size_t i = l->n; i-- > 0;) {
        const clearance *c = &l->items[i];
        if (strcmp(c->rule, rule) != 0 || strcmp(c->entry, entry) != 0)
            continue;
        if (strcmp(c->disposition, "cleared") != 0)
            return 0;
        if (c->sha != NULL && m->entry_sha256 != NULL && strcmp(c->sha, m->entry_sha256) == 0)
            return 0;
        snprintf(why, cap, "entry changed since cleared on %.10s", c->at ? c->at : "");
        return 1;
    }
    return 0;
}

typedef struct rescreen_state {
    tts_cases *c;
    const tts_rescreen_opts *o;
    long *versions; /* newest version of each of o->lists (0: none kept) */
    tts_buf *b;
    int json, failed;
    size_t n, changed;
    tts_screen_opts so;    /* every case's screening */
    const str_list *ids;   /* the cases to do, or NULL: every case, a page at a time */
    str_list page;         /* the page being read */
    size_t next;           /* the next of ids or of page */
    char *after;           /* the last id of the page before */
    int pages_end, read_end;
    size_t done, total;    /* progress */
    tts_status rc;         /* the first case that failed stops the run */
    tts_error *err;
} rescreen_state;

/* The version of source `source` among the current lists, 0 when unknown. */
static long version_of(const rescreen_state *st, const char *source, size_t len)
{
    for (size_t i = 0; i < st->o->n_lists && st->versions != NULL; i++)
        if (strlen(st->o->lists[i].source) == len &&
            strncmp(st->o->lists[i].source, source, len) == 0)
            return st->versions[i];
    return 0;
}

/* One list entry behind a finding: text line or JSON object. */
static void entry_out(tts_buf *b, const rescreen_state *st, int json, int first, const char *source,
                      size_t slen, const char *entry_id, size_t elen, const char *name)
{
    long v = version_of(st, source, slen);
    if (json) {
        tts_buf_puts(b, first ? "{\"source\":" : ",{\"source\":");
        tts_buf_json_str(b, source, slen);
        tts_buf_puts(b, ",\"entry_id\":");
        tts_buf_json_str(b, entry_id, elen);
        tts_buf_json_field(b, "name", name, 1);
        if (v > 0)
            tts_buf_printf(b, ",\"list_version\":%ld}", v);
        else
            tts_buf_puts(b, ",\"list_version\":null}");
    } else {
        tts_buf_printf(b, "      list entry %.*s:%.*s", (int)slen, source, (int)elen, entry_id);
        if (name != NULL)
            tts_buf_printf(b, " \"%s\"", name);
        if (v > 0)
            tts_buf_printf(b, " (%.*s version %ld)\n", (int)slen, source, v);
        else
            tts_buf_puts(b, "\n");
    }
}

/* The head of one changed finding. */
static void change_head(tts_buf *b, int json, int first, char sign, const char *sev,
                        const char *rule, const char *subject, const char *message)
{
    if (json) {
        tts_buf_puts(b, first ? "{" : ",{");
        tts_buf_json_field(b, "rule", rule, 0);
        tts_buf_json_field(b, "severity", sev, 1);
        tts_buf_json_field(b, "subject", subject, 1);
        tts_buf_json_field(b, "message", message, 1);
    } else {
        tts_buf_printf(b, "  %c %-8s %s  %s\n      %s\n", sign, sev, rule, subject, message);
    }
}

/* A new finding, with its list entries and, when a clearance no longer holds, why. */
static void new_out(tts_buf *b, const rescreen_state *st, int first, const tts_finding *x,
                    const clearances *cl)
{
    char why[96] = "";
    int json = st->json;
    change_head(b, json, first, '+', tts_severity_name(x->severity), x->rule, x->subject,
                x->message ? x->message : "");
    for (size_t k = 0; k < x->n_matches && why[0] == '\0'; k++)
        raised_again(cl, x->rule, &x->matches[k], why, sizeof(why));
    if (json)
        tts_buf_puts(b, ",\"entries\":[");
    for (size_t k = 0; k < x->n_matches; k++) {
        const tts_match *m = &x->matches[k];
        const char *s = m->source ? m->source : "", *e = m->entry_id ? m->entry_id : "";
        entry_out(b, st, json, k == 0, s, strlen(s), e, strlen(e), m->name);
    }
    if (json) {
        tts_buf_putc(b, ']');
        tts_buf_json_field(b, "reason", why[0] != '\0' ? why : NULL, 1);
        tts_buf_putc(b, '}');
    } else if (why[0] != '\0') {
        tts_buf_printf(b, "      raised again: %s\n", why);
    }
}

/* The "gone" side: previous raised findings whose key is not raised now. */
static void gone_out(tts_buf *b, const rescreen_state *st, const previous *p, const str_list *now)
{
    int first = 1, json = st->json;
    for (size_t i = 0; i < p->keys.n; i++) {
        char *f[4] = {NULL, NULL, NULL, NULL}, *s;
        const char *e;
        int k0 = 1;
        if (str_list_has(now, p->keys.items[i]))
            continue;
        s = p->lines.items[i];
        for (int k = 0; k < 4 && s != NULL; k++) {
            f[k] = s;
            s = strchr(s, '\x1f');
            if (s != NULL)
                *s++ = '\0';
        }
        change_head(b, json, first, '-', f[0] ? f[0] : "", f[1] ? f[1] : "", f[2] ? f[2] : "",
                    f[3] ? f[3] : "");
        first = 0;
        if (json)
            tts_buf_puts(b, ",\"entries\":[");
        /* "source:id,source:id": the entries the finding held */
        for (e = p->entries.items[i]; *e != '\0';) {
            size_t len = strcspn(e, ","), sl;
            const char *colon = memchr(e, ':', len);
            sl = colon != NULL ? (size_t)(colon - e) : len;
            entry_out(b, st, json, k0, e, sl, colon ? colon + 1 : e + len, colon ? len - sl - 1 : 0,
                      NULL);
            k0 = 0;
            e += len;
            if (*e == ',')
                e++;
        }
        if (json)
            tts_buf_puts(b, "]}");
    }
}

/* Screen one case again; append its change (if any) to the output. */
/* One case on its way (ttscreen/jobs.h): read, evaluated on a worker, then stored in order. */
typedef struct case_slot {
    char *id;
    previous p;
    clearances cl;
    tts_record *rec;
    tts_screen_result res;
    tts_status rc;
    tts_error err;
} case_slot;

/* What the case's last screening said and its record, read on the calling thread. */
static tts_status case_read(rescreen_state *st, case_slot *s, tts_error *err)
{
    tts_store *db = tts_cases_db(st->c);
    const char *id = s->id;
    int found = 0;
    tts_status rc;
    tts_cases_lock(st->c);
    rc = tts_store_latest_get(db, id, previous_case, &s->p, &found, err);
    if (rc == TTS_OK && !found)
        rc = tts_err_set(err, TTS_ERR_DB, "rescreen: case \"%s\" is gone", id);
    if (rc == TTS_OK)
        rc = tts_store_findings_each(db, s->p.screening, previous_finding, &s->p, err);
    if (rc == TTS_OK)
        rc = tts_store_decisions_each(db, id, clearance_row, &s->cl, err);
    tts_cases_unlock(st->c);
    if (rc != TTS_OK)
        return rc;
    if (s->p.record_json == NULL || s->p.keys.failed || s->p.lines.failed ||
        s->p.entries.failed || s->cl.failed)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    return tts_record_parse(s->p.record_json, strlen(s->p.record_json), id, &s->rec, err);
}

/* The case screened again and stored, and what changed rendered (in case order). */
static tts_status case_done(rescreen_state *st, case_slot *s, tts_error *err)
{
    const tts_rescreen_opts *o = st->o;
    const char *id = s->id;
    const previous *pp = &s->p;
    const tts_findings *f = NULL;
    str_list now = {NULL, 0, 0, 0};
    tts_buf key = TTS_BUF_INIT, part = TTS_BUF_INIT;
    size_t n_new = 0, n_gone = 0;
    tts_status rc;

    TTS_TRY(tts_screen_complete(&st->so, s->rec, &s->res, err));
    f = s->res.findings;

    /* new: raised now, not before */
    for (size_t i = 0; i < tts_findings_count(f); i++) {
        const tts_finding *x = tts_findings_get(f, i);
        if (x->cleared != NULL)
            continue;
        tts_buf_reset(&key);
        tts_cases_finding_key(&key, x);
        str_list_add(&now, key.data != NULL ? key.data : "");
        if (str_list_has(&pp->keys, key.data != NULL ? key.data : ""))
            continue;
        if ((int)x->severity >= (int)o->fail_on)
            st->failed = 1;
        new_out(&part, st, n_new == 0, x, &s->cl);
        n_new++;
    }
    for (size_t i = 0; i < pp->keys.n; i++)
        n_gone += !str_list_has(&now, pp->keys.items[i]);
    st->n++;
    if (n_new > 0 || n_gone > 0 || strcmp(pp->verdict, tts_findings_verdict(f)) != 0) {
        st->changed++;
        if (st->json) {
            tts_buf_puts(st->b, st->changed > 1 ? ",{" : "{");
            tts_buf_json_field(st->b, "id", id, 0);
            tts_buf_json_field(st->b, "verdict_before", pp->verdict, 1);
            tts_buf_json_field(st->b, "verdict", tts_findings_verdict(f), 1);
            tts_buf_printf(st->b, ",\"new\":[%s],\"gone\":[", part.data ? part.data : "");
            gone_out(st->b, st, pp, &now);
            tts_buf_puts(st->b, "]}");
        } else {
            tts_buf_printf(st->b, "%s: %s -> %s (%zu new, %zu gone)\n%s", id, pp->verdict,
                           tts_findings_verdict(f), n_new, n_gone, part.data ? part.data : "");
            gone_out(st->b, st, pp, &now);
        }
    }
    if (now.failed || tts_buf_failed(&part) || tts_buf_failed(&key))
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
out:
    tts_buf_free(&key);
    tts_buf_free(&part);
    str_list_free(&now);
    return rc;
}

static void case_free(void *user, void *slot)
{
    case_slot *s = slot;
    (void)user;
    tts_free(s->id);
    clearances_free(&s->cl);
    tts_screen_result_clear(&s->res);
    tts_record_free(s->rec);
    previous_free(&s->p);
    memset(s, 0, sizeof(*s));
}

static int collect_id(void *user, const char *record_id)
{
    str_list_add(user, record_id);
    return ((str_list *)user)->failed;
}

/* Cases read per page of a full rescreen (and at most one group commit's worth). */
#define RESCREEN_PAGE TTS_CASES_GROUP_RECORDS

/*
 * The next case id: from the given list, or else from every case in record
 * id order a page at a time (one ordered read of the record id's index per
 * page), so the work grows linearly with the cases and one page is held.
 * NULL at the end, or after an error (into *rc and err).
 */
static const char *next_id(rescreen_state *st, tts_status *rc, tts_error *err)
{
    size_t n = 0;
    *rc = TTS_OK;
    if (st->ids != NULL)
        return st->next < st->ids->n ? st->ids->items[st->next++] : NULL;
    if (st->next < st->page.n)
        return st->page.items[st->next++];
    if (st->pages_end)
        return NULL;
    if (st->page.n > 0) {
        tts_free(st->after);
        if ((st->after = tts_strdup(st->page.items[st->page.n - 1])) == NULL) {
            *rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
            return NULL;
        }
    }
    str_list_free(&st->page);
    st->next = 0;
    tts_cases_lock(st->c);
    *rc = tts_store_case_ids_page(tts_cases_db(st->c), st->after, RESCREEN_PAGE, collect_id,
                                  &st->page, &n, err);
    tts_cases_unlock(st->c);
    if (*rc == TTS_OK && st->page.failed)
        *rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if (*rc != TTS_OK || st->page.n == 0) {
        st->pages_end = 1;
        return NULL;
    }
    return st->page.items[st->next++];
}

static int case_produce(void *user, void *slot)
{
    rescreen_state *st = user;
    case_slot *s = slot;
    const char *id;
    if (st->read_end)
        return 0;
    tts_error_clear(&s->err);
    id = next_id(st, &s->rc, &s->err);
    if (id == NULL && s->rc == TTS_OK)
        return 0;
    if (id != NULL && (s->id = tts_strdup(id)) == NULL)
        s->rc = tts_err_set(&s->err, TTS_ERR_NOMEM, "out of memory");
    if (s->rc == TTS_OK)
        s->rc = case_read(st, s, &s->err);
    if (s->rc != TTS_OK)
        st->read_end = 1; /* the run stops at this case */
    return 1;
}

static void case_work(void *user, void *slot)
{
    rescreen_state *st = user;
    case_slot *s = slot;
    if (s->rc == TTS_OK)
        s->rc = tts_screen_evaluate(&st->so, s->rec, &s->res, &s->err);
}

static int case_consume(void *user, void *slot)
{
    rescreen_state *st = user;
    case_slot *s = slot;
    if (s->rc == TTS_OK)
        s->rc = case_done(st, s, &s->err);
    if (s->rc != TTS_OK) {
        st->rc = s->rc;
        *st->err = s->err;
    } else {
        st->done++;
        if (st->o->progress != NULL)
            st->o->progress(st->o->progress_user, (long)st->done,
                            (long)(st->total > st->done ? st->total : st->done));
    }
    case_free(user, slot);
    return st->rc != TTS_OK;
}

/* Every case of the run, on o->jobs threads, stored and rendered in case order. */
static tts_status rescreen_cases(rescreen_state *st, tts_error *err)
{
    const tts_rescreen_opts *o = st->o;
    const tts_jobs_ops ops = {sizeof(tts_jobs_ops), case_produce, case_work, case_consume,
                              case_free};
    tts_status rc;
    memset(&st->so, 0, sizeof(st->so));
    st->so.size = sizeof(st->so);
    st->so.rules = o->rules;
    st->so.lists = o->lists_db;
    st->so.no_lists = o->no_lists;
    st->so.list_info = o->lists;
    st->so.n_lists = o->n_lists;
    st->so.cases = st->c;
    st->so.store = 1;
    st->so.rescreen = 1;
    st->so.as_of = o->scan.as_of;
    st->so.today = o->today;
    st->so.at = o->at;
    st->so.actor = o->actor;
    st->so.tool_version = o->tool_version;
    st->err = err;
    rc = tts_jobs_run(o->jobs, sizeof(case_slot), &ops, st, err);
    str_list_free(&st->page);
    tts_free(st->after);
    st->after = NULL;
    return rc != TTS_OK ? rc : st->rc;
}

/* Record the completed run: the mark the next delta run starts from. */
static tts_status mark_run(tts_cases *c, const tts_rescreen_opts *o, const char *lists,
                           size_t total, const rescreen_state *st, const tts_buf *report,
                           tts_error *err)
{
    tts_store_run r;
    char sha[65];
    tts_status rc = tts_sha256_hex(report->data != NULL ? report->data : "", report->len, sha, err);
    if (rc != TTS_OK)
        return rc;
    memset(&r, 0, sizeof(r));
    r.at = o->at;
    r.actor = o->actor != NULL ? o->actor : "unknown";
    r.mode = o->changed_lists ? "changed-lists" : "full";
    r.lists_json = lists;
    r.rules_sha256 = tts_rules_sha256(o->rules);
    r.as_of = o->scan.as_of;
    r.today = o->today;
    r.cases = (long)total;
    r.rescreened = (long)st->n;
    r.changed = (long)st->changed;
    r.report_sha256 = sha;
    return tts_store_run_add(tts_cases_db(c), &r, err);
}

static tts_status finish(tts_buf *b, char **out, size_t *len, tts_status rc, tts_error *err)
{
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

tts_status tts_cases_rescreen(tts_cases *c, const tts_rescreen_opts *given, char **out, size_t *len,
                              int *failed, tts_error *err)
{
    tts_rescreen_opts o;
    str_list ids = {NULL, 0, 0, 0};
    tts_caseidx_plan plan;
    tts_buf b = TTS_BUF_INIT, lists = TTS_BUF_INIT;
    rescreen_state st;
    size_t total = 0;
    int batched = 0;
    tts_status rc;

    *out = NULL;
    *failed = 0;
    memset(&o, 0, sizeof(o));
    memcpy(&o, given, given->size != 0 && given->size < sizeof(o) ? given->size : sizeof(o));
    memset(&plan, 0, sizeof(plan));
    memset(&st, 0, sizeof(st));
    st.c = c;
    st.o = &o;
    st.b = &b;
    st.json = o.format == TTS_FORMAT_JSON;
    tts_cases_lists_json(&lists, o.lists, o.no_lists ? 0 : o.n_lists);
    st.versions = tts_calloc(o.n_lists + 1, sizeof(long));
    if (st.versions == NULL || tts_buf_failed(&lists)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < o.n_lists; i++)
        TTS_TRY(tts_listver_latest(tts_cases_db(c), o.lists[i].source, &st.versions[i], NULL, err));
    if (o.changed_lists) {
        TTS_TRY(tts_caseidx_affected(c, &o, lists.data, &plan, err));
        total = plan.total;
        for (size_t i = 0; i < plan.n; i++)
            str_list_add(&ids, plan.ids[i]);
    } else {
        TTS_TRY(tts_store_cases_count(tts_cases_db(c), &total, err));
    }
    if (ids.failed) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (st.json)
        tts_buf_puts(&b, "{\"cases\":[");
    /* many screenings per commit; the group ends (committed) before the report is returned */
    TTS_TRY(tts_cases_batch(c, 1, err));
    batched = 1;
    st.ids = o.changed_lists ? &ids : NULL;
    st.total = o.changed_lists ? ids.n : total;
    TTS_TRY(rescreen_cases(&st, err));
    if (!o.changed_lists)
        total = total > st.n ? total : st.n; /* cases another process added meanwhile */
    if (st.json)
        tts_buf_printf(&b,
                       "],\"rescreened\":%zu,\"changed\":%zu,\"mode\":\"%s\","
                       "\"cases_total\":%zu}\n",
                       st.n, st.changed, o.changed_lists ? "changed-lists" : "full", total);
    else if (o.changed_lists)
        tts_buf_printf(&b, "rescreened %zu of %zu case%s (changed lists): %zu changed\n", st.n,
                       total, total == 1 ? "" : "s", st.changed);
    else
        tts_buf_printf(&b, "rescreened %zu case%s: %zu changed\n", st.n, st.n == 1 ? "" : "s",
                       st.changed);
    if (tts_buf_failed(&b)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    TTS_TRY(mark_run(c, &o, lists.data, total, &st, &b, err));
    *failed = st.failed;
out:
    if (batched) {
        /* the screenings stored before an error stay, as each was complete */
        tts_error e2;
        tts_error_clear(&e2);
        tts_status end = tts_cases_batch(c, 0, rc == TTS_OK ? err : &e2);
        if (rc == TTS_OK)
            rc = end;
    }
    tts_free(st.versions);
    tts_caseidx_plan_free(&plan);
    str_list_free(&ids);
    tts_buf_free(&lists);
    return finish(&b, out, len, rc, err);
}
