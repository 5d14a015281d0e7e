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
    "                            [--algorithm default|ofac] [--identifier SCHEME:VALUE[;...]]\n"
    "                            [--db PATH]\n"
    "       ttscreen search --batch FILE [--format csv|jsonl|json|text|xlsx|html] [-o OUT]\n"
    "                            [--best-only] [--skip-bad] [--encoding E]\n"
    "                            [--input-format csv|tsv|jsonl|xlsx]\n"
    "                            [--name-column H] [--country-column H] [--type-column H]\n"
    "                            [--threshold T] [--limit N] [--source S] [--quiet] [--db PATH]\n"
    "                            [--jobs N]\n"
    "                            [--store [--org-country CC] [--rules DIR] [--as-of D] [--by N]]\n"
    "Screen NAME against every imported list; print candidates best first with list,\n"
    "entry id, matched name or alias, score in [0,1], country and programs.\n"
    "With --batch, screen every row of a sheet (CSV, TSV, JSON Lines or Excel .xlsx; '-' reads\n"
    "standard input; --format xlsx writes a workbook with the matched rows highlighted to -o;\n"
    "UTF-8 with or without BOM, UTF-16 with BOM, Shift_JIS/CP932 or EUC-JP, detected\n"
    "or given with --encoding). Columns are found by header (name, country, type, id, ... and\n"
    "名称, 氏名, 国, ...) or named with --name-column and friends; every input column is\n"
    "carried to the output beside the candidates (one row per candidate, or --best-only;\n"
    "csv output starts with a UTF-8 BOM). A bad row (empty name, bad country) is an error\n"
    "naming file, row and column; --skip-bad reports it and goes on (exit 2 still).\n"
    "Exit status: 1 when a candidate scores at or above the threshold (with --store, also\n"
    "when a kept row's screening is not clear), 0 when none, 2 error.\n"
    "  --country CC    the party's country (ISO 3166 alpha-2): a list entry of that\n"
    "                  country scores 0.02 higher (at most 1), one of other countries\n"
    "                  0.05 lower, but an exact name stays at the threshold at least;\n"
    "                  --explain and JSON say by how much\n"
    "  --identifier I  the party's identifiers, lei:V;duns:V;jp-corporate-number:V;cn-uscc:V:\n"
    "                  an entry listing the same one scores 1; one listing another LEI,\n"
    "                  credit code or corporate number scores 0.10 lower (a DUNS numbers a\n"
    "                  site, so another DUNS does not), an exact name kept at the threshold\n"
    "  --threshold T   minimum score (default 0.85)\n"
    "  --limit N       at most N candidates (default 20; 0 = all, an error past 1000)\n"
    "  --source S      only list S (repeatable as a comma-separated list)\n"
    "  --exhaustive    score every list name instead of using the index\n"
    "  --explain       show which tokens matched and why\n"
    "  --algorithm A   default: ttscreen's own scoring; ofac: the score OFAC's Sanctions\n"
    "                  List Search would give (emulated from OFAC FAQ 249: whole-name\n"
    "                  Jaro-Winkler and name parts by Jaro-Winkler and Soundex, names as\n"
    "                  written, whole points; every list name scored; --country does not\n"
    "                  change it; not with --batch)\n"
    "  -j, --jobs N    (--batch) search on N threads (default: the processors available);\n"
    "                  the rows come out in input order, the same bytes as with --jobs 1\n"
    "  --store         (--batch) keep every row as a counterparty case in the case file:\n"
    "                  screened by the rules as a one-party supply record, rescreened with\n"
    "                  the deals; case id cp-ID (the id column) or cp-HASH of the normalised\n"
    "                  name and country (the last output column, case_id); an identifiers\n"
    "                  column (lei:V;duns:V) goes into the party; --org-country CC is the\n"
    "                  screening organisation's (default JP)\n";

static void print_json(const char *query, const tts_search_result *r, int explain)
{
    printf("{\"query\":");
    cli_json_str(stdout, query);
    printf(",\"matches\":[");
    for (size_t i = 0; i < r->n; i++) {
        const tts_match *h = &r->hits[i];
        printf("%s{\"source\":", i > 0 ? "," : "");
        cli_json_str(stdout, h->source);
        printf(",\"entry_id\":");
        cli_json_str(stdout, h->entry_id);
        printf(",\"name\":");
        cli_json_str(stdout, h->name);
        printf(",\"matched\":");
        cli_json_str(stdout, h->matched);
        printf(",\"score\":%.4f,", h->score);
        cli_json_facts(stdout, h);
        printf("\"country\":");
        cli_json_str(stdout, h->country);
        printf(",\"programs\":");
        cli_json_list(stdout, h->programs);
        printf(",\"entry_type\":");
        cli_json_str(stdout, h->entry_type);
        printf(",\"listed_on\":");
        cli_json_str(stdout, h->listed_on);
        printf(",\"source_url\":");
        cli_json_str(stdout, h->source_url);
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
        const tts_match *h = &r->hits[i];
        printf("%.3f  %s  %s  %s\n", h->score, h->source, h->entry_id, h->name);
        if (strcmp(h->matched, h->name) != 0)
            printf("       matched %s: %s\n",
                   strcmp(h->name_kind, "derived") == 0 ? "without its parentheses" : h->name_kind,
                   h->matched);
        printf("       country: %s  programs: %s\n", h->country != NULL ? h->country : "-",
               h->programs != NULL ? h->programs : "-");
        if (h->why != NULL)
            printf("       why: %s\n", h->why);
    }
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

/* --batch and NAME exclude each other; the sheet options go with --batch only. */
static int check_operands(int batch, size_t n_ops, const cli_batch_opts *bo)
{
    if (batch && n_ops != 0) {
        cli_error("search: --batch FILE takes no NAME (see 'ttscreen search --help')");
        return -1;
    }
    if (!batch && (bo->best_only || bo->skip_bad || bo->encoding || bo->input_format || bo->out ||
                   bo->name_column || bo->country_column || bo->id_column || bo->type_column ||
                   bo->store || bo->rules_dir || bo->as_of || bo->by || bo->org_country)) {
        cli_error("search: --best-only, --skip-bad, --encoding, --input-format and --*-column "
                  "go with --batch FILE");
        return -1;
    }
    if (!batch && n_ops != 1) {
        cli_error("search: expected one NAME (see 'ttscreen search --help')");
        return -1;
    }
    return 0;
}

/* --format: csv, jsonl, json, text, xlsx or html for a batch (into bo->format); text or json for
   one name. */
/* --identifier SCHEME:VALUE[;...] into o's identifiers (ids holds them); not with --batch. */
static int check_identifiers(int batch, const char *arg, cli_identifiers *ids, tts_search_opts *o)
{
    char why[160];
    if (arg == NULL)
        return 0;
    if (batch) {
        cli_error("search: --identifier qualifies one NAME; a --batch sheet has an identifiers "
                  "column");
        return -1;
    }
    if (cli_identifiers_parse(arg, ids, why, sizeof(why)) != 0) {
        cli_error("search: --identifier: %s", why);
        return -1;
    }
    if (ids->n == 0) {
        cli_error("search: --identifier: no SCHEME:VALUE given");
        return -1;
    }
    o->id_schemes = ids->scheme;
    o->id_values = ids->value;
    o->n_ids = ids->n;
    return 0;
}

/* --algorithm NAME into o->algorithm; only the default scores a --batch sheet. */
static int check_algorithm(int batch, const char *algorithm, tts_search_opts *o)
{
    tts_error err = {0};
    if (algorithm == NULL)
        return 0;
    if (tts_algorithm_parse(algorithm, &o->algorithm, &err) != TTS_OK) {
        cli_error("search: --algorithm: %s", err.message);
        return -1;
    }
    if (batch && o->algorithm != TTS_ALGORITHM_DEFAULT) {
        cli_error("search: --algorithm ofac scores one NAME, not a --batch sheet");
        return -1;
    }
    return 0;
}

static int check_format(int batch, const char *format, cli_batch_opts *bo)
{
    if (!batch) {
        if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
            cli_error("search: --format must be text or json, got '%s'", format);
            return -1;
        }
        return 0;
    }
    bo->format = format == NULL || strcmp(format, "csv") == 0 ? CLI_BATCH_CSV
                 : strcmp(format, "jsonl") == 0              ? CLI_BATCH_JSONL
                 : strcmp(format, "json") == 0               ? CLI_BATCH_JSON
                 : strcmp(format, "text") == 0               ? CLI_BATCH_TEXT
                 : strcmp(format, "xlsx") == 0               ? CLI_BATCH_XLSX
                 : strcmp(format, "html") == 0               ? CLI_BATCH_HTML
                                                             : (cli_batch_format)-1;
    if ((int)bo->format < 0) {
        cli_error("search: --batch --format must be csv, jsonl, json, text, xlsx or html, got '%s'",
                  format);
        return -1;
    }
    if (bo->format == CLI_BATCH_XLSX && bo->out == NULL) {
        cli_error("search: --format xlsx needs -o FILE.xlsx");
        return -1;
    }
    return 0;
}

/* Screen one name and print its candidates; the exit status, like a linter's: a candidate at or
   above the threshold is 1. */
static int search_one(tts_lists *l, const char *name, const tts_search_opts *o, int json)
{
    tts_search_result *r = NULL;
    tts_error err;
    int rc;
    tts_error_clear(&err);
    if (tts_lists_search(l, name, o, &r, &err) != TTS_OK) {
        cli_report(&err);
        return EXIT_ERROR;
    }
    if (json)
        print_json(name, r, o->explain);
    else
        print_text(name, r, o->threshold);
    rc = r->n > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
    tts_search_result_free(r);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("standard output: write error");
        return EXIT_ERROR;
    }
    return rc;
}

int cmd_search(int argc, char **argv)
{
    const char *country = NULL, *thr = NULL, *limit = NULL, *format = NULL, *db = NULL,
               *source = NULL, *sources[32], *batch = NULL, *algorithm = NULL, *ident = NULL,
               *jobs = NULL;
    int exhaustive = 0, explain = 0, help = 0, rc = EXIT_ERROR;
    cli_batch_opts bo;
    char **ops = NULL, *srcbuf = NULL;
    size_t n_ops = 0;
    double threshold = TTS_LISTS_THRESHOLD, lim = 20;
    tts_lists *l = NULL;
    tts_search_opts o;
    cli_identifiers ids;
    tts_error err;
    const cli_option opts[] = {
        {"country", 0, 1, &country, NULL},   {"threshold", 0, 1, &thr, NULL},
        {"limit", 0, 1, &limit, NULL},       {"format", 0, 1, &format, NULL},
        {"db", 0, 1, &db, NULL},             {"source", 0, 1, &source, NULL},
        {"exhaustive", 0, 0, NULL, &exhaustive}, {"explain", 0, 0, NULL, &explain},
        {"algorithm", 0, 1, &algorithm, NULL}, {"identifier", 0, 1, &ident, NULL},
        {"batch", 0, 1, &batch, NULL},       {"best-only", 0, 0, NULL, &bo.best_only},
        {"out", 'o', 1, &bo.out, NULL},
        {"skip-bad", 0, 0, NULL, &bo.skip_bad}, {"quiet", 'q', 0, NULL, &bo.quiet},
        {"encoding", 0, 1, &bo.encoding, NULL}, {"input-format", 0, 1, &bo.input_format, NULL},
        {"name-column", 0, 1, &bo.name_column, NULL},
        {"country-column", 0, 1, &bo.country_column, NULL},
        {"id-column", 0, 1, &bo.id_column, NULL}, {"type-column", 0, 1, &bo.type_column, NULL},
        {"store", 0, 0, NULL, &bo.store},    {"rules", 0, 1, &bo.rules_dir, NULL},
        {"as-of", 0, 1, &bo.as_of, NULL},    {"by", 0, 1, &bo.by, NULL},
        {"org-country", 0, 1, &bo.org_country, NULL}, {"jobs", 'j', 1, &jobs, NULL},
        {"help", 'h', 0, NULL, &help},       {NULL, 0, 0, NULL, NULL}};
    tts_error_clear(&err);
    memset(&bo, 0, sizeof(bo));
    if (cli_parse("search", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    memset(&o, 0, sizeof(o));
    if (check_operands(batch != NULL, n_ops, &bo) != 0)
        goto out;
    if (jobs != NULL && batch == NULL) {
        cli_error("search: --jobs goes with --batch FILE");
        goto out;
    }
    bo.jobs = tts_jobs_available();
    if (jobs != NULL && tts_jobs_parse(jobs, &bo.jobs) != TTS_OK) {
        cli_error("search: --jobs '%s' must be a whole number from 1 to %d", jobs, TTS_JOBS_MAX);
        goto out;
    }
    if (check_format(batch != NULL, format, &bo) != 0)
        goto out;
    if (check_algorithm(batch != NULL, algorithm, &o) != 0 ||
        check_identifiers(batch != NULL, ident, &ids, &o) != 0)
        goto out;
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
    /* one snapshot for every lookup, unless rows are kept as cases in the same file */
    if (tts_lists_open(cli_db_path(db), TTS_LISTS_READONLY | (bo.store ? 0 : TTS_LISTS_SNAPSHOT),
                       &l, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (batch != NULL) {
        bo.db = cli_db_path(db);
        bo.path = batch;
        bo.file = strcmp(batch, "-") == 0 ? "<stdin>" : batch;
        bo.threshold = threshold;
        bo.limit = (size_t)lim;
        bo.sources = o.sources;
        bo.n_sources = o.n_sources;
        rc = cli_search_batch(&bo, l);
        goto out;
    }
    rc = search_one(l, ops[0], &o, format != NULL && strcmp(format, "json") == 0);
out:
    tts_lists_close(l);
    free(srcbuf);
    free(ops);
    return rc;
}
