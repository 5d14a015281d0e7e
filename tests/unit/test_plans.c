/* SPDX-License-Identifier: MIT */
/*
 * Unit test: the query plan of every statement the store runs. A database
 * is taken through what the commands do (list imports and a change, stored
 * screenings, a decision, full and delta rescreens, case listings and
 * shows, list search, status and diff, audit verify and export); then
 * every statement its handles prepared is given to EXPLAIN QUERY PLAN. A
 * lookup by key must SEARCH an index: a SCAN of a table that grows with the
 * data (entries, names, cases, screenings, findings, decisions, audit rows,
 * list versions and changes) fails the test unless the statement is one of
 * the whole walks listed below, each of which reads every row on purpose.
 */
#include "helpers.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cases/cases_int.h"
#include "lists/listdb.h"
#include "store/store.h"
#include "store/store_db.h"
#include "ttscreen.h"
#include "ttscreen/versions.h"

/*
 * Statements that walk a whole table by design, by a piece of their SQL:
 * listing, hashing, verifying and exporting read every row; loading the
 * search index reads every entry and name once per process.
 */
static const char *const whole_walks[] = {
    /* the search index built from every entry and name (listdb.c, once per process) */
    "FROM list_entry ORDER BY id",
    "FROM list_name ORDER BY entry, id",
    /* identifiers of every entry, for the identifier index (once per process) */
    "SELECT e.id, s.name, e.entry_id, e.ids",
    /* `cases list`: every case */
    " ORDER BY c.record_id",
    /* audit verify / export: the whole chain, unlogged rows, every case's kind, every list */
    "FROM audit_log ORDER BY seq",
    "NOT IN (SELECT object FROM audit_log)",
    "WHERE c.kind IS NOT",
    "WITH names(n) AS",
    /* a list's content hash reads every entry of it (by source), each with its names, and
     * every version; `lists diff` and status read every version of the lists */
    "FROM list_entry e JOIN list_source s ON s.id = e.source_id WHERE s.name = ?1 ORDER BY "
    "e.entry_id",
    "FROM list_version v WHERE v.source",
    "FROM list_version ORDER BY source, version",
    /* the first page of a full rescreen: LIMIT rows from the start of the record id index
     * (the next pages SEARCH from the last id) */
    "SELECT record_id FROM case_file ORDER BY record_id LIMIT",
    /* the delta rescreen's case-name index: every case's latest record and held entries */
    "UNION ALL SELECT c.record_id, d.entry FROM decision d",
    /* a full rescreen's count of the cases (progress and the run's mark) */
    "SELECT count(*) FROM case_file",
    /* the newest row by rowid order, LIMIT 1: one step from the end of the b-tree */
    "FROM audit_log ORDER BY seq DESC LIMIT 1",
    "FROM rescreen_run ORDER BY id DESC LIMIT 1",
    "SELECT coalesce(max(id), 0) FROM screening",
};

/* Tables whose size follows the number of lists, not the data. */
static const char *const small_tables[] = {"list_source", "list_fetch", "list_config",
                                           "list_index", "CONSTANT ROW"};

typedef struct plans {
    sqlite3 *db;
    int checked, walks, bad;
} plans;

static int is_whole_walk(const char *sql)
{
    for (size_t i = 0; i < sizeof(whole_walks) / sizeof(whole_walks[0]); i++)
        if (strstr(sql, whole_walks[i]) != NULL)
            return 1;
    return 0;
}

/* The table a "SCAN X ..." line names, resolved through "FROM table X" aliases of sql. */
static int scans_small_table(const char *sql, const char *detail)
{
    char name[64], pat[96];
    const char *p = detail + 5;
    size_t n = strcspn(p, " ");
    if (n >= sizeof(name))
        return 0;
    memcpy(name, p, n);
    name[n] = '\0';
    if (strncmp(p, "CONSTANT ROW", 12) == 0)
        return 1;
    for (size_t i = 0; i < sizeof(small_tables) / sizeof(small_tables[0]); i++) {
        if (strcmp(name, small_tables[i]) == 0)
            return 1;
        snprintf(pat, sizeof(pat), "%s %s ", small_tables[i], name);
        if (strstr(sql, pat) != NULL)
            return 1;
        snprintf(pat, sizeof(pat), "%s %s\n", small_tables[i], name);
        if (strstr(sql, pat) != NULL)
            return 1;
    }
    return 0;
}

static void check_plan(void *user, const char *sql)
{
    plans *p = user;
    sqlite3_stmt *st = NULL;
    char *q;
    int walk = is_whole_walk(sql), step;
    if (strncmp(sql, "PRAGMA", 6) == 0)
        return;
    q = malloc(strlen(sql) + 32);
    assert_non_null(q);
    sprintf(q, "EXPLAIN QUERY PLAN %s", sql);
    if (sqlite3_prepare_v2(p->db, q, -1, &st, NULL) != SQLITE_OK) {
        fprintf(stderr, "cannot explain: %s\n  %s\n", sqlite3_errmsg(p->db), sql);
        p->bad++;
        free(q);
        return;
    }
    p->checked++;
    p->walks += walk;
    if (walk && getenv("TTS_SHOW_WALKS") != NULL)
        printf("# walk: %.160s\n", sql);
    while ((step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 3);
        if (d == NULL || strncmp(d, "SCAN ", 5) != 0 || walk || scans_small_table(sql, d))
            continue;
        fprintf(stderr, "a lookup scans a table: %s\n  %s\n", d, sql);
        p->bad++;
    }
    assert_int_equal(step, SQLITE_DONE);
    sqlite3_finalize(st);
    free(q);
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *b;
    long n;
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b = malloc((size_t)n + 1);
    assert_non_null(b);
    assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
    b[n] = '\0';
    fclose(f);
    return b;
}

static void import(tts_lists *l, const char *file, const char *at)
{
    const char *files[] = {file};
    tts_error err;
    tts_error_clear(&err);
    if (tts_lists_import(l, "us-1260h", "ttscreen-csv", files, 1, at, NULL, &err) != TTS_OK)
        fail_msg("%s", err.message);
}

static void screen(tts_lists *l, tts_cases *c, const tts_rules *rules, const tts_list_info *info,
                   size_t n_info, const char *json, const char *name)
{
    tts_record *rec = NULL;
    tts_screen_opts o;
    tts_screen_result res;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_record_parse(json, strlen(json), name, &rec, &err), TTS_OK);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.rules = rules;
    o.lists = l;
    o.list_info = info;
    o.n_lists = n_info;
    o.cases = c;
    o.store = 1;
    o.today = "2026-03-01";
    o.at = "2026-03-01T00:00:00Z";
    o.actor = "tester";
    if (tts_screen_record(&o, rec, &res, &err) != TTS_OK)
        fail_msg("%s", err.message);
    tts_screen_result_clear(&res);
    tts_record_free(rec);
}

static void rescreen(tts_cases *c, const tts_rules *rules, tts_lists *l,
                     const tts_list_info *info, size_t n_info, int changed)
{
    tts_rescreen_opts o;
    tts_error err;
    char *out = NULL;
    size_t len = 0;
    int failed = 0;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.rules = rules;
    o.scan.size = sizeof(o.scan);
    o.today = "2026-03-02";
    o.at = "2026-03-02T00:00:00Z";
    o.actor = "tester";
    o.lists = info;
    o.n_lists = n_info;
    o.lists_db = l;
    o.fail_on = TTS_SEV_CRITICAL;
    o.changed_lists = changed;
    if (tts_cases_rescreen(c, &o, &out, &len, &failed, &err) != TTS_OK)
        fail_msg("%s", err.message);
    tts_free(out);
}

/* expr must succeed; else the test fails with err's message */
#define OK(expr)                                                                               \
    do {                                                                                       \
        if ((expr) != TTS_OK)                                                                  \
            fail_msg("%s: %s", #expr, err.message);                                            \
    } while (0)

static int line_sink(void *user, const char *line, size_t len)
{
    (void)user;
    (void)line;
    (void)len;
    return 0;
}

static void test_every_lookup_uses_an_index(void **state)
{
    char dir[] = "/tmp/tts-plans-XXXXXX", db[96], csv[96], path[160];
    const char *fx = getenv("FIXTURES") ? getenv("FIXTURES") : "fixtures";
    tts_lists *l = NULL;
    tts_cases *c = NULL;
    tts_rules *rules = NULL;
    tts_list_info *info = NULL;
    size_t n_info = 0, len = 0;
    tts_error err;
    tts_audit_result ar;
    tts_search_result *sr = NULL;
    tts_search_opts so;
    tts_list_status *ls = NULL;
    tts_list_diff *diff = NULL;
    tts_decision_input d;
    char *json, *out = NULL;
    FILE *f;
    plans p;
    (void)state;
    tts_error_clear(&err);
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof(db), "%s/p.db", dir);
    snprintf(csv, sizeof(csv), "%s/w.csv", dir);

    OK(tts_lists_open(db, 0, &l, &err));
    snprintf(path, sizeof(path), "%s/lists/us-1260h.csv", fx);
    import(l, path, "2026-01-01T00:00:00Z");
    OK(tts_lists_info(l, &info, &n_info, &err));
    OK(tts_rules_load_dir("rules", NULL, &rules, &err));
    OK(tts_cases_open(db, 0, &c, &err));
    snprintf(path, sizeof(path), "%s/records/honda-catl-2020.json", fx);
    json = slurp(path);
    screen(l, c, rules, info, n_info, json, path);
    free(json);
    json = slurp(path);
    {
        /* a second case: the same record under another id */
        char *id = strstr(json, "\"id\"");
        assert_non_null(id);
        id = strchr(id + 4, '"');
        assert_non_null(id);
        id[1] = 'Z';
    }
    screen(l, c, rules, info, n_info, json, path);
    free(json);

    memset(&d, 0, sizeof(d));
    d.size = sizeof(d);
    OK(tts_cases_render_list(c, TTS_FORMAT_JSON, &out, &len, &err));
    {
        /* the first case's id, from the listing */
        char rid[128];
        const char *k = strstr(out, "\"id\":\"");
        assert_non_null(k);
        snprintf(rid, sizeof(rid), "%.*s", (int)strcspn(k + 6, "\""), k + 6);
        tts_free(out);
        out = NULL;
        d.record_id = rid;
        d.disposition = "escalated";
        d.by = "Reviewer";
        d.reason = "to check";
        d.at = "2026-03-01T01:00:00Z";
        if (tts_cases_decide(c, &d, &err) != TTS_OK)
            fail_msg("%s", err.message);
        OK(tts_cases_render_show(c, rid, TTS_FORMAT_JSON, &out, &len, &err));
        tts_free(out);
        OK(tts_cases_render_show(c, rid, TTS_FORMAT_TEXT, &out, &len, &err));
        tts_free(out);
        out = NULL;
    }
    rescreen(c, rules, l, info, n_info, 0);

    /* a list change: one entry added, then the delta rescreen and the diff */
    snprintf(path, sizeof(path), "%s/lists/us-1260h.csv", fx);
    json = slurp(path);
    f = fopen(csv, "w");
    assert_non_null(f);
    fputs(json, f);
    fputs("new-1,\"Newly Listed Example Holdings\",,CN,1260H,2026-02-01,\n", f);
    fclose(f);
    free(json);
    import(l, csv, "2026-02-01T00:00:00Z");
    tts_list_info_free(info, n_info);
    OK(tts_lists_info(l, &info, &n_info, &err));
    rescreen(c, rules, l, info, n_info, 1);
    OK(tts_lists_diff(l, "us-1260h", TTS_LIST_VERSION_NONE, TTS_LIST_VERSION_NONE,
                                    &diff, &err));
    tts_list_diff_free(diff);
    memset(&so, 0, sizeof(so));
    so.size = sizeof(so);
    so.threshold = 0.85;
    OK(tts_lists_search(l, "Contemporary Amperex", &so, &sr, &err));
    tts_search_result_free(sr);
    OK(tts_lists_status(l, &ls, &len, &err));
    tts_list_status_free(ls, len);
    OK(tts_cases_render_list(c, TTS_FORMAT_TEXT, &out, &len, &err));
    tts_free(out);
    OK(tts_cases_audit_check(c, NULL, 0, &ar, &err));
    assert_int_equal(ar.broken_row, 0);
    OK(tts_cases_audit_export(c, line_sink, NULL, &err));

    memset(&p, 0, sizeof(p));
    assert_int_equal(sqlite3_open_v2(db, &p.db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    tts_store_sql_each(tts_cases_db(c), check_plan, &p);
    tts_store_sql_each(tts_listdb_store(l), check_plan, &p);
    sqlite3_close(p.db);
    printf("# PLANS %d statements explained, %d of them whole walks, %d lookups that scan\n",
           p.checked, p.walks, p.bad);
    assert_true(p.checked >= 40);
    assert_int_equal(p.bad, 0);

    tts_cases_close(c);
    tts_list_info_free(info, n_info);
    tts_lists_close(l);
    tts_rules_free(rules);

    /*
     * A file of schema 8 (before the audit log's object index): read-only it is
     * read as it is, and its chain verifies; opened to write it gains the index.
     */
    assert_int_equal(sqlite3_open(db, &p.db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(p.db, "DROP INDEX audit_log_object; PRAGMA user_version = 8",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(p.db);
    OK(tts_cases_open(db, 1, &c, &err));
    OK(tts_cases_audit_check(c, NULL, 0, &ar, &err));
    assert_int_equal(ar.broken_row, 0);
    tts_cases_close(c);
    OK(tts_cases_open(db, 0, &c, &err));
    tts_cases_close(c);
    assert_int_equal(sqlite3_open(db, &p.db), SQLITE_OK);
    {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(p.db,
                                            "SELECT (SELECT count(*) FROM sqlite_master WHERE "
                                            "name = 'audit_log_object'), (SELECT user_version "
                                            "FROM pragma_user_version)",
                                            -1, &st, NULL),
                         SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_int_equal(sqlite3_column_int(st, 0), 1);
        assert_int_equal(sqlite3_column_int(st, 1), tts_store_schema_version());
        sqlite3_finalize(st);
    }
    sqlite3_close(p.db);
    OK(tts_cases_open(db, 0, &c, &err));
    OK(tts_cases_audit_check(c, NULL, 0, &ar, &err));
    assert_int_equal(ar.broken_row, 0);
    tts_cases_close(c);

    for (const char *sfx = ""; sfx != NULL;
         sfx = sfx[0] == '\0' ? "-wal" : sfx[1] == 'w' ? "-shm" : NULL) {
        snprintf(path, sizeof(path), "%s%s", db, sfx);
        unlink(path);
    }
    unlink(csv);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_lookup_uses_an_index),
    };
    tts_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
