/* SPDX-License-Identifier: MIT */
/*
 * Hard bounds on everything input can grow. Crossing one is TTS_ERR_LIMIT
 * with a message naming the limit, the value and the place; never a crash,
 * never a silent truncation.
 */
#ifndef TTS_LIMITS_H
#define TTS_LIMITS_H

#define TTS_RECORD_MAX_BYTES (64 * 1024 * 1024) /* one record's JSON text */
#define TTS_JSON_MAX_DEPTH 64                   /* nesting of arrays/objects in a record */
#define TTS_STRING_MAX_BYTES (1024 * 1024)      /* one string value in a record */
#define TTS_RECORD_MAX_PARTIES 100000           /* parties + people in one record */
#define TTS_RULES_MAX_FILE (4 * 1024 * 1024)    /* one .rules file */

/* Rule language (lex.c, parse.c, check.c, eval.c, rx.c). */
#define TTS_RULES_MAX_TOKEN 65536        /* one token (string, regex) in a rule file */
#define TTS_RULES_MAX_DEPTH 64           /* expression nesting in a rule file */
#define TTS_RULES_MAX_TREE 256           /* depth of one expression tree (a and b and ...) */
#define TTS_RULES_MAX_CALLS 16           /* predicates calling predicates, nested */
#define TTS_RULES_MAX_RULES 10000        /* rules in one rule set */
#define TTS_RULES_MAX_ERRORS 100         /* diagnostics reported before giving up */
#define TTS_RULES_MAX_ARGS 16            /* arguments of one call, parameters of a predicate */
#define TTS_RULES_MAX_VARS 64            /* variables live in one rule or predicate */
#define TTS_REGEX_MATCH_LIMIT 1000000    /* PCRE2 match limit per match call */
#define TTS_REGEX_DEPTH_LIMIT 5000       /* PCRE2 depth limit per match call */
#define TTS_REGEX_JIT_STACK (512 * 1024) /* JIT stack bytes */
#define TTS_EVAL_MAX_STEPS 50000000UL    /* evaluation steps per record */
#define TTS_EVAL_MAX_FINDINGS 10000      /* findings per record */
#define TTS_EVAL_MAX_MIB 128             /* working memory of one record's evaluation, per arena */
#define TTS_EVAL_MAX_FINDING_BYTES (48UL << 20) /* memory of one record's findings, in all */
#define TTS_FINDING_MAX_EVIDENCE 32      /* evidence lines per finding */
#define TTS_MESSAGE_MAX_BYTES 4096       /* one interpolated message */
#define TTS_OWNERSHIP_MAX_ROUNDS 200     /* fixed-point rounds for owned_percent */

/* Denied-party lists (import.c, import_json.c, record_json.c, names.c). */
#define TTS_IMPORT_MAX_BYTES (512L * 1024 * 1024) /* one list file (all files of one import) */
#define TTS_LIST_MAX_ROW_BYTES (1024 * 1024)      /* one row of a CSV/TSV list file */
#define TTS_LIST_MAX_FIELDS 64                    /* columns in one row of a list file */
#define TTS_SHEET_MAX_BYTES (256L * 1024 * 1024) /* one counterparty sheet (search --batch) */
#define TTS_SHEET_MAX_COLUMNS 256                /* columns of one sheet */
#define TTS_NAME_MAX_BYTES 4096                   /* one list name or alias, or a query name */
#define TTS_NAME_MAX_WORDS 64                     /* words of one name (all of them are scored) */
#define TTS_LIST_MAX_CANDIDATES 1000              /* hits of one lookup with no --limit */

/* Signatures, keys and reports (sign.c, repsum.c). */
#define TTS_PEM_MAX_BYTES (1024 * 1024) /* one PEM key, certificate or signature file */
#define TTS_PASS_MAX_BYTES 1024         /* one key passphrase */
#define TTS_CERT_MAX_DAYS 36500         /* keygen --days */
#define TTS_REPORT_MAX_DEPTH 64         /* JSON nesting in a report read by verify */
#define TTS_REPORT_MAX_RECORDS 100000   /* reports in one JSON Lines file read by verify */
#define TTS_REPORT_MAX_LISTS 1000       /* list versions named by one report */

/* Rule directories (rules.c). */
#define TTS_RULES_MAX_DIR_DEPTH 16 /* nested subdirectories of a rule directory */

/* Stringify a numeric limit for messages. */
#define TTS_XSTR(x) #x
#define TTS_STR(x) TTS_XSTR(x)

#endif
