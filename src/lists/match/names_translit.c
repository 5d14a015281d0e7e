/* SPDX-License-Identifier: MIT */
/*
 * Latin forms of names through ICU (see names_translit.h). ICU works in
 * UTF-16: a name is converted, transformed in place in a buffer that grows
 * when the transform needs more room, and converted back. Names are at
 * most TTS_NAME_MAX_BYTES bytes; a Latin form is at most a few times
 * longer (a Han character gives up to seven bytes), so the buffers are
 * bounded. utf8proc stays the normaliser (names.c): ICU is only called for
 * words that contain letters outside Latin.
 */
#include "lists/match/names_translit.h"

#include <pthread.h>
#include <string.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>
#include <unicode/uversion.h>
#include <stdio.h>

#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

/* The transform: every script to Latin, then plain ASCII letters where one exists, lower case. */
static const char TRANSFORM[] = "Any-Latin; Latin-ASCII; Lower";

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static UTransliterator *trans;
static UErrorCode open_status = U_ZERO_ERROR;

static void open_transform(void)
{
    UChar id[sizeof(TRANSFORM)];
    UTransliterator *t;
    u_uastrncpy(id, TRANSFORM, (int32_t)sizeof(TRANSFORM));
    t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &open_status);
    pthread_mutex_lock(&lock); /* (tts_names_translit_opened reads it under the lock) */
    trans = U_FAILURE(open_status) ? NULL : t;
    pthread_mutex_unlock(&lock);
}

/* Transform u[0..*n) (capacity cap) in place; U_BUFFER_OVERFLOW_ERROR when cap is too small. */
static UErrorCode transform(UChar *u, int32_t *n, int32_t cap)
{
    UErrorCode e = U_ZERO_ERROR;
    int32_t limit = *n;
    pthread_mutex_lock(&lock);
    utrans_transUChars(trans, u, n, cap, 0, &limit, &e);
    pthread_mutex_unlock(&lock);
    return e;
}

int tts_names_translit_opened(void)
{
    int opened;
    pthread_mutex_lock(&lock);
    opened = trans != NULL;
    pthread_mutex_unlock(&lock);
    return opened;
}

tts_status tts_names_translit(const char *s, size_t len, tts_buf *out, tts_error *err)
{
    tts_status rc = TTS_OK;
    UChar *u = NULL;
    char *o = NULL;
    int32_t n = 0, cap, on = 0;
    UErrorCode e = U_ZERO_ERROR;
    pthread_once(&once, open_transform);
    if (trans == NULL)
        return tts_err_set(err, TTS_ERR_INTERNAL, "cannot open the ICU transform \"%s\": %s",
                           TRANSFORM, u_errorName(open_status));
    if (len > TTS_NAME_MAX_BYTES)
        return tts_err_set(err, TTS_ERR_LIMIT, "word of %zu bytes is longer than %d bytes", len,
                           TTS_NAME_MAX_BYTES);
    /* UTF-16 never needs more units than UTF-8 has bytes; the transform
     * may lengthen it, so start with room for four times as many */
    cap = (int32_t)len * 4 + 16;
    for (;;) {
        u = tts_malloc((size_t)cap * sizeof(UChar));
        if (u == NULL)
            TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory transliterating a name"));
        e = U_ZERO_ERROR;
        u_strFromUTF8(u, cap, &n, s, (int32_t)len, &e);
        if (U_FAILURE(e))
            TTS_FAIL(tts_err_set(err, TTS_ERR_ARG, "name is not valid UTF-8: %s", u_errorName(e)));
        e = transform(u, &n, cap);
        if (e != U_BUFFER_OVERFLOW_ERROR)
            break;
        tts_free(u);
        u = NULL;
        if (cap > (int32_t)TTS_NAME_MAX_BYTES * 64)
            TTS_FAIL(tts_err_set(err, TTS_ERR_LIMIT, "transliterated name grew past %d units",
                                 (int)TTS_NAME_MAX_BYTES * 64));
        cap *= 2;
    }
    if (U_FAILURE(e))
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU transform failed: %s", u_errorName(e)));
    e = U_ZERO_ERROR;
    u_strToUTF8(NULL, 0, &on, u, n, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU conversion failed: %s", u_errorName(e)));
    o = tts_malloc((size_t)on + 1);
    if (o == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory transliterating a name"));
    e = U_ZERO_ERROR;
    u_strToUTF8(o, on + 1, &on, u, n, &e);
    if (U_FAILURE(e))
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU conversion failed: %s", u_errorName(e)));
    tts_buf_append(out, o, (size_t)on);
out:
    tts_free(o);
    tts_free(u);
    return rc;
}

void tts_translit_lib_version(char *out, size_t cap)
{
    UVersionInfo v;
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_getVersion(v);
    u_versionToString(v, text);
    snprintf(out, cap, "ICU %s", text);
}
