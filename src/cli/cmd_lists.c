/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen lists import|update|status`: load list files, refresh lists
 * from their feeds, and show what the database holds. `status` opens the
 * database read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen lists import SOURCE FILE... [--format F] [--kind K] [--jurisdiction J]\n"
    "                             [--severity S] [--db PATH]\n"
    "       ttscreen lists update [SOURCE...] [--url URL] [--format F] [--timeout S]\n"
    "                             [--connect-timeout S] [--max-bytes N] [--retries N]\n"
    "                             [--ca-file PEM] [--allow-insecure-http]\n"
    "                             [--max-drop PERCENT] [--accept-drop] [--quiet] [--db PATH]\n"
    "                             [--rescreen [--fail-on S] [--rules DIR]]\n"
    "       ttscreen lists status [--max-age DAYS] [--format text|json] [--db PATH]\n"
    "       ttscreen lists diff SOURCE [--from V] [--to V] [--format text|json] [--db PATH]\n"
    "Formats: csl-csv (trade.gov Consolidated Screening List), csl-json (the same list as\n"
    "JSON: {\"results\": [...]} as the CSL API and JSON download serve it), sdn-csv (OFAC\n"
    "sdn.csv with alt.csv and add.csv as further FILEs), dpl-tsv (BIS Denied Persons List),\n"
    "ttscreen-csv (id,name,aliases,country,programs,listed_on,source_url), mof-xlsx (the\n"
    "Ministry of Finance's asset-freeze list workbook, shisantouketsuYYYYMMDD.xlsx: every\n"
    "programme sheet; rows marked 削除 are removed, not imported). Without --format: us-csl\n"
    "is csl-csv (csl-json when FILE or URL ends in .json), ofac-sdn sdn-csv, us-dpl dpl-tsv,\n"
    "jp-mof mof-xlsx, anything else ttscreen-csv.\n"
    "Kinds: restricted-party, sanctions, military-end-user, end-user-concern, forced-labour,\n"
    "watch-list (in-house), other; --severity critical|high|medium is that of a match on the\n"
    "list. Built in: us-csl and us-dpl restricted-party/US/critical, ofac-sdn\n"
    "sanctions/US/critical, jp-eul end-user-concern/JP/high, jp-mof sanctions/JP/critical,\n"
    "us-1260h military-end-user/US/high, us-uflpa forced-labour/US/high; other names by\n"
    "format (sdn-csv sanctions, dpl-tsv and csl-* restricted-party, US, critical; mof-xlsx\n"
    "sanctions/JP/critical; ttscreen-csv watch-list/internal/high). A re-import keeps what is\n"
    "stored unless these options are given.\n"
    "update fetches each source's feed (us-csl has a built-in default; --url sets one and\n"
    "is remembered after a successful update) with a conditional GET, TLS always verified,\n"
    "over https:// only (redirects too; plain http:// only with --allow-insecure-http, and\n"
    "status then says so); a body counts only when its framing proves it complete\n"
    "(Content-Length or chunked encoding). A new version with more than --max-drop PERCENT\n"
    "(default 10) of the stored entries gone is refused unless --accept-drop is given; a\n"
    "refused update leaves the stored list as it was.\n"
    "status shows each list's kind, jurisdiction, severity and age in days, counted from the\n"
    "list's publication date, else its feed's HTTP Last-Modified, else its import (by the\n"
    "real clock, whatever SOURCE_DATE_EPOCH says); with --max-age it exits 1 when a list is\n"
    "older than DAYS (without, it warns about lists older than 7 days). It also says when\n"
    "searches would build the search index from the rows (seconds for a list of a million\n"
    "entries) because its file DB-index next to the database is missing, truncated or not\n"
    "the one the last import wrote; the next import writes it again.\n"
    "Every import or update is a new version of its list; import and update print what it\n"
    "changed (\"us-csl: 12,311 entries, +14 -3 ~2\": added, removed, changed entries) and\n"
    "diff shows it entry by entry (the last change, or --from V --to V). update --rescreen\n"
    "then re-screens the stored cases the changes can affect (rescreen --changed-lists):\n"
    "exit 1 when a new finding is at or above --fail-on (default high), 2 when an update\n"
    "or the rescreen failed (the previous list and the case verdicts are kept).\n";

static const char *default_format(const char *source, const char *file)
{
    size_t n = strlen(file);
    if (strcmp(source, "us-csl") == 0)
        return n >= 5 && strcmp(file + n - 5, ".json") == 0 ? "csl-json" : "csl-csv";
    if (strcmp(source, "ofac-sdn") == 0)
        return "sdn-csv";
    if (strcmp(source, "us-dpl") == 0)
        return "dpl-tsv";
    if (strcmp(source, "jp-mof") == 0)
        return "mof-xlsx";
    return "ttscreen-csv";
}

/* The importer's warnings: the first one with its place, and how many rows in all. */
static void warn_rows(const tts_import_result *res)
{
    if (res->warnings == 0)
        return;
    if (res->warnings == 1)
        fprintf(stderr, "ttscreen: warning: %s\n", res->warning);
    else
        fprintf(stderr, "ttscreen: warning: %s (%ld rows with warnings in all)\n", res->warning,
                res->warnings);
}

/* The stored format and alias count of source (NULL, 0 when it has none yet); -1 on error. */
static int previous_version(tts_lists *l, const char *source, char **format, long *aliases)
{
    tts_list_status *st = NULL;
    size_t n = 0;
    tts_error err;
    tts_error_clear(&err);
    *format = NULL;
    *aliases = 0;
    if (tts_lists_status(l, &st, &n, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(st[i].source, source) == 0 && st[i].format != NULL) {
            *format = strdup(st[i].format);
            *aliases = st[i].aliases;
        }
    tts_list_status_free(st, n);
    return 0;
}

/*
 * An OFAC SDN list's aliases come in alt.csv: a new version without them,
 * when the one it replaced had some, no longer finds anyone by an alias.
 * The import stands (it is what was given); the warning says what is lost.
 */
static void warn_lost_aliases(const char *source, const char *format, const char *prev_format,
                              long prev_aliases, long aliases)
{
    if (strcmp(format, "sdn-csv") != 0 || prev_format == NULL ||
        strcmp(prev_format, "sdn-csv") != 0 || prev_aliases == 0 || aliases != 0)
        return;
    fprintf(stderr,
            "ttscreen: warning: %s: the new version has no aliases (no alt.csv given?): the %ld "
            "aliases of the previous version are gone and no longer match\n",
            source, prev_aliases);
}

/* The import's progress line: entries so far. */
static void import_progress(void *user, long entries)
{
    cli_progress_step(user, entries);
}

static int lists_import(const char *db, const char *format, const tts_import_opts *given,
                        char **ops, size_t n_ops, int quiet)
{
    tts_import_opts opts = *given, *io = &opts;
    cli_progress line;
    tts_lists *l = NULL;
    tts_import_result res;
    tts_error err;
    char now[32], date[11], *prev_format = NULL;
    long prev_aliases = 0;
    int rc = EXIT_ERROR;
    tts_error_clear(&err);
    if (n_ops < 3) {
        cli_error("lists import: expected SOURCE FILE... (see 'ttscreen lists --help')");
        return EXIT_ERROR;
    }
    if (cli_now(now, date) != 0)
        return EXIT_ERROR;
    if (format == NULL)
        format = default_format(ops[1], ops[2]);
    if (tts_lists_open(cli_db_path(db), 0, &l, &err) != TTS_OK ||
        tts_lists_set_actor(l, cli_actor(NULL), &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (previous_version(l, ops[1], &prev_format, &prev_aliases) != 0)
        goto out;
    cli_progress_start(&line, ops[1], "entries", -1, quiet);
    opts.progress = import_progress;
    opts.progress_user = &line;
    if (tts_lists_import_with(l, ops[1], format, (const char *const *)(ops + 2), n_ops - 2, now,
                              io, &res, &err) != TTS_OK) {
        cli_progress_end(&line);
        cli_report(&err);
        goto out;
    }
    cli_progress_end(&line);
    printf("%s: imported %ld entries, %ld aliases (%s, sha256 %s)\n", ops[1], res.entries,
           res.aliases, format, res.sha256);
    warn_rows(&res);
    warn_lost_aliases(ops[1], format, prev_format, prev_aliases, res.aliases);
    cli_list_summary(l, ops[1]); /* what the import changed (cmd_lists_diff.c) */
    rc = EXIT_CLEAN;
out:
    free(prev_format);
    tts_lists_close(l);
    return rc;
}

/* The download's progress line (progress.c): bytes so far of the body's length, if known. */
static void progress(void *user, const char *source, long long done, long long total)
{
    cli_progress *p = user;
    (void)source;
    p->total = total > 0 ? (long)total : -1;
    cli_progress_step(p, (long)done);
}

typedef struct update_args {
    const char *url, *format, *timeout, *connect_timeout, *max_bytes, *retries, *ca_file;
    const char *max_drop;
    int allow_http, accept_drop, quiet;
} update_args;

static int update_opts(const update_args *a, tts_update_opts *o, const char *now)
{
    double v;
    memset(o, 0, sizeof(*o));
    o->size = sizeof(*o);
    o->url = a->url;
    o->format = a->format;
    o->now = now;
    o->ca_file = a->ca_file;
    o->allow_insecure_http = a->allow_http;
    o->accept_drop = a->accept_drop;
    o->remember_url = a->url != NULL;
    if (a->max_drop != NULL) {
        if (cli_number("max-drop", a->max_drop, 0, 100, &v) != 0)
            return -1;
        o->max_drop = v == 0 ? 1e-9 : v; /* 0: any drop is refused (the library's 0 is 10) */
    }
    if (a->timeout != NULL) {
        if (cli_number("timeout", a->timeout, 0.001, 86400, &v) != 0)
            return -1;
        o->timeout_ms = (long)(v * 1000);
    }
    if (a->connect_timeout != NULL) {
        if (cli_number("connect-timeout", a->connect_timeout, 0.001, 3600, &v) != 0)
            return -1;
        o->connect_timeout_ms = (long)(v * 1000);
    }
    if (a->max_bytes != NULL) {
        if (cli_number("max-bytes", a->max_bytes, 1, 4e9, &v) != 0)
            return -1;
        o->max_bytes = (long long)v;
    }
    if (a->retries != NULL) {
        if (cli_number("retries", a->retries, 0, 10, &v) != 0)
            return -1;
        o->retries = v == 0 ? -1 : (int)v;
    }
    o->progress = a->quiet ? NULL : progress;
    return 0;
}

/* Update one source; prints its outcome. Returns 0 or -1 (error printed). */
static int update_one(tts_lists *l, const char *source, const tts_update_opts *o)
{
    tts_update_outcome outcome;
    tts_import_result res;
    tts_error err;
    char *prev_format = NULL;
    long prev_aliases = 0;
    tts_error_clear(&err);
    if (previous_version(l, source, &prev_format, &prev_aliases) != 0)
        return -1;
    tts_update_opts mine = *o;
    cli_progress line;
    /* "SOURCE: N/TOTAL bytes, R/s, about S s left" while it downloads, on a terminal */
    cli_progress_start(&line, source, "bytes", -1, o->progress == NULL);
    mine.progress_user = &line;
    if (tts_lists_update(l, source, &mine, &outcome, &res, &err) != TTS_OK) {
        free(prev_format);
        cli_progress_end(&line);
        cli_report(&err);
        return -1;
    }
    cli_progress_end(&line);
    if (outcome == TTS_UPDATE_UNCHANGED) {
        printf("%s: unchanged\n", source);
    } else {
        char *new_format = NULL;
        long n_aliases = 0;
        printf("%s: imported %ld entries, %ld aliases (sha256 %s)\n", source, res.entries,
               res.aliases, res.sha256);
        warn_rows(&res);
        cli_list_summary(l, source); /* what the update changed (cmd_lists_diff.c) */
        if (previous_version(l, source, &new_format, &n_aliases) == 0 && new_format != NULL)
            warn_lost_aliases(source, new_format, prev_format, prev_aliases, res.aliases);
        free(new_format);
    }
    free(prev_format);
    return 0;
}

static int lists_update(const char *db, const update_args *a, char **ops, size_t n_ops)
{
    tts_lists *l = NULL;
    tts_list_status *st = NULL;
    size_t n_st = 0, done = 0;
    tts_update_opts o;
    tts_error err;
    char now[32], date[11];
    int failed = 0;
    tts_error_clear(&err);
    if (a->url != NULL && n_ops != 2) {
        cli_error("lists update: --url needs exactly one SOURCE");
        return EXIT_ERROR;
    }
    if (cli_now(now, date) != 0 || update_opts(a, &o, now) != 0)
        return EXIT_ERROR;
    if (a->format == NULL && a->url != NULL)
        o.format = default_format(ops[1], a->url);
    if (tts_lists_open(cli_db_path(db), 0, &l, &err) != TTS_OK ||
        tts_lists_set_actor(l, cli_actor(NULL), &err) != TTS_OK) {
        cli_report(&err);
        tts_lists_close(l);
        return EXIT_ERROR;
    }
    if (n_ops > 1) {
        for (size_t i = 1; i < n_ops; i++)
            failed |= update_one(l, ops[i], &o) != 0;
    } else if (tts_lists_status(l, &st, &n_st, &err) != TTS_OK) {
        cli_report(&err);
        failed = 1;
    } else {
        for (size_t i = 0; i < n_st; i++) {
            if (st[i].url == NULL)
                continue;
            failed |= update_one(l, st[i].source, &o) != 0;
            done++;
        }
        if (done == 0 && !failed) {
            const char *du, *df;
            if (tts_lists_default_url("us-csl", &du, &df) == TTS_OK)
                failed |= update_one(l, "us-csl", &o) != 0;
        }
    }
    tts_list_status_free(st, n_st);
    tts_lists_close(l);
    return failed ? EXIT_ERROR : EXIT_CLEAN;
}

/*
 * Whole days from the date `then` (YYYY-MM-DD or RFC 3339) to today; -1 when
 * it is not a date. A date in the future (a clock ahead) is 0 days old.
 */
static long age_days(const char *then, const char *today)
{
    long d = 0;
    if (then == NULL || tts_days_between(then, today, &d) != TTS_OK)
        return -1;
    return d < 0 ? 0 : d;
}

/* Where a list's age counts from, for messages: "its import on 2026-01-01". */
static void dated_phrase(const tts_list_status *st, char *out, size_t cap)
{
    const char *by = st->dated_by != NULL ? st->dated_by : "";
    if (st->dated == NULL)
        snprintf(out, cap, "it has no date");
    else if (strcmp(by, "published") == 0)
        snprintf(out, cap, "counted from its publication date %.10s", st->dated);
    else if (strcmp(by, "last-modified") == 0)
        snprintf(out, cap, "counted from its feed's Last-Modified %.10s", st->dated);
    else
        snprintf(out, cap, "counted from its import on %.10s", st->dated);
}

static void status_json(const tts_list_status *st, size_t n, const char *today)
{
    printf("{\"lists\":[");
    for (size_t i = 0; i < n; i++) {
        long age = age_days(st[i].dated, today);
        printf("%s{\"source\":", i > 0 ? "," : "");
        cli_json_str(stdout, st[i].source);
        printf(",\"format\":");
        cli_json_str(stdout, st[i].format);
        printf(",\"entries\":%ld,\"aliases\":%ld,\"imported_at\":", st[i].entries,
               st[i].aliases);
        cli_json_str(stdout, st[i].imported_at);
        printf(",\"fetched_at\":");
        cli_json_str(stdout, st[i].fetched_at);
        printf(",\"checked_at\":");
        cli_json_str(stdout, st[i].checked_at);
        if (st[i].dated != NULL)
            printf(",\"age_days\":%ld,\"sha256\":", age);
        else
            printf(",\"age_days\":null,\"sha256\":");
        cli_json_str(stdout, st[i].sha256);
        printf(",\"content_sha256\":");
        cli_json_str(stdout, st[i].content_sha256);
        printf(",\"transport\":");
        cli_json_str(stdout, st[i].transport);
        printf(",\"names_current\":%s", st[i].names_current ? "true" : "false");
        printf(",\"url\":");
        cli_json_str(stdout, st[i].url);
        printf(",\"file\":");
        cli_json_str(stdout, st[i].file);
        printf(",\"kind\":");
        cli_json_str(stdout, st[i].kind);
        printf(",\"jurisdiction\":");
        cli_json_str(stdout, st[i].jurisdiction);
        printf(",\"severity\":");
        cli_json_str(stdout, st[i].severity);
        printf(",\"dated\":");
        cli_json_str(stdout, st[i].dated);
        printf(",\"dated_by\":");
        cli_json_str(stdout, st[i].dated_by);
        printf("}");
    }
    printf("]}\n");
}

static void status_text(const tts_list_status *st, size_t n, const char *today)
{
    printf("%-12s %8s %8s  %-20s  %-20s  %-17s  %-12s  %-8s  %6s  %-10s  %-13s  %s\n", "source",
           "entries", "aliases", "imported", "fetched", "kind", "jurisdiction", "severity", "age",
           "dated", "dated-by", "sha256");
    for (size_t i = 0; i < n; i++) {
        char age[24];
        if (st[i].dated != NULL)
            snprintf(age, sizeof(age), "%ldd", age_days(st[i].dated, today));
        else
            snprintf(age, sizeof(age), "-");
        printf("%-12s %8ld %8ld  %-20s  %-20s  %-17s  %-12s  %-8s  %6s  %-10.10s  %-13s  %s\n",
               st[i].source, st[i].entries, st[i].aliases,
               st[i].imported_at ? st[i].imported_at : "-",
               st[i].fetched_at ? st[i].fetched_at : "-", st[i].kind ? st[i].kind : "-",
               st[i].jurisdiction ? st[i].jurisdiction : "-",
               st[i].severity ? st[i].severity : "-", age, st[i].dated ? st[i].dated : "-",
               st[i].dated_by ? st[i].dated_by : "-", st[i].sha256 ? st[i].sha256 : "-");
    }
    for (size_t i = 0; i < n; i++)
        if (st[i].transport != NULL && strcmp(st[i].transport, "http") == 0)
            printf("%s: last downloaded over plain HTTP (--allow-insecure-http): nothing "
                   "protected it on the network path\n",
                   st[i].source);
    for (size_t i = 0; i < n; i++)
        if (!st[i].names_current)
            printf("%s: imported by an earlier version of ttscreen whose name matching differs: "
                   "screening against it is refused until it is imported again\n",
                   st[i].source);
}

/*
 * Lists older than max_days (a list without a date counts as old): each
 * named on stderr. With `strict` (--max-age given) that is the finding of
 * the command; without, a warning. Returns how many.
 */
static size_t report_stale(const tts_list_status *st, size_t n, const char *today,
                           double max_days, int strict)
{
    size_t stale = 0;
    for (size_t i = 0; i < n; i++) {
        long age = age_days(st[i].dated, today);
        char from[96];
        if (st[i].dated != NULL && age >= 0 && age <= (long)max_days)
            continue;
        stale++;
        dated_phrase(&st[i], from, sizeof(from));
        if (st[i].dated == NULL || age < 0)
            fprintf(stderr, "ttscreen: %slist %s has no usable date (%s; maximum %g days)\n",
                    strict ? "" : "warning: ", st[i].source, from, max_days);
        else
            fprintf(stderr, "ttscreen: %slist %s is %ld days old (%s; maximum %g)\n",
                    strict ? "" : "warning: ", st[i].source, age, from, max_days);
    }
    return stale;
}

static int lists_status(const char *db, const char *max_age, const char *format)
{
    tts_lists *l = NULL;
    tts_list_status *st = NULL;
    size_t n = 0, stale;
    tts_error err;
    char today[11];
    double max_days = 7;
    int rc = EXIT_ERROR;
    tts_error_clear(&err);
    if (format != NULL && strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("lists status: --format must be text or json, got '%s'", format);
        return EXIT_ERROR;
    }
    if ((max_age != NULL && cli_number("max-age", max_age, 0, 999999, &max_days) != 0) ||
        cli_today(today) != 0)
        return EXIT_ERROR;
    if (tts_lists_open(cli_db_path(db), TTS_LISTS_READONLY, &l, &err) != TTS_OK ||
        tts_lists_status(l, &st, &n, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (format != NULL && strcmp(format, "json") == 0)
        status_json(st, n, today);
    else if (n == 0)
        printf("no lists imported\n");
    else
        status_text(st, n, today);
    if (n > 0 && (format == NULL || strcmp(format, "json") != 0)) {
        char note[256];
        if (tts_lists_index_note(l, note, sizeof(note), &err) != TTS_OK) {
            cli_report(&err);
            goto out;
        }
        if (note[0] != '\0')
            printf("search index: %s\n", note);
    }
    stale = report_stale(st, n, today, max_days, max_age != NULL);
    rc = EXIT_CLEAN;
    if (max_age != NULL && n == 0) {
        cli_error("no lists imported: none is current");
        rc = EXIT_FINDINGS;
    } else if (max_age != NULL && stale > 0) {
        rc = EXIT_FINDINGS;
    }
out:
    tts_list_status_free(st, n);
    tts_lists_close(l);
    return rc;
}

int cmd_lists(int argc, char **argv)
{
    const char *db = NULL, *format = NULL, *max_age = NULL;
    tts_import_opts io = {sizeof(tts_import_opts), NULL, NULL, NULL, NULL, NULL};
    update_args ua = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0};
    const char *from = NULL, *to = NULL, *fail_on = NULL, *rules_dir = NULL;
    int help = 0, rc = EXIT_ERROR, rescreen = 0;
    char **ops = NULL;
    size_t n_ops = 0;
    const cli_option opts[] = {{"db", 0, 1, &db, NULL},
                               {"format", 0, 1, &format, NULL},
                               {"max-age", 0, 1, &max_age, NULL},
                               {"kind", 0, 1, &io.kind, NULL},
                               {"jurisdiction", 0, 1, &io.jurisdiction, NULL},
                               {"severity", 0, 1, &io.severity, NULL},
                               {"url", 0, 1, &ua.url, NULL},
                               {"timeout", 0, 1, &ua.timeout, NULL},
                               {"connect-timeout", 0, 1, &ua.connect_timeout, NULL},
                               {"max-bytes", 0, 1, &ua.max_bytes, NULL},
                               {"retries", 0, 1, &ua.retries, NULL},
                               {"ca-file", 0, 1, &ua.ca_file, NULL},
                               {"allow-insecure-http", 0, 0, NULL, &ua.allow_http},
                               {"max-drop", 0, 1, &ua.max_drop, NULL},
                               {"accept-drop", 0, 0, NULL, &ua.accept_drop},
                               {"quiet", 'q', 0, NULL, &ua.quiet},
                               {"help", 'h', 0, NULL, &help},
                               {"from", 0, 1, &from, NULL},
                               {"to", 0, 1, &to, NULL},
                               {"rescreen", 0, 0, NULL, &rescreen},
                               {"fail-on", 0, 1, &fail_on, NULL},
                               {"rules", 0, 1, &rules_dir, NULL},
                               {NULL, 0, 0, NULL, NULL}};
    if (cli_parse("lists", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        rc = EXIT_CLEAN;
    } else if (n_ops == 0) {
        cli_error("lists: expected import, update, status or diff (see 'ttscreen lists --help')");
    } else if (strcmp(ops[0], "import") != 0 &&
               (io.kind != NULL || io.jurisdiction != NULL || io.severity != NULL)) {
        cli_error("lists %s: --kind, --jurisdiction and --severity are set by 'lists import'",
                  ops[0]);
    } else if ((from != NULL || to != NULL) && strcmp(ops[0], "diff") != 0) {
        cli_error("lists %s: --from and --to are options of 'lists diff'", ops[0]);
    } else if ((rescreen || fail_on != NULL || rules_dir != NULL) &&
               strcmp(ops[0], "update") != 0) {
        cli_error("lists %s: --rescreen, --fail-on and --rules are options of 'lists update'",
                  ops[0]);
    } else if (!rescreen && (fail_on != NULL || rules_dir != NULL)) {
        cli_error("lists update: --fail-on and --rules go with --rescreen");
    } else if (strcmp(ops[0], "diff") == 0) {
        rc = cli_lists_diff(db, ops, n_ops, format, from, to);
    } else if (strcmp(ops[0], "import") == 0) {
        rc = lists_import(db, format, &io, ops, n_ops, ua.quiet);
    } else if (strcmp(ops[0], "update") == 0) {
        ua.format = format;
        rc = lists_update(db, &ua, ops, n_ops);
        if (rescreen) {
            /* the changes reach the stored cases; an update that failed kept its old list */
            cli_rescreen_args ra;
            int rr;
            memset(&ra, 0, sizeof(ra));
            ra.fail_on = fail_on;
            ra.rules_dir = rules_dir;
            ra.db = db;
            ra.changed_lists = 1;
            ra.quiet = ua.quiet;
            rr = cli_rescreen_run(&ra);
            rc = rc == EXIT_ERROR || rr == EXIT_ERROR ? EXIT_ERROR : rr;
        }
    } else if (strcmp(ops[0], "status") == 0) {
        if (n_ops != 1)
            cli_error("lists status: takes no operands");
        else
            rc = lists_status(db, max_age, format);
    } else {
        cli_error("lists: unknown subcommand '%s' (import, update, status, diff)", ops[0]);
    }
    free(ops);
    return rc;
}
