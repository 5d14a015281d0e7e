/* SPDX-License-Identifier: MIT */
/*
 * Writing a results sheet as an Excel workbook (ttscreen/sheet.h); the only
 * user of libxlsxwriter. Strings longer than a cell holds are refused, not cut.
 */
#include "ttscreen/sheet.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "sheet/xlsx.h"
#include "util/error.h"
#include "util/mem.h"

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
    w->wb = workbook_new(w->tmp);
    w->ws = w->wb != NULL ? workbook_add_worksheet(w->wb, "screening") : NULL;
    if (w->ws == NULL) {
        tts_sheet_writer_close(w, 0, err);
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot start the workbook", path);
    }
    w->head = workbook_add_format(w->wb);
    w->hit = workbook_add_format(w->wb);
    format_set_bold(w->head);
    format_set_bg_color(w->hit, 0xFFC7CE); /* a light red fill: the rows that matched */
    format_set_font_color(w->hit, 0x9C0006);
    for (size_t i = 0; i < n; i++)
        if (worksheet_write_string(w->ws, 0, (lxw_col_t)i, header[i], w->head) != LXW_NO_ERROR) {
            tts_sheet_writer_close(w, 0, err);
            return tts_err_set(err, TTS_ERR_ARG, "%s: header %zu cannot be written", path, i + 1);
        }
    worksheet_freeze_panes(w->ws, 1, 0);
    worksheet_autofilter(w->ws, 0, 0, 0, (lxw_col_t)(n - 1));
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
            e = worksheet_write_number(w->ws, w->row, (lxw_col_t)i, v, f);
        else if (s[0] == '\0')
            e = worksheet_write_blank(w->ws, w->row, (lxw_col_t)i, f);
        else
            e = worksheet_write_string(w->ws, w->row, (lxw_col_t)i, s, f);
        if (e != LXW_NO_ERROR)
            return tts_err_set(err, TTS_ERR_ARG, "%s: row %lu column %zu: %s", w->path,
                               (unsigned long)w->row + 1, i + 1, lxw_strerror(e));
    }
    w->row++;
    return TTS_OK;
}

tts_status tts_sheet_writer_close(tts_sheet_writer *w, int keep, tts_error *err)
{
    tts_status rc = TTS_OK;
    if (w == NULL)
        return TTS_OK;
    if (w->wb != NULL && workbook_close(w->wb) != LXW_NO_ERROR && keep)
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
    snprintf(out, cap, "libxlsxwriter %s", lxw_version());
}
