/* SPDX-License-Identifier: MIT */
/*
 * Counterparty sheets: a table of names to screen (a vendor master, this
 * term's visiting researchers, a distributor's customers) read from CSV,
 * TSV or JSON Lines in UTF-8 (with or without a byte order mark), UTF-16
 * with a byte order mark, Shift_JIS/CP932 or EUC-JP. The text is converted
 * to UTF-8 before anything else; columns are found by their header (case-
 * and width-insensitive, English and the common Japanese headers) or
 * named by the caller. Every input column is kept, so output can carry
 * them through.
 */
#ifndef TTS_SHEET_H
#define TTS_SHEET_H

#include <stddef.h>

#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_sheet tts_sheet;

/* Columns a screening reads; TTS_SHEET_N_ROLES of them. */
typedef enum tts_sheet_role {
    TTS_SHEET_NAME = 0, /* required */
    TTS_SHEET_COUNTRY,
    TTS_SHEET_ID,
    TTS_SHEET_TYPE,
    TTS_SHEET_ALIASES,
    TTS_SHEET_NATIONALITY,
    TTS_SHEET_BIRTH_DATE,
    TTS_SHEET_N_ROLES
} tts_sheet_role;

typedef struct tts_sheet_opts {
    size_t size;          /* sizeof(tts_sheet_opts) */
    const char *format;   /* "csv", "tsv", "jsonl", "xlsx"; NULL: from the file name (else csv) */
    const char *encoding; /* "utf-8", "utf-16", "shift_jis" (cp932), "euc-jp"; NULL: detect */
    const char *column[TTS_SHEET_N_ROLES]; /* header naming a role, or NULL: found by header */
} tts_sheet_opts;

/*
 * Read the sheet at path ("-" = standard input; `name` names it in
 * messages). Errors name the file, row (1 = the header) and column, or the
 * byte offset of text that is in no accepted encoding. *out is caller-owned.
 */
TTS_API tts_status tts_sheet_open(const char *path, const tts_sheet_opts *opts,
                                  tts_sheet **out /* OUT */, tts_error *err);
/* Accepts NULL. */
TTS_API void tts_sheet_close(tts_sheet *s);

/* The encoding the text was read in: "utf-8", "utf-16le", "utf-16be", "cp932", "euc-jp". */
TTS_API const char *tts_sheet_encoding(const tts_sheet *s);
/* The header: n columns, each name as written (UTF-8). */
TTS_API size_t tts_sheet_n_columns(const tts_sheet *s);
TTS_API const char *tts_sheet_column(const tts_sheet *s, size_t i);
/* The column of a role, or -1 when the sheet has none. */
TTS_API int tts_sheet_role_column(const tts_sheet *s, tts_sheet_role role);

/*
 * The next data row: *cells has tts_sheet_n_columns() values (missing
 * trailing cells read as ""), valid until the next call; *row is its row
 * number (the header is row 1; for JSON Lines, the line). TTS_ERR_EOF after
 * the last row. A row with more cells than the header is an error.
 */
TTS_API tts_status tts_sheet_next(tts_sheet *s, const char *const **cells /* OUT */,
                                  long *row /* OUT */, tts_error *err);

/*
 * An Excel results sheet (.xlsx): a bold, frozen, filterable header row,
 * then rows; a highlighted row is filled (the rows with a list match), and
 * the column `number_col` (or -1) is written as numbers. The workbook is
 * written under a temporary name next to path and renamed into place on
 * tts_sheet_writer_close, so a failed run leaves no half-written file.
 */
typedef struct tts_sheet_writer tts_sheet_writer;
TTS_API tts_status tts_sheet_writer_open(const char *path, const char *const *header, size_t n,
                                         int number_col, tts_sheet_writer **out /* OUT */,
                                         tts_error *err);
TTS_API tts_status tts_sheet_writer_row(tts_sheet_writer *w, const char *const *cells,
                                        int highlight, tts_error *err);
/* Write and rename into place when keep (else discard); frees w. */
TTS_API tts_status tts_sheet_writer_close(tts_sheet_writer *w, int keep, tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
