/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the list importers and name matching. The first input byte
 * modulo 5 picks the format (csl-csv, sdn-csv, dpl-tsv, ttscreen-csv,
 * csl-json: a leading 'c' selects csl-json); the rest is the file. An accepted file is imported into a scratch database and its
 * own first bytes are searched as a name; every input is also normalised
 * as a name.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lists/match/names.h"
#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static tts_lists *g_lists;
static char g_file[64];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    char dir[] = "/tmp/tts-fuzz-lists-XXXXXX", db[96];
    tts_error err;
    (void)argc;
    (void)argv;
    tts_init();
    tts_error_clear(&err);
    if (mkdtemp(dir) == NULL)
        abort();
    snprintf(db, sizeof(db), "%s/f.db", dir);
    snprintf(g_file, sizeof(g_file), "%s/in.txt", dir);
    if (tts_lists_open(db, 0, &g_lists, &err) != TTS_OK)
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const formats[] = {"csl-csv", "sdn-csv", "dpl-tsv", "ttscreen-csv",
                                          "csl-json"};
    const char *files[1] = {g_file};
    tts_search_result *r = NULL;
    tts_search_opts so;
    tts_import_result res;
    tts_nname nn;
    tts_error err;
    FILE *fp;

    if (g_lists == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    tts_error_clear(&err);
    memset(&nn, 0, sizeof(nn));
    if (tts_names_normalize((const char *)data, size, 0, &nn, &err) == TTS_OK)
        tts_nname_clear(&nn);
    if (size < 1)
        return 0;
    fp = fopen(g_file, "wb");
    if (fp == NULL)
        return 0;
    fwrite(data + 1, 1, size - 1, fp);
    fclose(fp);
    tts_error_clear(&err);
    if (tts_lists_import(g_lists, "fuzz", formats[data[0] % 5], files, 1,
                         "2026-01-01T00:00:00Z", &res, &err) == TTS_OK) {
        memset(&so, 0, sizeof(so));
        so.size = sizeof(so);
        so.threshold = 0.5;
        so.limit = 5;
        so.explain = 1;
        char name[41];
        size_t n = size - 1 < 40 ? size - 1 : 40;
        memcpy(name, data + 1, n);
        name[n] = '\0';
        tts_error_clear(&err);
        if (tts_lists_search(g_lists, name, &so, &r, &err) == TTS_OK)
            tts_search_result_free(r);
    }
    return 0;
}
