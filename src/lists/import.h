/* SPDX-License-Identifier: MIT */
/*
 * List importers: parse a published list file and add its entries, names
 * and aliases to a source of the store, inside the caller's transaction.
 * Formats: csl-csv (trade.gov Consolidated Screening List, with or without
 * the `_id` column), sdn-csv (OFAC legacy sdn.csv + alt.csv + add.csv),
 * dpl-tsv (BIS Denied Persons List), ttscreen-csv
 * (id,name,aliases,country,programs,listed_on,source_url), csl-json (the
 * Consolidated Screening List as JSON, import_json.c), mof-xlsx (the
 * Ministry of Finance's asset-freeze list workbook, every sheet,
 * import_mof.c). Every error names the file and line (for JSON also the
 * column and the JSON path, for a workbook the sheet and cell); the
 * caller rolls the transaction back.
 */
#ifndef TTS_IMPORT_H
#define TTS_IMPORT_H

#include <stddef.h>
#include <stdint.h>

#include "store/store.h"
#include "ttscreen/status.h"

#include "util/limits.h" /* TTS_IMPORT_MAX_BYTES and the other list limits */

/* 1 when `format` names an importer. */
int tts_import_format_known(const char *format);

typedef struct tts_import_counts {
    long entries;     /* entries added */
    long aliases;     /* names other than the primary one */
    char sha256[65];  /* SHA-256 of the files' bytes, in the order given */
    long warnings;    /* rows imported with a warning, or left out with one */
    char warning[200]; /* the first of them, "FILE:LINE: what" */
    void (*progress)(void *user, long entries); /* kept by tts_import_files, or NULL */
    void *progress_user;
} tts_import_counts;

/*
 * Parse files[0..n_files) as `format` and add the entries to source
 * `source_id` of s (inside a transaction the caller opened). sdn-csv takes
 * sdn.csv plus optional alt.csv and add.csv in any order (told apart by
 * their column counts); the other formats take one file.
 */
tts_status tts_import_files(tts_store *s, int64_t source_id, const char *format,
                            const char *const *files, size_t n_files,
                            tts_import_counts *counts /* OUT */, tts_error *err);

/* ISO code for an English country name as OFAC writes it ("Korea, North"), or NULL. */
const char *tts_import_country_code(const char *name);

#endif
