/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen record template|schema`: for the people and systems that write
 * deal records, a commented example of each kind of deal that `screen`
 * accepts, and the JSON Schema (2020-12) of ttscreen-record/1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static const char usage_text[] =
    "usage: ttscreen record template [--kind research|licence|joint-venture|supply-chain]\n"
    "       ttscreen record schema\n"
    "template: a commented example record (members named _comment are notes; replace every\n"
    "value) that passes `ttscreen screen`; default kind research.\n"
    "schema: the JSON Schema (draft 2020-12) of ttscreen-record/1. It checks the shape, types,\n"
    "vocabularies, countries and date forms; ids being unique, references naming parties and\n"
    "people of the record, real calendar dates and near-miss member names are checked by\n"
    "`screen` alone.\n";

int cmd_record(int argc, char **argv)
{
    const char *kind = NULL, *text;
    char **ops = NULL;
    size_t n_ops = 0, len = 0;
    int help = 0, rc = EXIT_ERROR;
    const cli_option opts[] = {{"kind", 0, 1, &kind, NULL},
                               {"help", 'h', 0, NULL, &help},
                               {NULL, 0, 0, NULL, NULL}};
    if (cli_parse("record", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        fputs(usage_text, stdout);
        free(ops);
        return EXIT_CLEAN;
    }
    if (n_ops != 1 || (strcmp(ops[0], "template") != 0 && strcmp(ops[0], "schema") != 0)) {
        cli_error("record: expected template or schema (see 'ttscreen record --help')");
        goto out;
    }
    if (strcmp(ops[0], "schema") == 0) {
        if (kind != NULL) {
            cli_error("record schema: --kind goes with record template");
            goto out;
        }
        text = tts_record_schema_json(&len);
    } else {
        text = tts_record_template(kind != NULL ? kind : "research", &len);
        if (text == NULL) {
            cli_error("record template: unknown --kind '%s' (expected research, licence, "
                      "joint-venture or supply-chain)",
                      kind);
            goto out;
        }
    }
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
        cli_error("standard output: write error");
        goto out;
    }
    rc = EXIT_CLEAN;
out:
    free(ops);
    return rc;
}
