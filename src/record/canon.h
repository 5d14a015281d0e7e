/* SPDX-License-Identifier: MIT */
/*
 * A record's canonical text: the JSON value written compact, object keys
 * sorted, byte for byte what jansson 2.14's json_dumps(v, JSON_COMPACT |
 * JSON_SORT_KEYS) writes, because stored record hashes are taken over that
 * text. Written by hand because jansson's dump decodes every UTF-8 code
 * point and sorts through callbacks; here runs of plain bytes are copied
 * whole. Reals are still written by jansson itself (one call per real).
 */
#ifndef TTS_CANON_H
#define TTS_CANON_H

#include "record/record_jansson.h"
#include "util/buf.h"

/*
 * Append the canonical text of v (borrowed; not changed) to out. Keys and
 * strings are taken as valid UTF-8, as json_loads makes them: their bytes
 * are not decoded (a string made invalid with json_stringn_nocheck is
 * copied as it is, where jansson would refuse to dump it). Any value may be
 * the root: for a scalar the text is what JSON_ENCODE_ANY would add.
 * Returns 0, or -1 when out of memory (here or inside jansson writing a
 * real; out is then failed, see tts_buf_failed) or when containers nest
 * deeper than TTS_CANON_MAX_DEPTH (so a cycle made by hand ends too, where
 * jansson reports the loop). After -1, out holds an incomplete text for the
 * caller to discard.
 */
int tts_json_canonical(const json_t *v, tts_buf *out);

/* Nesting written at most: jansson's own parser bound, so any parsed value fits. */
#define TTS_CANON_MAX_DEPTH 2048

#endif
