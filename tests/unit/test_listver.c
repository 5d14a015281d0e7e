/* SPDX-License-Identifier: MIT */
/*
 * List versions and diffs: the comparison of two snapshots, the net change
 * composed over several versions, the stored lists JSON a delta rescreen
 * reads, and tts_lists_diff over real imports (with its errors).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/caseidx.h"
#include "lists/listver.h"
#include "util/mem.h"
#include "ttscreen.h"

static char scratch[256];

static int setup(void **state)
{
    if (tts_test_scratch_make(scratch, sizeof(scratch), "listver") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown(void **state)
{
    tts_test_scratch_remove(scratch);
    return tts_test_use_default_allocator(state);
}

typedef struct seen {
    char text[512];
} seen;

static int emit(void *user, const char *change, const tts_listver_ent *old,
                const tts_listver_ent *now)
{
    seen *s = user;
    size_t n = strlen(s->text);
    snprintf(s->text + n, sizeof(s->text) - n, "%s:%s ", change,
             now != NULL ? now->entry_id : old->entry_id);
    return 0;
}

static void test_compare_finds_added_removed_and_changed_by_hash(void **state)
{
    static const tts_listver_ent old[] = {
        {"a", "A", "h1"}, {"b", "B", "h2"}, {"c", "C", "h3"}, {"e", "E", "h5"}};
    static const tts_listver_ent now[] = {
        {"a", "A", "h1"}, {"c", "C renamed", "h9"}, {"d", "D", "h4"}, {"e", "E", "h5"}};
    seen s = {""};
    (void)state;
    assert_int_equal(tts_listver_compare(old, 4, now, 4, emit, &s), 0);
    assert_string_equal(s.text, "removed:b changed:c added:d ");
    s.text[0] = '\0';
    tts_listver_compare(NULL, 0, now, 2, emit, &s);
    assert_string_equal(s.text, "added:a added:c ");
    s.text[0] = '\0';
    tts_listver_compare(old, 1, NULL, 0, emit, &s);
    assert_string_equal(s.text, "removed:a ");
}

/* Rows as tts_store_changes_each gives them: by version, then entry id. */
static void test_net_change_composes_versions(void **state)
{
    tts_listver_net net;
    tts_error err;
    (void)state;
    memset(&net, 0, sizeof(net));
    tts_error_clear(&err);
    /* version 2 */
    tts_listver_net_add(&net, "added-then-removed", "X", NULL, "x1");
    tts_listver_net_add(&net, "changed-twice", "Y", "y1", "y2");
    tts_listver_net_add(&net, "changed-back", "Z", "z1", "z2");
    tts_listver_net_add(&net, "removed", "R", "r1", NULL);
    /* version 3 */
    tts_listver_net_add(&net, "added-then-removed", "X", "x1", NULL);
    tts_listver_net_add(&net, "changed-back", "Z", "z2", "z1");
    tts_listver_net_add(&net, "changed-twice", "Y2", "y2", "y3");
    tts_listver_net_add(&net, "new", "N", NULL, "n1");
    /* version 4 */
    tts_listver_net_add(&net, "removed", "R", NULL, "r2");
    assert_int_equal(tts_listver_net_finish(&net, &err), TTS_OK);
    assert_int_equal(net.n, 3);
    assert_string_equal(net.items[0].entry_id, "changed-twice");
    assert_string_equal(net.items[0].change, "changed");
    assert_string_equal(net.items[0].old_sha256, "y1");
    assert_string_equal(net.items[0].new_sha256, "y3");
    assert_string_equal(net.items[0].name, "Y2");
    assert_string_equal(net.items[1].entry_id, "new");
    assert_string_equal(net.items[1].change, "added");
    assert_string_equal(net.items[2].entry_id,
                        "removed"); /* removed, then back with another hash */
    assert_string_equal(net.items[2].change, "changed");
    tts_listver_net_free(&net);
}

static void test_stored_lists_json_is_read_with_escapes(void **state)
{
    tts_arena *a = tts_arena_new();
    tts_caseidx_pair *p = NULL;
    (void)state;
    assert_non_null(a);
    assert_int_equal(tts_caseidx_parse_lists("[]", a, &p), 0);
    assert_int_equal(
        tts_caseidx_parse_lists("[{\"source\":\"us-csl\",\"entries\":3,\"sha256\":\"ab\"},"
                                "{\"source\":\"in\\\"house \\u00e9\\ud83d\\ude00\","
                                "\"entries\":1,\"sha256\":\"cd\",\"version\":4}]",
                                a, &p),
        2);
    assert_int_equal(p[0].version, 0); /* stored before versions were kept */
    assert_int_equal(p[1].version, 4);
    assert_string_equal(p[0].source, "us-csl");
    assert_string_equal(p[0].sha256, "ab");
    assert_string_equal(p[1].source, "in\"house \xc3\xa9\xf0\x9f\x98\x80");
    assert_string_equal(p[1].sha256, "cd");
    assert_int_equal(tts_caseidx_parse_lists("[{\"source\":\"x", a, &p), -1);
    assert_int_equal(tts_caseidx_parse_lists("[{\"source\":\"x\",\"sha256\":\"ab\","
                                             "\"version\":\"two\"}]",
                                             a, &p),
                     -1);
    assert_int_equal(tts_caseidx_parse_lists("{\"source\":\"x\"}", a, &p), -1);
    tts_arena_free(a);
}

static void write_list(const char *path, const char *rows)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fprintf(fp, "id,name,aliases,country,programs,listed_on,source_url\n%s", rows);
    fclose(fp);
}

static void import(tts_lists *l, const char *file, const char *at)
{
    tts_error err;
    const char *files[1];
    files[0] = file;
    tts_error_clear(&err);
    if (tts_lists_import(l, "watch", "ttscreen-csv", files, 1, at, NULL, &err) != TTS_OK)
        fail_msg("import: %s", err.message);
}

static void test_imports_keep_versions_and_diff_between_any_two(void **state)
{
    char dbp[300], f1[300], f2[300], f3[300], line[128];
    tts_lists *l = NULL;
    tts_list_diff *d = NULL;
    tts_error err;
    char *text = NULL;
    size_t len = 0;
    long v = 0;
    (void)state;
    snprintf(dbp, sizeof(dbp), "%s/v.db", scratch);
    snprintf(f1, sizeof(f1), "%s/1.csv", scratch);
    snprintf(f2, sizeof(f2), "%s/2.csv", scratch);
    snprintf(f3, sizeof(f3), "%s/3.csv", scratch);
    write_list(f1, "a,Alpha Trading,,CN,x,,\nb,Beta Works,,CN,x,,\nc,Gamma Ltd,,CN,x,,\n");
    write_list(f2, "a,Alpha Trading,Alpha Co,CN,x,,\nc,Gamma Ltd,,CN,x,,\nd,Delta Corp,,RU,x,,\n");
    write_list(f3, "a,Alpha Trading,,CN,x,,\nc,Gamma Ltd,,CN,x,,\nd,Delta Corp,,RU,x,,\n");
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(dbp, 0, &l, &err), TTS_OK);
    import(l, f1, "2026-01-01T00:00:00Z");
    import(l, f2, "2026-01-02T00:00:00Z");
    import(l, f3, "2026-01-03T00:00:00Z");
    assert_int_equal(tts_lists_version(l, "watch", &v, &err), TTS_OK);
    assert_int_equal(v, 3);
    /* the last change: the alias of a taken away again */
    assert_int_equal(
        tts_lists_diff(l, "watch", TTS_LIST_VERSION_NONE, TTS_LIST_VERSION_NONE, &d, &err), TTS_OK);
    assert_int_equal(d->from, 2);
    assert_int_equal(d->to, 3);
    tts_list_diff_summary(d, line, sizeof(line));
    assert_string_equal(line, "3 entries, +0 -0 ~1");
    tts_list_diff_free(d);
    /* 1 -> 2: a changed, b removed, d added */
    assert_int_equal(tts_lists_diff(l, "watch", 1, 2, &d, &err), TTS_OK);
    assert_int_equal(tts_list_diff_render(d, TTS_FORMAT_TEXT, &text, &len, &err), TTS_OK);
    assert_string_equal(text, "watch: version 1 -> 2 (imported 2026-01-02T00:00:00Z): 3 entries, "
                              "+1 -1 ~1\n  ~ a  Alpha Trading\n  - b  Beta Works\n"
                              "  + d  Delta Corp\n");
    tts_free(text);
    tts_list_diff_free(d);
    /* 1 -> 3: a is back as it was */
    assert_int_equal(tts_lists_diff(l, "watch", 1, 3, &d, &err), TTS_OK);
    assert_int_equal(d->n, 2);
    assert_int_equal(d->added, 1);
    assert_int_equal(d->removed, 1);
    tts_list_diff_free(d);
    /* errors: one line each, TTS_ERR_ARG */
    assert_int_equal(tts_lists_diff(l, "nope", 1, 2, &d, &err), TTS_ERR_ARG);
    assert_string_equal(err.message, "lists diff: no list \"nope\" in the database");
    assert_null(d);
    tts_error_clear(&err);
    assert_int_equal(tts_lists_diff(l, "watch", 1, 9, &d, &err), TTS_ERR_ARG);
    assert_string_equal(err.message,
                        "lists diff: list \"watch\" has no version 9 (versions 1 to 3)");
    tts_error_clear(&err);
    assert_int_equal(tts_lists_diff(l, "watch", 3, 2, &d, &err), TTS_ERR_ARG);
    assert_string_equal(err.message, "lists diff: --from 3 is newer than --to 2");
    tts_lists_close(l);
}

/* Out of memory at every allocation of a diff and its rendering: a clean NOMEM, no leak. */
static void test_diff_out_of_memory_is_clean(void **state)
{
    char dbp[300], f1[300], f2[300];
    tts_lists *l = NULL;
    tts_error err;
    tts_status rc = TTS_ERR_NOMEM;
    unsigned long n;
    (void)state;
    snprintf(dbp, sizeof(dbp), "%s/oom.db", scratch);
    snprintf(f1, sizeof(f1), "%s/o1.csv", scratch);
    snprintf(f2, sizeof(f2), "%s/o2.csv", scratch);
    write_list(f1, "a,Alpha Trading,,CN,x,,\nb,Beta Works,,CN,x,,\n");
    write_list(f2, "a,Alpha Trading,Alpha Co,CN,x,,\nc,Gamma Ltd,,CN,x,,\n");
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(dbp, 0, &l, &err), TTS_OK);
    import(l, f1, "2026-01-01T00:00:00Z");
    import(l, f2, "2026-01-02T00:00:00Z");
    for (n = 1; rc == TTS_ERR_NOMEM && n < 500; n++) {
        tts_list_diff *d = NULL;
        char *text = NULL;
        size_t len = 0;
        tts_error_clear(&err);
        tts_mem_fail_after(n);
        rc = tts_lists_diff(l, "watch", 0, 2, &d, &err);
        if (rc == TTS_OK)
            rc = tts_list_diff_render(d, TTS_FORMAT_JSON, &text, &len, &err);
        tts_mem_fail_after(0);
        if (rc != TTS_OK && rc != TTS_ERR_NOMEM)
            fail_msg("allocation %lu: %s", n, err.message);
        tts_free(text);
        tts_list_diff_free(d);
    }
    assert_int_equal(rc, TTS_OK);
    assert_true(n > 2);
    tts_lists_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_compare_finds_added_removed_and_changed_by_hash),
        cmocka_unit_test(test_net_change_composes_versions),
        cmocka_unit_test(test_stored_lists_json_is_read_with_escapes),
        cmocka_unit_test(test_imports_keep_versions_and_diff_between_any_two),
        cmocka_unit_test(test_diff_out_of_memory_is_clean),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
