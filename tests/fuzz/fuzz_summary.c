/* SPDX-License-Identifier: MIT */
/*
 * Fuzz target: the report summary scanner behind `ttscreen verify`, which
 * reads untrusted JSON (a report whose signature just verified may still
 * come from anyone holding a key).
 */
#include <stdint.h>
#include <stdlib.h>

#include "ttscreen.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tts_report_summary *s = NULL;
    size_t n = 0;
    tts_error err;
    tts_error_clear(&err);
    if (tts_report_summarize((const char *)data, size, &s, &n, &err) == TTS_OK) {
        for (size_t i = 0; i < n; i++)
            if (s[i].format == NULL)
                abort(); /* every summary is a ttscreen report */
        tts_report_summaries_free(s, n);
    } else if (s != NULL || n != 0 || err.message[0] == '\0') {
        abort(); /* failure leaves no output and always explains itself */
    }
    return 0;
}
