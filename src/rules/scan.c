/* SPDX-License-Identifier: MIT */
/*
 * Scanning a record with a rule set: every rule that applies on the as-of
 * date, evaluated over the record (eval.c), into a findings list
 * (findings.c).
 */
#include "rules/findings.h"

#include <stdlib.h>
#include <string.h>

#include "util/error.h"
#include "rules/eval.h"
#include "util/mem.h"
#include "record/model.h"
#include "rules/ruleset.h"

tts_status tts_scan_record(const tts_rules *rules, const tts_record *rec, const tts_scan_opts *opts,
                           tts_findings **out, tts_error *err)
{
    tts_findings *f = NULL;
    tts_scan_opts o;
    tts_eval ev;
    tts_date as_of;
    tts_status rc = TTS_OK;
    *out = NULL;
    if (rules == NULL || rec == NULL || opts == NULL || opts->as_of == NULL ||
        !tts_date_parse(opts->as_of, &as_of))
        return tts_err_set(err, TTS_ERR_ARG, "scan: missing rules, record or as-of date");
    /* Callers built against an older, smaller tts_scan_opts leave the newer fields unset. */
    memset(&o, 0, sizeof(o));
    memcpy(&o, opts, opts->size != 0 && opts->size < sizeof(o) ? opts->size : sizeof(o));
    f = tts_findings_new();
    if (f == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    if ((rc = tts_eval_init(&ev, rules, rec, &o, as_of, err)) != TTS_OK)
        goto out;
    for (size_t i = 0; i < rules->n_rules; i++) {
        const tts_rule *r = rules->rules[i];
        if (o.only_rule != NULL && strcmp(o.only_rule, r->id) != 0)
            continue;
        if ((rc = tts_eval_rule(&ev, r, f)) != TTS_OK)
            break;
    }
out:
    tts_eval_fini(&ev);
    if (rc != TTS_OK) {
        tts_findings_free(f);
        return rc;
    }
    tts_findings_sort(f);
    *out = f;
    return TTS_OK;
}
