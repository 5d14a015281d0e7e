/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: name normalisation through transliteration and the legal
 * forms, then scoring. The first byte chooses the flags (bit 0: a person)
 * and whether the rest is also parsed as a legal-forms table (bit 1); the
 * rest is the name, any bytes. A name that normalises is normalised again
 * (same result), scored against itself (1.0 unless empty) and against a
 * few fixed names in several scripts, both ways round. Everything is freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const g_names[] = {
    "Владимир Путин", "宁德时代新能源科技股份有限公司", "Toyota K.K.", "محمد علي",
    "MADURO MOROS, Nicolas", "J Smith", "Gazprom Neft OAO",
};
static tts_nname g_n[sizeof(g_names) / sizeof(g_names[0])];
static int g_ready; /* libFuzzer calls LLVMFuzzerInitialize; the replay driver does not */

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tts_error err;
    (void)argc;
    (void)argv;
    if (g_ready)
        return 0;
    g_ready = 1;
    tts_init();
    for (size_t i = 0; i < sizeof(g_names) / sizeof(g_names[0]); i++)
        if (tts_names_normalize(g_names[i], strlen(g_names[i]), 0, &g_n[i], &err) != TTS_OK)
            abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_nname a, b;
    tts_error err;
    unsigned flags;
    const char *s;
    size_t n;
    LLVMFuzzerInitialize(NULL, NULL);
    if (size == 0)
        return 0;
    flags = data[0] & 1u ? TTS_NAME_PERSON : 0;
    s = (const char *)data + 1;
    n = size - 1;
    if (data[0] & 2u) {
        size_t forms = 0;
        tts_error_clear(&err);
        (void)tts_names_legal_check(s, n, &forms, &err);
    }
    tts_error_clear(&err);
    if (tts_names_normalize(s, n, flags, &a, &err) != TTS_OK)
        return 0;
    if (tts_names_normalize(s, n, flags, &b, &err) != TTS_OK || strcmp(a.tokens, b.tokens) != 0 ||
        strcmp(a.legal, b.legal) != 0 || strcmp(a.glued, b.glued) != 0)
        abort(); /* the same name must always give the same form */
    if ((a.tokens[0] != '\0' || a.glued[0] != '\0') && tts_nameidx_score_pair(&a, &b) < 0.999)
        abort();
    for (size_t i = 0; i < sizeof(g_names) / sizeof(g_names[0]); i++) {
        double x = tts_nameidx_score_pair(&a, &g_n[i]), y = tts_nameidx_score_pair(&g_n[i], &a);
        if (!(x >= 0.0 && x <= 1.0 && y >= 0.0 && y <= 1.0))
            abort();
    }
    tts_nname_clear(&a);
    tts_nname_clear(&b);
    return 0;
}
