/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the HTML report of every record the loader accepts (the
 * chain graph layout over arbitrary relation and transfer graphs, and
 * escaping of arbitrary strings). The page must never contain a <script
 * element, whatever the record says.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttscreen.h"
#include "util/buf.h"
#include "report/html.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tts_rules *g_rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/tts-fuzz-html-XXXXXX";
    tts_error err;
    (void)argc;
    (void)argv;
    tts_init();
    tts_error_clear(&err);
    if (mkdtemp(dir) == NULL || tts_rules_load_dir(dir, NULL, &g_rules, &err) != TTS_OK)
        abort();
    rmdir(dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_record *rec = NULL;
    tts_report_input in;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    if (g_rules == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    tts_error_clear(&err);
    if (tts_record_parse((const char *)data, size, "fuzz.json", &rec, &err) != TTS_OK)
        return 0;
    memset(&in, 0, sizeof(in));
    in.size = sizeof(in);
    in.tool_version = "fuzz";
    in.generated_at = "2026-01-01T00:00:00Z";
    in.as_of = "2026-01-01";
    in.record = rec;
    in.rules = g_rules;
    if (tts_html_render(&in, &b, &err) == TTS_OK) {
        tts_buf_putc(&b, '\0');
        if (!tts_buf_failed(&b) && strstr(b.data, "<script") != NULL)
            abort();
    }
    tts_buf_free(&b);
    tts_record_free(rec);
    return 0;
}
