/* SPDX-License-Identifier: MIT */
/*
 * What a list is, as data: the kinds a source may have, the built-in
 * kind, jurisdiction and severity of the well-known feeds and of each
 * import format, how a source's stored and given values combine at
 * import, the entry types lookups report, and the HTTP date a feed's age
 * may count from. Pure functions over static tables.
 */
#ifndef TTS_LISTMETA_H
#define TTS_LISTMETA_H

#include <stddef.h>

#include "ttscreen/status.h"

/*
 * The kind, jurisdiction and severity of source `source` in `format`
 * (either may be NULL): given values first (opt_*), else the stored ones
 * (stored_*), else the defaults of the source name, else of its format.
 * A kind other than the default one takes its own default severity
 * (sanctions and restricted-party lists critical, others high) and no
 * jurisdiction. Results borrow from the inputs or static strings; kind and
 * severity are never NULL, jurisdiction may be.
 */
void tts_listmeta_resolve(const char *source, const char *format, const char *opt_kind,
                          const char *opt_jurisdiction, const char *opt_severity,
                          const char *stored_kind, const char *stored_jurisdiction,
                          const char *stored_severity, const char **kind /* OUT */,
                          const char **jurisdiction /* OUT */, const char **severity /* OUT */);

/* TTS_OK, or TTS_ERR_ARG with a one-line message naming the bad value. */
tts_status tts_listmeta_check(const char *kind, const char *jurisdiction, const char *severity,
                              tts_error *err);

/*
 * An entry's type as an importer stored it ("individual", "Entity",
 * "vessel", ...) as "person", "organisation", "vessel" or "aircraft";
 * NULL when unknown. Static.
 */
const char *tts_listmeta_entry_type(const char *stored);

/*
 * An HTTP-date (IMF-fixdate, "Wed, 01 Jan 2025 00:00:00 GMT") as RFC 3339
 * UTC into out[21]; 0 when it is not one.
 */
int tts_listmeta_http_date(const char *http, char out[21]);

/*
 * The date a download of `url` dates its list by: the Last-Modified of an
 * http(s) response as RFC 3339 into out[21]; 0 when there is none. A
 * file:// URL's Last-Modified is the file's mtime, the time of a local
 * copy rather than of the publication, and dates nothing.
 */
int tts_listmeta_feed_date(const char *url, const char *last_modified, char out[21]);

#endif
