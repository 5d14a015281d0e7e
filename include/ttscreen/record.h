/* SPDX-License-Identifier: MIT */
/*
 * Partnership records (format ttscreen-record/1): loading, validation and
 * streaming of JSON Lines batches. A tts_record is an immutable, typed model
 * of one deal; a tts_reader yields records one at a time in constant memory.
 */
#ifndef TTS_RECORD_H
#define TTS_RECORD_H

#include <stdio.h>

#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_record tts_record;
typedef struct tts_reader tts_reader;

/*
 * Parse and validate one record from a NUL-free or NUL-containing buffer of
 * len bytes. `source` names the input in error messages (copied).
 * On success *out owns a new record; free with tts_record_free().
 * On failure *out is NULL and err holds one line such as
 *   deal.json: record "acme-1": $.transfers[2].to: no party with id "acme-cn"
 */
TTS_API tts_status tts_record_parse(const char *data, size_t len, const char *source,
                                    tts_record **out, tts_error *err);

/* Accepts NULL. */
TTS_API void tts_record_free(tts_record *rec);

/* Borrowed, valid until tts_record_free(rec). */
TTS_API const char *tts_record_id(const tts_record *rec);
TTS_API const char *tts_record_title(const tts_record *rec); /* NULL when absent */
TTS_API const char *tts_record_kind(const tts_record *rec);

/*
 * Canonical serialisation of the whole record, unknown fields included:
 * object keys sorted by byte value, no insignificant whitespace, UTF-8.
 * Borrowed, valid until tts_record_free(rec); *len receives its length.
 */
TTS_API const char *tts_record_canonical(const tts_record *rec, size_t *len);

/* The JSON Schema (2020-12) of ttscreen-record/1 (static text, *len bytes). */
TTS_API const char *tts_record_schema_json(size_t *len);
/* A commented example record of kind "research", "licence", "joint-venture" or
 * "supply-chain" (static text), or NULL for another kind; the i-th kind, or NULL. */
TTS_API const char *tts_record_template(const char *kind, size_t *len);
TTS_API const char *tts_record_template_kind(size_t i);

/* Lower-case hex SHA-256 of the record's canonical JSON into out[65]. */
TTS_API tts_status tts_record_sha256(const tts_record *rec, char out[65], tts_error *err);

/* controls.as_of as "YYYY-MM-DD", or NULL when absent. Borrowed. */
TTS_API const char *tts_record_as_of(const tts_record *rec);

/* Number of unknown (kept and ignored) fields seen while loading. */
TTS_API size_t tts_record_n_unknown(const tts_record *rec);
/* JSON path of unknown field i (0-based), borrowed; NULL when out of range. */
TTS_API const char *tts_record_unknown(const tts_record *rec, size_t i);

/*
 * Open a reader over `fp` (borrowed; the caller closes it) named `source`
 * (copied) in messages. The input is one record object, possibly spanning
 * lines, or JSON Lines with one record per line. Caller owns *out; free with
 * tts_reader_free().
 */
TTS_API tts_status tts_reader_open(FILE *fp, const char *source, tts_reader **out,
                                   tts_error *err);

/*
 * Read the next record. Returns TTS_OK with *out set (caller owns it),
 * TTS_ERR_EOF at the end of input, or an error status with err set for one
 * bad record; reading may continue after an error in JSON Lines input (the
 * reader skips to the next line) but not after an I/O error or a bad
 * single-object file (then the next call returns TTS_ERR_EOF).
 */
TTS_API tts_status tts_reader_next(tts_reader *rd, tts_record **out, tts_error *err);

/*
 * Step over the next record without parsing it (for sharding a batch):
 * TTS_OK, TTS_ERR_EOF at the end, or an error only for input that cannot be
 * read at all (I/O, memory) or a line over the size limit.
 */
TTS_API tts_status tts_reader_skip(tts_reader *rd, tts_error *err);

/*
 * tts_reader_next without the parse: the next record's text as read
 * (*out, the caller's), to parse later, e.g. on another thread, with
 * tts_record_text_parse, which gives the record or the error that
 * tts_reader_next would have given, with the same places named.
 */
typedef struct tts_record_text tts_record_text;
TTS_API tts_status tts_reader_next_text(tts_reader *rd, tts_record_text **out, tts_error *err);
TTS_API tts_status tts_record_text_parse(const tts_record_text *t, tts_record **out,
                                         tts_error *err);
/* Accepts NULL. */
TTS_API void tts_record_text_free(tts_record_text *t);

/* 1-based line where the last record returned (or rejected) started. */
TTS_API long tts_reader_line(const tts_reader *rd);

/* Accepts NULL. */
TTS_API void tts_reader_free(tts_reader *rd);

#ifdef __cplusplus
}
#endif
#endif
