/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: counterparty sheets (search --batch input). The first input
 * byte picks the format (csv, tsv, jsonl, xlsx) and whether the encoding is
 * detected or given; the rest is the file. Every row of an accepted sheet is
 * read to the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char g_file[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/tts-fuzz-sheet-XXXXXX";
    (void)argc;
    (void)argv;
    tts_init();
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(g_file, sizeof(g_file), "%s/in", dir);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = {"csv", "tsv", "jsonl", "xlsx"};
    static const char *const encodings[] = {NULL, "utf-8", "shift_jis", "euc-jp", "utf-16"};
    tts_sheet_opts o;
    tts_sheet *s = NULL;
    tts_error err;
    const char *const *cells;
    long row;
    FILE *fp;

    if (g_file[0] == '\0')
        LLVMFuzzerInitialize(NULL, NULL);
    if (size < 1)
        return 0;
    fp = fopen(g_file, "wb");
    if (fp == NULL)
        return 0;
    fwrite(data + 1, 1, size - 1, fp);
    fclose(fp);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.format = formats[data[0] % 4];
    o.encoding = encodings[(data[0] / 4) % 5];
    tts_error_clear(&err);
    if (tts_sheet_open(g_file, &o, &s, &err) != TTS_OK)
        return 0;
    for (size_t i = 0; i < tts_sheet_n_columns(s); i++)
        if (tts_sheet_column(s, i) == NULL)
            abort();
    while (tts_sheet_next(s, &cells, &row, &err) == TTS_OK)
        for (size_t i = 0; i < tts_sheet_n_columns(s); i++)
            if (cells[i] == NULL)
                abort();
    tts_sheet_close(s);
    return 0;
}
