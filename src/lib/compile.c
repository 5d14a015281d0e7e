/* SPDX-License-Identifier: MIT */
/*
 * Rule compiler entry points. This build knows no rule syntax yet: a rule
 * file that holds anything but blank lines and '#' comments is rejected
 * with its position, so no rule is ever silently ignored.
 */
#include "rules.h"

#include "error.h"
#include "mem.h"

tts_rules *tts_rules_new(void)
{
    return tts_calloc(1, sizeof(tts_rules));
}

void tts_rules_free(tts_rules *rules)
{
    tts_free(rules);
}

size_t tts_rules_count(const tts_rules *rules)
{
    return rules->n_rules;
}

tts_status tts_rules_compile_text(tts_rules *set, const char *path, const char *text, size_t len,
                                  const tts_rules_opts *opts, tts_error *err)
{
    int line = 1, col = 1, in_comment = 0;
    (void)set;
    (void)opts;
    for (size_t i = 0; i < len; i++, col++) {
        char c = text[i];
        if (c == '\n') {
            line++;
            col = 0;
            in_comment = 0;
        } else if (!in_comment && c == '#') {
            in_comment = 1;
        } else if (!in_comment && c != ' ' && c != '\t' && c != '\r') {
            tts_err_set(err, TTS_ERR_SYNTAX, "%s:%d:%d: rule syntax is not supported by this build",
                        path, line, col);
            tts_err_locate(err, path, line, col);
            return TTS_ERR_SYNTAX;
        }
    }
    return TTS_OK;
}

tts_status tts_rules_finish(tts_rules *set, const tts_rules_opts *opts, tts_error *err)
{
    (void)set;
    (void)opts;
    (void)err;
    return TTS_OK;
}
