/* SPDX-License-Identifier: MIT */
/*
 * Lists described by data (see listmeta.h). The rules read a list's kind,
 * never its name, so a list imported under any name is read by the rules
 * for its kind; a source nobody described is a watch list of severity
 * high, because a list someone imported deliberately is never ignored.
 */
#include "lists/listmeta.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/error.h"
#include "ttscreen/lists.h"

typedef struct meta {
    const char *key, *kind, *jurisdiction, *severity;
} meta;

/* The well-known feeds, by source name. */
static const meta by_source[] = {
    {"us-csl", "restricted-party", "US", "critical"},
    {"ofac-sdn", "sanctions", "US", "critical"},
    {"us-dpl", "restricted-party", "US", "critical"},
    {"jp-eul", "end-user-concern", "JP", "high"},
    {"jp-mof", "sanctions", "JP", "critical"},
    {"us-1260h", "military-end-user", "US", "high"},
    {"us-uflpa", "forced-labour", "US", "high"},
};

/* Any other source, by the format it was imported from. */
static const meta by_format[] = {
    {"sdn-csv", "sanctions", "US", "critical"},
    {"dpl-tsv", "restricted-party", "US", "critical"},
    {"csl-csv", "restricted-party", "US", "critical"},
    {"csl-json", "restricted-party", "US", "critical"},
    {"mof-xlsx", "sanctions", "JP", "critical"},
};

/* Anything else: an in-house watch list. */
static const meta in_house = {NULL, "watch-list", "internal", "high"};

static const char *const kinds[] = {"restricted-party", "sanctions",  "military-end-user",
                                    "end-user-concern", "forced-labour", "watch-list",
                                    "other"};

int tts_lists_kind_is_valid(const char *kind)
{
    if (kind == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
        if (strcmp(kinds[i], kind) == 0)
            return 1;
    return 0;
}

static const meta *defaults_of(const char *source, const char *format)
{
    for (size_t i = 0; source != NULL && i < sizeof(by_source) / sizeof(by_source[0]); i++)
        if (strcmp(by_source[i].key, source) == 0)
            return &by_source[i];
    for (size_t i = 0; format != NULL && i < sizeof(by_format) / sizeof(by_format[0]); i++)
        if (strcmp(by_format[i].key, format) == 0)
            return &by_format[i];
    return &in_house;
}

tts_status tts_lists_kind_default(const char *source, const char *format, const char **kind,
                                  const char **jurisdiction, const char **severity)
{
    const meta *m = defaults_of(source, format);
    *kind = m->kind;
    *jurisdiction = m->jurisdiction;
    *severity = m->severity;
    return TTS_OK;
}

/* Default severity of a kind given without one. */
static const char *kind_severity(const char *kind)
{
    return strcmp(kind, "sanctions") == 0 || strcmp(kind, "restricted-party") == 0 ? "critical"
                                                                                   : "high";
}

static int severity_ok(const char *s)
{
    return strcmp(s, "critical") == 0 || strcmp(s, "high") == 0 || strcmp(s, "medium") == 0;
}

void tts_listmeta_resolve(const char *source, const char *format, const char *opt_kind,
                          const char *opt_jurisdiction, const char *opt_severity,
                          const char *stored_kind, const char *stored_jurisdiction,
                          const char *stored_severity, const char **kind,
                          const char **jurisdiction, const char **severity)
{
    const meta *d = defaults_of(source, format);
    const char *k;
    int same;
    /* a stored value this build does not know (a row edited by hand) reads as unset */
    if (stored_kind != NULL && !tts_lists_kind_is_valid(stored_kind))
        stored_kind = NULL;
    if (stored_severity != NULL && !severity_ok(stored_severity))
        stored_severity = NULL;
    k = opt_kind != NULL ? opt_kind : stored_kind != NULL ? stored_kind : d->kind;
    same = strcmp(k, d->kind) == 0;
    *kind = k;
    *jurisdiction = opt_jurisdiction != NULL ? opt_jurisdiction
                    : stored_jurisdiction != NULL ? stored_jurisdiction
                    : same ? d->jurisdiction
                           : NULL;
    *severity = opt_severity != NULL ? opt_severity
                : stored_severity != NULL ? stored_severity
                : same ? d->severity
                       : kind_severity(k);
}

static int jurisdiction_ok(const char *j)
{
    size_t n = strlen(j);
    if (n == 0 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)j[i]) && j[i] != '-' && j[i] != '_')
            return 0;
    return 1;
}

tts_status tts_listmeta_check(const char *kind, const char *jurisdiction, const char *severity,
                              tts_error *err)
{
    if (kind != NULL && !tts_lists_kind_is_valid(kind))
        return tts_err_set(err, TTS_ERR_ARG,
                           "unknown list kind '%.40s' (restricted-party, sanctions, "
                           "military-end-user, end-user-concern, forced-labour, watch-list, "
                           "other)",
                           kind);
    if (jurisdiction != NULL && !jurisdiction_ok(jurisdiction))
        return tts_err_set(err, TTS_ERR_ARG,
                           "list jurisdiction must be 1 to 32 letters, digits or hyphens "
                           "(US, JP, EU, UN, internal, ...), got '%.40s'",
                           jurisdiction);
    if (severity != NULL && !severity_ok(severity))
        return tts_err_set(err, TTS_ERR_ARG,
                           "list severity must be critical, high or medium (a list match is "
                           "never below medium), got '%.40s'",
                           severity);
    return TTS_OK;
}

/* a and b[0..n) equal ignoring ASCII case. */
static int ieqn(const char *a, const char *b, size_t n)
{
    if (strlen(a) != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
            return 0;
    return 1;
}

const char *tts_listmeta_entry_type(const char *stored)
{
    static const struct {
        const char *stored, *type;
    } types[] = {
        {"individual", "person"},         {"person", "person"},
        {"entity", "organisation"},       {"organisation", "organisation"},
        {"organization", "organisation"}, {"-0-", "organisation"}, /* OFAC's null: an entity */
        {"vessel", "vessel"},             {"aircraft", "aircraft"},
    };
    size_t n;
    if (stored == NULL)
        return NULL;
    while (*stored == ' ')
        stored++;
    n = strlen(stored);
    while (n > 0 && stored[n - 1] == ' ')
        n--;
    for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
        if (ieqn(types[i].stored, stored, n))
            return types[i].type;
    return NULL;
}

int tts_listmeta_http_date(const char *http, char out[21])
{
    static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char wd[4], mon[4], tail[4];
    int d, y, hh, mm, ss, m;
    const char *p;
    if (http == NULL ||
        sscanf(http, "%3s, %d %3s %d %d:%d:%d %3s", wd, &d, mon, &y, &hh, &mm, &ss, tail) != 8 ||
        strcmp(tail, "GMT") != 0 || (p = strstr(months, mon)) == NULL || (p - months) % 3 != 0)
        return 0;
    m = (int)(p - months) / 3 + 1;
    if (y < 1970 || y > 9999 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 60 || hh < 0 ||
        mm < 0 || ss < 0)
        return 0;
    {
        char buf[80]; /* room for any int, though the values are checked above */
        snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, hh, mm, ss);
        memcpy(out, buf, 20);
        out[20] = '\0';
    }
    return 1;
}

int tts_listmeta_feed_date(const char *url, const char *last_modified, char out[21])
{
    if (url == NULL || (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0))
        return 0;
    return tts_listmeta_http_date(last_modified, out);
}
