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

/*
 * The first worksheet of the workbook at path as UTF-8 CSV text (rows at
 * their row numbers: missing rows are blank lines), caller-owned (tts_free).
 * `file` names the workbook in messages.
 */
tts_status tts_xlsx_to_csv(const char *path, const char *file, char **out, size_t *len,
                           tts_error *err);

/* The version of libzip and libxml2 linked at run time, into out[cap] (for --version). */
void tts_xlsx_in_lib_version(char *out, size_t cap);

#endif
