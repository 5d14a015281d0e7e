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

#include "util/dl.h"
#include "util/error.h"
#include "util/limits.h"
#include "util/mem.h"

/*
 * ICU is loaded when a name first needs transliterating, not linked: with
 * its data library and the C++ runtime it brings, it cost every process
 * start-up, and most (screen, search, cases) never meet a non-ASCII name.
 * ICU's exported names carry its version (utrans_openU_72): its headers
 * rename each function (unicode/urename.h: U_ICU_ENTRY_POINT_RENAME, with
 * U_ICU_VERSION_SUFFIX), so the name to look up is the function's name
 * stringified after that renaming, through two macro levels, and follows the
 * ICU compiled against (also when it is built without renaming). A missing
 * ICU fails the transliteration with dlopen's reason, never silently.
 */
#ifndef TTS_LIBICUUC_SONAME
#define TTS_LIBICUUC_SONAME "libicuuc.so"
#endif
#ifndef TTS_LIBICUI18N_SONAME
#define TTS_LIBICUI18N_SONAME "libicui18n.so"
#endif
#define ICU_NAME2(f) #f
#define ICU_NAME(f) ICU_NAME2(f) /* f renamed by unicode/urename.h, then a string */

static struct {
    UChar *(*uastrncpy)(UChar *dst, const char *src, int32_t n);
    UChar *(*str_from_utf8)(UChar *dest, int32_t cap, int32_t *len, const char *src,
                            int32_t src_len, UErrorCode *e);
    char *(*str_to_utf8)(char *dest, int32_t cap, int32_t *len, const UChar *src,
                         int32_t src_len, UErrorCode *e);
    const char *(*error_name)(UErrorCode code);
    void (*get_version)(UVersionInfo v);
    void (*version_to_string)(const UVersionInfo v, char *out);
    UTransliterator *(*trans_open)(const UChar *id, int32_t id_len, UTransDirection dir,
                                   const UChar *rules, int32_t rules_len, UParseError *pe,
                                   UErrorCode *e);
    void (*trans_uchars)(const UTransliterator *t, UChar *text, int32_t *len, int32_t cap,
                         int32_t start, int32_t *limit, UErrorCode *e);
} icu;
static pthread_once_t icu_once = PTHREAD_ONCE_INIT;
static int icu_loaded;
static char icu_problem[320];

static void load_icu(void)
{
    void *uc = tts_dl_open(TTS_LIBICUUC_SONAME, "ICU", icu_problem, sizeof(icu_problem));
    void *i18n = uc == NULL ? NULL
                            : tts_dl_open(TTS_LIBICUI18N_SONAME, "ICU", icu_problem,
                                          sizeof(icu_problem));
    if (i18n == NULL)
        return; /* (a library opened stays loaded, as every other one) */
    /* each pointer has the type of the function it stands for (checked, never evaluated) */
    (void)sizeof(icu.uastrncpy == &u_uastrncpy);
    (void)sizeof(icu.str_from_utf8 == &u_strFromUTF8);
    (void)sizeof(icu.str_to_utf8 == &u_strToUTF8);
    (void)sizeof(icu.error_name == &u_errorName);
    (void)sizeof(icu.get_version == &u_getVersion);
    (void)sizeof(icu.version_to_string == &u_versionToString);
    (void)sizeof(icu.trans_open == &utrans_openU);
    (void)sizeof(icu.trans_uchars == &utrans_transUChars);
#define UC(field, fn)                                                                          \
    tts_dl_sym(uc, "ICU", ICU_NAME(fn), &icu.field, sizeof(icu.field), icu_problem,           \
               sizeof(icu_problem))
#define I18N(field, fn)                                                                        \
    tts_dl_sym(i18n, "ICU", ICU_NAME(fn), &icu.field, sizeof(icu.field), icu_problem,         \
               sizeof(icu_problem))
    if (UC(uastrncpy, u_uastrncpy) || UC(str_from_utf8, u_strFromUTF8) ||
        UC(str_to_utf8, u_strToUTF8) || UC(error_name, u_errorName) ||
        UC(get_version, u_getVersion) || UC(version_to_string, u_versionToString) ||
        I18N(trans_open, utrans_openU) || I18N(trans_uchars, utrans_transUChars))
        return;
#undef UC
#undef I18N
    icu_loaded = 1;
}

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
    pthread_once(&icu_once, load_icu);
    if (!icu_loaded)
        return;
    icu.uastrncpy(id, TRANSFORM, (int32_t)sizeof(TRANSFORM));
    t = icu.trans_open(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &open_status);
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
    icu.trans_uchars(trans, u, n, cap, 0, &limit, &e);
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
    if (!icu_loaded)
        return tts_err_set(err, TTS_ERR_INTERNAL, "cannot transliterate a name: %s",
                           icu_problem);
    if (trans == NULL)
        return tts_err_set(err, TTS_ERR_INTERNAL, "cannot open the ICU transform \"%s\": %s",
                           TRANSFORM, icu.error_name(open_status));
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
        icu.str_from_utf8(u, cap, &n, s, (int32_t)len, &e);
        if (U_FAILURE(e))
            TTS_FAIL(tts_err_set(err, TTS_ERR_ARG, "name is not valid UTF-8: %s",
                                 icu.error_name(e)));
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
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU transform failed: %s",
                             icu.error_name(e)));
    e = U_ZERO_ERROR;
    icu.str_to_utf8(NULL, 0, &on, u, n, &e);
    if (e != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(e))
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU conversion failed: %s",
                             icu.error_name(e)));
    o = tts_malloc((size_t)on + 1);
    if (o == NULL)
        TTS_FAIL(tts_err_set(err, TTS_ERR_NOMEM, "out of memory transliterating a name"));
    e = U_ZERO_ERROR;
    icu.str_to_utf8(o, on + 1, &on, u, n, &e);
    if (U_FAILURE(e))
        TTS_FAIL(tts_err_set(err, TTS_ERR_INTERNAL, "ICU conversion failed: %s",
                             icu.error_name(e)));
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
    pthread_once(&icu_once, load_icu);
    if (!icu_loaded) {
        snprintf(out, cap, "ICU not available (%s)", icu_problem);
        return;
    }
    icu.get_version(v);
    icu.version_to_string(v, text);
    snprintf(out, cap, "ICU %s", text);
}
