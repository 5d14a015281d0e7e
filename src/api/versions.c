/* SPDX-License-Identifier: MIT */
/*
 * The third-party libraries linked into this build and their versions as
 * they report themselves at run time (tts_library_version in ttscreen.h),
 * each asked through the one folder that uses it.
 */
#include "ttscreen.h"

#include "lists/match/names.h"
#include "lists/match/names_translit.h"
#include "net/fetch.h"
#include "record/record_int.h"
#include "rules/rx.h"
#include "sheet/xlsx.h"
#include "xlsx/xlsx_in.h"
#include "sign/ossl.h"
#include "store/store.h"

static void (*const reporters[])(char *out, size_t cap) = {
    tts_fetch_lib_version,    tts_sign_lib_version,     tts_store_lib_version,
    tts_rx_lib_version,       tts_record_lib_version,   tts_names_lib_version,
    tts_translit_lib_version, tts_xlsx_in_lib_version,  tts_xlsx_out_lib_version,
    tts_sheet_iconv_version,
};

size_t tts_library_count(void)
{
    return sizeof(reporters) / sizeof(reporters[0]);
}

void tts_library_version(size_t i, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    if (i < tts_library_count())
        reporters[i](out, cap);
}
