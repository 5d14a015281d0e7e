/* SPDX-License-Identifier: MIT */
/*
 * Writing a results sheet as an Excel workbook (ttscreen/sheet.h); the only
 * user of libxlsxwriter. Strings longer than a cell holds are refused, not cut.
 */
#include "ttscreen/sheet.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "sheet/xlsx.h"
#include "util/dl.h"
#include "util/error.h"
#include "util/mem.h"

/*
 * libxlsxwriter is loaded when a workbook is first written, not linked: with
 * the libraries it brings (zlib, minizip) it cost every process start-up, and
 * most (screen, search, cases) never write one. The functions used, resolved
 * once; a library that cannot be loaded fails the writing with dlopen's
 * reason, never silently.
 */
#ifndef TTS_LIBXLSXWRITER_SONAME
#define TTS_LIBXLSXWRITER_SONAME "libxlsxwriter.so"
#endif

static struct {
    lxw_workbook *(*workbook_new)(const char *filename);
    lxw_worksheet *(*add_worksheet)(lxw_workbook *wb, const char *name);
    lxw_format *(*add_format)(lxw_workbook *wb);
    lxw_error (*workbook_close)(lxw_workbook *wb);
    void (*set_bold)(lxw_format *f);
    void (*set_bg_color)(lxw_format *f, lxw_color_t color);
    void (*set_font_color)(lxw_format *f, lxw_color_t color);
    lxw_error (*write_string)(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, const char *s,
                              lxw_format *f);
    lxw_error (*write_number)(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, double v,
                              lxw_format *f);
    lxw_error (*write_blank)(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col, lxw_format *f);
    void (*freeze_panes)(lxw_worksheet *ws, lxw_row_t row, lxw_col_t col);
    lxw_error (*autofilter)(lxw_worksheet *ws, lxw_row_t first_row, lxw_col_t first_col,
                            lxw_row_t last_row, lxw_col_t last_col);
    char *(*error_text)(lxw_error e);
    const char *(*version)(void);
} lxw;
static pthread_once_t lxw_once = PTHREAD_ONCE_INIT;
static int lxw_loaded;
static char lxw_problem[320];

static void load_lxw(void)
{
    void *lib = tts_dl_open(TTS_LIBXLSXWRITER_SONAME, "libxlsxwriter", lxw_problem,
                            sizeof(lxw_problem));
    if (lib == NULL)
        return;
    /* each pointer has the type of the function it stands for (checked, never evaluated) */
    (void)sizeof(lxw.workbook_new == &workbook_new);
    (void)sizeof(lxw.add_worksheet == &workbook_add_worksheet);
    (void)sizeof(lxw.add_format == &workbook_add_format);
    (void)sizeof(lxw.workbook_close == &workbook_close);
    (void)sizeof(lxw.set_bold == &format_set_bold);
    (void)sizeof(lxw.set_bg_color == &format_set_bg_color);
    (void)sizeof(lxw.set_font_color == &format_set_font_color);
    (void)sizeof(lxw.write_string == &worksheet_write_string);
    (void)sizeof(lxw.write_number == &worksheet_write_number);
    (void)sizeof(lxw.write_blank == &worksheet_write_blank);
    (void)sizeof(lxw.freeze_panes == &worksheet_freeze_panes);
    (void)sizeof(lxw.autofilter == &worksheet_autofilter);
    (void)sizeof(lxw.error_text == &lxw_strerror);
    (void)sizeof(lxw.version == &lxw_version);
#define RESOLVE(field, name)                                                               \
    tts_dl_sym(lib, "libxlsxwriter", name, &lxw.field, sizeof(lxw.field), lxw_problem,      \
               sizeof(lxw_problem))
    if (RESOLVE(workbook_new, "workbook_new") ||
        RESOLVE(add_worksheet, "workbook_add_worksheet") ||
        RESOLVE(add_format, "workbook_add_format") ||
        RESOLVE(workbook_close, "workbook_close") || RESOLVE(set_bold, "format_set_bold") ||
        RESOLVE(set_bg_color, "format_set_bg_color") ||
        RESOLVE(set_font_color, "format_set_font_color") ||
        RESOLVE(write_string, "worksheet_write_string") ||
        RESOLVE(write_number, "worksheet_write_number") ||
        RESOLVE(write_blank, "worksheet_write_blank") ||
        RESOLVE(freeze_panes, "worksheet_freeze_panes") ||
        RESOLVE(autofilter, "worksheet_autofilter") || RESOLVE(error_text, "lxw_strerror") ||
        RESOLVE(version, "lxw_version"))
        return;
#undef RESOLVE
    lxw_loaded = 1;
}

#define XLSX_MAX_ROWS 1048576
#define XLSX_MAX_CELL 32767 /* characters a cell holds */

struct tts_sheet_writer {
    lxw_workbook *wb;
    lxw_worksheet *ws;
    lxw_format *head, *hit;
    char *path, *tmp;
    size_t n;
    int number_col;
    lxw_row_t row;
};

tts_status tts_sheet_writer_open(const char *path, const char *const *header, size_t n,
                                 int number_col, tts_sheet_writer **out, tts_error *err)
{
    tts_sheet_writer *w;
    size_t len = strlen(path) + 32;
    *out = NULL;
    pthread_once(&lxw_once, load_lxw);
    if (!lxw_loaded)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot write the workbook: %s", path,
                           lxw_problem);
    if (n == 0 || n > 16384)
        return tts_err_set(err, TTS_ERR_ARG, "%s: an Excel sheet holds 1 to 16384 columns", path);
    w = tts_calloc(1, sizeof(*w));
    if (w == NULL || (w->path = tts_strdup(path)) == NULL || (w->tmp = tts_malloc(len)) == NULL) {
        if (w != NULL) {
            tts_free(w->path);
            tts_free(w);
        }
        return tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
    }
    snprintf(w->tmp, len, "%s.tmp%ld", path, (long)getpid());
    w->n = n;
    w->number_col = number_col;
    w->wb = lxw.workbook_new(w->tmp);
    w->ws = w->wb != NULL ? lxw.add_worksheet(w->wb, "screening") : NULL;
    if (w->ws == NULL) {
        tts_sheet_writer_close(w, 0, err);
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot start the workbook", path);
    }
    w->head = lxw.add_format(w->wb);
    w->hit = lxw.add_format(w->wb);
    lxw.set_bold(w->head);
    lxw.set_bg_color(w->hit, 0xFFC7CE); /* a light red fill: the rows that matched */
    lxw.set_font_color(w->hit, 0x9C0006);
    for (size_t i = 0; i < n; i++)
        if (lxw.write_string(w->ws, 0, (lxw_col_t)i, header[i], w->head) != LXW_NO_ERROR) {
            tts_sheet_writer_close(w, 0, err);
            return tts_err_set(err, TTS_ERR_ARG, "%s: header %zu cannot be written", path, i + 1);
        }
    lxw.freeze_panes(w->ws, 1, 0);
    lxw.autofilter(w->ws, 0, 0, 0, (lxw_col_t)(n - 1));
    w->row = 1;
    *out = w;
    return TTS_OK;
}

tts_status tts_sheet_writer_row(tts_sheet_writer *w, const char *const *cells, int highlight,
                                tts_error *err)
{
    lxw_format *f = highlight ? w->hit : NULL;
    if (w->row >= XLSX_MAX_ROWS)
        return tts_err_set(err, TTS_ERR_LIMIT, "%s: more than %d rows, the most a sheet holds",
                           w->path, XLSX_MAX_ROWS);
    for (size_t i = 0; i < w->n; i++) {
        const char *s = cells[i] != NULL ? cells[i] : "";
        lxw_error e;
        char *end = NULL;
        double v = (int)i == w->number_col && s[0] != '\0' ? strtod(s, &end) : 0;
        if (strlen(s) > XLSX_MAX_CELL * 4)
            return tts_err_set(err, TTS_ERR_LIMIT, "%s: row %lu column %zu: longer than a cell "
                               "holds (%d characters)",
                               w->path, (unsigned long)w->row + 1, i + 1, XLSX_MAX_CELL);
        if (end != NULL && *end == '\0')
            e = lxw.write_number(w->ws, w->row, (lxw_col_t)i, v, f);
        else if (s[0] == '\0')
            e = lxw.write_blank(w->ws, w->row, (lxw_col_t)i, f);
        else
            e = lxw.write_string(w->ws, w->row, (lxw_col_t)i, s, f);
        if (e != LXW_NO_ERROR)
            return tts_err_set(err, TTS_ERR_ARG, "%s: row %lu column %zu: %s", w->path,
                               (unsigned long)w->row + 1, i + 1, lxw.error_text(e));
    }
    w->row++;
    return TTS_OK;
}

tts_status tts_sheet_writer_close(tts_sheet_writer *w, int keep, tts_error *err)
{
    tts_status rc = TTS_OK;
    if (w == NULL)
        return TTS_OK;
    if (w->wb != NULL && lxw.workbook_close(w->wb) != LXW_NO_ERROR && keep)
        rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot write the workbook", w->path);
    if (rc == TTS_OK && keep && rename(w->tmp, w->path) != 0)
        rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot write", w->path);
    if (rc != TTS_OK || !keep)
        unlink(w->tmp);
    tts_free(w->tmp);
    tts_free(w->path);
    tts_free(w);
    return rc;
}

void tts_xlsx_out_lib_version(char *out, size_t cap)
{
    pthread_once(&lxw_once, load_lxw);
    if (!lxw_loaded) {
        snprintf(out, cap, "libxlsxwriter not available (%s)", lxw_problem);
        return;
    }
    snprintf(out, cap, "libxlsxwriter %s", lxw.version());
}
