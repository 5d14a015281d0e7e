/* SPDX-License-Identifier: MIT */
/*
 * ttscreen command line: dispatch to subcommands. Each subcommand lives in
 * cmd_<verb>.c and sees only the public library API.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

typedef struct command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} command;

static const command commands[] = {
    {"screen", cmd_screen, "screen partnership records and print their reports"},
    {"rules", cmd_rules, "check, test and list the compliance rules"},
    {"keygen", cmd_keygen, "create a signing key and a self-signed certificate"},
    {"verify", cmd_verify, "check a signed report"},
    {"search", cmd_search, "screen one name against the denied-party lists"},
    {"lists", cmd_lists, "import, update and show denied-party lists"},
    {"cases", cmd_cases, "list, show and decide the stored cases"},
    {"rescreen", cmd_rescreen, "screen every stored case again and report what changed"},
    {"audit", cmd_audit, "verify or export the database's audit log"},
    {"record", cmd_record, "print a template record or the record JSON Schema"},
    {NULL, NULL, NULL},
};

static void usage(FILE *fp)
{
    fprintf(fp, "usage: ttscreen COMMAND [options] [operands]\n\ncommands:\n");
    for (const command *c = commands; c->name != NULL; c++)
        fprintf(fp, "  %-10s %s\n", c->name, c->summary);
    fprintf(fp, "\n'ttscreen COMMAND --help' describes a command. Exit status: 0 success, "
                "1 findings at or above --fail-on or a failed verification, 2 error.\n");
}

int main(int argc, char **argv)
{
    int rc;
    if (argc < 2) {
        usage(stderr);
        return EXIT_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        usage(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
        char line[160];
        printf("ttscreen %s\n", tts_version());
        for (size_t i = 0; i < tts_library_count(); i++) {
            tts_library_version(i, line, sizeof(line));
            printf("  %s\n", line);
        }
        return EXIT_CLEAN;
    }
    for (const command *c = commands; c->name != NULL; c++) {
        if (strcmp(argv[1], c->name) == 0) {
            if (tts_init() != TTS_OK) {
                cli_error("cannot initialise the libraries");
                return EXIT_ERROR;
            }
            rc = c->run(argc - 1, argv + 1);
            tts_fini();
            return rc;
        }
    }
    cli_error("unknown command '%s' (see 'ttscreen --help')", argv[1]);
    return EXIT_ERROR;
}
