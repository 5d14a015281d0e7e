/* SPDX-License-Identifier: MIT */
/*
 * A rule set (ruleset.h) as the parser and the checker build it: creation,
 * adding definitions and rules, looking a definition up, diagnostics
 * ("FILE:LINE:COL: error: ...", sent to the caller's callback and counted;
 * the first error also lands in the caller's tts_error), and the read-only
 * accessors of a compiled set. The compiler (compile.c) drives the parser
 * and the checker over it; the loader (load.c) reads the files.
 */
#include "rules/ruleset.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "rules/ops.h"
#include "rules/rx.h"
#include "rules/schema.h"
#include "ttscreen/scan.h"
#include "util/error.h"
#include "util/mem.h"

tts_rules *tts_rules_new(void)
{
    tts_rules *set = tts_calloc(1, sizeof(tts_rules));
    if (set == NULL)
        return NULL;
    set->arena = tts_arena_new();
    if (set->arena == NULL) {
        tts_free(set);
        return NULL;
    }
    return set;
}

void tts_rules_free(tts_rules *rules)
{
    if (rules == NULL)
        return;
    tts_rx_free_chain(rules->regexes);
    tts_free(rules->rules);
    tts_free(rules->defs);
    tts_arena_free(rules->arena);
    tts_free(rules);
}

size_t tts_rules_count(const tts_rules *rules) { return rules->n_rules; }

static size_t max_errors(const tts_rules_opts *opts)
{
    if (opts != NULL && opts->max_errors > 0)
        return opts->max_errors;
    return TTS_RULES_MAX_ERRORS;
}

int tts_rules_too_many(const tts_rules *set, const tts_rules_opts *opts)
{
    return set->n_errors >= max_errors(opts);
}

tts_status tts_rules_diag(tts_rules *set, const tts_rules_opts *opts, tts_error *err, int level,
                          tts_status status, const tts_src *src, int line, int col, size_t off,
                          size_t len, const char *fmt, ...)
{
    tts_error e;
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    if (level == TTS_DIAG_ERROR) {
        if (set->n_errors >= max_errors(opts))
            return status;
        set->n_errors++;
        if (set->first == TTS_OK)
            set->first = status;
    } else {
        set->n_warnings++;
    }
    tts_error_clear(&e);
    tts_err_set(&e, status, "%s:%d:%d: %s: %s", src->path, line, col,
                level == TTS_DIAG_ERROR ? "error" : "warning", msg);
    tts_err_locate(&e, src->path, line, col);
    e.offset = off;
    e.length = len;
    if (opts != NULL && opts->diag != NULL)
        opts->diag(level, &e, opts->user);
    if (level == TTS_DIAG_ERROR && err != NULL && err->status == TTS_OK)
        *err = e;
    return level == TTS_DIAG_ERROR ? status : TTS_OK;
}

tts_status tts_rules_add_def(tts_rules *set, tts_def *d)
{
    if (!tts_grow(&set->defs, &set->cap_defs, set->n_defs + 1, sizeof(*set->defs)))
        return TTS_ERR_NOMEM;
    set->defs[set->n_defs++] = d;
    return TTS_OK;
}

tts_status tts_rules_add_rule(tts_rules *set, tts_rule *r)
{
    if (!tts_grow(&set->rules, &set->cap_rules, set->n_rules + 1, sizeof(*set->rules)))
        return TTS_ERR_NOMEM;
    set->rules[set->n_rules++] = r;
    return TTS_OK;
}

tts_def *tts_rules_find_def(const tts_rules *set, const char *name, size_t len)
{
    for (size_t i = 0; i < set->n_defs; i++)
        if (strlen(set->defs[i]->name) == len && memcmp(set->defs[i]->name, name, len) == 0)
            return set->defs[i];
    return NULL;
}

tts_status tts_rules_info(const tts_rules *rules, size_t i, tts_rule_info *out)
{
    const tts_rule *r;
    if (rules == NULL || i >= rules->n_rules)
        return TTS_ERR_ARG;
    r = rules->rules[i];
    memset(out, 0, sizeof(*out));
    out->id = r->id;
    out->revision = r->revision;
    out->severity = r->severity;
    out->severity_name = tts_severity_name((tts_severity)r->severity);
    out->title = r->title;
    out->citation = r->citation;
    out->status = r->status;
    out->description = r->description;
    out->tags = r->tags.items;
    out->n_tags = r->tags.n;
    out->references = r->references.items;
    out->n_references = r->references.n;
    out->false_positives = r->false_positives.items;
    out->n_false_positives = r->false_positives.n;
    tts_date_format(r->effective_from, out->effective_from);
    tts_date_format(r->effective_until, out->effective_until);
    out->file = r->src->path;
    out->line = r->line;
    out->n_examples = r->n_examples;
    return TTS_OK;
}

tts_status tts_rules_example(const tts_rules *rules, size_t i, size_t j, tts_rule_example *out)
{
    const tts_rule *r;
    if (rules == NULL || i >= rules->n_rules || j >= rules->rules[i]->n_examples)
        return TTS_ERR_ARG;
    r = rules->rules[i];
    out->file = r->examples[j].file;
    out->expect_hit = r->examples[j].expect_hit;
    out->message = r->examples[j].message;
    out->line = r->examples[j].line;
    return TTS_OK;
}

size_t tts_rules_n_functions(void)
{
    size_t n;
    (void)tts_ops_all(&n);
    return n;
}

tts_status tts_rules_function(size_t i, tts_function_info *out)
{
    size_t n;
    const tts_builtin *b = tts_ops_all(&n);
    if (i >= n)
        return TTS_ERR_ARG;
    out->name = b[i].name;
    out->signature = b[i].signature;
    out->doc = b[i].doc;
    return TTS_OK;
}

size_t tts_rules_n_fields(void)
{
    size_t n;
    (void)tts_schema_all(&n);
    return n;
}

tts_status tts_rules_field(size_t i, tts_field_info *out)
{
    static char names[256][40];
    size_t n;
    const tts_field *f = tts_schema_all(&n);
    if (i >= n || i >= 256)
        return TTS_ERR_ARG;
    out->owner = tts_tbase_name((tts_tbase)f[i].owner);
    out->name = f[i].name;
    out->type = tts_type_name(f[i].type, names[i], sizeof(names[i]));
    out->doc = f[i].doc;
    return TTS_OK;
}
