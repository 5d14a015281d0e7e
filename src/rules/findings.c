/* SPDX-License-Identifier: MIT */
/*
 * The findings list a scan yields and the list hits in it: severity names,
 * adding and dropping findings, copying and freeing hits, verdicts and
 * sorting (findings.h, ttscreen/scan.h).
 */
#include "rules/findings.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "util/mem.h"

static const char *const sev_names[] = {"info", "low", "medium", "high", "critical"};

const char *tts_severity_name(tts_severity sev)
{
    return (int)sev >= 0 && (int)sev <= TTS_SEV_CRITICAL ? sev_names[sev] : "unknown";
}

tts_status tts_severity_parse(const char *name, tts_severity *out)
{
    for (int i = 0; i <= TTS_SEV_CRITICAL; i++) {
        if (strcmp(name, sev_names[i]) == 0) {
            *out = (tts_severity)i;
            return TTS_OK;
        }
    }
    return TTS_ERR_ARG;
}

void tts_match_clear(tts_match *m)
{
    char *const s[] = {m->source,  m->entry_id,   m->name, m->matched,  m->entry_sha256,
                       m->sublist, m->entry_type, m->kind, m->severity, m->query,
                       m->queried};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        tts_free(s[i]);
    memset(m, 0, sizeof(*m));
}

/* A copy of s, or of "" when empty is NULL-worthy; *ok cleared when out of memory. */
static char *dup_or_null(const char *s, int empty_is_null, int *ok)
{
    char *d;
    if (s == NULL || (empty_is_null && s[0] == '\0'))
        return NULL;
    if ((d = tts_strdup(s)) == NULL)
        *ok = 0;
    return d;
}

int tts_match_copy(tts_match *dst, const tts_match *src)
{
    int ok = 1;
    memset(dst, 0, sizeof(*dst));
    dst->source = dup_or_null(src->source != NULL ? src->source : "", 0, &ok);
    dst->entry_id = dup_or_null(src->entry_id != NULL ? src->entry_id : "", 0, &ok);
    dst->name = dup_or_null(src->name != NULL ? src->name : "", 0, &ok);
    dst->matched = dup_or_null(src->matched != NULL ? src->matched : "", 0, &ok);
    dst->score = src->score;
    dst->name_score = src->name_score;
    dst->country_delta = src->country_delta;
    dst->exact_kept = src->exact_kept;
    dst->entry_sha256 = dup_or_null(src->entry_sha256, 0, &ok);
    dst->sublist = dup_or_null(src->sublist, 1, &ok);
    dst->entry_type = dup_or_null(src->entry_type, 1, &ok);
    dst->kind = dup_or_null(src->kind, 1, &ok);
    dst->severity = dup_or_null(src->severity, 1, &ok);
    dst->query = dup_or_null(src->query, 1, &ok);
    dst->queried = dup_or_null(src->queried, 0, &ok);
    if (!ok)
        tts_match_clear(dst);
    return ok ? 0 : -1;
}

void tts_matches_free(tts_match *m, size_t n)
{
    for (size_t i = 0; m != NULL && i < n; i++)
        tts_match_clear(&m[i]);
    tts_free(m);
}

static void finding_clear(tts_finding *f)
{
    tts_free(f->rule);
    tts_free(f->title);
    tts_free(f->citation);
    tts_free(f->message);
    tts_free(f->subject);
    tts_free(f->path); /* the ids live in the array's allocation */
    tts_matches_free(f->matches, f->n_matches);
    for (size_t i = 0; i < f->n_evidence; i++)
        tts_free(f->evidence[i]);
    tts_free(f->evidence);
    tts_free(f->cleared);
    memset(f, 0, sizeof(*f));
}

void tts_findings_free(tts_findings *f)
{
    if (f == NULL)
        return;
    for (size_t i = 0; i < f->n; i++)
        finding_clear(&f->items[i]);
    tts_free(f->items);
    tts_free(f);
}

tts_findings *tts_findings_new(void) { return tts_calloc(1, sizeof(tts_findings)); }

tts_finding *tts_findings_add(tts_findings *f)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 8;
        tts_finding *p = tts_realloc(f->items, cap * sizeof(*p));
        if (p == NULL)
            return NULL;
        f->items = p;
        f->cap = cap;
    }
    memset(&f->items[f->n], 0, sizeof(tts_finding));
    return &f->items[f->n++];
}

void tts_findings_drop_last(tts_findings *f)
{
    if (f->n > 0)
        finding_clear(&f->items[--f->n]);
}

static int cmp_finding(const void *pa, const void *pb)
{
    const tts_finding *a = pa, *b = pb;
    int c;
    if (a->severity != b->severity)
        return a->severity > b->severity ? -1 : 1;
    c = strcmp(a->rule ? a->rule : "", b->rule ? b->rule : "");
    if (c != 0)
        return c;
    c = strcmp(a->subject ? a->subject : "", b->subject ? b->subject : "");
    if (c != 0)
        return c;
    return strcmp(a->message ? a->message : "", b->message ? b->message : "");
}

void tts_findings_sort(tts_findings *f)
{
    if (f->n > 1)
        qsort(f->items, f->n, sizeof(tts_finding), cmp_finding);
}

int tts_findings_max_severity(const tts_findings *f)
{
    int max = -1;
    for (size_t i = 0; f != NULL && i < f->n; i++)
        if (f->items[i].cleared == NULL && (int)f->items[i].severity > max)
            max = (int)f->items[i].severity;
    return max;
}

const char *tts_findings_verdict(const tts_findings *f)
{
    int max = tts_findings_max_severity(f);
    if (max >= TTS_SEV_CRITICAL)
        return "blocked";
    if (max >= TTS_SEV_MEDIUM)
        return "review";
    return "clear";
}
