/* SPDX-License-Identifier: MIT */
/*
 * The one screening path (see tts_screen_record in ttscreen/cases.h):
 * as-of date, rules with the lists, reviewers' decisions, report input and
 * the stored screening, the same for `screen`, `rescreen` and batches.
 */
#include "ttscreen/cases.h"

#include <stdio.h>
#include <string.h>

#include "ttscreen/lists.h"
#include "cases/cases_int.h"
#include "util/error.h"
#include "util/mem.h"

void tts_screen_result_clear(tts_screen_result *res)
{
    if (res == NULL)
        return;
    tts_findings_free(res->findings);
    tts_free(res->stored_jsonl);
    memset(res, 0, sizeof(*res));
}

/* Store the screening with the JSONL report tts_screen_evaluate rendered. */
static tts_status store(const tts_screen_opts *o, const tts_screen_result *res, tts_error *err)
{
    tts_screening_info si;
    memset(&si, 0, sizeof(si));
    si.size = sizeof(si);
    si.at = o->at;
    si.actor = o->actor;
    si.as_of = res->as_of;
    si.record = res->report.record;
    si.rules = o->rules;
    si.findings = res->findings;
    si.lists = res->report.lists;
    si.n_lists = res->report.n_lists;
    si.report_jsonl = res->stored_jsonl;
    si.rescreen = o->rescreen;
    return tts_cases_store(o->cases, &si, err);
}

/* The options with the caller's size honoured (fields past it stay zero). */
static void opts_of(const tts_screen_opts *given, tts_screen_opts *o)
{
    memset(o, 0, sizeof(*o));
    memcpy(o, given, given->size != 0 && given->size < sizeof(*o) ? given->size : sizeof(*o));
}

tts_status tts_screen_evaluate(const tts_screen_opts *given, const tts_record *rec,
                               tts_screen_result *res, tts_error *err)
{
    tts_screen_opts o;
    tts_scan_opts so;
    tts_case_decisions *dec = NULL;
    const char *as_of;
    tts_status rc;

    memset(res, 0, sizeof(*res));
    opts_of(given, &o);
    if (o.rules == NULL || o.today == NULL || o.at == NULL || rec == NULL)
        return tts_err_set(err, TTS_ERR_ARG, "screening: rules, record and dates are required");
    if (o.lists == NULL && !o.no_lists)
        /* fail closed: a screening without lists must say so, never pass as a full one */
        return tts_err_set(err, TTS_ERR_ARG,
                           "screening: no lists given (consult lists, or ask for no lists)");
    if (o.store && (o.cases == NULL || o.actor == NULL))
        return tts_err_set(err, TTS_ERR_ARG, "screening: storing needs the case file and actor");
    as_of = o.as_of != NULL ? o.as_of : tts_record_as_of(rec) != NULL ? tts_record_as_of(rec)
                                                                       : o.today;
    snprintf(res->as_of, sizeof(res->as_of), "%s", as_of);
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = res->as_of;
    if (!o.no_lists) {
        so.lookup = tts_lists_lookup;
        so.lookup_user = o.lists;
        so.lookup_ident = tts_lists_lookup_ident;
        so.lookup_ident_user = o.lists;
        so.lookup_algo = tts_lists_lookup_algo;
        so.lookup_query = tts_lists_lookup_query;
    }
    /* the decisions first: the entries' content hashes are wanted by a stored screening
       (its finding rows) and by a decision (cleared while the entry is unchanged) only */
    if (o.cases != NULL)
        TTS_TRY(tts_cases_decisions_load(o.cases, tts_record_id(rec), &dec, err));
    so.skip_entry_hash = !o.store && tts_case_decisions_count(dec) == 0;
    TTS_TRY(tts_scan_record(o.rules, rec, &so, &res->findings, err));
    TTS_TRY(tts_case_decisions_apply(dec, res->findings, err));
    res->report.size = sizeof(res->report);
    res->report.tool_version = o.tool_version;
    res->report.generated_at = o.at;
    res->report.as_of = res->as_of;
    res->report.record = rec;
    res->report.rules = o.rules;
    res->report.findings = res->findings;
    res->report.lists = o.no_lists ? NULL : o.list_info;
    res->report.n_lists = o.no_lists ? 0 : o.n_lists;
    res->report.no_lists = o.no_lists;
    if (o.store)
        TTS_TRY(tts_report_render(&res->report, TTS_FORMAT_JSONL, &res->stored_jsonl,
                                  &res->stored_len, err));
out:
    tts_case_decisions_free(dec);
    if (rc != TTS_OK)
        tts_screen_result_clear(res);
    return rc;
}

tts_status tts_screen_complete(const tts_screen_opts *given, const tts_record *rec,
                               tts_screen_result *res, tts_error *err)
{
    tts_screen_opts o;
    tts_status rc = TTS_OK;

    opts_of(given, &o);
    if (res->findings == NULL || rec == NULL || (o.store && res->stored_jsonl == NULL))
        return tts_err_set(err, TTS_ERR_ARG, "screening: nothing evaluated to complete");
    if (o.store)
        TTS_TRY(store(&o, res, err));
out:
    if (rc != TTS_OK)
        tts_screen_result_clear(res);
    return rc;
}

tts_status tts_screen_record(const tts_screen_opts *o, const tts_record *rec,
                             tts_screen_result *res, tts_error *err)
{
    tts_status rc = tts_screen_evaluate(o, rec, res, err);
    return rc != TTS_OK ? rc : tts_screen_complete(o, rec, res, err);
}
