/* SPDX-License-Identifier: MIT */
/*
 * Command-line plumbing shared by the subcommands: option parsing (options
 * may come before or after operands), error printing, common file
 * resolution (database, rules directory) and the clock.
 */
#ifndef TTS_CLI_H
#define TTS_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "ttscreen.h"

/* Exit statuses of the command-line contract. */
enum { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

typedef struct cli_option {
    const char *long_name; /* without the leading "--" */
    char short_name;       /* 0 when none */
    int takes_value;       /* 1: "--name VALUE" or "--name=VALUE" */
    const char **value;    /* OUT: last value given (takes_value) */
    int *flag;             /* OUT: set to 1 when given (!takes_value) */
} cli_option;

/*
 * Parse argv[1..argc-1] against opts (terminated by a zero entry). Operands
 * are collected in order into *operands (a malloc'd array of borrowed
 * pointers, free() it) and *n_operands. "--" ends options; "-" is an
 * operand. Returns 0, or prints a one-line usage error naming `cmd` and
 * returns -1.
 */
int cli_parse(const char *cmd, int argc, char **argv, const cli_option *opts,
              char ***operands, size_t *n_operands);

/* Print "ttscreen: <message>" on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print a library error (its one-line message) on stderr. */
void cli_report(const tts_error *err);

/* --db, else $TTSCREEN_DB, else ./ttscreen.db. Borrowed. */
const char *cli_db_path(const char *opt);

/* --rules, else $TTSCREEN_RULES, else ./rules, else the installed directory. */
const char *cli_rules_dir(const char *opt);

/*
 * Current time: $SOURCE_DATE_EPOCH when set (reproducible reports), else
 * the clock. Writes RFC 3339 UTC into rfc3339[32] and the UTC date into
 * date[11]. Returns 0, or -1 with an error printed.
 */
int cli_now(char rfc3339[32], char date[11]);

/*
 * Today's UTC date from the clock, never from $SOURCE_DATE_EPOCH: the
 * screening date moves only with --as-of or a record's controls.as_of.
 * Returns 0, or -1 with an error printed.
 */
int cli_today(char date[11]);

/* Print a ';'-separated list (programs, countries) as a JSON array of strings. */
void cli_json_list(FILE *fp, const char *s);

/* Print s as a JSON string, or null when s is NULL. */
void cli_json_str(FILE *fp, const char *s);
/*
 * What the country and the identifiers did to a candidate's score, as JSON
 * members each followed by ',' ("name_score":..,"country_adjustment":..,
 * then "identifier_adjustment" and "exact_name_kept" when they apply);
 * nothing when no fact moved it.
 */
void cli_json_facts(FILE *fp, const tts_match *h);

/* A party's identifiers, each scheme at most once (the four schemes of record.md). */
typedef struct cli_identifiers {
    const char *scheme[4]; /* "lei", "duns", "jp-corporate-number", "cn-uscc" */
    const char *value[4];  /* as written, trimmed (into buf) */
    size_t n;
    char buf[4][256];
} cli_identifiers;

/*
 * "lei:529900...; duns:12345678" into *out (schemes case-insensitive, spaces
 * around the parts dropped); 0, or -1 with what is wrong in why[cap] (a pair
 * without its colon or value, an unknown scheme, a scheme twice, a value of
 * 256 bytes or more).
 */
int cli_identifiers_parse(const char *text, cli_identifiers *out, char *why, size_t cap);

/* Parse a number in [lo, hi] given to --opt; 0, or -1 with an error printed. */
int cli_number(const char *opt, const char *s, double lo, double hi, double *out);

/*
 * Fail closed before screening: unless no_lists, at least one list must
 * hold entries, and with max_age (--max-list-age DAYS, may be NULL) none
 * may be older than DAYS on `today` (its age counts from its own date,
 * else its import). `cmd` names the command in the one-line error; `db`
 * the database. Returns 0, or -1 with the error printed.
 */
int cli_lists_ready(const char *cmd, const char *db, const tts_list_info *info, size_t n,
                    int no_lists, const char *max_age, const char *today);

/*
 * Load the rule directory for screening: a directory that holds no rule
 * (empty, only comments, mis-mounted) is an error, never a rule set that
 * clears every deal. Returns 0, or -1 with the error printed.
 */
int cli_load_rules(const char *cmd, const char *dir, tts_rules **out);
/*
 * The lists of a run that stores (screen, rescreen), read from one snapshot
 * taken now: when the database exists its schema is first brought up to date
 * by a writable open (the run may be the first writer since an upgrade),
 * then it is opened read-only with TTS_LISTS_SNAPSHOT; a database not there
 * yet is opened writable, as before. TTS_OK or the error in err.
 */
tts_status cli_lists_open_for_run(const char *db, tts_lists **out, tts_error *err);

/* Who is acting: opt (--by) when given, else the operating-system user. Borrowed. */
const char *cli_actor(const char *opt);

/*
 * `lists diff SOURCE` (cmd_lists_diff.c): operands ops[0..n_ops) start with
 * "diff"; from/to/format may be NULL. Returns an exit status.
 */
int cli_lists_diff(const char *db, char **ops, size_t n_ops, const char *format, const char *from,
                   const char *to);

/* After an import: print "SOURCE: 12,311 entries, +14 -3 ~2" (the newest version's change). */
void cli_list_summary(tts_lists *l, const char *source);

/* `rescreen` as cmd_rescreen.c runs it, for `lists update --rescreen` too. */
typedef struct cli_rescreen_args {
    const char *format, *fail_on, *as_of, *rules_dir, *db, *by, *max_list_age; /* or NULL */
    int no_lists;      /* --no-lists */
    int changed_lists; /* --changed-lists: only the cases a list change can affect */
    int quiet;               /* no progress line */
    const char *sync;        /* --sync full|normal, or NULL (full) */
    const char *jobs;        /* --jobs N, or NULL (the processors available) */
} cli_rescreen_args;

/* Returns the exit status of `rescreen`. */
int cli_rescreen_run(const cli_rescreen_args *a);

/*
 * --sync MODE of `cmd` on the case file c: "full" (also for NULL) or
 * "normal" (docs/audit-trail.md, "Group commit and --sync"); 0, or -1 after an error line.
 */
int cli_sync_apply(const char *cmd, tts_cases *c, const char *mode);

/* Subcommands: each returns an exit status. */
int cmd_screen(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_keygen(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_search(int argc, char **argv);

/* search --batch: one process screens every row of a counterparty sheet. */
#define TTS_CLI_NAME_MAX 4097 /* a list name's bound plus one */
typedef enum cli_batch_format {
    CLI_BATCH_CSV,
    CLI_BATCH_JSONL,
    CLI_BATCH_JSON,
    CLI_BATCH_TEXT,
    CLI_BATCH_XLSX,
    CLI_BATCH_HTML
} cli_batch_format;
typedef struct cli_batch_opts {
    const char *path, *file;          /* the sheet ("-" = standard input), its name in messages */
    const char *out;                  /* -o: the results file (required for xlsx), or NULL */
    const char *input_format, *encoding;
    const char *name_column, *country_column, *id_column, *type_column;
    cli_batch_format format;
    double threshold;
    size_t limit;
    const char *const *sources;
    size_t n_sources;
    int best_only, skip_bad, quiet;
    /* --store: each row becomes a counterparty case in the case file */
    int store;
    const char *rules_dir, *as_of, *by, *org_country; /* or NULL */
    const char *db;                                   /* the database (lists and cases) */
    unsigned jobs;                                    /* --jobs: threads searching */
} cli_batch_opts;
/* Exit status: 1 when a row has a candidate, 0 when none, 2 on an error or a bad row. */
int cli_search_batch(const cli_batch_opts *o, tts_lists *lists);
int cmd_lists(int argc, char **argv);
int cmd_cases(int argc, char **argv);
int cmd_rescreen(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_record(int argc, char **argv);

/* A progress line on standard error (progress.c): shown only on a terminal, never with --quiet. */
typedef struct cli_progress {
    const char *what, *unit;
    long total; /* -1 when unknown */
    int on, shown;
    double start, last;
} cli_progress;
/* Begin: on a terminal the line appears at once. total < 0 when unknown. */
void cli_progress_start(cli_progress *p, const char *what, const char *unit, long total,
                        int quiet);
/* `done` units so far: the line is rewritten at most a few times a second. */
void cli_progress_step(cli_progress *p, long done);
/* Erase the line (before the summary or the error that follows). */
void cli_progress_end(cli_progress *p);
/* Erase the line on the terminal now, if any, before a message (cli_error does). */
void cli_progress_interrupt(void);

#endif
