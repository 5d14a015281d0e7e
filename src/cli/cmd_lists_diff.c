/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen lists diff SOURCE [--from V] [--to V] [--format text|json]`:
 * what an import changed (entries added, removed and changed by their
 * content hash), and the one-line summary `lists import` and `lists update`
 * print after each import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* A version number given to --opt: 0, or -1 with an error printed. */
static int version_arg(const char *opt, const char *s, long *out)
{
    char *end = NULL;
    long v;
    if (s == NULL) {
        *out = TTS_LIST_VERSION_NONE;
        return 0;
    }
    v = strtol(s, &end, 10);
    if (s[0] == '\0' || end == NULL || *end != '\0' || v < 0 || v > 1000000000L) {
        cli_error("lists diff: --%s '%s' is not a version number (0, 1, 2, ...)", opt, s);
        return -1;
    }
    *out = v;
    return 0;
}

int cli_lists_diff(const char *db, char **ops, size_t n_ops, const char *format, const char *from,
                   const char *to)
{
    tts_lists *l = NULL;
    tts_list_diff *d = NULL;
    tts_format fmt = TTS_FORMAT_TEXT;
    tts_error err;
    char *text = NULL;
    size_t len = 0;
    long vf = 0, vt = 0;
    int rc = EXIT_ERROR;
    tts_error_clear(&err);
    if (n_ops != 2) {
        cli_error("lists diff: expected one SOURCE (see 'ttscreen lists --help')");
        return EXIT_ERROR;
    }
    if (format != NULL && (tts_format_parse(format, &fmt) != TTS_OK ||
                           (fmt != TTS_FORMAT_TEXT && fmt != TTS_FORMAT_JSON))) {
        cli_error("lists diff: unknown --format '%s' (expected text or json)", format);
        return EXIT_ERROR;
    }
    if (version_arg("from", from, &vf) != 0 || version_arg("to", to, &vt) != 0)
        return EXIT_ERROR;
    if (tts_lists_open(cli_db_path(db), TTS_LISTS_READONLY, &l, &err) != TTS_OK ||
        tts_lists_diff(l, ops[1], vf, vt, &d, &err) != TTS_OK ||
        tts_list_diff_render(d, fmt, &text, &len, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("standard output: write error");
        goto out;
    }
    rc = EXIT_CLEAN;
out:
    tts_free(text);
    tts_list_diff_free(d);
    tts_lists_close(l);
    return rc;
}

void cli_list_summary(tts_lists *l, const char *source)
{
    tts_list_diff *d = NULL;
    tts_error err;
    char line[128];
    tts_error_clear(&err);
    if (tts_lists_diff(l, source, TTS_LIST_VERSION_NONE, TTS_LIST_VERSION_NONE, &d, &err) !=
        TTS_OK) {
        cli_report(&err);
        return;
    }
    tts_list_diff_summary(d, line, sizeof(line));
    printf("%s: %s\n", source, line);
    tts_list_diff_free(d);
}
