/* SPDX-License-Identifier: MIT */
/*
 * Small-file I/O for keys, certificates, passphrases and signatures:
 * whole-file reads with checks made on the opened file (so a symlink is
 * judged by its target), and atomic writes through a temporary file created
 * with its final mode, whole or written in pieces (the list index file).
 */
#ifndef TTS_FILEIO_H
#define TTS_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "ttscreen/status.h"

/*
 * Read a whole file of at most `max` bytes into a NUL-terminated buffer the
 * caller owns (free with tts_free, after tts_fileio_wipe when it may hold a
 * secret). A pipe or FIFO (/dev/stdin) is read to its end; a directory is
 * refused. With `key` set the file must be a regular file not accessible by
 * group or others unless `insecure` (TTS_ERR_IO naming the mode). Errors:
 * TTS_ERR_IO, TTS_ERR_LIMIT ("PATH: larger than MAX bytes"), TTS_ERR_NOMEM.
 */
tts_status tts_fileio_read(const char *path, size_t max, int key, int insecure, char **out,
                           size_t *len, tts_error *err);

/*
 * Write data to path atomically: a new file in the same directory (created
 * with `mode` at open time, O_EXCL), fsync, then rename() over path when
 * `replace`, else link() so an existing path is never touched (TTS_ERR_ARG
 * naming the file). Used for keys, certificates and signatures.
 */
tts_status tts_fileio_write_atomic(const char *path, const void *data, size_t len,
                                   unsigned mode, int replace, tts_error *err);

/*
 * The same written in pieces, for a file too large to build in memory first:
 * _open creates the temporary file next to path (path is kept, not copied),
 * _write appends, _pwrite rewrites bytes already written at off (a header
 * known only at the end), _commit fsyncs and puts the file in place as
 * tts_fileio_write_atomic does (rename, or link when !replace), _abort
 * removes it. After _open succeeds, exactly one of _commit and _abort
 * follows; the temporary file never outlives them, and path is untouched
 * unless _commit succeeds.
 */
typedef struct tts_fileio_out {
    const char *path;
    char *tmp;
    int fd;
} tts_fileio_out;
tts_status tts_fileio_out_open(tts_fileio_out *o, const char *path, unsigned mode,
                              tts_error *err);
tts_status tts_fileio_out_write(tts_fileio_out *o, const void *data, size_t len, tts_error *err);
tts_status tts_fileio_out_pwrite(tts_fileio_out *o, uint64_t off, const void *data, size_t len,
                                 tts_error *err);
tts_status tts_fileio_out_commit(tts_fileio_out *o, int replace, tts_error *err);
void tts_fileio_out_abort(tts_fileio_out *o);

/* Overwrite n bytes with zeros in a way the compiler may not drop. */
void tts_fileio_wipe(void *p, size_t n);

#endif
