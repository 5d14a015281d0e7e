/* SPDX-License-Identifier: MIT */
/*
 * Shared unit-test helpers (see helpers.h).
 */
#include "helpers.h"

#include <stdio.h>
#include <stdlib.h>

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
