/* SPDX-License-Identifier: MIT */
/*
 * Whole-file reading for callers of the library (the command line among
 * them), through the one reader the library itself uses.
 */
#include "ttscreen.h"

#include "util/fileio.h"

tts_status tts_file_read(const char *path, size_t max, char **out, size_t *len, tts_error *err)
{
    return tts_fileio_read(path, max, 0, 0, out, len, err);
}
