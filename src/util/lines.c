/* SPDX-License-Identifier: MIT */
/* Rows of a built-in data table (lines.h). */
#include "util/lines.h"

#include <string.h>

void tts_lines_init(tts_lines *it, const char *text, size_t n)
{
    it->text = text;
    it->n = n;
    it->pos = 0;
    it->line = 0;
}

int tts_lines_next(tts_lines *it, const char **s, size_t *len)
{
    while (it->pos < it->n) {
        const char *p = it->text + it->pos, *nl = memchr(p, '\n', it->n - it->pos);
        size_t l = nl != NULL ? (size_t)(nl - p) : it->n - it->pos;
        it->pos += l + (nl != NULL);
        it->line++;
        if (l > 0 && p[l - 1] == '\r')
            l--;
        if (l == 0 || p[0] == '#')
            continue;
        *s = p;
        *len = l;
        return 1;
    }
    return 0;
}
