/* SPDX-License-Identifier: MIT */
/*
 * A party's identifiers written on one line, "lei:529900...; duns:12345678":
 * the identifiers column of a counterparty sheet and `search --identifier`.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* The identifier schemes of a party (record.md). */
static const char *const schemes[] = {"lei", "duns", "jp-corporate-number", "cn-uscc"};
#define N_SCHEMES (sizeof(schemes) / sizeof(schemes[0]))

int cli_identifiers_parse(const char *text, cli_identifiers *out, char *why, size_t cap)
{
    const char *p = text;
    unsigned seen = 0;
    memset(out, 0, sizeof(*out));
    for (;;) {
        char scheme[32];
        size_t n, k, i, vs;
        while (*p == ' ' || *p == '\t' || *p == ';')
            p++;
        if (*p == '\0')
            return 0;
        n = strcspn(p, ";");
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        k = strcspn(p, ":");
        if (k >= n || k == 0 || k >= sizeof(scheme)) {
            snprintf(why, cap, "identifier '%.*s' is not SCHEME:VALUE", (int)(n < 64 ? n : 64), p);
            return -1;
        }
        for (i = 0; i < k; i++)
            scheme[i] = (char)(p[i] >= 'A' && p[i] <= 'Z' ? p[i] - 'A' + 'a' : p[i]);
        while (i > 0 && (scheme[i - 1] == ' ' || scheme[i - 1] == '\t'))
            i--;
        scheme[i] = '\0';
        for (vs = k + 1; vs < n && (p[vs] == ' ' || p[vs] == '\t'); vs++)
            ;
        for (i = 0; i < N_SCHEMES; i++)
            if (strcmp(scheme, schemes[i]) == 0)
                break;
        if (i == N_SCHEMES) {
            snprintf(why, cap, "unknown identifier scheme '%s' (lei, duns, jp-corporate-number, "
                     "cn-uscc)", scheme);
            return -1;
        }
        if (seen & (1u << i)) {
            snprintf(why, cap, "identifier scheme '%s' given twice", scheme);
            return -1;
        }
        if (vs >= n || n - vs >= sizeof(out->buf[0])) {
            snprintf(why, cap, "identifier '%s' has %s value", scheme, vs >= n ? "no" : "too long a");
            return -1;
        }
        seen |= 1u << i;
        memcpy(out->buf[out->n], p + vs, n - vs);
        out->buf[out->n][n - vs] = '\0';
        out->scheme[out->n] = schemes[i];
        out->value[out->n] = out->buf[out->n];
        out->n++;
        p += strcspn(p, ";");
    }
}
