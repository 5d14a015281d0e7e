/* SPDX-License-Identifier: MIT */
/*
 * Hard bounds on everything input can grow. Crossing one is TTS_ERR_LIMIT
 * with a message naming the limit, the value and the place; never a crash,
 * never a silent truncation.
 */
#ifndef TTS_LIMITS_H
#define TTS_LIMITS_H

#define TTS_RECORD_MAX_BYTES (64 * 1024 * 1024) /* one record's JSON text */
#define TTS_JSON_MAX_DEPTH 64                   /* nesting of arrays/objects in a record */
#define TTS_STRING_MAX_BYTES (1024 * 1024)      /* one string value in a record */
#define TTS_RECORD_MAX_PARTIES 100000           /* parties + people in one record */
#define TTS_RULES_MAX_FILE (4 * 1024 * 1024)    /* one .rules file */

#endif
