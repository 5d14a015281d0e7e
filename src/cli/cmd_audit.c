/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen audit verify|export`: check the database's hash-chained audit
 * log end to end, or write it out as JSON Lines for archiving.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen audit verify [--head HASH] [--full] [--db PATH]\n"
    "       ttscreen audit export [-o FILE] [--db PATH]\n"
    "\n"
    "verify: check the database file (SQLite's quick_check; --full: integrity_check), walk\n"
    "the audit log's hash chain and recompute the content hash of every screening (its row,\n"
    "findings and case), decision and list (its entries, names, import and feed record) and\n"
    "the stored search index from the rows; exit 1 naming the first broken row or the\n"
    "damage. --head HASH (from an earlier export)\n"
    "also proves that no newer rows were removed. export: the log as JSON Lines, ending with\n"
    "a {\"head\": ..., \"rows\": ...} line.\n";

static int write_line(void *user, const char *line, size_t len)
{
    return fwrite(line, 1, len, (FILE *)user) != len;
}

/*
 * The stored search index is built from the list rows; one that differs
 * from them would show searches what the lists do not hold.
 */
static int index_ok(const char *db, char *problem, size_t cap)
{
    tts_lists *l = NULL;
    tts_error err;
    int ok = 1;
    tts_error_clear(&err);
    if (tts_lists_open(db, 0, &l, &err) != TTS_OK ||
        tts_lists_check_index(l, &ok, problem, cap, &err) != TTS_OK) {
        cli_report(&err);
        tts_lists_close(l);
        return -1;
    }
    tts_lists_close(l);
    return ok;
}

static int verify(tts_cases *c, const char *db, const char *head, int full)
{
    tts_audit_result r;
    tts_error err;
    char problem[256];
    int ok;
    tts_error_clear(&err);
    if (tts_cases_audit_check(c, head, full ? TTS_AUDIT_FULL : 0, &r, &err) != TTS_OK) {
        cli_report(&err);
        return EXIT_ERROR;
    }
    if (r.damaged) {
        fprintf(stderr, "audit: database file %s is damaged (%s): %s\n", db,
                full ? "integrity_check" : "quick_check", r.problem);
        return EXIT_FINDINGS;
    }
    if (r.broken_row != 0) {
        fprintf(stderr, "audit: chain broken at row %ld: %s\n", r.broken_row, r.problem);
        return EXIT_FINDINGS;
    }
    if ((ok = index_ok(db, problem, sizeof(problem))) < 0)
        return EXIT_ERROR;
    if (ok == 0) {
        fprintf(stderr, "audit: %s\n", problem);
        return EXIT_FINDINGS;
    }
    printf("audit: %ld row%s verified, head %s\n", r.rows, r.rows == 1 ? "" : "s",
           r.rows > 0 ? r.head : "(empty)");
    if (r.legacy_lists > 0)
        printf("audit: note: %ld list%s last imported by an earlier version: %s rows are not "
               "under the chain until %s imported again\n",
               r.legacy_lists, r.legacy_lists == 1 ? "" : "s",
               r.legacy_lists == 1 ? "its" : "their", r.legacy_lists == 1 ? "it is" : "they are");
    if (problem[0] != '\0')
        printf("audit: note: search index: %s\n", problem);
    return EXIT_CLEAN;
}

static int export_log(tts_cases *c, const char *path)
{
    tts_error err;
    FILE *fp = stdout;
    int rc = EXIT_CLEAN;
    tts_error_clear(&err);
    if (path != NULL && (fp = fopen(path, "w")) == NULL) {
        cli_error("%s: cannot write: %s", path, strerror(errno));
        return EXIT_ERROR;
    }
    if (tts_cases_audit_export(c, write_line, fp, &err) != TTS_OK) {
        cli_report(&err);
        rc = EXIT_ERROR;
    }
    if ((fp != stdout ? fclose(fp) : fflush(fp)) != 0 && rc == EXIT_CLEAN) {
        cli_error("%s: write error", path != NULL ? path : "standard output");
        rc = EXIT_ERROR;
    }
    return rc;
}

int cmd_audit(int argc, char **argv)
{
    const char *db = NULL, *head = NULL, *out = NULL;
    int help = 0, full = 0, rc;
    char **ops = NULL;
    size_t n_ops = 0;
    tts_cases *c = NULL;
    tts_error err;
    const cli_option opts[] = {
        {"db", 0, 1, &db, NULL},     {"head", 0, 1, &head, NULL}, {"out", 'o', 1, &out, NULL},
        {"full", 0, 0, NULL, &full},   {"help", 'h', 0, NULL, &help},
        {NULL, 0, 0, NULL, NULL},
    };
    tts_error_clear(&err);
    if (cli_parse("audit", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    if (n_ops != 1 || (strcmp(ops[0], "verify") != 0 && strcmp(ops[0], "export") != 0)) {
        cli_error("audit: expected verify or export (see 'ttscreen audit --help')");
        free(ops);
        return EXIT_ERROR;
    }
    if (access(cli_db_path(db), F_OK) != 0) {
        cli_error("audit: database %s does not exist", cli_db_path(db));
        free(ops);
        return EXIT_ERROR;
    }
    /* opened for writing: a database left at an older schema is upgraded first */
    if (tts_cases_open(cli_db_path(db), 0, &c, &err) != TTS_OK) {
        /* a file SQLite cannot read is the damage verify exists to report */
        int damaged = err.status == TTS_ERR_DB && strcmp(ops[0], "verify") == 0 &&
                      (strstr(err.message, "malformed") != NULL ||
                       strstr(err.message, "not a database") != NULL);
        if (damaged)
            fprintf(stderr, "audit: database file %s is damaged: %s\n", cli_db_path(db),
                    err.message);
        else
            cli_report(&err);
        free(ops);
        return damaged ? EXIT_FINDINGS : EXIT_ERROR;
    }
    rc = strcmp(ops[0], "verify") == 0 ? verify(c, cli_db_path(db), head, full)
                                        : export_log(c, out);
    tts_cases_close(c);
    free(ops);
    return rc;
}
