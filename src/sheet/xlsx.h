/* SPDX-License-Identifier: MIT */
/*
 * Excel workbooks for counterparty sheets: reading the first worksheet as
 * CSV text (xlsx_in.c: libzip and libxml2) and writing a results sheet
 * (xlsx_out.c: libxlsxwriter). The only users of those libraries.
 */
#ifndef TTS_XLSX_INT_H
#define TTS_XLSX_INT_H

#include <stddef.h>

#include "ttscreen/status.h"

/*
 * The first worksheet of the workbook at path as UTF-8 CSV text (rows at
 * their row numbers: missing rows are blank lines), caller-owned (tts_free).
 * `file` names the workbook in messages.
 */
tts_status tts_xlsx_to_csv(const char *path, const char *file, char **out, size_t *len,
                           tts_error *err);

/* The version of libzip and libxml2 linked at run time, into out[cap] (for --version). */
void tts_xlsx_in_lib_version(char *out, size_t cap);
/* The version of libxlsxwriter linked at run time, into out[cap] (for --version). */
void tts_xlsx_out_lib_version(char *out, size_t cap);

/* The iconv the sheet reader converts with: the C library's (for --version). */
void tts_sheet_iconv_version(char *out, size_t cap);

#endif
