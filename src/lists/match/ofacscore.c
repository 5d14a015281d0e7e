/* SPDX-License-Identifier: MIT */
/*
 * The OFAC-compatible score (see ofacscore.h): whole-string Jaro-Winkler
 * and the composite of name parts compared by Jaro-Winkler and Soundex.
 */
#include "lists/match/ofacscore.h"

#include <math.h>
#include <string.h>

#include "lists/match/namescore.h"

/* Soundex digit of a lower-case letter; 0 for vowels, h, w, y and others. */
static char sdx_digit(char c)
{
    switch (c) {
    case 'b': case 'f': case 'p': case 'v':
        return '1';
    case 'c': case 'g': case 'j': case 'k': case 'q': case 's': case 'x': case 'z':
        return '2';
    case 'd': case 't':
        return '3';
    case 'l':
        return '4';
    case 'm': case 'n':
        return '5';
    case 'r':
        return '6';
    default:
        return 0;
    }
}

int tts_ofac_soundex(const char *s, size_t n, char out[5])
{
    size_t k = 0;
    char last = 0;
    memcpy(out, "0000", 5);
    for (size_t i = 0; i < n && k < 4; i++) {
        char c = s[i];
        char d;
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z')
            continue;
        d = sdx_digit(c);
        if (k == 0) {
            out[k++] = (char)(c - 'a' + 'A');
            last = d;
            continue;
        }
        if (d != 0 && d != last)
            out[k++] = d;
        if (c != 'h' && c != 'w') /* a vowel parts equal codes; h and w do not */
            last = d;
    }
    return k > 0;
}

#define OFAC_MAX_PARTS 64

typedef struct parts {
    const char *s[OFAC_MAX_PARTS];
    size_t l[OFAC_MAX_PARTS];
    char sdx[OFAC_MAX_PARTS][5];
    int has_sdx[OFAC_MAX_PARTS];
    size_t n;
} parts;

static void split(const char *s, parts *p)
{
    p->n = 0;
    while (*s != '\0' && p->n < OFAC_MAX_PARTS) {
        size_t k;
        while (*s == ' ')
            s++;
        k = strcspn(s, " ");
        if (k == 0)
            break;
        p->s[p->n] = s;
        p->l[p->n] = k;
        p->has_sdx[p->n] = tts_ofac_soundex(s, k, p->sdx[p->n]);
        p->n++;
        s += k;
    }
}

/* Best similarity of query part i with a part of n, and which part (or n->n). */
static double part_best(const parts *q, size_t i, const parts *n, size_t *which)
{
    double best = 0.0;
    *which = n->n;
    for (size_t j = 0; j < n->n; j++) {
        double s = tts_namescore_jw(q->s[i], q->l[i], n->s[j], n->l[j]);
        if (q->has_sdx[i] && n->has_sdx[j] && memcmp(q->sdx[i], n->sdx[j], 4) == 0)
            s += (1.0 - s) * OFAC_SOUNDEX_SHARE;
        if (s > best) {
            best = s;
            *which = j;
        }
    }
    return best < OFAC_PART_MIN ? 0.0 : best;
}

/* Does the part take part in the composite (see ofacscore.h)? */
static int part_used(const parts *q, size_t i, int any_long)
{
    return !any_long || q->l[i] > OFAC_SHORT_PART;
}

static int any_long_part(const parts *q)
{
    for (size_t i = 0; i < q->n; i++)
        if (q->l[i] > OFAC_SHORT_PART)
            return 1;
    return 0;
}

double tts_ofac_score(const char *q, const char *name, tts_ofac_detail *d)
{
    parts pq, pn;
    tts_ofac_detail tmp;
    double sum = 0.0;
    int any_long;
    if (d == NULL)
        d = &tmp;
    memset(d, 0, sizeof(*d));
    split(q, &pq);
    split(name, &pn);
    any_long = any_long_part(&pq);
    for (size_t i = 0; i < pq.n; i++) {
        size_t which;
        if (!part_used(&pq, i, any_long))
            continue;
        sum += part_best(&pq, i, &pn, &which);
        d->n_used++;
    }
    d->n_parts = pq.n;
    d->parts = d->n_used > 0 ? sum / (double)d->n_used : 0.0;
    d->whole = tts_namescore_jw(q, strlen(q), name, strlen(name));
    d->score = floor(100.0 * (d->whole > d->parts ? d->whole : d->parts) + 0.5) / 100.0;
    return d->score;
}

void tts_ofac_explain(const char *q, const char *name, tts_buf *b)
{
    parts pq, pn;
    tts_ofac_detail d;
    int any_long;
    tts_ofac_score(q, name, &d);
    split(q, &pq);
    split(name, &pn);
    any_long = any_long_part(&pq);
    tts_buf_puts(b, "ofac parts:");
    for (size_t i = 0; i < pq.n; i++) {
        size_t which;
        double s;
        if (!part_used(&pq, i, any_long)) {
            tts_buf_printf(b, " %.*s (short, left out)", (int)pq.l[i], pq.s[i]);
            continue;
        }
        s = part_best(&pq, i, &pn, &which);
        if (s > 0.0 && which < pn.n)
            tts_buf_printf(b, " %.*s~%.*s %.2f%s", (int)pq.l[i], pq.s[i], (int)pn.l[which],
                           pn.s[which], s,
                           pq.has_sdx[i] && pn.has_sdx[which] &&
                                   memcmp(pq.sdx[i], pn.sdx[which], 4) == 0
                               ? " (same soundex)" : "");
        else
            tts_buf_printf(b, " %.*s none", (int)pq.l[i], pq.s[i]);
    }
    tts_buf_printf(b, "; composite %.3f; whole string %.3f; score %d", d.parts, d.whole,
                   (int)floor(100.0 * d.score + 0.5));
}
