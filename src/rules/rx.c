/* SPDX-License-Identifier: MIT */
/*
 * PCRE2 wrapper (see rx.h). Compiled codes are immutable and shared by
 * every scan; match data and the match context with its limits live in a
 * per-scan scratch object created on first use.
 */
#include "rules/rx.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <string.h>
#include <stdio.h>

#include "util/limits.h"
#include "util/mem.h"

struct tts_rx {
    struct tts_rx *next;
    pcre2_code *code;
    char *source;
};

struct tts_rx_scratch {
    pcre2_general_context *gctx;
    pcre2_match_context *mctx;
    pcre2_match_data *md;
};

static void *rx_alloc(size_t n, void *user)
{
    (void)user;
    return tts_malloc(n);
}

static void rx_free(void *p, void *user)
{
    (void)user;
    tts_free(p);
}

static uint32_t parse_flags(const char *flags)
{
    uint32_t opt = PCRE2_UTF;
    for (; *flags; flags++) {
        switch (*flags) {
        case 'i':
            opt |= PCRE2_CASELESS;
            break;
        case 'm':
            opt |= PCRE2_MULTILINE;
            break;
        case 's':
            opt |= PCRE2_DOTALL;
            break;
        case 'x':
            opt |= PCRE2_EXTENDED;
            break;
        case 'u':
            opt |= PCRE2_UCP;
            break;
        default:
            break;
        }
    }
    return opt;
}

tts_rx *tts_rx_compile(void **chain, const char *pattern, size_t len, const char *flags, char *msg,
                       size_t msg_len, size_t *erroff)
{
    pcre2_general_context *g = pcre2_general_context_create(rx_alloc, rx_free, NULL);
    pcre2_compile_context *cc = NULL;
    tts_rx *rx = NULL;
    int errcode = 0;
    PCRE2_SIZE off = 0;
    size_t flen = strlen(flags);

    *erroff = (size_t)-1;
    if (g == NULL)
        goto fail;
    cc = pcre2_compile_context_create(g);
    rx = tts_calloc(1, sizeof(*rx));
    if (cc == NULL || rx == NULL)
        goto fail;
    rx->source = tts_malloc(len + flen + 3);
    if (rx->source == NULL)
        goto fail;
    rx->source[0] = '/';
    memcpy(rx->source + 1, pattern, len);
    rx->source[len + 1] = '/';
    memcpy(rx->source + len + 2, flags, flen + 1);
    rx->code = pcre2_compile((PCRE2_SPTR)pattern, len, parse_flags(flags), &errcode, &off, cc);
    if (rx->code == NULL) {
        if (errcode == PCRE2_ERROR_NOMEMORY)
            goto fail;
        pcre2_get_error_message(errcode, (PCRE2_UCHAR *)msg, msg_len);
        *erroff = off;
        goto fail;
    }
    /* JIT is an optimisation: when unavailable the interpreter runs. */
    (void)pcre2_jit_compile(rx->code, PCRE2_JIT_COMPLETE);
    rx->next = *chain;
    *chain = rx;
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(g);
    return rx;
fail:
    if (rx != NULL) {
        tts_free(rx->source);
        tts_free(rx);
    }
    pcre2_compile_context_free(cc);
    pcre2_general_context_free(g);
    return NULL;
}

void tts_rx_free_chain(void *chain)
{
    tts_rx *rx = chain;
    while (rx != NULL) {
        tts_rx *next = rx->next;
        pcre2_code_free(rx->code);
        tts_free(rx->source);
        tts_free(rx);
        rx = next;
    }
}

const char *tts_rx_source(const tts_rx *rx) { return rx->source; }

tts_rx_scratch *tts_rx_scratch_new(void)
{
    tts_rx_scratch *s = tts_calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->gctx = pcre2_general_context_create(rx_alloc, rx_free, NULL);
    if (s->gctx != NULL) {
        s->mctx = pcre2_match_context_create(s->gctx);
        s->md = pcre2_match_data_create(1, s->gctx);
    }
    if (s->gctx == NULL || s->mctx == NULL || s->md == NULL) {
        tts_rx_scratch_free(s);
        return NULL;
    }
    pcre2_set_match_limit(s->mctx, TTS_REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, TTS_REGEX_DEPTH_LIMIT);
    return s;
}

void tts_rx_scratch_free(tts_rx_scratch *s)
{
    if (s == NULL)
        return;
    pcre2_match_data_free(s->md);
    pcre2_match_context_free(s->mctx);
    pcre2_general_context_free(s->gctx);
    tts_free(s);
}

tts_status tts_rx_match(const tts_rx *rx, tts_rx_scratch *scratch, const char *s, size_t len,
                        int *hit)
{
    int rc = pcre2_match(rx->code, (PCRE2_SPTR)s, len, 0, 0, scratch->md, scratch->mctx);
    *hit = 0;
    if (rc >= 0) {
        *hit = 1;
        return TTS_OK;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return TTS_OK;
    if (rc == PCRE2_ERROR_NOMEMORY)
        return TTS_ERR_NOMEM;
    return TTS_ERR_LIMIT; /* match/depth/heap limit, or bad UTF-8 in the subject */
}

void tts_rx_lib_version(char *out, size_t cap)
{
    char v[64] = "";
    if (pcre2_config(PCRE2_CONFIG_VERSION, NULL) <= (int)sizeof(v))
        pcre2_config(PCRE2_CONFIG_VERSION, v);
    snprintf(out, cap, "PCRE2 %s", v);
}
