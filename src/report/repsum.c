/* SPDX-License-Identifier: MIT */
/*
 * Report summaries for `ttscreen verify`: the top-level fields of
 * ttscreen-report/1 objects (format, record, verdict, rules, lists, dates),
 * everything else ignored. The JSON is read by the record module's parser
 * (record_json.h, jansson underneath), so the library has one parser for
 * untrusted JSON; input is bounded here in nesting depth, reports per file
 * and lists per report, and jansson checks every string (escapes,
 * surrogates, control characters, UTF-8).
 */
#include <string.h>

#include "record/record_json.h"
#include "ttscreen/sign.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

#define REPORT_FORMAT "ttscreen-report/1"

typedef struct summaries {
    tts_report_summary *items;
    size_t n, cap;
} summaries;

/* A copy of member key's string value into *dst; 0 when out of memory. */
static int str_of(const tts_jnode *obj, const char *key, char **dst)
{
    const char *v = tts_jnode_string(tts_jnode_member(obj, key));
    if (v == NULL)
        return 1;
    *dst = tts_strdup(v);
    return *dst != NULL;
}

static void long_of(const tts_jnode *obj, const char *key, long *dst)
{
    long v;
    if (tts_jnode_long(tts_jnode_member(obj, key), &v) && v >= 0)
        *dst = v;
}

static void list_clear(tts_report_list_summary *l)
{
    tts_free(l->source);
    tts_free(l->sha256);
    tts_free(l->version);
    memset(l, 0, sizeof(*l));
}

static void summary_clear(tts_report_summary *s)
{
    tts_free(s->format);
    tts_free(s->generated_at);
    tts_free(s->as_of);
    tts_free(s->record_id);
    tts_free(s->record_title);
    tts_free(s->verdict);
    tts_free(s->rules_sha256);
    for (size_t i = 0; i < s->n_lists; i++)
        list_clear(&s->lists[i]);
    tts_free(s->lists);
    memset(s, 0, sizeof(*s));
}

/* The objects of the report's "lists" array, in order (other values are passed over). */
static int read_lists(const tts_jnode *lists, tts_report_summary *s, tts_error *err,
                      tts_status *rc)
{
    size_t n = tts_jnode_count(lists), k = 0;
    if (n == 0)
        return 1;
    if (n > TTS_REPORT_MAX_LISTS) {
        *rc = tts_err_set(err, TTS_ERR_LIMIT, "report: more than %d lists",
                          TTS_REPORT_MAX_LISTS);
        return 0;
    }
    s->lists = tts_calloc(n, sizeof(*s->lists));
    if (s->lists == NULL)
        return 0;
    for (size_t i = 0; i < n; i++) {
        const tts_jnode *o = tts_jnode_at(lists, i);
        tts_report_list_summary *l = &s->lists[k];
        if (!tts_jnode_is_object(o))
            continue;
        l->entries = -1;
        s->n_lists = ++k;
        if (!str_of(o, "source", &l->source) || !str_of(o, "sha256", &l->sha256) ||
            !str_of(o, "fetched_at", &l->version) ||
            (l->version == NULL && !str_of(o, "imported_at", &l->version)))
            return 0;
        long_of(o, "entries", &l->entries);
    }
    return 1;
}

static tts_status one_value(void *user, const tts_jnode *v, tts_error *err)
{
    summaries *all = user;
    tts_report_summary s;
    const tts_jnode *rec, *rules;
    tts_status rc = TTS_ERR_NOMEM;
    const char *format = tts_jnode_string(tts_jnode_member(v, "format"));
    if (!tts_jnode_is_object(v))
        return tts_err_set(err, TTS_ERR_JSON, "expected a JSON object");
    if (format == NULL || strcmp(format, REPORT_FORMAT) != 0)
        return TTS_OK; /* valid JSON, not a ttscreen report */
    if (all->n >= TTS_REPORT_MAX_RECORDS)
        return tts_err_set(err, TTS_ERR_LIMIT, "report: more than %d reports",
                           TTS_REPORT_MAX_RECORDS);
    memset(&s, 0, sizeof(s));
    s.rules_count = -1;
    rec = tts_jnode_member(v, "record");
    rules = tts_jnode_member(v, "rules");
    if (str_of(v, "format", &s.format) && str_of(v, "generated_at", &s.generated_at) &&
        str_of(v, "as_of", &s.as_of) && str_of(v, "verdict", &s.verdict) &&
        str_of(rec, "id", &s.record_id) && str_of(rec, "title", &s.record_title) &&
        str_of(rules, "sha256", &s.rules_sha256) &&
        read_lists(tts_jnode_member(v, "lists"), &s, err, &rc) &&
        tts_grow(&all->items, &all->cap, all->n + 1, sizeof(*all->items))) {
        long_of(rules, "count", &s.rules_count);
        all->items[all->n++] = s;
        return TTS_OK;
    }
    summary_clear(&s);
    return rc == TTS_ERR_NOMEM ? tts_err_set(err, TTS_ERR_NOMEM, "out of memory") : rc;
}

void tts_report_summaries_free(tts_report_summary *s, size_t n)
{
    if (s == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        summary_clear(&s[i]);
    tts_free(s);
}

tts_status tts_report_summarize(const char *data, size_t len, tts_report_summary **out,
                                size_t *n, tts_error *err)
{
    summaries all = {NULL, 0, 0};
    tts_status rc;
    *out = NULL;
    *n = 0;
    rc = tts_json_each_value(data, len, "report", TTS_REPORT_MAX_DEPTH, one_value, &all, err);
    if (rc != TTS_OK) {
        tts_report_summaries_free(all.items, all.n);
        return rc;
    }
    if (all.n == 0) {
        tts_free(all.items);
        return TTS_OK;
    }
    *out = all.items;
    *n = all.n;
    return TTS_OK;
}
