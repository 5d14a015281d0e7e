/* SPDX-License-Identifier: MIT */
/*
 * Shared unit-test helpers (see helpers.h).
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/mem.h"

static void *checked_malloc(size_t n)
{
    return test_malloc(n);
}

static void *checked_realloc(void *p, size_t n)
{
    return test_realloc(p, n);
}

static void checked_free(void *p)
{
    test_free(p);
}

int tts_test_use_cmocka_allocator(void **state)
{
    static const tts_mem_hooks hooks = {checked_malloc, checked_realloc, checked_free};
    (void)state;
    tts_mem_set_hooks(&hooks);
    return 0;
}

int tts_test_use_default_allocator(void **state)
{
    (void)state;
    tts_mem_set_hooks(NULL);
    return 0;
}

const char *tts_test_fixture(const char *rel)
{
    static char path[4096];
    const char *root = getenv("FIXTURES");
    snprintf(path, sizeof(path), "%s/%s", root != NULL ? root : "fixtures", rel);
    return path;
}

char *tts_test_read_file(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *data = NULL;
    long n = 0;
    if (fp == NULL)
        fail_msg("cannot open %s", path);
    if (fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET) != 0)
        fail_msg("cannot size %s", path);
    data = malloc((size_t)n + 1);
    assert_non_null(data);
    if (fread(data, 1, (size_t)n, fp) != (size_t)n)
        fail_msg("short read on %s", path);
    data[n] = '\0';
    fclose(fp);
    if (len != NULL)
        *len = (size_t)n;
    return data;
}

int tts_test_scratch_make(char *dir, size_t n, const char *name)
{
    if (snprintf(dir, n, "/tmp/tts-%s-XXXXXX", name) >= (int)n)
        return -1;
    return mkdtemp(dir) != NULL ? 0 : -1;
}

int tts_test_scratch_remove(const char *dir)
{
    char cmd[600];
    if (snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) >= (int)sizeof(cmd))
        return -1;
    return system(cmd) == 0 ? 0 : -1;
}

static int ends_in(const char *s, const char *tail)
{
    size_t n = strlen(s), t = strlen(tail);
    return n >= t && strcmp(s + n - t, tail) == 0;
}

void tts_test_each_text(const char *dir, tts_test_text_fn cb, void *user)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    if (d == NULL)
        fail_msg("cannot open directory %s", dir);
    while ((de = readdir(d)) != NULL) {
        char path[4096], where[4200];
        struct stat st;
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s%s%s", dir, ends_in(dir, "/") ? "" : "/", de->d_name);
        if (lstat(path, &st) != 0)
            fail_msg("cannot stat %s", path);
        if (S_ISDIR(st.st_mode)) {
            tts_test_each_text(path, cb, user);
        } else if (S_ISREG(st.st_mode)) {
            size_t len, start = 0;
            char *data = tts_test_read_file(path, &len);
            cb(user, path, path, data, len, 0);
            for (size_t i = 0, line = 1; ends_in(path, ".jsonl") && i <= len; i++) {
                if (i < len && data[i] != '\n')
                    continue;
                snprintf(where, sizeof(where), "%s:%zu", path, line);
                cb(user, path, where, data + start, i - start, line++);
                start = i + 1;
            }
            free(data);
        }
    }
    closedir(d);
}

static unsigned long long g_test_seed;

void tts_test_seed(unsigned long long seed)
{
    g_test_seed = seed;
}

unsigned long long tts_test_random(void)
{
    unsigned long long z = (g_test_seed += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

unsigned tts_test_pick(unsigned n)
{
    return (unsigned)(tts_test_random() % n);
}
