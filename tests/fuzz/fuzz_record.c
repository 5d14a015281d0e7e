/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the record loader (one object and JSON Lines through the
 * streaming reader) and report rendering of every record it accepts.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tts_rules *g_rules;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/tts-fuzz-rules-XXXXXX";
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

static void render(const tts_record *rec)
{
    tts_report_input in;
    tts_findings *f = NULL;
    tts_scan_opts so;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = "2026-01-01";
    tts_error_clear(&err);
    if (tts_scan_record(g_rules, rec, &so, &f, &err) != TTS_OK)
        return;
    memset(&in, 0, sizeof(in));
    in.size = sizeof(in);
    in.tool_version = "fuzz";
    in.generated_at = "2026-01-01T00:00:00Z";
    in.as_of = "2026-01-01";
    in.record = rec;
    in.rules = g_rules;
    in.findings = f;
    for (int fmt = TTS_FORMAT_TEXT; fmt <= TTS_FORMAT_HTML; fmt++) {
        if (tts_report_render(&in, (tts_format)fmt, &out, &len, &err) == TTS_OK)
            tts_free(out);
    }
    tts_findings_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_record *rec = NULL;
    tts_reader *rd = NULL;
    tts_error err;
    FILE *fp;
    int n = 0;

    if (g_rules == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    tts_error_clear(&err);
    if (tts_record_parse((const char *)data, size, "fuzz.json", &rec, &err) == TTS_OK) {
        render(rec);
        tts_record_free(rec);
    }
    if (size == 0)
        return 0;
    fp = fmemopen((void *)(uintptr_t)data, size, "rb");
    if (fp == NULL)
        return 0;
    if (tts_reader_open(fp, "fuzz.jsonl", &rd, &err) == TTS_OK) {
        for (;;) {
            tts_status rc;
            tts_error_clear(&err);
            rc = tts_reader_next(rd, &rec, &err);
            if (rc == TTS_ERR_EOF || ++n > 10000)
                break;
            if (rc == TTS_OK)
                tts_record_free(rec);
        }
        tts_reader_free(rd);
    }
    fclose(fp);
    return 0;
}
