/* SPDX-License-Identifier: MIT */
/*
 * The compiled-in default feeds of the well-known sources
 * (tts_lists_default_url in ttscreen/lists.h): what `lists update` fetches
 * for a source with no feed configured, and what `lists status` shows.
 */
#include <string.h>

#include "ttscreen/lists.h"

static const struct {
    const char *source, *url, *format;
} defaults[] = {
    /* trade.gov Consolidated Screening List (facts.md 7.2; data/lists/README.md) */
    {"us-csl", "https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv",
     "csl-csv"},
};

tts_status tts_lists_default_url(const char *source, const char **url, const char **format)
{
    for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
        if (strcmp(defaults[i].source, source) == 0) {
            *url = defaults[i].url;
            *format = defaults[i].format;
            return TTS_OK;
        }
    return TTS_ERR_ARG;
}
