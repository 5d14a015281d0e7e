/* SPDX-License-Identifier: MIT */
/*
 * Reading Excel workbooks (xlsx_in.c: libzip and libxml2, the only users of
 * those libraries). A low layer: counterparty sheets (sheet/) and list
 * importers (lists/) both read workbooks through it.
 */
#ifndef TTS_XLSX_IN_H
#define TTS_XLSX_IN_H

#include <stddef.h>

#include "ttscreen/status.h"
#include "util/mem.h"

/* An open workbook: its sheet names and shared strings read, the sheets on demand. */
typedef struct tts_xlsx tts_xlsx;

typedef struct tts_xlsx_cell {
    const char *text; /* UTF-8, "" for a blank cell; borrowed from the sheet */
    int number;       /* 1 when stored as a number (a date is a serial day number) */
} tts_xlsx_cell;

typedef struct tts_xlsx_row {
    long row;             /* 1-based row number as the sheet gives it */
    tts_xlsx_cell *cells; /* cells[0..n): column A first; gaps are blank cells */
    size_t n, cap;
} tts_xlsx_row;

typedef struct tts_xlsx_sheet {
    const char *name;  /* the sheet's name as the workbook gives it */
    tts_xlsx_row *rows; /* rows present in the sheet, in order; missing rows are absent */
    size_t n_rows, cap;
    tts_arena *arena; /* the texts */
} tts_xlsx_sheet;

/*
 * Open the workbook at path, reading its list of worksheets (workbook
 * order, each resolved to its part) and its shared strings. `file` names
 * the workbook in messages. *out is caller-owned: tts_xlsx_close().
 */
tts_status tts_xlsx_open(const char *path, const char *file, tts_xlsx **out, tts_error *err);
/* Accepts NULL. */
void tts_xlsx_close(tts_xlsx *x);

/* Worksheets in workbook order, and the name of sheet i (borrowed; NULL past the end). */
size_t tts_xlsx_sheet_count(const tts_xlsx *x);
const char *tts_xlsx_sheet_name(const tts_xlsx *x, size_t i);
/* 1 when the workbook's serial day numbers count from 1904, 0 for Excel's 1900 system. */
int tts_xlsx_date1904(const tts_xlsx *x);

/*
 * Read worksheet i (0-based). Every error names the file and the sheet
 * (FILE: sheet "NAME": ...). *out is caller-owned: tts_xlsx_sheet_free().
 */
tts_status tts_xlsx_sheet_read(tts_xlsx *x, size_t i, tts_xlsx_sheet **out, tts_error *err);
/* Accepts NULL. */
void tts_xlsx_sheet_free(tts_xlsx_sheet *s);

/*
 * The first worksheet of the workbook at path as UTF-8 CSV text (rows at
 * their row numbers: missing rows are blank lines), caller-owned (tts_free).
 * `file` names the workbook in messages.
 */
tts_status tts_xlsx_to_csv(const char *path, const char *file, char **out, size_t *len,
                           tts_error *err);

/* The versions of libzip and libxml2 loaded at run time, or why they cannot be loaded,
 * into out[cap] (for --version). */
void tts_xlsx_in_lib_version(char *out, size_t cap);

#endif
