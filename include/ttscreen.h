/* SPDX-License-Identifier: MIT */
/*
 * ttscreen: technology-transfer due-diligence screening.
 * Umbrella header for libttscreen. Call tts_init() once before any other
 * function and tts_fini() at the end.
 */
#ifndef TTSCREEN_H
#define TTSCREEN_H

#include "ttscreen/status.h"
#include "ttscreen/record.h"
#include "ttscreen/rules.h"
#include "ttscreen/scan.h"
#include "ttscreen/report.h"
#include "ttscreen/sign.h"
#include "ttscreen/lists.h"
#include "ttscreen/cases.h"
#include "ttscreen/sheet.h"
#include "ttscreen/versions.h"
#include "ttscreen/jobs.h"

#ifdef __cplusplus
extern "C" {
#endif

#define TTS_VERSION "0.1.0"

/* Library version string, static. */
TTS_API const char *tts_version(void);

/*
 * The third-party libraries linked in, as they report themselves at run
 * time: tts_library_count() of them; the i-th as one line of text, e.g.
 * "SQLite 3.40.1", into out[cap] ("" past the end).
 */
TTS_API size_t tts_library_count(void);
TTS_API void tts_library_version(size_t i, char *out, size_t cap);

/* Process-wide set-up of the libraries ttscreen wraps. */
TTS_API tts_status tts_init(void);
TTS_API void tts_fini(void);

/* Free memory the library handed to the caller (strings from render etc.). */
TTS_API void tts_free(void *p);

/*
 * Date helpers used by the command line: check "YYYY-MM-DD" is a real
 * calendar date (TTS_ERR_ARG otherwise).
 */
TTS_API tts_status tts_date_check(const char *s);

/*
 * Whole days from the date `from` to the date `to` (negative when `to` is
 * earlier). Each is "YYYY-MM-DD" or an RFC 3339 time, whose date part
 * counts. TTS_ERR_ARG when either is not a real calendar date.
 */
TTS_API tts_status tts_days_between(const char *from, const char *to, long *days /* OUT */);

/*
 * Read a whole file (a pipe or FIFO such as /dev/stdin is read to its end)
 * of at most `max` bytes into a
 * NUL-terminated buffer the caller frees with tts_free. Errors name the
 * file: TTS_ERR_IO (cannot open or read, a directory), TTS_ERR_LIMIT
 * ("PATH: larger than MAX bytes"), TTS_ERR_NOMEM. The one reader the
 * library and the command line share.
 */
TTS_API tts_status tts_file_read(const char *path, size_t max, char **out /* OUT */,
                                 size_t *len /* OUT */, tts_error *err);

#ifdef __cplusplus
}
#endif
#endif
