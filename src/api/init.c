/* SPDX-License-Identifier: MIT */
/*
 * Process-wide initialisation: the libraries ttscreen wraps that need a
 * global set-up get it here, once, through their owning modules.
 */
#include "ttscreen.h"

#include "net/fetch.h"
#include "record/record_int.h"

const char *tts_version(void)
{
    return TTS_VERSION;
}

tts_status tts_init(void)
{
    tts_record_global_init();
    return tts_fetch_init();
}

void tts_fini(void)
{
    tts_fetch_fini();
}
