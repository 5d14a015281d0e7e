/* SPDX-License-Identifier: MIT */
/*
 * Unit tests of the HTML report: escaping of every string that comes from
 * the record and findings (script injection), page structure, the
 * self-contained rule (nothing external), the chain graph (nodes, marks,
 * cycles, the node limit) and allocation failures.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ttscreen.h"
#include "util/buf.h"
#include "report/html.h"
#include "util/mem.h"
#include "rules/findings.h"

static char rules_dir[256];

static int setup_group(void **state)
{
    snprintf(rules_dir, sizeof(rules_dir), "/tmp/tts-test-html.XXXXXX");
    if (mkdtemp(rules_dir) == NULL)
        return -1;
    tts_test_use_cmocka_allocator(state);
    return tts_init() == TTS_OK ? 0 : -1; /* routes jansson through the checked allocator */
}

static int teardown_group(void **state)
{
    rmdir(rules_dir);
    tts_fini();
    return tts_test_use_default_allocator(state);
}

static const char xss_record[] =
    "{\"format\":\"ttscreen-record/1\",\"id\":\"xss-1\","
    "\"title\":\"\\\"><img src=x onerror=alert(2)>\",\"kind\":\"subcontract\","
    "\"screened_for\":\"prime\",\"parties\":["
    "{\"id\":\"prime\",\"name\":\"Prime & Sons KK\",\"country\":\"JP\",\"type\":\"company\"},"
    "{\"id\":\"t1\",\"name\":\"<script>alert(1)</script>\",\"country\":\"JP\",\"type\":\"company\"},"
    "{\"id\":\"t2\",\"name\":\"Tier 2 'quoted' Ltd\",\"country\":\"CN\",\"type\":\"company\"},"
    "{\"id\":\"own\",\"name\":\"Holding\",\"country\":\"CN\",\"type\":\"government\"},"
    "{\"id\":\"lone\",\"name\":\"Unconnected\",\"country\":\"US\",\"type\":\"university\"}],"
    "\"relations\":[{\"from\":\"prime\",\"to\":\"t1\",\"type\":\"subcontracts\"},"
    "{\"from\":\"t1\",\"to\":\"t2\",\"type\":\"subcontracts\"},"
    "{\"from\":\"t2\",\"to\":\"prime\",\"type\":\"supplies\"},"
    "{\"from\":\"own\",\"to\":\"t2\",\"type\":\"owns\",\"percent\":51}],"
    "\"technologies\":[{\"id\":\"tech\",\"description\":\"cells\"}],"
    "\"transfers\":[{\"technology\":\"tech\",\"from\":\"prime\",\"to\":\"t1\","
    "\"form\":\"technical-data\"}]}";

static char *xdup(const char *s)
{
    char *p = tts_strdup(s);
    assert_non_null(p);
    return p;
}

static char **dup_list(const char *const *items, size_t n)
{
    char **v = tts_calloc(n, sizeof(char *));
    assert_non_null(v);
    for (size_t i = 0; i < n; i++)
        v[i] = xdup(items[i]);
    return v;
}

/* A finding's path: the array and its ids in one allocation (scan.h). */
static char **path_block(const char *const *items, size_t n)
{
    size_t bytes = n * sizeof(char *);
    char **v, *text;
    for (size_t i = 0; i < n; i++)
        bytes += strlen(items[i]) + 1;
    v = tts_malloc(bytes);
    assert_non_null(v);
    text = (char *)(v + n);
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(items[i]) + 1;
        memcpy(text, items[i], len);
        v[i] = text;
        text += len;
    }
    return v;
}

static void add_finding(tts_findings *fs, tts_severity sev, const char *rule, const char *msg,
                        const char *subject, const char *const *path, size_t n_path, int match)
{
    static const char *const evidence[] = {"$.parties[1].name = <b>bold</b>"};
    tts_finding *f = tts_findings_add(fs);
    assert_non_null(f);
    f->rule = xdup(rule);
    f->revision = 2;
    f->severity = sev;
    f->title = xdup("Title <i>with</i> markup");
    f->citation = xdup("FEFTA Art. 25(1) & \"Appended Table 1\"");
    f->message = xdup(msg);
    f->subject = xdup(subject);
    if (n_path > 0) {
        f->path = path_block(path, n_path);
        f->n_path = n_path;
    }
    f->evidence = dup_list(evidence, 1);
    f->n_evidence = 1;
    if (match) {
        f->matches = tts_calloc(1, sizeof(tts_match));
        assert_non_null(f->matches);
        f->n_matches = 1;
        f->matches[0].source = xdup("us-csl");
        f->matches[0].entry_id = xdup("E-1");
        f->matches[0].name = xdup("Listed <Entity>");
        f->matches[0].matched = xdup("alias</td><script>x()</script>");
        f->matches[0].score = 0.93;
    }
}

typedef struct fixture {
    tts_record *rec;
    tts_rules *rules;
    tts_findings *fs;
    tts_list_info list;
    tts_report_input in;
} fixture;

static void fixture_open(fixture *fx, const char *record_json)
{
    static const char *const path[] = {"prime", "t1", "t2"};
    tts_error err;
    tts_error_clear(&err);
    memset(fx, 0, sizeof(*fx));
    if (tts_record_parse(record_json, strlen(record_json), "test.json", &fx->rec, &err) != TTS_OK)
        fail_msg("record: %s", err.message);
    assert_int_equal(tts_rules_load_dir(rules_dir, NULL, &fx->rules, &err), TTS_OK);
    fx->fs = tts_findings_new();
    assert_non_null(fx->fs);
    add_finding(fx->fs, TTS_SEV_CRITICAL, "chain.listed-party",
                "Tier 2 <script>alert(3)</script> is listed", "$.parties[2]", path, 3, 1);
    add_finding(fx->fs, TTS_SEV_HIGH, "fefta.art25", "Transfer to t1", "$.transfers[0]", NULL,
                0, 0);
    add_finding(fx->fs, TTS_SEV_LOW, "info.low", "Minor", "$.parties[3]", NULL, 0, 0);
    fx->list.source = "us-csl";
    fx->list.entries = 1234;
    fx->list.imported_at = "2026-01-02T00:00:00Z";
    fx->list.sha256 = "abcdef<>";
    fx->in.size = sizeof(fx->in);
    fx->in.tool_version = "0.1.0";
    fx->in.generated_at = "2026-01-01T00:00:00Z";
    fx->in.as_of = "2026-01-01";
    fx->in.record = fx->rec;
    fx->in.rules = fx->rules;
    fx->in.findings = fx->fs;
    fx->in.lists = &fx->list;
    fx->in.n_lists = 1;
}

static void fixture_close(fixture *fx)
{
    tts_findings_free(fx->fs);
    tts_rules_free(fx->rules);
    tts_record_free(fx->rec);
}

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_escape_table(void **state)
{
    static const struct {
        const char *in, *out;
    } rows[] = {
        {"plain", "plain"},
        {"<script>", "&lt;script&gt;"},
        {"a & b", "a &amp; b"},
        {"\"q\" 'a'", "&quot;q&quot; &#39;a&#39;"},
        {"ctl\x01x\x7f", "ctl&#xFFFD;x&#xFFFD;"},
        {"tab\tnl\n", "tab\tnl\n"},
        {"\xe6\x97\xa5\xe6\x9c\xac", "\xe6\x97\xa5\xe6\x9c\xac"},
        {"", ""},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        tts_buf b = TTS_BUF_INIT;
        tts_html_escape(&b, rows[i].in);
        tts_buf_putc(&b, '\0');
        if (strcmp(b.data, rows[i].out) != 0)
            fail_msg("row %zu: '%s', expected '%s'", i, b.data, rows[i].out);
        tts_buf_free(&b);
    }
}

static void test_page_escapes_every_input_string(void **state)
{
    fixture fx;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    (void)state;
    fixture_open(&fx, xss_record);
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_OK);
    tts_buf_putc(&b, '\0');
    /* Nothing from the input becomes markup. */
    assert_null(strstr(b.data, "<script"));
    assert_null(strstr(b.data, "<img"));
    assert_null(strstr(b.data, "<b>"));
    assert_null(strstr(b.data, "<i>"));
    assert_null(strstr(b.data, "<Entity>"));
    assert_null(strstr(b.data, "</td><script>"));
    /* ... but shows as text. */
    assert_non_null(strstr(b.data, "&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert_non_null(strstr(b.data, "&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
    assert_non_null(strstr(b.data, "Tier 2 &lt;script&gt;alert(3)&lt;/script&gt; is listed"));
    assert_non_null(strstr(b.data, "Prime &amp; Sons KK"));
    assert_non_null(strstr(b.data, "Tier 2 &#39;quoted&#39; Ltd"));
    assert_non_null(strstr(b.data, "alias&lt;/td&gt;&lt;script&gt;x()&lt;/script&gt;"));
    assert_non_null(strstr(b.data, "abcdef&lt;&gt;"));
    tts_buf_free(&b);
    fixture_close(&fx);
}

static void test_page_structure_and_self_contained(void **state)
{
    static const char *const tags[] = {"section", "article", "table", "svg", "dl", "ul", "g",
                                       "header", "footer", "tr"};
    fixture fx;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    const char *crit, *high, *low;
    (void)state;
    fixture_open(&fx, xss_record);
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_OK);
    tts_buf_putc(&b, '\0');
    assert_int_equal(strncmp(b.data, "<!DOCTYPE html>\n", 16), 0);
    assert_non_null(strstr(b.data, "Content-Security-Policy\" content=\"default-src 'none'"));
    assert_non_null(strstr(b.data, "@media print"));
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        char open[32], open2[32], close[32];
        snprintf(open, sizeof(open), "<%s ", tags[i]);
        snprintf(open2, sizeof(open2), "<%s>", tags[i]);
        snprintf(close, sizeof(close), "</%s>", tags[i]);
        if (count(b.data, open) + count(b.data, open2) != count(b.data, close))
            fail_msg("<%s>: %zu opened, %zu closed", tags[i],
                     count(b.data, open) + count(b.data, open2), count(b.data, close));
    }
    /* Nothing external: no script, link, import, remote URL or src attribute. */
    assert_null(strstr(b.data, "src=\""));
    assert_null(strstr(b.data, "href=\""));
    assert_null(strstr(b.data, "<link"));
    assert_null(strstr(b.data, "@import"));
    assert_null(strstr(b.data, "https:"));
    assert_int_equal(count(b.data, "http:"), 1); /* the SVG namespace name only */
    assert_int_equal(count(b.data, "url("), count(b.data, "url(#arrow)"));
    /* Header, lists, sections. */
    assert_non_null(strstr(b.data, "<header class=\"blocked\">"));
    assert_non_null(strstr(b.data, "Verdict: blocked"));
    assert_non_null(strstr(b.data, "<dd>xss-1</dd>"));
    assert_non_null(strstr(b.data, "<dd>subcontract</dd>"));
    assert_non_null(strstr(b.data, "<dd>2026-01-01</dd>"));
    assert_non_null(strstr(b.data, "<td>1234</td>"));
    assert_non_null(strstr(b.data, "imported 2026-01-02T00:00:00Z"));
    assert_non_null(strstr(b.data, "0 rules, SHA-256"));
    assert_non_null(strstr(b.data, tts_rules_sha256(fx.rules)));
    assert_non_null(strstr(b.data, "openssl cms -verify -binary -inform PEM"));
    /* Findings grouped most severe first, with citation, evidence, path, matches. */
    crit = strstr(b.data, ">Critical (1)</h3>");
    high = strstr(b.data, ">High (1)</h3>");
    low = strstr(b.data, ">Low (1)</h3>");
    assert_non_null(crit);
    assert_non_null(high);
    assert_non_null(low);
    assert_true(crit < high && high < low);
    assert_null(strstr(b.data, ">Medium ("));
    assert_non_null(strstr(b.data, "FEFTA Art. 25(1) &amp; &quot;Appended Table 1&quot;"));
    assert_non_null(strstr(b.data, "<code>$.parties[1].name = &lt;b&gt;bold&lt;/b&gt;</code>"));
    assert_non_null(strstr(b.data, "Prime &amp; Sons KK (<code>prime</code>) \xe2\x86\x92 "));
    assert_non_null(strstr(b.data, "<td>0.93</td>"));
    assert_int_equal(count(b.data, "<article class=\"finding"), 3);
    if (getenv("TTS_HTML_DUMP") != NULL) { /* for a look in a browser */
        FILE *fp = fopen(getenv("TTS_HTML_DUMP"), "wb");
        assert_non_null(fp);
        fputs(b.data, fp);
        fclose(fp);
    }
    tts_buf_free(&b);
    fixture_close(&fx);
}

static void test_graph_nodes_edges_and_marks(void **state)
{
    fixture fx;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    (void)state;
    fixture_open(&fx, xss_record);
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_OK);
    tts_buf_putc(&b, '\0');
    assert_int_equal(count(b.data, "<svg "), 1);
    assert_int_equal(count(b.data, "<g class=\"node"), 5);
    /* 4 relations + 1 transfer, the cycle prime -> t1 -> t2 -> prime included. */
    assert_int_equal(count(b.data, "<path class=\"edge"), 5);
    assert_int_equal(count(b.data, "class=\"edge own\""), 1);
    assert_int_equal(count(b.data, "class=\"edge xfer\""), 1);
    assert_non_null(strstr(b.data, "owns 51%"));
    assert_non_null(strstr(b.data, "<g class=\"node screened\" data-id=\"prime\">"));
    assert_non_null(strstr(b.data, "<g class=\"node mark-critical\" data-id=\"t2\">"));
    assert_non_null(strstr(b.data, "<g class=\"node mark-high\" data-id=\"t1\">"));
    assert_non_null(strstr(b.data, "<g class=\"node mark-low\" data-id=\"own\">"));
    assert_non_null(strstr(b.data, "<g class=\"node\" data-id=\"lone\">"));
    /* Tiers: prime 0, t1 and t2 1 (t2 supplies prime), own 2, the unconnected party last. */
    assert_non_null(strstr(b.data, "<tr><td>0</td><td>prime</td>"));
    assert_non_null(strstr(b.data, "<tr><td>1</td><td>t1</td>"));
    assert_non_null(strstr(b.data, "<tr><td>1</td><td>t2</td>"));
    assert_non_null(strstr(b.data, "<tr><td>2</td><td>own</td>"));
    assert_non_null(strstr(b.data, "<tr><td>3</td><td>lone</td>"));
    tts_buf_free(&b);
    fixture_close(&fx);
}

static void test_graph_limit_and_missing_inputs(void **state)
{
    tts_buf rec = TTS_BUF_INIT, b = TTS_BUF_INIT;
    fixture fx;
    tts_error err;
    (void)state;
    tts_buf_puts(&rec, "{\"format\":\"ttscreen-record/1\",\"id\":\"big\",\"kind\":\"supply\","
                       "\"screened_for\":\"p0\",\"parties\":[");
    for (int i = 0; i < 301; i++)
        tts_buf_printf(&rec, "%s{\"id\":\"p%d\",\"name\":\"P %d\",\"country\":\"JP\","
                             "\"type\":\"company\"}",
                       i > 0 ? "," : "", i, i);
    tts_buf_puts(&rec, "]}");
    tts_buf_putc(&rec, '\0');
    fixture_open(&fx, rec.data);
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_OK);
    tts_buf_putc(&b, '\0');
    assert_null(strstr(b.data, "<svg "));
    assert_non_null(strstr(b.data, "has 301 parties, more than the 300"));
    tts_buf_free(&b);
    fx.in.record = NULL;
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_ERR_ARG);
    tts_buf_free(&b);
    fixture_close(&fx);
    tts_buf_free(&rec);
}

static void test_cleared_findings_are_shown_apart_and_not_counted(void **state)
{
    fixture fx;
    tts_buf b = TTS_BUF_INIT;
    tts_error err;
    const char *cleared_head, *note;
    (void)state;
    fixture_open(&fx, xss_record);
    tts_findings_edit(fx.fs, 1)->cleared = tts_strdup("cleared by A <Reviewer> on 2026-02-03: same name, other firm");
    assert_non_null(tts_findings_get(fx.fs, 1)->cleared);
    tts_error_clear(&err);
    assert_int_equal(tts_html_render(&fx.in, &b, &err), TTS_OK);
    tts_buf_putc(&b, '\0');
    assert_non_null(strstr(b.data, "<h2>Findings (2)</h2>"));
    assert_null(strstr(b.data, ">High (1)</h3>"));
    cleared_head = strstr(b.data, "Cleared by reviewers (1)</h3>");
    assert_non_null(cleared_head);
    note = strstr(b.data, "cleared by A &lt;Reviewer&gt; on 2026-02-03: same name, other firm");
    assert_non_null(note);
    assert_true(note > cleared_head);
    tts_buf_free(&b);
    fixture_close(&fx);
}

static void test_render_out_of_memory(void **state)
{
    fixture fx;
    tts_error err;
    tts_status rc = TTS_ERR_NOMEM;
    (void)state;
    fixture_open(&fx, xss_record);
    for (unsigned long k = 1; k < 5000 && rc != TTS_OK; k++) {
        tts_buf b = TTS_BUF_INIT;
        tts_error_clear(&err);
        tts_mem_fail_after(k);
        rc = tts_html_render(&fx.in, &b, &err);
        tts_mem_fail_after(0);
        if (rc != TTS_OK)
            assert_int_equal(rc, TTS_ERR_NOMEM);
        tts_buf_free(&b);
    }
    assert_int_equal(rc, TTS_OK);
    fixture_close(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_table),
        cmocka_unit_test(test_page_escapes_every_input_string),
        cmocka_unit_test(test_page_structure_and_self_contained),
        cmocka_unit_test(test_graph_nodes_edges_and_marks),
        cmocka_unit_test(test_graph_limit_and_missing_inputs),
        cmocka_unit_test(test_cleared_findings_are_shown_apart_and_not_counted),
        cmocka_unit_test(test_render_out_of_memory),
    };
    return cmocka_run_group_tests(tests, setup_group, teardown_group);
}
