/* SPDX-License-Identifier: MIT */
/*
 * File I/O (see fileio.h): the one whole-file reader of the library (list
 * files, rule files, keys, certificates, signatures) and atomic writes. No
 * third-party library here; the signing module wipes key bytes itself, and
 * this file wipes what it frees on its error paths.
 */
#include "util/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/error.h"
#include "util/mem.h"

void tts_fileio_wipe(void *p, size_t n)
{
    volatile unsigned char *v = p;
    while (p != NULL && n-- > 0)
        *v++ = 0;
}

/* Read a stream (pipe, FIFO, terminal) to its end, at most max bytes, into *out. */
static tts_status read_stream(int fd, const char *path, size_t max, char **out, size_t *len,
                              tts_error *err)
{
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        ssize_t r;
        if (n == cap && !tts_grow(&buf, &cap, n + 65536, 1)) {
            tts_free(buf);
            return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
        }
        r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            tts_fileio_wipe(buf, cap);
            tts_free(buf);
            return tts_err_set(err, TTS_ERR_IO, "%s: read failed: %s", path, strerror(e));
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n > max) {
            tts_fileio_wipe(buf, cap);
            tts_free(buf);
            return tts_err_set(err, TTS_ERR_LIMIT, "%s: larger than %zu bytes", path, max);
        }
    }
    if (n == cap && !tts_grow(&buf, &cap, n + 1, 1)) {
        tts_free(buf);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return TTS_OK;
}

tts_status tts_fileio_read(const char *path, size_t max, int key, int insecure, char **out,
                           size_t *len, tts_error *err)
{
    struct stat st;
    char *buf = NULL;
    size_t n = 0;
    tts_status rc;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
    *out = NULL;
    *len = 0;
    if (fd < 0)
        return tts_err_set(err, TTS_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (fstat(fd, &st) != 0 || S_ISDIR(st.st_mode) || (key && !S_ISREG(st.st_mode))) {
        close(fd);
        return tts_err_set(err, TTS_ERR_IO, "%s: not a regular file", path);
    }
    if (!S_ISREG(st.st_mode)) { /* a pipe or FIFO (e.g. /dev/stdin): read to its end */
        rc = read_stream(fd, path, max, out, len, err);
        close(fd);
        return rc;
    }
    if (key && !insecure && (st.st_mode & 077) != 0) {
        close(fd);
        return tts_err_set(err, TTS_ERR_IO,
                           "%s: private key is accessible by group or others (mode %04o); "
                           "run 'chmod 600 %s' or pass --insecure-key-permissions",
                           path, (unsigned)(st.st_mode & 07777), path);
    }
    if ((size_t)st.st_size > max) {
        close(fd);
        return tts_err_set(err, TTS_ERR_LIMIT, "%s: larger than %zu bytes", path, max);
    }
    buf = tts_malloc((size_t)st.st_size + 1);
    if (buf == NULL) {
        close(fd);
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
    }
    while (n < (size_t)st.st_size) {
        ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            int e = r < 0 ? errno : 0;
            close(fd);
            tts_fileio_wipe(buf, (size_t)st.st_size + 1);
            tts_free(buf);
            return tts_err_set(err, TTS_ERR_IO, "%s: read failed: %s", path,
                               e != 0 ? strerror(e) : "file shrank while reading");
        }
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return TTS_OK;
}

static tts_status write_all(int fd, const char *path, const void *data, size_t len,
                            tts_error *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return tts_err_set(err, TTS_ERR_IO, "%s: write failed: %s", path,
                               w < 0 ? strerror(errno) : "no progress");
        p += w;
        len -= (size_t)w;
    }
    return TTS_OK;
}

tts_status tts_fileio_out_open(tts_fileio_out *o, const char *path, unsigned mode,
                              tts_error *err)
{
    static unsigned long counter;
    size_t plen = strlen(path);
    o->path = path;
    o->fd = -1;
    o->tmp = tts_malloc(plen + 48);
    if (o->tmp == NULL)
        return tts_err_set(err, TTS_ERR_NOMEM, "%s: out of memory", path);
    for (int tries = 0; o->fd < 0 && tries < 100; tries++) {
        snprintf(o->tmp, plen + 48, "%s.tmp.%ld.%lu", path, (long)getpid(), counter++);
        o->fd = open(o->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, (mode_t)mode);
        if (o->fd < 0 && errno != EEXIST)
            break;
    }
    if (o->fd < 0) {
        tts_err_set(err, TTS_ERR_IO, "%s: cannot create a file next to it: %s", path,
                    strerror(errno));
        tts_free(o->tmp);
        o->tmp = NULL;
        return TTS_ERR_IO;
    }
    return TTS_OK;
}

tts_status tts_fileio_out_write(tts_fileio_out *o, const void *data, size_t len, tts_error *err)
{
    return write_all(o->fd, o->path, data, len, err);
}

tts_status tts_fileio_out_pwrite(tts_fileio_out *o, uint64_t off, const void *data, size_t len,
                                 tts_error *err)
{
    const char *p = data;
    while (len > 0) {
        ssize_t w = pwrite(o->fd, p, len, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return tts_err_set(err, TTS_ERR_IO, "%s: write failed: %s", o->path,
                               w < 0 ? strerror(errno) : "no progress");
        p += w;
        len -= (size_t)w;
        off += (uint64_t)w;
    }
    return TTS_OK;
}

void tts_fileio_out_abort(tts_fileio_out *o)
{
    if (o->fd >= 0) {
        close(o->fd);
        unlink(o->tmp);
    }
    o->fd = -1;
    tts_free(o->tmp);
    o->tmp = NULL;
}

tts_status tts_fileio_out_commit(tts_fileio_out *o, int replace, tts_error *err)
{
    tts_status rc = TTS_OK;
    const char *path = o->path;
    if (fsync(o->fd) != 0)
        rc = tts_err_set(err, TTS_ERR_IO, "%s: fsync failed: %s", path, strerror(errno));
    if (close(o->fd) != 0 && rc == TTS_OK)
        rc = tts_err_set(err, TTS_ERR_IO, "%s: close failed: %s", path, strerror(errno));
    o->fd = -1;
    if (rc != TTS_OK) {
        unlink(o->tmp);
    } else if (replace) {
        if (rename(o->tmp, path) != 0) {
            rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot replace: %s", path, strerror(errno));
            unlink(o->tmp);
        }
    } else {
        if (link(o->tmp, path) != 0) {
            if (errno == EEXIST)
                rc = tts_err_set(err, TTS_ERR_ARG, "%s: already exists (use --force to replace it)",
                                 path);
            else
                rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot create: %s", path, strerror(errno));
        }
        unlink(o->tmp);
    }
    tts_free(o->tmp);
    o->tmp = NULL;
    return rc;
}

tts_status tts_fileio_write_atomic(const char *path, const void *data, size_t len, unsigned mode,
                                   int replace, tts_error *err)
{
    tts_fileio_out o;
    tts_status rc = tts_fileio_out_open(&o, path, mode, err);
    if (rc != TTS_OK)
        return rc;
    rc = tts_fileio_out_write(&o, data, len, err);
    if (rc != TTS_OK) {
        tts_fileio_out_abort(&o);
        return rc;
    }
    return tts_fileio_out_commit(&o, replace, err);
}

