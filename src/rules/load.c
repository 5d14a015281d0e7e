/* SPDX-License-Identifier: MIT */
/*
 * Rule-set loading: finds every *.rules file below a directory, reads them
 * in sorted path order, hashes them into the set's SHA-256 and hands each
 * to the compiler (which reports every error of every file before the load
 * fails). The hash covers, per file, its path relative to the
 * directory, a NUL, its bytes and a NUL, so renaming a file changes it.
 */
#include "rules/ruleset.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "util/error.h"
#include "util/fileio.h"
#include "util/limits.h"
#include "util/mem.h"
#include "sign/ossl.h"


typedef struct path_list {
    char **items;
    size_t n, cap;
} path_list;

static void path_list_free(path_list *l)
{
    for (size_t i = 0; i < l->n; i++)
        tts_free(l->items[i]);
    tts_free(l->items);
    l->items = NULL;
    l->n = l->cap = 0;
}

static tts_status path_list_add(path_list *l, const char *s)
{
    if (!tts_grow(&l->items, &l->cap, l->n + 1, sizeof(*l->items)))
        return TTS_ERR_NOMEM;
    l->items[l->n] = tts_strdup(s);
    if (l->items[l->n] == NULL)
        return TTS_ERR_NOMEM;
    l->n++;
    return TTS_OK;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n > m && strcmp(s + n - m, suffix) == 0;
}

/*
 * Collect relative paths of *.rules files below root/rel. Hidden entries
 * are skipped; depth is bounded so a symlink loop cannot recurse forever.
 */
static tts_status walk(const char *root, const char *rel, int depth, path_list *out,
                       tts_error *err)
{
    tts_buf full = TTS_BUF_INIT, child = TTS_BUF_INIT;
    tts_status rc = TTS_OK;
    DIR *d = NULL;
    struct dirent *e;

    tts_buf_puts(&full, root);
    if (rel[0] != '\0')
        tts_buf_printf(&full, "/%s", rel);
    if (tts_buf_failed(&full)) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    if (depth > TTS_RULES_MAX_DIR_DEPTH) {
        rc = tts_err_set(err, TTS_ERR_LIMIT, "%s: rule directories nested deeper than %d",
                         full.data, TTS_RULES_MAX_DIR_DEPTH);
        goto out;
    }
    d = opendir(full.data);
    if (d == NULL) {
        rc = tts_err_set(err, TTS_ERR_IO, "%s: cannot open rules directory: %s", full.data,
                         strerror(errno));
        goto out;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        if (e->d_name[0] == '.')
            continue;
        tts_buf_reset(&child);
        if (rel[0] != '\0')
            tts_buf_printf(&child, "%s/", rel);
        tts_buf_puts(&child, e->d_name);
        tts_buf_reset(&full);
        tts_buf_printf(&full, "%s/%s", root, child.data ? child.data : "");
        if (tts_buf_failed(&child) || tts_buf_failed(&full)) {
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
            goto out;
        }
        if (stat(full.data, &st) != 0)
            continue; /* dangling link: nothing to load */
        if (S_ISDIR(st.st_mode))
            TTS_TRY(walk(root, child.data, depth + 1, out, err));
        else if (S_ISREG(st.st_mode) && ends_with(e->d_name, ".rules")) {
            if (path_list_add(out, child.data) != TTS_OK) {
                rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
                goto out;
            }
        }
    }
out:
    if (d != NULL)
        closedir(d);
    tts_buf_free(&full);
    tts_buf_free(&child);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

tts_status tts_rules_read_file(const char *path, char **text, size_t *len, tts_error *err)
{
    return tts_fileio_read(path, (size_t)TTS_RULES_MAX_FILE, 0, 0, text, len, err);
}

tts_status tts_rules_load_dir(const char *dir, const tts_rules_opts *opts, tts_rules **out,
                              tts_error *err)
{
    path_list files = {NULL, 0, 0};
    tts_rules *set = NULL;
    tts_sha256 *h = NULL;
    tts_buf full = TTS_BUF_INIT;
    char *text = NULL;
    size_t len = 0, dir_len = strlen(dir);
    tts_status rc = TTS_OK;

    *out = NULL;
    while (dir_len > 1 && dir[dir_len - 1] == '/')
        dir_len--;
    TTS_TRY(walk(dir, "", 0, &files, err));
    if (files.n > 1)
        qsort(files.items, files.n, sizeof(char *), cmp_str);
    set = tts_rules_new();
    h = tts_sha256_new();
    if (set == NULL || h == NULL) {
        rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < files.n; i++) {
        tts_buf_reset(&full);
        /* "dir/" and "dir" name files the same way in messages. */
        tts_buf_printf(&full, "%.*s/%s", (int)dir_len, dir, files.items[i]);
        if (tts_buf_failed(&full)) {
            rc = tts_err_set(err, TTS_ERR_NOMEM, "out of memory");
            goto out;
        }
        TTS_TRY(tts_rules_read_file(full.data, &text, &len, err));
        if (tts_sha256_update(h, files.items[i], strlen(files.items[i]) + 1) != TTS_OK ||
            tts_sha256_update(h, text, len) != TTS_OK || tts_sha256_update(h, "", 1) != TTS_OK) {
            rc = tts_err_set(err, TTS_ERR_CRYPTO, "SHA-256 failed");
            goto out;
        }
        /* Keep going after a bad file so every error in every file is reported. */
        rc = tts_rules_compile_text(set, full.data, text, len, opts, err);
        tts_free(text);
        text = NULL;
        if (rc != TTS_OK && rc != TTS_ERR_SYNTAX && rc != TTS_ERR_SEMANTIC)
            goto out;
        rc = TTS_OK;
    }
    TTS_TRY(tts_rules_finish(set, opts, err));
    rc = tts_sha256_final(h, set->sha256);
    h = NULL;
    if (rc != TTS_OK) {
        tts_err_set(err, rc, "SHA-256 failed");
        goto out;
    }
    set->n_files = files.n;
    *out = set;
    set = NULL;
out:
    tts_free(text);
    tts_sha256_free(h);
    tts_rules_free(set);
    tts_buf_free(&full);
    path_list_free(&files);
    return rc;
}

size_t tts_rules_n_files(const tts_rules *rules)
{
    return rules->n_files;
}

const char *tts_rules_sha256(const tts_rules *rules)
{
    return rules->sha256;
}
