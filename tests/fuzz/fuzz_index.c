/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: a stored search index read back from damaged bytes. A name
 * index over a fixed set of names (every kind of token: short, long, Han,
 * kana, numbers, legal forms) is built and serialised once; each input
 * damages a copy of those bytes (first byte: how many bytes to cut from
 * the end; then 5-byte patches: a little-endian offset and a byte to put
 * there) and hands it to tts_nameidx_adopt. An index it accepts is searched
 * with a few queries, indexed and exhaustive, and with the token cache of
 * 4 slots, so that stored bytes the checks let through are probed too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/mem.h"
#include "lists/match/nameidx.h"
#include "lists/match/names.h"
#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const g_names[] = {
    "Contemporary Amperex Technology Co., Limited",
    "宁德时代新能源科技股份有限公司",
    "Banco Nacional de Cuba",
    "AEROCARIBBEAN AIRLINES",
    "JSC ARGUMENT",
    "Deutsche Bank AG",
    "China Electronics Technology Group Corporation 13th Research Institute (CETC 13)",
    "ＣＡＴＬ",
    "株式会社東芝",
    "ｶﾞｽ",
    "AL-QAIDA",
    "Mohammed Ali Hassan",
    "Supercalifragilisticexpialidociousnesses Trading",
    "Rosoboroneksport OAO",
    "GOLD STAR 3",
    "A",
};

static const char *const g_queries[] = {"Contemporary Amperex Tech", "Banco Nacional Kuba",
                                        "JSCARGUMENT", "寧德時代", "Mohamed Ali", "CETC 13",
                                        "supercalifragilistic", "x"};

static unsigned char *g_good;
static size_t g_n;
static tts_nname g_q[sizeof(g_queries) / sizeof(g_queries[0])];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    tts_nameidx *x;
    tts_buf out = TTS_BUF_INIT;
    tts_error err;
    (void)argc;
    (void)argv;
    tts_init();
    tts_error_clear(&err);
    x = tts_nameidx_new();
    if (x == NULL)
        abort();
    for (size_t i = 0; i < sizeof(g_names) / sizeof(g_names[0]); i++) {
        tts_nname n;
        if (tts_names_normalize(g_names[i], strlen(g_names[i]), 0, &n, &err) != TTS_OK ||
            tts_nameidx_add(x, (uint32_t)i, n.tokens, n.legal, n.glued, &err) != TTS_OK)
            abort();
        tts_nname_clear(&n);
    }
    if (tts_nameidx_finish(x, &err) != TTS_OK || tts_nameidx_serialize(x, &out, &err) != TTS_OK)
        abort();
    g_n = out.len;
    g_good = (unsigned char *)tts_buf_steal(&out, NULL);
    if (g_good == NULL)
        abort();
    tts_nameidx_free(x);
    for (size_t i = 0; i < sizeof(g_queries) / sizeof(g_queries[0]); i++)
        if (tts_names_normalize(g_queries[i], strlen(g_queries[i]), 0, &g_q[i], &err) != TTS_OK)
            abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n, cut;
    unsigned char *b;
    tts_nameidx *x = NULL;
    tts_error err;
    if (g_good == NULL)
        LLVMFuzzerInitialize(NULL, NULL);
    cut = size > 0 ? data[0] : 0;
    n = cut < g_n ? g_n - cut : 0;
    b = tts_malloc(n > 0 ? n : 1);
    if (b == NULL)
        return 0;
    memcpy(b, g_good, n);
    for (size_t i = 1; i + 5 <= size && n > 0; i += 5) {
        uint32_t at = (uint32_t)data[i] | (uint32_t)data[i + 1] << 8 |
                      (uint32_t)data[i + 2] << 16 | (uint32_t)data[i + 3] << 24;
        b[at % n] = data[i + 4];
    }
    tts_error_clear(&err);
    if (tts_nameidx_adopt(b, 0, n, (uint32_t)(sizeof(g_names) / sizeof(g_names[0])), &x, &err) !=
        TTS_OK) {
        tts_free(b);
        return 0;
    }
    tts_nameidx_set_token_cache(x, 4);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < sizeof(g_queries) / sizeof(g_queries[0]); i++) {
            tts_nameidx_hit *h = NULL;
            size_t nh = 0;
            tts_error_clear(&err);
            if (tts_nameidx_search(x, &g_q[i], 0.5, pass == 1 && i % 2 == 0, NULL, NULL, &h, &nh,
                                   &err) == TTS_OK)
                tts_free(h);
        }
    tts_nameidx_free(x);
    return 0;
}
