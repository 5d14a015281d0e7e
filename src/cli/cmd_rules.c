/* SPDX-License-Identifier: MIT */
/*
 * `ttscreen rules check|test|list|functions|fields`: compile the rule set
 * and print every diagnostic with its source line and a caret; run each
 * rule's own example records; list rules and the language's built-ins.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* A rule example's record file: records are small; this bounds a mistaken path. */
#define MAX_EXAMPLE_BYTES ((size_t)64 * 1024 * 1024)

typedef struct diag_state {
    size_t errors, warnings;
    int quiet_warnings;
} diag_state;

/* Print s as a JSON string; rule texts that are absent print as "". */
static void json_str(FILE *fp, const char *s)
{
    cli_json_str(fp, s != NULL ? s : "");
}

static void json_strs(FILE *fp, const char *const *items, size_t n)
{
    fputc('[', fp);
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            fputc(',', fp);
        json_str(fp, items[i]);
    }
    fputc(']', fp);
}

/*
 * Print the source line of a diagnostic and a caret under the offending
 * span (tabs are kept so the caret lines up in a terminal).
 */
static void print_context(const tts_error *e)
{
    FILE *fp;
    char line[1024];
    int n = 0, col = 1;
    size_t span;
    if (e->source[0] == '\0' || e->line <= 0 || (fp = fopen(e->source, "rb")) == NULL)
        return;
    while (fgets(line, sizeof(line), fp) != NULL) {
        size_t len = strlen(line);
        if (len > 0 && line[len - 1] == '\n') {
            n++;
        } else if (!feof(fp)) {
            continue; /* over-long line: skip its remainder */
        } else {
            n++;
        }
        if (n == e->line)
            break;
    }
    fclose(fp);
    if (n != e->line)
        return;
    line[strcspn(line, "\r\n")] = '\0';
    fprintf(stderr, "  %s\n  ", line);
    for (const char *p = line; *p && col < e->column; p++) {
        if (((unsigned char)*p & 0xC0) == 0x80)
            continue;
        fputc(*p == '\t' ? '\t' : ' ', stderr);
        col++;
    }
    fputc('^', stderr);
    /* Underline the rest of the span that lies on this line. */
    span = 0;
    for (const char *p = line; *p; p++) {
        if (((unsigned char)*p & 0xC0) != 0x80)
            span++;
    }
    for (size_t i = 1; e->length > 1 && i < e->length && (size_t)(col - 1) + i < span; i++)
        fputc('~', stderr);
    fputc('\n', stderr);
}

static void on_diag(int level, const tts_error *e, void *user)
{
    diag_state *st = user;
    if (level == TTS_DIAG_ERROR)
        st->errors++;
    else
        st->warnings++;
    if (level != TTS_DIAG_ERROR && st->quiet_warnings)
        return;
    fprintf(stderr, "%s\n", e->message);
    print_context(e);
}

/* Load the rule directory with diagnostics printed; NULL after printing errors. */
static tts_rules *load(const char *dir, diag_state *st)
{
    tts_rules_opts opts;
    tts_rules *rules = NULL;
    tts_error err;
    tts_status rc;
    memset(&opts, 0, sizeof(opts));
    opts.size = sizeof(opts);
    opts.diag = on_diag;
    opts.user = st;
    tts_error_clear(&err);
    rc = tts_rules_load_dir(dir, &opts, &rules, &err);
    if (rc != TTS_OK) {
        if (st->errors == 0) /* not a diagnostic: I/O, limits */
            cli_report(&err);
        return NULL;
    }
    if (tts_rules_count(rules) == 0) {
        cli_error("rules: no rules in %s: a rule directory must hold at least one rule", dir);
        tts_rules_free(rules);
        return NULL;
    }
    return rules;
}

static const char *rules_dir(char **ops, size_t n_ops, const char *opt)
{
    return n_ops > 0 ? ops[0] : cli_rules_dir(opt);
}

static int check_usage(const char *cmd)
{
    printf("usage: ttscreen rules %s [DIR] [--rules DIR]", cmd);
    if (strcmp(cmd, "check") == 0)
        printf(" [--list-ops] [--no-warnings]\n\nParse and type-check every *.rules file under DIR "
               "(default: --rules, $TTSCREEN_RULES, ./rules).\nErrors print as FILE:LINE:COL: "
               "message with the source line and a caret; exit 2 on any error.\n");
    return EXIT_CLEAN;
}

static void list_ops(void)
{
    static const char *const ops[][2] = {
        {"a and b, a or b, not a", "boolean logic (null counts as false)"},
        {"== != < <= > >=", "comparison; ordering needs two numbers, dates or strings"},
        {"x in list, x not in list", "membership"},
        {"a + b, a - b, -a", "number arithmetic"},
        {"any x in C: cond", "true when cond holds for some element"},
        {"all x in C: cond", "true when cond holds for every element"},
        {"count(x in C: cond)", "number of elements for which cond holds"},
        {"filter(x in C: cond)", "the elements for which cond holds"},
        {"if c then a else b", "a when c holds, else b"},
        {"a.field", "field of a record element (null propagates)"},
    };
    size_t n = tts_rules_n_functions();
    printf("operators:\n");
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
        printf("  %-28s %s\n", ops[i][0], ops[i][1]);
    printf("\nfunctions:\n");
    for (size_t i = 0; i < n; i++) {
        tts_function_info f;
        if (tts_rules_function(i, &f) == TTS_OK)
            printf("  %s\n      %s\n", f.signature, f.doc);
    }
}

static int cmd_check(int argc, char **argv)
{
    const char *rules_opt = NULL;
    int help = 0, lops = 0, nowarn = 0;
    char **ops = NULL;
    size_t n_ops = 0;
    diag_state st = {0, 0, 0};
    tts_rules *rules;
    const cli_option opts[] = {{"rules", 0, 1, &rules_opt, NULL},
                               {"list-ops", 0, 0, NULL, &lops},
                               {"no-warnings", 0, 0, NULL, &nowarn},
                               {"help", 'h', 0, NULL, &help},
                               {NULL, 0, 0, NULL, NULL}};
    if (cli_parse("rules check", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        free(ops);
        return check_usage("check");
    }
    if (lops) {
        free(ops);
        list_ops();
        return EXIT_CLEAN;
    }
    st.quiet_warnings = nowarn;
    rules = load(rules_dir(ops, n_ops, rules_opt), &st);
    if (rules == NULL) {
        if (st.errors > 0)
            fprintf(stderr, "ttscreen: rules check: %zu error%s, %zu warning%s\n", st.errors,
                    st.errors == 1 ? "" : "s", st.warnings, st.warnings == 1 ? "" : "s");
        free(ops);
        return EXIT_ERROR;
    }
    printf("%zu rule%s in %zu file%s: ok (%zu warning%s)\n", tts_rules_count(rules),
           tts_rules_count(rules) == 1 ? "" : "s", tts_rules_n_files(rules),
           tts_rules_n_files(rules) == 1 ? "" : "s", st.warnings, st.warnings == 1 ? "" : "s");
    tts_rules_free(rules);
    free(ops);
    return EXIT_CLEAN;
}

static void print_rule_json(const tts_rules *rules, size_t i)
{
    tts_rule_info r;
    if (tts_rules_info(rules, i, &r) != TTS_OK)
        return;
    printf("{\"id\":");
    json_str(stdout, r.id);
    printf(",\"revision\":%d,\"severity\":", r.revision);
    json_str(stdout, r.severity_name);
    printf(",\"status\":");
    json_str(stdout, r.status);
    printf(",\"title\":");
    json_str(stdout, r.title);
    printf(",\"citation\":");
    json_str(stdout, r.citation);
    printf(",\"description\":");
    if (r.description != NULL)
        json_str(stdout, r.description);
    else
        printf("null");
    printf(",\"tags\":");
    json_strs(stdout, r.tags, r.n_tags);
    printf(",\"references\":");
    json_strs(stdout, r.references, r.n_references);
    printf(",\"false_positives\":");
    json_strs(stdout, r.false_positives, r.n_false_positives);
    printf(",\"effective_from\":");
    if (r.effective_from[0])
        json_str(stdout, r.effective_from);
    else
        printf("null");
    printf(",\"effective_until\":");
    if (r.effective_until[0])
        json_str(stdout, r.effective_until);
    else
        printf("null");
    printf(",\"file\":");
    json_str(stdout, r.file);
    printf(",\"line\":%d,\"examples\":%zu}", r.line, r.n_examples);
}

static int cmd_list(int argc, char **argv)
{
    const char *rules_opt = NULL, *format = "text";
    int help = 0;
    char **ops = NULL;
    size_t n_ops = 0, n;
    diag_state st = {0, 0, 1};
    tts_rules *rules;
    const cli_option opts[] = {{"rules", 0, 1, &rules_opt, NULL},
                               {"format", 0, 1, &format, NULL},
                               {"help", 'h', 0, NULL, &help},
                               {NULL, 0, 0, NULL, NULL}};
    if (cli_parse("rules list", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        printf("usage: ttscreen rules list [DIR] [--rules DIR] [--format text|json]\n\n"
               "Print id, revision, severity, status, citation and title of every rule.\n");
        free(ops);
        return EXIT_CLEAN;
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("rules list: --format must be text or json, not '%s'", format);
        free(ops);
        return EXIT_ERROR;
    }
    rules = load(rules_dir(ops, n_ops, rules_opt), &st);
    free(ops);
    if (rules == NULL)
        return EXIT_ERROR;
    n = tts_rules_count(rules);
    if (strcmp(format, "json") == 0) {
        printf("{\"count\":%zu,\"sha256\":\"%s\",\"rules\":[", n, tts_rules_sha256(rules));
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                putchar(',');
            print_rule_json(rules, i);
        }
        printf("]}\n");
    } else {
        printf("%-48s %3s  %-8s  %-12s  %s\n    %s\n", "ID", "REV", "SEVERITY", "STATUS",
               "CITATION", "TITLE");
        for (size_t i = 0; i < n; i++) {
            tts_rule_info r;
            if (tts_rules_info(rules, i, &r) == TTS_OK)
                printf("%-48s %3d  %-8s  %-12s  %s\n    %s\n", r.id, r.revision, r.severity_name,
                       r.status, r.citation, r.title);
        }
        printf("%zu rule%s, sha256 %s\n", n, n == 1 ? "" : "s", tts_rules_sha256(rules));
    }
    tts_rules_free(rules);
    return EXIT_CLEAN;
}

static int cmd_functions(int argc, char **argv, int fields)
{
    const char *format = "text";
    int help = 0;
    char **ops = NULL;
    size_t n_ops = 0, n = fields ? tts_rules_n_fields() : tts_rules_n_functions();
    const cli_option opts[] = {
        {"format", 0, 1, &format, NULL}, {"help", 'h', 0, NULL, &help}, {NULL, 0, 0, NULL, NULL}};
    if (cli_parse(fields ? "rules fields" : "rules functions", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    free(ops);
    if (help) {
        printf("usage: ttscreen rules %s [--format text|json|markdown]\n\n%s\n",
               fields ? "fields" : "functions",
               fields ? "Print every record field a rule can read, with its type."
                      : "Print every built-in function of the rule language.");
        return EXIT_CLEAN;
    }
    if (n_ops > 0 || (strcmp(format, "text") != 0 && strcmp(format, "json") != 0 &&
                      strcmp(format, "markdown") != 0)) {
        cli_error("rules %s: takes no operands; --format must be text, json or markdown",
                  fields ? "fields" : "functions");
        return EXIT_ERROR;
    }
    if (strcmp(format, "json") == 0)
        putchar('[');
    else if (strcmp(format, "markdown") == 0)
        printf(fields ? "| element | field | type | meaning |\n|---|---|---|---|\n"
                      : "| function | meaning |\n|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        tts_function_info f;
        tts_field_info fi;
        if (fields ? tts_rules_field(i, &fi) != TTS_OK : tts_rules_function(i, &f) != TTS_OK)
            continue;
        if (strcmp(format, "json") == 0) {
            printf(i > 0 ? ",{" : "{");
            if (fields) {
                printf("\"owner\":");
                json_str(stdout, fi.owner);
                printf(",\"name\":");
                json_str(stdout, fi.name);
                printf(",\"type\":");
                json_str(stdout, fi.type);
                printf(",\"doc\":");
                json_str(stdout, fi.doc);
            } else {
                printf("\"name\":");
                json_str(stdout, f.name);
                printf(",\"signature\":");
                json_str(stdout, f.signature);
                printf(",\"doc\":");
                json_str(stdout, f.doc);
            }
            putchar('}');
        } else if (strcmp(format, "markdown") == 0) {
            if (fields)
                printf("| %s | `%s` | %s | %s |\n", fi.owner, fi.name, fi.type, fi.doc);
            else
                printf("| `%s` | %s |\n", f.signature, f.doc);
        } else if (fields) {
            printf("%-12s %-28s %-20s %s\n", fi.owner, fi.name, fi.type, fi.doc);
        } else {
            printf("%s\n    %s\n", f.signature, f.doc);
        }
    }
    if (strcmp(format, "json") == 0)
        printf("]\n");
    return EXIT_CLEAN;
}

/* ---- rules test ------------------------------------------------------------ */

typedef struct test_opts {
    const char *fixtures;
    const char *as_of;
    const char *only;
    const char *db;
    tts_lists *lists; /* --db: the lists database the list functions consult */
    int explain;
    char today[11];
} test_opts;

enum { EX_FAILED, EX_PASSED, EX_SKIPPED };

/* Without --db, list functions consult this: no entries, but it notes that a
 * list was asked for, so a `hit` example that needs one is skipped, not failed. */
static tts_status no_lists(void *user, const char *name, const char *country,
                           const char *const *sources, size_t n_sources, double threshold,
                           tts_match **hits, size_t *n_hits, tts_error *err)
{
    (void)name;
    (void)country;
    (void)sources;
    (void)n_sources;
    (void)threshold;
    (void)err;
    *(int *)user = 1;
    *hits = NULL;
    *n_hits = 0;
    return TTS_OK;
}

/* no_lists for lookups naming an algorithm: no lists either way. */
static tts_status no_lists_algo(void *user, const char *name, const char *country,
                                const char *const *sources, size_t n_sources, double threshold,
                                int algorithm, tts_match **hits, size_t *n_hits, tts_error *err)
{
    (void)algorithm;
    return no_lists(user, name, country, sources, n_sources, threshold, hits, n_hits, err);
}

static void print_trace(void *user, int depth, const char *text)
{
    (void)user;
    printf("      %*s%s\n", depth * 2, "", text);
}

static void print_finding(const tts_finding *f)
{
    printf("      finding %s: %s\n", f->subject, f->message);
    if (f->n_path > 0) {
        printf("        path:");
        for (size_t i = 0; i < f->n_path; i++)
            printf(" %s%s", i > 0 ? "-> " : "", f->path[i]);
        putchar('\n');
    }
    for (size_t i = 0; i < f->n_evidence; i++)
        printf("        evidence: %s\n", f->evidence[i]);
}

/* Run one example: EX_PASSED, EX_FAILED, or EX_SKIPPED for a `hit` example
 * that needs denied-party lists when no --db was given. */
static int run_example(const tts_rules *rules, const tts_rule_info *r, const tts_rule_example *ex,
                       const test_opts *to)
{
    int asked_lists = 0;
    char path[4096];
    char *data = NULL;
    size_t len = 0;
    tts_record *rec = NULL;
    tts_findings *found = NULL;
    tts_scan_opts so;
    tts_error err;
    int ok = EX_FAILED;
    snprintf(path, sizeof(path), "%s/%s", to->fixtures, ex->file);
    tts_error_clear(&err);
    if (tts_file_read(path, MAX_EXAMPLE_BYTES, &data, &len, &err) != TTS_OK) {
        printf("      %s\n", err.message);
        goto out;
    }
    if (tts_record_parse(data, len, path, &rec, &err) != TTS_OK) {
        printf("      %s\n", err.message);
        goto out;
    }
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.as_of = to->as_of != NULL               ? to->as_of
               : tts_record_as_of(rec) != NULL ? tts_record_as_of(rec)
                                               : to->today;
    so.only_rule = r->id;
    so.trace = to->explain ? print_trace : NULL;
    so.lookup = to->lists != NULL ? tts_lists_lookup : no_lists;
    so.lookup_user = to->lists != NULL ? (void *)to->lists : (void *)&asked_lists;
    so.lookup_ident = to->lists != NULL ? tts_lists_lookup_ident : NULL;
    so.lookup_ident_user = to->lists;
    so.lookup_algo = to->lists != NULL ? tts_lists_lookup_algo : no_lists_algo;
    so.lookup_query = to->lists != NULL ? tts_lists_lookup_query : NULL;
    if (tts_scan_record(rules, rec, &so, &found, &err) != TTS_OK) {
        printf("      %s\n", err.message[0] ? err.message : tts_strerror(err.status));
        goto out;
    }
    if (ex->expect_hit && tts_findings_count(found) == 0 && asked_lists) {
        printf("      %s:%d: needs a lists database: run with --db PATH\n", r->file, ex->line);
        ok = EX_SKIPPED;
    } else if ((tts_findings_count(found) > 0) != (ex->expect_hit != 0)) {
        printf("      %s:%d: expected %s, got %zu finding%s\n", r->file, ex->line,
               ex->expect_hit ? "a hit" : "clear", tts_findings_count(found), tts_findings_count(found) == 1 ? "" : "s");
    } else if (ex->message != NULL && tts_findings_count(found) > 0 &&
               strcmp(ex->message, tts_findings_get(found, 0)->message) != 0) {
        printf("      %s:%d: message differs\n        expected: %s\n        actual:   %s\n",
               r->file, ex->line, ex->message, tts_findings_get(found, 0)->message);
    } else {
        ok = EX_PASSED;
    }
    if (ok == EX_FAILED || to->explain)
        for (size_t i = 0; i < tts_findings_count(found); i++)
            print_finding(tts_findings_get(found, i));
out:
    tts_findings_free(found);
    tts_record_free(rec);
    tts_free(data);
    return ok;
}

/* Run every selected example with a cmocka-style log; 1 when one failed. */
static int run_all(const tts_rules *rules, const test_opts *to, size_t total, size_t ran_rules)
{
    size_t n_rules = tts_rules_count(rules), passed = 0, skipped = 0, n_failed = 0;
    char(*failed)[600] = total ? calloc(total, sizeof(*failed)) : NULL;
    printf("[==========] Running %zu example%s from %zu rule%s.\n", total, total == 1 ? "" : "s",
           ran_rules, ran_rules == 1 ? "" : "s");
    for (size_t i = 0; i < n_rules; i++) {
        tts_rule_info r;
        if (tts_rules_info(rules, i, &r) != TTS_OK || (to->only && strcmp(to->only, r.id) != 0))
            continue;
        for (size_t j = 0; j < r.n_examples; j++) {
            tts_rule_example ex;
            if (tts_rules_example(rules, i, j, &ex) != TTS_OK)
                continue;
            printf("[ RUN      ] %s %s (%s)\n", r.id, ex.file, ex.expect_hit ? "hit" : "clear");
            switch (run_example(rules, &r, &ex, to)) {
            case EX_PASSED:
                passed++;
                printf("[       OK ] %s %s\n", r.id, ex.file);
                break;
            case EX_SKIPPED:
                skipped++;
                printf("[  SKIPPED ] %s %s\n", r.id, ex.file);
                break;
            default:
                printf("[  FAILED  ] %s %s\n", r.id, ex.file);
                if (failed != NULL)
                    snprintf(failed[n_failed++], 600, "%s %s", r.id, ex.file);
                break;
            }
        }
    }
    printf("[==========] %zu example%s from %zu rule%s ran.\n", total, total == 1 ? "" : "s",
           ran_rules, ran_rules == 1 ? "" : "s");
    printf("[  PASSED  ] %zu example%s.\n", passed, passed == 1 ? "" : "s");
    if (skipped > 0)
        printf("[  SKIPPED ] %zu example%s (list rules: give --db with the lists imported).\n",
               skipped, skipped == 1 ? "" : "s");
    if (n_failed > 0) {
        printf("[  FAILED  ] %zu example%s, listed below:\n", n_failed,
               n_failed == 1 ? "" : "s");
        for (size_t k = 0; k < n_failed; k++)
            printf("[  FAILED  ] %s\n", failed[k]);
    }
    free(failed);
    return passed + skipped < total;
}

static int cmd_test(int argc, char **argv)
{
    const char *rules_opt = NULL;
    char **ops = NULL, rfc[32];
    size_t n_ops = 0, n_rules, total = 0, ran_rules = 0;
    int help = 0, failed_any;
    diag_state st = {0, 0, 1};
    tts_rules *rules;
    test_opts to;
    const char *env = getenv("TTSCREEN_FIXTURES");
    cli_option opts[] = {{"rules", 0, 1, &rules_opt, NULL},
                         {"fixtures", 0, 1, &to.fixtures, NULL},
                         {"as-of", 0, 1, &to.as_of, NULL},
                         {"rule", 0, 1, &to.only, NULL},
                         {"db", 0, 1, &to.db, NULL},
                         {"explain", 0, 0, NULL, &to.explain},
                         {"help", 'h', 0, NULL, &help},
                         {NULL, 0, 0, NULL, NULL}};
    memset(&to, 0, sizeof(to));
    to.fixtures = env != NULL && env[0] ? env : "fixtures/rules";
    if (cli_parse("rules test", argc, argv, opts, &ops, &n_ops) != 0)
        return EXIT_ERROR;
    if (help) {
        printf("usage: ttscreen rules test [DIR] [--rules DIR] [--fixtures DIR] [--rule ID]\n"
               "                           [--as-of YYYY-MM-DD] [--db PATH] [--explain]\n\n"
               "Run each rule's example records (paths relative to --fixtures, default\n"
               "$TTSCREEN_FIXTURES or fixtures/rules) and check hit/clear and messages.\n"
               "--db names a lists database (opened read-only) for the list functions;\n"
               "without it, a hit example that needs a list is skipped, not failed.\n"
               "--explain prints every evaluated condition with its value, and the findings.\n"
               "Exit 0 when every example passes or is skipped, 1 when one fails,\n"
               "2 on bad rules or an unreadable database.\n");
        free(ops);
        return EXIT_CLEAN;
    }
    if (to.as_of != NULL && tts_date_check(to.as_of) != TTS_OK) {
        cli_error("rules test: --as-of: not a date YYYY-MM-DD: '%s'", to.as_of);
        free(ops);
        return EXIT_ERROR;
    }
    if (cli_now(rfc, to.today) != 0 || cli_today(to.today) != 0) {
        free(ops);
        return EXIT_ERROR;
    }
    if (to.db != NULL) {
        tts_error err;
        tts_error_clear(&err);
        if (access(to.db, F_OK) != 0) {
            cli_error("rules test: --db: database %s does not exist", to.db);
            free(ops);
            return EXIT_ERROR;
        }
        if (tts_lists_open(to.db, TTS_LISTS_READONLY, &to.lists, &err) != TTS_OK) {
            cli_report(&err);
            free(ops);
            return EXIT_ERROR;
        }
    }
    rules = load(rules_dir(ops, n_ops, rules_opt), &st);
    free(ops);
    if (rules == NULL) {
        tts_lists_close(to.lists);
        return EXIT_ERROR;
    }
    n_rules = tts_rules_count(rules);
    for (size_t i = 0; i < n_rules; i++) {
        tts_rule_info r;
        if (tts_rules_info(rules, i, &r) == TTS_OK &&
            (to.only == NULL || strcmp(to.only, r.id) == 0)) {
            total += r.n_examples;
            ran_rules += r.n_examples > 0;
        }
    }
    if (to.only != NULL && ran_rules == 0) {
        cli_error("rules test: no examples for rule '%s'", to.only);
        tts_rules_free(rules);
        tts_lists_close(to.lists);
        return EXIT_ERROR;
    }
    failed_any = run_all(rules, &to, total, ran_rules);
    tts_rules_free(rules);
    tts_lists_close(to.lists);
    return failed_any ? EXIT_FINDINGS : EXIT_CLEAN;
}

static void rules_usage(FILE *fp)
{
    fprintf(fp, "usage: ttscreen rules check|test|list|functions|fields [options] [DIR]\n\n"
                "  check      parse and type-check every rule (FILE:LINE:COL: message)\n"
                "  test       run every rule's example records and report pass/fail\n"
                "  list       id, revision, severity, status and citation of each rule\n"
                "  functions  the built-in functions of the rule language\n"
                "  fields     the record fields rules can read\n");
}

int cmd_rules(int argc, char **argv)
{
    if (argc < 2) {
        rules_usage(stderr);
        return EXIT_ERROR;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        rules_usage(stdout);
        return EXIT_CLEAN;
    }
    if (strcmp(argv[1], "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(argv[1], "test") == 0)
        return cmd_test(argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc - 1, argv + 1);
    if (strcmp(argv[1], "functions") == 0)
        return cmd_functions(argc - 1, argv + 1, 0);
    if (strcmp(argv[1], "fields") == 0)
        return cmd_functions(argc - 1, argv + 1, 1);
    cli_error("rules: unknown subcommand '%s' (check, test, list, functions, fields)", argv[1]);
    return EXIT_ERROR;
}
