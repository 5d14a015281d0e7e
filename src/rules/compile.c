/* SPDX-License-Identifier: MIT */
/*
 * Rule-set compilation: each file's text is copied into the set's arena
 * and parsed (parse.c); once every file is in, tts_rules_finish resolves
 * names across files and type-checks everything against the record schema
 * (check.c). The set itself, its diagnostics and its accessors are in
 * ruleset.c, below the parser and the checker that build it.
 */
#include "rules/ruleset.h"

#include <string.h>

#include "rules/check.h"
#include "util/error.h"
#include "rules/parse.h"
#include "sign/ossl.h"

tts_status tts_rules_compile_text(tts_rules *set, const char *path, const char *text, size_t len,
                                  const tts_rules_opts *opts, tts_error *err)
{
    tts_src *src = tts_arena_alloc(set->arena, sizeof(tts_src));
    char *copy = tts_arena_alloc(set->arena, len + 1);
    if (src == NULL || copy == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    memcpy(copy, text, len);
    copy[len] = '\0';
    src->path = tts_arena_strdup(set->arena, path);
    if (src->path == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    src->text = copy;
    src->len = len;
    if (memchr(text, '\0', len) != NULL)
        return tts_rules_diag(set, opts, err, TTS_DIAG_ERROR, TTS_ERR_SYNTAX, src, 1, 1, 0, 0,
                              "rule file contains a NUL byte");
    return tts_parse_file(set, src, opts, err);
}

tts_status tts_rules_finish(tts_rules *set, const tts_rules_opts *opts, tts_error *err)
{
    tts_status rc;
    if (set->finished)
        return set->first;
    set->finished = 1;
    if (set->n_rules > TTS_RULES_MAX_RULES)
        return tts_err_set(err, TTS_ERR_LIMIT,
                           "rule set holds %zu rules, more than the limit of %d", set->n_rules,
                           TTS_RULES_MAX_RULES);
    rc = tts_check_set(set, opts, err);
    if (rc == TTS_OK && set->first != TTS_OK)
        rc = set->first;
    return rc;
}

tts_status tts_rules_compile_string(const char *text, size_t len, const char *name,
                                    const tts_rules_opts *opts, tts_rules **out, tts_error *err)
{
    tts_rules *set = tts_rules_new();
    tts_status rc, rc2;
    *out = NULL;
    if (set == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    rc = tts_rules_compile_text(set, name, text, len, opts, err);
    if (rc == TTS_ERR_NOMEM)
        goto out;
    rc2 = tts_rules_finish(set, opts, err);
    if (rc == TTS_OK)
        rc = rc2;
    if (rc == TTS_OK)
        rc = tts_sha256_hex(text, len, set->sha256, err);
    if (rc == TTS_OK) {
        set->n_files = 1;
        *out = set;
        set = NULL;
    }
out:
    tts_rules_free(set);
    return rc;
}
