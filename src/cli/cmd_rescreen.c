/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen rescreen`: screen every stored case's latest record again with
 * the current rules and lists, store each outcome, and report per case the
 * findings that are new and gone and the verdict change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen rescreen [--fail-on SEVERITY] [--format text|json] [--as-of YYYY-MM-DD]\n"
    "                         [--rules DIR] [--db PATH] [--by NAME] [--no-lists]\n"
    "                         [--max-list-age DAYS] [--changed-lists] [--sync full|normal]\n"
    "                         [--quiet] [--jobs N]\n"
    "\n"
    "Screen every stored case again, with the current rules and the lists in the database,\n"
    "and report what changed since its last screening. With no list loaded this is an error\n"
    "unless --no-lists (rules alone; each stored screening says no list was consulted).\n"
    "--max-list-age DAYS fails when a list is older than DAYS (from its own date, else its\n"
    "import).\n"
    "--changed-lists re-screens only the cases a change can affect since each was last\n"
    "checked: a name or identifier matching an added or changed list entry, a finding or\n"
    "decision on a removed or changed one, other rules, another as-of date; the findings are\n"
    "exactly those of a full rescreen. Each new or gone finding names the list entry and list\n"
    "version behind it; a cleared match raised again says why.\n"
    "On a terminal a progress line on standard error shows the cases done; -q, --quiet: none.\n"
    "Up to 512 screenings (or 200 ms of them) are committed together, each its own audit row;\n"
    "a crash loses the open group only, each case keeping its old or its new screening.\n"
    "--sync full (default): each commit is on disk when it returns; normal: a power loss or OS\n"
    "crash may undo the last commits (a process crash loses nothing committed).\n"
    "-j, --jobs N: evaluate cases on N threads (default: the processors available); they are\n"
    "stored and reported in the same order, the same bytes, as with --jobs 1.\n"
    "Exit status: 0 no new finding at or above --fail-on (default high), 1 there is one,\n"
    "2 error.\n";

int cli_sync_apply(const char *cmd, tts_cases *c, const char *mode)
{
    tts_error err;
    int full;
    if (mode == NULL || strcmp(mode, "full") == 0)
        full = 1;
    else if (strcmp(mode, "normal") == 0)
        full = 0;
    else {
        cli_error("%s: unknown --sync '%s' (expected full or normal)", cmd, mode);
        return -1;
    }
    tts_error_clear(&err);
    if (tts_cases_sync(c, full, &err) != TTS_OK) {
        cli_report(&err);
        return -1;
    }
    return 0;
}

static void progress_cb(void *user, long done, long total)
{
    cli_progress *p = user;
    p->total = total;
    cli_progress_step(p, done);
}

int cli_rescreen_run(const cli_rescreen_args *a)
{
    cli_progress progress;
    int failed = 0, rc = EXIT_ERROR;
    char now[32], today[11], *text = NULL;
    size_t len = 0;
    tts_rules *rules = NULL;
    tts_cases *c = NULL;
    tts_lists *lists = NULL;
    tts_list_info *info = NULL;
    size_t n_info = 0;
    tts_rescreen_opts ro;
    tts_error err;

    tts_error_clear(&err);
    memset(&ro, 0, sizeof(ro));
    ro.size = sizeof(ro);
    ro.jobs = tts_jobs_available();
    if (a->jobs != NULL && tts_jobs_parse(a->jobs, &ro.jobs) != TTS_OK) {
        cli_error("rescreen: --jobs '%s' must be a whole number from 1 to %d", a->jobs,
                  TTS_JOBS_MAX);
        return EXIT_ERROR;
    }
    ro.fail_on = TTS_SEV_HIGH;
    if (a->format != NULL &&
        (tts_format_parse(a->format, &ro.format) != TTS_OK ||
         (ro.format != TTS_FORMAT_TEXT && ro.format != TTS_FORMAT_JSON))) {
        cli_error("rescreen: unknown --format '%s' (expected text or json)", a->format);
        goto out;
    }
    if (a->fail_on != NULL && tts_severity_parse(a->fail_on, &ro.fail_on) != TTS_OK) {
        cli_error("rescreen: unknown --fail-on '%s' (expected info, low, medium, high or "
                  "critical)",
                  a->fail_on);
        goto out;
    }
    if (a->as_of != NULL && tts_date_check(a->as_of) != TTS_OK) {
        cli_error("rescreen: --as-of '%s' is not a real calendar date YYYY-MM-DD", a->as_of);
        goto out;
    }
    if (cli_now(now, today) != 0 || cli_today(today) != 0)
        goto out;
    if (cli_load_rules("rescreen", cli_rules_dir(a->rules_dir), &rules) != 0)
        goto out;
    /* the lists read from one snapshot, as screen does (the versions the run names are the
       ones searched); a database not there yet is left to the usual errors */
    if (cli_lists_open_for_run(cli_db_path(a->db), &lists, &err) != TTS_OK ||
        tts_lists_info(lists, &info, &n_info, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (cli_lists_ready("rescreen", cli_db_path(a->db), info, n_info, a->no_lists,
                        a->max_list_age, today) != 0)
        goto out;
    if (tts_cases_open(cli_db_path(a->db), 0, &c, &err) != TTS_OK) {
        cli_report(&err);
        goto out;
    }
    if (cli_sync_apply("rescreen", c, a->sync) != 0)
        goto out;
    if (!a->no_lists) {
        /* the same lists as `screen` would consult now */
        ro.lists_db = lists;
        ro.lists = info;
        ro.n_lists = n_info;
    }
    ro.no_lists = a->no_lists;
    ro.changed_lists = a->changed_lists;
    ro.rules = rules;
    ro.scan.size = sizeof(ro.scan);
    ro.scan.as_of = a->as_of;
    ro.today = today;
    ro.at = now;
    ro.actor = cli_actor(a->by);
    ro.tool_version = tts_version();
    ro.progress = progress_cb;
    ro.progress_user = &progress;
    /* the report is printed at the end: the line never mixes with it */
    cli_progress_start(&progress, "rescreen", "cases", -1, a->quiet);
    if (tts_cases_rescreen(c, &ro, &text, &len, &failed, &err) != TTS_OK) {
        cli_progress_end(&progress);
        cli_report(&err);
        goto out;
    }
    cli_progress_end(&progress);
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("standard output: write error");
        goto out;
    }
    rc = failed ? EXIT_FINDINGS : EXIT_CLEAN;
out:
    tts_free(text);
    tts_cases_close(c);
    tts_list_info_free(info, n_info);
    tts_lists_close(lists);
    tts_rules_free(rules);
    return rc;
}

int cmd_rescreen(int argc, char **argv)
{
    cli_rescreen_args a;
    int help = 0, rc;
    char **ops = NULL;
    size_t n_ops = 0;
    const cli_option opts[] = {
        {"format", 0, 1, &a.format, NULL},
        {"fail-on", 0, 1, &a.fail_on, NULL},
        {"as-of", 0, 1, &a.as_of, NULL},
        {"rules", 0, 1, &a.rules_dir, NULL},
        {"db", 0, 1, &a.db, NULL},
        {"by", 0, 1, &a.by, NULL},
        {"help", 'h', 0, NULL, &help},
        {"no-lists", 0, 0, NULL, &a.no_lists},
        {"max-list-age", 0, 1, &a.max_list_age, NULL},
        {"changed-lists", 0, 0, NULL, &a.changed_lists},
        {"quiet", 'q', 0, NULL, &a.quiet},
        {"sync", 0, 1, &a.sync, NULL},
        {"jobs", 'j', 1, &a.jobs, NULL},
        {NULL, 0, 0, NULL, NULL},
    };
    memset(&a, 0, sizeof(a));
    if (cli_parse("rescreen", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    if (n_ops != 0) {
        cli_error("rescreen: takes no operands (see 'ttscreen rescreen --help')");
        free(ops);
        return EXIT_ERROR;
    }
    rc = cli_rescreen_run(&a);
    free(ops);
    return rc;
}
