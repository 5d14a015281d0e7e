/* SPDX-License-Identifier: MIT */
/*
 * List versions and what each import changed. Every import or update of a
 * source is a version (1, 2, ... per source) that keeps which entries it
 * added, removed and changed against the version before, an entry being
 * changed when its content hash (the one a reviewer's clearance is tied
 * to) differs. Diffs between any two stored versions are composed from
 * those changes, so nothing but the changes is kept.
 */
#ifndef TTS_VERSIONS_H
#define TTS_VERSIONS_H

#include <stddef.h>

#include "ttscreen/lists.h"
#include "ttscreen/report.h"
#include "ttscreen/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tts_list_change {
    const char *entry_id;   /* the list's own id */
    const char *name;       /* primary name (as it was, for a removed entry) */
    const char *change;     /* "added", "removed" or "changed" */
    const char *old_sha256; /* content hash in the older version, NULL when added */
    const char *new_sha256; /* content hash in the newer version, NULL when removed */
} tts_list_change;

typedef struct tts_list_diff {
    const char *source;
    long from, to;                /* versions compared: from < to (from 0: before the first) */
    const char *from_imported_at; /* NULL for version 0 */
    const char *to_imported_at;
    long entries; /* entries of version `to` */
    long added, removed, changed;
    tts_list_change *items; /* by entry id */
    size_t n;
} tts_list_diff;

/* `from`/`to` not given: the last change (to the newest version from the one before). */
#define TTS_LIST_VERSION_NONE (-1L)

/*
 * The change of `source` between stored versions from and to (either
 * TTS_LIST_VERSION_NONE: to = newest, from = to - 1). TTS_ERR_ARG with a
 * message for an unknown source or version, or from newer than to.
 * *out is caller-owned (tts_list_diff_free).
 */
TTS_API tts_status tts_lists_diff(tts_lists *l, const char *source, long from, long to,
                                  tts_list_diff **out /* OUT */, tts_error *err);
/* Accepts NULL. */
TTS_API void tts_list_diff_free(tts_list_diff *d);

/*
 * A diff as text (a header line, then "+ ID NAME", "- ...", "~ ..." lines)
 * or JSON (one object). *out caller-owned (tts_free).
 */
TTS_API tts_status tts_list_diff_render(const tts_list_diff *d, tts_format fmt, char **out,
                                        size_t *len, tts_error *err);

/* The one-line summary "12,311 entries, +14 -3 ~2" into out (cap bytes, truncated). */
TTS_API void tts_list_diff_summary(const tts_list_diff *d, char *out, size_t cap);

/* The newest version of source, 0 when it has none. */
TTS_API tts_status tts_lists_version(tts_lists *l, const char *source, long *version /* OUT */,
                                     tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
