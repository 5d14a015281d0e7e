/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen search NAME`: screen one name against every imported list and
 * print the candidates best first (text or JSON). Opens the database
 * read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen search NAME [--country CC] [--threshold 0..1] [--limit N]\n"
    "                            [--format text|json] [--source S] [--exhaustive] [--explain]\n"
    "                            [--db PATH]\n"
    "Screen NAME against every imported list; print candidates best first with list,\n"
    "entry id, matched name or alias, score in [0,1], country and programs.\n"
    "  --country CC    the party's country (ISO 3166 alpha-2); a list entry of other\n"
    "                  countries scores 0.05 lower\n"
    "  --threshold T   minimum score (default 0.85)\n"
    "  --limit N       at most N candidates (default 20; 0 = all, an error past 1000)\n"
    "  --source S      only list S (repeatable as a comma-separated list)\n"
    "  --exhaustive    score every list name instead of using the index\n"
    "  --explain       show which tokens matched and why\n";

static void json_list(FILE *fp, const char *s)
{
    const char *p = s;
    int first = 1;
    fputc('[', fp);
    while (p != NULL && *p != '\0') {
        size_t n = strcspn(p, ";");
        char *one = malloc(n + 1);
        if (one != NULL) {
            memcpy(one, p, n);
            one[n] = '\0';
            if (!first)
                fputc(',', fp);
            cli_json_str(fp, one);
            first = 0;
            free(one);
        }
        p += n;
        if (*p == ';')
            p++;
    }
    fputc(']', fp);
}

static void print_json(const char *query, const tts_search_result *r, int explain)
{
    printf("{\"query\":");
    cli_json_str(stdout, query);
    printf(",\"matches\":[");
    for (size_t i = 0; i < r->n; i++) {
        const tts_search_hit *h = &r->hits[i];
        printf("%s{\"source\":", i > 0 ? "," : "");
        cli_json_str(stdout, h->source);
        printf(",\"entry_id\":");
        cli_json_str(stdout, h->entry_id);
        printf(",\"name\":");
        cli_json_str(stdout, h->name);
        printf(",\"matched\":");
        cli_json_str(stdout, h->matched);
        printf(",\"score\":%.4f,\"country\":", h->score);
        cli_json_str(stdout, h->country);
        printf(",\"programs\":");
        json_list(stdout, h->programs);
        printf(",\"entry_type\":");
        cli_json_str(stdout, h->entry_type);
        if (explain) {
            printf(",\"why\":");
            cli_json_str(stdout, h->why);
        }
        printf("}");
    }
    printf("]}\n");
}

static void print_text(const char *query, const tts_search_result *r, double threshold)
{
    if (r->n == 0) {
        printf("%s: no list entry scores %.2f or more\n", query, threshold);
        return;
    }
    for (size_t i = 0; i < r->n; i++) {
        const tts_search_hit *h = &r->hits[i];
        printf("%.3f  %s  %s  %s\n", h->score, h->source, h->entry_id, h->name);
        if (strcmp(h->matched, h->name) != 0)
            printf("       matched %s: %s\n",
                   strcmp(h->kind, "derived") == 0 ? "without its parentheses" : h->kind,
                   h->matched);
        printf("       country: %s  programs: %s\n", h->country != NULL ? h->country : "-",
               h->programs != NULL ? h->programs : "-");
        if (h->why != NULL)
            printf("       why: %s\n", h->why);
    }
}

/* Parse a number in [lo, hi]; -1 with an error printed otherwise. */
int cli_number(const char *opt, const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !(v >= lo && v <= hi)) {
        cli_error("--%s: expected a number from %g to %g, got '%s'", opt, lo, hi, s);
        return -1;
    }
    *out = v;
    return 0;
}

/* Split a comma-separated list in place into at most cap pointers. */
static size_t split_sources(char *s, const char **out, size_t cap)
{
    size_t n = 0;
    char *p = s;
    while (p != NULL && *p != '\0' && n < cap) {
        char *c = strchr(p, ',');
        if (c != NULL)
            *c = '\0';
        if (*p != '\0')
            out[n++] = p;
        p = c != NULL ? c + 1 : NULL;
    }
    return n;
}

int cmd_search(int argc, char **argv)
{
    const char *country = NULL, *thr = NULL, *limit = NULL, *format = NULL, *db = NULL,
               *source = NULL, *sources[32];
    int exhaustive = 0, explain = 0, help = 0, rc = EXIT_ERROR;
    char **ops = NULL, *srcbuf = NULL;
    size_t n_ops = 0;
    double threshold = TTS_LISTS_THRESHOLD, lim = 20;
    tts_lists *l = NULL;
    tts_search_result *r = NULL;
    tts_search_opts o;
    tts_error err;
    const cli_option opts[] = {
        {"country", 0, 1, &country, NULL},   {"threshold", 0, 1, &thr, NULL},
        {"limit", 0, 1, &limit, NULL},       {"format", 0, 1, &format, NULL},
        {"db", 0, 1, &db, NULL},             {"source", 0, 1, &source, NULL},
        {"exhaustive", 0, 0, NULL, &exhaustive}, {"explain", 0, 0, NULL, &explain},
        {"help", 'h', 0, NULL, &help},       {NULL, 0, 0, NULL, NULL}};
    tts_error_clear(&err);
    if (cli_parse("search", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    memset(&o, 0, sizeof(o));
    if (n_ops != 1) {
        cli_error("search: expected one NAME (see 'ttscreen search --help')");
        goto out;
    }
    if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("search: --format must be text or json, got '%s'", format);
        goto out;
    }
    if (country != NULL && !(strlen(country) == 2 && country[0] >= 'A' && country[0] <= 'Z' &&
                             country[1] >= 'A' && country[1] <= 'Z')) {
        cli_error("search: --country must be an ISO 3166 alpha-2 code such as CN, got '%s'",
                  country);
        goto out;
    }
    if ((thr != NULL && cli_number("threshold", thr, 0, 1, &threshold) != 0) ||
        (limit != NULL && cli_number("limit", limit, 0, 1e6, &lim) != 0))
        goto out;
    o.size = sizeof(o);
    o.country = country;
    o.threshold = threshold;
    o.limit = (size_t)lim;
    o.exhaustive = exhaustive;
    o.explain = explain;
    if (source != NULL) {
        srcbuf = strdup(source);
        if (srcbuf == NULL) {
            cli_error("out of memory");
            goto out;
        }
        o.n_sources = split_sources(srcbuf, sources, 32);
        o.sources = sources;
    }
    if (tts_lists_open(cli_db_path(db), TTS_LISTS_READONLY, &l, &err) != TTS_OK ||
        tts_lists_search(l, ops[0], &o, &r, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (format != NULL && strcmp(format, "json") == 0)
        print_json(ops[0], r, explain);
    else
        print_text(ops[0], r, threshold);
    rc = EXIT_CLEAN;
out:
    tts_search_result_free(r);
    tts_lists_close(l);
    free(srcbuf);
    free(ops);
    return rc;
}
