/* SPDX-License-Identifier: MIT */
/*
 * Unit tests: the workbook reader (xlsx/xlsx_in.c) and the importer of the
 * Ministry of Finance's asset-freeze workbook (mof-xlsx). The reader reads
 * every sheet by name, marks numbers, and names file and sheet in every
 * error; the importer finds its columns by header text on every sheet of
 * the real file (a cut of it: fixtures/lists/jp-mof-cut.xlsx), leaves the
 * index and repealed programmes out, does not import removed (削除) rows,
 * and refuses a sheet it cannot read with one message naming file and
 * sheet, importing nothing. Small workbooks are written here with libzip.
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "ttscreen.h"
#include "xlsx/xlsx_in.h"

static char dir[64];

static int group_setup(void **state)
{
    if (tts_test_scratch_make(dir, sizeof(dir), "xlsx") != 0)
        return -1;
    return tts_test_use_cmocka_allocator(state);
}

static int group_teardown(void **state)
{
    tts_test_scratch_remove(dir);
    return tts_test_use_default_allocator(state);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

/*
 * Write a workbook DIR/name whose sheets are names[i] with sheet XML data
 * rows[i] (the <sheetData> content); a NULL rows[i] leaves that sheet's part
 * out. Returns the path (static buffer).
 */
static const char *book(const char *name, size_t n, const char *const *names,
                        const char *const *rows)
{
    static char path[160];
    char wb[4096], rels[4096], part[64];
    size_t wl, rl;
    zip_t *z;
    int e = 0;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    remove(path);
    z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &e);
    assert_non_null(z);
    wl = (size_t)snprintf(wb, sizeof(wb), "<workbook " NS " " RNS "><sheets>");
    rl = (size_t)snprintf(rels, sizeof(rels),
                          "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
                          "relationships\">");
    for (size_t i = 0; i < n; i++) {
        wl += (size_t)snprintf(wb + wl, sizeof(wb) - wl,
                               "<sheet name=\"%s\" sheetId=\"%zu\" r:id=\"rId%zu\"/>", names[i],
                               i + 1, i + 1);
        rl += (size_t)snprintf(rels + rl, sizeof(rels) - rl,
                               "<Relationship Id=\"rId%zu\" Target=\"worksheets/sheet%zu.xml\"/>",
                               i + 1, i + 1);
    }
    snprintf(wb + wl, sizeof(wb) - wl, "</sheets></workbook>");
    snprintf(rels + rl, sizeof(rels) - rl, "</Relationships>");
    assert_true(zip_file_add(z, "xl/workbook.xml", zip_source_buffer(z, strdup(wb), strlen(wb), 1),
                             0) >= 0);
    assert_true(zip_file_add(z, "xl/_rels/workbook.xml.rels",
                             zip_source_buffer(z, strdup(rels), strlen(rels), 1), 0) >= 0);
    for (size_t i = 0; i < n; i++) {
        char *xml;
        size_t len;
        if (rows[i] == NULL)
            continue;
        len = strlen(rows[i]) + 200;
        xml = malloc(len);
        assert_non_null(xml);
        snprintf(xml, len, "<worksheet " NS "><sheetData>%s</sheetData></worksheet>", rows[i]);
        snprintf(part, sizeof(part), "xl/worksheets/sheet%zu.xml", i + 1);
        assert_true(zip_file_add(z, part, zip_source_buffer(z, xml, strlen(xml), 1), 0) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
    return path;
}

/* An inline-string cell. */
#define IS(ref, text) "<c r=\"" ref "\" t=\"inlineStr\"><is><t>" text "</t></is></c>"

static const char *const mof_names[] = {"一覧", "1.例示（団体）"};
#define MOF_INDEX "<row r=\"2\">" IS("A2", "このファイルは例示です。") "</row>" \
                  "<row r=\"3\"><c r=\"A3\"><v>1</v></c>" IS("B3", "例示（団体）") "</row>"
#define MOF_HEAD(extra)                                                                       \
    "<row r=\"1\">" IS("A1", "例示") "</row><row r=\"2\">" IS("A2", "告示日付")            \
        IS("B2", "告示番号") IS("C2", "日本語表記") IS("D2", "英語表記") IS("E2", "別称")  \
            extra "</row>"

/* Import path as mof-xlsx into l under source "s"; the status, the message in err. */
static tts_status import(tts_lists *l, const char *path, tts_import_result *res, tts_error *err)
{
    const char *files[1] = {path};
    tts_error_clear(err);
    return tts_lists_import(l, "s", "mof-xlsx", files, 1, "2026-03-10T00:00:00Z", res, err);
}

static tts_lists *open_mem(void)
{
    tts_lists *l = NULL;
    tts_error err;
    tts_error_clear(&err);
    assert_int_equal(tts_lists_open(":memory:", 0, &l, &err), TTS_OK);
    return l;
}

/* The number of hits of q (threshold default); the first entry id into id[cap] when any. */
static size_t hits(tts_lists *l, const char *q, char *id, size_t cap)
{
    tts_search_opts o;
    tts_search_result *r = NULL;
    tts_error err;
    size_t n;
    tts_error_clear(&err);
    memset(&o, 0, sizeof(o));
    o.size = sizeof(o);
    o.threshold = TTS_LISTS_THRESHOLD;
    assert_int_equal(tts_lists_search(l, q, &o, &r, &err), TTS_OK);
    n = r->n;
    if (id != NULL)
        snprintf(id, cap, "%s", n > 0 ? r->hits[0].entry_id : "");
    tts_search_result_free(r);
    return n;
}

/* ---- the reader ------------------------------------------------------- */

static void test_reader_reads_every_sheet_by_name_and_marks_numbers(void **state)
{
    tts_xlsx *x = NULL;
    tts_xlsx_sheet *s = NULL;
    tts_error err;
    char p[512];
    (void)state;
    tts_error_clear(&err);
    snprintf(p, sizeof(p), "%s", tts_test_fixture("lists/jp-mof-20260305.xlsx"));
    assert_int_equal(tts_xlsx_open(p, "mof.xlsx", &x, &err), TTS_OK);
    assert_int_equal(tts_xlsx_sheet_count(x), 45);
    assert_string_equal(tts_xlsx_sheet_name(x, 0), "一覧");
    assert_string_equal(tts_xlsx_sheet_name(x, 44), "44.ハイチ共和国（団体）");
    assert_null(tts_xlsx_sheet_name(x, 45));
    assert_int_equal(tts_xlsx_date1904(x), 0);
    for (size_t i = 0; i < tts_xlsx_sheet_count(x); i++) {
        if (tts_xlsx_sheet_read(x, i, &s, &err) != TTS_OK)
            fail_msg("sheet %zu: %s", i, err.message);
        assert_true(s->n_rows > 0);
        assert_string_equal(s->name, tts_xlsx_sheet_name(x, i));
        if (i == 5) { /* 5.イラク前政権関係者等（Ⅰ）, row 3: Saddam Hussein, born 28 Apr 1937 */
            assert_int_equal(s->rows[2].row, 3);
            assert_string_equal(s->rows[2].cells[3].text, "Saddam Hussein Al-Tikriti");
            assert_int_equal(s->rows[2].cells[3].number, 0);
            assert_string_equal(s->rows[2].cells[6].text, "13633");
            assert_int_equal(s->rows[2].cells[6].number, 1);
        }
        tts_xlsx_sheet_free(s);
    }
    assert_int_equal(tts_xlsx_sheet_read(x, 45, &s, &err), TTS_ERR_ARG);
    assert_null(s);
    tts_xlsx_close(x);
}

static void test_reader_errors_name_the_file_and_the_sheet(void **state)
{
    const char *names[] = {"A", "Broken"};
    const char *rows[] = {"<row r=\"1\">" IS("A1", "x") "</row>",
                          "<row r=\"1\"><c r=\"A1\" t=\"e\"><v>#REF!</v></c></row>"};
    const char *missing[] = {"<row r=\"1\">" IS("A1", "x") "</row>", NULL};
    tts_xlsx *x = NULL;
    tts_xlsx_sheet *s = NULL;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_xlsx_open(book("e.xlsx", 2, names, rows), "e.xlsx", &x, &err), TTS_OK);
    assert_int_equal(tts_xlsx_sheet_read(x, 0, &s, &err), TTS_OK);
    tts_xlsx_sheet_free(s);
    assert_int_equal(tts_xlsx_sheet_read(x, 1, &s, &err), TTS_ERR_ARG);
    assert_string_equal(err.message, "e.xlsx: sheet \"Broken\": cell A1 holds the error value #REF!");
    tts_xlsx_close(x);
    tts_error_clear(&err);
    assert_int_equal(tts_xlsx_open(book("m.xlsx", 2, names, missing), "m.xlsx", &x, &err), TTS_OK);
    assert_int_equal(tts_xlsx_sheet_read(x, 1, &s, &err), TTS_ERR_ARG);
    assert_string_equal(err.message,
                        "m.xlsx: sheet \"Broken\": no worksheet part xl/worksheets/sheet2.xml");
    tts_xlsx_close(x);
    tts_error_clear(&err);
    assert_int_equal(tts_xlsx_open(tts_test_fixture("lists/jp-eul.csv"), "eul.csv", &x, &err),
                     TTS_ERR_ARG);
    assert_null(x);
    assert_string_equal(err.message, "eul.csv: not an Excel workbook (not a zip archive)");
}

/* The first-sheet CSV reader of counterparty sheets keeps its rows and blank lines. */
static void test_reader_first_sheet_as_csv(void **state)
{
    const char *names[] = {"One", "Two"};
    const char *rows[] = {"<row r=\"1\">" IS("A1", "a") IS("C1", "c,d") "</row>"
                          "<row r=\"3\"><c r=\"B3\"><v>42</v></c></row>",
                          "<row r=\"1\">" IS("A1", "other") "</row>"};
    char *csv = NULL;
    size_t len = 0;
    tts_error err;
    (void)state;
    tts_error_clear(&err);
    assert_int_equal(tts_xlsx_to_csv(book("c.xlsx", 2, names, rows), "c.xlsx", &csv, &len, &err),
                     TTS_OK);
    assert_string_equal(csv, "a,,\"c,d\"\n\n,42\n");
    assert_int_equal(len, strlen(csv));
    tts_free(csv);
}

/* ---- the importer ----------------------------------------------------- */

static void test_mof_cut_of_the_real_file(void **state)
{
    tts_lists *l = open_mem();
    tts_import_result res;
    tts_error err;
    char id[128];
    (void)state;
    /* 一覧 (index) and 8.【解除】リベリア left out; タリバーン関係者等 rows 3-40 (38 rows,
     * 9 of them 削除: 29), ソマリア (26 numbered rows, 2 削除; the long remarks of entry 1
     * over rows 3-15 are one entry: 24), ベラルーシ団体 (12) */
    if (import(l, tts_test_fixture("lists/jp-mof-cut.xlsx"), &res, &err) != TTS_OK)
        fail_msg("%s", err.message);
    assert_int_equal(res.entries, 29 + 24 + 12);
    assert_true(hits(l, "AL-SHABAAB", id, sizeof(id)) >= 1);
    assert_string_equal(id, "ソマリア/1");
    assert_true(hits(l, "アル・シャバーブ", id, sizeof(id)) >= 1);
    assert_string_equal(id, "ソマリア/1");
    assert_true(hits(l, "Minsk Wheel Tractor Plant", id, sizeof(id)) >= 1);
    assert_string_equal(id, "ベラルーシ(団体(特定銀行を除く))/2");
    assert_true(hits(l, "MOHAMMAD HASSAN AKHUND", id, sizeof(id)) >= 1);
    assert_string_equal(id, "タリバーン関係者等/2");
    tts_lists_close(l);
}

static void test_mof_removed_row_is_not_imported(void **state)
{
    const char *v1[] = {MOF_INDEX, MOF_HEAD("")
                        "<row r=\"3\">" IS("A3", "2024.1.1") IS("B3", "1") IS("C3", "オリオン海運")
                            IS("D3", "Orion Maritime Holdings FZE") "</row>"
                        "<row r=\"4\">" IS("A4", "2024.1.1") IS("B4", "2") IS("C4", "カシオペア交易")
                            IS("D4", "Kassiopeia Trading LLC") IS("E4", "(a)カシオペア・トレーディング(b)Cassiopeia Trade House") "</row>"};
    const char *v2[] = {MOF_INDEX, MOF_HEAD("")
                        "<row r=\"3\">" IS("A3", "2024.1.1\n2026.3.1削除") IS("B3", "1") IS("C3", "オリオン海運")
                            IS("D3", "Orion Maritime Holdings FZE") "</row>"
                        "<row r=\"4\">" IS("A4", "2024.1.1") IS("B4", "2") IS("C4", "カシオペア交易")
                            IS("D4", "Kassiopeia Trading LLC") "</row>"};
    tts_lists *l = open_mem();
    tts_import_result res;
    tts_error err;
    char id[128];
    (void)state;
    assert_int_equal(import(l, book("v1.xlsx", 2, mof_names, v1), &res, &err), TTS_OK);
    assert_int_equal(res.entries, 2);
    assert_int_equal(hits(l, "Orion Maritime Holdings", id, sizeof(id)), 1);
    assert_string_equal(id, "例示（団体）/1");
    assert_int_equal(hits(l, "Cassiopeia Trade House", id, sizeof(id)), 1);
    assert_string_equal(id, "例示（団体）/2");
    /* a removed row keeps its name: still not imported */
    assert_int_equal(import(l, book("v2.xlsx", 2, mof_names, v2), &res, &err), TTS_OK);
    assert_int_equal(res.entries, 1);
    assert_int_equal(hits(l, "Orion Maritime Holdings", NULL, 0), 0);
    assert_int_equal(hits(l, "オリオン海運", NULL, 0), 0);
    assert_int_equal(hits(l, "Kassiopeia Trading", NULL, 0), 1);
    tts_lists_close(l);
}

/* Each bad workbook: one message naming the file and the sheet; nothing imported. */
static void test_mof_bad_sheets_fail_closed(void **state)
{
    static const struct {
        const char *sheet2, *want;
    } bad[] = {
        {MOF_HEAD(IS("F2", "制裁理由")) "<row r=\"3\">" IS("A3", "2024.1.1") IS("B3", "1")
             IS("C3", "オリオン海運") "</row>",
         "sheet \"1.例示（団体）\": cell F2: header \"制裁理由\" is not one the mof-xlsx importer knows"},
        {"<row r=\"1\">" IS("A1", "例示") "</row><row r=\"3\">" IS("A3", "日付") IS("B3", "名前")
             "</row>",
         "sheet \"1.例示（団体）\": row 1: no header row"},
        {MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024.1.1") IS("B3", "一") IS("C3", "オリオン海運")
             "</row>",
         "sheet \"1.例示（団体）\": cell B3: 告示番号 is not a number"},
        {MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024年1月1日") IS("B3", "1") IS("C3", "オリオン海運")
             "</row>",
         "sheet \"1.例示（団体）\": cell A3: 告示日付 does not start with a date"},
        {MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024.1.1\n削除予定") IS("B3", "1")
             IS("C3", "オリオン海運") "</row>",
         "sheet \"1.例示（団体）\": cell A3: 削除 (removed) not after a date"},
        {MOF_HEAD("") "<row r=\"3\">" IS("C3", "オリオン海運") "</row>",
         "sheet \"1.例示（団体）\": row 3: a row without 告示日付 and 告示番号 that continues no entry"},
        {MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024.1.1") IS("C3", "オリオン海運") "</row>",
         "sheet \"1.例示（団体）\": row 3: 告示日付 and 告示番号 must be given together"},
        {MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024.1.1") IS("B3", "1") IS("C3", "オリオン海運")
             IS("H3", "stray") "</row>",
         "sheet \"1.例示（団体）\": cell H3: a value in a column without a header"},
    };
    tts_lists *l = open_mem();
    tts_import_result res;
    tts_error err;
    (void)state;
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *rows[] = {MOF_INDEX, bad[i].sheet2};
        char name[32], want[512];
        const char *path;
        snprintf(name, sizeof(name), "bad%zu.xlsx", i);
        path = book(name, 2, mof_names, rows);
        snprintf(want, sizeof(want), "%s: %s", path, bad[i].want);
        if (import(l, path, &res, &err) != TTS_ERR_SYNTAX)
            fail_msg("row %zu: imported, or another error: %s", i, err.message);
        if (strncmp(err.message, want, strlen(want)) != 0 || strchr(err.message, '\n') != NULL)
            fail_msg("row %zu: %s\n  expected: %s...", i, err.message, want);
        assert_int_equal(hits(l, "オリオン海運", NULL, 0), 0);
    }
    tts_lists_close(l);
}

/* A sheet that only looks like the index (a number naming no sheet) is not left out. */
static void test_mof_index_must_name_the_sheets(void **state)
{
    const char *rows[] = {"<row r=\"3\"><c r=\"A3\"><v>7</v></c>" IS("B3", "x") "</row>",
                          MOF_HEAD("") "<row r=\"3\">" IS("A3", "2024.1.1") IS("B3", "1")
                              IS("C3", "オリオン海運") "</row>"};
    tts_lists *l = open_mem();
    tts_import_result res;
    tts_error err;
    (void)state;
    assert_int_equal(import(l, book("idx.xlsx", 2, mof_names, rows), &res, &err), TTS_ERR_SYNTAX);
    assert_non_null(strstr(err.message, "sheet \"一覧\": row 1: no header row"));
    tts_lists_close(l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_reads_every_sheet_by_name_and_marks_numbers),
        cmocka_unit_test(test_reader_errors_name_the_file_and_the_sheet),
        cmocka_unit_test(test_reader_first_sheet_as_csv),
        cmocka_unit_test(test_mof_cut_of_the_real_file),
        cmocka_unit_test(test_mof_removed_row_is_not_imported),
        cmocka_unit_test(test_mof_bad_sheets_fail_closed),
        cmocka_unit_test(test_mof_index_must_name_the_sheets),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
