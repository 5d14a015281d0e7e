/* SPDX-License-Identifier: MIT */
/*
 * The findings list a scan yields and the list hits in it: severity names,
 * adding and dropping findings, copying and freeing hits, verdicts and
 * sorting (findings.h, ttscreen/scan.h).
 */
#include "rules/findings.h"

#include <stdlib.h>
#include <stddef.h>
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

/*
 * Every string of a match, with what a copy makes of a NULL or empty value:
 * the names are never NULL ("" instead), optional facts stay NULL and an
 * empty one becomes NULL, the rest are copied as they are. The one list
 * that clear, copy and the evaluator's arena copy go by.
 */
#define NEVER_NULL 1
#define EMPTY_IS_NULL 2
static const struct {
    size_t off;
    unsigned char how;
} match_strings[] = {
    {offsetof(tts_match, source), NEVER_NULL},
    {offsetof(tts_match, entry_id), NEVER_NULL},
    {offsetof(tts_match, name), NEVER_NULL},
    {offsetof(tts_match, matched), NEVER_NULL},
    {offsetof(tts_match, entry_sha256), 0},
    {offsetof(tts_match, sublist), EMPTY_IS_NULL},
    {offsetof(tts_match, entry_type), EMPTY_IS_NULL},
    {offsetof(tts_match, kind), EMPTY_IS_NULL},
    {offsetof(tts_match, severity), EMPTY_IS_NULL},
    {offsetof(tts_match, query), EMPTY_IS_NULL},
    {offsetof(tts_match, queried), 0},
    {offsetof(tts_match, name_kind), EMPTY_IS_NULL},
    {offsetof(tts_match, country), EMPTY_IS_NULL},
    {offsetof(tts_match, programs), EMPTY_IS_NULL},
    {offsetof(tts_match, why), EMPTY_IS_NULL},
    {offsetof(tts_match, listed_on), EMPTY_IS_NULL},
    {offsetof(tts_match, source_url), EMPTY_IS_NULL},
    {offsetof(tts_match, citation), EMPTY_IS_NULL},
};
#define N_MATCH_STRINGS (sizeof(match_strings) / sizeof(match_strings[0]))

static char **match_string(tts_match *m, size_t i)
{
    return (char **)(void *)((char *)m + match_strings[i].off);
}

static const char *match_string_of(const tts_match *m, size_t i)
{
    return *(char *const *)(const void *)((const char *)m + match_strings[i].off);
}

void tts_match_clear(tts_match *m)
{
    for (size_t i = 0; i < N_MATCH_STRINGS; i++)
        tts_free(*match_string(m, i));
    memset(m, 0, sizeof(*m));
}

/* What a copy of string i of src holds: "" for a NULL name, NULL for an empty optional fact. */
static const char *copied_value(const tts_match *src, size_t i)
{
    const char *v = match_string_of(src, i);
    if (v == NULL && (match_strings[i].how & NEVER_NULL))
        return "";
    if (v != NULL && v[0] == '\0' && (match_strings[i].how & EMPTY_IS_NULL))
        return NULL;
    return v;
}

/* The fields of a match that are not strings: a copy takes them as they are. */
static void copy_scalars(tts_match *dst, const tts_match *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->score = src->score;
    dst->name_score = src->name_score;
    dst->country_delta = src->country_delta;
    dst->exact_kept = src->exact_kept;
    dst->ident_delta = src->ident_delta;
}

int tts_match_copy(tts_match *dst, const tts_match *src)
{
    copy_scalars(dst, src);
    for (size_t i = 0; i < N_MATCH_STRINGS; i++) {
        const char *v = copied_value(src, i);
        if (v != NULL && (*match_string(dst, i) = tts_strdup(v)) == NULL) {
            tts_match_clear(dst);
            return -1;
        }
    }
    return 0;
}

int tts_match_copy_to(tts_match *dst, const tts_match *src, char *(*dup)(void *ctx, const char *s),
                      void *ctx)
{
    copy_scalars(dst, src);
    for (size_t i = 0; i < N_MATCH_STRINGS; i++) {
        const char *v = copied_value(src, i);
        if (v != NULL && (*match_string(dst, i) = dup(ctx, v)) == NULL)
            return -1;
    }
    return 0;
}

size_t tts_findings_count(const tts_findings *f)
{
    return f != NULL ? f->n : 0;
}

const tts_finding *tts_findings_get(const tts_findings *f, size_t i)
{
    return f != NULL && i < f->n ? &f->items[i] : NULL;
}

tts_finding *tts_findings_edit(tts_findings *f, size_t i)
{
    return f != NULL && i < f->n ? &f->items[i] : NULL;
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
    if (!tts_grow(&f->items, &f->cap, f->n + 1, sizeof(*f->items)))
        return NULL;
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
