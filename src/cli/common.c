/* SPDX-License-Identifier: MIT */
/*
 * Option parsing and the small services every subcommand needs.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>

#ifndef TTS_RULES_DIR
#define TTS_RULES_DIR "/usr/local/share/ttscreen/rules"
#endif

void cli_error(const char *fmt, ...)
{
    va_list ap;
    cli_progress_interrupt(); /* a message never lands on the end of a progress line */
    fputs("ttscreen: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_report(const tts_error *err)
{
    cli_progress_interrupt();
    if (err->message[0] != '\0')
        fprintf(stderr, "%s\n", err->message);
    else
        cli_error("%s", tts_strerror(err->status));
}

static const cli_option *find_long(const cli_option *opts, const char *name, size_t len)
{
    for (const cli_option *o = opts; o->long_name != NULL; o++)
        if (strlen(o->long_name) == len && strncmp(o->long_name, name, len) == 0)
            return o;
    return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
    for (const cli_option *o = opts; o->long_name != NULL; o++)
        if (o->short_name != 0 && o->short_name == c)
            return o;
    return NULL;
}

int cli_parse(const char *cmd, int argc, char **argv, const cli_option *opts,
              char ***operands, size_t *n_operands)
{
    char **ops = calloc((size_t)(argc > 0 ? argc : 1), sizeof(char *));
    size_t n = 0;
    int only_operands = 0;
    if (ops == NULL) {
        cli_error("out of memory");
        return -1;
    }
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const cli_option *o = NULL;
        const char *val = NULL;
        if (only_operands || a[0] != '-' || strcmp(a, "-") == 0) {
            ops[n++] = argv[i];
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a + 2, '=');
            size_t len = eq != NULL ? (size_t)(eq - (a + 2)) : strlen(a + 2);
            o = find_long(opts, a + 2, len);
            if (eq != NULL)
                val = eq + 1;
        } else if (a[2] == '\0') {
            o = find_short(opts, a[1]);
        }
        if (o == NULL) {
            cli_error("%s: unknown option '%s' (see 'ttscreen %s --help')", cmd, a, cmd);
            free(ops);
            return -1;
        }
        if (o->takes_value) {
            if (val == NULL) {
                if (i + 1 >= argc) {
                    cli_error("%s: option '--%s' needs a value", cmd, o->long_name);
                    free(ops);
                    return -1;
                }
                val = argv[++i];
            }
            *o->value = val;
        } else {
            if (val != NULL) {
                cli_error("%s: option '--%s' takes no value", cmd, o->long_name);
                free(ops);
                return -1;
            }
            *o->flag = 1;
        }
    }
    *operands = ops;
    *n_operands = n;
    return 0;
}

const char *cli_db_path(const char *opt)
{
    const char *env = getenv("TTSCREEN_DB");
    if (opt != NULL)
        return opt;
    if (env != NULL && env[0] != '\0')
        return env;
    return "./ttscreen.db";
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *cli_rules_dir(const char *opt)
{
    const char *env = getenv("TTSCREEN_RULES");
    if (opt != NULL)
        return opt;
    if (env != NULL && env[0] != '\0')
        return env;
    if (is_dir("./rules"))
        return "./rules";
    return TTS_RULES_DIR;
}

int cli_now(char rfc3339[32], char date[11])
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    time_t t;
    struct tm tm;
    if (sde != NULL && sde[0] != '\0') {
        char *end = NULL;
        long long v;
        errno = 0;
        v = strtoll(sde, &end, 10);
        if (errno != 0 || *end != '\0' || v < 0 || v > 253402300799LL) {
            cli_error("SOURCE_DATE_EPOCH: not a number of seconds: '%s'", sde);
            return -1;
        }
        t = (time_t)v;
    } else {
        t = time(NULL);
    }
    if (gmtime_r(&t, &tm) == NULL) {
        cli_error("cannot read the clock");
        return -1;
    }
    strftime(rfc3339, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
    strftime(date, 11, "%Y-%m-%d", &tm);
    return 0;
}

void cli_json_list(FILE *fp, const char *s)
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

int cli_today(char date[11])
{
    time_t t = time(NULL);
    struct tm tm;
    if (t == (time_t)-1 || gmtime_r(&t, &tm) == NULL) {
        cli_error("cannot read the clock");
        return -1;
    }
    strftime(date, 11, "%Y-%m-%d", &tm);
    return 0;
}

int cli_load_rules(const char *cmd, const char *dir, tts_rules **out)
{
    tts_error err;
    tts_error_clear(&err);
    *out = NULL;
    if (tts_rules_load_dir(dir, NULL, out, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    if (tts_rules_count(*out) == 0) {
        cli_error("%s: no rules in %s: a rule directory must hold at least one rule (see "
                  "--rules and $TTSCREEN_RULES)",
                  cmd, dir);
        tts_rules_free(*out);
        *out = NULL;
        return -1;
    }
    return 0;
}

tts_status cli_lists_open_for_run(const char *db, tts_lists **out, tts_error *err)
{
    tts_lists *w = NULL;
    tts_status rc;
    *out = NULL;
    if (access(db, F_OK) != 0)
        return tts_lists_open(db, 0, out, err);
    if ((rc = tts_lists_open(db, 0, &w, err)) != TTS_OK)
        return rc;
    tts_lists_close(w);
    return tts_lists_open(db, TTS_LISTS_READONLY | TTS_LISTS_SNAPSHOT, out, err);
}

int cli_lists_ready(const char *cmd, const char *db, const tts_list_info *info, size_t n,
                    int no_lists, const char *max_age, const char *today)
{
    double max_days = 0;
    long entries = 0;
    if (no_lists)
        return 0;
    if (max_age != NULL && cli_number("max-list-age", max_age, 0, 36500, &max_days) != 0)
        return -1;
    for (size_t i = 0; i < n; i++)
        entries += info[i].entries;
    if (entries == 0) {
        cli_error("%s: no denied-party list is loaded in %s: load one with 'ttscreen lists "
                  "import SOURCE FILE' or 'ttscreen lists update', or pass --no-lists to screen "
                  "by the rules alone",
                  cmd, db);
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        if (!info[i].names_current) {
            cli_error("%s: list %s was imported by an earlier version of ttscreen whose name "
                      "matching differs, so its names could miss a listed party: import it "
                      "again ('ttscreen lists import' or 'ttscreen lists update') before "
                      "screening, or pass --no-lists",
                      cmd, info[i].source);
            return -1;
        }
    for (size_t i = 0; max_age != NULL && i < n; i++) {
        const char *when = info[i].dated != NULL ? info[i].dated : info[i].imported_at;
        const char *by = info[i].dated != NULL && info[i].dated_by != NULL ? info[i].dated_by
                                                                           : "imported";
        long age = 0;
        if (when == NULL || tts_days_between(when, today, &age) != TTS_OK) {
            cli_error("%s: list %s has no date to count its age from; re-import it, or leave "
                      "out --max-list-age",
                      cmd, info[i].source);
            return -1;
        }
        if (age > (long)max_days) {
            cli_error("%s: list %s is %ld days old (%s %.10s), older than --max-list-age %.0f: "
                      "update it with 'ttscreen lists update' or 'ttscreen lists import'",
                      cmd, info[i].source, age, by, when, max_days);
            return -1;
        }
    }
    return 0;
}

const char *cli_actor(const char *opt)
{
    struct passwd *pw;
    const char *env;
    if (opt != NULL && opt[0] != '\0')
        return opt;
    pw = getpwuid(geteuid());
    if (pw != NULL && pw->pw_name != NULL && pw->pw_name[0] != '\0')
        return pw->pw_name;
    env = getenv("USER");
    return env != NULL && env[0] != '\0' ? env : "unknown";
}

/* Print s as a JSON string (s is valid UTF-8: it comes from the database or argv checked). */
void cli_json_str(FILE *fp, const char *s)
{
    if (s == NULL) {
        fputs("null", fp);
        return;
    }
    fputc('"', fp);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(fp, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", fp);
        else if (*p == '\t')
            fputs("\\t", fp);
        else if (*p == '\r')
            fputs("\\r", fp);
        else if (*p < 0x20)
            fprintf(fp, "\\u%04x", *p);
        else
            fputc(*p, fp);
    }
    fputc('"', fp);
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

void cli_json_facts(FILE *fp, const tts_match *h)
{
    if (h->country_delta == 0.0 && h->ident_delta == 0.0 && !h->exact_kept)
        return;
    fprintf(fp, "\"name_score\":%.4f,\"country_adjustment\":%.4f,", h->name_score,
            h->country_delta);
    if (h->ident_delta != 0.0)
        fprintf(fp, "\"identifier_adjustment\":%.4f,", h->ident_delta);
    if (h->exact_kept)
        fputs("\"exact_name_kept\":true,", fp);
}
