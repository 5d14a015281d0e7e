/* SPDX-License-Identifier: MIT */
/*
 * The rows of a built-in data table (legal forms, list citations): one per
 * line, blank lines and '#' comments skipped, a final carriage return
 * dropped, each with its 1-based line number for errors.
 */
#ifndef TTS_LINES_H
#define TTS_LINES_H

#include <stddef.h>

typedef struct tts_lines {
    const char *text;
    size_t n, pos;
    int line; /* of the row last returned */
} tts_lines;

/* Start reading text (n bytes), which must outlive the rows. */
void tts_lines_init(tts_lines *it, const char *text, size_t n);
/* The next row with content into *s / *len (not NUL-terminated); 0 at the end. */
int tts_lines_next(tts_lines *it, const char **s, size_t *len);

#endif
