/* SPDX-License-Identifier: MIT */
/*
 * Keeping lists current: the compiled-in table of default feeds, feed URLs
 * configured in the database, and `lists update` (download with the fetch
 * module into a temporary file, import through the list database in one
 * transaction together with the fetch metadata). The public entry points
 * are in ttscreen/lists.h.
 */
#ifndef TTS_UPDATE_H
#define TTS_UPDATE_H

#include "ttscreen/lists.h"

/* Number of compiled-in default feeds, and the source name of the i-th (static). */
size_t tts_update_n_defaults(void);
const char *tts_update_default_source(size_t i);

#endif
