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
    "usage: ttscreen audit verify [--head HASH] [--db PATH]\n"
    "       ttscreen audit export [-o FILE] [--db PATH]\n"
    "\n"
    "verify: walk the audit log's hash chain and recompute every screening's and decision's\n"
    "content hash; exit 1 naming the first broken row. --head HASH (from an earlier export)\n"
    "also proves that no newer rows were removed. export: the log as JSON Lines, ending with\n"
    "a {\"head\": ..., \"rows\": ...} line.\n";

static int write_line(void *user, const char *line, size_t len)
{
    return fwrite(line, 1, len, (FILE *)user) != len;
}

static int verify(tts_cases *c, const char *head)
{
    tts_audit_result r;
    tts_error err;
    tts_error_clear(&err);
    if (tts_cases_audit_verify(c, head, &r, &err) != TTS_OK) {
        cli_report(&err);
        return EXIT_ERROR;
    }
    if (r.broken_row != 0) {
        fprintf(stderr, "audit: chain broken at row %ld: %s\n", r.broken_row, r.problem);
        return EXIT_FINDINGS;
    }
    printf("audit: %ld row%s verified, head %s\n", r.rows, r.rows == 1 ? "" : "s",
           r.rows > 0 ? r.head : "(empty)");
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
    int help = 0, rc;
    char **ops = NULL;
    size_t n_ops = 0;
    tts_cases *c = NULL;
    tts_error err;
    const cli_option opts[] = {
        {"db", 0, 1, &db, NULL},     {"head", 0, 1, &head, NULL}, {"out", 'o', 1, &out, NULL},
        {"help", 'h', 0, NULL, &help}, {NULL, 0, 0, NULL, NULL},
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
        cli_report(&err);
        free(ops);
        return EXIT_ERROR;
    }
    rc = strcmp(ops[0], "verify") == 0 ? verify(c, head) : export_log(c, out);
    tts_cases_close(c);
    free(ops);
    return rc;
}
