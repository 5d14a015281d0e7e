/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen cases list|show|decide`: the stored case file. A case is named
 * by its record's id; decisions are kept forever and a later one
 * supersedes an earlier one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen cases list [--kind deal|counterparty] [--format text|json] [--db PATH]\n"
    "       ttscreen cases show ID [--format text|json] [--db PATH]\n"
    "       ttscreen cases decide ID --disposition cleared|escalated|licence-required|rejected\n"
    "                             --by NAME --reason TEXT [--finding RULE[:SOURCE:ENTRY]]\n"
    "                             [--db PATH]\n"
    "\n"
    "list: every case with its latest verdict; show: a case's findings, decisions and\n"
    "screenings; decide: record a reviewer's decision about the whole case or one finding\n"
    "(for a list hit, one list entry: a cleared entry is not raised again on this case while\n"
    "the entry is unchanged). --kind: only deals (screened records) or counterparties (rows\n"
    "kept by search --batch --store).\n";

typedef struct cases_opts {
    const char *format, *db, *disposition, *by, *reason, *finding, *kind;
    int help;
} cases_opts;

/* Print a rendered string and free it. */
static int emit(char *text, size_t len)
{
    int ok = fwrite(text, 1, len, stdout) == len && fflush(stdout) == 0;
    tts_free(text);
    if (!ok) {
        cli_error("standard output: write error");
        return EXIT_ERROR;
    }
    return EXIT_CLEAN;
}

static int run(const char *verb, cases_opts *o, char **ops, size_t n_ops)
{
    tts_cases *c = NULL;
    tts_error err;
    tts_format fmt = TTS_FORMAT_TEXT;
    char *text = NULL, now[32], today[11];
    size_t len = 0;
    tts_status rc;
    int readonly = strcmp(verb, "decide") != 0;

    tts_error_clear(&err);
    if (o->format != NULL && (tts_format_parse(o->format, &fmt) != TTS_OK ||
                              (fmt != TTS_FORMAT_TEXT && fmt != TTS_FORMAT_JSON))) {
        cli_error("cases: unknown --format '%s' (expected text or json)", o->format);
        return EXIT_ERROR;
    }
    if (o->kind != NULL && strcmp(verb, "list") != 0) {
        cli_error("cases %s: --kind goes with cases list", verb);
        return EXIT_ERROR;
    }
    if ((strcmp(verb, "list") == 0 && n_ops != 0) || (strcmp(verb, "list") != 0 && n_ops != 1)) {
        cli_error("cases %s: wrong number of operands (see 'ttscreen cases --help')", verb);
        return EXIT_ERROR;
    }
    if (!readonly && (o->disposition == NULL || o->by == NULL || o->reason == NULL)) {
        cli_error("cases decide: --disposition, --by and --reason are required");
        return EXIT_ERROR;
    }
    if (readonly && access(cli_db_path(o->db), F_OK) != 0) {
        /* nothing screened into this database yet */
        if (strcmp(verb, "list") == 0) {
            printf("no cases yet: database %s does not exist\n", cli_db_path(o->db));
            return EXIT_CLEAN;
        }
        cli_error("cases show: no case \"%s\": database %s does not exist", ops[0],
                  cli_db_path(o->db));
        return EXIT_ERROR;
    }
    /* opened for writing even to read: a database left at an older schema is upgraded */
    if (tts_cases_open(cli_db_path(o->db), 0, &c, &err) != TTS_OK) {
        cli_report(&err);
        return EXIT_ERROR;
    }
    if (strcmp(verb, "list") == 0) {
        rc = tts_cases_render_list_of(c, fmt, o->kind, &text, &len, &err);
    } else if (strcmp(verb, "show") == 0) {
        rc = tts_cases_render_show(c, ops[0], fmt, &text, &len, &err);
    } else {
        tts_decision_input d;
        memset(&d, 0, sizeof(d));
        d.size = sizeof(d);
        d.record_id = ops[0];
        d.disposition = o->disposition;
        d.by = o->by;
        d.reason = o->reason;
        d.finding = o->finding;
        rc = cli_now(now, today) == 0 ? TTS_OK : TTS_ERR_ARG;
        d.at = now;
        if (rc == TTS_OK)
            rc = tts_cases_decide(c, &d, &err);
        if (rc == TTS_OK)
            printf("case %s: %s by %s recorded\n", ops[0], o->disposition, o->by);
    }
    tts_cases_close(c);
    if (rc != TTS_OK) {
        if (err.status != TTS_OK)
            cli_report(&err);
        return EXIT_ERROR;
    }
    return text != NULL ? emit(text, len) : EXIT_CLEAN;
}

int cmd_cases(int argc, char **argv)
{
    cases_opts o;
    char **ops = NULL;
    size_t n_ops = 0;
    int rc;
    const cli_option opts[] = {
        {"format", 0, 1, &o.format, NULL},
        {"kind", 0, 1, &o.kind, NULL},
        {"db", 0, 1, &o.db, NULL},
        {"disposition", 0, 1, &o.disposition, NULL},
        {"by", 0, 1, &o.by, NULL},
        {"reason", 0, 1, &o.reason, NULL},
        {"finding", 0, 1, &o.finding, NULL},
        {"help", 'h', 0, NULL, &o.help},
        {NULL, 0, 0, NULL, NULL},
    };
    memset(&o, 0, sizeof(o));
    if (cli_parse("cases", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (o.help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    if (n_ops == 0 || (strcmp(ops[0], "list") != 0 && strcmp(ops[0], "show") != 0 &&
                       strcmp(ops[0], "decide") != 0)) {
        cli_error("cases: expected list, show or decide (see 'ttscreen cases --help')");
        free(ops);
        return EXIT_ERROR;
    }
    rc = run(ops[0], &o, ops + 1, n_ops - 1);
    free(ops);
    return rc;
}
