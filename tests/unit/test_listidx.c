/* SPDX-License-Identifier: MIT */
/*
 * The stored search index: every import writes its file next to the
 * database and describes it in the database in its own transaction; a
 * process maps the file when it matches the lists and builds the index
 * from the rows otherwise (missing, truncated, of another format, keyed to
 * other list versions, another hash), writing it again when it may write;
 * a read-only open never writes; a file changed in place fails the audit;
 * a database of schema 2 upgrades cleanly and is readable before it does.
 */
#define _XOPEN_SOURCE 700
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "helpers.h"
#include "lists/listdb.h"
#include "util/mem.h"
#include "store/store.h"

static char dir[64];

static int setup(void **state)
{
    if (tts_test_scratch_make(dir, sizeof(dir), "listidx") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int teardown(void **state)
{
    if (tts_test_scratch_remove(dir) != 0)
        return -1;
    return tts_test_use_default_allocator(state);
}

static const char *db(const char *name)
{
    static char p[128];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    return p;
}

static void import(tts_lists *l, const char *source, const char *format, const char *rel,
                   const char *at)
{
    tts_error err;
    const char *files[1];
    tts_error_clear(&err);
    files[0] = tts_test_fixture(rel);
    if (tts_lists_import(l, source, format, files, 1, at, NULL, &err) != TTS_OK)
        fail_msg("import %s: %s", rel, err.message);
}

/* A database with the CSL 2019 sample and the 1260H list. */
static void make_db(const char *path)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(path, 0, &l, &err), TTS_OK);
    import(l, "us-csl-2019", "csl-csv", "lists/csl-2019-12-sample.csv", "2026-01-01T00:00:00Z");
    import(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", "2026-01-01T00:00:00Z");
    tts_lists_close(l);
}

/* The stored row: *found, its format, and its bytes (caller frees). */
static void *stored_row(const char *path, int *found, int *format, size_t *len)
{
    tts_store *s = NULL;
    tts_error err;
    char *key = NULL;
    void *data = NULL;
    tts_error_clear(&err);
    assert_int_equal(tts_store_open(path, TTS_STORE_READONLY, &s, &err), TTS_OK);
    assert_int_equal(tts_store_index_get(s, format, &key, &data, len, found, &err), TTS_OK);
    tts_free(key);
    tts_store_close(s);
    return data;
}

/* The index file of database `name`. */
static const char *side(const char *name)
{
    static char p[160];
    snprintf(p, sizeof(p), "%s/%s-index", dir, name);
    return p;
}

/* The whole file at path (caller frees), *len its size; NULL when there is none. */
static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *d;
    long n;
    *len = 0;
    if (fp == NULL)
        return NULL;
    assert_int_equal(fseek(fp, 0, SEEK_END), 0);
    n = ftell(fp);
    assert_true(n >= 0);
    rewind(fp);
    d = tts_malloc((size_t)n + 1);
    assert_non_null(d);
    assert_int_equal(fread(d, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return d;
}

static void spit(const char *path, const void *d, size_t n)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(d, 1, n, fp), n);
    assert_int_equal(fclose(fp), 0);
}

/* hits in every list of make_db and in the CSL 2025 sample that one test adds */
static const char *const queries[] = {"Contemporary Amperex Technology", "CATL", "Atlas Sanatgaran",
                                      "Rosneft Trade Limited", "Aerocaribbean Airlines"};

/*
 * Every query's hits (source, id, matched name, score) as text, into b;
 * returns 1 when the searches used the index file.
 */
static int answers(const char *path, unsigned flags, tts_buf *b)
{
    tts_lists *l = NULL;
    int mapped;
    tts_error err;
    tts_search_opts o;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = 0.7;
    assert_int_equal(tts_lists_open(path, flags, &l, &err), TTS_OK);
    for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
        tts_search_result *r = NULL;
        if (tts_lists_search(l, queries[i], &o, &r, &err) != TTS_OK)
            fail_msg("search '%s': %s", queries[i], err.message);
        for (size_t k = 0; k < r->n; k++)
            tts_buf_printf(b, "%s|%s|%s|%.6f\n", r->hits[k].source, r->hits[k].entry_id,
                           r->hits[k].matched, r->hits[k].score);
        tts_buf_puts(b, "--\n");
        tts_search_result_free(r);
    }
    mapped = tts_listdb_from_file(l);
    tts_lists_close(l);
    return mapped;
}

/* tts_lists_check_index of path: *ok, and the problem or note into problem[256]. */
static void check_index(const char *path, int *ok, char *problem)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(path, TTS_LISTS_READONLY, &l, &err), TTS_OK);
    assert_int_equal(tts_lists_check_index(l, ok, problem, 256, &err), TTS_OK);
    tts_lists_close(l);
}

/* Run a shell command; 0 when it cannot (the test is then skipped). */
static int sh(const char *cmd)
{
    FILE *fp = popen(cmd, "r");
    char line[64];
    int v = -1;
    if (fp == NULL)
        return -1;
    if (fgets(line, sizeof(line), fp) != NULL)
        v = atoi(line);
    if (pclose(fp) != 0)
        return -1;
    return v;
}

static void test_import_stores_the_index_and_searches_use_it(void **state)
{
    tts_buf a = TTS_BUF_INIT, b = TTS_BUF_INIT;
    int found = 0, format = 0, ok = 0;
    size_t len = 0, flen = 0;
    char *data, problem[256];
    unsigned char *file;
    (void)state;
    make_db(db("a.db"));
    /* the row describes the file: "SHA256 LENGTH" */
    data = stored_row(db("a.db"), &found, &format, &len);
    assert_true(found);
    assert_true(len > 66 && len < 96);
    file = slurp(side("a.db"), &flen);
    assert_non_null(file);
    assert_true(flen > 1000);
    assert_memory_equal(file + 32, data, 64); /* the same hash in the file's header */
    tts_free(data);
    tts_free(file);
    /* both opens map the file; same answers */
    assert_true(answers(db("a.db"), 0, &a));
    assert_true(answers(db("a.db"), TTS_LISTS_READONLY, &b));
    assert_non_null(strstr(a.data, "us-1260h"));
    assert_string_equal(a.data, b.data);
    check_index(db("a.db"), &ok, problem);
    assert_true(ok);
    assert_string_equal(problem, "");
    /* nothing half-written is left next to it */
    {
        char cmd[200];
        snprintf(cmd, sizeof(cmd), "ls '%s' | grep -c tmp", dir);
        assert_int_equal(sh(cmd), -1); /* grep -c prints 0 and fails */
    }
    tts_buf_free(&a);
    tts_buf_free(&b);
}

/*
 * A refused file: read-only opens build the view in memory (same answers)
 * and leave the file as it is; a writable open writes it again, byte for
 * byte what the import wrote. `what` says what audit verify notes.
 */
static void refused_then_rewritten(const char *name, const unsigned char *good, size_t n,
                                   const char *want, const char *what)
{
    tts_buf got = TTS_BUF_INIT;
    unsigned char *now;
    size_t len = 0;
    int ok = 0;
    char problem[256];
    check_index(db(name), &ok, problem);
    assert_true(ok);
    if (strstr(problem, what) == NULL)
        fail_msg("%s: note '%s' lacks '%s'", name, problem, what);
    assert_false(answers(db(name), TTS_LISTS_READONLY, &got));
    assert_string_equal(want, got.data);
    now = slurp(side(name), &len);
    assert_true(now == NULL || len != n || memcmp(now, good, n) != 0);
    tts_free(now);
    tts_buf_reset(&got);
    assert_false(answers(db(name), 0, &got));
    assert_string_equal(want, got.data);
    now = slurp(side(name), &len);
    assert_non_null(now);
    assert_int_equal(len, n);
    assert_memory_equal(now, good, n);
    tts_free(now);
    tts_buf_reset(&got);
    assert_true(answers(db(name), TTS_LISTS_READONLY, &got));
    assert_string_equal(want, got.data);
    tts_buf_free(&got);
}

static void test_missing_truncated_or_foreign_file_is_rebuilt(void **state)
{
    tts_buf want = TTS_BUF_INIT;
    unsigned char *good, *bad;
    size_t n = 0;
    (void)state;
    make_db(db("b.db"));
    good = slurp(side("b.db"), &n);
    assert_non_null(good);
    assert_true(answers(db("b.db"), 0, &want));
    /* missing */
    assert_int_equal(unlink(side("b.db")), 0);
    refused_then_rewritten("b.db", good, n, want.data, "No such file");
    /* truncated */
    spit(side("b.db"), good, n - 8);
    refused_then_rewritten("b.db", good, n, want.data, "not the size");
    /* of another version of the format (second header word) */
    bad = tts_malloc(n);
    assert_non_null(bad);
    memcpy(bad, good, n);
    bad[8] ^= 1;
    spit(side("b.db"), bad, n);
    refused_then_rewritten("b.db", good, n, want.data, "another format");
    /* its hash is not the one the database recorded */
    memcpy(bad, good, n);
    bad[32] = bad[32] == 'a' ? 'b' : 'a';
    spit(side("b.db"), bad, n);
    refused_then_rewritten("b.db", good, n, want.data, "other list versions");
    /* its key (the list versions it was built from) differs */
    memcpy(bad, good, n);
    bad[96] ^= 1;
    spit(side("b.db"), bad, n);
    refused_then_rewritten("b.db", good, n, want.data, "other list versions");
    tts_free(bad);
    tts_free(good);
    tts_buf_free(&want);
}

static void test_file_changed_in_place_fails_audit(void **state)
{
    unsigned char *good;
    size_t n = 0;
    int ok = 1;
    char problem[256];
    (void)state;
    make_db(db("f.db"));
    good = slurp(side("f.db"), &n);
    assert_non_null(good);
    /* same size, header and key; one byte of the view changed: the hash tells */
    good[n / 2] ^= 0x40;
    spit(side("f.db"), good, n);
    check_index(db("f.db"), &ok, problem);
    assert_false(ok);
    assert_non_null(strstr(problem, "does not match its hash"));
    tts_free(good);
}

static void test_index_of_other_list_versions_is_not_used(void **state)
{
    tts_buf before = TTS_BUF_INIT, after = TTS_BUF_INIT;
    tts_lists *l = NULL;
    tts_store *s = NULL;
    tts_error err;
    char *key = NULL;
    void *data = NULL;
    unsigned char *file, *now;
    size_t len = 0, flen = 0, nlen = 0;
    int found = 0, format = 0;
    (void)state;
    tts_error_clear(&err);
    make_db(db("c.db"));
    answers(db("c.db"), 0, &before);
    /* keep the stored index of these lists, import a third one, put the old index back */
    assert_int_equal(tts_store_open(db("c.db"), 0, &s, &err), TTS_OK);
    assert_int_equal(tts_store_index_get(s, &format, &key, &data, &len, &found, &err), TTS_OK);
    tts_store_close(s);
    file = slurp(side("c.db"), &flen);
    assert_non_null(file);
    assert_int_equal(tts_lists_open(db("c.db"), 0, &l, &err), TTS_OK);
    import(l, "us-csl", "csl-csv", "lists/csl-2025-sample.csv", "2026-01-02T00:00:00Z");
    tts_lists_close(l);
    /* the import replaced the file */
    now = slurp(side("c.db"), &nlen);
    assert_non_null(now);
    assert_true(nlen != flen || memcmp(now, file, flen) != 0);
    tts_free(now);
    assert_true(answers(db("c.db"), 0, &after));
    /* the old file alone: its key and hash are not those of the row */
    spit(side("c.db"), file, flen);
    tts_buf_reset(&before);
    assert_false(answers(db("c.db"), TTS_LISTS_READONLY, &before));
    assert_string_equal(before.data, after.data);
    /* the old file and the old row: the row's key is not that of the lists */
    assert_int_equal(tts_store_open(db("c.db"), 0, &s, &err), TTS_OK);
    assert_int_equal(tts_store_index_put(s, format, key, data, len, &err), TTS_OK);
    tts_store_close(s);
    tts_buf_reset(&before);
    assert_false(answers(db("c.db"), TTS_LISTS_READONLY, &before));
    assert_string_equal(before.data, after.data); /* the stale index was ignored */
    tts_free(file);
    tts_free(key);
    tts_free(data);
    tts_buf_free(&before);
    tts_buf_free(&after);
}

/* The hash of the first us-1260h hit for CATL through l (caller frees), or NULL. */
static char *catl_sha(tts_lists *l)
{
    tts_match *m = NULL;
    size_t n = 0;
    tts_error err;
    const char *src[1] = {"us-1260h"};
    char *sha = NULL;
    tts_error_clear(&err);
    if (tts_lists_lookup(l, "Contemporary Amperex Technology Co., Limited", NULL, src, 1, 0.85,
                         &m, &n, &err) != TTS_OK)
        fail_msg("lookup: %s", err.message);
    if (n > 0 && m[0].entry_sha256 != NULL)
        sha = tts_strdup(m[0].entry_sha256);
    tts_matches_free(m, n);
    return sha;
}

/*
 * TTS_LISTS_SNAPSHOT: a handle's lookups keep reading the database as it was
 * when its lists were loaded, while another handle imports a changed list,
 * so every hit agrees with the index it came from; a new handle sees the change.
 */
static void test_snapshot_lookups_agree_with_the_loaded_lists(void **state)
{
    static const char changed[] =
        "id,name,aliases,country,programs,listed_on,source_url\n"
        "2025-catl,\"Contemporary Amperex Technology Co., Limited\",CATL,CN,1260H,2025-01-08,\n";
    tts_lists *snap = NULL, *w = NULL, *fresh = NULL;
    tts_error err;
    char path[160], *before, *during, *after;
    const char *files[1];
    (void)state;
    tts_error_clear(&err);
    make_db(db("s.db"));
    assert_int_equal(tts_lists_open(db("s.db"), TTS_LISTS_READONLY | TTS_LISTS_SNAPSHOT, &snap,
                                    &err),
                     TTS_OK);
    before = catl_sha(snap);
    assert_non_null(before);
    snprintf(path, sizeof(path), "%s/us-1260h-changed.csv", dir);
    spit(path, changed, sizeof(changed) - 1);
    assert_int_equal(tts_lists_open(db("s.db"), 0, &w, &err), TTS_OK);
    files[0] = path;
    if (tts_lists_import(w, "us-1260h", "ttscreen-csv", files, 1, "2026-01-03T00:00:00Z", NULL,
                         &err) != TTS_OK)
        fail_msg("import: %s", err.message);
    tts_lists_close(w);
    during = catl_sha(snap);
    assert_non_null(during);
    assert_string_equal(during, before); /* the snapshot's entry, as its index has it */
    assert_int_equal(tts_lists_open(db("s.db"), TTS_LISTS_READONLY, &fresh, &err), TTS_OK);
    after = catl_sha(fresh);
    assert_non_null(after);
    assert_string_not_equal(after, before); /* the new entry, for a handle opened after */
    tts_lists_close(fresh);
    tts_lists_close(snap);
    tts_free(before);
    tts_free(during);
    tts_free(after);
}

/* The hits of one lookup through l, as one line of text per hit (caller frees). */
static char *hits_text_as(tts_lists *l, const char *name, int skip_entry_hash)
{
    tts_lookup_query q;
    tts_match *m = NULL;
    size_t n = 0;
    tts_error err;
    tts_buf b = TTS_BUF_INIT;
    tts_error_clear(&err);
    memset(&q, 0, sizeof(q));
    q.size = sizeof(q);
    q.name = name;
    q.country = "CN";
    q.threshold = 0.80;
    q.skip_entry_hash = skip_entry_hash;
    if (tts_lists_lookup_query(l, &q, &m, &n, &err) != TTS_OK)
        fail_msg("lookup %s: %s", name, err.message);
    for (size_t i = 0; i < n; i++)
        tts_buf_printf(&b, "%s|%s|%s|%s|%.6f|%s|%s|%s|%s|%s|%.6f|%.6f\n", m[i].source,
                       m[i].entry_id, m[i].name, m[i].matched, m[i].score,
                       m[i].entry_sha256 ? m[i].entry_sha256 : "-",
                       m[i].sublist ? m[i].sublist : "-", m[i].kind ? m[i].kind : "-",
                       m[i].citation ? m[i].citation : "-", m[i].country ? m[i].country : "-",
                       m[i].name_score, m[i].country_delta);
    tts_buf_putc(&b, '\0');
    tts_matches_free(m, n);
    return tts_buf_steal(&b, NULL);
}

static char *hits_text(tts_lists *l, const char *name)
{
    return hits_text_as(l, name, 0);
}

/* s with every 64-hex-digit content hash replaced by "-" (the field a skipping lookup omits). */
static void drop_hashes(char *s)
{
    for (char *p = s; (p = strchr(p, '|')) != NULL;) {
        size_t n = strspn(p + 1, "0123456789abcdef");
        if (n == 64 && p[65] == '|') {
            memmove(p + 2, p + 65, strlen(p + 65) + 1);
            p[1] = '-';
        }
        p++;
    }
}

/*
 * skip_entry_hash: the same hits, field for field, without the entries'
 * content hashes; and under a snapshot the memory of repeated queries never
 * hands hits without hashes to a query that wants them, or the other way.
 */
static void test_lookup_without_entry_hashes(void **state)
{
    static const char *const names[] = {"Contemporary Amperex Technology Co., Limited", "CATL"};
    tts_lists *snap = NULL, *plain = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    make_db(db("h.db"));
    assert_int_equal(tts_lists_open(db("h.db"), TTS_LISTS_READONLY | TTS_LISTS_SNAPSHOT, &snap,
                                    &err),
                     TTS_OK);
    assert_int_equal(tts_lists_open(db("h.db"), TTS_LISTS_READONLY, &plain, &err), TTS_OK);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            /* round 0 asks without hashes first, round 1 with them first */
            char *without = hits_text_as(snap, names[i], round == 0);
            char *with = hits_text_as(snap, names[i], round != 0);
            char *ref = hits_text(plain, names[i]);
            if (round != 0) {
                char *t = without;
                without = with;
                with = t;
            }
            assert_true(strlen(ref) > 0);
            assert_string_equal(with, ref);
            drop_hashes(ref);
            assert_string_equal(without, ref);
            assert_string_not_equal(with, ref);
            tts_free(without);
            tts_free(with);
            tts_free(ref);
        }
    tts_lists_close(plain);
    tts_lists_close(snap);
}

/*
 * Under a snapshot a query asked again is answered from memory: the same
 * hits, field for field, as a handle without one computes; so after more
 * distinct queries than the memory holds.
 */
static void test_snapshot_answers_repeated_queries_alike(void **state)
{
    static const char *const names[] = {"Contemporary Amperex Technology Co., Limited", "CATL",
                                        "Huawei Technologies", "Nobody Such Trading K.K."};
    tts_lists *snap = NULL, *plain = NULL;
    tts_error err;
    char name[64];
    (void)state;
    tts_error_clear(&err);
    make_db(db("q.db"));
    assert_int_equal(tts_lists_open(db("q.db"), TTS_LISTS_READONLY | TTS_LISTS_SNAPSHOT, &snap,
                                    &err),
                     TTS_OK);
    assert_int_equal(tts_lists_open(db("q.db"), TTS_LISTS_READONLY, &plain, &err), TTS_OK);
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            char *a = hits_text(snap, names[i]), *b = hits_text(plain, names[i]);
            assert_string_equal(a, b);
            if (i == 0)
                assert_true(strlen(a) > 0);
            tts_free(a);
            tts_free(b);
        }
        /* more distinct queries than the memory keeps: it empties and fills again */
        for (int k = 0; round == 1 && k < 3500; k++) {
            snprintf(name, sizeof(name), "Generated Party %d Ltd", k);
            tts_free(hits_text(snap, name));
        }
    }
    tts_lists_close(plain);
    tts_lists_close(snap);
}

static void test_index_too_large_to_store_is_not_stored(void **state)
{
    tts_buf want = TTS_BUF_INIT, got = TTS_BUF_INIT;
    tts_lists *l = NULL;
    tts_error err;
    int found = 1, format = 0;
    size_t len = 0;
    void *data;
    (void)state;
    tts_error_clear(&err);
    make_db(db("e.db"));
    assert_int_equal(access(side("e.db"), F_OK), 0);
    answers(db("e.db"), 0, &want);
    /* a limit below the size of the index: the import stores none, and removes the old one */
    assert_int_equal(tts_lists_open(db("e.db"), 0, &l, &err), TTS_OK);
    tts_listdb_set_index_limit(l, 1000);
    import(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", "2026-01-03T00:00:00Z");
    tts_lists_close(l);
    data = stored_row(db("e.db"), &found, &format, &len);
    assert_false(found);
    tts_free(data);
    assert_int_equal(access(side("e.db"), F_OK), -1); /* its file is gone with it */
    assert_false(answers(db("e.db"), TTS_LISTS_READONLY, &got));
    assert_string_equal(want.data, got.data);
    tts_buf_free(&want);
    tts_buf_free(&got);
}

/* A search of path is refused: its lists' names were made by an earlier normaliser. */
static void refused(const char *path, unsigned flags)
{
    tts_lists *l = NULL;
    tts_search_result *r = NULL;
    tts_search_opts o;
    tts_error err;
    tts_list_status *st = NULL;
    size_t n = 0;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = 0.7;
    assert_int_equal(tts_lists_open(path, flags, &l, &err), TTS_OK);
    assert_int_equal(tts_lists_search(l, queries[0], &o, &r, &err), TTS_ERR_VERIFY);
    assert_null(r);
    assert_non_null(strstr(err.message, "earlier version of ttscreen"));
    assert_non_null(strstr(err.message, "import it again"));
    /* the status says which lists, and still reads */
    assert_int_equal(tts_lists_status(l, &st, &n, &err), TTS_OK);
    assert_true(n > 0);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(st[i].names_current, 0);
    tts_list_status_free(st, n);
    tts_lists_close(l);
}

static void test_schema_2_database_upgrades_and_is_readable_before(void **state)
{
    tts_buf want = TTS_BUF_INIT, got = TTS_BUF_INIT;
    char cmd[1200];
    int found = 1, format = 0;
    size_t len = 0;
    void *data;
    tts_lists *l = NULL;
    tts_error err;
    (void)state;
    make_db(db("d.db"));
    answers(db("d.db"), 0, &want);
    /* what a database of the previous schema looks like */
    snprintf(cmd, sizeof(cmd),
             "sqlite3 '%s' 'DROP TABLE list_index; DROP INDEX list_entry_source_entry; "
             "DROP TABLE list_change; DROP TABLE list_version; DROP TABLE rescreen_run; "
             "DROP INDEX audit_log_object; "
             "ALTER TABLE list_source DROP COLUMN kind; "
             "ALTER TABLE list_source DROP COLUMN jurisdiction; "
             "ALTER TABLE list_source DROP COLUMN severity; "
             "ALTER TABLE list_source DROP COLUMN dated; "
             "ALTER TABLE list_source DROP COLUMN dated_by; "
             "ALTER TABLE list_source DROP COLUMN content_sha256; "
             "ALTER TABLE list_source DROP COLUMN names_version; "
             "ALTER TABLE list_fetch DROP COLUMN transport; "
             "ALTER TABLE audit_log DROP COLUMN format; ALTER TABLE case_file DROP COLUMN kind; "
             "DROP TRIGGER case_file_no_update; "
             "DROP TRIGGER case_file_no_delete; PRAGMA user_version = 2; "
             "PRAGMA user_version;' 2>/dev/null",
             db("d.db"));
    if (sh(cmd) != 2)
        skip();
    /* read-only: accepted as it is, nothing written, but its names were normalised by a
     * version that kept no record of its matcher: searching it is refused, not guessed */
    refused(db("d.db"), TTS_LISTS_READONLY);
    snprintf(cmd, sizeof(cmd), "sqlite3 '%s' 'PRAGMA user_version;' 2>/dev/null", db("d.db"));
    assert_int_equal(sh(cmd), 2);
    data = stored_row(db("d.db"), &found, &format, &len);
    assert_false(found);
    tts_free(data);
    /* writable: migrated, still refused until the lists are imported again */
    refused(db("d.db"), 0);
    assert_int_equal(sh(cmd), tts_store_schema_version());
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(db("d.db"), 0, &l, &err), TTS_OK);
    import(l, "us-csl-2019", "csl-csv", "lists/csl-2019-12-sample.csv", "2026-01-02T00:00:00Z");
    import(l, "us-1260h", "ttscreen-csv", "lists/us-1260h.csv", "2026-01-02T00:00:00Z");
    tts_lists_close(l);
    answers(db("d.db"), 0, &got);
    assert_string_equal(want.data, got.data);
    data = stored_row(db("d.db"), &found, &format, &len);
    assert_true(found);
    tts_free(data);
    tts_buf_free(&want);
    tts_buf_free(&got);
}

/*
 * The index file is read in place, each entry when a search meets it (so
 * opening it costs the same for any size of list): an entry whose string
 * offsets point outside the file fails that search with the file named,
 * never a hit with a made-up name or a silently smaller answer.
 */
static void test_damaged_entry_fails_the_search(void **state)
{
    static const uint64_t magic = 0x31574549565354ULL; /* the view's ("TSVIEW1") */
    unsigned char *d;
    size_t n = 0, v = 0;
    uint64_t n_ents = 0;
    tts_lists *l = NULL;
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    make_db(db("dmg.db"));
    d = slurp(side("dmg.db"), &n);
    assert_non_null(d);
    for (v = 8; v + 16 <= n; v += 8) {
        uint64_t w;
        memcpy(&w, d + v, sizeof(w));
        if (w == magic)
            break;
    }
    assert_true(v + 16 <= n);
    memcpy(&n_ents, d + v + 8, sizeof(n_ents));
    assert_true(n_ents > 0);
    for (uint64_t i = 0; i < n_ents; i++) {
        uint32_t far = 0xfffffff0u; /* past the strings: the name of every entry */
        memcpy(d + v + 5 * 8 + i * 32 + 16, &far, sizeof(far));
    }
    spit(side("dmg.db"), d, n);
    tts_free(d);
    assert_int_equal(tts_lists_open(db("dmg.db"), TTS_LISTS_READONLY, &l, &err), TTS_OK);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = 0.80;
    assert_int_equal(tts_lists_search(l, "Contemporary Amperex Technology Co., Limited", &o, &r,
                                      &err),
                     TTS_ERR_DB);
    assert_null(r);
    assert_non_null(strstr(err.message, "dmg.db-index: the stored search index is damaged"));
    tts_lists_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_stores_the_index_and_searches_use_it),
        cmocka_unit_test(test_missing_truncated_or_foreign_file_is_rebuilt),
        cmocka_unit_test(test_file_changed_in_place_fails_audit),
        cmocka_unit_test(test_index_of_other_list_versions_is_not_used),
        cmocka_unit_test(test_index_too_large_to_store_is_not_stored),
        cmocka_unit_test(test_snapshot_lookups_agree_with_the_loaded_lists),
        cmocka_unit_test(test_snapshot_answers_repeated_queries_alike),
        cmocka_unit_test(test_lookup_without_entry_hashes),
        cmocka_unit_test(test_damaged_entry_fails_the_search),
        cmocka_unit_test(test_schema_2_database_upgrades_and_is_readable_before),
    };
    return cmocka_run_group_tests_name("listidx", tests, setup, teardown);
}
