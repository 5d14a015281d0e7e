/* SPDX-License-Identifier: MIT */
/*
 * Audit reports, format ttscreen-report/1: built from one record, the rule
 * set that judged it, the lists consulted and the findings, and rendered as
 * text (for people), json (one object) or jsonl (one object per line).
 * The library never reads the clock: callers pass generated_at and as_of.
 */
#ifndef TTS_REPORT_H
#define TTS_REPORT_H

#include "ttscreen/record.h"
#include "ttscreen/rules.h"
#include "ttscreen/scan.h"
#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum tts_format {
    TTS_FORMAT_TEXT = 0,
    TTS_FORMAT_JSON = 1,
    TTS_FORMAT_JSONL = 2,
    TTS_FORMAT_HTML = 3
} tts_format;

/* Parse "text", "json", "jsonl", "html"; TTS_ERR_ARG when unknown. */
TTS_API tts_status tts_format_parse(const char *name, tts_format *out /* OUT */);

typedef struct tts_list_info {
    const char *source;      /* list source name */
    long entries;            /* number of entries */
    const char *imported_at; /* RFC 3339, or NULL */
    const char *fetched_at;  /* RFC 3339, or NULL */
    const char *sha256;      /* content hash, hex */
    /* Fields below were added later; NULL when unknown. */
    const char *kind;         /* the source's kind, e.g. "sanctions" (see tts_match.kind) */
    const char *jurisdiction; /* who publishes it: "US", "JP", "UN", "EU", "internal", ... */
    const char *severity;     /* default severity of a match on it */
    const char *dated;        /* the date its age counts from (YYYY-MM-DD or RFC 3339) */
    const char *dated_by;     /* where that date comes from: "published" (the list file's own
                                 date), "last-modified" (the feed's HTTP Last-Modified) or
                                 "imported" (the import, when the list gives no date) */
    const char *transport;    /* "http" when the last download came over plain HTTP, else NULL */
    long version;             /* the list's version in the database (1, 2, ...; every import
                                 or update that changed it is one), 0 when unknown */
    int names_current;        /* 0: its names were normalised by an earlier ttscreen whose
                                 name matching differs; it must be imported again before
                                 anything is screened against it */
} tts_list_info;

typedef struct tts_report_input {
    size_t size;                 /* sizeof(tts_report_input) */
    const char *tool_version;    /* e.g. "0.1.0" */
    const char *generated_at;    /* RFC 3339 UTC */
    const char *as_of;           /* YYYY-MM-DD */
    const tts_record *record;    /* borrowed */
    const tts_rules *rules;      /* borrowed */
    const tts_findings *findings;/* borrowed */
    const tts_list_info *lists;  /* borrowed array */
    size_t n_lists;
    int color;                   /* text format: use ANSI colour */
    /* Fields below were added later; a smaller `size` leaves them unset. */
    int no_lists;                /* the screening consulted no list on purpose (--no-lists) */
} tts_report_input;

/*
 * Render one report. On success *out is a NUL-terminated string the caller
 * owns (free with tts_free) and *len its length; json ends with a newline,
 * jsonl is exactly one line ending in a newline.
 */
TTS_API tts_status tts_report_render(const tts_report_input *in, tts_format fmt, char **out,
                                     size_t *len, tts_error *err);


#ifdef __cplusplus
}
#endif
#endif
