/* SPDX-License-Identifier: MIT */
/*
 * Query perturbation for the recall measurements (see quality.h).
 */
#include "quality.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

uint64_t tts_q_rand(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 2685821657736338717ULL;
}

static const char *const legal_words[] = {"LTD",  "LTD.", "LIMITED", "CO.", "CO",   "COMPANY",
                                          "CORP", "CORP.", "CORPORATION", "INC", "INC.",
                                          "LLC",  "S.A.", "SA",     "GMBH", "AG",   "JSC",
                                          "OOO",  "PJSC", "OJSC",   "CJSC", "PLC",  "S.A"};

typedef struct words {
    char w[64][128];
    size_t n;
} words;

static void split(const char *s, words *ws)
{
    ws->n = 0;
    while (*s != '\0' && ws->n < 64) {
        size_t k;
        while (*s == ' ')
            s++;
        k = strcspn(s, " ");
        if (k == 0)
            break;
        if (k > 127)
            k = 127;
        memcpy(ws->w[ws->n], s, k);
        ws->w[ws->n][k] = '\0';
        ws->n++;
        s += strcspn(s, " ");
    }
}

static void join(const words *ws, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < ws->n; i++) {
        if (ws->w[i][0] == '\0')
            continue;
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", len > 0 ? " " : "",
                                ws->w[i]);
        if (len >= cap)
            break;
    }
}

static int is_legal(const char *w)
{
    char up[128];
    size_t n = strlen(w);
    while (n > 0 && w[n - 1] == ',')
        n--;
    if (n >= sizeof(up))
        return 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (char)toupper((unsigned char)w[i]);
    up[n] = '\0';
    for (size_t i = 0; i < sizeof(legal_words) / sizeof(legal_words[0]); i++)
        if (strcmp(up, legal_words[i]) == 0)
            return 1;
    return 0;
}

/* A token index with at least min_len letters, or -1. */
static int pick_word(const words *ws, uint64_t *st, size_t min_len)
{
    for (int tries = 0; tries < 8; tries++) {
        size_t i = (size_t)(tts_q_rand(st) % (ws->n > 0 ? ws->n : 1));
        size_t letters = 0;
        for (const char *p = ws->w[i]; *p; p++)
            letters += isalpha((unsigned char)*p) != 0;
        if (ws->n > 0 && letters >= min_len)
            return (int)i;
    }
    return -1;
}

static void perturb_once(words *ws, uint64_t *st)
{
    int kind = (int)(tts_q_rand(st) % 4), i;
    if (kind == 3) {
        int removed = 0;
        for (size_t k = 0; k < ws->n; k++)
            if (ws->n > 1 && is_legal(ws->w[k])) {
                ws->w[k][0] = '\0';
                removed = 1;
            }
        if (removed)
            return;
        kind = 0;
    }
    if (kind == 2 && ws->n >= 2) {
        size_t a = (size_t)(tts_q_rand(st) % ws->n), b = (a + 1) % ws->n;
        char tmp[128];
        memcpy(tmp, ws->w[a], sizeof(tmp));
        memcpy(ws->w[a], ws->w[b], sizeof(tmp));
        memcpy(ws->w[b], tmp, sizeof(tmp));
        return;
    }
    i = pick_word(ws, st, kind == 1 ? 4 : 2);
    if (i < 0)
        return;
    {
        char *w = ws->w[i];
        size_t n = strlen(w), p = (size_t)(tts_q_rand(st) % n);
        if (kind == 1) {
            while (p < n && !isalpha((unsigned char)w[p]))
                p++;
            if (p < n)
                memmove(w + p, w + p + 1, n - p);
        } else {
            if (p + 1 >= n)
                p = n >= 2 ? n - 2 : 0;
            if (n >= 2 && isalpha((unsigned char)w[p]) && isalpha((unsigned char)w[p + 1])) {
                char c = w[p];
                w[p] = w[p + 1];
                w[p + 1] = c;
            }
        }
    }
}

void tts_q_perturb(const char *name, uint64_t *st, char *out, size_t cap)
{
    words ws;
    int times = (tts_q_rand(st) % 10) < 3 ? 2 : 1;
    split(name, &ws);
    for (int k = 0; k < times; k++)
        perturb_once(&ws, st);
    join(&ws, out, cap);
    if (out[0] == '\0')
        snprintf(out, cap, "%s", name);
}
