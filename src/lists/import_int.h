/* SPDX-License-Identifier: MIT */
/*
 * Shared by the importers of import.c and import_json.c (implemented in
 * import_common.c): adding entries and names to the store the same way for
 * every format (one normalisation path, one count), and the CSL helpers
 * both CSL formats use.
 */
#ifndef TTS_IMPORT_INT_H
#define TTS_IMPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"
#include "lists/import.h"
#include "store/store.h"

/* Where entries go and where they come from (file, line) for messages. */
typedef struct tts_import_at {
    tts_store *s;
    int64_t source_id;
    tts_import_counts *counts;
    const char *path;
    int line;
} tts_import_at;

/* Add an entry (it must have a name); counts it. */
tts_status tts_import_entry(const tts_import_at *at, const tts_store_entry *e,
                            int64_t *rowid /* OUT */, tts_error *err);

/* Normalise and add one name of an entry as it is (a blank name is skipped); aliases
 * are counted. */
tts_status tts_import_name_one(const tts_import_at *at, int64_t entry, const char *kind,
                               const char *name, unsigned flags, tts_error *err);

/* Normalise and add one name of an entry (blank names are skipped; a name with
 * parentheses is also stored without them, as kind "derived"); aliases are counted. */
tts_status tts_import_name(const tts_import_at *at, int64_t entry, const char *kind,
                           const char *name, unsigned flags, tts_error *err);

/* CSL "Entity List (EL) - Bureau of Industry and Security" -> "EL" ("" when none). */
void tts_import_csl_sublist(const char *source, char out[16]);

/* Append a two-letter country code to a ';'-separated set unless present. */
void tts_import_add_code(tts_buf *set, const char *code, size_t n);

/* trade.gov Consolidated Screening List JSON (import_json.c). */
tts_status tts_import_csl_json(const tts_import_at *at, const char *data, size_t len,
                               tts_error *err);

/* The Ministry of Finance's asset-freeze list workbook, every sheet (import_mof.c). */
tts_status tts_import_mof_xlsx(tts_import_at *at, const char *path, tts_error *err);

#endif
