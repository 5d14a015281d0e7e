/* SPDX-License-Identifier: MIT */
/*
 * Excel workbooks for counterparty sheets: writing a results sheet
 * (xlsx_out.c: libxlsxwriter, its only user). Reading a workbook is
 * xlsx/xlsx_in.h, a layer below.
 */
#ifndef TTS_XLSX_INT_H
#define TTS_XLSX_INT_H

#include <stddef.h>

#include "ttscreen/status.h"

/* The version of libxlsxwriter linked at run time, into out[cap] (for --version). */
void tts_xlsx_out_lib_version(char *out, size_t cap);

/* The iconv the sheet reader converts with: the C library's (for --version). */
void tts_sheet_iconv_version(char *out, size_t cap);

#endif
